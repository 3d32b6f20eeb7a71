"""The shipped examples: valid ones load, invalid ones give exactly the lines they announce."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from newapi.config import GatewayConfig, load_config, validate_file
from newapi.config.load import BUILTIN_FILES, _parse
from newapi.config.locate import KeyLocator, render
from newapi.config.schema import schema_problems
from tests.conftest import REPO

EXAMPLES = REPO / "schemas" / "examples"
VALID = sorted((EXAMPLES / "valid").glob("*.toml"))
INVALID = sorted((EXAMPLES / "invalid").glob("*.toml"))


def _directives(path: Path, name: str) -> list[str]:
    prefix = f"# {name}: "
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line[len(prefix) :] for line in lines if line.startswith(prefix)]


def _environ(path: Path) -> dict[str, str]:
    return dict(item.split("=", 1) for item in _directives(path, "env"))


def test_there_are_enough_examples() -> None:
    assert len(VALID) >= 4
    assert len(INVALID) >= 10


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_example_loads(path: Path) -> None:
    environ = _environ(path)
    assert validate_file(path, environ) == []
    config = load_config(path, environ)
    assert isinstance(config, GatewayConfig)
    assert config.source_path == str(path)
    assert len(config.source_hash) == 64


def test_valid_examples_cover_every_table() -> None:
    used: set[str] = set()
    for path in VALID:
        document, problem = _parse(path.read_text(encoding="utf-8"))
        assert problem is None and document is not None
        used.update(document)
        rules = document.get("rules", {})
        assert isinstance(rules, dict)
        used.update(f"rules.{key}" for key in rules)
    expected = {
        "config_version",
        "server",
        "database",
        "redis",
        "relay",
        "security",
        "node",
        "providers",
        "channels",
        "rules",
        "prices",
        "groups",
        "rules.rename",
        "rules.reasoning_suffix",
        "rules.builtin_reasoning_suffix",
    }
    assert expected <= used


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_example_gives_its_expected_lines(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("# expect: "), "an invalid example starts with its expectation"
    expected = _directives(path, "expect")
    monkeypatch.chdir(path.parent)
    assert validate_file(path.name, _environ(path)) == expected


def test_repo_gateway_toml_is_valid_without_environment() -> None:
    assert validate_file(REPO / "gateway.toml", environ={}) == []
    text = (REPO / "gateway.toml").read_text(encoding="utf-8").splitlines()
    assert text[0] == "#:schema ./schemas/gateway.v1.schema.json"
    assert text[1] == "config_version = 1"


def test_repo_gateway_toml_loads() -> None:
    config = load_config(REPO / "gateway.toml", environ={})
    assert (config.server.host, config.server.port) == ("127.0.0.1", 3000)
    assert config.database.url == "sqlite://./data/one-api.db"
    assert set(config.groups) >= {"default", "vip", "svip"}
    fake = config.channels["local-fake"]
    assert fake.base_url == "http://127.0.0.1:3001"
    assert fake.enabled is False


@pytest.mark.parametrize("name", BUILTIN_FILES)
def test_builtin_file_passes_the_schema(name: str) -> None:
    text = resources.files("newapi.config").joinpath("builtin", name).read_text(encoding="utf-8")
    document, problem = _parse(text)
    assert problem is None and document is not None
    assert render(schema_problems(document), name, KeyLocator(text)) == []
    assert document["config_version"] == 1


@pytest.mark.parametrize("name", BUILTIN_FILES)
def test_builtin_file_passes_the_semantic_checks(name: str, tmp_path: Path) -> None:
    text = resources.files("newapi.config").joinpath("builtin", name).read_text(encoding="utf-8")
    copy = tmp_path / name
    copy.write_text(text, encoding="utf-8")
    assert validate_file(copy, environ={}) == []
