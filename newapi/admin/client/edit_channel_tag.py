from pydantic import Field

from .base_model import BaseModel


class EditChannelTag(BaseModel):
    edit_channel_tag: "EditChannelTagEditChannelTag" = Field(alias="editChannelTag")


class EditChannelTagEditChannelTag(BaseModel):
    changed: list[int]
    skipped: list["EditChannelTagEditChannelTagSkipped"]


class EditChannelTagEditChannelTagSkipped(BaseModel):
    id: int
    reason: str


EditChannelTag.model_rebuild()
EditChannelTagEditChannelTag.model_rebuild()
