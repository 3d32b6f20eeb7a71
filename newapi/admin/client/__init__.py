from .add_user_quota import (
    AddUserQuota,
    AddUserQuotaAddUserQuotaFieldErrors,
    AddUserQuotaAddUserQuotaFieldErrorsErrors,
    AddUserQuotaAddUserQuotaUser,
)
from .admin_client import AdminClient
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
from .delete_token import DeleteToken, DeleteTokenDeleteToken
from .delete_user import DeleteUser, DeleteUserDeleteUser
from .edit_channel_tag import (
    EditChannelTag,
    EditChannelTagEditChannelTag,
    EditChannelTagEditChannelTagSkipped,
)
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
from .input_types import (
    ChannelInput,
    CreateTokenInput,
    CreateUserInput,
    EditChannelTagInput,
    ModelMappingInput,
    UpdateChannelInput,
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
)
from .logout import Logout
from .logs import Logs, LogsLogs, LogsLogsItems
from .me import Me, MeMe
from .reveal_token_key import RevealTokenKey, RevealTokenKeyRevealTokenKey
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
from .setup_status import SetupStatus, SetupStatusSetupStatus
from .test_channel import TestChannel, TestChannelTestChannel
from .token import Token, TokenToken
from .tokens import Tokens, TokensTokens, TokensTokensItems, TokensTokensItemsOwner
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
    "DeleteChannel",
    "DeleteChannelDeleteChannel",
    "DeleteChannels",
    "DeleteChannelsDeleteChannels",
    "DeleteChannelsDeleteChannelsSkipped",
    "DeleteDisabledChannels",
    "DeleteDisabledChannelsDeleteDisabledChannels",
    "DeleteDisabledChannelsDeleteDisabledChannelsSkipped",
    "DeleteToken",
    "DeleteTokenDeleteToken",
    "DeleteUser",
    "DeleteUserDeleteUser",
    "EditChannelTag",
    "EditChannelTagEditChannelTag",
    "EditChannelTagEditChannelTagSkipped",
    "EditChannelTagInput",
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
    "ModelMappingInput",
    "RevealTokenKey",
    "RevealTokenKeyRevealTokenKey",
    "SetChannelsStatus",
    "SetChannelsStatusSetChannelsStatus",
    "SetChannelsStatusSetChannelsStatusSkipped",
    "SetChannelsTag",
    "SetChannelsTagSetChannelsTag",
    "SetChannelsTagSetChannelsTagSkipped",
    "SetTagStatus",
    "SetTagStatusSetTagStatus",
    "SetTagStatusSetTagStatusSkipped",
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
]
