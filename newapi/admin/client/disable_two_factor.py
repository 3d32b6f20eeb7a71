from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel


class DisableTwoFactor(BaseModel):
    disable_two_factor: Union[
        "DisableTwoFactorDisableTwoFactorTwoFactorDisabled",
        "DisableTwoFactorDisableTwoFactorFieldErrors",
    ] = Field(alias="disableTwoFactor", discriminator="typename__")


class DisableTwoFactorDisableTwoFactorTwoFactorDisabled(BaseModel):
    typename__: Literal["TwoFactorDisabled"] = Field(alias="__typename")
    csrf_token: Optional[str] = Field(alias="csrfToken")


class DisableTwoFactorDisableTwoFactorFieldErrors(BaseModel):
    typename__: Literal["FieldErrors"] = Field(alias="__typename")
    errors: list["DisableTwoFactorDisableTwoFactorFieldErrorsErrors"]


class DisableTwoFactorDisableTwoFactorFieldErrorsErrors(BaseModel):
    field: str
    message: str


DisableTwoFactor.model_rebuild()
DisableTwoFactorDisableTwoFactorFieldErrors.model_rebuild()
