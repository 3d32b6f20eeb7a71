from typing import Literal, Union

from pydantic import Field

from .base_model import BaseModel


class AddUserQuota(BaseModel):
    add_user_quota: Union[
        "AddUserQuotaAddUserQuotaUser", "AddUserQuotaAddUserQuotaFieldErrors"
    ] = Field(alias="addUserQuota", discriminator="typename__")


class AddUserQuotaAddUserQuotaUser(BaseModel):
    typename__: Literal["User"] = Field(alias="__typename")
    id: int
    quota: int


class AddUserQuotaAddUserQuotaFieldErrors(BaseModel):
    typename__: Literal["FieldErrors"] = Field(alias="__typename")
    errors: list["AddUserQuotaAddUserQuotaFieldErrorsErrors"]


class AddUserQuotaAddUserQuotaFieldErrorsErrors(BaseModel):
    field: str
    message: str


AddUserQuota.model_rebuild()
AddUserQuotaAddUserQuotaFieldErrors.model_rebuild()
