"""What the players do by themselves, day by day: log in, bet, win, deposit, withdraw.

Each way of playing has its own rhythm. Sessions fall in the player's own evening,
so a player in Tokyo plays while one in Toronto sleeps. Everything is drawn from the
demo's random generator, so one seed gives one history.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from questline.demo.people import CASINO_GAMES, SPORTS, Player

# style: chance of a session a day, bets a session (low, high), chance of a deposit in a session, deposit amounts
RHYTHM: dict[str, tuple[float, tuple[int, int], float, tuple[int, ...]]] = {
    "regular": (0.3, (1, 1), 0.3, (10, 20, 25, 50, 100)),
    "casual": (0.12, (1, 2), 0.3, (10, 20, 50)),
    "vip": (0.5, (1, 3), 0.45, (200, 300, 500, 1000)),
    "lapsed": (0.16, (1, 1), 0.3, (10, 20, 50)),
    "newcomer": (0.4, (1, 1), 0.1, (10, 20, 50, 100)),
}
# A lapsed player who stopped still comes back now and then by themselves.
LAPSED_RETURN = 0.012
# Local hours of play: mostly the evening.
HOURS = tuple(range(7, 24))
HOUR_WEIGHTS = (1, 1, 1, 2, 2, 3, 3, 3, 3, 4, 5, 6, 8, 9, 9, 7, 4)


class Ids:
    """Event ids: unique per player, readable in the backoffice."""

    def __init__(self) -> None:
        self.count: dict[str, int] = {}

    def next(self, player: Player, name: str) -> str:
        n = self.count[player.external_id] = self.count.get(player.external_id, 0) + 1
        return f"{player.external_id}-{name}-{n:04d}"


def event(ids: Ids, player: Player, name: str, at: datetime, **properties: Any) -> dict[str, Any]:
    return {
        "eventId": ids.next(player, name),
        "externalId": player.external_id,
        "name": name,
        "occurredAt": at,
        "properties": properties,
    }


def session_start(rng: random.Random, player: Player, day: datetime) -> datetime:
    """A moment of the player's own evening on this (UTC) day."""
    offset = ZoneInfo(player.timezone).utcoffset(day.replace(tzinfo=None)) or timedelta()
    local = rng.choices(HOURS, HOUR_WEIGHTS)[0] + rng.random()
    return day + timedelta(hours=local) - offset


def bet(ids: Ids, rng: random.Random, player: Player, at: datetime) -> dict[str, Any]:
    if player.product == "sportsbook":
        sport = player.favourite if rng.random() < 0.7 else rng.choice(SPORTS)
        return event(
            ids,
            player,
            "bet",
            at,
            product="sportsbook",
            sport=sport,
            market=rng.choice(("1X2", "over/under", "handicap")),
            stake=rng.choice((2, 5, 10, 20)),
            odds=round(rng.uniform(1.3, 4.5), 2),
        )
    game = player.favourite if rng.random() < 0.6 else rng.choice(CASINO_GAMES)
    return event(
        ids,
        player,
        "bet",
        at,
        product="casino",
        game=game,
        stake=rng.choice((0.5, 1, 2, 5)),
        rounds=rng.randrange(10, 120),
    )


def deposit(ids: Ids, rng: random.Random, player: Player, at: datetime, amounts: tuple[int, ...]) -> dict[str, Any]:
    return event(
        ids,
        player,
        "deposit",
        at,
        amount=rng.choice(amounts),
        currency="EUR",
        method=rng.choice(("card", "card", "bank transfer", "e-wallet", "Apple Pay")),
    )


def session(
    ids: Ids, rng: random.Random, player: Player, at: datetime, *, deposit_chance: float
) -> list[dict[str, Any]]:
    """One visit: a login, maybe a deposit, a few bets, maybe a win or a withdrawal."""
    _, (low, high), _, amounts = RHYTHM[player.style]
    out = [event(ids, player, "login", at, device=rng.choice(("ios", "android", "web")))]
    at += timedelta(minutes=rng.uniform(1, 4))
    if rng.random() < deposit_chance:
        out.append(deposit(ids, rng, player, at, amounts))
    for _ in range(rng.randint(low, high)):
        at += timedelta(minutes=rng.uniform(2, 15))
        out.append(bet(ids, rng, player, at))
    if rng.random() < 0.15:
        out.append(
            event(ids, player, "win", at + timedelta(minutes=1), amount=round(rng.uniform(2, 400), 2), currency="EUR")
        )
    if rng.random() < 0.03:
        out.append(
            event(
                ids,
                player,
                "withdrawal",
                at + timedelta(minutes=5),
                amount=rng.choice((50, 100, 200, 500)),
                currency="EUR",
            )
        )
    return out


def plays_today(rng: random.Random, player: Player, day_index: int, day: datetime) -> bool:
    if player.style == "newcomer" and day + timedelta(days=1) <= player.registered_at:
        return False
    if player.style == "lapsed" and day_index >= player.lapses_on:
        return rng.random() < LAPSED_RETURN
    return rng.random() < RHYTHM[player.style][0]


def day_of(rng: random.Random, ids: Ids, player: Player, day_index: int, day: datetime) -> list[dict[str, Any]]:
    """The events one player makes by themselves on one day."""
    out: list[dict[str, Any]] = []
    if player.style == "newcomer" and day <= player.registered_at < day + timedelta(days=1):
        out.append(
            event(ids, player, "registration", player.registered_at, channel=rng.choice(("web", "ios", "android")))
        )
    if not plays_today(rng, player, day_index, day):
        return out
    at = session_start(rng, player, day)
    if player.style == "newcomer":
        at = max(at, player.registered_at + timedelta(minutes=30))
    returning = player.style == "lapsed" and day_index >= player.lapses_on
    out += session(ids, rng, player, at, deposit_chance=0.6 if returning else RHYTHM[player.style][2])
    return out
