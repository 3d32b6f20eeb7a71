from .add_user_quota import (
    AddUserQuota,
    AddUserQuotaAddUserQuotaFieldErrors,
    AddUserQuotaAddUserQuotaFieldErrorsErrors,
    AddUserQuotaAddUserQuotaUser,
)
from .admin_client import AdminClient
from .all_dashboard import (
    AllDashboard,
    AllDashboardAllDashboard,
    AllDashboardAllDashboardByHour,
    AllDashboardAllDashboardByModel,
    AllDashboardAllDashboardByUser,
    AllDashboardAllDashboardSeries,
)
from .all_logs import AllLogs, AllLogsAllLogs, AllLogsAllLogsItems
from .async_base_client import AsyncBaseClient
from .base_model import BaseModel, Upload
from .change_password import (
    ChangePassword,
    ChangePasswordChangePasswordFieldErrors,
    ChangePasswordChangePasswordFieldErrorsErrors,
    ChangePasswordChangePasswordPasswordChanged,
)
from .channel import Channel, ChannelChannel, ChannelChannelModelMapping
from .channels import Channels, ChannelsChannels, ChannelsChannelsModelMapping
from .create_channel import (
    CreateChannel,
    CreateChannelCreateChannelChannel,
    CreateChannelCreateChannelChannelModelMapping,
    CreateChannelCreateChannelFieldErrors,
    CreateChannelCreateChannelFieldErrorsErrors,
)
from .create_redemptions import (
    CreateRedemptions,
    CreateRedemptionsCreateRedemptionsFieldErrors,
    CreateRedemptionsCreateRedemptionsFieldErrorsErrors,
    CreateRedemptionsCreateRedemptionsRedemptionsCreated,
    CreateRedemptionsCreateRedemptionsRedemptionsCreatedItems,
)
from .create_token import (
    CreateToken,
    CreateTokenCreateTokenFieldErrors,
    CreateTokenCreateTokenFieldErrorsErrors,
    CreateTokenCreateTokenTokenCreated,
    CreateTokenCreateTokenTokenCreatedToken,
)
from .create_user import (
    CreateUser,
    CreateUserCreateUserFieldErrors,
    CreateUserCreateUserFieldErrorsErrors,
    CreateUserCreateUserUser,
)
from .dashboard import (
    Dashboard,
    DashboardDashboard,
    DashboardDashboardByHour,
    DashboardDashboardByModel,
    DashboardDashboardSeries,
)
from .delete_channel import DeleteChannel, DeleteChannelDeleteChannel
from .delete_channels import (
    DeleteChannels,
    DeleteChannelsDeleteChannels,
    DeleteChannelsDeleteChannelsSkipped,
)
from .delete_disabled_channels import (
    DeleteDisabledChannels,
    DeleteDisabledChannelsDeleteDisabledChannels,
    DeleteDisabledChannelsDeleteDisabledChannelsSkipped,
)
from .delete_redemption import DeleteRedemption, DeleteRedemptionDeleteRedemption
from .delete_token import DeleteToken, DeleteTokenDeleteToken
from .delete_user import DeleteUser, DeleteUserDeleteUser
from .disable_two_factor import (
    DisableTwoFactor,
    DisableTwoFactorDisableTwoFactorFieldErrors,
    DisableTwoFactorDisableTwoFactorFieldErrorsErrors,
    DisableTwoFactorDisableTwoFactorTwoFactorDisabled,
)
from .edit_channel_tag import (
    EditChannelTag,
    EditChannelTagEditChannelTag,
    EditChannelTagEditChannelTagSkipped,
)
from .enable_two_factor import (
    EnableTwoFactor,
    EnableTwoFactorEnableTwoFactorFieldErrors,
    EnableTwoFactorEnableTwoFactorFieldErrorsErrors,
    EnableTwoFactorEnableTwoFactorTwoFactorEnabled,
)
from .enums import VerificationPurpose
from .exceptions import (
    GraphQLClientError,
    GraphQLClientGraphQLError,
    GraphQLClientGraphQLMultiError,
    GraphQLClientHttpError,
    GraphQLClientInvalidResponseError,
)
from .fetch_channel_models import (
    FetchChannelModels,
    FetchChannelModelsFetchChannelModelsChannelModels,
    FetchChannelModelsFetchChannelModelsFieldErrors,
    FetchChannelModelsFetchChannelModelsFieldErrorsErrors,
    FetchChannelModelsFetchChannelModelsUpstreamFailure,
)
from .generate_access_token import (
    GenerateAccessToken,
    GenerateAccessTokenGenerateAccessToken,
)
from .groups import Groups, GroupsGroups
from .input_types import (
    ChannelInput,
    CreateRedemptionsInput,
    CreateTokenInput,
    CreateUserInput,
    EditChannelTagInput,
    ModelMappingInput,
    RegisterInput,
    SettingInput,
    SetupInput,
    UpdateChannelInput,
    UpdateRedemptionInput,
    UpdateTokenInput,
    UpdateUserInput,
    UpstreamChannelInput,
)
from .login import (
    Login,
    LoginLoginFieldErrors,
    LoginLoginFieldErrorsErrors,
    LoginLoginLoginSuccess,
    LoginLoginLoginSuccessUser,
    LoginLoginTwoFactorRequired,
)
from .login_two_factor import (
    LoginTwoFactor,
    LoginTwoFactorLoginTwoFactorFieldErrors,
    LoginTwoFactorLoginTwoFactorFieldErrorsErrors,
    LoginTwoFactorLoginTwoFactorLoginSuccess,
    LoginTwoFactorLoginTwoFactorLoginSuccessUser,
    LoginTwoFactorLoginTwoFactorTwoFactorRequired,
)
from .logout import Logout
from .logs import Logs, LogsLogs, LogsLogsItems
from .me import Me, MeMe
from .pricing import Pricing, PricingPricing, PricingPricingGroups, PricingPricingModels
from .purge_redemptions import PurgeRedemptions
from .redeem import (
    Redeem,
    RedeemRedeemFieldErrors,
    RedeemRedeemFieldErrorsErrors,
    RedeemRedeemRedeemed,
)
from .redemptions import (
    Redemptions,
    RedemptionsRedemptions,
    RedemptionsRedemptionsItems,
    RedemptionsRedemptionsItemsCreatedBy,
    RedemptionsRedemptionsItemsUsedBy,
)
from .register import (
    Register,
    RegisterRegisteredFieldErrors,
    RegisterRegisteredFieldErrorsErrors,
    RegisterRegisteredRegistered,
)
from .reset_password import (
    ResetPassword,
    ResetPasswordResetPasswordFieldErrors,
    ResetPasswordResetPasswordFieldErrorsErrors,
    ResetPasswordResetPasswordPasswordResetDone,
)
from .reset_user_two_factor import (
    ResetUserTwoFactor,
    ResetUserTwoFactorResetUserTwoFactor,
)
from .reveal_token_key import RevealTokenKey, RevealTokenKeyRevealTokenKey
from .send_verification_code import (
    SendVerificationCode,
    SendVerificationCodeSendVerificationCodeFieldErrors,
    SendVerificationCodeSendVerificationCodeFieldErrorsErrors,
    SendVerificationCodeSendVerificationCodeVerificationCodeSent,
)
from .set_channels_status import (
    SetChannelsStatus,
    SetChannelsStatusSetChannelsStatus,
    SetChannelsStatusSetChannelsStatusSkipped,
)
from .set_channels_tag import (
    SetChannelsTag,
    SetChannelsTagSetChannelsTag,
    SetChannelsTagSetChannelsTagSkipped,
)
from .set_tag_status import (
    SetTagStatus,
    SetTagStatusSetTagStatus,
    SetTagStatusSetTagStatusSkipped,
)
from .settings import Settings, SettingsSettings
from .setup import (
    Setup,
    SetupSetupFieldErrors,
    SetupSetupFieldErrorsErrors,
    SetupSetupSetupComplete,
)
from .setup_status import SetupStatus, SetupStatusSetupStatus
from .setup_two_factor import (
    SetupTwoFactor,
    SetupTwoFactorSetupTwoFactorFieldErrors,
    SetupTwoFactorSetupTwoFactorFieldErrorsErrors,
    SetupTwoFactorSetupTwoFactorTwoFactorSetup,
)
from .site_info import SiteInfo, SiteInfoSiteInfo
from .test_channel import TestChannel, TestChannelTestChannel
from .token import Token, TokenToken
from .tokens import Tokens, TokensTokens, TokensTokensItems, TokensTokensItemsOwner
from .two_factor_status import TwoFactorStatus, TwoFactorStatusTwoFactorStatus
from .update_channel import (
    UpdateChannel,
    UpdateChannelUpdateChannelChannel,
    UpdateChannelUpdateChannelChannelModelMapping,
    UpdateChannelUpdateChannelFieldErrors,
    UpdateChannelUpdateChannelFieldErrorsErrors,
)
from .update_channel_balance import (
    UpdateChannelBalance,
    UpdateChannelBalanceUpdateChannelBalanceChannelBalance,
    UpdateChannelBalanceUpdateChannelBalanceUpstreamFailure,
)
from .update_channel_balances import (
    UpdateChannelBalances,
    UpdateChannelBalancesUpdateChannelBalances,
    UpdateChannelBalancesUpdateChannelBalancesResultChannelBalance,
    UpdateChannelBalancesUpdateChannelBalancesResultUpstreamFailure,
)
from .update_redemption import (
    UpdateRedemption,
    UpdateRedemptionUpdateRedemptionFieldErrors,
    UpdateRedemptionUpdateRedemptionFieldErrorsErrors,
    UpdateRedemptionUpdateRedemptionRedemption,
)
from .update_settings import (
    UpdateSettings,
    UpdateSettingsUpdateSettingsFieldErrors,
    UpdateSettingsUpdateSettingsFieldErrorsErrors,
    UpdateSettingsUpdateSettingsSettingList,
    UpdateSettingsUpdateSettingsSettingListSettings,
)
from .update_token import (
    UpdateToken,
    UpdateTokenUpdateTokenFieldErrors,
    UpdateTokenUpdateTokenFieldErrorsErrors,
    UpdateTokenUpdateTokenToken,
)
from .update_user import (
    UpdateUser,
    UpdateUserUpdateUserFieldErrors,
    UpdateUserUpdateUserFieldErrorsErrors,
    UpdateUserUpdateUserUser,
)
from .user import User, UserUser
from .users import Users, UsersUsers, UsersUsersItems

