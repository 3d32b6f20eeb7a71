from pydantic import Field

from .base_model import BaseModel


class DeleteChannel(BaseModel):
    delete_channel: "DeleteChannelDeleteChannel" = Field(alias="deleteChannel")


class DeleteChannelDeleteChannel(BaseModel):
    id: int
    deleted: bool


DeleteChannel.model_rebuild()
