from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class User(BaseModel):
    user: Optional["UserUser"]


class UserUser(BaseModel):
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


User.model_rebuild()
