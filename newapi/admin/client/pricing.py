from decimal import Decimal
from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class Pricing(BaseModel):
    pricing: "PricingPricing"


class PricingPricing(BaseModel):
    quota_per_unit: int = Field(alias="quotaPerUnit")
    groups: list["PricingPricingGroups"]
    models: list["PricingPricingModels"]


class PricingPricingGroups(BaseModel):
    name: str
    ratio: Decimal
    description: str
    usable: bool


class PricingPricingModels(BaseModel):
    model_name: str = Field(alias="modelName")
    quota_type: int = Field(alias="quotaType")
    priced: bool
    model_ratio: Optional[Decimal] = Field(alias="modelRatio")
    completion_ratio: Optional[Decimal] = Field(alias="completionRatio")
    cache_ratio: Optional[Decimal] = Field(alias="cacheRatio")
    create_cache_ratio: Optional[Decimal] = Field(alias="createCacheRatio")
    model_price: Optional[Decimal] = Field(alias="modelPrice")
    enable_groups: list[str] = Field(alias="enableGroups")
    channels: Optional[list[str]]


Pricing.model_rebuild()
PricingPricing.model_rebuild()
