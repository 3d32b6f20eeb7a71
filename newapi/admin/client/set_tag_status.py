from pydantic import Field

from .base_model import BaseModel


class SetTagStatus(BaseModel):
    set_tag_status: "SetTagStatusSetTagStatus" = Field(alias="setTagStatus")


class SetTagStatusSetTagStatus(BaseModel):
    changed: list[int]
    skipped: list["SetTagStatusSetTagStatusSkipped"]


class SetTagStatusSetTagStatusSkipped(BaseModel):
    id: int
    reason: str


SetTagStatus.model_rebuild()
SetTagStatusSetTagStatus.model_rebuild()
