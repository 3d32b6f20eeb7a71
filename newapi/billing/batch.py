"""Folding journal records into one database batch: sums per user, token and channel, and rows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from newapi.billing.journal import JournalRecord

__all__ = ["Batch", "collect_batch", "open_reservations"]


@dataclass(slots=True)
class Batch:
    """What a run of journal records changes in the database."""

    user_spent: dict[int, int] = field(default_factory=dict)
    user_requests: dict[int, int] = field(default_factory=dict)
    token_spent: dict[int, int] = field(default_factory=dict)  # every token: used_quota
    token_limited: set[int] = field(default_factory=set)  # tokens whose remain_quota drops
    channel_spent: dict[int, int] = field(default_factory=dict)
    logs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.user_spent or self.user_requests or self.logs)

    def add_settlement(self, record: JournalRecord) -> None:
        quota = int(record.get("q", 0))
        user_id = int(record.get("u", 0))
        token_id = int(record.get("k", 0))
        channel_id = int(record.get("ch", 0))
        if user_id:
            self.user_spent[user_id] = self.user_spent.get(user_id, 0) + quota
            self.user_requests[user_id] = self.user_requests.get(user_id, 0) + 1
        if token_id:
            self.token_spent[token_id] = self.token_spent.get(token_id, 0) + quota
            if record.get("lim"):
                self.token_limited.add(token_id)
        if channel_id and quota:
            self.channel_spent[channel_id] = self.channel_spent.get(channel_id, 0) + quota
        if record.get("log"):
            self.logs.append(record["log"])


def collect_batch(
    records: Iterator[tuple[int, JournalRecord]], limit: int
) -> tuple[Batch, int | None]:
    """Fold up to ``limit`` records; return the batch and the offset after the last one read.

    The offset is ``None`` when no complete record was read.
    """
    batch = Batch()
    end: int | None = None
    for count, (offset, record) in enumerate(records, start=1):
        end = offset
        kind = record.get("t")
        if kind == "s":
            batch.add_settlement(record)
        elif kind == "x" and record.get("log"):
            batch.logs.append(record["log"])
        if count >= limit:
            break
    return batch, end


def open_reservations(
    journals: Iterable[Iterator[tuple[int, JournalRecord]]],
) -> dict[str, JournalRecord]:
    """Reservations in ``journals`` that no settlement or release closed, by request id."""
    opened: dict[str, JournalRecord] = {}
    closed: set[str] = set()
    for records in journals:
        for _, record in records:
            rid = record.get("rid")
            if not isinstance(rid, str):
                continue
            if record.get("t") == "r":
                opened[rid] = record
            else:
                closed.add(rid)
    return {rid: record for rid, record in opened.items() if rid not in closed}
