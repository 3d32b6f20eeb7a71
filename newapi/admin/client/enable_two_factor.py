from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel


class EnableTwoFactor(BaseModel):
    enable_two_factor: Union[
        "EnableTwoFactorEnableTwoFactorTwoFactorEnabled",
        "EnableTwoFactorEnableTwoFactorFieldErrors",
    ] = Field(alias="enableTwoFactor", discriminator="typename__")


class EnableTwoFactorEnableTwoFactorTwoFactorEnabled(BaseModel):
    typename__: Literal["TwoFactorEnabled"] = Field(alias="__typename")
    backup_codes: list[str] = Field(alias="backupCodes")
    csrf_token: Optional[str] = Field(alias="csrfToken")


class EnableTwoFactorEnableTwoFactorFieldErrors(BaseModel):
    typename__: Literal["FieldErrors"] = Field(alias="__typename")
    errors: list["EnableTwoFactorEnableTwoFactorFieldErrorsErrors"]


class EnableTwoFactorEnableTwoFactorFieldErrorsErrors(BaseModel):
    field: str
    message: str


EnableTwoFactor.model_rebuild()
EnableTwoFactorEnableTwoFactorFieldErrors.model_rebuild()
