"""Offline token counting with tiktoken's cl100k_base and o200k_base encodings.

The encoding files ship inside the package (``newapi/data/tiktoken``) under the names tiktoken
gives its cache files, and tiktoken re-checks their sha256 on load. ``TIKTOKEN_CACHE_DIR`` is
pointed at that folder before the first encoding is built, so nothing is ever downloaded.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import tiktoken

__all__ = ["ENCODING_DIR", "count_tokens", "encoding_for", "encoding_name_for"]

ENCODING_DIR = Path(__file__).resolve().parent.parent / "data" / "tiktoken"

# Model-name prefixes that use o200k_base; every other model counts with cl100k_base.
_O200K_PREFIXES = (
    "gpt-4o",
    "gpt-4.1",
    "gpt-4.5",
    "gpt-5",
    "o1",
    "o3",
    "o4",
    "chatgpt-4o",
    "gpt-oss",
)


def encoding_name_for(model: str) -> str:
    """Name of the encoding used to count ``model``'s tokens."""
    name = model.rsplit("/", 1)[-1].lower()
    return "o200k_base" if name.startswith(_O200K_PREFIXES) else "cl100k_base"


@lru_cache(maxsize=2)
def _encoding(name: str) -> tiktoken.Encoding:
    # tiktoken reads this variable on every load; setting it only for the load keeps the
    # process environment as the operator left it.
    previous = os.environ.get("TIKTOKEN_CACHE_DIR")
    os.environ["TIKTOKEN_CACHE_DIR"] = str(ENCODING_DIR)
    try:
        return tiktoken.get_encoding(name)
    finally:
        if previous is None:
            del os.environ["TIKTOKEN_CACHE_DIR"]
        else:
            os.environ["TIKTOKEN_CACHE_DIR"] = previous


def encoding_for(model: str) -> tiktoken.Encoding:
    """The tiktoken encoding for ``model`` (loaded once per process)."""
    return _encoding(encoding_name_for(model))


def count_tokens(text: str, model: str) -> int:
    """Number of tokens ``text`` has for ``model``; special-token text counts as plain text."""
    if not text:
        return 0
    return len(encoding_for(model).encode(text, disallowed_special=()))
