from pydantic import Field

from .base_model import BaseModel


class DeleteRedemption(BaseModel):
    delete_redemption: "DeleteRedemptionDeleteRedemption" = Field(
        alias="deleteRedemption"
    )


class DeleteRedemptionDeleteRedemption(BaseModel):
    id: int
    deleted: bool


DeleteRedemption.model_rebuild()
