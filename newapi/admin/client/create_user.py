from typing import Literal, Union

from pydantic import Field

from .base_model import BaseModel


class CreateUser(BaseModel):
    create_user: Union[
        "CreateUserCreateUserUser", "CreateUserCreateUserFieldErrors"
    ] = Field(alias="createUser", discriminator="typename__")


class CreateUserCreateUserUser(BaseModel):
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


class CreateUserCreateUserFieldErrors(BaseModel):
    typename__: Literal["FieldErrors"] = Field(alias="__typename")
    errors: list["CreateUserCreateUserFieldErrorsErrors"]


class CreateUserCreateUserFieldErrorsErrors(BaseModel):
    field: str
    message: str


CreateUser.model_rebuild()
CreateUserCreateUserFieldErrors.model_rebuild()
