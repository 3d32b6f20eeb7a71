from decimal import Decimal
from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel


class UpdateChannelBalances(BaseModel):
    update_channel_balances: list["UpdateChannelBalancesUpdateChannelBalances"] = Field(
        alias="updateChannelBalances"
    )


class UpdateChannelBalancesUpdateChannelBalances(BaseModel):
    channel_id: int = Field(alias="channelId")
    result: Union[
        "UpdateChannelBalancesUpdateChannelBalancesResultChannelBalance",
        "UpdateChannelBalancesUpdateChannelBalancesResultUpstreamFailure",
    ] = Field(discriminator="typename__")


class UpdateChannelBalancesUpdateChannelBalancesResultChannelBalance(BaseModel):
    typename__: Literal["ChannelBalance"] = Field(alias="__typename")
    channel_id: int = Field(alias="channelId")
    balance: Decimal
    currency: str
    updated_time: int = Field(alias="updatedTime")
    stored: bool


class UpdateChannelBalancesUpdateChannelBalancesResultUpstreamFailure(BaseModel):
    typename__: Literal["UpstreamFailure"] = Field(alias="__typename")
    code: str
    message: str
    status: Optional[int]


UpdateChannelBalances.model_rebuild()
UpdateChannelBalancesUpdateChannelBalances.model_rebuild()
