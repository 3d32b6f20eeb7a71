"""The JSON Schema of gateway.toml: finding it, and turning its errors into problems.

The one source is ``schemas/gateway.v1.schema.json`` at the top of the repository; the package
reaches it as ``newapi/schemas/gateway.v1.schema.json`` (a link in a checkout, a copy in a built
wheel). Every schema error becomes one ``Problem`` with jsonschema's own message, except
``additionalProperties``, which says ``unknown key 'foo'`` at the unknown key's own path.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from importlib import resources
from typing import cast

import orjson
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from newapi.config.locate import KeyPath, Problem
from newapi.config.secrets import is_reference_field

__all__ = ["SCHEMA_RESOURCE", "schema", "schema_problems", "schema_text"]

SCHEMA_RESOURCE = "schemas/gateway.v1.schema.json"

_DECIMAL_REPR = re.compile(r"Decimal\('([^']*)'\)")


@functools.cache
def schema_text() -> str:
    """The schema document, as shipped (for ``newapi config schema``).

    Returns:
        The JSON text of ``gateway.v1.schema.json``.
    """
    return resources.files("newapi").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")


@functools.cache
def schema() -> Mapping[str, object]:
    """The parsed schema, checked against the 2020-12 meta-schema once.

    Returns:
        The schema as a mapping.
    """
    document = cast("dict[str, object]", orjson.loads(schema_text()))
    Draft202012Validator.check_schema(document)
    return document


@functools.cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


def _message(text: str) -> str:
    """The jsonschema message with ``Decimal('1.5')`` shown as TOML writes it (``1.5``)."""
    return _DECIMAL_REPR.sub(r"\1", text)


def _problem(error: ValidationError) -> Problem:
    """A schema error as a problem; values of fields that may hold secrets are not repeated."""
    path: KeyPath = tuple(error.absolute_path)
    message = _message(error.message)
    if isinstance(error.instance, str) and is_reference_field(path):
        message = message.replace(repr(error.instance), "the value")
    return Problem(path, message)


def _unknown_keys(error: ValidationError) -> list[Problem]:
    """One problem per key that ``additionalProperties: false`` rejected."""
    node = cast("dict[str, object]", error.schema)
    instance = cast("dict[str, object]", error.instance)
    known = cast("dict[str, object]", node.get("properties", {}))
    patterns = list(cast("dict[str, object]", node.get("patternProperties", {})))
    base: KeyPath = tuple(error.absolute_path)
    problems = []
    for key in instance:
        if key in known or any(re.search(pattern, key) for pattern in patterns):
            continue
        if patterns and not known:
            message = f"invalid name '{key}': it must match {' or '.join(patterns)}"
        else:
            message = f"unknown key '{key}'{_dotted_name_hint(base, key)}"
        problems.append(Problem((*base, key), message))
    return problems


def _dotted_name_hint(base: KeyPath, key: str) -> str:
    """A hint for ``[prices.gpt-4.1]``, which TOML reads as ``prices."gpt-4"."1"``."""
    if len(base) == 2 and base[0] == "prices" and isinstance(base[1], str):
        return f' (quote a model name that has dots: [prices."{base[1]}.{key}"])'
    return ""


def schema_problems(document: Mapping[str, object]) -> list[Problem]:
    """Validate a parsed TOML document and report every error.

    Args:
        document: the document as ``tomllib`` returned it (floats as Decimal).

    Returns:
        One problem per schema error, in document order of jsonschema's traversal.
    """
    problems: list[Problem] = []
    for error in _validator().iter_errors(document):
        if error.validator == "additionalProperties":
            problems.extend(_unknown_keys(error))
        else:
            problems.append(_problem(error))
    return problems
