from .base_model import BaseModel
from .fragments import DashboardNumbers


class Dashboard(BaseModel):
    dashboard: "DashboardDashboard"


DashboardDashboard = DashboardNumbers
Dashboard.model_rebuild()
