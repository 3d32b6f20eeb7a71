"""The admin's store writes on a real database: concurrent redeems of one code (exactly one
wins, credited once) and the ledger batch's ``quota_data`` rows (incremented, not duplicated).

Run in its own process (tortoise keeps per-process state per dialect):
    python tests/admin/admin_store_check.py {sqlite <path>|postgres}
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator

from newapi import store
from newapi.billing.batch import Batch
from newapi.store import models
from newapi.store.queries.admin_redemptions import (
    LOG_TOPUP,
    REDEMPTION_USED,
    insert_redemptions,
    redeem_code,
)
from tests.store.store_oneapi_db import pg_server, scratch_postgres

ATTEMPTS_PER_USER = 8
QUOTA = 12_345


@contextlib.asynccontextmanager
async def _database(backend: str, argv: list[str]) -> AsyncIterator[str]:
    if backend == "postgres":
        async with scratch_postgres(pg_server()) as url:
            yield url
    else:
        yield f"sqlite://{argv[0]}"


async def _race(url: str) -> None:
    await store.migrate(url)
    await store.open_db(url)
    try:
        users = [await store.create_user(f"racer{n}", "racer-password", role=1) for n in range(4)]
        for round_ in range(3):  # a few codes, to give the race more than one chance
            [code] = await insert_redemptions(0, f"race{round_}", QUOTA, 1, 0, 1)
            before = {u.id: (await models.User.get(id=u.id)).quota for u in users}
            outcomes = await asyncio.gather(
                *(
                    redeem_code(code.key, user.id, user.username, 100 + round_)
                    for user in users
                    for _ in range(ATTEMPTS_PER_USER)
                )
            )
            winners = [o for o in outcomes if o.problem is None]
            assert len(winners) == 1, outcomes
            assert {o.problem for o in outcomes if o.problem is not None} == {"used"}, outcomes
            row = await models.Redemption.get(id=code.id)
            assert row.status == REDEMPTION_USED and row.redeemed_time == 100 + round_
            after = {u.id: (await models.User.get(id=u.id)).quota for u in users}
            gained = {uid: after[uid] - before[uid] for uid in after if after[uid] != before[uid]}
            assert list(gained.items()) == [(row.used_user_id, QUOTA)], gained
            logs = await models.Log.filter(type=LOG_TOPUP, content__contains=f"code {code.id} ")
            assert [log.user_id for log in logs] == [row.used_user_id]
    finally:
        await store.close_db()


def _batch(user_id: int, hour: int, quotas: list[int]) -> Batch:
    batch = Batch()
    for n, quota in enumerate(quotas):
        log = {"user_id": user_id, "username": "racer0", "type": 2, "created_at": hour + n,
               "model_name": "m" * 80, "group": "default", "token_id": 3, "channel_id": 4,
               "quota": quota, "prompt_tokens": 10, "completion_tokens": 5}
        batch.add_settlement({"t": "s", "u": user_id, "k": 3, "q": quota, "ch": 4, "log": log})
    batch.add_settlement({"t": "s", "u": user_id, "q": 0, "log": {**log, "type": 5}})
    return batch


async def _quota_data(url: str) -> None:
    """Two ledger batches in one hour: one quota_data row holding both batches' sums."""
    await store.open_db(url)
    try:
        user = await models.User.get(username="racer0")
        sink = store.StoreBatchSink()
        hour = 7200 * 1000
        await sink.apply("check", 10, _batch(user.id, hour, [5, 7]))
        await sink.apply("check", 20, _batch(user.id, hour + 60, [11]))
        [row] = await models.QuotaData.filter(user_id=user.id)
        assert (row.count, row.quota, row.token_used) == (3, 23, 45), row
        assert row.created_at == hour and row.model_name == "m" * 64
        assert (row.use_group, row.token_id, row.channel_id) == ("default", 3, 4)
        assert await models.Log.filter(user_id=user.id, type__in=(2, 5)).count() == 5
    finally:
        await store.close_db()


async def _run(backend: str, argv: list[str]) -> None:
    async with _database(backend, argv) as url:
        await _race(url)
        await _quota_data(url)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("sqlite", "postgres"):
        print(__doc__, file=sys.stderr)
        return 2
    asyncio.run(_run(argv[0], argv[1:]))
    print(f"ok: {argv[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
