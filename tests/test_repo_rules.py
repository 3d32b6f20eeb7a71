"""Rules of the code base that a reviewer should not have to check by hand (STYLE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "newapi"
GENERATED = ("newapi/admin/client/",)
FRAMEWORKS = {"sanic", "tortoise", "redis", "httpx"}

# Packages that must stay free of frameworks and I/O libraries.
PURE = (
    "newapi/config/",
    "newapi/relay/formats/",
    "newapi/billing/prices.py",
    "newapi/billing/meter.py",
    "newapi/billing/estimate.py",
    "newapi/errors.py",
)

# Imports point one way: a package may not import the packages listed for it.
FORBIDDEN = {
    "newapi/errors.py": {
        "newapi.config",
        "newapi.store",
        "newapi.relay",
        "newapi.billing",
        "newapi.admin",
        "newapi.cache",
        "newapi.auth",
        "newapi.app",
        "newapi.cli",
    },
    "newapi/config/": {
        "newapi.store",
        "newapi.relay",
        "newapi.billing",
        "newapi.admin",
        "newapi.cache",
        "newapi.auth",
        "newapi.app",
        "newapi.cli",
    },
    "newapi/store/": {"newapi.relay", "newapi.admin", "newapi.app", "newapi.cli"},
    "newapi/billing/": {"newapi.relay", "newapi.admin", "newapi.app", "newapi.cli"},
    "newapi/cache/": {"newapi.relay", "newapi.admin", "newapi.app", "newapi.cli"},
    "newapi/auth/": {"newapi.relay", "newapi.admin", "newapi.app", "newapi.cli"},
    "newapi/relay/": {"newapi.admin", "newapi.app", "newapi.cli"},
    "newapi/admin/": {"newapi.app", "newapi.cli"},
}


def _sources() -> list[Path]:
    files = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        if not rel.startswith(GENERATED):
            files.append(path)
    return files


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_there_are_sources() -> None:
    assert len(_sources()) > 10


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_module_rules(path: Path) -> None:
    rel = path.relative_to(REPO).as_posix()
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= 800, f"{rel} has {lines} lines; split it by concern (STYLE.md)"
    imports = _imports(path)
    assert "json" not in imports, f"{rel} imports json; use orjson"
    if rel.startswith(PURE):
        used = {name.split(".")[0] for name in imports} & FRAMEWORKS
        assert not used, f"{rel} must not import {sorted(used)}"
    for prefix, banned in FORBIDDEN.items():
        if rel.startswith(prefix):
            bad = {name for name in imports if ".".join(name.split(".")[:2]) in banned}
            assert not bad, f"{rel} imports {sorted(bad)} against the import direction"
    if rel != "newapi/cli.py" and "/testing/" not in rel:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        prints = [
            n.lineno
            for n in ast.walk(tree)
            if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Name)
            and n.func.id == "print"
            and not _in_main_block(tree, n)
        ]
        assert not prints, f"{rel} calls print() at lines {prints}; use logging"


def _in_main_block(tree: ast.Module, call: ast.Call) -> bool:
    for node in tree.body:
        if (
            isinstance(node, ast.If)
            and isinstance(node.test, ast.Compare)
            and isinstance(node.test.left, ast.Name)
            and node.test.left.id == "__name__"
            and node.lineno <= call.lineno <= (node.end_lineno or node.lineno)
        ):
            return True
    return False


def test_environment_is_read_only_by_config_and_cli() -> None:
    allowed = ("newapi/config/", "newapi/cli.py", "newapi/billing/tokenizer.py", "newapi/testing/")
    offenders = []
    for path in _sources():
        rel = path.relative_to(REPO).as_posix()
        if rel.startswith(allowed):
            continue
        text = path.read_text(encoding="utf-8")
        if "os.environ" in text or "getenv(" in text:
            offenders.append(rel)
    assert not offenders, f"read settings from GatewayConfig, not the environment: {offenders}"
