from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel


class FetchChannelModels(BaseModel):
    fetch_channel_models: Union[
        "FetchChannelModelsFetchChannelModelsChannelModels",
        "FetchChannelModelsFetchChannelModelsUpstreamFailure",
        "FetchChannelModelsFetchChannelModelsFieldErrors",
    ] = Field(alias="fetchChannelModels", discriminator="typename__")


class FetchChannelModelsFetchChannelModelsChannelModels(BaseModel):
    typename__: Literal["ChannelModels"] = Field(alias="__typename")
    models: list[str]


class FetchChannelModelsFetchChannelModelsUpstreamFailure(BaseModel):
    typename__: Literal["UpstreamFailure"] = Field(alias="__typename")
    code: str
    message: str
    status: Optional[int]


class FetchChannelModelsFetchChannelModelsFieldErrors(BaseModel):
    typename__: Literal["FieldErrors"] = Field(alias="__typename")
    errors: list["FetchChannelModelsFetchChannelModelsFieldErrorsErrors"]


class FetchChannelModelsFetchChannelModelsFieldErrorsErrors(BaseModel):
    field: str
    message: str


FetchChannelModels.model_rebuild()
FetchChannelModelsFetchChannelModelsFieldErrors.model_rebuild()
