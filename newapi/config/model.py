"""Typed, immutable configuration: what ``gateway.toml`` (plus the environment) loads into.

A ``GatewayConfig`` is built once by ``newapi.config.load_config`` and never changed; a reload
builds a new one and swaps it in. Money is ``Decimal``; times are seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

__all__ = [
    "ChannelConfig",
    "ChannelSettings",
    "DatabaseConfig",
    "GatewayConfig",
    "GroupConfig",
    "NativeEndpoint",
    "NodeConfig",
    "Price",
    "ProviderConfig",
    "RedisConfig",
    "RelayConfig",
    "RenameRule",
    "SecurityConfig",
    "ServerConfig",
    "SuffixRule",
    "UpstreamErrorRule",
]


def _frozen_map() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 3000
    workers: int = 1


@dataclass(frozen=True, slots=True)
class DatabaseConfig:
    # The resolved main-database location: a tortoise URL (sqlite://, postgres://, mysql://)
    # or one of New API's DSN forms; newapi.store turns it into a tortoise URL.
    url: str = "sqlite://./data/one-api.db"
    log_url: str | None = None  # LOG_SQL_DSN: the logs table in another database
    journal_dir: str = "./data/journal"  # billing journal (see newapi.billing.journal)


@dataclass(frozen=True, slots=True)
class RedisConfig:
    url: str | None = None  # REDIS_CONN_STRING


@dataclass(frozen=True, slots=True)
class RelayConfig:
    streaming_timeout_s: int = 300  # STREAMING_TIMEOUT: idle seconds before a stream is cut
    relay_timeout_s: int = 0  # RELAY_TIMEOUT: whole-request timeout, 0 = none
    azure_default_api_version: str = "2025-04-01-preview"  # AZURE_DEFAULT_API_VERSION
    max_request_body_mb: int = 128  # MAX_REQUEST_BODY_MB
    force_stream_option: bool = True  # FORCE_STREAM_OPTION
    count_token: bool = True  # CountToken
    error_log_enabled: bool = False  # ERROR_LOG_ENABLED
    keepalive_interval_s: int = 15  # SSE comment while waiting for the first token
    retry_times: int = 2  # RetryTimes: more channels to try after a retryable failure
    auto_disable: bool = False  # AutomaticDisableChannelEnabled
    pre_consumed_quota: int = 500  # PreConsumedQuota: smallest prompt a reservation holds
    trust_quota: int = 5_000_000  # trust bypass threshold (0 = off)


@dataclass(frozen=True, slots=True)
class SecurityConfig:
    session_secret: str | None = None  # SESSION_SECRET (None: random per start, single node only)
    crypto_secret: str | None = None  # CRYPTO_SECRET (None: = session_secret)
    root_password: str | None = None  # NEWAPI_ROOT_PASSWORD: first root user's password


@dataclass(frozen=True, slots=True)
class NodeConfig:
    type: str = "master"  # NODE_TYPE: master | slave
    name: str = ""  # NODE_NAME (empty: the host name)
    memory_cache_enabled: bool = False  # MEMORY_CACHE_ENABLED
    sync_frequency_s: int = 60  # SYNC_FREQUENCY


# The formats a provider or channel can speak natively besides its primary ``format``.
NATIVE_FORMATS = ("openai_chat", "openai_responses", "anthropic_messages", "gemini")
# How the channel key is sent (the schema's ``auth`` values).
AUTH_STYLES = ("bearer", "api-key", "x-api-key", "x-goog-api-key", "mj-api-secret", "none")
# How a native endpoint takes the key when its entry does not say (that format's own style).
NATIVE_AUTH = {"anthropic_messages": "x-api-key", "gemini": "x-goog-api-key"}
# Headers a native endpoint of that format gets unless the client or the entry gives them.
NATIVE_HEADERS = {"anthropic_messages": {"anthropic-version": "2023-06-01"}}


@dataclass(frozen=True, slots=True)
class NativeEndpoint:
    """Where one more format is spoken natively, and how the key is sent there.

    Unset fields mean: base URL = the channel's base URL plus ``path_prefix``; auth = the
    format's own style (``NATIVE_AUTH``, else bearer). A channel's entry overrides the
    provider's field by field, the location (``base_url``/``path_prefix``) as one.
    """

    base_url: str | None = None  # absolute base URL of the native endpoint
    path_prefix: str | None = None  # appended to the channel's base URL ("/anthropic")
    auth: str | None = None  # bearer | api-key | x-api-key | x-goog-api-key | none
    headers: Mapping[str, str] = field(default_factory=_frozen_map)


def _frozen_native() -> Mapping[str, NativeEndpoint]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class ProviderConfig:
    """A vendor kind: data, never code branches."""

    name: str
    format: str  # wire format the upstream speaks natively (openai_chat, anthropic_messages, ...)
    base_url: str | None  # default base URL; None = the channel must give one
    auth: str  # bearer | api-key | x-api-key | x-goog-api-key | mj-api-secret | none
    # URL template; placeholders: {base_url} {path} {model} {task} {api_version}
    url_template: str = "{base_url}{path}"
    api_version: str | None = None  # default api-version (Azure: from AZURE_DEFAULT_API_VERSION)
    headers: Mapping[str, str] = field(default_factory=_frozen_map)
    one_api_types: tuple[int, ...] = ()  # One API (fork-era) channel type ids
    new_api_types: tuple[int, ...] = ()  # New API channel type ids
    description: str = ""
    stream_options: bool = True  # understands stream_options.include_usage
    native: Mapping[str, NativeEndpoint] = field(default_factory=_frozen_native)  # more formats


@dataclass(frozen=True, slots=True)
class ChannelSettings:
    thinking_to_content: bool = False
    system_prompt: str = ""
    system_prompt_override: bool = False
    pass_through_body: bool = False
    proxy: str | None = None
    status_code_mapping: Mapping[str, str] = field(default_factory=_frozen_map)


@dataclass(frozen=True, slots=True)
class ChannelConfig:
    """One upstream account declared in gateway.toml (read-only in the admin)."""

    name: str
    provider: str
    base_url: str | None  # None: the provider's default
    keys: tuple[str, ...]  # resolved secrets; several = a multi-key channel
    models: tuple[str, ...]
    groups: tuple[str, ...] = ("default",)
    priority: int = 0
    weight: int = 1
    model_mapping: Mapping[str, str] = field(default_factory=_frozen_map)
    enabled: bool = True
    key_mode: str = "random"  # random | round_robin
    tag: str | None = None
    test_model: str | None = None
    api_version: str | None = None
    organization: str | None = None
    headers: Mapping[str, str] = field(default_factory=_frozen_map)
    settings: ChannelSettings = field(default_factory=ChannelSettings)
    formats: tuple[str, ...] | None = None  # native formats; None = the provider's
    native: Mapping[str, NativeEndpoint] = field(default_factory=_frozen_native)  # overrides


@dataclass(frozen=True, slots=True)
class RenameRule:
    """Clients ask for ``match`` (exact, or a glob with ``*``); routing uses ``to``."""

    match: str
    to: str
    groups: tuple[str, ...] = ()  # empty = every group


@dataclass(frozen=True, slots=True)
class SuffixRule:
    """A model-name suffix that becomes a request edit (reasoning effort, thinking, ...).

    ``suffix`` is literal, or ends with ``{budget}`` to capture an integer.
    ``action`` is one of: reasoning_effort, claude_thinking, gemini_thinking,
    gemini_nothinking, gemini_thinking_budget. ``value`` parametrises the action
    (e.g. "high" for reasoning_effort).
    """

    suffix: str
    models: tuple[str, ...]  # globs on the model name without the suffix
    action: str
    value: str | None = None


@dataclass(frozen=True, slots=True)
class UpstreamErrorRule:
    """What an upstream error does; the first matching rule decides.

    A rule matches when any of its criteria does: the status (after status_code_mapping) is in
    one of ``status`` ranges, or the error's code/type is listed, or its message contains one
    of ``messages`` (case-insensitive).
    """

    status: tuple[tuple[int, int], ...] = ()
    codes: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    messages: tuple[str, ...] = ()  # lower-cased
    retry: bool = False
    disable: str = "none"  # none | key | channel


@dataclass(frozen=True, slots=True)
class Price:
    """One model's price, normalised to New API's ratios.

    model_ratio 1 = 2 USD per million input tokens. ``model_price_usd`` (per call) wins over
    the ratios when set. ``free`` marks a model billed at zero on purpose.
    """

    model_ratio: Decimal | None = None
    completion_ratio: Decimal | None = None
    cache_ratio: Decimal | None = None  # cache-read multiplier of the input price
    create_cache_ratio: Decimal | None = None  # 5-minute cache-write multiplier
    create_cache_1h_ratio: Decimal | None = None  # 1-hour cache-write multiplier
    model_price_usd: Decimal | None = None
    free: bool = False


@dataclass(frozen=True, slots=True)
class GroupConfig:
    ratio: Decimal = Decimal(1)
    description: str = ""


@dataclass(frozen=True, slots=True)
class GatewayConfig:
    config_version: int
    server: ServerConfig
    database: DatabaseConfig
    redis: RedisConfig
    relay: RelayConfig
    security: SecurityConfig
    node: NodeConfig
    providers: Mapping[str, ProviderConfig]  # built-in catalog merged with the file's
    channels: Mapping[str, ChannelConfig]
    rename_rules: tuple[RenameRule, ...]
    suffix_rules: tuple[SuffixRule, ...]  # the file's rules first, then the built-in ones
    upstream_error_rules: tuple[UpstreamErrorRule, ...]  # the file's first, then built-ins
    prices: Mapping[str, Price]  # built-in defaults overlaid with the file's
    file_prices: frozenset[str]  # models whose price entry comes from the file
    groups: Mapping[str, GroupConfig]
    file_groups: frozenset[str]  # groups whose ratio comes from the file
    source_path: str | None  # the file it came from (None: defaults only)
    source_hash: str  # sha256 hex of the file's bytes ("" when there is no file)
    file_relay: frozenset[str] = frozenset()  # [relay] fields set by the file or environment
