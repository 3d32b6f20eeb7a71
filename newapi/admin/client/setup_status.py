from pydantic import Field

from .base_model import BaseModel


class SetupStatus(BaseModel):
    setup_status: "SetupStatusSetupStatus" = Field(alias="setupStatus")


class SetupStatusSetupStatus(BaseModel):
    done: bool
    root_exists: bool = Field(alias="rootExists")
    version: str


SetupStatus.model_rebuild()
