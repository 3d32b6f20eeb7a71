"""Loading gateway.toml: read, parse, validate, check, build; every problem reported at once.

Order: read the file, parse the TOML (a syntax error is one problem with its line), validate
against the JSON Schema (all errors), expand ``${ENV_VAR}`` references, run the semantic checks,
read New API's environment overrides; only when nothing is wrong, build the immutable
``GatewayConfig``. Built-in defaults (``newapi/config/builtin/*.toml``) go through the same
schema.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from importlib import resources

from newapi.config.build import Table, build_config, merge_providers
from newapi.config.checks import check_document
from newapi.config.locate import KeyLocator, Problem, render
from newapi.config.model import GatewayConfig
from newapi.config.schema import schema_problems
from newapi.config.secrets import environment, expand_references, read_overrides
from newapi.errors import ConfigError

__all__ = [
    "BUILTIN_FILES",
    "DEFAULT_CONFIG_PATH",
    "builtin_document",
    "load_config",
    "validate_file",
]

DEFAULT_CONFIG_PATH = "gateway.toml"
BUILTIN_FILES = ("providers.toml", "rules.toml", "prices.toml")
DEFAULTS_SOURCE = "environment"  # how problems are attributed when there is no file

_SYNTAX_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def _parse(text: str) -> tuple[Table | None, Problem | None]:
    """Parse TOML with every float as ``Decimal``; a syntax error becomes one problem."""
    try:
        return tomllib.loads(text, parse_float=Decimal), None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _SYNTAX_POSITION.search(message)
        if position is None:
            return None, Problem((), f"invalid TOML: {message}")
        head = message[: position.start()]
        line, column = int(position.group(1)), position.group(2)
        return None, Problem((), f"invalid TOML: {head} (column {column})", line=line)


def _read_builtin(name: str) -> Table:
    source = f"newapi/config/builtin/{name}"
    text = resources.files("newapi.config").joinpath("builtin", name).read_text(encoding="utf-8")
    document, syntax = _parse(text)
    problems = [syntax] if syntax is not None else schema_problems(document or {})
    if problems or document is None:
        raise ConfigError(render(problems, source, KeyLocator(text)), source=source)
    return document


@functools.cache
def builtin_document() -> Mapping[str, object]:
    """The built-in defaults: the three built-in files merged into one document.

    Each file is a gateway.toml fragment validated against the same schema; the files hold
    disjoint tables (providers; rules; prices and groups).

    Returns:
        The merged document. Callers must not change it.

    Raises:
        ConfigError: a built-in file is broken (a packaging bug).
    """
    merged: Table = {}
    for name in BUILTIN_FILES:
        for key, value in _read_builtin(name).items():
            if key != "config_version":
                merged[key] = value
    return merged


def _read(path: str) -> tuple[bytes | None, Problem | None]:
    try:
        with open(path, "rb") as handle:
            return handle.read(), None
    except OSError as error:
        return None, Problem((), f"cannot read the file: {error.strerror or error}")


def _check_file(
    source: str, environ: Mapping[str, str]
) -> tuple[Table, list[Problem], KeyLocator | None, str]:
    """Read, parse, validate and check one file; return its expanded document and problems."""
    data, problem = _read(source)
    if data is None:
        return {}, [problem] if problem else [], None, ""
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        problem = Problem((), f"not UTF-8 text: {error.reason} at byte {error.start}")
        return {}, [problem], None, digest
    document, syntax = _parse(text)
    locator = KeyLocator(text)
    if document is None:
        return {}, [syntax] if syntax else [], locator, digest
    problems = schema_problems(document)
    expanded, unset = expand_references(document, environ)
    problems += unset
    problems += check_document(expanded, merge_providers(builtin_document(), expanded))
    return expanded, problems, locator, digest


def _load(
    path: str | os.PathLike[str] | None, environ: Mapping[str, str] | None
) -> tuple[GatewayConfig | None, list[str], str]:
    variables = environment(environ)
    overrides, env_problems = read_overrides(variables)
    builtin = builtin_document()
    if path is None:
        lines = render(env_problems, DEFAULTS_SOURCE, None)
        if lines:
            return None, lines, DEFAULTS_SOURCE
        return build_config({}, builtin, overrides, None, ""), [], DEFAULTS_SOURCE
    source = os.fspath(path)
    document, problems, locator, digest = _check_file(source, variables)
    lines = render([*problems, *env_problems], source, locator)
    if lines:
        return None, lines, source
    return build_config(document, builtin, overrides, source, digest), [], source


def load_config(
    path: str | os.PathLike[str] | None, environ: Mapping[str, str] | None = None
) -> GatewayConfig:
    """Load the configuration from a gateway.toml file and the environment.

    Args:
        path: the file, or None for the built-in defaults only (``source_hash`` is then "").
        environ: variables for ``${ENV_VAR}`` references and New API's overrides (``PORT``,
            ``SQL_DSN``, ...); None means the process environment.

    Returns:
        The immutable configuration.

    Raises:
        ConfigError: anything is wrong; ``problems`` lists every problem, one line each.
    """
    config, lines, source = _load(path, environ)
    if config is None:
        raise ConfigError(lines, source=source)
    return config


def validate_file(
    path: str | os.PathLike[str], environ: Mapping[str, str] | None = None
) -> list[str]:
    """Check a gateway.toml file without building anything from it.

    Args:
        path: the file.
        environ: as for ``load_config``; None means the process environment.

    Returns:
        Every problem, one line each (``gateway.toml:14 channels.openai.weight: ...``); empty
        when the file (with this environment) is valid.
    """
    return _load(path, environ)[1]
