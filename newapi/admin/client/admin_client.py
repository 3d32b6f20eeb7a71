from typing import Any, Optional, Union

from .add_user_quota import AddUserQuota
from .all_dashboard import AllDashboard
from .all_logs import AllLogs
from .async_base_client import AsyncBaseClient
from .base_model import UNSET, UnsetType
from .change_password import ChangePassword
from .channel import Channel
from .channels import Channels
from .create_channel import CreateChannel
from .create_redemptions import CreateRedemptions
from .create_token import CreateToken
from .create_user import CreateUser
from .dashboard import Dashboard
from .delete_channel import DeleteChannel
from .delete_channels import DeleteChannels
from .delete_disabled_channels import DeleteDisabledChannels
from .delete_redemption import DeleteRedemption
from .delete_token import DeleteToken
from .delete_user import DeleteUser
from .disable_two_factor import DisableTwoFactor
from .edit_channel_tag import EditChannelTag
from .enable_two_factor import EnableTwoFactor
from .enums import VerificationPurpose
from .fetch_channel_models import FetchChannelModels
from .generate_access_token import GenerateAccessToken
from .groups import Groups
from .input_types import (
    ChannelInput,
    CreateRedemptionsInput,
    CreateTokenInput,
    CreateUserInput,
    EditChannelTagInput,
    RegisterInput,
    SettingInput,
    SetupInput,
    UpdateChannelInput,
    UpdateRedemptionInput,
    UpdateTokenInput,
    UpdateUserInput,
    UpstreamChannelInput,
)
from .login import Login
from .login_two_factor import LoginTwoFactor
from .logout import Logout
from .logs import Logs
from .me import Me
from .pricing import Pricing
from .purge_redemptions import PurgeRedemptions
from .redeem import Redeem
from .redemptions import Redemptions
from .register import Register
from .reset_password import ResetPassword
from .reset_user_two_factor import ResetUserTwoFactor
from .reveal_token_key import RevealTokenKey
from .send_verification_code import SendVerificationCode
from .set_channels_status import SetChannelsStatus
from .set_channels_tag import SetChannelsTag
from .set_tag_status import SetTagStatus
from .settings import Settings
from .setup import Setup
from .setup_status import SetupStatus
from .setup_two_factor import SetupTwoFactor
from .site_info import SiteInfo
from .test_channel import TestChannel
from .token import Token
from .tokens import Tokens
from .two_factor_status import TwoFactorStatus
from .update_channel import UpdateChannel
from .update_channel_balance import UpdateChannelBalance
from .update_channel_balances import UpdateChannelBalances
from .update_redemption import UpdateRedemption
from .update_settings import UpdateSettings
from .update_token import UpdateToken
from .update_user import UpdateUser
from .user import User
from .users import Users


def gql(q: str) -> str:
    return q


