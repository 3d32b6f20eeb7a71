from pydantic import Field

from .base_model import BaseModel


class ResetUserTwoFactor(BaseModel):
    reset_user_two_factor: "ResetUserTwoFactorResetUserTwoFactor" = Field(
        alias="resetUserTwoFactor"
    )


class ResetUserTwoFactorResetUserTwoFactor(BaseModel):
    user_id: int = Field(alias="userId")
    was_set_up: bool = Field(alias="wasSetUp")


ResetUserTwoFactor.model_rebuild()
