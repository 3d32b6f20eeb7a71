from pydantic import Field

from .base_model import BaseModel


class AllDashboard(BaseModel):
    all_dashboard: "AllDashboardAllDashboard" = Field(alias="allDashboard")


class AllDashboardAllDashboard(BaseModel):
    start: int
    end: int
    count: int
    quota: int
    token_used: int = Field(alias="tokenUsed")
    rpm: int
    tpm: int
    series: list["AllDashboardAllDashboardSeries"]
    by_hour: list["AllDashboardAllDashboardByHour"] = Field(alias="byHour")
    by_user: list["AllDashboardAllDashboardByUser"] = Field(alias="byUser")
    by_model: list["AllDashboardAllDashboardByModel"] = Field(alias="byModel")


class AllDashboardAllDashboardSeries(BaseModel):
    hour: int
    model_name: str = Field(alias="modelName")
    count: int
    quota: int
    token_used: int = Field(alias="tokenUsed")


class AllDashboardAllDashboardByHour(BaseModel):
    hour: int
    count: int
    quota: int
    token_used: int = Field(alias="tokenUsed")


class AllDashboardAllDashboardByUser(BaseModel):
    user_id: int = Field(alias="userId")
    username: str
    count: int
    quota: int
    token_used: int = Field(alias="tokenUsed")


class AllDashboardAllDashboardByModel(BaseModel):
    model_name: str = Field(alias="modelName")
    count: int
    quota: int
    token_used: int = Field(alias="tokenUsed")


AllDashboard.model_rebuild()
AllDashboardAllDashboard.model_rebuild()
