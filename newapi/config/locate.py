"""Where a configuration problem is: key paths, their TOML lines, and the one-line rendering.

A ``Problem`` names a key path (``("channels", "openai", "weight")``) and a message. The
``KeyLocator`` scans the TOML text once (table headers ``[a.b]``, arrays of tables ``[[a.b]]``
with their running index, dotted and plain ``key =`` lines) and maps key paths to line numbers;
a path it has not seen falls back to its nearest known ancestor. ``render`` turns problems into
lines such as ``gateway.toml:14 channels.openai.weight: -1 is less than the minimum of 0``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass

import orjson

__all__ = ["KeyLocator", "KeyPath", "Problem", "format_path", "render"]

KeyPath = tuple[str | int, ...]

_BARE = r"[A-Za-z0-9_-]+"
_BASIC = r'"(?:[^"\\]|\\.)*"'
_LITERAL = r"'[^']*'"
_KEY = re.compile(rf"{_BARE}|{_BASIC}|{_LITERAL}")
_DOTTED = rf"(?:{_BARE}|{_BASIC}|{_LITERAL})(?:\s*\.\s*(?:{_BARE}|{_BASIC}|{_LITERAL}))*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?\s*(?:#.*)?$")
_ASSIGN = re.compile(rf"^\s*({_DOTTED})\s*=")
_BARE_ONLY = re.compile(rf"^{_BARE}$")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the configuration.

    Attributes:
        path: key path inside the TOML document (strings for keys, ints for array indexes).
        message: what is wrong, one line.
        where: a location label that replaces the file position (e.g. an environment variable).
        line: a known line number that wins over the locator's (TOML syntax errors).
    """

    path: KeyPath
    message: str
    where: str | None = None
    line: int | None = None


def format_path(path: KeyPath) -> str:
    """Render a key path the way TOML spells it: ``channels."my.chan".models[0]``.

    Args:
        path: the key path.

    Returns:
        Dotted keys (quoted when not bare) with ``[i]`` for array indexes.
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        text = part if _BARE_ONLY.match(part) else orjson.dumps(part).decode()
        out += f".{text}" if out else text
    return out


def _split_keys(dotted: str) -> list[str]:
    parts = []
    for match in _KEY.finditer(dotted):
        token = match.group(0)
        if token.startswith('"'):
            try:
                parts.append(str(tomllib.loads(f"k = {token}")["k"]))
            except tomllib.TOMLDecodeError:  # a bad escape; the parser reports it
                parts.append(token[1:-1])
        elif token.startswith("'"):
            parts.append(token[1:-1])
        else:
            parts.append(token)
    return parts


def _toggles_multiline(line: str, state: str | None) -> str | None:
    """Track whether the scan is inside a multi-line string after ``line``."""
    for delim in ('"""', "'''"):
        if state not in (None, delim):
            continue
        if line.count(delim) % 2 == 1:
            state = None if state == delim else delim
    return state


class KeyLocator:
    """Maps key paths of one TOML text to the line where they are written (1-based)."""

    __slots__ = ("_arrays", "_lines")

    def __init__(self, text: str) -> None:
        """Scan ``text`` once.

        Args:
            text: the TOML document (it may be invalid; unreadable lines are skipped).
        """
        self._lines: dict[KeyPath, int] = {}
        self._arrays: dict[KeyPath, int] = {}
        self._scan(text)

    def _scan(self, text: str) -> None:
        table: KeyPath = ()
        in_string: str | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            if in_string is not None:
                in_string = _toggles_multiline(line, in_string)
                continue
            header = _HEADER.match(line)
            if header is not None:
                keys = _split_keys(header.group(2))
                table = self._open_table(keys, header.group(1) == "[[", number)
                continue
            assign = _ASSIGN.match(line)
            if assign is not None:
                keys = _split_keys(assign.group(1))
                for end in range(1, len(keys) + 1):
                    self._remember((*table, *keys[:end]), number)
                in_string = _toggles_multiline(line[assign.end() :], None)

    def _resolve(self, keys: list[str], *, last_is_new_item: bool) -> KeyPath:
        path: KeyPath = ()
        for position, key in enumerate(keys):
            path = (*path, key)
            is_last = position == len(keys) - 1
            if path in self._arrays and not (is_last and last_is_new_item):
                path = (*path, self._arrays[path])
        return path

    def _open_table(self, keys: list[str], is_array: bool, number: int) -> KeyPath:
        path = self._resolve(keys, last_is_new_item=is_array)
        for end in range(1, len(path) + 1):
            self._remember(path[:end], number)
        if not is_array:
            return path
        index = self._arrays.get(path, -1) + 1
        self._arrays[path] = index
        item = (*path, index)
        self._remember(item, number)
        return item

    def _remember(self, path: KeyPath, number: int) -> None:
        self._lines.setdefault(path, number)

    def line(self, path: KeyPath) -> int | None:
        """The line of ``path``, or of its nearest ancestor that the text spells out.

        Args:
            path: the key path.

        Returns:
            The 1-based line number, or None when not even the first key is written.
        """
        for end in range(len(path), 0, -1):
            found = self._lines.get(path[:end])
            if found is not None:
                return found
        return None


def render(problems: Iterable[Problem], source: str, locator: KeyLocator | None) -> list[str]:
    """Turn problems into lines, in file order, without duplicates.

    Args:
        problems: what the checks found.
        source: the file name as the user gave it.
        locator: line finder for ``source``; None when there is no text to point into.

    Returns:
        One line per distinct problem: ``source:LINE path: message``; the ``:LINE`` part is left
        out when unknown, and ``where`` (an environment variable) replaces the file position.
    """
    keyed: list[tuple[int, int, str]] = []
    for order, problem in enumerate(problems):
        if problem.where is not None:
            keyed.append((1 << 30, order, f"{problem.where}: {problem.message}"))
            continue
        line = problem.line
        if line is None and locator is not None:
            line = locator.line(problem.path)
        position = source if line is None else f"{source}:{line}"
        label = format_path(problem.path)
        where = f"{position} {label}" if label else position
        text = f"{where}: {problem.message}"
        keyed.append((line if line is not None else (1 << 29), order, text))
    seen: set[str] = set()
    lines = []
    for _, _, text in sorted(keyed):
        if text not in seen:
            seen.add(text)
            lines.append(text)
    return lines
