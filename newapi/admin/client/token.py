from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class Token(BaseModel):
    token: Optional["TokenToken"]


class TokenToken(BaseModel):
    id: int
    name: str
    key: str
    status: int
    created_time: int = Field(alias="createdTime")
    accessed_time: int = Field(alias="accessedTime")
    expired_time: int = Field(alias="expiredTime")
    remain_quota: int = Field(alias="remainQuota")
    unlimited_quota: bool = Field(alias="unlimitedQuota")
    used_quota: int = Field(alias="usedQuota")
    model_limits: Optional[list[str]] = Field(alias="modelLimits")
    allow_ips: list[str] = Field(alias="allowIps")
    group: str


Token.model_rebuild()
