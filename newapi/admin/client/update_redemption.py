from typing import Literal, Union

from pydantic import Field

from .base_model import BaseModel


class UpdateRedemption(BaseModel):
    update_redemption: Union[
        "UpdateRedemptionUpdateRedemptionRedemption",
        "UpdateRedemptionUpdateRedemptionFieldErrors",
    ] = Field(alias="updateRedemption", discriminator="typename__")


class UpdateRedemptionUpdateRedemptionRedemption(BaseModel):
    typename__: Literal["Redemption"] = Field(alias="__typename")
    id: int
    name: str
    status: int
    quota: int
    expired_time: int = Field(alias="expiredTime")


class UpdateRedemptionUpdateRedemptionFieldErrors(BaseModel):
    typename__: Literal["FieldErrors"] = Field(alias="__typename")
    errors: list["UpdateRedemptionUpdateRedemptionFieldErrorsErrors"]


class UpdateRedemptionUpdateRedemptionFieldErrorsErrors(BaseModel):
    field: str
    message: str


UpdateRedemption.model_rebuild()
UpdateRedemptionUpdateRedemptionFieldErrors.model_rebuild()
