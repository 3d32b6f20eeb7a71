"""The ``newapi`` command line: serve, config, db, user and token commands.

Every failure ends as one line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from newapi import __version__
from newapi.config import (
    DEFAULT_CONFIG_PATH,
    GatewayConfig,
    load_config,
    schema_text,
    validate_file,
)
from newapi.errors import ConfigError, GatewayError, InvalidRequestError, SchemaBehindError
from newapi.logsetup import configure_logging

__all__ = ["main"]

log = logging.getLogger("newapi")

ROLES = {"user": 1, "admin": 10, "root": 100}


def _config_path(given: str | None) -> str | None:
    """The file to load: the flag, else ./gateway.toml when present, else built-in defaults."""
    if given:
        return given
    return DEFAULT_CONFIG_PATH if Path(DEFAULT_CONFIG_PATH).is_file() else None


def _load(args: argparse.Namespace) -> GatewayConfig:
    config = load_config(_config_path(getattr(args, "config", None)))
    server = config.server
    if getattr(args, "host", None):
        server = replace(server, host=args.host)
    if getattr(args, "port", None):
        server = replace(server, port=args.port)
    if getattr(args, "workers", None):
        server = replace(server, workers=args.workers)
    return replace(config, server=server)


def _run(coro_fn: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    return asyncio.run(coro_fn())


async def _with_db(config: GatewayConfig, work: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """Open the database, bring SQLite up to date (or insist on it elsewhere), run ``work``."""
    from newapi import store

    await store.open_db(config.database.url)
    try:
        await _ensure_schema(config)
        return await work()
    finally:
        await store.close_db()


async def _ensure_schema(config: GatewayConfig) -> None:
    from newapi import store

    if store.is_sqlite(config.database.url):
        applied = await store.migrate_here()
        for step in applied:
            log.info("applied migration %s", step)
        return
    state = await store.schema_state_here()
    if not state.up_to_date:
        pending = ", ".join(state.pending)
        raise SchemaBehindError(
            f"the database schema is behind this build (pending: {pending}); "
            "run `newapi db migrate` first"
        )


async def _prepare_serve(config: GatewayConfig, root_password: str | None) -> None:
    from newapi import store

    async def work() -> None:
        created, username, password = await store.ensure_root_user(root_password)
        if created and password is not None and root_password is None:
            log.warning(
                "created the root user: username %r, password %r (shown once; change it "
                "after logging in)",
                username,
                password,
            )
        elif created:
            log.warning(
                "created the root user %r with the password from NEWAPI_ROOT_PASSWORD", username
            )

    await _with_db(config, work)


def _worker_app(config_path: str | None, host: str | None, port: int | None) -> Any:
    from newapi.app import create_app

    args = argparse.Namespace(config=config_path, host=host, port=port, workers=None)
    return create_app(_load(args), name="newapi")


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    from sanic import Sanic
    from sanic.worker.loader import AppLoader

    config = _load(args)
    _run(partial(_prepare_serve, config, os.environ.get("NEWAPI_ROOT_PASSWORD") or None))
    host, port, workers = config.server.host, config.server.port, config.server.workers
    log.info(
        "newapi %s listening on http://%s:%d (%d worker%s)",
        __version__,
        host,
        port,
        workers,
        "" if workers == 1 else "s",
    )
    if workers == 1:
        _worker_app(_config_path(args.config), args.host, args.port).run(
            host=host, port=port, single_process=True, access_log=False, motd=False
        )
        return 0
    loader = AppLoader(
        factory=partial(_worker_app, _config_path(args.config), args.host, args.port)
    )
    app = loader.load()
    app.prepare(host=host, port=port, workers=workers, access_log=False, motd=False)
    Sanic.serve(primary=app, app_loader=loader)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from newapi import demo

    folder = Path(args.data).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    upstream_port = demo.free_port()
    config_path = folder / "gateway.toml"
    config_path.write_text(demo.demo_config(folder, upstream_port, args.port))
    fake = demo.start_fake_upstream_process(upstream_port)
    try:
        config = load_config(str(config_path))
        _run(partial(_prepare_serve, config, None))
        key = _run(partial(_with_db, config, partial(demo.seed_demo, config.database.url)))
        base = f"http://127.0.0.1:{args.port}"
        print(f"newapi demo: the gateway is at {base}, in front of a local fake upstream.")
        print(f"Models: {', '.join(demo.DEMO_MODELS)}. Press Ctrl-C to stop. Try:")
        print(
            f"curl {base}/v1/chat/completions -H 'Authorization: Bearer {key}' "
            "-H 'Content-Type: application/json' "
            '-d \'{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": '
            '"Hello!"}]}\''
        )
        sys.stdout.flush()
        _worker_app(str(config_path), None, None).run(
            host="127.0.0.1", port=args.port, single_process=True, access_log=False, motd=False
        )
    finally:
        fake.kill()  # a throwaway fake: nothing to flush
        fake.wait(timeout=10)
    return 0


def cmd_config_validate(args: argparse.Namespace) -> int:
    path = args.path or DEFAULT_CONFIG_PATH
    problems = validate_file(path)
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        print(f"{path}: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"{path}: valid")
    return 0


def cmd_config_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(schema_text())
    return 0


def cmd_db_migrate(args: argparse.Namespace) -> int:
    from newapi import store

    config = _load(args)

    async def run() -> list[str]:
        await store.open_db(config.database.url)
        try:
            return await store.migrate_here()
        finally:
            await store.close_db()

    applied = _run(run)
    for step in applied:
        print(f"applied {step}")
    print("database schema is up to date" if applied else "nothing to migrate")
    return 0


def cmd_user_create(args: argparse.Namespace) -> int:
    from newapi import store

    config = _load(args)
    role = ROLES[args.role]
    user = _run(
        partial(
            _with_db,
            config,
            partial(
                store.create_user,
                args.username,
                args.password,
                role=role,
                group=args.group,
                quota=args.quota,
            ),
        )
    )
    print(f"created user {user.username!r} (id {user.id}, role {args.role})")
    return 0


def cmd_user_access_token(args: argparse.Namespace) -> int:
    from newapi import store
    from newapi.store.queries.admin_users import new_access_token

    config = _load(args)

    async def work() -> str:
        user = await store.get_user_by_username(args.username)
        if user is None:
            raise InvalidRequestError(f"no user named {args.username!r}")
        return await new_access_token(user.id)

    token = _run(partial(_with_db, config, work))
    print(f"new access token for {args.username!r} (replaces the old one):", file=sys.stderr)
    print(token)
    return 0


def _parse_models(text: str | None) -> list[str] | None:
    if text is None:
        return None
    models = [m.strip() for m in text.split(",") if m.strip()]
    if not models:
        raise InvalidRequestError("--models needs at least one model name")
    return models


def cmd_token_create(args: argparse.Namespace) -> int:
    from newapi import store

    config = _load(args)
    models = _parse_models(args.models)
    if args.quota is not None and args.quota < 0:
        raise InvalidRequestError("--quota must be zero or more")

    async def work() -> str:
        user = await store.get_user_by_username(args.user)
        if user is None:
            raise InvalidRequestError(f"no user named {args.user!r}")
        return await store.create_token(
            user.id,
            args.name,
            quota=args.quota or 0,
            unlimited=args.unlimited,
            group=args.group or "",
            models=models,
        )

    key = _run(partial(_with_db, config, work))
    print(f"created token {args.name!r} for {args.user!r}:")
    print(key)
    return 0


def _add_config_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", metavar="PATH", help="gateway.toml to load (default: ./gateway.toml if present)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newapi", description="LLM gateway and AI asset manager")
    parser.add_argument("--version", action="version", version=f"newapi {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the gateway")
    _add_config_flag(serve)
    serve.add_argument("--host", metavar="H", help="address to listen on")
    serve.add_argument("--port", metavar="N", type=int, help="port to listen on")
    serve.add_argument("--workers", metavar="N", type=int, help="worker processes")
    serve.set_defaults(func=cmd_serve)

    demo = sub.add_parser("demo", help="run the gateway offline in front of a fake upstream")
    demo.add_argument("--port", metavar="N", type=int, default=3000, help="port to listen on")
    demo.add_argument(
        "--data",
        metavar="DIR",
        default="newapi-demo",
        help="folder for the demo's database and config",
    )
    demo.set_defaults(func=cmd_demo)

    config = sub.add_parser("config", help="check or print the configuration schema")
    config_sub = config.add_subparsers(dest="config_command", required=True, metavar="ACTION")
    validate = config_sub.add_parser("validate", help="validate a gateway.toml (exit 1 if not)")
    validate.add_argument("path", nargs="?", metavar="PATH")
    validate.set_defaults(func=cmd_config_validate)
    schema = config_sub.add_parser("schema", help="print the JSON Schema of gateway.toml")
    schema.set_defaults(func=cmd_config_schema)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    migrate = db_sub.add_parser("migrate", help="create or upgrade the database schema")
    _add_config_flag(migrate)
    migrate.set_defaults(func=cmd_db_migrate)

    user = sub.add_parser("user", help="manage users")
    user_sub = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    ucreate = user_sub.add_parser("create", help="create a user")
    _add_config_flag(ucreate)
    ucreate.add_argument("--username", required=True, metavar="U")
    ucreate.add_argument("--password", required=True, metavar="P")
    ucreate.add_argument("--role", choices=sorted(ROLES), default="user")
    ucreate.add_argument("--group", default="default", metavar="G")
    ucreate.add_argument(
        "--quota", type=int, default=0, metavar="Q", help="starting quota (500000 = 1 USD)"
    )
    ucreate.set_defaults(func=cmd_user_create)
    uaccess = user_sub.add_parser(
        "access-token",
        help="give a user a new personal access token for the admin API; prints it",
    )
    _add_config_flag(uaccess)
    uaccess.add_argument("--username", required=True, metavar="U")
    uaccess.set_defaults(func=cmd_user_access_token)

    token = sub.add_parser("token", help="manage API keys")
    token_sub = token.add_subparsers(dest="token_command", required=True, metavar="ACTION")
    tcreate = token_sub.add_parser("create", help="create an API key; prints it on the last line")
    _add_config_flag(tcreate)
    tcreate.add_argument("--user", required=True, metavar="U")
    tcreate.add_argument("--name", required=True, metavar="N")
    amount = tcreate.add_mutually_exclusive_group(required=True)
    amount.add_argument("--quota", type=int, metavar="Q", help="quota (500000 = 1 USD)")
    amount.add_argument("--unlimited", action="store_true", help="no quota limit")
    tcreate.add_argument("--group", metavar="G", help="route and bill through this group")
    tcreate.add_argument("--models", metavar="a,b", help="only these models")
    tcreate.set_defaults(func=cmd_token_create)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``newapi`` console script."""
    args = build_parser().parse_args(argv)
    configure_logging(logging.INFO if args.command in ("serve", "demo") else logging.WARNING)
    try:
        return int(args.func(args))
    except ConfigError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return 1
    except GatewayError as exc:
        print(f"newapi: error: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last line of defence: one line, no traceback
        log.debug("unexpected failure", exc_info=exc)
        print(f"newapi: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
