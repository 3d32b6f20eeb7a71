from typing import Literal, Union

from pydantic import Field

from .base_model import BaseModel


class Login(BaseModel):
    login: Union[
        "LoginLoginLoginSuccess", "LoginLoginTwoFactorRequired", "LoginLoginFieldErrors"
    ] = Field(discriminator="typename__")


class LoginLoginLoginSuccess(BaseModel):
    typename__: Literal["LoginSuccess"] = Field(alias="__typename")
    csrf_token: str = Field(alias="csrfToken")
    user: "LoginLoginLoginSuccessUser"


class LoginLoginLoginSuccessUser(BaseModel):
    id: int
    username: str
    role: int
    group: str


class LoginLoginTwoFactorRequired(BaseModel):
    typename__: Literal["TwoFactorRequired"] = Field(alias="__typename")
    flow_token: str = Field(alias="flowToken")
    expires_at: int = Field(alias="expiresAt")


class LoginLoginFieldErrors(BaseModel):
    typename__: Literal["FieldErrors"] = Field(alias="__typename")
    errors: list["LoginLoginFieldErrorsErrors"]


class LoginLoginFieldErrorsErrors(BaseModel):
    field: str
    message: str


Login.model_rebuild()
LoginLoginLoginSuccess.model_rebuild()
LoginLoginFieldErrors.model_rebuild()
