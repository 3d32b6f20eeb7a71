from pydantic import Field

from .base_model import BaseModel


class DashboardNumbers(BaseModel):
    start: int
    end: int
    count: int
    quota: int
    token_used: int = Field(alias="tokenUsed")
    rpm: int
    tpm: int
    series: list["DashboardNumbersSeries"]
    by_hour: list["DashboardNumbersByHour"] = Field(alias="byHour")
    by_model: list["DashboardNumbersByModel"] = Field(alias="byModel")


class DashboardNumbersSeries(BaseModel):
    hour: int
    model_name: str = Field(alias="modelName")
    count: int
    quota: int
    token_used: int = Field(alias="tokenUsed")


class DashboardNumbersByHour(BaseModel):
    hour: int
    count: int
    quota: int
    token_used: int = Field(alias="tokenUsed")


class DashboardNumbersByModel(BaseModel):
    model_name: str = Field(alias="modelName")
    count: int
    quota: int
    token_used: int = Field(alias="tokenUsed")


DashboardNumbers.model_rebuild()
