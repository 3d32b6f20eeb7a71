from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class AllLogs(BaseModel):
    all_logs: "AllLogsAllLogs" = Field(alias="allLogs")


class AllLogsAllLogs(BaseModel):
    total: int
    page: int
    page_size: int = Field(alias="pageSize")
    quota: int
    prompt_tokens: int = Field(alias="promptTokens")
    completion_tokens: int = Field(alias="completionTokens")
    items: list["AllLogsAllLogsItems"]


class AllLogsAllLogsItems(BaseModel):
    id: int
    created_at: int = Field(alias="createdAt")
    type_: int = Field(alias="type")
    content: str
    user_id: int = Field(alias="userId")
    username: str
    model_name: str = Field(alias="modelName")
    token_name: str = Field(alias="tokenName")
    channel: int
    channel_name: Optional[str] = Field(alias="channelName")
    quota: int
    prompt_tokens: int = Field(alias="promptTokens")
    completion_tokens: int = Field(alias="completionTokens")
    use_time: int = Field(alias="useTime")
    is_stream: bool = Field(alias="isStream")
    group: str
    request_id: str = Field(alias="requestId")
    other: Optional[str]


AllLogs.model_rebuild()
AllLogsAllLogs.model_rebuild()
