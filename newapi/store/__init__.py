"""The database: One API's tables (plus New API's) through tortoise-orm, its schema steps, queries.

Other packages use only the names below. Lifecycle: ``open_db``/``close_db`` (CLI) or
``register_store`` (Sanic). Schema: ``migrate``/``schema_state`` on a URL, or the ``*_here``
forms on the open store. Locations: any of New API's ``SQL_DSN`` forms or a tortoise URL.
"""

from __future__ import annotations

from newapi.store.channel_types import (
    channel_type_name,
    channel_types_of,
    provider_for_channel_type,
)
from newapi.store.db import close_db, open_db, register_store
from newapi.store.dsn import is_sqlite, redact_url, to_tortoise_url
from newapi.store.migrate import (
    SchemaState,
    migrate,
    migrate_here,
    schema_state,
    schema_state_here,
)
from newapi.store.passwords import hash_password, verify_password
from newapi.store.queries import (
    UserRecord,
    channel_type_numbering,
    create_token,
    create_user,
    ensure_root_user,
    get_user_by_username,
    load_options,
    ping,
    root_user_exists,
    setup_done,
)
from newapi.store.queries.relay import StoreBatchSink, channel_rows, token_owner

__all__ = [
    "SchemaState",
    "StoreBatchSink",
    "UserRecord",
    "channel_rows",
    "channel_type_name",
    "channel_type_numbering",
    "channel_types_of",
    "close_db",
    "create_token",
    "create_user",
    "ensure_root_user",
    "get_user_by_username",
    "hash_password",
    "is_sqlite",
    "load_options",
    "migrate",
    "migrate_here",
    "open_db",
    "ping",
    "provider_for_channel_type",
    "redact_url",
    "register_store",
    "root_user_exists",
    "schema_state",
    "schema_state_here",
    "setup_done",
    "to_tortoise_url",
    "token_owner",
    "verify_password",
]
