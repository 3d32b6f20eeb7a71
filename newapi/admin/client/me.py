from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class Me(BaseModel):
    me: "MeMe"


class MeMe(BaseModel):
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
    has_access_token: bool = Field(alias="hasAccessToken")
    csrf_token: Optional[str] = Field(alias="csrfToken")


Me.model_rebuild()
