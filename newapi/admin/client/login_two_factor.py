from typing import Literal, Union

from pydantic import Field

from .base_model import BaseModel


class LoginTwoFactor(BaseModel):
    login_two_factor: Union[
        "LoginTwoFactorLoginTwoFactorLoginSuccess",
        "LoginTwoFactorLoginTwoFactorTwoFactorRequired",
        "LoginTwoFactorLoginTwoFactorFieldErrors",
    ] = Field(alias="loginTwoFactor", discriminator="typename__")


class LoginTwoFactorLoginTwoFactorLoginSuccess(BaseModel):
    typename__: Literal["LoginSuccess"] = Field(alias="__typename")
    csrf_token: str = Field(alias="csrfToken")
    user: "LoginTwoFactorLoginTwoFactorLoginSuccessUser"


class LoginTwoFactorLoginTwoFactorLoginSuccessUser(BaseModel):
    id: int
    username: str
    role: int
    group: str


class LoginTwoFactorLoginTwoFactorTwoFactorRequired(BaseModel):
    typename__: Literal["TwoFactorRequired"] = Field(alias="__typename")


class LoginTwoFactorLoginTwoFactorFieldErrors(BaseModel):
    typename__: Literal["FieldErrors"] = Field(alias="__typename")
    errors: list["LoginTwoFactorLoginTwoFactorFieldErrorsErrors"]


class LoginTwoFactorLoginTwoFactorFieldErrorsErrors(BaseModel):
    field: str
    message: str


LoginTwoFactor.model_rebuild()
LoginTwoFactorLoginTwoFactorLoginSuccess.model_rebuild()
LoginTwoFactorLoginTwoFactorFieldErrors.model_rebuild()
