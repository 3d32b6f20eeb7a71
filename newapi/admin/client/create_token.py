from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel


class CreateToken(BaseModel):
    create_token: Union[
        "CreateTokenCreateTokenTokenCreated", "CreateTokenCreateTokenFieldErrors"
    ] = Field(alias="createToken", discriminator="typename__")


class CreateTokenCreateTokenTokenCreated(BaseModel):
    typename__: Literal["TokenCreated"] = Field(alias="__typename")
    key: str
    token: "CreateTokenCreateTokenTokenCreatedToken"


class CreateTokenCreateTokenTokenCreatedToken(BaseModel):
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


class CreateTokenCreateTokenFieldErrors(BaseModel):
    typename__: Literal["FieldErrors"] = Field(alias="__typename")
    errors: list["CreateTokenCreateTokenFieldErrorsErrors"]


class CreateTokenCreateTokenFieldErrorsErrors(BaseModel):
    field: str
    message: str


CreateToken.model_rebuild()
CreateTokenCreateTokenTokenCreated.model_rebuild()
CreateTokenCreateTokenFieldErrors.model_rebuild()
