"""The data the engine scenarios start from: a resource, a bonus template, the users,
and an active EVENT journey of send -> wait -> condition -> bonus."""

from __future__ import annotations

from typing import Any

from backend import lifecycle as life
from backend.auth.policy import Principal, Role
from backend.catalog import create_bonus_template, create_resource
from backend.persistence.database import Database
from backend.queue import NullQueue, WorkQueue
from backend.users.profiles import upsert_users

ADMIN = Principal(operator_id=0, username="bench", role=Role.ADMIN, access_groups=frozenset())
USER_CHUNK = 10_000


def send_wait_bonus(wait_seconds: int = 1) -> dict[str, Any]:
    """send -> wait -> condition -> bonus, captured by a `deposit` event."""
    return {
        "trigger": {"kind": "EVENT", "event": "deposit"},
        "start": "hi",
        "steps": [
            {"id": "hi", "kind": "send", "resource": "Welcome email", "next": "w"},
            {"id": "w", "kind": "wait", "seconds": wait_seconds, "next": "c"},
            {
                "id": "c",
                "kind": "condition",
                "where": {"field": "user.financial.depositCount", "op": "gte", "value": 1},
                "yes": "b",
                "no": "b",
            },
            {"id": "b", "kind": "bonus", "template": "10 free spins"},
        ],
    }


def prepare_capture(
    db: Database, users: int, *, queue: WorkQueue | None = None, definition: dict[str, Any] | None = None
) -> int:
    """Creates the catalog, `users` users (u0, u1, ...) and the journey, activated; returns its id."""
    with db.unit_of_work() as uow:
        create_resource(uow, name="Welcome email", channel="EMAIL", subject="Hi", body="Hello")
        create_bonus_template(uow, name="10 free spins", kind="FREE_SPINS", amount=10, currency=None)
        jid = life.create_journey(
            uow, principal=ADMIN, data=life.JourneyInput(name="Bench", definition=definition or send_wait_bonus())
        ).id
    with db.unit_of_work() as uow:
        life.activate_journey(uow, principal=ADMIN, journey_id=jid, queue=queue or NullQueue())
    for i in range(0, users, USER_CHUNK):
        with db.unit_of_work() as uow:
            upsert_users(
                uow,
                users=[
                    {"externalId": f"u{n}", "email": f"u{n}@example.com"} for n in range(i, min(i + USER_CHUNK, users))
                ],
            )
    return jid
