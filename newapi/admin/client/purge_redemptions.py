from pydantic import Field

from .base_model import BaseModel


class PurgeRedemptions(BaseModel):
    purge_redemptions: int = Field(alias="purgeRedemptions")
