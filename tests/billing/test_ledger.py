"""The ledger: holds, charges, releases, batching to the database and recovery after a crash."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from newapi.billing.batch import Batch
from newapi.billing.ledger import Ledger
from newapi.errors import QuotaError


class MemorySink:
    """A database stand-in that applies batches the way the store does."""

    def __init__(self, users: dict[int, int], tokens: dict[int, int]) -> None:
        self.users = dict(users)
        self.tokens = dict(tokens)
        self.used: dict[int, int] = {}
        self.requests: dict[int, int] = {}
        self.channels: dict[int, int] = {}
        self.logs: list[dict] = []
        self.offsets: dict[str, int] = {}
        self.fail = False
        self.batches = 0

    async def applied_offset(self, journal: str) -> int:
        return self.offsets.get(journal, 0)

    async def apply(self, journal: str, offset: int, batch: Batch) -> None:
        if self.fail:
            raise ConnectionError("database is down")
        assert offset > self.offsets.get(journal, 0)
        self.batches += 1
        for uid, q in batch.user_spent.items():
            self.users[uid] -= q
            self.used[uid] = self.used.get(uid, 0) + q
        for uid, n in batch.user_requests.items():
            self.requests[uid] = self.requests.get(uid, 0) + n
        for tid in batch.token_limited:
            self.tokens[tid] -= batch.token_spent[tid]
        for cid, q in batch.channel_spent.items():
            self.channels[cid] = self.channels.get(cid, 0) + q
        self.logs.extend(batch.logs)
        self.offsets[journal] = offset

    async def balances(self, user_ids, token_ids):
        return (
            {u: self.users[u] for u in user_ids},
            {t: (self.tokens[t], False) for t in token_ids},
        )


def _crash(ledger: Ledger) -> None:
    """Stop like a killed process: no flush, journal and locks just vanish."""
    assert ledger._task is not None
    ledger._task.cancel()
    for segment in ledger._segments:
        segment.journal.close()
    for name in list(ledger._lock_fds):
        ledger._unlock(name)


def _reserve(ledger: Ledger, rid: str, amount: int, sink: MemorySink):
    return ledger.reserve(
        rid,
        user_id=1,
        user_quota=sink.users[1],
        token_id=7,
        token_remain=sink.tokens[7],
        token_unlimited=False,
        amount=amount,
    )


async def test_hold_charge_release_and_flush(tmp_path: Path) -> None:
    sink = MemorySink({1: 1000}, {7: 600})
    ledger = Ledger(tmp_path, "n1", sink, flush_interval=0.01)
    await ledger.start()
    a = _reserve(ledger, "a", 300, sink)
    b = _reserve(ledger, "b", 250, sink)
    assert ledger.accounts.tokens[7].available == 50
    with pytest.raises(QuotaError) as short:
        _reserve(ledger, "c", 100, sink)
    assert short.value.code == "pre_consume_token_quota_failed"
    ledger.settle(a, 120, channel_id=3, log_row={"type": 2, "quota": 120, "request_id": "a"})
    ledger.release(b)
    ledger.release(b)  # closing twice is a no-op
    assert ledger.accounts.users[1].available == 880
    await ledger.flush()
    assert sink.users[1] == 880 and sink.tokens[7] == 480
    assert sink.used[1] == 120 and sink.requests[1] == 1 and sink.channels[3] == 120
    assert [row["request_id"] for row in sink.logs] == ["a"]
    assert ledger.accounts.users[1].available == 880
    await ledger.stop()
    assert os.listdir(tmp_path) == []  # fully applied journals are removed


async def test_charges_beyond_the_hold_are_billed(tmp_path: Path) -> None:
    sink = MemorySink({1: 100}, {7: 100})
    ledger = Ledger(tmp_path, "n1", sink)
    await ledger.start()
    r = _reserve(ledger, "a", 40, sink)
    ledger.settle(r, 130, channel_id=1, log_row=None)  # served output is never billed at less
    await ledger.stop()
    assert sink.users[1] == -30
    with pytest.raises(QuotaError) as exhausted:
        ledger2 = Ledger(tmp_path, "n1", sink)
        await ledger2.start()
        try:
            _reserve(ledger2, "b", 1, sink)
        finally:
            await ledger2.stop()
    assert exhausted.value.code == "insufficient_user_quota"


async def test_database_outage_loses_nothing(tmp_path: Path) -> None:
    sink = MemorySink({1: 10_000}, {7: 10_000})
    ledger = Ledger(tmp_path, "n1", sink, flush_interval=0.01)
    await ledger.start()
    sink.fail = True
    for i in range(50):
        ledger.settle(_reserve(ledger, f"r{i}", 10, sink), 10, channel_id=1, log_row={"i": i})
    await asyncio.sleep(0.05)
    assert sink.users[1] == 10_000
    assert ledger.accounts.users[1].available == 10_000 - 500
    sink.fail = False
    await ledger.stop()
    assert sink.users[1] == 9_500 and len(sink.logs) == 50 and sink.requests[1] == 50


async def test_recovery_after_a_crash_applies_once_and_releases_open_holds(tmp_path: Path) -> None:
    sink = MemorySink({1: 10_000}, {7: 10_000})
    first = Ledger(tmp_path, "n1", sink, flush_interval=3600)
    await first.start()
    done = _reserve(first, "done", 100, sink)
    first.settle(done, 90, channel_id=2, log_row={"request_id": "done"})
    await first.flush()  # "done" reached the database
    late = _reserve(first, "late", 100, sink)
    first.settle(late, 70, channel_id=2, log_row={"request_id": "late"})  # journaled only
    _reserve(first, "open", 500, sink)  # the process dies while this request runs
    _crash(first)
    assert sink.users[1] == 9_910

    second = Ledger(tmp_path, "n1", sink)
    await second.start()
    await second.stop()
    assert sink.users[1] == 10_000 - 90 - 70  # "late" applied once, "open" charged nothing
    assert sink.requests[1] == 2
    released = [row for row in sink.logs if row.get("type") == 4]
    assert len(released) == 1 and released[0]["request_id"] == "open"
    assert "released a reservation of 500" in released[0]["content"]

    third = Ledger(tmp_path, "n1", sink)  # nothing is applied twice
    await third.start()
    await third.stop()
    assert sink.users[1] == 9_840 and sink.requests[1] == 2


async def test_a_live_journal_is_not_taken_over(tmp_path: Path) -> None:
    sink = MemorySink({1: 1000}, {7: 1000})
    live = Ledger(tmp_path, "n1", sink, flush_interval=3600)
    await live.start()
    _reserve(live, "held", 100, sink)
    other = Ledger(tmp_path, "n2", sink)
    await other.start()  # must not release the live process's hold
    await other.stop()
    assert not any(row.get("type") == 4 for row in sink.logs)
    await live.stop()


async def test_trusted_requests_hold_nothing(tmp_path: Path) -> None:
    sink = MemorySink({1: 1000}, {7: 1000})
    ledger = Ledger(tmp_path, "n1", sink)
    await ledger.start()
    r = ledger.reserve(
        "t",
        user_id=1,
        user_quota=1000,
        token_id=7,
        token_remain=1000,
        token_unlimited=False,
        amount=5000,
        trusted=True,
    )
    assert r.amount == 0 and ledger.accounts.users[1].available == 1000
    ledger.release(r)
    await ledger.stop()
