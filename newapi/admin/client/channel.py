from decimal import Decimal
from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class Channel(BaseModel):
    channel: Optional["ChannelChannel"]


class ChannelChannel(BaseModel):
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
    model_mapping: list["ChannelChannelModelMapping"] = Field(alias="modelMapping")
    balance: Optional[Decimal]
    balance_updated_time: int = Field(alias="balanceUpdatedTime")
    loaded: bool
    auto_disabled: Optional[str] = Field(alias="autoDisabled")


class ChannelChannelModelMapping(BaseModel):
    model: str
    upstream_model: str = Field(alias="upstreamModel")


Channel.model_rebuild()
ChannelChannel.model_rebuild()
