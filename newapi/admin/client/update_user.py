from typing import Literal, Union

from pydantic import Field

from .base_model import BaseModel


class UpdateUser(BaseModel):
    update_user: Union[
        "UpdateUserUpdateUserUser", "UpdateUserUpdateUserFieldErrors"
    ] = Field(alias="updateUser", discriminator="typename__")


class UpdateUserUpdateUserUser(BaseModel):
    typename__: Literal["User"] = Field(alias="__typename")
    id: int
    username: str
    display_name: str = Field(alias="displayName")
    email: str
    role: int
    status: int
    group: str
    quota: int
    used_quota: int = Field(alias="usedQuota")
    request_count: int = Field(alias="requestCount")
    remark: str
    created_at: int = Field(alias="createdAt")
    last_login_at: int = Field(alias="lastLoginAt")


class UpdateUserUpdateUserFieldErrors(BaseModel):
    typename__: Literal["FieldErrors"] = Field(alias="__typename")
    errors: list["UpdateUserUpdateUserFieldErrorsErrors"]


class UpdateUserUpdateUserFieldErrorsErrors(BaseModel):
    field: str
    message: str


UpdateUser.model_rebuild()
UpdateUserUpdateUserFieldErrors.model_rebuild()
