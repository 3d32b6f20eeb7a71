"""What the relay reads and writes: key owners, channel rows, and billing batches.

Reads return plain dicts (no ORM objects leave the store). ``StoreBatchSink.apply`` writes one
ledger batch and the journal position in a single transaction.
"""

from __future__ import annotations

import time
from typing import Any

import orjson
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from newapi.billing.batch import Batch
from newapi.store.db import guard_db
from newapi.store.models import Channel, Log, Token, User
from newapi.store.models.journal import JournalState
from newapi.store.queries.admin_dashboard import add_quota_data

__all__ = ["StoreBatchSink", "channel_rows", "token_owner"]

_TOKEN_FIELDS = (
    "id",
    "user_id",
    "name",
    "status",
    "expired_time",
    "remain_quota",
    "unlimited_quota",
    "used_quota",
    "model_limits_enabled",
    "model_limits",
    "allow_ips",
    "group",
)
_USER_FIELDS = ("id", "username", "role", "status", "group", "quota", "setting")
_CHANNEL_FIELDS = (
    "id",
    "type",
    "key",
    "status",
    "name",
    "weight",
    "base_url",
    "other",
    "models",
    "group",
    "model_mapping",
    "priority",
    "openai_organization",
    "test_model",
    "status_code_mapping",
    "auto_ban",
    "tag",
    "setting",
    "header_override",
    "channel_info",
    "settings",
)


def _record_ip(setting: Any) -> bool:
    if not setting:
        return False
    try:
        value = orjson.loads(setting)
    except orjson.JSONDecodeError:
        return False
    return isinstance(value, dict) and bool(value.get("record_ip_log"))


@guard_db
async def token_owner(key: str) -> dict[str, Any] | None:
    """The live token with this key (stored form) and its user, or None."""
    tokens = await Token.filter(key=key, deleted_at__isnull=True).limit(1).values(*_TOKEN_FIELDS)
    if not tokens:
        return None
    token = tokens[0]
    users = (
        await User.filter(id=token["user_id"], deleted_at__isnull=True)
        .limit(1)
        .values(*_USER_FIELDS)
    )
    if not users:
        return None
    user = users[0]
    return {
        "token_id": token["id"],
        "token_name": token["name"],
        "token_status": token["status"],
        "expired_time": token["expired_time"],
        "remain_quota": token["remain_quota"],
        "unlimited_quota": token["unlimited_quota"],
        "token_used_quota": token["used_quota"],
        "model_limits_enabled": token["model_limits_enabled"],
        "model_limits": token["model_limits"],
        "allow_ips": token["allow_ips"],
        "token_group": token["group"],
        "user_id": user["id"],
        "username": user["username"],
        "role": user["role"],
        "user_status": user["status"],
        "user_group": user["group"],
        "quota": user["quota"],
        "record_ip": _record_ip(user["setting"]),
    }


@guard_db
async def channel_rows() -> list[dict[str, Any]]:
    """Every channel row with the columns the relay uses."""
    return list(await Channel.all().order_by("id").values(*_CHANNEL_FIELDS))


_LOG_COLUMNS = frozenset(
    (
        "user_id",
        "created_at",
        "type",
        "content",
        "username",
        "token_name",
        "model_name",
        "quota",
        "prompt_tokens",
        "completion_tokens",
        "channel_id",
        "use_time",
        "is_stream",
        "token_id",
        "group",
        "ip",
        "request_id",
        "upstream_request_id",
        "other",
    )
)


class StoreBatchSink:
    """The ledger's database side."""

    @guard_db
    async def applied_offset(self, journal: str) -> int:
        row = await JournalState.filter(name=journal).first()
        return row.applied_offset if row is not None else 0

    @guard_db
    async def apply(self, journal: str, offset: int, batch: Batch) -> None:
        now = int(time.time())
        async with in_transaction():
            for user_id, spent in batch.user_spent.items():
                await User.filter(id=user_id).update(
                    quota=F("quota") - spent,
                    used_quota=F("used_quota") + spent,
                    request_count=F("request_count") + batch.user_requests.get(user_id, 0),
                )
            for token_id, spent in batch.token_spent.items():
                if token_id in batch.token_limited:
                    await Token.filter(id=token_id).update(
                        remain_quota=F("remain_quota") - spent,
                        used_quota=F("used_quota") + spent,
                        accessed_time=now,
                    )
                else:
                    await Token.filter(id=token_id).update(
                        used_quota=F("used_quota") + spent, accessed_time=now
                    )
            for channel_id, spent in batch.channel_spent.items():
                if channel_id > 0:
                    await Channel.filter(id=channel_id).update(used_quota=F("used_quota") + spent)
            if batch.logs:
                await Log.bulk_create(
                    [
                        Log(**{k: v for k, v in row.items() if k in _LOG_COLUMNS})
                        for row in batch.logs
                    ]
                )
                await add_quota_data(batch.logs)
            updated = await JournalState.filter(name=journal).update(
                applied_offset=offset, updated_at=now
            )
            if not updated:
                await JournalState.create(name=journal, applied_offset=offset, updated_at=now)

    @guard_db
    async def balances(
        self, user_ids: list[int], token_ids: list[int]
    ) -> tuple[dict[int, int], dict[int, tuple[int, bool]]]:
        users = (
            {
                row["id"]: row["quota"]
                for row in await User.filter(id__in=user_ids).values("id", "quota")
            }
            if user_ids
            else {}
        )
        tokens = (
            {
                row["id"]: (row["remain_quota"], bool(row["unlimited_quota"]))
                for row in await Token.filter(id__in=token_ids).values(
                    "id", "remain_quota", "unlimited_quota"
                )
            }
            if token_ids
            else {}
        )
        return users, tokens
