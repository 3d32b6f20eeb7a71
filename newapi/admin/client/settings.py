from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class Settings(BaseModel):
    settings: list["SettingsSettings"]


class SettingsSettings(BaseModel):
    key: str
    kind: str
    value: Optional[str]
    is_set: bool = Field(alias="isSet")
    default: str
    effective: Optional[str]
    effect: str
    secret: bool
    file_override: bool = Field(alias="fileOverride")
    file_field: Optional[str] = Field(alias="fileField")
    file_entries: list[str] = Field(alias="fileEntries")


Settings.model_rebuild()
