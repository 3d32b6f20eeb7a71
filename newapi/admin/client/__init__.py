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
from .channel import Channel, ChannelChannel
from .channels import Channels, ChannelsChannels
from .create_channel import (
    CreateChannel,
    CreateChannelCreateChannelChannel,
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
from .delete_redemption import DeleteRedemption, DeleteRedemptionDeleteRedemption
from .delete_token import DeleteToken, DeleteTokenDeleteToken
from .delete_user import DeleteUser, DeleteUserDeleteUser
from .exceptions import (
    GraphQLClientError,
    GraphQLClientGraphQLError,
    GraphQLClientGraphQLMultiError,
    GraphQLClientHttpError,
    GraphQLClientInvalidResponseError,
)
from .generate_access_token import (
    GenerateAccessToken,
    GenerateAccessTokenGenerateAccessToken,
)
from .input_types import (
    ChannelInput,
    CreateRedemptionsInput,
    CreateTokenInput,
    CreateUserInput,
    UpdateChannelInput,
    UpdateRedemptionInput,
    UpdateTokenInput,
    UpdateUserInput,
)
from .login import (
    Login,
    LoginLoginFieldErrors,
    LoginLoginFieldErrorsErrors,
    LoginLoginLoginSuccess,
    LoginLoginLoginSuccessUser,
)
from .logout import Logout
from .logs import Logs, LogsLogs, LogsLogsItems
from .me import Me, MeMe
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
from .reveal_token_key import RevealTokenKey, RevealTokenKeyRevealTokenKey
from .setup_status import SetupStatus, SetupStatusSetupStatus
from .test_channel import TestChannel, TestChannelTestChannel
from .token import Token, TokenToken
from .tokens import Tokens, TokensTokens, TokensTokensItems, TokensTokensItemsOwner
from .update_channel import (
    UpdateChannel,
    UpdateChannelUpdateChannelChannel,
    UpdateChannelUpdateChannelFieldErrors,
    UpdateChannelUpdateChannelFieldErrorsErrors,
)
from .update_redemption import (
    UpdateRedemption,
    UpdateRedemptionUpdateRedemptionFieldErrors,
    UpdateRedemptionUpdateRedemptionFieldErrorsErrors,
    UpdateRedemptionUpdateRedemptionRedemption,
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
    "ChannelInput",
    "Channels",
    "ChannelsChannels",
    "CreateChannel",
    "CreateChannelCreateChannelChannel",
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
    "DeleteRedemption",
    "DeleteRedemptionDeleteRedemption",
    "DeleteToken",
    "DeleteTokenDeleteToken",
    "DeleteUser",
    "DeleteUserDeleteUser",
    "GenerateAccessToken",
    "GenerateAccessTokenGenerateAccessToken",
    "GraphQLClientError",
    "GraphQLClientGraphQLError",
    "GraphQLClientGraphQLMultiError",
    "GraphQLClientHttpError",
    "GraphQLClientInvalidResponseError",
    "Login",
    "LoginLoginFieldErrors",
    "LoginLoginFieldErrorsErrors",
    "LoginLoginLoginSuccess",
    "LoginLoginLoginSuccessUser",
    "Logout",
    "Logs",
    "LogsLogs",
    "LogsLogsItems",
    "Me",
    "MeMe",
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
    "RevealTokenKey",
    "RevealTokenKeyRevealTokenKey",
    "SetupStatus",
    "SetupStatusSetupStatus",
    "TestChannel",
    "TestChannelTestChannel",
    "Token",
    "TokenToken",
    "Tokens",
    "TokensTokens",
    "TokensTokensItems",
    "TokensTokensItemsOwner",
    "UpdateChannel",
    "UpdateChannelInput",
    "UpdateChannelUpdateChannelChannel",
    "UpdateChannelUpdateChannelFieldErrors",
    "UpdateChannelUpdateChannelFieldErrorsErrors",
    "UpdateRedemption",
    "UpdateRedemptionInput",
    "UpdateRedemptionUpdateRedemptionFieldErrors",
    "UpdateRedemptionUpdateRedemptionFieldErrorsErrors",
    "UpdateRedemptionUpdateRedemptionRedemption",
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
    "User",
    "UserUser",
    "Users",
    "UsersUsers",
    "UsersUsersItems",
]
