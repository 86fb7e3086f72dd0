"""The demo's journeys: one document each, written as an operator would, covering
every step kind the editor draws and every state a journey or an entry can be in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DAY = 86400
HOUR = 3600
SELF_EXCLUSION = [{"event": "self_exclusion"}]


@dataclass(frozen=True)
class JourneySpec:
    key: str
    name: str
    description: str
    definition: dict[str, Any]
    tags: list[str]
    access_groups: list[str] = field(default_factory=list)
    reentry_mode: str = "ONCE"
    freeze_on_stop: bool = False
    control_group_percent: float = 0.0


def _welcome(nudge_wait: int) -> dict[str, Any]:
    return {
        "trigger": {"kind": "EVENT", "event": "registration"},
        "goal": {"event": "deposit", "withinSeconds": 7 * DAY},
        "exitWhen": SELF_EXCLUSION,
        "quietHours": {"start": "22:00", "end": "08:00"},
        "start": "welcome",
        "steps": [
            {"id": "welcome", "kind": "send", "name": "Welcome email", "resource": "Welcome email", "next": "popup"},
            {"id": "popup", "kind": "send", "name": "Welcome pop-up", "resource": "Welcome pop-up", "next": "day1"},
            {"id": "day1", "kind": "wait", "name": "One day", "seconds": DAY, "next": "deposited"},
            {
                "id": "deposited",
                "kind": "condition",
                "name": "Deposited yet?",
                "where": {"field": "user.financial.depositCount", "op": "gte", "value": 1},
                "yes": "reward",
                "no": "nudge",
            },
            {"id": "reward", "kind": "points", "name": "First deposit points", "amount": 100, "reason": "Welcome"},
            {"id": "nudge", "kind": "send", "name": "Deposit nudge", "resource": "First deposit SMS", "next": "wait"},
            {
                "id": "wait",
                "kind": "wait_for_event",
                "name": "Waits for a deposit",
                "event": "deposit",
                "timeoutSeconds": nudge_wait,
                "next": "spins",
                "timeoutNext": "last_call",
            },
            {"id": "spins", "kind": "bonus", "name": "50 free spins", "template": "Welcome 50 free spins"},
            {"id": "last_call", "kind": "send", "name": "Last call", "resource": "Welcome last call push"},
        ],
    }


WELCOME = JourneySpec(
    key="welcome",
    name="Welcome series",
    description="New players: a welcome email and pop-up, then a nudge towards the first deposit.",
    definition=_welcome(3 * DAY),
    tags=["onboarding", "casino", "sportsbook"],
)
# Version 2, published mid-way: players get four days instead of three to deposit after the nudge.
WELCOME_V2 = _welcome(4 * DAY)

WINBACK = JourneySpec(
    key="winback",
    name="Win-back: lapsed players",
    description="Players without a deposit for two weeks: free spins or a reload (A/B), then reminders. "
    "30% are held out as a control group.",
    definition={
        "trigger": {"kind": "API"},
        "goal": {"event": "deposit", "withinSeconds": 5 * DAY, "exitOnConversion": True},
        "exitWhen": SELF_EXCLUSION,
        "start": "test",
        "steps": [
            {
                "id": "test",
                "kind": "split",
                "name": "Offer A/B",
                "branches": [
                    {"name": "A", "percent": 50, "next": "email_a"},
                    {"name": "B", "percent": 50, "next": "email_b"},
                ],
            },
            {
                "id": "email_a",
                "kind": "send",
                "name": "Free spins email",
                "resource": "Win-back email A: free spins",
                "next": "spins",
            },
            {"id": "spins", "kind": "bonus", "name": "25 free spins", "template": "25 free spins", "next": "day1"},
            {
                "id": "email_b",
                "kind": "send",
                "name": "Reload email",
                "resource": "Win-back email B: reload",
                "next": "to_reminders",
            },
            {"id": "to_reminders", "kind": "goto", "name": "Join the reminders", "to": "day1"},
            {"id": "day1", "kind": "wait", "name": "One day", "seconds": DAY, "next": "sms"},
            {"id": "sms", "kind": "send", "name": "Reminder SMS", "resource": "Win-back SMS", "next": "day3"},
            {"id": "day3", "kind": "wait", "name": "Two days", "seconds": 2 * DAY, "next": "push"},
            {
                "id": "push",
                "kind": "send",
                "name": "Last chance",
                "resource": "Win-back last chance push",
                "next": "tag",
            },
            {"id": "tag", "kind": "update_profile", "name": "Mark as contacted", "set": {"winbackContacted": True}},
        ],
    },
    tags=["retention", "casino"],
    access_groups=["casino"],
    control_group_percent=30.0,
)

LOYALTY = JourneySpec(
    key="loyalty",
    name="Deposit thank-you and loyalty points",
    description="Every deposit of €100 or more: 100 loyalty points and a thank-you pop-up.",
    definition={
        "trigger": {
            "kind": "EVENT",
            "event": "deposit",
            "where": {"field": "event.properties.amount", "op": "gte", "value": 100},
        },
        "statuses": [
            {"name": "Entered", "step": 0},
            {"name": "Rewarded", "step": 10},
            {"name": "Sent", "step": 20},
            {"name": "Delivered", "step": 30},
            {"name": "Opened", "step": 40},
            {"name": "Clicked", "step": 50},
        ],
        "start": "points",
        "steps": [
            {
                "id": "points",
                "kind": "points",
                "name": "100 points",
                "amount": 100,
                "reason": "Deposit",
                "next": "rewarded",
            },
            {"id": "rewarded", "kind": "set_status", "status": "Rewarded", "next": "thanks"},
            {
                "id": "thanks",
                "kind": "send",
                "name": "Thank-you pop-up",
                "resource": "Deposit thank-you pop-up",
                "next": "vip",
            },
            {
                "id": "vip",
                "kind": "condition",
                "name": "€1,000 deposited?",
                "where": {"field": "user.financial.depositTotal", "op": "gte", "value": 1000},
                "yes": "mark",
                "no": "done",
            },
            {"id": "mark", "kind": "update_profile", "name": "VIP candidate", "set": {"vipCandidate": True}},
            {"id": "done", "kind": "exit"},
        ],
    },
    tags=["loyalty"],
    reentry_mode="EVERY_ENTRY",
)

RELOAD = JourneySpec(
    key="reload",
    name="Reload weekend",
    description="A weekend promotion for casino players who log in: ran for a week, then stopped.",
    definition={
        "trigger": {
            "kind": "EVENT",
            "event": "login",
            "where": {"field": "user.attributes.product", "op": "eq", "value": "casino"},
        },
        "goal": {"event": "deposit", "withinSeconds": 3 * DAY},
        "start": "email",
        "steps": [
            {"id": "email", "kind": "send", "name": "Offer email", "resource": "Reload weekend email", "next": "wait"},
            {"id": "wait", "kind": "wait", "name": "Two days", "seconds": 2 * DAY, "next": "sms"},
            {"id": "sms", "kind": "send", "name": "Last day SMS", "resource": "Reload weekend SMS", "next": "later"},
            {"id": "later", "kind": "wait", "name": "Three days", "seconds": 3 * DAY},
        ],
    },
    tags=["promotion", "casino"],
    access_groups=["casino"],
)

FREE_BET = JourneySpec(
    key="free_bet",
    name="Champions League free bet",
    description="Football bettors get a €5 free bet for the next match day, five days after their first football bet. "
    "Paused for the winter break: its entries are frozen until it is activated again.",
    definition={
        "trigger": {
            "kind": "EVENT",
            "event": "bet",
            "where": {"field": "event.properties.sport", "op": "eq", "value": "football"},
        },
        "goal": {
            "event": "bet",
            "where": {"field": "event.properties.sport", "op": "eq", "value": "football"},
            "withinSeconds": 7 * DAY,
        },
        "exitWhen": SELF_EXCLUSION,
        "start": "push",
        "steps": [
            {
                "id": "push",
                "kind": "send",
                "name": "Free bet push",
                "resource": "Champions League free bet push",
                "next": "wait",
            },
            {"id": "wait", "kind": "wait", "name": "Until the match day", "seconds": 5 * DAY, "next": "free_bet"},
            {"id": "free_bet", "kind": "bonus", "name": "€5 free bet", "template": "€5 free bet", "next": "popup"},
            {"id": "popup", "kind": "send", "name": "Free bet pop-up", "resource": "Champions League pop-up"},
        ],
    },
    tags=["sportsbook", "football"],
    access_groups=["sportsbook"],
    freeze_on_stop=True,
)

VIP_CARE = JourneySpec(
    key="vip_care",
    name="VIP high-deposit care",
    description="A call from the VIP desk after a deposit of €300 or more, then cashback "
    "(the cashback step waits for its template to be chosen).",
    definition={
        "trigger": {
            "kind": "EVENT",
            "event": "deposit",
            "where": {"field": "event.properties.amount", "op": "gte", "value": 300},
        },
        "start": "call",
        "steps": [
            {"id": "call", "kind": "send", "name": "VIP desk call", "resource": "VIP host call", "next": "pause"},
            {"id": "pause", "kind": "wait", "name": "Two hours", "seconds": 2 * HOUR, "next": "cashback"},
            {"id": "cashback", "kind": "bonus", "name": "Cashback", "configured": False, "next": "thanks"},
            {"id": "thanks", "kind": "send", "name": "Thank-you email", "resource": "VIP thank-you email"},
        ],
    },
    tags=["vip"],
    access_groups=["vip"],
)

DIGEST = JourneySpec(
    key="digest",
    name="Weekly high-roller digest",
    description="Every Monday at 09:00 Malta time: players with €1,000 or more deposited get their weekly digest.",
    definition={
        "trigger": {
            "kind": "SCHEDULED_SEGMENT",
            "schedule": {"cron": "0 9 * * 1", "timezone": "Europe/Malta"},
            "segment": {"field": "user.financial.depositTotal", "op": "gte", "value": 1000},
        },
        "start": "digest",
        "steps": [{"id": "digest", "kind": "send", "name": "Digest", "resource": "VIP weekly digest"}],
    },
    tags=["vip", "newsletter"],
    access_groups=["vip"],
    reentry_mode="NOT_WHILE_ACTIVE",
)

BLACK_FRIDAY = JourneySpec(
    key="black_friday",
    name="Black Friday 2026",
    description="Draft: the offer is set, the follow-up for players who do not deposit is still to be written.",
    definition={
        "trigger": {"kind": "EVENT", "event": "login"},
        "goal": {"event": "deposit", "withinSeconds": 2 * DAY},
        "start": "email",
        "steps": [
            {
                "id": "email",
                "kind": "send",
                "name": "Black Friday email",
                "resource": "Black Friday email",
                "next": "wait",
            },
            {
                "id": "wait",
                "kind": "wait_for_event",
                "event": "deposit",
                "timeoutSeconds": DAY,
                "next": "spins",
                "timeoutNext": "follow_up",
            },
            {"id": "spins", "kind": "bonus", "name": "Free spins", "template": "Welcome 50 free spins"},
            {"id": "follow_up", "kind": "send", "name": "Follow-up", "configured": False},
        ],
    },
    tags=["promotion", "seasonal"],
)

ACCUMULATOR = JourneySpec(
    key="accumulator",
    name="Accumulator insurance (draft)",
    description="Draft: it names an SMS that has not been written yet, so it cannot be activated.",
    definition={
        "trigger": {
            "kind": "EVENT",
            "event": "bet",
            "where": {"field": "event.properties.sport", "op": "eq", "value": "football"},
        },
        "start": "sms",
        "steps": [
            {
                "id": "sms",
                "kind": "send",
                "name": "Insurance SMS",
                "resource": "Accumulator insurance SMS",
                "next": "refund",
            },
            {"id": "refund", "kind": "bonus", "name": "Refund", "template": "€5 free bet"},
        ],
    },
    tags=["sportsbook"],
    access_groups=["sportsbook"],
)

ALL = (WELCOME, WINBACK, LOYALTY, RELOAD, FREE_BET, VIP_CARE, DIGEST, BLACK_FRIDAY, ACCUMULATOR)
