"""`questline demo`: loads the demo data set, showing its progress with rich."""

from __future__ import annotations

import argparse
import logging
import secrets
import sys
import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.prompt import Confirm
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from backend.auth.service import MIN_PASSWORD_LENGTH
from backend.persistence.database import Database
from backend.settings import Settings, load_settings
from questline.demo import Summary
from questline.help_format import DefaultsHelp

DEFAULT_PLAYERS = 2000
# Exit codes: 1 the operator said no; 2 the command cannot run as asked.
DECLINED, CANNOT = 1, 2


def add_parser(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser(
        "demo",
        help="load a demo data set: players, weeks of events, journeys in every state, messages, bonuses",
        description="Loads a demo data set into QUESTLINE_DATABASE_URL through the product's own services and "
        "engine, and creates three operators (demo-admin, demo-manager, demo-analyst). On a database that "
        "already has players, events, journeys or resources it asks before adding to them.",
        formatter_class=DefaultsHelp,
    )
    demo.add_argument("--players", type=int, default=DEFAULT_PLAYERS, help="how many players (1 to 100,000)")
    demo.add_argument(
        "--seed",
        type=int,
        help="seed of the random generator: the same seed makes the same data set; by default a new one each run",
    )
    demo.add_argument(
        "--password",
        help=f"password of the three demo operators (at least {MIN_PASSWORD_LENGTH} characters); "
        "by default one is generated for each and printed",
    )
    demo.add_argument("--yes", action="store_true", help="add to a database that already has data without asking")
    demo.set_defaults(func=cmd_demo)


class RichProgress:
    """The data set's stages as progress bars."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.task: TaskID | None = None

    def stage(self, description: str, total: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=self.progress.tasks[self.task].total)
        self.task = self.progress.add_task(description, total=total)

    def advance(self, steps: int = 1) -> None:
        if self.task is not None:
            self.progress.advance(self.task, steps)


def _refusal(args: argparse.Namespace) -> str | None:
    if args.players < 1 or args.players > 100_000:
        return "--players must be between 1 and 100,000"
    if args.password is not None and len(args.password) < MIN_PASSWORD_LENGTH:
        return f"--password must have at least {MIN_PASSWORD_LENGTH} characters"
    return None


def _may_add(db: Database, shown_url: str, args: argparse.Namespace, console: Console) -> int | None:
    """None when the demo may write; otherwise the exit code, with nothing written."""
    from questline.demo import has_data

    if args.yes or not has_data(db):
        return None
    where = f"The database {shown_url} already has data."
    if not sys.stdin.isatty():
        print(
            f"questline demo: {where} Run it again with --yes to add the demo data set to it. Nothing was written.",
            file=sys.stderr,
        )
        return CANNOT
    if not Confirm.ask(f"{where} Add the demo data set to it?", default=False, console=console):
        console.print("Nothing was written.")
        return DECLINED
    return None


def cmd_demo(args: argparse.Namespace) -> int:
    console = Console()
    problem = _refusal(args)
    if problem:
        print(f"questline demo: {problem}", file=sys.stderr)
        return CANNOT
    settings = load_settings()
    # The workers' own warnings (a provider's refusal) are part of the story, not news.
    logging.basicConfig(level=logging.ERROR)
    shown_url = make_url(settings.database_url).render_as_string(hide_password=True)
    db = Database(settings.database_url)
    try:
        return _load(db, settings, shown_url, args, console)
    except OperationalError as exc:
        # The driver's own words can hold the address; its kind is enough to say what failed.
        print(f"questline demo: the database {shown_url} cannot be used ({type(exc.orig).__name__})", file=sys.stderr)
        return CANNOT
    finally:
        db.dispose()


def _load(db: Database, settings: Settings, shown_url: str, args: argparse.Namespace, console: Console) -> int:
    from migrations.runner import upgrade
    from questline.demo import Options, build

    refused = _may_add(db, shown_url, args, console)
    if refused is not None:
        return refused
    upgrade(settings.database_url)
    seed = args.seed if args.seed is not None else secrets.randbelow(1_000_000)
    options = Options(players=args.players, seed=seed, password=args.password)
    started = time.monotonic()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        summary = build(db, settings, options, RichProgress(progress))
    _report(console, summary, shown_url, time.monotonic() - started)
    return 0


def _report(console: Console, summary: Summary, shown_url: str, seconds: float) -> None:
    console.print(
        f"Loaded {summary.players:,} players and {summary.events:,} events into {shown_url} "
        f"in {seconds:.1f} s (seed {summary.seed}: `questline demo --seed {summary.seed}` on an empty "
        "database makes the same data set)."
    )
    journeys = Table("journey", "status", title="Journeys")
    for name, status in summary.journeys:
        journeys.add_row(name, status)
    console.print(journeys)
    for note in summary.notes:
        console.print(f"Note: {note}")
    logins = Table("operator", "role", "access groups", "password", title="Operators")
    for login in summary.logins:
        password = login.password if login.password is not None else "(already there: password unchanged)"
        groups = ", ".join(login.groups) or "none: an ADMIN sees every journey"
        logins.add_row(login.username, login.role, groups, password)
    console.print(logins)
