"""Generate docs/config.md from the gateway.toml JSON Schema and the built-in catalog.

Usage: ``python scripts/gen_config_docs.py`` rewrites docs/config.md; ``--check`` only reports
(exit 1) when the file is stale. ``tests/config`` runs the check too.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import cast

import orjson

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "schemas" / "gateway.v1.schema.json"
PROVIDERS = REPO / "newapi" / "config" / "builtin" / "providers.toml"
DOC = REPO / "docs" / "config.md"
PLACEHOLDERS = {"prices": "<model>", "native": "<format>"}

Node = Mapping[str, object]


def _resolve(root: Node, node: Node) -> Node:
    ref = node.get("$ref")
    if isinstance(ref, str):
        target: object = root
        for part in ref.removeprefix("#/").split("/"):
            target = cast(Node, target)[part]
        return {**cast(Node, target), **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return orjson.dumps(value).decode()
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return str(value)


def _range(node: Node, base: str) -> str:
    low, high = node.get("minimum"), node.get("maximum")
    if low is not None and high is not None:
        return f"{base} {low}–{high}"
    if low is not None:
        return f"{base} ≥ {low}"
    return base


def _type(root: Node, node: Node) -> str:
    node = _resolve(root, node)
    if "const" in node:
        return f"= {_toml(node['const'])}"
    if "enum" in node:
        return " \\| ".join(f"`{item}`" for item in cast(list[object], node["enum"]))
    kind = node.get("type")
    if kind == "array":
        items = _type(root, cast(Node, node.get("items", {})))
        traits = [
            trait
            for trait, key in (("non-empty", "minItems"), ("unique", "uniqueItems"))
            if key in node
        ]
        return f"array of {items}" + (f" ({', '.join(traits)})" if traits else "")
    if kind == "object":
        values = list(cast(Node, node.get("patternProperties", {})).values())
        inner = _type(root, cast(Node, values[0])) if values else "value"
        return f"table of {inner}"
    if kind in ("integer", "number"):
        return _range(node, str(kind))
    return str(kind)


def _is_table(root: Node, node: Node) -> bool:
    return "properties" in _resolve(root, node)


def _map_value(root: Node, node: Node) -> Node | None:
    node = _resolve(root, node)
    values = list(cast(Node, node.get("patternProperties", {})).values())
    if len(values) == 1 and _is_table(root, cast(Node, values[0])):
        return _resolve(root, cast(Node, values[0]))
    return None


def _array_table(root: Node, node: Node) -> Node | None:
    node = _resolve(root, node)
    if node.get("type") == "array" and _is_table(root, cast(Node, node.get("items", {}))):
        return _resolve(root, cast(Node, node["items"]))
    return None


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table_rows(root: Node, node: Node) -> list[str]:
    required = cast(list[str], node.get("required", []))
    rows = []
    for key, prop in cast(Node, node["properties"]).items():
        prop = _resolve(root, cast(Node, prop))
        if _is_table(root, prop) or _map_value(root, prop) or _array_table(root, prop):
            continue
        if key in required:
            default = "required"
        elif "default" in prop:
            default = f"`{_toml(prop['default'])}`"
        else:
            default = ""
        rows.append(
            f"| `{key}` | {_type(root, prop)} | {_cell(default)} | {_cell(prop['description'])} |"
        )
    return rows


def _sections(root: Node, node: Node, title: str, description: str) -> list[str]:
    out = [f"## `{title}`" if title else "## Top level", ""]
    if description:
        out += [description, ""]
    rows = _table_rows(root, node)
    if rows:
        out += ["| key | type | default | description |", "|---|---|---|---|", *rows, ""]
    base = title.strip("[]")
    for key, prop in cast(Node, node["properties"]).items():
        prop = _resolve(root, cast(Node, prop))
        path = f"{base}.{key}" if base else key
        text = str(prop["description"])
        if _is_table(root, prop):
            out += _sections(root, prop, f"[{path}]", text)
        elif (entry := _map_value(root, prop)) is not None:
            name = PLACEHOLDERS.get(key, "<name>")
            out += _sections(root, entry, f"[{path}.{name}]", text)
        elif (item := _array_table(root, prop)) is not None:
            out += _sections(root, item, f"[[{path}]]", text)
    return out


def _environment() -> list[str]:
    sys.path.insert(0, str(REPO))
    from newapi.config.secrets import ENV_OVERRIDES

    rows = [f"| `{o.variable}` | `{o.section}.{o.field}` |" for o in ENV_OVERRIDES]
    return [
        "## Environment variables",
        "",
        "New API's variables keep their names and win over the file. An empty variable counts as",
        "unset. `SQLITE_PATH` sets `database.url` to `sqlite://<path>` when `SQL_DSN` is unset.",
        "",
        "| variable | overrides |",
        "|---|---|",
        *rows,
        "",
    ]


def _catalog() -> list[str]:
    providers = tomllib.loads(PROVIDERS.read_text(encoding="utf-8"))["providers"]
    rows = []
    for name, fields in providers.items():
        one, new = (
            ", ".join(str(i) for i in fields.get(key, []))
            for key in ("one_api_types", "new_api_types")
        )
        base = f"`{fields['base_url']}`" if "base_url" in fields else "(channel gives it)"
        rows.append(
            f"| `{name}` | `{fields['format']}` | {base} | `{fields['auth']}` | {one} | {new} |"
        )
    return [
        "## Built-in providers",
        "",
        "From `newapi/config/builtin/providers.toml`; `[providers.<name>]` in gateway.toml extends",
        "or overrides them field by field. The type ids map One API and New API channel types",
        "when an existing database is opened.",
        "",
        "| name | format | base URL | auth | One API types | New API types |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
    ]


def render() -> str:
    """The whole docs/config.md text."""
    root = cast(Node, orjson.loads(SCHEMA.read_bytes()))
    head = [
        "# gateway.toml reference",
        "",
        "<!-- Generated by scripts/gen_config_docs.py from schemas/gateway.v1.schema.json."
        " Do not edit. -->",
        "",
        str(root["description"]),
        "",
        "Start the file with `#:schema ./schemas/gateway.v1.schema.json` so editors (Taplo, Even",
        "Better TOML) complete and check it. Unknown keys are errors. Strings in keys, headers,",
        "URLs and secrets may reference the environment as `${ENV_VAR}` (`$${...}` for a literal);",
        "an unset variable is an error. Check a file with `newapi config validate gateway.toml`.",
        "",
    ]
    body = _sections(root, root, "", "")
    return "\n".join([*head, *body, *_environment(), *_catalog()]).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write docs/config.md, or with ``--check`` report whether it is stale."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 when docs/config.md is stale")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
            print(f"{DOC.relative_to(REPO)} is stale; run python scripts/gen_config_docs.py")
            return 1
        return 0
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
