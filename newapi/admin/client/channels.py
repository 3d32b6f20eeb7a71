from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class Channels(BaseModel):
    channels: list["ChannelsChannels"]


class ChannelsChannels(BaseModel):
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
    loaded: bool


Channels.model_rebuild()
