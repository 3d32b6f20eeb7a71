"""The admin GraphQL schema: every domain's queries and mutations, with the request limits.

A domain adds its ``<Domain>Query``/``<Domain>Mutation`` class to the tuples below. The SDL in
``graphql/schema.graphql`` is exported from ``schema`` (``scripts/codegen``).
"""

from __future__ import annotations

from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from newapi.admin.access import AdminSchema
from newapi.admin.accounts.mutations import AccountMutation
from newapi.admin.accounts.registration import RegistrationMutation
from newapi.admin.accounts.two_factor import TwoFactorMutation, TwoFactorQuery
from newapi.admin.channels.mutations import ChannelMutation
from newapi.admin.channels.queries import ChannelQuery
from newapi.admin.dashboard.queries import DashboardQuery
from newapi.admin.groups.queries import GroupQuery
from newapi.admin.limits import DepthLimiter
from newapi.admin.logs.queries import LogQuery
from newapi.admin.me.queries import MeQuery
from newapi.admin.options.mutations import OptionMutation
from newapi.admin.options.queries import OptionQuery
from newapi.admin.pricing.queries import PricingQuery
from newapi.admin.redemptions.mutations import RedemptionMutation
from newapi.admin.redemptions.queries import RedemptionQuery
from newapi.admin.results import BIG_INT_SCALAR, BigInt
from newapi.admin.setup.mutations import SetupMutation
from newapi.admin.setup.queries import SetupQuery
from newapi.admin.tokens.mutations import TokenMutation
from newapi.admin.tokens.queries import TokenQuery
from newapi.admin.users.mutations import UserMutation
from newapi.admin.users.queries import UserQuery

__all__ = ["MAX_ALIASES", "MAX_DEPTH", "MAX_TOKENS", "schema"]

MAX_DEPTH = 6
MAX_TOKENS = 2000
MAX_ALIASES = 15

Query = merge_types(
    "Query",
    (
        SetupQuery,
        MeQuery,
        UserQuery,
        TokenQuery,
        ChannelQuery,
        LogQuery,
        TwoFactorQuery,
        OptionQuery,
        GroupQuery,
        PricingQuery,
        RedemptionQuery,
        DashboardQuery,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        AccountMutation,
        UserMutation,
        TokenMutation,
        ChannelMutation,
        RegistrationMutation,
        TwoFactorMutation,
        OptionMutation,
        SetupMutation,
        RedemptionMutation,
    ),
)

schema = AdminSchema(
    query=Query,
    mutation=Mutation,
    config=StrawberryConfig(scalar_map={BigInt: BIG_INT_SCALAR}),
    extensions=[
        lambda: DepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
    ],
)
