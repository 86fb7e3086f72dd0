"""`build`: loads the demo data set into a migrated database, through the product's services.

The story, over `days` days that end now:
- the catalog, the operators and the players who signed up earlier are there at the start;
  newcomers sign up along the way;
- the welcome, loyalty and VIP journeys run from the start; a reload promotion runs for a
  week and is stopped; the welcome journey gets a second version; a free-bet journey for
  football bettors starts mid-way and is paused (frozen) near the end; two waves of lapsed
  players enter a win-back journey with a control group; support staff grant a few
  bonuses and points; a scheduled digest and two drafts are written on the last day;
- tonight, sportsbook players are entered into a match reminder whose messages are still
  on their way (QUEUED, and a few SENDING) when the demo ends.
Between those moments the players play by themselves and react to what they receive,
and the engine runs on the simulated clock (see `questline.demo.engine`).
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import func, inspect, select, update

from backend.auth.policy import Principal
from backend.auth.service import create_operator, principal_of
from backend.delivery.notify import InProcessNotifier
from backend.models import (
    Badge,
    BonusTemplate,
    Event,
    Journey,
    Mission,
    MissionProgress,
    Operator,
    Resource,
    User,
    utcnow,
)
from backend.persistence.database import Database
from backend.services import build_services
from backend.settings import Settings
from questline.demo import catalog, journeys, people, providers
from questline.demo.activity import Ids
from questline.demo.engine import Engine, HintQueue, Restamp, SimClock
from questline.demo.lifecycle import Operator as Desk
from questline.demo.options import NoProgress, Options, Progress
from questline.demo.story import DAYS, Story

OPERATORS = (
    ("demo-admin", "ADMIN", ()),
    ("demo-manager", "MANAGER", ("sportsbook",)),
    ("demo-analyst", "ANALYST", ("casino", "sportsbook", "vip")),
)


@dataclass
class Login:
    username: str
    role: str
    groups: tuple[str, ...]
    # None: the operator was there already, and keeps the password it had.
    password: str | None


@dataclass
class Summary:
    seed: int
    players: int = 0
    events: int = 0
    journeys: list[tuple[str, str]] = field(default_factory=list)
    logins: list[Login] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def has_data(db: Database) -> bool:
    """Players, events, journeys or catalog rows; operators alone do not count."""
    if not inspect(db.engine).has_table("users"):
        return False
    with db.read() as session:
        return any(session.scalar(select(func.count()).select_from(m)) for m in (User, Event, Journey, Resource))


def sandbox_settings(settings: Settings) -> Settings:
    """The deployment's settings with every outside party replaced by the demo's own
    (the channels' adapters are handed to the services directly: see providers.senders)."""
    return replace(
        settings,
        smtp_url=None,
        sms_url=None,
        push_url=None,
        ivr_url=None,
        wallet_url=providers.WALLET_URL,
        provider_token=None,
        frequency_cap=0,
        # A daily cap of one bonus a player, so a second bonus the same day is CANCELLED as the product does.
        bonus_daily_cap=1,
    )


def _operators(db: Database, password: str | None) -> list[Login]:
    logins = []
    with db.unit_of_work() as uow:
        existing = set(uow.session.scalars(select(Operator.username)))
        for username, role, groups in OPERATORS:
            if username in existing:
                logins.append(Login(username, role, groups, None))
                continue
            secret = password or secrets.token_urlsafe(12)
            create_operator(uow, username=username, password=secret, role=role, access_groups=list(groups))
            logins.append(Login(username, role, groups, secret))
    return logins


def _first_number(db: Database) -> int:
    """Players of an earlier demo run keep their ids; this run's come after them."""
    with db.read() as session:
        last = session.scalar(select(func.max(User.external_id)).where(User.external_id.like("pl______")))
    return int(last[2:]) + 1 if last and last[2:].isdigit() else 100001


def _suffix(db: Database) -> str:
    with db.read() as session:
        taken = session.scalar(select(func.count()).where(Journey.name == journeys.WELCOME.name))
    return f" ({taken + 1})" if taken else ""


def build(db: Database, settings: Settings, options: Options, progress: Progress | None = None) -> Summary:
    progress = progress or NoProgress()
    since = utcnow()
    # The story ends a moment before the command began: every simulated time is earlier than `since`.
    end = (since - timedelta(minutes=1)).replace(second=0, microsecond=0)
    # From midnight (UTC) four weeks ago: one seed makes the same days, whatever the hour it runs.
    start = (end - timedelta(days=DAYS)).replace(hour=0, minute=0, second=0, microsecond=0)
    summary = Summary(seed=options.seed, logins=_set_up(db, options.password, since, start, progress))
    story = _story(db, settings, options, Restamp(db, since), start, end, progress)
    try:
        story.tell()
    finally:
        story.engine.wallet.close()
    _finish(db, since, end)
    summary.players = len(story.roster)
    summary.events = story.tracked
    summary.journeys = _journey_states(db, story.desk)
    summary.notes = story.desk.notes
    return summary


def _set_up(db: Database, password: str | None, since: datetime, start: datetime, progress: Progress) -> list[Login]:
    progress.stage("Operators and catalog", 2)
    logins = _operators(db, password)
    progress.advance()
    with db.unit_of_work() as uow:
        catalog.create_catalog(uow, start=start)
    _backdate_catalog(db, since, start - timedelta(days=45))
    progress.advance()
    return logins


def _story(
    db: Database,
    settings: Settings,
    options: Options,
    restamp: Restamp,
    start: datetime,
    end: datetime,
    progress: Progress,
) -> Story:
    rng = random.Random(options.seed)
    roster = people.make_players(rng, options.players, _first_number(db), start, DAYS)
    under_review = {p.external_id for p in roster if rng.random() < 0.03}
    queue, clock = HintQueue(), SimClock(start)
    outbox: list[int] = []
    services = build_services(
        sandbox_settings(settings),
        queue=queue,
        db=db,
        notifier=InProcessNotifier(),  # pop-ups of the past have no one listening for them
        channels=providers.senders(outbox),
        clock=clock,
    )
    engine = Engine(
        services=services,
        clock=clock,
        queue=queue,
        outbox=outbox,
        wallet=providers.wallet(under_review),
        restamp=restamp,
    )
    desk = Desk(db=db, principal=_principal(db, "demo-admin"), queue=queue, restamp=restamp, suffix=_suffix(db))
    return Story(
        db=db, rng=rng, start=start, end=end, roster=roster, engine=engine, desk=desk, progress=progress, ids=Ids()
    )


def _principal(db: Database, username: str) -> Principal:
    with db.read() as session:
        return principal_of(session.scalars(select(Operator).where(Operator.username == username)).one())


def _backdate_catalog(db: Database, since: datetime, at: datetime) -> None:
    with db.unit_of_work() as uow:
        for model in (Resource, BonusTemplate, Badge, Mission):
            table = model.__table__
            stamps = {"created_at": at, **({"updated_at": at} if "updated_at" in table.c else {})}
            uow.session.execute(update(table).where(table.c.created_at >= since).values(stamps))


def _finish(db: Database, since: datetime, end: datetime) -> None:
    """Stamps the story's services take from the wall clock whatever they are told: an
    event's arrival (in the story it arrived as it happened), a player's last change, a
    mission's completion."""
    with db.unit_of_work() as uow:
        events, users, progress = Event.__table__, User.__table__, MissionProgress.__table__
        uow.session.execute(
            update(events).where(events.c.received_at >= since).values(received_at=events.c.occurred_at)
        )
        uow.session.execute(update(users).where(users.c.updated_at >= since).values(updated_at=end))
        # Completing a mission stamps its progress row with the wall clock.
        uow.session.execute(
            update(progress).where(progress.c.updated_at >= since).values(updated_at=progress.c.completed_at)
        )


def _journey_states(db: Database, desk: Desk) -> list[tuple[str, str]]:
    with db.read() as session:
        rows = session.execute(select(Journey.name, Journey.status).where(Journey.id.in_(desk.ids.values())))
        return sorted((name, status) for name, status in rows)
