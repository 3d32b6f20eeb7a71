"""Reservations, settlements and releases: exactly-once billing without database writes on the
request path.

A request first **reserves** quota (``reserve``: checked against the live balance, journaled),
then either **settles** (``settle``: the real charge and its log row, journaled before the last
bytes go to the client) or is **released** (``release``: nothing charged). The journal line is
the commitment; a background flusher applies journaled records to the database in batches,
storing in the same transaction how far it got. After a crash, ``start`` applies what the
previous process journaled but had not written yet, and releases reservations that were never
settled (their clients never received a complete response) with a system log row.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from newapi.billing.accounts import Account, Accounts
from newapi.billing.batch import Batch, collect_batch, open_reservations
from newapi.billing.journal import Journal, JournalRecord, read_records
from newapi.errors import QuotaError

__all__ = ["BatchSink", "Ledger", "Reservation"]

log = logging.getLogger(__name__)

ROTATE_BYTES = 64 * 1024 * 1024
BATCH_RECORDS = 2000


class BatchSink(Protocol):
    """Where batches go: the store implements this."""

    async def applied_offset(self, journal: str) -> int: ...

    async def apply(self, journal: str, offset: int, batch: Batch) -> None: ...

    async def balances(
        self, user_ids: list[int], token_ids: list[int]
    ) -> tuple[dict[int, int], dict[int, tuple[int, bool]]]: ...


@dataclass(slots=True)
class Reservation:
    """Quota held for one request until it settles or is released."""

    request_id: str
    user_id: int
    token_id: int
    amount: int
    user: Account
    token: Account | None
    journal: str
    closed: bool = False


@dataclass(slots=True)
class _Segment:
    """A journal file still being applied, with the reservations it holds open."""

    journal: Journal
    open_ids: set[str] = field(default_factory=set)


class Ledger:
    """The one writer of balances. Its methods are synchronous and cost a journal line each."""

    def __init__(
        self,
        directory: Path,
        node: str,
        sink: BatchSink,
        *,
        flush_interval: float = 0.25,
        refresh_interval: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.directory = directory
        self.node = node
        self.sink = sink
        self.accounts = Accounts()
        self.flush_interval = flush_interval
        self.refresh_interval = refresh_interval
        self.clock = clock
        self._segments: list[_Segment] = []
        self._applied: dict[str, int] = {}
        self._lock_fds: dict[str, int] = {}
        self._flushing = asyncio.Lock()  # one writer: the flusher task, stop() or a caller
        self._task: asyncio.Task[None] | None = None
        self._last_refresh = 0.0
        self.healthy = True

    # -- request path -------------------------------------------------------------------

    def reserve(
        self,
        request_id: str,
        *,
        user_id: int,
        user_quota: int,
        token_id: int,
        token_remain: int,
        token_unlimited: bool,
        amount: int,
        trusted: bool = False,
    ) -> Reservation:
        """Hold ``amount`` for a request, or raise ``QuotaError`` naming what is short.

        ``user_quota``/``token_remain`` are the database values the caller read; they seed the
        live accounts the first time only. ``trusted`` skips the hold (New API's trust bypass).
        """
        user = self.accounts.user(user_id, user_quota)
        token = self.accounts.token(token_id, token_remain, token_unlimited) if token_id else None
        if user.available <= 0:
            raise QuotaError("user quota is exhausted", code="insufficient_user_quota")
        if token is not None and not token.unlimited and token.available <= 0:
            raise QuotaError("token quota is exhausted", code="token_quota_exhausted")
        if trusted:
            amount = 0
        elif amount > 0:
            if user.available < amount:
                raise QuotaError(
                    f"user quota is not enough for this request: it needs {amount}, "
                    f"{user.available} is left",
                    code="insufficient_user_quota",
                )
            if token is not None and not token.unlimited and token.available < amount:
                raise QuotaError(
                    f"token quota is not enough for this request: it needs {amount}, "
                    f"{token.available} is left",
                    code="pre_consume_token_quota_failed",
                )
        segment = self._segments[-1]
        segment.journal.append(
            {"t": "r", "rid": request_id, "u": user_id, "k": token_id, "q": amount}
        )
        segment.open_ids.add(request_id)
        user.reserved += amount
        if token is not None:
            token.reserved += amount
        return Reservation(request_id, user_id, token_id, amount, user, token, segment.journal.name)

    def settle(
        self, reservation: Reservation, quota: int, channel_id: int, log_row: dict[str, Any] | None
    ) -> None:
        """Charge ``quota`` (may exceed the hold) and write the request's log row."""
        if reservation.closed:
            return
        self._close(
            reservation,
            {
                "t": "s",
                "rid": reservation.request_id,
                "u": reservation.user_id,
                "k": reservation.token_id,
                "lim": reservation.token is not None and not reservation.token.unlimited,
                "q": quota,
                "ch": channel_id,
                "log": log_row,
            },
        )
        reservation.user.unflushed += quota
        if reservation.token is not None:
            reservation.token.unflushed += quota

    def release(self, reservation: Reservation, log_row: dict[str, Any] | None = None) -> None:
        """Give the hold back without charging (the request failed before serving anything)."""
        if reservation.closed:
            return
        self._close(reservation, {"t": "x", "rid": reservation.request_id, "log": log_row})

    def _close(self, reservation: Reservation, record: JournalRecord) -> None:
        reservation.closed = True
        reservation.user.reserved -= reservation.amount
        if reservation.token is not None:
            reservation.token.reserved -= reservation.amount
        self._segments[-1].journal.append(record)
        for segment in self._segments:
            if segment.journal.name == reservation.journal:
                segment.open_ids.discard(reservation.request_id)

    @contextlib.asynccontextmanager
    async def outside_write(self) -> AsyncIterator[Accounts]:
        """Hold off flushes and balance refreshes while the caller adds to a balance in the
        database itself (a redeemed code) and then to its live account, so that a refresh
        cannot read the database before that write and overwrite the credit after it.
        """
        async with self._flushing:
            yield self.accounts

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        """Recover what earlier processes left, open this process's journal, start flushing."""
        await self._recover()
        name = f"{self.node}-{os.getpid()}-{int(self.clock() * 1000)}"
        self._segments.append(_Segment(self._open(name)))
        self._applied[name] = 0
        self._task = asyncio.create_task(self._run(), name="ledger-flusher")

    async def stop(self) -> None:
        """Write everything journaled to the database, then close the journal."""
        if self._task is not None:
            # Cancel only between batches: a cancel inside a database transaction can leave
            # the driver's transaction lock held, and the final flush would wait forever.
            async with self._flushing:
                self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        try:
            await self.flush()
        finally:
            for segment in self._segments:
                segment.journal.close()
                if not segment.open_ids and self._fully_applied(segment.journal):
                    segment.journal.path.unlink(missing_ok=True)
                self._unlock(segment.journal.name)
            self._segments.clear()

    async def flush(self) -> None:
        """Apply every journaled record to the database now."""
        async with self._flushing:
            for segment in list(self._segments):
                while not self._fully_applied(segment.journal):
                    await self._apply_next(segment.journal.path, segment.journal.name)
            self._retire_finished()

    # -- background ---------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            # One batch per interval, not one per settlement: a flush costs a transaction
            # (several statements and a commit) whatever its size, so records that arrive
            # within ``flush_interval`` share it.
            await asyncio.sleep(self.flush_interval)
            try:
                await self.flush()
                if self.clock() - self._last_refresh >= self.refresh_interval:
                    await self._refresh()
                self.healthy = True
            except asyncio.CancelledError:
                raise
            except Exception:
                if self.healthy:
                    log.exception("billing flush failed; records stay in the journal and retry")
                self.healthy = False
                await asyncio.sleep(min(5.0, self.flush_interval * 8))
            self._maybe_rotate()

    async def _apply_next(self, path: Path, name: str) -> None:
        offset = self._applied[name]
        batch, end = collect_batch(read_records(path, offset), BATCH_RECORDS)
        if end is None:
            self._applied[name] = os.stat(path).st_size  # only a torn line is left
            return
        if not batch.empty:  # reservations alone change nothing in the database
            await self.sink.apply(name, end, batch)
        self._applied[name] = end
        for user_id, spent in batch.user_spent.items():
            account = self.accounts.users.get(user_id)
            if account is not None:
                account.unflushed -= spent
                account.base -= spent
        for token_id, spent in batch.token_spent.items():
            account = self.accounts.tokens.get(token_id)
            if account is not None:
                account.unflushed -= spent
                account.base -= spent

    async def _refresh(self) -> None:
        """Adopt database balances (admin top-ups, other nodes) for the accounts in memory."""
        self._last_refresh = self.clock()
        async with self._flushing:
            await self._refresh_accounts()

    async def _refresh_accounts(self) -> None:
        self.accounts.forget_idle()
        users, tokens = await self.sink.balances(
            list(self.accounts.users), list(self.accounts.tokens)
        )
        for user_id, quota in users.items():
            self.accounts.refresh_user(user_id, quota)
        for token_id, (remain, unlimited) in tokens.items():
            self.accounts.refresh_token(token_id, remain, unlimited)

    def _maybe_rotate(self) -> None:
        live = self._segments[-1].journal
        if live.size < ROTATE_BYTES:
            return
        name = f"{self.node}-{os.getpid()}-{int(self.clock() * 1000)}"
        self._segments.append(_Segment(self._open(name)))
        self._applied[name] = 0

    def _retire_finished(self) -> None:
        for segment in self._segments[:-1]:
            if not segment.open_ids and self._fully_applied(segment.journal):
                segment.journal.close()
                segment.journal.path.unlink(missing_ok=True)
                self._unlock(segment.journal.name)
                self._segments.remove(segment)

    def _fully_applied(self, journal: Journal) -> bool:
        return self._applied.get(journal.name, 0) >= journal.size

    # -- recovery -----------------------------------------------------------------------

    def _open(self, name: str) -> Journal:
        journal = Journal(self.directory, name)
        self._lock(journal.path, name)
        return journal

    def _lock(self, path: Path, name: str) -> bool:
        fd = os.open(path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._lock_fds[name] = fd
        return True

    def _unlock(self, name: str) -> None:
        fd = self._lock_fds.pop(name, None)
        if fd is not None:
            os.close(fd)

    async def _recover(self) -> None:
        """Finish the journals of processes that are gone (a live process holds a lock)."""
        orphans = [p for p in Journal.files(self.directory) if self._lock(p, Journal.name_of(p))]
        if not orphans:
            return
        open_ids = open_reservations(read_records(p) for p in orphans)
        for path in orphans:
            name = Journal.name_of(path)
            self._applied[name] = await self.sink.applied_offset(name)
            while self._applied[name] < path.stat().st_size:
                await self._apply_next(path, name)
        if open_ids:
            await self._release_orphans(open_ids)
        for path in orphans:
            path.unlink(missing_ok=True)
            self._unlock(Journal.name_of(path))
        log.info(
            "recovered %d journal(s); released %d unfinished reservation(s)",
            len(orphans),
            len(open_ids),
        )

    async def _release_orphans(self, open_ids: dict[str, JournalRecord]) -> None:
        name = f"{self.node}-{os.getpid()}-recovery-{int(self.clock() * 1000)}"
        journal = self._open(name)
        self._applied[name] = 0
        try:
            for rid, record in open_ids.items():
                journal.append({"t": "x", "rid": rid, "log": _release_log(record, self.clock())})
            while self._applied[name] < journal.size:
                await self._apply_next(journal.path, name)
        finally:
            journal.close()
            journal.path.unlink(missing_ok=True)
            self._unlock(name)


def _release_log(record: JournalRecord, now: float) -> dict[str, Any]:
    """The system log row written for a reservation released after a restart."""
    return {
        "user_id": record.get("u", 0),
        "token_id": record.get("k", 0),
        "type": 4,
        "created_at": int(now),
        "content": (
            f"released a reservation of {record.get('q', 0)} quota left open by a stopped "
            f"process (request id {record.get('rid', '')}); nothing was charged"
        ),
        "request_id": record.get("rid", ""),
    }