__all__ = [
    "AddUserQuota",
    "AddUserQuotaAddUserQuotaFieldErrors",
    "AddUserQuotaAddUserQuotaFieldErrorsErrors",
    "AddUserQuotaAddUserQuotaUser",
    "AdminClient",
    "AllDashboard",
    "AllDashboardAllDashboard",
    "AllDashboardAllDashboardByHour",
    "AllDashboardAllDashboardByModel",
    "AllDashboardAllDashboardByUser",
    "AllDashboardAllDashboardSeries",
    "AllLogs",
    "AllLogsAllLogs",
    "AllLogsAllLogsItems",
    "AsyncBaseClient",
    "BaseModel",
    "ChangePassword",
    "ChangePasswordChangePasswordFieldErrors",
    "ChangePasswordChangePasswordFieldErrorsErrors",
    "ChangePasswordChangePasswordPasswordChanged",
    "Channel",
    "ChannelChannel",
    "ChannelChannelModelMapping",
    "ChannelInput",
    "Channels",
    "ChannelsChannels",
    "ChannelsChannelsModelMapping",
    "CreateChannel",
    "CreateChannelCreateChannelChannel",
    "CreateChannelCreateChannelChannelModelMapping",
    "CreateChannelCreateChannelFieldErrors",
    "CreateChannelCreateChannelFieldErrorsErrors",
    "CreateRedemptions",
    "CreateRedemptionsCreateRedemptionsFieldErrors",
    "CreateRedemptionsCreateRedemptionsFieldErrorsErrors",
    "CreateRedemptionsCreateRedemptionsRedemptionsCreated",
    "CreateRedemptionsCreateRedemptionsRedemptionsCreatedItems",
    "CreateRedemptionsInput",
    "CreateToken",
    "CreateTokenCreateTokenFieldErrors",
    "CreateTokenCreateTokenFieldErrorsErrors",
    "CreateTokenCreateTokenTokenCreated",
    "CreateTokenCreateTokenTokenCreatedToken",
    "CreateTokenInput",
    "CreateUser",
    "CreateUserCreateUserFieldErrors",
    "CreateUserCreateUserFieldErrorsErrors",
    "CreateUserCreateUserUser",
    "CreateUserInput",
    "Dashboard",
    "DashboardDashboard",
    "DashboardDashboardByHour",
    "DashboardDashboardByModel",
    "DashboardDashboardSeries",
    "DeleteChannel",
    "DeleteChannelDeleteChannel",
    "DeleteChannels",
    "DeleteChannelsDeleteChannels",
    "DeleteChannelsDeleteChannelsSkipped",
    "DeleteDisabledChannels",
    "DeleteDisabledChannelsDeleteDisabledChannels",
    "DeleteDisabledChannelsDeleteDisabledChannelsSkipped",
    "DeleteRedemption",
    "DeleteRedemptionDeleteRedemption",
    "DeleteToken",
    "DeleteTokenDeleteToken",
    "DeleteUser",
    "DeleteUserDeleteUser",
    "DisableTwoFactor",
    "DisableTwoFactorDisableTwoFactorFieldErrors",
    "DisableTwoFactorDisableTwoFactorFieldErrorsErrors",
    "DisableTwoFactorDisableTwoFactorTwoFactorDisabled",
    "EditChannelTag",
    "EditChannelTagEditChannelTag",
    "EditChannelTagEditChannelTagSkipped",
    "EditChannelTagInput",
    "EnableTwoFactor",
    "EnableTwoFactorEnableTwoFactorFieldErrors",
    "EnableTwoFactorEnableTwoFactorFieldErrorsErrors",
    "EnableTwoFactorEnableTwoFactorTwoFactorEnabled",
    "FetchChannelModels",
    "FetchChannelModelsFetchChannelModelsChannelModels",
    "FetchChannelModelsFetchChannelModelsFieldErrors",
    "FetchChannelModelsFetchChannelModelsFieldErrorsErrors",
    "FetchChannelModelsFetchChannelModelsUpstreamFailure",
    "GenerateAccessToken",
    "GenerateAccessTokenGenerateAccessToken",
    "GraphQLClientError",
    "GraphQLClientGraphQLError",
    "GraphQLClientGraphQLMultiError",
    "GraphQLClientHttpError",
    "GraphQLClientInvalidResponseError",
    "Groups",
    "GroupsGroups",
    "Login",
    "LoginLoginFieldErrors",
    "LoginLoginFieldErrorsErrors",
    "LoginLoginLoginSuccess",
    "LoginLoginLoginSuccessUser",
    "LoginLoginTwoFactorRequired",
    "LoginTwoFactor",
    "LoginTwoFactorLoginTwoFactorFieldErrors",
    "LoginTwoFactorLoginTwoFactorFieldErrorsErrors",
    "LoginTwoFactorLoginTwoFactorLoginSuccess",
    "LoginTwoFactorLoginTwoFactorLoginSuccessUser",
    "LoginTwoFactorLoginTwoFactorTwoFactorRequired",
    "Logout",
    "Logs",
    "LogsLogs",
    "LogsLogsItems",
    "Me",
    "MeMe",
    "ModelMappingInput",
    "Pricing",
    "PricingPricing",
    "PricingPricingGroups",
    "PricingPricingModels",
    "PurgeRedemptions",
    "Redeem",
    "RedeemRedeemFieldErrors",
    "RedeemRedeemFieldErrorsErrors",
    "RedeemRedeemRedeemed",
    "Redemptions",
    "RedemptionsRedemptions",
    "RedemptionsRedemptionsItems",
    "RedemptionsRedemptionsItemsCreatedBy",
    "RedemptionsRedemptionsItemsUsedBy",
    "Register",
    "RegisterInput",
    "RegisterRegisteredFieldErrors",
    "RegisterRegisteredFieldErrorsErrors",
    "RegisterRegisteredRegistered",
    "ResetPassword",
    "ResetPasswordResetPasswordFieldErrors",
    "ResetPasswordResetPasswordFieldErrorsErrors",
    "ResetPasswordResetPasswordPasswordResetDone",
    "ResetUserTwoFactor",
    "ResetUserTwoFactorResetUserTwoFactor",
    "RevealTokenKey",
    "RevealTokenKeyRevealTokenKey",
    "SendVerificationCode",
    "SendVerificationCodeSendVerificationCodeFieldErrors",
    "SendVerificationCodeSendVerificationCodeFieldErrorsErrors",
    "SendVerificationCodeSendVerificationCodeVerificationCodeSent",
    "SetChannelsStatus",
    "SetChannelsStatusSetChannelsStatus",
    "SetChannelsStatusSetChannelsStatusSkipped",
    "SetChannelsTag",
    "SetChannelsTagSetChannelsTag",
    "SetChannelsTagSetChannelsTagSkipped",
    "SetTagStatus",
    "SetTagStatusSetTagStatus",
    "SetTagStatusSetTagStatusSkipped",
    "SettingInput",
    "Settings",
    "SettingsSettings",
    "Setup",
    "SetupInput",
    "SetupSetupFieldErrors",
    "SetupSetupFieldErrorsErrors",
    "SetupSetupSetupComplete",
    "SetupStatus",
    "SetupStatusSetupStatus",
    "SetupTwoFactor",
    "SetupTwoFactorSetupTwoFactorFieldErrors",
    "SetupTwoFactorSetupTwoFactorFieldErrorsErrors",
    "SetupTwoFactorSetupTwoFactorTwoFactorSetup",
    "SiteInfo",
    "SiteInfoSiteInfo",
    "TestChannel",
    "TestChannelTestChannel",
    "Token",
    "TokenToken",
    "Tokens",
    "TokensTokens",
    "TokensTokensItems",
    "TokensTokensItemsOwner",
    "TwoFactorStatus",
    "TwoFactorStatusTwoFactorStatus",
    "UpdateChannel",
    "UpdateChannelBalance",
    "UpdateChannelBalanceUpdateChannelBalanceChannelBalance",
    "UpdateChannelBalanceUpdateChannelBalanceUpstreamFailure",
    "UpdateChannelBalances",
    "UpdateChannelBalancesUpdateChannelBalances",
    "UpdateChannelBalancesUpdateChannelBalancesResultChannelBalance",
    "UpdateChannelBalancesUpdateChannelBalancesResultUpstreamFailure",
    "UpdateChannelInput",
    "UpdateChannelUpdateChannelChannel",
    "UpdateChannelUpdateChannelChannelModelMapping",
    "UpdateChannelUpdateChannelFieldErrors",
    "UpdateChannelUpdateChannelFieldErrorsErrors",
    "UpdateRedemption",
    "UpdateRedemptionInput",
    "UpdateRedemptionUpdateRedemptionFieldErrors",
    "UpdateRedemptionUpdateRedemptionFieldErrorsErrors",
    "UpdateRedemptionUpdateRedemptionRedemption",
    "UpdateSettings",
    "UpdateSettingsUpdateSettingsFieldErrors",
    "UpdateSettingsUpdateSettingsFieldErrorsErrors",
    "UpdateSettingsUpdateSettingsSettingList",
    "UpdateSettingsUpdateSettingsSettingListSettings",
    "UpdateToken",
    "UpdateTokenInput",
    "UpdateTokenUpdateTokenFieldErrors",
    "UpdateTokenUpdateTokenFieldErrorsErrors",
    "UpdateTokenUpdateTokenToken",
    "UpdateUser",
    "UpdateUserInput",
    "UpdateUserUpdateUserFieldErrors",
    "UpdateUserUpdateUserFieldErrorsErrors",
    "UpdateUserUpdateUserUser",
    "Upload",
    "UpstreamChannelInput",
    "User",
    "UserUser",
    "Users",
    "UsersUsers",
    "UsersUsersItems",
    "VerificationPurpose",
]
