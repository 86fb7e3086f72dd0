"""Queuing communications the way journeys do, and reading them back."""

from __future__ import annotations

from sqlalchemy import select

from backend import lifecycle as life
from backend.catalog import create_resource
from backend.models import Communication, Entry, EntryStep
from backend.processing.entries import advance_entries
from backend.queue import RecordingQueue
from backend.settings import load_settings
from tests.db.journey_fixtures import ADMIN, make_journey, users
from tests.wiring import services_for


def settings_for(tmp_path, **env):
    base = {
        "QUESTLINE_SECRET_KEY": "delivery-test-secret",
        "QUESTLINE_DATA_DIR": str(tmp_path),
        "QUESTLINE_PUBLIC_URL": "https://track.example.com",
        "QUESTLINE_WEBHOOK_SECRET": "receipt-secret",
    }
    return load_settings({**base, **env})


def resource(db, name, channel, body, subject=None):
    with db.unit_of_work() as uow:
        return create_resource(uow, name=name, channel=channel, subject=subject, body=body).id


def queue_sends(db, resource_name, *user_specs, payload=None, definition=None):
    """An API journey whose first step sends `resource_name`, entered by these users;
    returns the QUEUED communications' ids (in user order) and the recording queue."""
    users(db, *user_specs)
    jid = make_journey(
        db,
        definition
        or {
            "trigger": {"kind": "API"},
            "start": "s",
            "steps": [{"id": "s", "kind": "send", "resource": resource_name}],
        },
    )
    q = RecordingQueue()
    with db.unit_of_work() as uow:
        entries, _ = life.enter_journey(
            uow,
            principal=ADMIN,
            journey_id=jid,
            external_ids=[u["externalId"] for u in user_specs],
            payload=payload,
            queue=q,
        )
        entry_ids = [e.id for e in entries]
    advance_entries(services_for(db, q), entry_ids=entry_ids)
    with db.read() as s:
        by_entry = {c.entry_id: c.id for c in s.scalars(select(Communication))}
    return [by_entry[e] for e in entry_ids], q


def comms(db, ids):
    with db.read() as s:
        found = {c.id: c for c in s.scalars(select(Communication).where(Communication.id.in_(ids)))}
    return [found[i] for i in ids]


def entry_of(db, comm_id):
    with db.read() as s:
        return s.get(Entry, s.get(Communication, comm_id).entry_id)


def progress_lines(db, entry_id):
    with db.read() as s:
        return [
            r.detail
            for r in s.scalars(
                select(EntryStep)
                .where(EntryStep.entry_id == entry_id, EntryStep.step_id == "progress")
                .order_by(EntryStep.id)
            )
        ]
