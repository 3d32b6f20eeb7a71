from typing import Literal, Union

from pydantic import Field

from .base_model import BaseModel


class ResetPassword(BaseModel):
    reset_password: Union[
        "ResetPasswordResetPasswordPasswordResetDone",
        "ResetPasswordResetPasswordFieldErrors",
    ] = Field(alias="resetPassword", discriminator="typename__")


class ResetPasswordResetPasswordPasswordResetDone(BaseModel):
    typename__: Literal["PasswordResetDone"] = Field(alias="__typename")
    done: bool


class ResetPasswordResetPasswordFieldErrors(BaseModel):
    typename__: Literal["FieldErrors"] = Field(alias="__typename")
    errors: list["ResetPasswordResetPasswordFieldErrorsErrors"]


class ResetPasswordResetPasswordFieldErrorsErrors(BaseModel):
    field: str
    message: str


ResetPassword.model_rebuild()
ResetPasswordResetPasswordFieldErrors.model_rebuild()
