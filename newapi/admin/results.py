"""Types every domain shares: the BigInt scalar, field errors, paging and key masking."""

from __future__ import annotations

from typing import NewType

import strawberry

from newapi.errors import InvalidRequestError

__all__ = [
    "BIG_INT_SCALAR",
    "MAX_PAGE_SIZE",
    "BigInt",
    "Deleted",
    "FieldError",
    "FieldErrors",
    "field_errors",
    "from_invalid",
    "mask_key",
    "page_window",
]

MAX_PAGE_SIZE = 100


def _parse_big(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("BigInt must be an integer")
    return int(value)


BigInt = NewType("BigInt", int)

# Give this to StrawberryConfig(scalar_map=...) (schema.py).
BIG_INT_SCALAR = strawberry.scalar(
    name="BigInt",
    description="A 64-bit integer (quotas, Unix seconds).",
    serialize=int,
    parse_value=_parse_big,
)


@strawberry.type
class FieldError:
    """Why one input field was refused; ``field`` is the input's field name."""

    field: str
    message: str


@strawberry.type
class FieldErrors:
    """An expected failure: the input was not acceptable."""

    errors: list[FieldError]


@strawberry.type
class Deleted:
    id: int
    deleted: bool


def field_errors(*pairs: tuple[str, str]) -> FieldErrors:
    return FieldErrors(errors=[FieldError(field=f, message=m) for f, m in pairs])


def from_invalid(exc: InvalidRequestError, default_field: str) -> FieldErrors:
    """A store's refusal as a field error."""
    return field_errors((_camel(exc.param or default_field), exc.message))


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def page_window(page: int, page_size: int) -> tuple[int, int, int, int]:
    """``(page, page_size, offset, limit)`` with page ≥ 1 and 1 ≤ page_size ≤ 100."""
    page = max(1, page)
    size = min(max(1, page_size), MAX_PAGE_SIZE)
    return page, size, (page - 1) * size, size


def mask_key(key: str) -> str:
    """``sk-abcd****wxyz``: a prefix kept, the first and last four characters, stars between."""
    prefix = "sk-" if key.startswith("sk-") else ""
    body = key[len(prefix) :]
    if len(body) <= 8:
        return prefix + "****"
    return f"{prefix}{body[:4]}****{body[-4:]}"
