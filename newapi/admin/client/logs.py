from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class Logs(BaseModel):
    logs: "LogsLogs"


class LogsLogs(BaseModel):
    total: int
    page: int
    page_size: int = Field(alias="pageSize")
    quota: int
    prompt_tokens: int = Field(alias="promptTokens")
    completion_tokens: int = Field(alias="completionTokens")
    items: list["LogsLogsItems"]


class LogsLogsItems(BaseModel):
    id: int
    created_at: int = Field(alias="createdAt")
    type_: int = Field(alias="type")
    content: str
    model_name: str = Field(alias="modelName")
    token_name: str = Field(alias="tokenName")
    quota: int
    prompt_tokens: int = Field(alias="promptTokens")
    completion_tokens: int = Field(alias="completionTokens")
    use_time: int = Field(alias="useTime")
    is_stream: bool = Field(alias="isStream")
    group: str
    request_id: str = Field(alias="requestId")
    other: Optional[str]


Logs.model_rebuild()
LogsLogs.model_rebuild()
