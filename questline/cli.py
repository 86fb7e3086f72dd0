"""The `questline` command."""

from __future__ import annotations

import argparse
import errno
import getpass
import os
import socket
import sys
from importlib.metadata import PackageNotFoundError, version

from backend.logs import configure_logging, secrets_of
from backend.settings import Settings, SettingsError, load_settings
from questline.help_format import DefaultsHelp


def _configure_logging(settings: Settings) -> None:
    """JSON lines on stderr (readable text when it is a terminal), secrets masked."""
    configure_logging(settings.log_level, secrets=secrets_of(settings))


def bind_socket(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything else starts; OSError when it cannot be."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def cmd_serve(args: argparse.Namespace) -> int:
    from migrations.runner import upgrade

    if args.processes < 1:
        print("questline: --processes must be at least 1", file=sys.stderr)
        return 2
    if args.processes > 1 and not args.no_worker:
        print(
            "questline: --processes above 1 needs --no-worker (run the workers with `questline worker`): "
            "only one process may run the workers and the scheduler",
            file=sys.stderr,
        )
        return 2
    settings = load_settings()
    _configure_logging(settings)
    try:
        # Bound first: a port in use stops the command before migrations, workers or the scheduler.
        sock = bind_socket(args.host, args.port)
    except OSError as exc:
        reason = "is already in use" if exc.errno == errno.EADDRINUSE else f"cannot be opened ({exc.strerror})"
        print(f"questline: port {args.port} on {args.host} {reason}; choose another with --port", file=sys.stderr)
        return 1
    with sock:
        upgrade(settings.database_url)
        if args.processes == 1:
            _serve_one(settings, sock, run_workers=not args.no_worker)
        else:
            _serve_many(settings, sock, args.processes)
    return 0


def _serve_one(settings: Settings, sock: socket.socket, *, run_workers: bool) -> None:
    import uvicorn

    from graphql_schema.app import create_app

    app = create_app(settings, run_workers=run_workers)
    # uvicorn's loggers go through the root handler; the app logs each request itself, with its id.
    config = uvicorn.Config(
        app, log_level=settings.log_level.lower(), ws="websockets-sansio", log_config=None, access_log=False
    )
    uvicorn.Server(config).run(sockets=[sock])


def _serve_many(settings: Settings, sock: socket.socket, processes: int) -> None:
    """`processes` uvicorn processes accept on the one socket; this one supervises them,
    replaces one that dies and stops them all on SIGTERM or SIGINT."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(
        "questline.served_app:serving_only_app",
        factory=True,
        workers=processes,
        log_level=settings.log_level.lower(),
        ws="websockets-sansio",
        log_config=None,
        access_log=False,
    )
    Multiprocess(config, sockets=[sock]).run()


def cmd_worker(args: argparse.Namespace) -> int:
    from workers.runtime import run_worker_command

    settings = load_settings()
    _configure_logging(settings)
    return run_worker_command(
        settings=settings, processes=args.processes, threads=args.threads, metrics_port=args.metrics_port
    )


def cmd_migrate(args: argparse.Namespace) -> int:
    from migrations.runner import upgrade

    settings = load_settings()
    _configure_logging(settings)
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


def _version() -> str:
    try:
        return version("questline")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


HELP = DefaultsHelp


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="questline",
        description="Questline: customer journeys for operators. Settings come from QUESTLINE_* environment "
        "variables (see README.md).",
        formatter_class=HELP,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser(
        "serve",
        help="run the HTTP server (and, by default, the workers in the same process)",
        description="Applies migrations, then serves /graphql, /api/events, tracking, receipts, /healthz, "
        "/metrics and the backoffice at /. Without --no-worker it also runs the workers and the scheduler.",
        formatter_class=HELP,
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 for every interface)")
    serve.add_argument("--port", type=int, default=8000, help="TCP port to listen on")
    serve.add_argument(
        "--no-worker", action="store_true", help="serve only; workers run elsewhere (`questline worker`)"
    )
    serve.add_argument(
        "--processes",
        type=int,
        default=1,
        help="server processes sharing the port, for reads on more than one core; above 1 needs --no-worker",
    )
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser(
        "worker",
        help="run the Dramatiq workers and the scheduler tick",
        description="Runs worker processes and one scheduler loop against QUESTLINE_BROKER_URL (required).",
        formatter_class=HELP,
    )
    worker.add_argument("--processes", type=int, default=1, help="worker processes to start")
    worker.add_argument("--threads", type=int, default=4, help="worker threads in each process")
    worker.add_argument(
        "--metrics-port",
        type=int,
        default=0,
        help="serve the workers' Prometheus metrics (deliveries, the process) on this port; 0: not served",
    )
    worker.set_defaults(func=cmd_worker)

    migrate = sub.add_parser("migrate", help="bring the database to the newest revision", formatter_class=HELP)
    migrate.set_defaults(func=cmd_migrate)

    op = sub.add_parser("create-operator", help="create a backoffice operator", formatter_class=HELP)
    op.add_argument("username", help="the operator's login name")
    op.add_argument(
        "--password",
        help="the operator's password; by default QUESTLINE_OPERATOR_PASSWORD, or asked for on a terminal",
    )
    op.add_argument("--role", required=True, choices=["ADMIN", "MANAGER", "ANALYST"], help="what the operator may do")
    op.add_argument(
        "--group", action="append", default=[], help="access group (repeatable); none: every journey open to them"
    )
    op.set_defaults(func=cmd_create_operator)

    schema = sub.add_parser("schema", help="print the served GraphQL schema (SDL)", formatter_class=HELP)
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
