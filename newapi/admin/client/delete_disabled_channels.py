from pydantic import Field

from .base_model import BaseModel


class DeleteDisabledChannels(BaseModel):
    delete_disabled_channels: "DeleteDisabledChannelsDeleteDisabledChannels" = Field(
        alias="deleteDisabledChannels"
    )


class DeleteDisabledChannelsDeleteDisabledChannels(BaseModel):
    changed: list[int]
    skipped: list["DeleteDisabledChannelsDeleteDisabledChannelsSkipped"]


class DeleteDisabledChannelsDeleteDisabledChannelsSkipped(BaseModel):
    id: int
    reason: str


DeleteDisabledChannels.model_rebuild()
DeleteDisabledChannelsDeleteDisabledChannels.model_rebuild()
