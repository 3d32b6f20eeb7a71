from pydantic import Field

from .base_model import BaseModel


class DeleteChannels(BaseModel):
    delete_channels: "DeleteChannelsDeleteChannels" = Field(alias="deleteChannels")


class DeleteChannelsDeleteChannels(BaseModel):
    changed: list[int]
    skipped: list["DeleteChannelsDeleteChannelsSkipped"]


class DeleteChannelsDeleteChannelsSkipped(BaseModel):
    id: int
    reason: str


DeleteChannels.model_rebuild()
DeleteChannelsDeleteChannels.model_rebuild()
