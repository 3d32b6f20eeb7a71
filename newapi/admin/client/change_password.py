from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel


class ChangePassword(BaseModel):
    change_password: Union[
        "ChangePasswordChangePasswordPasswordChanged",
        "ChangePasswordChangePasswordFieldErrors",
    ] = Field(alias="changePassword", discriminator="typename__")


class ChangePasswordChangePasswordPasswordChanged(BaseModel):
    typename__: Literal["PasswordChanged"] = Field(alias="__typename")
    csrf_token: Optional[str] = Field(alias="csrfToken")


class ChangePasswordChangePasswordFieldErrors(BaseModel):
    typename__: Literal["FieldErrors"] = Field(alias="__typename")
    errors: list["ChangePasswordChangePasswordFieldErrorsErrors"]


class ChangePasswordChangePasswordFieldErrorsErrors(BaseModel):
    field: str
    message: str


ChangePassword.model_rebuild()
ChangePasswordChangePasswordFieldErrors.model_rebuild()
