from typing import Literal, Union

from pydantic import Field

from .base_model import BaseModel


class Login(BaseModel):
    login: Union["LoginLoginLoginSuccess", "LoginLoginFieldErrors"] = Field(
        discriminator="typename__"
    )


class LoginLoginLoginSuccess(BaseModel):
    typename__: Literal["LoginSuccess"] = Field(alias="__typename")
    csrf_token: str = Field(alias="csrfToken")
    user: "LoginLoginLoginSuccessUser"


class LoginLoginLoginSuccessUser(BaseModel):
    id: int
    username: str
    role: int
    group: str


class LoginLoginFieldErrors(BaseModel):
    typename__: Literal["FieldErrors"] = Field(alias="__typename")
    errors: list["LoginLoginFieldErrorsErrors"]


class LoginLoginFieldErrorsErrors(BaseModel):
    field: str
    message: str


Login.model_rebuild()
LoginLoginLoginSuccess.model_rebuild()
LoginLoginFieldErrors.model_rebuild()