class AdminClient(AsyncBaseClient):
    async def add_user_quota(self, id: int, amount: int, **kwargs: Any) -> AddUserQuota:
        query = gql("""
            mutation AddUserQuota($id: Int!, $amount: BigInt!) {
              addUserQuota(id: $id, amount: $amount) {
                __typename
                ... on User {
                  id
                  quota
                }
                ... on FieldErrors {
                  errors {
                    field
                    message
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"id": id, "amount": amount}
        response = await self.execute(
            query=query, operation_name="AddUserQuota", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return AddUserQuota.model_validate(data)

    async def all_dashboard(
        self,
        start: Union[Optional[int], UnsetType] = UNSET,
        end: Union[Optional[int], UnsetType] = UNSET,
        user_id: Union[Optional[int], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> AllDashboard:
        query = gql("""
            query AllDashboard($start: BigInt, $end: BigInt, $userId: Int) {
              allDashboard(start: $start, end: $end, userId: $userId) {
                start
                end
                count
                quota
                tokenUsed
                rpm
                tpm
                series {
                  hour
                  modelName
                  count
                  quota
                  tokenUsed
                }
                byHour {
                  hour
                  count
                  quota
                  tokenUsed
                }
                byUser {
                  userId
                  username
                  count
                  quota
                  tokenUsed
                }
                byModel {
                  modelName
                  count
                  quota
                  tokenUsed
                }
              }
            }
            """)
        variables: dict[str, object] = {"start": start, "end": end, "userId": user_id}
        response = await self.execute(
            query=query, operation_name="AllDashboard", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return AllDashboard.model_validate(data)

    async def all_logs(
        self,
        start: Union[Optional[int], UnsetType] = UNSET,
        end: Union[Optional[int], UnsetType] = UNSET,
        log_type: Union[Optional[int], UnsetType] = UNSET,
        user_id: Union[Optional[int], UnsetType] = UNSET,
        username: Union[Optional[str], UnsetType] = UNSET,
        model_name: Union[Optional[str], UnsetType] = UNSET,
        token_name: Union[Optional[str], UnsetType] = UNSET,
        channel: Union[Optional[int], UnsetType] = UNSET,
        group: Union[Optional[str], UnsetType] = UNSET,
        request_id: Union[Optional[str], UnsetType] = UNSET,
        page: Union[Optional[int], UnsetType] = UNSET,
        page_size: Union[Optional[int], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> AllLogs:
        query = gql("""
            query AllLogs($start: BigInt, $end: BigInt, $logType: Int, $userId: Int, $username: String, $modelName: String, $tokenName: String, $channel: Int, $group: String, $requestId: String, $page: Int, $pageSize: Int) {
              allLogs(
                start: $start
                end: $end
                type: $logType
                userId: $userId
                username: $username
                modelName: $modelName
                tokenName: $tokenName
                channel: $channel
                group: $group
                requestId: $requestId
                page: $page
                pageSize: $pageSize
              ) {
                total
                page
                pageSize
                quota
                promptTokens
                completionTokens
                items {
                  id
                  createdAt
                  type
                  content
                  userId
                  username
                  modelName
                  tokenName
                  channel
                  channelName
                  quota
                  promptTokens
                  completionTokens
                  useTime
                  isStream
                  group
                  requestId
                  other
                }
              }
            }
            """)
        variables: dict[str, object] = {
            "start": start,
            "end": end,
            "logType": log_type,
            "userId": user_id,
            "username": username,
            "modelName": model_name,
            "tokenName": token_name,
            "channel": channel,
            "group": group,
            "requestId": request_id,
            "page": page,
            "pageSize": page_size,
        }
        response = await self.execute(
            query=query, operation_name="AllLogs", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return AllLogs.model_validate(data)

    async def change_password(
        self, old_password: str, new_password: str, **kwargs: Any
    ) -> ChangePassword:
        query = gql("""
            mutation ChangePassword($oldPassword: String!, $newPassword: String!) {
              changePassword(oldPassword: $oldPassword, newPassword: $newPassword) {
                __typename
                ... on PasswordChanged {
                  csrfToken
                }
                ... on FieldErrors {
                  errors {
                    field
                    message
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {
            "oldPassword": old_password,
            "newPassword": new_password,
        }
        response = await self.execute(
            query=query, operation_name="ChangePassword", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return ChangePassword.model_validate(data)

    async def channel(self, id: int, **kwargs: Any) -> Channel:
        query = gql("""
            query Channel($id: Int!) {
              channel(id: $id) {
                id
                name
                source
                readOnly
                type
                provider
                baseUrl
                key
                models
                groups
                priority
                weight
                enabled
                status
                tag
                testModel
                modelMapping {
                  model
                  upstreamModel
                }
                balance
                balanceUpdatedTime
                loaded
                autoDisabled
              }
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query, operation_name="Channel", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Channel.model_validate(data)

    async def channels(
        self,
        search: Union[Optional[str], UnsetType] = UNSET,
        tag: Union[Optional[str], UnsetType] = UNSET,
        enabled: Union[Optional[bool], UnsetType] = UNSET,
        group: Union[Optional[str], UnsetType] = UNSET,
        model: Union[Optional[str], UnsetType] = UNSET,
        type_: Union[Optional[int], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> Channels:
        query = gql("""
            query Channels($search: String, $tag: String, $enabled: Boolean, $group: String, $model: String, $type: Int) {
              channels(
                search: $search
                tag: $tag
                enabled: $enabled
                group: $group
                model: $model
                type: $type
              ) {
                id
                name
                source
                readOnly
                type
                provider
                baseUrl
                key
                models
                groups
                priority
                weight
                enabled
                status
                tag
                testModel
                modelMapping {
                  model
                  upstreamModel
                }
                balance
                balanceUpdatedTime
                loaded
                autoDisabled
              }
            }
            """)
        variables: dict[str, object] = {
            "search": search,
            "tag": tag,
            "enabled": enabled,
            "group": group,
            "model": model,
            "type": type_,
        }
        response = await self.execute(
            query=query, operation_name="Channels", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Channels.model_validate(data)

    async def create_channel(self, input: ChannelInput, **kwargs: Any) -> CreateChannel:
        query = gql("""
            mutation CreateChannel($input: ChannelInput!) {
              createChannel(input: $input) {
                __typename
                ... on Channel {
                  id
                  name
                  source
                  readOnly
                  type
                  provider
                  baseUrl
                  key
                  models
                  groups
                  priority
                  weight
                  enabled
                  status
                  tag
                  testModel
                  modelMapping {
                    model
                    upstreamModel
                  }
                  balance
                  balanceUpdatedTime
                  loaded
                  autoDisabled
                }
                ... on FieldErrors {
                  errors {
                    field
                    message
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="CreateChannel", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return CreateChannel.model_validate(data)

    async def create_redemptions(
        self, input: CreateRedemptionsInput, **kwargs: Any
    ) -> CreateRedemptions:
        query = gql("""
            mutation CreateRedemptions($input: CreateRedemptionsInput!) {
              createRedemptions(input: $input) {
                __typename
                ... on RedemptionsCreated {
                  keys
                  items {
                    id
                    name
                    status
                    quota
                    expiredTime
                  }
                }
                ... on FieldErrors {
                  errors {
                    field
                    message
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="CreateRedemptions",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return CreateRedemptions.model_validate(data)

    async def create_token(self, input: CreateTokenInput, **kwargs: Any) -> CreateToken:
        query = gql("""
            mutation CreateToken($input: CreateTokenInput!) {
              createToken(input: $input) {
                __typename
                ... on TokenCreated {
                  key
                  token {
                    id
                    name
                    key
                    status
                    createdTime
                    accessedTime
                    expiredTime
                    remainQuota
                    unlimitedQuota
                    usedQuota
                    modelLimits
                    allowIps
                    group
                  }
                }
                ... on FieldErrors {
                  errors {
                    field
                    message
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="CreateToken", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return CreateToken.model_validate(data)

    async def create_user(self, input: CreateUserInput, **kwargs: Any) -> CreateUser:
        query = gql("""
            mutation CreateUser($input: CreateUserInput!) {
              createUser(input: $input) {
                __typename
                ... on User {
                  id
                  username
                  displayName
                  email
                  role
                  status
                  group
                  quota
                  usedQuota
                  requestCount
                  remark
                  createdAt
                  lastLoginAt
                }
                ... on FieldErrors {
                  errors {
                    field
                    message
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="CreateUser", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return CreateUser.model_validate(data)

    async def dashboard(
        self,
        start: Union[Optional[int], UnsetType] = UNSET,
        end: Union[Optional[int], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> Dashboard:
        query = gql("""
            query Dashboard($start: BigInt, $end: BigInt) {
              dashboard(start: $start, end: $end) {
                start
                end
                count
                quota
                tokenUsed
                rpm
                tpm
                series {
                  hour
                  modelName
                  count
                  quota
                  tokenUsed
                }
                byHour {
                  hour
                  count
                  quota
                  tokenUsed
                }
                byModel {
                  modelName
                  count
                  quota
                  tokenUsed
                }
              }
            }
            """)
        variables: dict[str, object] = {"start": start, "end": end}
        response = await self.execute(
            query=query, operation_name="Dashboard", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Dashboard.model_validate(data)

    async def delete_channel(self, id: int, **kwargs: Any) -> DeleteChannel:
        query = gql("""
            mutation DeleteChannel($id: Int!) {
              deleteChannel(id: $id) {
                id
                deleted
              }
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query, operation_name="DeleteChannel", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return DeleteChannel.model_validate(data)

    async def delete_channels(self, ids: list[int], **kwargs: Any) -> DeleteChannels:
        query = gql("""
            mutation DeleteChannels($ids: [Int!]!) {
              deleteChannels(ids: $ids) {
                changed
                skipped {
                  id
                  reason
                }
              }
            }
            """)
        variables: dict[str, object] = {"ids": ids}
        response = await self.execute(
            query=query, operation_name="DeleteChannels", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return DeleteChannels.model_validate(data)

    async def delete_disabled_channels(self, **kwargs: Any) -> DeleteDisabledChannels:
        query = gql("""
            mutation DeleteDisabledChannels {
              deleteDisabledChannels {
                changed
                skipped {
                  id
                  reason
                }
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query,
            operation_name="DeleteDisabledChannels",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return DeleteDisabledChannels.model_validate(data)

    async def delete_redemption(self, id: int, **kwargs: Any) -> DeleteRedemption:
        query = gql("""
            mutation DeleteRedemption($id: Int!) {
              deleteRedemption(id: $id) {
                id
                deleted
              }
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query,
            operation_name="DeleteRedemption",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return DeleteRedemption.model_validate(data)

    async def delete_token(self, id: int, **kwargs: Any) -> DeleteToken:
        query = gql("""
            mutation DeleteToken($id: Int!) {
              deleteToken(id: $id) {
                id
                deleted
              }
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query, operation_name="DeleteToken", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return DeleteToken.model_validate(data)

    async def delete_user(self, id: int, **kwargs: Any) -> DeleteUser:
        query = gql("""
            mutation DeleteUser($id: Int!) {
              deleteUser(id: $id) {
                id
                deleted
              }
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query, operation_name="DeleteUser", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return DeleteUser.model_validate(data)

    async def disable_two_factor(self, code: str, **kwargs: Any) -> DisableTwoFactor:
        query = gql("""
            mutation DisableTwoFactor($code: String!) {
              disableTwoFactor(code: $code) {
                __typename
                ... on TwoFactorDisabled {
                  csrfToken
                }
                ... on FieldErrors {
                  errors {
                    field
                    message
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"code": code}
        response = await self.execute(
            query=query,
            operation_name="DisableTwoFactor",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return DisableTwoFactor.model_validate(data)

    async def edit_channel_tag(
        self, input: EditChannelTagInput, **kwargs: Any
    ) -> EditChannelTag:
        query = gql("""
            mutation EditChannelTag($input: EditChannelTagInput!) {
              editChannelTag(input: $input) {
                changed
                skipped {
                  id
                  reason
                }
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="EditChannelTag", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return EditChannelTag.model_validate(data)

    async def enable_two_factor(self, code: str, **kwargs: Any) -> EnableTwoFactor:
        query = gql("""
            mutation EnableTwoFactor($code: String!) {
              enableTwoFactor(code: $code) {
                __typename
                ... on TwoFactorEnabled {
                  backupCodes
                  csrfToken
                }
                ... on FieldErrors {
                  errors {
                    field
                    message
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"code": code}
        response = await self.execute(
            query=query, operation_name="EnableTwoFactor", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return EnableTwoFactor.model_validate(data)

    async def fetch_channel_models(
        self,
        id: Union[Optional[int], UnsetType] = UNSET,
        input: Union[Optional[UpstreamChannelInput], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> FetchChannelModels:
        query = gql("""
            mutation FetchChannelModels($id: Int, $input: UpstreamChannelInput) {
              fetchChannelModels(id: $id, input: $input) {
                __typename
                ... on ChannelModels {
                  models
                }
                ... on UpstreamFailure {
                  code
                  message
                  status
                }
                ... on FieldErrors {
                  errors {
                    field
                    message
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"id": id, "input": input}
        response = await self.execute(
            query=query,
            operation_name="FetchChannelModels",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return FetchChannelModels.model_validate(data)

    async def generate_access_token(self, **kwargs: Any) -> GenerateAccessToken:
        query = gql("""
            mutation GenerateAccessToken {
              generateAccessToken {
                token
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query,
            operation_name="GenerateAccessToken",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return GenerateAccessToken.model_validate(data)

    async def groups(self, **kwargs: Any) -> Groups:
        query = gql("""
            query Groups {
              groups {
                name
                ratio
                description
                usable
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="Groups", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Groups.model_validate(data)

    async def login(self, username: str, password: str, **kwargs: Any) -> Login:
        query = gql("""
            mutation Login($username: String!, $password: String!) {
              login(username: $username, password: $password) {
                __typename
                ... on LoginSuccess {
                  csrfToken
                  user {
                    id
                    username
                    role
                    group
                  }
                }
                ... on TwoFactorRequired {
                  flowToken
                  expiresAt
                }
                ... on FieldErrors {
                  errors {
                    field
                    message
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"username": username, "password": password}
        response = await self.execute(
            query=query, operation_name="Login", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Login.model_validate(data)

    async def login_two_factor(
        self, flow_token: str, code: str, **kwargs: Any
    ) -> LoginTwoFactor:
        query = gql("""
            mutation LoginTwoFactor($flowToken: String!, $code: String!) {
              loginTwoFactor(flowToken: $flowToken, code: $code) {
                __typename
                ... on LoginSuccess {
                  csrfToken
                  user {
                    id
                    username
                    role
                    group
                  }
                }
                ... on FieldErrors {
                  errors {
                    field
                    message
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"flowToken": flow_token, "code": code}
        response = await self.execute(
            query=query, operation_name="LoginTwoFactor", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return LoginTwoFactor.model_validate(data)

    async def logout(self, **kwargs: Any) -> Logout:
        query = gql("""
            mutation Logout {
              logout
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="Logout", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Logout.model_validate(data)

    async def logs(
        self,
        start: Union[Optional[int], UnsetType] = UNSET,
        end: Union[Optional[int], UnsetType] = UNSET,
        log_type: Union[Optional[int], UnsetType] = UNSET,
        model_name: Union[Optional[str], UnsetType] = UNSET,
        token_name: Union[Optional[str], UnsetType] = UNSET,
        group: Union[Optional[str], UnsetType] = UNSET,
        request_id: Union[Optional[str], UnsetType] = UNSET,
        page: Union[Optional[int], UnsetType] = UNSET,
        page_size: Union[Optional[int], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> Logs:
        query = gql("""
            query Logs($start: BigInt, $end: BigInt, $logType: Int, $modelName: String, $tokenName: String, $group: String, $requestId: String, $page: Int, $pageSize: Int) {
              logs(
                start: $start
                end: $end
                type: $logType
                modelName: $modelName
                tokenName: $tokenName
                group: $group
                requestId: $requestId
                page: $page
                pageSize: $pageSize
              ) {
                total
                page
                pageSize
                quota
                promptTokens
                completionTokens
                items {
                  id
                  createdAt
                  type
                  content
                  modelName
                  tokenName
                  quota
                  promptTokens
                  completionTokens
                  useTime
                  isStream
                  group
                  requestId
                  other
                }
              }
            }
            """)
        variables: dict[str, object] = {
            "start": start,
            "end": end,
            "logType": log_type,
            "modelName": model_name,
            "tokenName": token_name,
            "group": group,
            "requestId": request_id,
            "page": page,
            "pageSize": page_size,
        }
        response = await self.execute(
            query=query, operation_name="Logs", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Logs.model_validate(data)

    async def me(self, **kwargs: Any) -> Me:
        query = gql("""
            query Me {
              me {
                id
                username
                displayName
                email
                role
                status
                group
                quota
                usedQuota
                requestCount
                hasAccessToken
                csrfToken
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="Me", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Me.model_validate(data)

    async def pricing(self, **kwargs: Any) -> Pricing:
        query = gql("""
            query Pricing {
              pricing {
                quotaPerUnit
                groups {
                  name
                  ratio
                  description
                  usable
                }
                models {
                  modelName
                  quotaType
                  priced
                  modelRatio
                  completionRatio
                  cacheRatio
                  createCacheRatio
                  modelPrice
                  enableGroups
                  channels
                }
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="Pricing", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Pricing.model_validate(data)

    async def purge_redemptions(self, **kwargs: Any) -> PurgeRedemptions:
        query = gql("""
            mutation PurgeRedemptions {
              purgeRedemptions
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query,
            operation_name="PurgeRedemptions",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return PurgeRedemptions.model_validate(data)

    async def redeem(self, key: str, **kwargs: Any) -> Redeem:
        query = gql("""
            mutation Redeem($key: String!) {
              redeem(key: $key) {
                __typename
                ... on Redeemed {
                  quota
                  redemptionId
                }
                ... on FieldErrors {
                  errors {
                    field
                    message
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"key": key}
        response = await self.execute(
            query=query, operation_name="Redeem", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Redeem.model_validate(data)

    async def redemptions(
        self,
        search: Union[Optional[str], UnsetType] = UNSET,
        status: Union[Optional[int], UnsetType] = UNSET,
        page: Union[Optional[int], UnsetType] = UNSET,
        page_size: Union[Optional[int], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> Redemptions:
        query = gql("""
            query Redemptions($search: String, $status: Int, $page: Int, $pageSize: Int) {
              redemptions(search: $search, status: $status, page: $page, pageSize: $pageSize) {
                total
                page
                pageSize
                items {
                  id
                  name
                  key
                  status
                  quota
                  createdTime
                  redeemedTime
                  expiredTime
                  createdBy {
                    id
                    username
                  }
                  usedBy {
                    id
                    username
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {
            "search": search,
            "status": status,
            "page": page,
            "pageSize": page_size,
        }
        response = await self.execute(
            query=query, operation_name="Redemptions", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Redemptions.model_validate(data)

    async def register(self, input: RegisterInput, **kwargs: Any) -> Register:
        query = gql("""
            mutation Register($input: RegisterInput!) {
              registered: register(input: $input) {
                __typename
                ... on Registered {
                  id
                  username
                }
                ... on FieldErrors {
                  errors {
                    field
                    message
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="Register", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Register.model_validate(data)

    async def reset_password(
        self, email: str, code: str, new_password: str, **kwargs: Any
    ) -> ResetPassword:
        query = gql("""
            mutation ResetPassword($email: String!, $code: String!, $newPassword: String!) {
              resetPassword(email: $email, code: $code, newPassword: $newPassword) {
                __typename
                ... on PasswordResetDone {
                  done
                }
                ... on FieldErrors {
                  errors {
                    field
                    message
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {
            "email": email,
            "code": code,
            "newPassword": new_password,
        }
        response = await self.execute(
            query=query, operation_name="ResetPassword", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return ResetPassword.model_validate(data)

    async def reset_user_two_factor(
        self, user_id: int, **kwargs: Any
    ) -> ResetUserTwoFactor:
        query = gql("""
            mutation ResetUserTwoFactor($userId: Int!) {
              resetUserTwoFactor(userId: $userId) {
                userId
                wasSetUp
              }
            }
            """)
        variables: dict[str, object] = {"userId": user_id}
        response = await self.execute(
            query=query,
            operation_name="ResetUserTwoFactor",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return ResetUserTwoFactor.model_validate(data)

    async def reveal_token_key(self, id: int, **kwargs: Any) -> RevealTokenKey:
        query = gql("""
            mutation RevealTokenKey($id: Int!) {
              revealTokenKey(id: $id) {
                id
                key
              }
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query, operation_name="RevealTokenKey", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return RevealTokenKey.model_validate(data)

    async def send_verification_code(
        self, email: str, purpose: VerificationPurpose, **kwargs: Any
    ) -> SendVerificationCode:
        query = gql("""
            mutation SendVerificationCode($email: String!, $purpose: VerificationPurpose!) {
              sendVerificationCode(email: $email, purpose: $purpose) {
                __typename
                ... on VerificationCodeSent {
                  expiresIn
                }
                ... on FieldErrors {
                  errors {
                    field
                    message
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"email": email, "purpose": purpose}
        response = await self.execute(
            query=query,
            operation_name="SendVerificationCode",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return SendVerificationCode.model_validate(data)

    async def set_channels_status(
        self, ids: list[int], enabled: bool, **kwargs: Any
    ) -> SetChannelsStatus:
        query = gql("""
            mutation SetChannelsStatus($ids: [Int!]!, $enabled: Boolean!) {
              setChannelsStatus(ids: $ids, enabled: $enabled) {
                changed
                skipped {
                  id
                  reason
                }
              }
            }
            """)
        variables: dict[str, object] = {"ids": ids, "enabled": enabled}
        response = await self.execute(
            query=query,
            operation_name="SetChannelsStatus",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return SetChannelsStatus.model_validate(data)

    async def set_channels_tag(
        self, ids: list[int], tag: str, **kwargs: Any
    ) -> SetChannelsTag:
        query = gql("""
            mutation SetChannelsTag($ids: [Int!]!, $tag: String!) {
              setChannelsTag(ids: $ids, tag: $tag) {
                changed
                skipped {
                  id
                  reason
                }
              }
            }
            """)
        variables: dict[str, object] = {"ids": ids, "tag": tag}
        response = await self.execute(
            query=query, operation_name="SetChannelsTag", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return SetChannelsTag.model_validate(data)

    async def set_tag_status(
        self, tag: str, enabled: bool, **kwargs: Any
    ) -> SetTagStatus:
        query = gql("""
            mutation SetTagStatus($tag: String!, $enabled: Boolean!) {
              setTagStatus(tag: $tag, enabled: $enabled) {
                changed
                skipped {
                  id
                  reason
                }
              }
            }
            """)
        variables: dict[str, object] = {"tag": tag, "enabled": enabled}
        response = await self.execute(
            query=query, operation_name="SetTagStatus", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return SetTagStatus.model_validate(data)

    async def settings(self, **kwargs: Any) -> Settings:
        query = gql("""
            query Settings {
              settings {
                key
                kind
                value
                isSet
                default
                effective
                effect
                secret
                fileOverride
                fileField
                fileEntries
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="Settings", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Settings.model_validate(data)

    async def setup(self, input: SetupInput, **kwargs: Any) -> Setup:
        query = gql("""
            mutation Setup($input: SetupInput!) {
              setup(input: $input) {
                __typename
                ... on SetupComplete {
                  userId
                  username
                }
                ... on FieldErrors {
                  errors {
                    field
                    message
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="Setup", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Setup.model_validate(data)

    async def setup_status(self, **kwargs: Any) -> SetupStatus:
        query = gql("""
            query SetupStatus {
              setupStatus {
                done
                rootExists
                version
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="SetupStatus", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return SetupStatus.model_validate(data)

    async def setup_two_factor(self, **kwargs: Any) -> SetupTwoFactor:
        query = gql("""
            mutation SetupTwoFactor {
              setupTwoFactor {
                __typename
                ... on TwoFactorSetup {
                  secret
                  otpauthUri
                }
                ... on FieldErrors {
                  errors {
                    field
                    message
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="SetupTwoFactor", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return SetupTwoFactor.model_validate(data)

    async def site_info(self, **kwargs: Any) -> SiteInfo:
        query = gql("""
            query SiteInfo {
              siteInfo {
                systemName
                notice
                footer
                about
                displayInCurrency
                quotaPerUnit
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="SiteInfo", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return SiteInfo.model_validate(data)

    async def test_channel(
        self,
        id: int,
        model: Union[Optional[str], UnsetType] = UNSET,
        stream: Union[Optional[bool], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> TestChannel:
        query = gql("""
            mutation TestChannel($id: Int!, $model: String, $stream: Boolean) {
              testChannel(id: $id, model: $model, stream: $stream) {
                ok
                channelId
                model
                stream
                status
                latencyMs
                firstByteMs
                promptTokens
                completionTokens
                reply
                error
              }
            }
            """)
        variables: dict[str, object] = {"id": id, "model": model, "stream": stream}
        response = await self.execute(
            query=query, operation_name="TestChannel", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return TestChannel.model_validate(data)

    async def token(self, id: int, **kwargs: Any) -> Token:
        query = gql("""
            query Token($id: Int!) {
              token(id: $id) {
                id
                name
                key
                status
                createdTime
                accessedTime
                expiredTime
                remainQuota
                unlimitedQuota
                usedQuota
                modelLimits
                allowIps
                group
              }
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query, operation_name="Token", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Token.model_validate(data)

    async def tokens(
        self,
        search: Union[Optional[str], UnsetType] = UNSET,
        page: Union[Optional[int], UnsetType] = UNSET,
        page_size: Union[Optional[int], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> Tokens:
        query = gql("""
            query Tokens($search: String, $page: Int, $pageSize: Int) {
              tokens(search: $search, page: $page, pageSize: $pageSize) {
                total
                page
                pageSize
                items {
                  id
                  name
                  key
                  status
                  createdTime
                  accessedTime
                  expiredTime
                  remainQuota
                  unlimitedQuota
                  usedQuota
                  modelLimits
                  allowIps
                  group
                  owner {
                    id
                    username
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {
            "search": search,
            "page": page,
            "pageSize": page_size,
        }
        response = await self.execute(
            query=query, operation_name="Tokens", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Tokens.model_validate(data)

    async def two_factor_status(self, **kwargs: Any) -> TwoFactorStatus:
        query = gql("""
            query TwoFactorStatus {
              twoFactorStatus {
                enabled
                backupCodesLeft
                lockedUntil
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="TwoFactorStatus", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return TwoFactorStatus.model_validate(data)

    async def update_channel(
        self, input: UpdateChannelInput, **kwargs: Any
    ) -> UpdateChannel:
        query = gql("""
            mutation UpdateChannel($input: UpdateChannelInput!) {
              updateChannel(input: $input) {
                __typename
                ... on Channel {
                  id
                  name
                  source
                  readOnly
                  type
                  provider
                  baseUrl
                  key
                  models
                  groups
                  priority
                  weight
                  enabled
                  status
                  tag
                  testModel
                  modelMapping {
                    model
                    upstreamModel
                  }
                  balance
                  balanceUpdatedTime
                  loaded
                  autoDisabled
                }
                ... on FieldErrors {
                  errors {
                    field
                    message
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="UpdateChannel", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return UpdateChannel.model_validate(data)

    async def update_channel_balance(
        self, id: int, **kwargs: Any
    ) -> UpdateChannelBalance:
        query = gql("""
            mutation UpdateChannelBalance($id: Int!) {
              updateChannelBalance(id: $id) {
                __typename
                ... on ChannelBalance {
                  channelId
                  balance
                  currency
                  updatedTime
                  stored
                }
                ... on UpstreamFailure {
                  code
                  message
                  status
                }
              }
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query,
            operation_name="UpdateChannelBalance",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return UpdateChannelBalance.model_validate(data)

    async def update_channel_balances(
        self, ids: Union[Optional[list[int]], UnsetType] = UNSET, **kwargs: Any
    ) -> UpdateChannelBalances:
        query = gql("""
            mutation UpdateChannelBalances($ids: [Int!]) {
              updateChannelBalances(ids: $ids) {
                channelId
                result {
                  __typename
                  ... on ChannelBalance {
                    channelId
                    balance
                    currency
                    updatedTime
                    stored
                  }
                  ... on UpstreamFailure {
                    code
                    message
                    status
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"ids": ids}
        response = await self.execute(
            query=query,
            operation_name="UpdateChannelBalances",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return UpdateChannelBalances.model_validate(data)

    async def update_redemption(
        self, input: UpdateRedemptionInput, **kwargs: Any
    ) -> UpdateRedemption:
        query = gql("""
            mutation UpdateRedemption($input: UpdateRedemptionInput!) {
              updateRedemption(input: $input) {
                __typename
                ... on Redemption {
                  id
                  name
                  status
                  quota
                  expiredTime
                }
                ... on FieldErrors {
                  errors {
                    field
                    message
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="UpdateRedemption",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return UpdateRedemption.model_validate(data)

    async def update_settings(
        self, input: list[SettingInput], **kwargs: Any
    ) -> UpdateSettings:
        query = gql("""
            mutation UpdateSettings($input: [SettingInput!]!) {
              updateSettings(input: $input) {
                __typename
                ... on SettingList {
                  settings {
                    key
                    value
                    isSet
                    effective
                    fileOverride
                  }
                }
                ... on FieldErrors {
                  errors {
                    field
                    message
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="UpdateSettings", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return UpdateSettings.model_validate(data)

    async def update_token(self, input: UpdateTokenInput, **kwargs: Any) -> UpdateToken:
        query = gql("""
            mutation UpdateToken($input: UpdateTokenInput!) {
              updateToken(input: $input) {
                __typename
                ... on Token {
                  id
                  name
                  key
                  status
                  createdTime
                  accessedTime
                  expiredTime
                  remainQuota
                  unlimitedQuota
                  usedQuota
                  modelLimits
                  allowIps
                  group
                }
                ... on FieldErrors {
                  errors {
                    field
                    message
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="UpdateToken", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return UpdateToken.model_validate(data)

    async def update_user(self, input: UpdateUserInput, **kwargs: Any) -> UpdateUser:
        query = gql("""
            mutation UpdateUser($input: UpdateUserInput!) {
              updateUser(input: $input) {
                __typename
                ... on User {
                  id
                  username
                  displayName
                  email
                  role
                  status
                  group
                  quota
                  usedQuota
                  requestCount
                  remark
                  createdAt
                  lastLoginAt
                }
                ... on FieldErrors {
                  errors {
                    field
                    message
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="UpdateUser", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return UpdateUser.model_validate(data)

    async def user(self, id: int, **kwargs: Any) -> User:
        query = gql("""
            query User($id: Int!) {
              user(id: $id) {
                id
                username
                displayName
                email
                role
                status
                group
                quota
                usedQuota
                requestCount
                remark
                createdAt
                lastLoginAt
              }
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query, operation_name="User", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return User.model_validate(data)

    async def users(
        self,
        search: Union[Optional[str], UnsetType] = UNSET,
        page: Union[Optional[int], UnsetType] = UNSET,
        page_size: Union[Optional[int], UnsetType] = UNSET,
        role: Union[Optional[int], UnsetType] = UNSET,
        status: Union[Optional[int], UnsetType] = UNSET,
        group: Union[Optional[str], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> Users:
        query = gql("""
            query Users($search: String, $page: Int, $pageSize: Int, $role: Int, $status: Int, $group: String) {
              users(
                search: $search
                page: $page
                pageSize: $pageSize
                role: $role
                status: $status
                group: $group
              ) {
                total
                page
                pageSize
                items {
                  id
                  username
                  displayName
                  email
                  role
                  status
                  group
                  quota
                  usedQuota
                  requestCount
                  remark
                  createdAt
                  lastLoginAt
                }
              }
            }
            """)
        variables: dict[str, object] = {
            "search": search,
            "page": page,
            "pageSize": page_size,
            "role": role,
            "status": status,
            "group": group,
        }
        response = await self.execute(
            query=query, operation_name="Users", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Users.model_validate(data)
