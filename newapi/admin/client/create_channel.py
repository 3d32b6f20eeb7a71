from decimal import Decimal
from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel


class CreateChannel(BaseModel):
    create_channel: Union[
        "CreateChannelCreateChannelChannel", "CreateChannelCreateChannelFieldErrors"
    ] = Field(alias="createChannel", discriminator="typename__")


class CreateChannelCreateChannelChannel(BaseModel):
    typename__: Literal["Channel"] = Field(alias="__typename")
    id: int
    name: str
    source: str
    read_only: bool = Field(alias="readOnly")
    type_: Optional[int] = Field(alias="type")
    provider: Optional[str]
    base_url: str = Field(alias="baseUrl")
    key: str
    models: list[str]
    groups: list[str]
    priority: int
    weight: int
    enabled: bool
    status: int
    tag: str
    test_model: str = Field(alias="testModel")
    model_mapping: list["CreateChannelCreateChannelChannelModelMapping"] = Field(
        alias="modelMapping"
    )
    balance: Optional[Decimal]
    balance_updated_time: int = Field(alias="balanceUpdatedTime")
    loaded: bool
    auto_disabled: Optional[str] = Field(alias="autoDisabled")


class CreateChannelCreateChannelChannelModelMapping(BaseModel):
    model: str
    upstream_model: str = Field(alias="upstreamModel")


class CreateChannelCreateChannelFieldErrors(BaseModel):
    typename__: Literal["FieldErrors"] = Field(alias="__typename")
    errors: list["CreateChannelCreateChannelFieldErrorsErrors"]


class CreateChannelCreateChannelFieldErrorsErrors(BaseModel):
    field: str
    message: str


CreateChannel.model_rebuild()
CreateChannelCreateChannelChannel.model_rebuild()
CreateChannelCreateChannelFieldErrors.model_rebuild()
