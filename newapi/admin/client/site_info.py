from pydantic import Field

from .base_model import BaseModel


class SiteInfo(BaseModel):
    site_info: "SiteInfoSiteInfo" = Field(alias="siteInfo")


class SiteInfoSiteInfo(BaseModel):
    system_name: str = Field(alias="systemName")
    notice: str
    footer: str
    about: str
    display_in_currency: bool = Field(alias="displayInCurrency")
    quota_per_unit: int = Field(alias="quotaPerUnit")


SiteInfo.model_rebuild()
