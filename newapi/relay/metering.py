"""The one metering hook: every relay request is billed and logged through a ``Meter``.

A meter is opened after authentication (it holds the reservation) and closed exactly once:
``settle`` with the usage that was served, or ``release`` when nothing was. Both write the
journal line synchronously, so they also work while the request task is being cancelled.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

import orjson

from newapi.auth.api_keys import Caller
from newapi.billing.ledger import Ledger, Reservation
from newapi.billing.meter import CacheSemantics, Charge, Usage, breakdown_json, compute_quota
from newapi.billing.prices import ResolvedPrice

__all__ = ["LOG_CONSUME", "LOG_ERROR", "Attempt", "Meter"]

log = logging.getLogger(__name__)

LOG_CONSUME = 2
LOG_ERROR = 5


@dataclass(frozen=True, slots=True)
class Attempt:
    """One try of one channel, for the log row's ``other.admin_info``."""

    channel_id: int
    status: int
    code: str | None = None
    message: str | None = None


@dataclass(slots=True)
class Meter:
    """Billing state of one relay request."""

    ledger: Ledger
    reservation: Reservation
    caller: Caller
    request_id: str
    requested_model: str
    price: ResolvedPrice
    group: str
    group_ratio: Any  # Decimal
    path: str
    is_stream: bool
    client_ip: str
    semantics: CacheSemantics = CacheSemantics.OPENAI
    started: float = field(default_factory=time.monotonic)
    attempts: list[Attempt] = field(default_factory=list)
    channel_id: int = 0
    upstream_model: str = ""
    first_byte_ms: int | None = None
    reasoning_effort: str = ""  # set by a reasoning-suffix rule (logged as New API does)
    closed: bool = False
    quota: int = 0

    def mark_first_byte(self) -> None:
        if self.first_byte_ms is None:
            self.first_byte_ms = int((time.monotonic() - self.started) * 1000)

    def settle(self, usage: Usage, *, stream_status: str = "completed", calls: int = 1) -> int:
        """Charge what was served and write the consume log row; returns the quota charged."""
        if self.closed:
            return self.quota
        self.closed = True
        charge = compute_quota(usage, self.price, self.group_ratio, self.semantics, calls=calls)
        self.quota = charge.quota
        self.ledger.settle(
            self.reservation,
            charge.quota,
            self.channel_id,
            self._log_row(usage, charge, stream_status),
        )
        return charge.quota

    def release(self, error: str | None = None, *, log_error: bool = False) -> None:
        """Charge nothing; optionally write an error log row (ERROR_LOG_ENABLED)."""
        if self.closed:
            return
        self.closed = True
        row = self._error_row(error) if log_error and error else None
        self.ledger.release(self.reservation, row)

    def _common(self) -> dict[str, Any]:
        owner = self.caller.owner
        return {
            "user_id": owner.user_id,
            "created_at": int(time.time()),
            "username": owner.username,
            "token_name": owner.token_name,
            "token_id": owner.token_id,
            "model_name": self.requested_model,
            "channel_id": self.channel_id,
            "use_time": int(time.monotonic() - self.started),
            "is_stream": self.is_stream,
            "group": self.group,
            "ip": self.client_ip if owner.record_ip else "",
            "request_id": self.request_id,
        }

    def _admin_info(self) -> dict[str, Any]:
        return {
            "use_channel": [a.channel_id for a in self.attempts] or [self.channel_id],
            "attempts": [
                {"channel": a.channel_id, "status": a.status, "code": a.code} for a in self.attempts
            ],
            "local_count_tokens": False,
        }

    def _log_row(self, usage: Usage, charge: Charge, stream_status: str) -> dict[str, Any]:
        breakdown = dict(charge.breakdown)
        admin = self._admin_info()
        admin["local_count_tokens"] = usage.source != "upstream"
        other = {
            **breakdown,
            "frt": self.first_byte_ms if self.first_byte_ms is not None else -1,
            "is_model_mapped": bool(self.upstream_model)
            and self.upstream_model != self.requested_model,
            "upstream_model_name": self.upstream_model,
            "request_path": self.path,
            "stream_status": stream_status,
            "admin_info": admin,
        }
        if self.reasoning_effort:
            other["reasoning_effort"] = self.reasoning_effort
        ratio = breakdown.get("model_ratio", "")
        content = (
            f"model price {breakdown.get('model_price')} USD per call"
            if self.price.fixed
            else f"model ratio {ratio}, completion ratio {breakdown.get('completion_ratio')}, "
            f"group ratio {self.group_ratio}"
        )
        if stream_status != "completed":
            content += f" (stream {stream_status})"
        return {
            **self._common(),
            "type": LOG_CONSUME,
            "content": content,
            "quota": charge.quota,
            "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "other": breakdown_json(other).decode(),
        }

    def _error_row(self, error: str) -> dict[str, Any]:
        other = {"request_path": self.path, "admin_info": self._admin_info()}
        return {
            **self._common(),
            "type": LOG_ERROR,
            "content": error,
            "quota": 0,
            "prompt_tokens": 0,
            "completion_tokens": 0,
            "other": orjson.dumps(other).decode(),
        }
