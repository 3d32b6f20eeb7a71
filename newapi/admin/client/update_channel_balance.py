from decimal import Decimal
from typing import Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel


class UpdateChannelBalance(BaseModel):
    update_channel_balance: Union[
        "UpdateChannelBalanceUpdateChannelBalanceChannelBalance",
        "UpdateChannelBalanceUpdateChannelBalanceUpstreamFailure",
    ] = Field(alias="updateChannelBalance", discriminator="typename__")


class UpdateChannelBalanceUpdateChannelBalanceChannelBalance(BaseModel):
    typename__: Literal["ChannelBalance"] = Field(alias="__typename")
    channel_id: int = Field(alias="channelId")
    balance: Decimal
    currency: str
    updated_time: int = Field(alias="updatedTime")
    stored: bool


class UpdateChannelBalanceUpdateChannelBalanceUpstreamFailure(BaseModel):
    typename__: Literal["UpstreamFailure"] = Field(alias="__typename")
    code: str
    message: str
    status: Optional[int]


UpdateChannelBalance.model_rebuild()
