from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class Redemptions(BaseModel):
    redemptions: "RedemptionsRedemptions"


class RedemptionsRedemptions(BaseModel):
    total: int
    page: int
    page_size: int = Field(alias="pageSize")
    items: list["RedemptionsRedemptionsItems"]


class RedemptionsRedemptionsItems(BaseModel):
    id: int
    name: str
    key: str
    status: int
    quota: int
    created_time: int = Field(alias="createdTime")
    redeemed_time: int = Field(alias="redeemedTime")
    expired_time: int = Field(alias="expiredTime")
    created_by: Optional["RedemptionsRedemptionsItemsCreatedBy"] = Field(
        alias="createdBy"
    )
    used_by: Optional["RedemptionsRedemptionsItemsUsedBy"] = Field(alias="usedBy")


class RedemptionsRedemptionsItemsCreatedBy(BaseModel):
    id: int
    username: str


class RedemptionsRedemptionsItemsUsedBy(BaseModel):
    id: int
    username: str


Redemptions.model_rebuild()
RedemptionsRedemptions.model_rebuild()
RedemptionsRedemptionsItems.model_rebuild()
