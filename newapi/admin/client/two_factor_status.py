from pydantic import Field

from .base_model import BaseModel


class TwoFactorStatus(BaseModel):
    two_factor_status: "TwoFactorStatusTwoFactorStatus" = Field(alias="twoFactorStatus")


class TwoFactorStatusTwoFactorStatus(BaseModel):
    enabled: bool
    backup_codes_left: int = Field(alias="backupCodesLeft")
    locked_until: int = Field(alias="lockedUntil")


TwoFactorStatus.model_rebuild()
