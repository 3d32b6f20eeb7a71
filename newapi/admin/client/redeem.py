from typing import Literal, Union

from pydantic import Field

from .base_model import BaseModel


class Redeem(BaseModel):
    redeem: Union["RedeemRedeemRedeemed", "RedeemRedeemFieldErrors"] = Field(
        discriminator="typename__"
    )


class RedeemRedeemRedeemed(BaseModel):
    typename__: Literal["Redeemed"] = Field(alias="__typename")
    quota: int
    redemption_id: int = Field(alias="redemptionId")


class RedeemRedeemFieldErrors(BaseModel):
    typename__: Literal["FieldErrors"] = Field(alias="__typename")
    errors: list["RedeemRedeemFieldErrorsErrors"]


class RedeemRedeemFieldErrorsErrors(BaseModel):
    field: str
    message: str


Redeem.model_rebuild()
RedeemRedeemFieldErrors.model_rebuild()
