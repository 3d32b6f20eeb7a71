from pydantic import Field

from .base_model import BaseModel


class SetChannelsTag(BaseModel):
    set_channels_tag: "SetChannelsTagSetChannelsTag" = Field(alias="setChannelsTag")


class SetChannelsTagSetChannelsTag(BaseModel):
    changed: list[int]
    skipped: list["SetChannelsTagSetChannelsTagSkipped"]


class SetChannelsTagSetChannelsTagSkipped(BaseModel):
    id: int
    reason: str


SetChannelsTag.model_rebuild()
SetChannelsTagSetChannelsTag.model_rebuild()
