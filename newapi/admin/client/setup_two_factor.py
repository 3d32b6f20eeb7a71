from typing import Literal, Union

from pydantic import Field

from .base_model import BaseModel


class SetupTwoFactor(BaseModel):
    setup_two_factor: Union[
        "SetupTwoFactorSetupTwoFactorTwoFactorSetup",
        "SetupTwoFactorSetupTwoFactorFieldErrors",
    ] = Field(alias="setupTwoFactor", discriminator="typename__")


class SetupTwoFactorSetupTwoFactorTwoFactorSetup(BaseModel):
    typename__: Literal["TwoFactorSetup"] = Field(alias="__typename")
    secret: str
    otpauth_uri: str = Field(alias="otpauthUri")


class SetupTwoFactorSetupTwoFactorFieldErrors(BaseModel):
    typename__: Literal["FieldErrors"] = Field(alias="__typename")
    errors: list["SetupTwoFactorSetupTwoFactorFieldErrorsErrors"]


class SetupTwoFactorSetupTwoFactorFieldErrorsErrors(BaseModel):
    field: str
    message: str


SetupTwoFactor.model_rebuild()
SetupTwoFactorSetupTwoFactorFieldErrors.model_rebuild()
