"""JSON columns keep their values through the batch's fast codec (orjson, with the
standard library for what it refuses): an event's properties become its entry's
payload unchanged, on both databases."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from backend.models import Entry, Event
from backend.persistence import jsoncodec
from backend.processing.events import process_events
from backend.queue import RecordingQueue
from tests.db.journey_fixtures import catalog, make_journey, track, users
from tests.wiring import services_for

VALUES = [
    {"amount": 50, "note": "šī ir ☃ \u2028", "nested": {"a": [1, 2.5, None, True, "x"]}},
    {"big": 2**70 + 1, "small": -(2**63), "float": 0.1, "neg": -0.0, "id": "12345678901234567890"},
    {"exp": 1e300, "tiny": 5e-324},
    [],
    "plain",
    12345678901234567890123,
]

JOURNEY = {
    "trigger": {"kind": "EVENT", "event": "deposit"},
    "start": "hi",
    "steps": [
        {"id": "hi", "kind": "send", "resource": "Welcome email", "next": "w"},
        {"id": "w", "kind": "wait", "seconds": 60},
    ],
}


@pytest.mark.parametrize("value", VALUES)
def test_the_codec_gives_what_the_standard_library_gives(value):
    text = jsoncodec.dumps(value)
    assert json.loads(text) == value
    assert jsoncodec.loads(text) == json.loads(json.dumps(value))
    assert jsoncodec.loads(text.encode()) == value


def test_what_json_refuses_the_codec_refuses_too():
    with pytest.raises(TypeError):
        jsoncodec.dumps({"at": datetime(2026, 1, 1, tzinfo=UTC)})
    with pytest.raises(ValueError):
        jsoncodec.loads("{not json")


def test_a_payload_goes_through_capture_unchanged(db):
    catalog(db)
    make_journey(db, JOURNEY)
    users(db, {"externalId": "p1", "email": "p1@example.com"})
    properties = {**VALUES[0], **VALUES[1]}
    ids = track(db, {"eventId": "d1", "externalId": "p1", "name": "deposit", "properties": properties})
    assert process_events(services_for(db, RecordingQueue()), event_ids=ids) == 1
    with db.read() as s:
        [entry] = s.scalars(select(Entry)).all()
        stored = s.scalar(select(Event.properties))
    assert stored == properties
    assert entry.payload == properties
    assert (entry.status, entry.visits) == ("WAITING", {"hi": 1, "w": 1})
