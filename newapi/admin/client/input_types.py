from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class ChannelInput(BaseModel):
    name: str
    type_: int = Field(alias="type")
    key: str
    base_url: str = Field(alias="baseUrl", default="")
    models: list[str] = Field(default_factory=lambda: [])
    groups: list[str] = Field(default_factory=lambda: ["default"])
    priority: int = 0
    weight: int = 0
    status: int = 1
    tag: str = ""
    test_model: str = Field(alias="testModel", default="")
    model_mapping: list["ModelMappingInput"] = Field(
        alias="modelMapping", default_factory=lambda: []
    )
    formats: Optional[list[str]] = None
    "Formats the channel speaks natively besides its provider's, kept in the row's setting (docs/formats.md); null: the provider's."


class CreateRedemptionsInput(BaseModel):
    name: str
    "1 to 20 characters."
    quota: int
    "Quota each code adds (500 000 = 1 USD)."
    count: int = 1
    "How many codes: 1 to 100."
    expires_at: Optional[int] = Field(alias="expiresAt", default=None)
    "Unix seconds; null or 0 never expires."


class CreateTokenInput(BaseModel):
    name: str
    remain_quota: int = Field(alias="remainQuota", default=0)
    unlimited_quota: bool = Field(alias="unlimitedQuota", default=False)
    expired_time: int = Field(alias="expiredTime", default=-1)
    "-1: never."
    model_limits: Optional[list[str]] = Field(alias="modelLimits", default=None)
    allow_ips: list[str] = Field(alias="allowIps", default_factory=lambda: [])
    group: str = ""


class CreateUserInput(BaseModel):
    username: str
    password: str
    display_name: Optional[str] = Field(alias="displayName", default=None)
    role: int = 1
    group: str = "default"
    quota: int = 0


class EditChannelTagInput(BaseModel):
    tag: str
    new_tag: Optional[str] = Field(alias="newTag", default=None)
    priority: Optional[int] = None
    weight: Optional[int] = None


class ModelMappingInput(BaseModel):
    model: str
    upstream_model: str = Field(alias="upstreamModel")


class RegisterInput(BaseModel):
    username: str
    password: str
    email: Optional[str] = None
    "Required (with verificationCode) when email verification is on."
    verification_code: Optional[str] = Field(alias="verificationCode", default=None)


class SettingInput(BaseModel):
    key: str
    value: str = ""
    "As stored: digits, true/false, text, or a JSON object for maps. For a secret, an empty value keeps the stored one."
    clear: bool = False
    "Delete the database value (give no value): the default applies again. The way to remove a secret."


class SetupInput(BaseModel):
    username: str
    password: str
    confirm_password: str = Field(alias="confirmPassword")


class UpdateChannelInput(BaseModel):
    id: int
    name: Optional[str] = None
    type_: Optional[int] = Field(alias="type", default=None)
    key: Optional[str] = None
    base_url: Optional[str] = Field(alias="baseUrl", default=None)
    models: Optional[list[str]] = None
    groups: Optional[list[str]] = None
    priority: Optional[int] = None
    weight: Optional[int] = None
    status: Optional[int] = None
    tag: Optional[str] = None
    test_model: Optional[str] = Field(alias="testModel", default=None)
    model_mapping: Optional[list["ModelMappingInput"]] = Field(
        alias="modelMapping", default=None
    )
    formats: Optional[list[str]] = None
    "null: back to the provider's native formats."


class UpdateRedemptionInput(BaseModel):
    id: int
    name: Optional[str] = None
    quota: Optional[int] = None
    status: Optional[int] = None
    "1 or 2."
    expires_at: Optional[int] = Field(alias="expiresAt", default=None)


class UpdateTokenInput(BaseModel):
    id: int
    name: Optional[str] = None
    status: Optional[int] = None
    remain_quota: Optional[int] = Field(alias="remainQuota", default=None)
    unlimited_quota: Optional[bool] = Field(alias="unlimitedQuota", default=None)
    expired_time: Optional[int] = Field(alias="expiredTime", default=None)
    model_limits: Optional[list[str]] = Field(alias="modelLimits", default=None)
    allow_ips: Optional[list[str]] = Field(alias="allowIps", default=None)
    group: Optional[str] = None


class UpdateUserInput(BaseModel):
    id: int
    username: Optional[str] = None
    password: Optional[str] = None
    "A new password; signs the user out everywhere."
    display_name: Optional[str] = Field(alias="displayName", default=None)
    group: Optional[str] = None
    quota: Optional[int] = None
    role: Optional[int] = None
    status: Optional[int] = None
    remark: Optional[str] = None


class UpstreamChannelInput(BaseModel):
    key: str
    provider: Optional[str] = None
    type_: Optional[int] = Field(alias="type", default=None)
    base_url: str = Field(alias="baseUrl", default="")


ChannelInput.model_rebuild()
UpdateChannelInput.model_rebuild()
