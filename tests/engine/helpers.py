from __future__ import annotations

from datetime import UTC, datetime

from backend.journeys.definition import compile
from backend.journeys.interpreter import advance
from backend.journeys.state import Captured, EntryState, Env, UserFacts

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ENV = Env(resources={"Welcome email": "EMAIL", "Promo SMS": "SMS", "VIP pop-up": "POPUP"})


def journey(steps, start=None, **extra):
    doc = {"trigger": {"kind": "API"}, "start": start or steps[0]["id"], "steps": steps, **extra}
    return compile(doc)


def entry(**kw):
    base = {
        "entry_id": 1,
        "journey_id": 10,
        "user_id": 100,
        "round": 1,
        "version": 1,
        "status": "ACTIVE",
        "in_control_group": False,
        "entered_at": T0,
    }
    base.update(kw)
    return EntryState(**base)


def user(**kw):
    base = {"user_id": 100, "external_id": "p1", "email": "p1@example.com", "phone": "+37120000000"}
    base.update(kw)
    return UserFacts(**base)


def capture(j, e=None, u=None, now=T0, env=ENV, event=None):
    return advance(e or entry(), j, u or user(), now=now, stimulus=Captured(event), env=env)


def outcomes(effects):
    from backend.journeys.state import StepLogged

    return [(x.step_id, x.outcome) for x in effects if isinstance(x, StepLogged)]
