from typing import Literal, Union

from pydantic import Field

from .base_model import BaseModel


class Setup(BaseModel):
    setup: Union["SetupSetupSetupComplete", "SetupSetupFieldErrors"] = Field(
        discriminator="typename__"
    )


class SetupSetupSetupComplete(BaseModel):
    typename__: Literal["SetupComplete"] = Field(alias="__typename")
    user_id: int = Field(alias="userId")
    username: str


class SetupSetupFieldErrors(BaseModel):
    typename__: Literal["FieldErrors"] = Field(alias="__typename")
    errors: list["SetupSetupFieldErrorsErrors"]


class SetupSetupFieldErrorsErrors(BaseModel):
    field: str
    message: str


Setup.model_rebuild()
SetupSetupFieldErrors.model_rebuild()
