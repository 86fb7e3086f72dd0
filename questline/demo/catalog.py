"""The operator's catalog in the demo: message templates on every channel, bonus
templates, badges, missions and levels, made through the catalog's own services.

A name that already exists is kept as it is and used (a second demo run, or an
operator's own catalog), so the journeys below always find what they name.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from backend import catalog as services
from backend.models import Badge, BonusTemplate, Level, Mission, Resource
from backend.persistence.database import UnitOfWork

FIRST_NAME = "{{ user.attributes.firstName | default(user.username) }}"
CASINO = "https://casino.example.com"
SPORTS = "https://sports.example.com"

# name, channel, subject (title), body
RESOURCES: tuple[tuple[str, str, str | None, str], ...] = (
    (
        "Welcome email",
        "EMAIL",
        f"Welcome to Aurora, {FIRST_NAME}! Your bonus is ready",
        f"""<html><body>
<h1>Welcome aboard, {FIRST_NAME}!</h1>
<p>Your account is open. Make your first deposit today and we match it 100% up to €200,
plus 50 free spins on {{{{ user.attributes.favouriteGame | default('Book of Dead') }}}}.</p>
<p><a href="{CASINO}/welcome?player={{{{ user.externalId }}}}">Claim my welcome bonus</a></p>
<p>Play responsibly. You can set deposit limits at any time in
<a href="{CASINO}/account/limits">your account</a>.</p>
</body></html>""",
    ),
    (
        "Welcome pop-up",
        "POPUP",
        "Welcome to Aurora!",
        f"Hi {FIRST_NAME}, your welcome offer is waiting: 100% up to €200 on your first deposit. {CASINO}/cashier",
    ),
    (
        "First deposit SMS",
        "SMS",
        None,
        (
            f"Aurora: {FIRST_NAME}, your 100% welcome bonus expires in 3 days. Deposit now: {CASINO}/cashier "
            "Reply STOP to opt out"
        ),
    ),
    (
        "Welcome last call push",
        "PUSH",
        "Your welcome bonus ends tonight",
        f"{FIRST_NAME}, 50 free spins are still waiting for you. Tap to claim before midnight.",
    ),
    (
        "Deposit thank-you pop-up",
        "POPUP",
        "Thanks for your deposit!",
        (
            "You earned 100 loyalty points for your deposit of {{ event.properties.amount }} "
            "{{ event.properties.currency }}. Balance: {{ user.points }} points ({{ user.level | default('Bronze') }})."
        ),
    ),
    (
        "Win-back email A: free spins",
        "EMAIL",
        f"{FIRST_NAME}, we saved 25 free spins for you",
        f"""<html><body>
<p>Hi {FIRST_NAME},</p>
<p>It has been a while! We added <strong>25 free spins</strong> to your account, no deposit needed.</p>
<p><a href="{CASINO}/promotions/comeback?player={{{{ user.externalId }}}}">Spin now</a></p>
</body></html>""",
    ),
    (
        "Win-back email B: reload",
        "EMAIL",
        "A 50% reload bonus, just for you",
        f"""<html><body>
<p>Hello {FIRST_NAME},</p>
<p>Come back this week and get a <strong>50% reload bonus up to €100</strong> on your next deposit.</p>
<p><a href="{CASINO}/promotions/reload?player={{{{ user.externalId }}}}">Claim the reload</a></p>
</body></html>""",
    ),
    (
        "Win-back SMS",
        "SMS",
        None,
        f"Aurora: {FIRST_NAME}, your 25 free spins expire tomorrow. Play now: {CASINO}/comeback Reply STOP to opt out",
    ),
    (
        "Win-back last chance push",
        "PUSH",
        "Last chance: your free spins",
        "Your comeback offer ends today. Tap to play.",
    ),
    (
        "Reload weekend email",
        "EMAIL",
        "Reload weekend: 25% extra on every deposit",
        f"""<html><body>
<p>{FIRST_NAME}, this weekend every deposit gets 25% extra, up to €100.</p>
<p><a href="{CASINO}/promotions/reload-weekend">See the offer</a></p>
</body></html>""",
    ),
    (
        "Reload weekend SMS",
        "SMS",
        None,
        f"Aurora: the reload weekend ends tonight. 25% extra on your deposit: {CASINO}/cashier Reply STOP to opt out",
    ),
    (
        "Champions League free bet push",
        "PUSH",
        "Your €5 free bet for tonight's match",
        f"{FIRST_NAME}, the Champions League is back. Your €5 free bet is ready in the sportsbook.",
    ),
    (
        "Champions League pop-up",
        "POPUP",
        "Free bet unlocked",
        f"Your €5 free bet is in your account. Use it before the final whistle: {SPORTS}/football/champions-league",
    ),
    (
        "VIP host call",
        "IVR",
        None,
        (
            f"Hello {FIRST_NAME}, this is Aurora's VIP desk. Thank you for your recent deposit. "
            "Your personal host will contact you this week. Press 1 to talk to your host now."
        ),
    ),
    (
        "VIP thank-you email",
        "EMAIL",
        "A personal thank-you from your VIP host",
        f"""<html><body>
<p>Dear {FIRST_NAME},</p>
<p>Thank you for playing with us. As a VIP you now get weekly cashback and faster withdrawals.</p>
<p><a href="{CASINO}/vip">Your VIP lounge</a></p>
</body></html>""",
    ),
    (
        "VIP weekly digest",
        "EMAIL",
        "Your week at Aurora",
        f"""<html><body>
