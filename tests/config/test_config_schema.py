"""The JSON Schema itself: strictness, descriptions, defaults, packaging, generated docs."""

from __future__ import annotations

import dataclasses
import importlib.util
from collections.abc import Iterator
from types import ModuleType

import orjson
import pytest
from jsonschema import Draft202012Validator

from newapi.config import (
    ChannelConfig,
    ChannelSettings,
    DatabaseConfig,
    GroupConfig,
    NodeConfig,
    RelayConfig,
    ServerConfig,
    schema_text,
)
from newapi.config.locate import KeyLocator, format_path
from tests.conftest import REPO

SCHEMA_FILE = REPO / "schemas" / "gateway.v1.schema.json"


def _schema() -> dict[str, object]:
    return orjson.loads(SCHEMA_FILE.read_bytes())  # type: ignore[no-any-return]


def _nodes(node: object, path: str = "#") -> Iterator[tuple[str, dict[str, object]]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _nodes(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _nodes(value, f"{path}/{index}")


def test_schema_is_valid_2020_12() -> None:
    schema = _schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_every_object_forbids_additional_properties() -> None:
    objects = [
        (path, node)
        for path, node in _nodes(_schema())
        if node.get("type") == "object" or "properties" in node or "patternProperties" in node
    ]
    assert len(objects) > 15
    loose = [path for path, node in objects if node.get("additionalProperties") is not False]
    assert loose == []


def test_every_property_has_a_description() -> None:
    missing = []
    count = 0
    for path, node in _nodes(_schema()):
        for keyword in ("properties", "patternProperties"):
            for key, prop in dict(node.get(keyword, {})).items():  # type: ignore[call-overload]
                count += 1
                if not str(prop.get("description", "")).strip():
                    missing.append(f"{path}/{keyword}/{key}")
    assert count > 80
    assert missing == []


def test_packaged_schema_is_the_repository_schema() -> None:
    assert schema_text() == SCHEMA_FILE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("section", "cls"),
    [
        ("server", ServerConfig),
        ("database", DatabaseConfig),
        ("relay", RelayConfig),
        ("node", NodeConfig),
    ],
)
def test_schema_defaults_match_the_dataclasses(section: str, cls: type) -> None:
    properties = _schema()["properties"][section]["properties"]  # type: ignore[index]
    defaults = {f.name: f.default for f in dataclasses.fields(cls)}
    for key, prop in properties.items():
        assert key in defaults, f"{section}.{key} has no dataclass field"
        if "default" in prop:
            assert prop["default"] == defaults[key], f"{section}.{key}"


def test_channel_and_group_defaults_match_the_dataclasses() -> None:
    defs = _schema()["$defs"]
    channel: dict[str, object] = {f.name: f.default for f in dataclasses.fields(ChannelConfig)}
    channel["groups"] = ["default"]  # ChannelConfig.groups is the tuple ("default",)
    assert ChannelConfig("c", "p", None, (), ("m",)).groups == ("default",)
    for key in ("key_mode", "groups", "priority", "weight", "enabled"):
        assert defs["channel"]["properties"][key]["default"] == channel[key], key  # type: ignore[index]
    settings = {f.name: f.default for f in dataclasses.fields(ChannelSettings)}
    for key, prop in defs["channel_settings"]["properties"].items():  # type: ignore[index]
        if "default" in prop:
            assert prop["default"] == settings[key], key
    group_ratio = defs["group"]["properties"]["ratio"]["default"]  # type: ignore[index]
    assert group_ratio == GroupConfig().ratio


def _docs_script() -> ModuleType:
    script = REPO / "scripts" / "gen_config_docs.py"
    spec = importlib.util.spec_from_file_location("gen_config_docs", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_config_md_is_current() -> None:
    expected = _docs_script().render()
    actual = (REPO / "docs" / "config.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/config.md is stale: run python scripts/gen_config_docs.py"


def test_docs_mention_every_schema_key() -> None:
    text = (REPO / "docs" / "config.md").read_text(encoding="utf-8")
    for _, node in _nodes(_schema()):
        for key in dict(node.get("properties", {})):  # type: ignore[call-overload]
            assert any(f"{mark}{key}" in text for mark in ("`", ".", "[")), key


def test_locator_maps_paths_to_lines() -> None:
    text = (
        "config_version = 1\n"
        '[channels."my.chan"]\n'
        'provider = "openai"\n'
        'settings.proxy = "http://p"\n'
        'notes = """\n'
        "[not.a.table]\n"
        "x = 1\n"
        '"""\n'
        "[[rules.rename]]\n"
        'match = "a"\n'
        "[[rules.rename]]  # second\n"
        "to = 'b'\n"
    )
    locator = KeyLocator(text)
    assert locator.line(("config_version",)) == 1
    assert locator.line(("channels", "my.chan")) == 2
    assert locator.line(("channels", "my.chan", "provider")) == 3
    assert locator.line(("channels", "my.chan", "settings", "proxy")) == 4
    assert locator.line(("channels", "my.chan", "settings")) == 4
    assert locator.line(("not",)) is None
    assert locator.line(("rules", "rename", 0, "match")) == 10
    assert locator.line(("rules", "rename", 1, "to")) == 12
    assert locator.line(("rules", "rename", 1, "groups")) == 11
    assert locator.line(("channels", "my.chan", "models", 3)) == 2


def test_paths_are_spelled_like_toml() -> None:
    assert format_path(("channels", "openai", "models", 0)) == "channels.openai.models[0]"
    assert format_path(("prices", "gpt-4.1", "free")) == 'prices."gpt-4.1".free'
    assert format_path(()) == ""
