from pydantic import Field

from .base_model import BaseModel


class Dashboard(BaseModel):
    dashboard: "DashboardDashboard"


class DashboardDashboard(BaseModel):
    start: int
    end: int
    count: int
    quota: int
    token_used: int = Field(alias="tokenUsed")
    rpm: int
    tpm: int
    series: list["DashboardDashboardSeries"]
    by_hour: list["DashboardDashboardByHour"] = Field(alias="byHour")
    by_model: list["DashboardDashboardByModel"] = Field(alias="byModel")


class DashboardDashboardSeries(BaseModel):
    hour: int
    model_name: str = Field(alias="modelName")
    count: int
    quota: int
    token_used: int = Field(alias="tokenUsed")


class DashboardDashboardByHour(BaseModel):
    hour: int
    count: int
    quota: int
    token_used: int = Field(alias="tokenUsed")


class DashboardDashboardByModel(BaseModel):
    model_name: str = Field(alias="modelName")
    count: int
    quota: int
    token_used: int = Field(alias="tokenUsed")


Dashboard.model_rebuild()
DashboardDashboard.model_rebuild()
