"""Building journeys and tracking events through the services, as the API does."""

from __future__ import annotations

from backend import lifecycle as life
from backend.auth.policy import Principal, Role
from backend.catalog import create_bonus_template, create_resource
from backend.queue import RecordingQueue
from backend.users.intake import track_events
from backend.users.profiles import upsert_users

ADMIN = Principal(operator_id=1, username="admin", role=Role.ADMIN, access_groups=frozenset())


def catalog(db):
    with db.unit_of_work() as uow:
        create_resource(uow, name="Welcome email", channel="EMAIL", subject="Hi", body="Hello")
        create_resource(uow, name="Promo SMS", channel="SMS", subject=None, body="Come back")
        create_bonus_template(uow, name="10 free spins", kind="FREE_SPINS", amount=10, currency=None)


def make_journey(db, definition, *, activate=True, **kw):
    with db.unit_of_work() as uow:
        j = life.create_journey(
            uow, principal=ADMIN, data=life.JourneyInput(name=kw.pop("name", "J"), definition=definition, **kw)
        )
        jid = j.id
    if activate:
        with db.unit_of_work() as uow:
            life.activate_journey(uow, principal=ADMIN, journey_id=jid, queue=RecordingQueue())
    return jid


def users(db, *specs):
    with db.unit_of_work() as uow:
        upsert_users(uow, users=list(specs))


def track(db, *events, queue=None):
    queue = queue or RecordingQueue()
    with db.unit_of_work() as uow:
        result = track_events(uow, events=list(events), queue=queue)
    return list(result.event_ids)
