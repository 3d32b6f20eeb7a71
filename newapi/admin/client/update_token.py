from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel


class UpdateToken(BaseModel):
    update_token: Union[
        "UpdateTokenUpdateTokenToken", "UpdateTokenUpdateTokenFieldErrors"
    ] = Field(alias="updateToken", discriminator="typename__")


class UpdateTokenUpdateTokenToken(BaseModel):
    typename__: Literal["Token"] = Field(alias="__typename")
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


class UpdateTokenUpdateTokenFieldErrors(BaseModel):
    typename__: Literal["FieldErrors"] = Field(alias="__typename")
    errors: list["UpdateTokenUpdateTokenFieldErrorsErrors"]


class UpdateTokenUpdateTokenFieldErrorsErrors(BaseModel):
    field: str
    message: str


UpdateToken.model_rebuild()
UpdateTokenUpdateTokenFieldErrors.model_rebuild()
