from typing import Literal, Union

from pydantic import Field

from .base_model import BaseModel


class CreateRedemptions(BaseModel):
    create_redemptions: Union[
        "CreateRedemptionsCreateRedemptionsRedemptionsCreated",
        "CreateRedemptionsCreateRedemptionsFieldErrors",
    ] = Field(alias="createRedemptions", discriminator="typename__")


class CreateRedemptionsCreateRedemptionsRedemptionsCreated(BaseModel):
    typename__: Literal["RedemptionsCreated"] = Field(alias="__typename")
    keys: list[str]
    items: list["CreateRedemptionsCreateRedemptionsRedemptionsCreatedItems"]


class CreateRedemptionsCreateRedemptionsRedemptionsCreatedItems(BaseModel):
    id: int
    name: str
    status: int
    quota: int
    expired_time: int = Field(alias="expiredTime")


class CreateRedemptionsCreateRedemptionsFieldErrors(BaseModel):
    typename__: Literal["FieldErrors"] = Field(alias="__typename")
    errors: list["CreateRedemptionsCreateRedemptionsFieldErrorsErrors"]


class CreateRedemptionsCreateRedemptionsFieldErrorsErrors(BaseModel):
    field: str
    message: str


CreateRedemptions.model_rebuild()
CreateRedemptionsCreateRedemptionsRedemptionsCreated.model_rebuild()
CreateRedemptionsCreateRedemptionsFieldErrors.model_rebuild()