<p>{FIRST_NAME}, here is your week: {{{{ user.points }}}} points, level {{{{ user.level | default('Bronze') }}}}.</p>
<p><a href="{CASINO}/vip/digest">See your rewards</a></p>
</body></html>""",
    ),
    (
        "Black Friday email",
        "EMAIL",
        "Black Friday: 100 free spins",
        f"<p>{FIRST_NAME}, Black Friday is here: 100 free spins on your deposit. {CASINO}/black-friday</p>",
    ),
)

# Where each resource's reader goes when they click (the first link the template writes).
LANDING = {
    "Welcome email": f"{CASINO}/welcome",
    "Welcome pop-up": f"{CASINO}/cashier",
    "First deposit SMS": f"{CASINO}/cashier",
    "Deposit thank-you pop-up": f"{CASINO}/loyalty",
    "Win-back email A: free spins": f"{CASINO}/promotions/comeback",
    "Win-back email B: reload": f"{CASINO}/promotions/reload",
    "Win-back SMS": f"{CASINO}/comeback",
    "Reload weekend email": f"{CASINO}/promotions/reload-weekend",
    "Reload weekend SMS": f"{CASINO}/cashier",
    "Champions League pop-up": f"{SPORTS}/football/champions-league",
    "VIP thank-you email": f"{CASINO}/vip",
    "VIP weekly digest": f"{CASINO}/vip/digest",
}

# name, kind, amount, currency
BONUS_TEMPLATES: tuple[tuple[str, str, float, str | None], ...] = (
    ("Welcome 50 free spins", "FREE_SPINS", 50, None),
    ("25 free spins", "FREE_SPINS", 25, None),
    ("Reload 25% up to €100", "DEPOSIT_MATCH", 100, "EUR"),
    ("€5 free bet", "FREE_BET", 5, "EUR"),
    ("€10 goodwill bonus", "CASH", 10, "EUR"),
    ("VIP cashback 10%", "CASHBACK", 10, "EUR"),
)

MONTH = 30 * 86400
BADGES: tuple[tuple[str, str, Any], ...] = (
    ("First deposit", "Made a first deposit.", {"field": "user.financial.depositCount", "op": "gte", "value": 1}),
    (
        "High roller",
        "Deposited €1,000 or more in 30 days.",
        {"eventSum": {"name": "deposit", "property": "amount", "withinSeconds": MONTH}, "op": "gte", "value": 1000},
    ),
    (
        "Regular",
        "Logged in 8 times in two weeks.",
        {"eventCount": {"name": "login", "withinSeconds": 14 * 86400}, "op": "gte", "value": 8},
    ),
    (
        "Football fan",
        "Placed 5 football bets.",
        {
            "eventCount": {
                "name": "bet",
                "where": {"field": "event.properties.sport", "op": "eq", "value": "football"},
            },
            "op": "gte",
            "value": 5,
        },
    ),
    (
        "Gold member",
        "Reached the Gold level.",
        {"field": "user.level", "op": "in", "value": ["Gold", "Platinum", "Diamond"]},
    ),
)

LEVELS = (("Bronze", 0), ("Silver", 250), ("Gold", 750), ("Platinum", 1500), ("Diamond", 4000))


def missions(start: datetime) -> tuple[tuple[str, str, dict, dict, datetime, datetime], ...]:
    """The missions of these weeks: each counts the events from the demo's first day on."""
    end = start + timedelta(days=60)
    football = {"field": "event.properties.sport", "op": "eq", "value": "football"}
    return (
        (
            "Spin 25 rounds",
            "Play 25 casino rounds.",
            {
                "event": "bet",
                "where": {"field": "event.properties.product", "op": "eq", "value": "casino"},
                "target": 25,
            },
            {"points": 150},
            start,
            end,
        ),
        (
            "Deposit €300 this month",
            "Deposit €300 or more in total.",
            {"event": "deposit", "measure": "sum:amount", "target": 300},
            {"points": 200, "bonusTemplate": "Reload 25% up to €100"},
            start,
            end,
        ),
        (
            "Football weekend",
            "Place 5 football bets.",
            {"event": "bet", "where": football, "target": 5},
            {"bonusTemplate": "€5 free bet"},
            start,
            end,
        ),
        ("Log in 10 times", "Log in 10 times.", {"event": "login", "target": 10}, {"points": 100}, start, end),
    )


def _missing(uow: UnitOfWork, model: Any, names: list[str]) -> set[str]:
    have = set(uow.session.scalars(select(model.name).where(model.name.in_(names))))
    return set(names) - have


def create_catalog(uow: UnitOfWork, *, start: datetime) -> int:
    """Creates what is not there yet; returns how many objects it created."""
    made = 0
    new = _missing(uow, Resource, [r[0] for r in RESOURCES])
    for name, channel, subject, body in RESOURCES:
        if name in new:
            services.create_resource(uow, name=name, channel=channel, subject=subject, body=body)
            made += 1
    new = _missing(uow, BonusTemplate, [t[0] for t in BONUS_TEMPLATES])
    for name, kind, amount, currency in BONUS_TEMPLATES:
        if name in new:
            services.create_bonus_template(uow, name=name, kind=kind, amount=amount, currency=currency)
            made += 1
    new = _missing(uow, Badge, [b[0] for b in BADGES])
    for name, description, rule in BADGES:
        if name in new:
            services.create_badge(uow, name=name, description=description, rule=rule)
            made += 1
    specs = missions(start)
    new = _missing(uow, Mission, [m[0] for m in specs])
    for name, description, goal, reward, starts, ends in specs:
        if name in new:
            services.create_mission(
                uow, name=name, description=description, goal=goal, reward=reward, starts_at=starts, ends_at=ends
            )
            made += 1
    if not uow.session.scalar(select(func.count()).select_from(Level)):
        services.set_levels(uow, levels=list(LEVELS))
        made += len(LEVELS)
    return made
