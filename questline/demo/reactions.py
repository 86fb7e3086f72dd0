"""What players do with the messages they get: the receipts their phones and mail
servers send back, opens and clicks, what they do with a pop-up, and the deposits an
offer brings. Only messages that really went out get a reaction, so a player held out
in a control group converts only at their own pace: the uplift the report shows is
what the messages did.
"""

from __future__ import annotations

import heapq
import itertools
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from backend.delivery import engagement
from backend.journeys.loading import JourneyCache
from backend.persistence.database import UnitOfWork
from questline.demo.activity import Ids, bet, deposit, event
from questline.demo.catalog import LANDING
from questline.demo.engine import Sent
from questline.demo.people import Player

READER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"
DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
# Apple Mail Privacy Protection fetches every image with this bare agent: a machine open.
PRIVACY_PROXY = "Mozilla/5.0"

# How likely a message that arrived makes its reader deposit (or, for the free bet, bet) soon after.
PULL = {
    "Welcome email": 0.05,
    "Welcome pop-up": 0.05,
    "First deposit SMS": 0.22,
    "Welcome last call push": 0.12,
    "Win-back email A: free spins": 0.32,
    "Win-back email B: reload": 0.28,
    "Win-back SMS": 0.25,
    "Win-back last chance push": 0.2,
    "Reload weekend email": 0.08,
    "Reload weekend SMS": 0.1,
    "Champions League free bet push": 0.35,
}
# channel: chance it arrives, chance of a final failure receipt (with its text), chance its reader opens it
RECEIPTS = {
    "EMAIL": (0.94, 0.035, "550 5.1.1 mailbox unavailable", 0.42),
    "SMS": (0.9, 0.05, "undeliverable: handset switched off for 72 hours", 0.0),
    # Push services say only that they accepted a notification: it stays SENT.
    "PUSH": (0.0, 0.0, "", 0.0),
    "IVR": (0.7, 0.25, "no answer after 6 rings", 0.0),
}


@dataclass(order=True)
class Due:
    at: datetime
    seq: int
    kind: str = field(compare=False)
    args: dict[str, Any] = field(compare=False)


class Agenda:
    """What players will do later, in time order."""

    def __init__(self) -> None:
        self._heap: list[Due] = []
        self._seq = itertools.count()

    def add(self, at: datetime, kind: str, **args: Any) -> None:
        heapq.heappush(self._heap, Due(at, next(self._seq), kind, args))

    def until(self, moment: datetime) -> list[Due]:
        out = []
        while self._heap and self._heap[0].at <= moment:
            out.append(heapq.heappop(self._heap))
        return out


@dataclass
class Reactions:
    rng: random.Random
    ids: Ids
    players: dict[int, Player]  # by user id
    resources: dict[int, str]  # resource id -> name
    agenda: Agenda = field(default_factory=Agenda)
    excluded: set[str] = field(default_factory=set)

    def later(self, now: datetime, low_minutes: float, high_minutes: float) -> datetime:
        return now + timedelta(minutes=self.rng.uniform(low_minutes, high_minutes))

    def on_sent(self, rows: list[Sent], now: datetime) -> None:
        for row in rows:
            name = self.resources.get(row.resource_id, "")
            if row.channel == "POPUP":
                self._popup(row, name, now)
            else:
                self._message(row, name, now)

    def _message(self, row: Sent, name: str, now: datetime) -> None:
        reached = self._receipt(row, now)
        if reached is not None:
            self._engage(row, name, reached)
            self._maybe_respond(row, name, reached)

    def _receipt(self, row: Sent, now: datetime) -> datetime | None:
        """When the message reached the player (None: it never did), with the provider's receipt if one comes."""
        arrives, fails, error, _ = RECEIPTS[row.channel]
        roll = self.rng.random()
        if roll < fails:
            status = "bounced" if row.channel == "EMAIL" else "failed"
            self.agenda.add(self.later(now, 1, 20), "receipt", id=row.id, status=status, error=error)
            return None
        reached = self.later(now, 0.5, 6)
        if roll < fails + arrives:
            self.agenda.add(reached, "receipt", id=row.id, status="delivered", error=None)
        return reached

    def _engage(self, row: Sent, name: str, reached: datetime) -> None:
        if row.channel == "EMAIL" and self.rng.random() < 0.15:
            self.agenda.add(reached + timedelta(seconds=1), "open", id=row.id, agent=PRIVACY_PROXY)
        reads = row.channel == "EMAIL" and self.rng.random() < RECEIPTS["EMAIL"][3]
        if reads:
            agent = self.rng.choice((READER, DESKTOP))
            self.agenda.add(self.later(reached, 5, 18 * 60), "open", id=row.id, agent=agent)
        if (reads or row.channel in ("SMS", "PUSH")) and name in LANDING and self.rng.random() < 0.35:
            self.agenda.add(self.later(reached, 20, 20 * 60), "click", id=row.id, url=LANDING[name], agent=READER)

    def _popup(self, row: Sent, name: str, now: datetime) -> None:
        """What the game client reports: shown, shown then dismissed, or clicked (which counts as shown)."""
        roll = self.rng.random()
        if roll >= 0.82:
            return  # never shown: the player did not come back to the game while it waited
        shown = self.later(now, 1, 90)
        user = row.user_id
        if roll < 0.25 and name in LANDING:
            self.agenda.add(shown, "popup", id=row.id, user_id=user, action="CLICKED", url=LANDING[name])
        else:
            self.agenda.add(shown, "popup", id=row.id, user_id=user, action="SHOWN", url=None)
            if roll < 0.45:
                later = shown + timedelta(seconds=8)
                self.agenda.add(later, "popup", id=row.id, user_id=user, action="DISMISSED", url=None)
        self._maybe_respond(row, name, shown)

    def _maybe_respond(self, row: Sent, name: str, seen: datetime) -> None:
        player = self.players.get(row.user_id)
        if player is None or player.external_id in self.excluded or self.rng.random() >= PULL.get(name, 0.0):
            return
        at = self.later(seen, 15, 30 * 60)
        self.agenda.add(at, "event", event=event(self.ids, player, "login", at, device="ios"))
        then = at + timedelta(minutes=self.rng.uniform(1, 5))
        if name.startswith("Champions League"):
            self.agenda.add(then, "event", event=bet(self.ids, self.rng, player, then))
        else:
            self.agenda.add(then, "event", event=deposit(self.ids, self.rng, player, then, (20, 25, 50, 100)))


def apply(journeys: JourneyCache, uow: UnitOfWork, due: Due) -> None:
    """One reaction, through the same functions as the tracking links, receipts and pop-up client."""
    a, at = due.args, due.at
    if due.kind == "receipt":
        engagement.record_receipt(
            uow, journeys=journeys, communication_id=a["id"], status=a["status"], error=a["error"], at=at
        )
    elif due.kind == "open":
        engagement.record_open(uow, journeys=journeys, communication_id=a["id"], user_agent=a["agent"], now=at)
    elif due.kind == "click":
        engagement.record_click(
            uow, journeys=journeys, communication_id=a["id"], url=a["url"], user_agent=a["agent"], now=at
        )
    elif due.kind == "popup":
        engagement.record_popup_action(
            uow,
            journeys=journeys,
            user_id=a["user_id"],
            communication_id=a["id"],
            action=a["action"],
            url=a["url"],
            now=at,
        )
