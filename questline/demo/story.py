"""The demo's weeks, slot by slot: what the operator does on which day, what the players
do by themselves and in reply, and the engine running between."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, or_, select, update

from backend.models import BonusTemplate, Communication, Resource, User, utcnow
from backend.persistence.database import Database
from backend.processing.delivery import claim
from backend.users.intake import track_events
from backend.users.profiles import upsert_users
from questline.demo import journeys as js
from questline.demo.activity import Ids, day_of, event
from questline.demo.engine import Engine, chunks
from questline.demo.lifecycle import Operator
from questline.demo.options import Progress
from questline.demo.people import Player
from questline.demo.reactions import Reactions, apply

# The story is written for four weeks and the day it ends on, played eight hours at a time.
DAYS = 28
SLOTS_PER_DAY = 3

LIVE_MATCH = js.JourneySpec(
    key="live_match",
    name="Tonight's match reminder",
    description="Sent by hand to sportsbook players an hour before kick-off.",
    definition={
        "trigger": {"kind": "API"},
        "start": "push",
        "steps": [
            {
                "id": "push",
                "kind": "send",
                "name": "Kick-off push",
                "resource": "Champions League free bet push",
                "next": "free_bet",
            },
            {"id": "free_bet", "kind": "bonus", "name": "€5 free bet", "template": "€5 free bet", "next": "wait"},
            {"id": "wait", "kind": "wait", "name": "Until half-time", "seconds": 3600, "next": "popup"},
            {"id": "popup", "kind": "send", "name": "Half-time pop-up", "resource": "Champions League pop-up"},
        ],
    },
    tags=["sportsbook", "football"],
    access_groups=["sportsbook"],
    reentry_mode="EVERY_ENTRY",
)


@dataclass
class Story:
    db: Database
    rng: random.Random
    start: datetime
    end: datetime
    roster: list[Player]
    engine: Engine
    desk: Operator
    progress: Progress
    ids: Ids
    tracked: int = 0
    user_ids: dict[str, int] = field(default_factory=dict)
    reactions: Reactions | None = None
    pending: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    excluded: set[str] = field(default_factory=set)

    @property
    def slot(self) -> timedelta:
        return timedelta(days=1) / SLOTS_PER_DAY

    def slot_of(self, moment: datetime) -> int:
        return int((moment - self.start) / self.slot)

    def tell(self) -> None:
        self.progress.stage("Players", 1)
        self._sign_up([p for p in self.roster if p.style != "newcomer"])
        self.progress.advance()
        self._plan_activity()
        self._open_journeys()
        slots = math.ceil((self.end - self.start) / self.slot)
        actions = self._actions()
        self.progress.stage(f"{DAYS} days of play", slots)
        for index in range(slots):
            until = min(self.start + self.slot * (index + 1), self.end)
            for action in actions.get(index, ()):
                action(self.start + self.slot * index)
            self._play(index, until)
            self.progress.advance()
        self.progress.stage("Tonight's messages", 1)
        self._tonight()
        self.progress.advance()

    # --- players -----------------------------------------------------------

    def _sign_up(self, players: list[Player]) -> None:
        for part in [players[i : i + 1000] for i in range(0, len(players), 1000)]:
            with self.db.unit_of_work() as uow:
                upsert_users(uow, users=[p.profile() for p in part])
            with self.db.unit_of_work() as uow:
                rows = dict(
                    uow.session.execute(
                        select(User.external_id, User.id).where(User.external_id.in_([p.external_id for p in part]))
                    ).all()
                )
                self.user_ids.update(rows)
                users = User.__table__
                uow.session.execute(
                    update(users)
                    .where(users.c.id == bindparam("pk"))
                    .values(created_at=bindparam("at"), updated_at=bindparam("at")),
                    [{"pk": rows[p.external_id], "at": p.registered_at} for p in part],
                )
        if self.reactions is not None:
            self.reactions.players.update({self.user_ids[p.external_id]: p for p in players})

    def _plan_activity(self) -> None:
        """Every player's own days, generated up front and put in the slot they fall in."""
        excluded_on = {p.external_id: self.rng.randrange(3, DAYS) for p in self.roster if self.rng.random() < 0.004}
        for player in self.roster:
            for d in range(DAYS + 1):
                day = self.start + timedelta(days=d)
                if d == excluded_on.get(player.external_id):
                    at = day + timedelta(hours=self.rng.uniform(8, 22))
                    self._keep(event(self.ids, player, "self_exclusion", at, period="6 months"))
                    break
                for e in day_of(self.rng, self.ids, player, d, day):
                    self._keep(e)
        self.excluded = set(excluded_on)

    def _keep(self, e: dict[str, Any]) -> None:
        if self.start < e["occurredAt"] <= self.end:
            self.pending[self.slot_of(e["occurredAt"] - timedelta(microseconds=1))].append(e)

    # --- the engine between the operator's actions -------------------------

    def _play(self, index: int, until: datetime) -> None:
        newcomers = [p for p in self.roster if p.style == "newcomer" and self.slot_of(p.registered_at) == index]
        if newcomers:
            self._sign_up(newcomers)
        due = self.reactions.agenda.until(until) if self.reactions is not None else []
        self._react([d for d in due if d.kind != "event"])
        for d in due:
            if d.kind == "event":
                self._keep(d.args["event"])
        self._track(self.pending.pop(index, []))
        self.engine.run(until)

    def _react(self, due: list) -> None:
        if not due:
            return
        with self.db.unit_of_work() as uow:
            for item in due:
                apply(self.engine.services.journeys, uow, item)

    def _track(self, events: list[dict[str, Any]]) -> None:
        events.sort(key=lambda e: e["occurredAt"])
        for part in [events[i : i + 5000] for i in range(0, len(events), 5000)]:
            with self.db.unit_of_work() as uow:
                self.tracked += track_events(uow, events=part, queue=self.engine.queue).accepted

    # --- the operator's days ------------------------------------------------

    def _actions(self) -> dict[int, list[Callable[[datetime], None]]]:
        per_day = SLOTS_PER_DAY
        return {
            2 * per_day: [self._start_reload],
            9 * per_day: [lambda at: self.desk.stop("reload", at)],
            10 * per_day: [lambda at: self.desk.publish("welcome", js.WELCOME, js.WELCOME_V2, at)],
            12 * per_day: [self._start_free_bet],
            14 * per_day: [self._start_winback, self._winback_wave],
            18 * per_day: [self._support],
            20 * per_day: [self._winback_wave, self._stop_some],
            26 * per_day: [lambda at: self.desk.stop("free_bet", at)],
            27 * per_day + 1: [self._drafts],
        }

    def _open_journeys(self) -> None:
        with self.db.read() as session:
            resources = dict(session.execute(select(Resource.id, Resource.name)).all())
        players = {self.user_ids[p.external_id]: p for p in self.roster if p.external_id in self.user_ids}
        self.reactions = Reactions(self.rng, self.ids, players, resources, excluded=self.excluded)
        self.engine.on_sent = self.reactions.on_sent
        for spec, days_before in ((js.LOYALTY, 40), (js.VIP_CARE, 20), (js.WELCOME, 12)):
            self.desk.create(spec, self.start - timedelta(days=days_before))
            self.desk.activate(spec.key, self.start - timedelta(days=days_before - 1))

    def _launch(self, spec: js.JourneySpec, at: datetime) -> None:
        self.desk.create(spec, at - timedelta(hours=20))
        self.desk.activate(spec.key, at)

    def _start_reload(self, at: datetime) -> None:
        self._launch(js.RELOAD, at)

    def _start_free_bet(self, at: datetime) -> None:
        self._launch(js.FREE_BET, at)

    def _start_winback(self, at: datetime) -> None:
        self._launch(js.WINBACK, at)

    def _winback_wave(self, at: datetime) -> None:
        """Players of this run with no deposit for two weeks, as the operator's segment query finds them."""
        cut = at - timedelta(days=14)
        mine = [p.external_id for p in self.roster if p.external_id in self.user_ids]
        with self.db.read() as session:
            lapsed = [
                ext
                for part in chunks(mine, 500)
                for ext in session.scalars(
                    select(User.external_id).where(
                        User.external_id.in_(part),
                        User.created_at < cut,
                        or_(User.last_deposit_at.is_(None), User.last_deposit_at < cut),
                    )
                )
            ]
        wave = 1 if at < self.start + timedelta(days=17) else 2
        self.desk.enter("winback", sorted(lapsed), {"campaign": "win-back", "wave": wave}, at)

    def _support(self, at: datetime) -> None:
        """The support desk's day: points for players hit by an outage, goodwill bonuses for complaints."""
        active = [p for p in self.roster if p.external_id in self.user_ids and p.style in ("regular", "vip")]
        for player in self.rng.sample(active, min(6, len(active))):
            self.desk.adjust(player.external_id, 250, "Compensation: game outage on Saturday evening", at)
        with self.db.read() as session:
            template = session.scalars(select(BonusTemplate.id).where(BonusTemplate.name == "€10 goodwill bonus")).one()
        chosen = self.rng.sample(active, min(4, len(active)))
        # The first player wrote twice and two agents answered: the daily cap cancels the second bonus.
        for ticket, player in enumerate(chosen[:1] + chosen):
            self.desk.goodwill(player.external_id, template, f"support-ticket-{player.number}-{ticket}", at)

    def _stop_some(self, at: datetime) -> None:
        self.desk.stop_entries("welcome", 2, "the player asked not to be contacted", at)

    def _drafts(self, at: datetime) -> None:
        self.desk.create(js.DIGEST, at - timedelta(hours=3))
        self.desk.activate(js.DIGEST.key, at)
        self.desk.create(js.BLACK_FRIDAY, at - timedelta(hours=2))
        self.desk.create(js.ACCUMULATOR, at - timedelta(hours=1))

    # --- tonight -----------------------------------------------------------

    def _tonight(self) -> None:
        """Sent by hand a moment ago: the workers of the real clock deliver these after the demo."""
        self.desk.create(LIVE_MATCH, self.end - timedelta(hours=2))
        self.desk.activate(LIVE_MATCH.key, self.end - timedelta(hours=1))
        fans = [
            p.external_id
            for p in self.roster
            if p.product == "sportsbook" and p.external_id in self.user_ids and p.external_id not in self.excluded
        ]
        self.desk.enter(LIVE_MATCH.key, fans[:60], {"match": "Aurora derby", "kickOff": "21:00"}, self.end)
        self.engine.run(self.end, send=False)
        with self.db.read() as session:
            queued = list(
                session.scalars(
                    select(Communication.id)
                    .where(Communication.journey_id == self.desk.ids[LIVE_MATCH.key], Communication.status == "QUEUED")
                    .order_by(Communication.id)
                )
            )
        # A worker has just picked these up: they are SENDING under its lease when the demo ends.
        claim(self.db, "PUSH", queued[: max(1, len(queued) // 4)], utcnow())
