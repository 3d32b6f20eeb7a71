"""The gateway's configuration: gateway.toml plus the environment, as one immutable object.

``load_config`` reads, validates and builds a ``GatewayConfig``; ``validate_file`` only reports
problems (one line each); ``schema_text`` is the JSON Schema the file is checked against.
"""

from newapi.config.load import DEFAULT_CONFIG_PATH, load_config, validate_file
from newapi.config.model import (
    ChannelConfig,
    ChannelSettings,
    DatabaseConfig,
    GatewayConfig,
    GroupConfig,
    NativeEndpoint,
    NodeConfig,
    Price,
    ProviderConfig,
    RedisConfig,
    RelayConfig,
    RenameRule,
    SecurityConfig,
    ServerConfig,
    SuffixRule,
)
from newapi.config.schema import schema_text

__all__ = [
    "DEFAULT_CONFIG_PATH",
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
    "load_config",
    "schema_text",
    "validate_file",
]
