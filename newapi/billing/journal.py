"""The billing journal: an append-only file of reservations, settlements and releases.

A record is one line of JSON. ``append`` returns once ``write(2)`` has handed the line to the
kernel, which is durable against the process being killed (SIGKILL, OOM, crash); only a crash of
the whole machine can lose lines that were not yet synced, and ``sync`` narrows that window.
The database is brought up to date from the journal in batches (see ``ledger``), and the
position up to which a journal has been applied is stored in the same transaction as the
batch, so every record is applied exactly once, also after a restart.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

__all__ = ["Journal", "JournalRecord", "read_records"]

log = logging.getLogger(__name__)

JournalRecord = dict[str, Any]

SUFFIX = ".journal"


class Journal:
    """One process's journal file, opened for appending."""

    __slots__ = ("_fd", "name", "path", "size")

    def __init__(self, directory: Path, name: str) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.name = name
        self.path = directory / f"{name}{SUFFIX}"
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self.size = os.fstat(self._fd).st_size

    def append(self, record: JournalRecord) -> int:
        """Write ``record``; return the file offset just after it."""
        line = orjson.dumps(record) + b"\n"
        written = os.write(self._fd, line)
        while written < len(line):  # regular files write whole buffers; be safe anyway
            written += os.write(self._fd, line[written:])
        self.size += len(line)
        return self.size

    def sync(self) -> None:
        """Flush to stable storage (survives a power loss, not only a process crash)."""
        os.fsync(self._fd)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    @staticmethod
    def files(directory: Path) -> list[Path]:
        """Journal files in ``directory``, oldest first."""
        if not directory.is_dir():
            return []
        return sorted(directory.glob(f"*{SUFFIX}"), key=lambda p: (p.stat().st_mtime, p.name))

    @staticmethod
    def name_of(path: Path) -> str:
        return path.name[: -len(SUFFIX)]


def read_records(path: Path, offset: int = 0) -> Iterator[tuple[int, JournalRecord]]:
    """Records after ``offset`` with the offset just after each; a torn last line is skipped."""
    with path.open("rb") as handle:
        handle.seek(offset)
        position = offset
        for line in handle:
            if not line.endswith(b"\n"):
                log.warning("journal %s ends with an incomplete record; ignoring it", path.name)
                return
            position += len(line)
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError:
                log.error("journal %s has an unreadable record at %d", path.name, position)
                continue
            yield position, record
