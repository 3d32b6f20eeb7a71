from typing import Literal, Union

from pydantic import Field

from .base_model import BaseModel


class Register(BaseModel):
    registered: Union[
        "RegisterRegisteredRegistered", "RegisterRegisteredFieldErrors"
    ] = Field(discriminator="typename__")


class RegisterRegisteredRegistered(BaseModel):
    typename__: Literal["Registered"] = Field(alias="__typename")
    id: int
    username: str


class RegisterRegisteredFieldErrors(BaseModel):
    typename__: Literal["FieldErrors"] = Field(alias="__typename")
    errors: list["RegisterRegisteredFieldErrorsErrors"]


class RegisterRegisteredFieldErrorsErrors(BaseModel):
    field: str
    message: str


Register.model_rebuild()
RegisterRegisteredFieldErrors.model_rebuild()
