"""New API's database locations turned into tortoise URLs, without ever leaking a password."""

from __future__ import annotations

from pathlib import Path

import pytest
from tortoise.backends.base.config_generator import expand_db_url

from newapi.errors import ConfigError, StoreError
from newapi.store import open_db, redact_url, to_tortoise_url
from newapi.store.dsn import ensure_sqlite_parent, is_sqlite, scrub_secret, sqlite_file


@pytest.mark.parametrize(
    ("dsn", "url"),
    [
        ("", "sqlite://one-api.db"),
        ("local", "sqlite://one-api.db"),
        ("local-sqlite", "sqlite://one-api.db"),
        ("one-api.db?_busy_timeout=30000", "sqlite://one-api.db"),
        ("/data/one-api.db?_busy_timeout=30000&_pragma=x", "sqlite:///data/one-api.db"),
        ("./data/one-api.db", "sqlite://./data/one-api.db"),
        ("sqlite://./data/one-api.db", "sqlite://./data/one-api.db"),
        ("sqlite:///tmp/x.db?journal_mode=wal", "sqlite:///tmp/x.db"),
        ("postgres://u:p@db:5432/oneapi", "postgres://u:p@db:5432/oneapi"),
        ("postgresql://u@db/oneapi?sslmode=disable", "postgres://u@db/oneapi"),
        ("postgresql://u@db/oneapi?sslmode=require", "postgres://u@db/oneapi?ssl=true"),
        (
            "root:secret@tcp(127.0.0.1:3306)/oneapi?charset=utf8mb4&parseTime=true",
            "mysql://root:secret@127.0.0.1:3306/oneapi?charset=utf8mb4",
        ),
        ("oneapi:pw@tcp(mysql)/oneapi", "mysql://oneapi:pw@mysql:3306/oneapi?charset=utf8mb4"),
        ("root@/oneapi", "mysql://root@127.0.0.1:3306/oneapi?charset=utf8mb4"),
        ("mysql://u:p@h:3307/db?parseTime=true", "mysql://u:p@h:3307/db?charset=utf8mb4"),
    ],
)
def test_forms(dsn: str, url: str) -> None:
    assert to_tortoise_url(dsn) == url
    assert to_tortoise_url(url) == url  # already a tortoise URL: unchanged


def test_sqlite_path_option() -> None:
    assert (
        to_tortoise_url("", sqlite_path="/var/lib/x.db?_busy_timeout=1") == "sqlite:///var/lib/x.db"
    )
    assert is_sqlite("local") and not is_sqlite("postgres://u@h/d")
    assert sqlite_file("sqlite:///tmp/a/b.db") == Path("/tmp/a/b.db")
    assert sqlite_file("sqlite://:memory:") is None


@pytest.mark.parametrize("password", ["p@ss:w/rd?#%&=", "añ ü€ 密码", "a]b[c", "x%41y"])
def test_special_passwords_survive(password: str) -> None:
    dsn = f"oneapi:{password}@tcp(db.local:3306)/oneapi?charset=utf8mb4"
    creds = expand_db_url(to_tortoise_url(dsn))["credentials"]
    assert creds["password"] == password
    assert (creds["user"], creds["host"], creds["port"], creds["database"]) == (
        "oneapi",
        "db.local",
        3306,
        "oneapi",
    )
    assert password not in redact_url(dsn)
    assert "***" in redact_url(dsn)


@pytest.mark.parametrize(
    "dsn", ["clickhouse://h:9000/logs", "http://h:8123", "tcp://h:9000", "mongodb://h/db"]
)
def test_refused(dsn: str) -> None:
    with pytest.raises(ConfigError):
        to_tortoise_url(dsn)


def test_errors_never_show_the_password() -> None:
    with pytest.raises(ConfigError) as info:
        to_tortoise_url("root:hunter2-secret@tcp(h:notaport)/db")
    assert "hunter2-secret" not in str(info.value)
    text = "FATAL: password hunter%402 rejected for hunter@2 at h"
    assert "hunter@2" not in scrub_secret(text, "postgres://u:hunter%402@h/db")


async def test_unreachable_database_error_hides_the_password() -> None:
    with pytest.raises(StoreError) as info:
        await open_db("postgres://newapi:t0p-s3cret@127.0.0.1:9/nowhere")
    assert "t0p-s3cret" not in info.value.message
    assert "t0p-s3cret" not in (info.value.detail or "")
    assert "127.0.0.1:9" in info.value.message


def test_sqlite_parent_folder_is_created(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "one-api.db"
    ensure_sqlite_parent(f"sqlite://{target}")
    assert target.parent.is_dir() and not target.exists()
