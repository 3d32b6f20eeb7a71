"""The store's queries, one module per aggregate; the only way other packages reach the tables."""

from __future__ import annotations

from newapi.store.queries.system import channel_type_numbering, load_options, ping, setup_done
from newapi.store.queries.tokens import create_token
from newapi.store.queries.users import (
    UserRecord,
    create_user,
    ensure_root_user,
    get_user_by_username,
    root_user_exists,
)

__all__ = [
    "UserRecord",
    "channel_type_numbering",
    "create_token",
    "create_user",
    "ensure_root_user",
    "get_user_by_username",
    "load_options",
    "ping",
    "root_user_exists",
    "setup_done",
]
