"""Loading gateway.toml: problem lines, environment references and overrides, built config."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from newapi.config import (
    DEFAULT_CONFIG_PATH,
    GatewayConfig,
    Price,
    load_config,
    validate_file,
)
from newapi.errors import ConfigError

BASE = """\
config_version = 1

[server]
port = 3000

[channels.openai]
provider = "openai"
key = "${OPENAI_API_KEY}"
models = ["gpt-4o", "gpt-4o-mini"]
weight = 2
"""


def _write(tmp_path: Path, text: str, name: str = "gateway.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_unknown_key_is_one_line_with_path_and_line(in_tmp: Path) -> None:
    _write(in_tmp, BASE.replace("weight = 2", "weight = 2\nwieght = 3"))
    assert validate_file("gateway.toml", {"OPENAI_API_KEY": "sk"}) == [
        "gateway.toml:11 channels.openai.wieght: unknown key 'wieght'"
    ]


def test_wrong_type_is_one_line_with_path_and_line(in_tmp: Path) -> None:
    _write(in_tmp, BASE.replace("weight = 2", 'weight = "2"'))
    assert validate_file("gateway.toml", {"OPENAI_API_KEY": "sk"}) == [
        "gateway.toml:10 channels.openai.weight: '2' is not of type 'integer'"
    ]


def test_missing_environment_variable_is_one_line_with_path_and_line(in_tmp: Path) -> None:
    _write(in_tmp, BASE)
    assert validate_file("gateway.toml", {}) == [
        "gateway.toml:8 channels.openai.key: environment variable OPENAI_API_KEY is not set"
    ]


def test_load_config_raises_config_error_with_every_problem(in_tmp: Path) -> None:
    _write(in_tmp, BASE.replace("port = 3000", "port = 0").replace("weight = 2", "weight = -1"))
    with pytest.raises(ConfigError) as caught:
        load_config("gateway.toml", {})
    error = caught.value
    assert error.source == "gateway.toml"
    assert error.problems == [
        "gateway.toml:4 server.port: 0 is less than the minimum of 1",
        "gateway.toml:8 channels.openai.key: environment variable OPENAI_API_KEY is not set",
        "gateway.toml:10 channels.openai.weight: -1 is less than the minimum of 0",
    ]
    assert str(error).splitlines()[0] == "gateway.toml: 3 problems"


def test_problem_without_a_line_names_the_path(in_tmp: Path) -> None:
    _write(in_tmp, "[server]\nport = 3000\n")
    assert validate_file("gateway.toml", {}) == [
        "gateway.toml: 'config_version' is a required property"
    ]


def test_line_numbers_follow_arrays_of_tables_and_dotted_keys(in_tmp: Path) -> None:
    text = BASE + (
        '\n[[rules.rename]]\nmatch = "a"\nto = "gpt-4o"\n'
        '\n[[rules.rename]]\nmatch = "b"\nto = "nope"\n'
        '\n[channels.other]\nprovider = "openai"\nkey = "k"\nmodels = ["x"]\n'
        'settings.proxy = "ftp://x"\n'
    )
    _write(in_tmp, text)
    assert validate_file("gateway.toml", {"OPENAI_API_KEY": "sk"}) == [
        "gateway.toml:18 rules.rename[1].to: no channel in this file serves 'nope'",
        "gateway.toml:24 channels.other.settings.proxy: the value does not match "
        "'^((https?|socks5h?)://|\\\\$\\\\{)'",
    ]


def test_file_name_is_reported_as_given(tmp_path: Path) -> None:
    path = _write(tmp_path, "config_version = 1\n[server]\nport = -1\n", "prod.toml")
    assert validate_file(path, {}) == [f"{path}:3 server.port: -1 is less than the minimum of 1"]


def test_missing_file_is_a_problem(in_tmp: Path) -> None:
    assert validate_file("nowhere.toml", {}) == [
        "nowhere.toml: cannot read the file: No such file or directory"
    ]


def test_syntax_error_is_one_problem_with_its_line(in_tmp: Path) -> None:
    _write(in_tmp, "config_version = 1\n[server\nport = 3000\n")
    [line] = validate_file("gateway.toml", {})
    assert line.startswith("gateway.toml:2: invalid TOML: ")


def test_rename_targets_are_not_checked_without_channels(in_tmp: Path) -> None:
    _write(in_tmp, 'config_version = 1\n[[rules.rename]]\nmatch = "a"\nto = "b"\n')
    assert validate_file("gateway.toml", {}) == []


def test_defaults_without_a_file() -> None:
    config = load_config(None, environ={})
    assert config.source_path is None
    assert config.source_hash == ""
    assert config.server.port == 3000
    assert config.database.url == "sqlite://./data/one-api.db"
    assert {"openai", "azure", "anthropic", "gemini", "custom"} <= set(config.providers)
    assert config.channels == {}
    assert config.rename_rules == ()
    assert any(rule.action == "claude_thinking" for rule in config.suffix_rules)
    assert config.prices["gpt-4o"].model_ratio == Decimal("1.25")
    assert DEFAULT_CONFIG_PATH == "gateway.toml"


def test_source_hash_is_the_sha256_of_the_bytes(tmp_path: Path) -> None:
    path = _write(tmp_path, BASE)
    config = load_config(path, {"OPENAI_API_KEY": "sk"})
    assert config.source_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert config.source_path == str(path)


def test_environment_overrides_win_over_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, BASE + '\n[database]\nurl = "sqlite://file.db"\n[node]\nname = "a"\n')
    environ = {
        "OPENAI_API_KEY": "sk",
        "PORT": "4000",
        "SQL_DSN": "postgres://u:p@127.0.0.1/db",
        "SQLITE_PATH": "/ignored.db",
        "LOG_SQL_DSN": "sqlite://logs.db",
        "REDIS_CONN_STRING": "redis://127.0.0.1:6379/0",
        "SYNC_FREQUENCY": "30",
        "NODE_TYPE": "slave",
        "NODE_NAME": "b",
        "SESSION_SECRET": "s3cret",
        "CRYPTO_SECRET": "c3",
        "STREAMING_TIMEOUT": "60",
        "RELAY_TIMEOUT": "90",
        "AZURE_DEFAULT_API_VERSION": "2024-10-21",
        "MAX_REQUEST_BODY_MB": "16",
        "FORCE_STREAM_OPTION": "false",
        "CountToken": "0",
        "ERROR_LOG_ENABLED": "true",
    }
    config = load_config(path, environ)
    assert config.server.port == 4000
    assert config.database.url == "postgres://u:p@127.0.0.1/db"
    assert config.database.log_url == "sqlite://logs.db"
    assert config.redis.url == "redis://127.0.0.1:6379/0"
    assert config.node.memory_cache_enabled is True  # Redis forces the memory cache
    assert (config.node.type, config.node.name, config.node.sync_frequency_s) == ("slave", "b", 30)
    assert (config.security.session_secret, config.security.crypto_secret) == ("s3cret", "c3")
    relay = config.relay
    assert (relay.streaming_timeout_s, relay.relay_timeout_s) == (60, 90)
    assert relay.azure_default_api_version == "2024-10-21"
    assert config.providers["azure"].api_version == "2024-10-21"
    assert relay.max_request_body_mb == 16
    assert (relay.force_stream_option, relay.count_token, relay.error_log_enabled) == (
        False,
        False,
        True,
    )


def test_sqlite_path_sets_the_database_when_sql_dsn_is_unset() -> None:
    config = load_config(None, {"SQLITE_PATH": "/data/one-api.db", "SQL_DSN": ""})
    assert config.database.url == "sqlite:///data/one-api.db"


def test_bad_environment_values_name_the_variable(tmp_path: Path) -> None:
    path = _write(tmp_path, "config_version = 1\n")
    environ = {
        "PORT": "abc",
        "SYNC_FREQUENCY": "0",
        "FORCE_STREAM_OPTION": "maybe",
        "NODE_TYPE": "boss",
        "SESSION_SECRET": "random_string",
    }
    assert validate_file(path, environ) == [
        "environment variable PORT: 'abc' is not an integer",
        "environment variable SYNC_FREQUENCY: 0 is out of range (must be at least 1)",
        "environment variable NODE_TYPE: 'boss' is not one of master, slave",
        "environment variable SESSION_SECRET: 'random_string' is the documented placeholder; "
        "set a real secret",
        "environment variable FORCE_STREAM_OPTION: 'maybe' is not a boolean (use true or false)",
    ]
    with pytest.raises(ConfigError) as caught:
        load_config(None, {"PORT": "70000"})
    assert caught.value.problems == [
        "environment variable PORT: 70000 is out of range (must be between 1 and 65535)"
    ]


def test_references_expand_in_secrets_and_split_into_keys(tmp_path: Path) -> None:
    text = BASE.replace('"${OPENAI_API_KEY}"', '"${KEYS}"') + (
        '[channels.openai.headers]\nX-Tenant = "${TENANT}-$${LITERAL}"\n'
        '[security]\nsession_secret = "${SECRET}"\n'
    )
    path = _write(tmp_path, text)
    config = load_config(path, {"KEYS": "sk-1\nsk-2\n", "TENANT": "acme", "SECRET": "x"})
    channel = config.channels["openai"]
    assert channel.keys == ("sk-1", "sk-2")
    assert channel.headers["X-Tenant"] == "acme-${LITERAL}"
    assert config.security.session_secret == "x"


def test_references_elsewhere_stay_literal(tmp_path: Path) -> None:
    path = _write(tmp_path, BASE.replace('"gpt-4o-mini"', '"${NOT_EXPANDED}"'))
    config = load_config(path, {"OPENAI_API_KEY": "sk"})
    assert config.channels["openai"].models == ("gpt-4o", "${NOT_EXPANDED}")


def test_empty_variable_means_no_key(tmp_path: Path) -> None:
    path = _write(tmp_path, BASE)
    assert validate_file(path, {"OPENAI_API_KEY": ""}) == [
        f"{path}:8 channels.openai.key: provider 'openai' sends a key (bearer) "
        "but the channel has none"
    ]


def test_prices_are_decimal_and_normalised(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        (
            "config_version = 1\n"
            "[prices.a]\ninput_usd_per_mtok = 3\noutput_usd_per_mtok = 15\n"
            "cache_read_usd_per_mtok = 0.3\ncache_write_usd_per_mtok = 3.75\n"
            "cache_write_1h_usd_per_mtok = 6\n"
            "[prices.b]\nmodel_ratio = 0.1\ncompletion_ratio = 3\n"
            "[prices.c]\nmodel_price_usd = 0.1\n"
            "[prices.d]\nfree = true\n"
            "[prices.e]\ninput_usd_per_mtok = 0.1\n"
            "[prices.gpt-4o]\nmodel_ratio = 2\n"
        ),
    )
    prices = load_config(path, {}).prices
    assert prices["a"] == Price(
        model_ratio=Decimal("1.5"),
        completion_ratio=Decimal(5),
        cache_ratio=Decimal("0.1"),
        create_cache_ratio=Decimal("1.25"),
        create_cache_1h_ratio=Decimal(2),
    )
    assert prices["b"] == Price(model_ratio=Decimal("0.1"), completion_ratio=Decimal(3))
    assert prices["c"] == Price(model_price_usd=Decimal("0.1"))
    assert prices["d"] == Price(free=True)
    assert prices["e"] == Price(model_ratio=Decimal("0.05"), completion_ratio=Decimal(1))
    assert prices["gpt-4o"] == Price(model_ratio=Decimal(2))  # replaces the built-in entry
    for price in prices.values():
        for value in (
            price.model_ratio,
            price.completion_ratio,
            price.cache_ratio,
            price.create_cache_ratio,
            price.create_cache_1h_ratio,
            price.model_price_usd,
        ):
            assert value is None or type(value) is Decimal


def test_group_ratios_are_decimal_and_merged(tmp_path: Path) -> None:
    path = _write(tmp_path, "config_version = 1\n[groups.vip]\nratio = 0.7\n[groups.team]\n")
    groups = load_config(path, {}).groups
    assert groups["vip"].ratio == Decimal("0.7")
    assert groups["vip"].description == "VIP tier."  # kept from the built-in entry
    assert groups["team"].ratio == Decimal(1)
    assert type(groups["default"].ratio) is Decimal


def test_builtin_suffix_rules_come_after_the_file_and_can_be_dropped(tmp_path: Path) -> None:
    rule = (
        '[[rules.reasoning_suffix]]\nsuffix = "-x"\nmodels = ["o3*"]\n'
        'action = "reasoning_effort"\nvalue = "high"\n'
    )
    kept = load_config(_write(tmp_path, "config_version = 1\n" + rule, "a.toml"), {})
    assert kept.suffix_rules[0].suffix == "-x"
    assert len(kept.suffix_rules) > 1
    dropped = load_config(
        _write(
            tmp_path,
            "config_version = 1\n[rules]\nbuiltin_reasoning_suffix = false\n" + rule,
            "b.toml",
        ),
        {},
    )
    assert [r.suffix for r in dropped.suffix_rules] == ["-x"]


def test_file_provider_extends_a_builtin_field_by_field(tmp_path: Path) -> None:
    text = 'config_version = 1\n[providers.anthropic]\nbase_url = "https://proxy.example"\n'
    path = _write(tmp_path, text)
    provider = load_config(path, {}).providers["anthropic"]
    assert provider.base_url == "https://proxy.example"
    assert provider.format == "anthropic_messages"
    assert provider.headers["anthropic-version"] == "2023-06-01"


def test_config_is_immutable() -> None:
    config = load_config(None, environ={})
    assert isinstance(config, GatewayConfig)
    with pytest.raises(AttributeError):
        config.server.port = 1  # type: ignore[misc]  # proving it is frozen
    with pytest.raises(TypeError):
        config.prices["x"] = Price()  # type: ignore[index]  # proving it is read-only


def test_provider_type_ids_are_unique_in_the_catalog() -> None:
    providers = load_config(None, environ={}).providers.values()
    for field in ("one_api_types", "new_api_types"):
        ids = [type_id for provider in providers for type_id in getattr(provider, field)]
        assert len(ids) == len(set(ids)), field
    by_new_id = {i: p.name for p in providers for i in p.new_api_types}
    assert by_new_id[1] == "openai" and by_new_id[3] == "azure" and by_new_id[14] == "anthropic"
    assert by_new_id[24] == "gemini" and by_new_id[43] == "deepseek" and by_new_id[8] == "custom"


def test_config_package_imports_no_framework() -> None:
    code = (
        "import sys, newapi.config\n"
        "newapi.config.load_config(None, environ={})\n"
        "bad = sorted({'sanic', 'tortoise', 'redis', 'httpx'} & set(sys.modules))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_schema_errors_do_not_repeat_values_that_may_be_secret(tmp_path: Path) -> None:
    text = 'config_version = 1\n[redis]\nurl = "user:hunter2@cache:6379"\n'
    [line] = validate_file(_write(tmp_path, text), {})
    assert "hunter2" not in line
    assert line.endswith("redis.url: the value does not match '^(rediss?|unix)://|^\\\\$\\\\{'")


def test_bad_escape_in_a_key_is_a_syntax_problem(in_tmp: Path) -> None:
    _write(in_tmp, 'config_version = 1\n["bad\\q"]\nx = 1\n')
    [line] = validate_file("gateway.toml", {})
    assert line.startswith("gateway.toml:2: invalid TOML: ")


def test_not_utf8_is_a_problem(in_tmp: Path) -> None:
    (in_tmp / "gateway.toml").write_bytes(b"config_version = 1\n# \xff\n")
    assert validate_file("gateway.toml", {}) == [
        "gateway.toml: not UTF-8 text: invalid start byte at byte 21"
    ]
