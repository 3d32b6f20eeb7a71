from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel


class UpdateSettings(BaseModel):
    update_settings: Union[
        "UpdateSettingsUpdateSettingsSettingList",
        "UpdateSettingsUpdateSettingsFieldErrors",
    ] = Field(alias="updateSettings", discriminator="typename__")


class UpdateSettingsUpdateSettingsSettingList(BaseModel):
    typename__: Literal["SettingList"] = Field(alias="__typename")
    settings: list["UpdateSettingsUpdateSettingsSettingListSettings"]


class UpdateSettingsUpdateSettingsSettingListSettings(BaseModel):
    key: str
    value: Optional[str]
    is_set: bool = Field(alias="isSet")
    effective: Optional[str]
    file_override: bool = Field(alias="fileOverride")


class UpdateSettingsUpdateSettingsFieldErrors(BaseModel):
    typename__: Literal["FieldErrors"] = Field(alias="__typename")
    errors: list["UpdateSettingsUpdateSettingsFieldErrorsErrors"]


class UpdateSettingsUpdateSettingsFieldErrorsErrors(BaseModel):
    field: str
    message: str


UpdateSettings.model_rebuild()
UpdateSettingsUpdateSettingsSettingList.model_rebuild()
UpdateSettingsUpdateSettingsFieldErrors.model_rebuild()
