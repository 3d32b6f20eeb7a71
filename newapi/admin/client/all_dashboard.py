from pydantic import Field

from .base_model import BaseModel
from .fragments import DashboardNumbers


class AllDashboard(BaseModel):
    all_dashboard: "AllDashboardAllDashboard" = Field(alias="allDashboard")


AllDashboardAllDashboard = DashboardNumbers
AllDashboard.model_rebuild()
