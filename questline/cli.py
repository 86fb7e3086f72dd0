"""The `questline` command."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys

from backend.settings import SettingsError, load_settings


def _configure_logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # pika logs every channel it opens at INFO; only its warnings matter here.
    logging.getLogger("pika").setLevel(max(logging.WARNING, logging.getLevelName(level.upper())))


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from graphql_schema.app import create_app
    from migrations.runner import upgrade

    settings = load_settings()
    _configure_logging(settings.log_level)
    upgrade(settings.database_url)
    app = create_app(settings, run_workers=not args.no_worker)
    uvicorn.run(app, host=args.host, port=args.port, log_level=settings.log_level.lower(), ws="websockets-sansio")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from workers.runtime import run_worker_command

    settings = load_settings()
    _configure_logging(settings.log_level)
    return run_worker_command(settings=settings, processes=args.processes, threads=args.threads)


def cmd_migrate(args: argparse.Namespace) -> int:
    from migrations.runner import upgrade

    settings = load_settings()
    _configure_logging(settings.log_level)
    upgrade(settings.database_url)
    print("database is at the newest revision")
    return 0


def cmd_create_operator(args: argparse.Namespace) -> int:
    from backend.auth.service import create_operator
    from backend.errors import DomainError
    from backend.persistence.database import Database
    from migrations.runner import upgrade

    settings = load_settings()
    password = args.password or os.environ.get("QUESTLINE_OPERATOR_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            print("error: give --password (or QUESTLINE_OPERATOR_PASSWORD)", file=sys.stderr)
            return 2
        password = getpass.getpass("Password: ")
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    try:
        with db.unit_of_work() as uow:
            op = create_operator(
                uow, username=args.username, password=password, role=args.role, access_groups=args.group
            )
            groups = ", ".join(op.access_groups) or "none"
    except DomainError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    print(f"created operator {args.username} ({args.role}; access groups: {groups})")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from graphql_schema.schema import schema_sdl

    sys.stdout.write(schema_sdl() + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="questline", description="Questline: customer journeys for operators.")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the HTTP server (and, by default, the workers in the same process)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-worker", action="store_true", help="serve only; workers run elsewhere")
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="run the Dramatiq workers and the scheduler tick")
    worker.add_argument("--processes", type=int, default=1)
    worker.add_argument("--threads", type=int, default=4)
    worker.set_defaults(func=cmd_worker)

    migrate = sub.add_parser("migrate", help="bring the database to the newest revision")
    migrate.set_defaults(func=cmd_migrate)

    op = sub.add_parser("create-operator", help="create a backoffice operator")
    op.add_argument("username")
    op.add_argument("--password")
    op.add_argument("--role", required=True, choices=["ADMIN", "MANAGER", "ANALYST"])
    op.add_argument("--group", action="append", default=[], help="access group (repeatable)")
    op.set_defaults(func=cmd_create_operator)

    schema = sub.add_parser("schema", help="print the served GraphQL schema (SDL)")
    schema.set_defaults(func=cmd_schema)

    from questline.demo_command import add_parser as add_demo_parser

    add_demo_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except SettingsError as exc:  # a setting that cannot work: say which, and stop before anything starts
        print(f"questline: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
