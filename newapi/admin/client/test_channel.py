from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class TestChannel(BaseModel):
    test_channel: "TestChannelTestChannel" = Field(alias="testChannel")


class TestChannelTestChannel(BaseModel):
    ok: bool
    channel_id: int = Field(alias="channelId")
    model: str
    stream: bool
    status: Optional[int]
    latency_ms: int = Field(alias="latencyMs")
    first_byte_ms: Optional[int] = Field(alias="firstByteMs")
    prompt_tokens: Optional[int] = Field(alias="promptTokens")
    completion_tokens: Optional[int] = Field(alias="completionTokens")
    reply: str
    error: Optional[str]


TestChannel.model_rebuild()
