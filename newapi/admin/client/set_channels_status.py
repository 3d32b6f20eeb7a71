from pydantic import Field

from .base_model import BaseModel


class SetChannelsStatus(BaseModel):
    set_channels_status: "SetChannelsStatusSetChannelsStatus" = Field(
        alias="setChannelsStatus"
    )


class SetChannelsStatusSetChannelsStatus(BaseModel):
    changed: list[int]
    skipped: list["SetChannelsStatusSetChannelsStatusSkipped"]


class SetChannelsStatusSetChannelsStatusSkipped(BaseModel):
    id: int
    reason: str


SetChannelsStatus.model_rebuild()
SetChannelsStatusSetChannelsStatus.model_rebuild()
