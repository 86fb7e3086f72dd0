"""The delivery worker on a real database, against a real HTTP provider and SMTP server."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import select, update

from backend.delivery.channels import HttpProviderChannel
from backend.ids import encode_id
from backend.models import Communication, utcnow
from backend.processing.delivery import deliver
from backend.processing.scheduler import tick
from backend.queue import RecordingQueue
from tests.delivery.helpers import comms, entry_of, progress_lines, queue_sends, resource, settings_for
from tests.wallet_server import running_wallet
from tests.wiring import services_for


def _later(seconds):
    return utcnow() + timedelta(seconds=seconds)


def test_a_provider_that_fails_twice_then_succeeds_sends_one_message_per_communication(db, tmp_path, provider):
    resource(db, "Come back", "SMS", "Hi {{ user.username }}, {{ event.properties.offer }} waits")
    ids, _ = queue_sends(
        db,
        "Come back",
        {"externalId": "p1", "username": "Ann", "phone": "+351910000001"},
        {"externalId": "p2", "username": "Bob", "phone": "+351910000002"},
        payload={"offer": "a free bet"},
    )
    provider.script = [503, 503]
    settings = settings_for(tmp_path, QUESTLINE_SMS_URL=provider.url, QUESTLINE_PROVIDER_TOKEN="prov-token")
    assert deliver(services_for(db, RecordingQueue(), settings), channel="SMS", communication_ids=ids) == 2
    first = comms(db, ids)
    assert [(c.status, c.attempts) for c in first] == [("QUEUED", 1), ("QUEUED", 1)]
    assert all(c.error == "HTTP 503: answer 503" and c.next_attempt_at > utcnow() for c in first)
    # Not due yet: nothing is claimed.
    assert deliver(services_for(db, RecordingQueue(), settings), channel="SMS", communication_ids=ids) == 0
    deliver(services_for(db, RecordingQueue(), settings), channel="SMS", communication_ids=ids, now=_later(3))
    deliver(services_for(db, RecordingQueue(), settings), channel="SMS", communication_ids=ids, now=_later(30))
    final = comms(db, ids)
    assert [(c.status, c.attempts, c.error) for c in final] == [("SENT", 3, None), ("SENT", 3, None)]
    keys = [encode_id("Communication", i) for i in ids]
    # Three tries of each, always under the communication's own key: one message each.
    assert provider.keys() == {keys[0]: 3, keys[1]: 3}
    assert provider.delivered == {
        keys[0]: {"reference": keys[0], "to": "+351910000001", "text": "Hi Ann, a free bet waits"},
        keys[1]: {"reference": keys[1], "to": "+351910000002", "text": "Hi Bob, a free bet waits"},
    }
    assert {r.headers["authorization"] for r in provider.requests} == {"Bearer prov-token"}
    assert final[0].body == "Hi Ann, a free bet waits" and final[0].provider_reference.startswith("prov-")
    entry = entry_of(db, ids[0])
    assert entry.progress_name == "Sent" and progress_lines(db, entry.id) == ["Entered -> Sent"]


def test_a_4xx_is_final_with_the_answer_and_five_failures_end_as_failed(db, tmp_path, provider):
    resource(db, "Push it", "PUSH", "Your bonus is ready", subject="Bonus")
    ids, _ = queue_sends(db, "Push it", {"externalId": "p1"}, {"externalId": "p2"})
    key1, key2 = (encode_id("Communication", i) for i in ids)
    settings = settings_for(tmp_path, QUESTLINE_PUSH_URL=provider.url)
    provider.script = []
    provider.default = 422
    deliver(services_for(db, RecordingQueue(), settings), channel="PUSH", communication_ids=ids[:1])
    [c] = comms(db, ids[:1])
    assert (c.status, c.error, c.attempts, c.failed_at is not None) == ("FAILED", "answer 422", 1, True)
    assert provider.requests[0].body == {"reference": key1, "to": "p1", "title": "Bonus", "text": "Your bonus is ready"}
    assert "authorization" not in provider.requests[0].headers  # no token set, none sent
    provider.default = 500
    for n in range(5):
        deliver(
            services_for(db, RecordingQueue(), settings),
            channel="PUSH",
            communication_ids=ids[1:],
            now=_later(60 * (n + 1)),
        )
    [c] = comms(db, ids[1:])
    assert (c.status, c.attempts) == ("FAILED", 5) and c.error.startswith("after 5 tries: HTTP 500")
    assert provider.keys()[key2] == 5 and provider.delivered == {}
    assert entry_of(db, ids[1]).progress_name == "Entered"


def test_a_time_out_is_retried_under_the_same_key_never_as_a_new_message(db, tmp_path, provider):
    resource(db, "Call", "IVR", "Press one")
    [cid], _ = queue_sends(db, "Call", {"externalId": "p1", "phone": "+351910000009"})
    provider.script = ["hang"]
    provider.hang_seconds = 1.5
    quick = HttpProviderChannel(provider.url, channel="IVR", token=None, timeout=0.3)
    deliver(services_for(db, RecordingQueue(), sender=quick), channel="IVR", communication_ids=[cid])
    [c] = comms(db, [cid])
    assert c.status == "QUEUED" and "time-out" in c.error
    deliver(services_for(db, RecordingQueue(), sender=quick), channel="IVR", communication_ids=[cid], now=_later(5))
    [c] = comms(db, [cid])
    assert c.status == "SENT"
    key = encode_id("Communication", cid)
    assert provider.keys() == {key: 2} and list(provider.delivered) == [key]


def test_a_template_error_fails_that_communication_not_the_batch(db, tmp_path, provider):
    resource(db, "Count", "SMS", "You have {{ user.attributes.spins + 1 }} spins")
    ids, _ = queue_sends(
        db,
        "Count",
        {"externalId": "p1", "phone": "+351910000011", "attributes": {"spins": 4}},
        {"externalId": "p2", "phone": "+351910000012", "attributes": {"spins": "many"}},
        {"externalId": "p3", "phone": "+351910000013", "attributes": {"spins": 9}},
    )
    deliver(
        services_for(db, RecordingQueue(), settings_for(tmp_path, QUESTLINE_SMS_URL=provider.url)),
        channel="SMS",
        communication_ids=ids,
    )
    got = comms(db, ids)
    assert [c.status for c in got] == ["SENT", "FAILED", "SENT"]
    assert got[1].error.startswith("template error: TypeError")
    assert sorted(m["text"] for m in provider.delivered.values()) == ["You have 10 spins", "You have 5 spins"]


def test_a_template_past_its_budget_fails_that_communication_with_the_limit_it_met(db, tmp_path):
    resource(
        db,
        "Loops",
        "SMS",
        "{% for i in range(465) %}{% for j in range(465) %}{% for k in range(465) %}"
        "{% endfor %}{% endfor %}{% endfor %}",
    )
    resource(db, "Joins", "SMS", "{% set a = 'x' * 60000 %}{% set b = a~a~a~a~a~a~a~a~a~a %}{{ b }}")
    loops, _ = queue_sends(db, "Loops", {"externalId": "p1", "phone": "+351910000011"})
    joins, _ = queue_sends(db, "Joins", {"externalId": "p2", "phone": "+351910000012"})
    deliver(services_for(db, RecordingQueue(), settings_for(tmp_path)), channel="SMS", communication_ids=loops + joins)
    [looped, joined] = comms(db, loops + joins)
    assert looped.status == "FAILED" and ("100,000 steps" in looped.error or "longer than 1 s" in looped.error)
    assert (
        joined.status == "FAILED" and joined.error == "a '~' in this template would make a text over 262,144 characters"
    )


def test_send_time_checks_suppress_what_can_no_longer_go_out(db, tmp_path, provider):
    resource(db, "Promo", "SMS", "Promo")
    ids, _ = queue_sends(
        db, "Promo", {"externalId": "p1", "phone": "+351910000011"}, {"externalId": "p2", "phone": "+351910000012"}
    )
    from tests.db.journey_fixtures import users

    users(db, {"externalId": "p1", "optOuts": ["SMS"]}, {"externalId": "p2", "phone": ""})
    deliver(
        services_for(db, RecordingQueue(), settings_for(tmp_path, QUESTLINE_SMS_URL=provider.url)),
        channel="SMS",
        communication_ids=ids,
    )
    assert [(c.status, c.error) for c in comms(db, ids)] == [
        ("SUPPRESSED", "opted out of SMS"),
        ("SUPPRESSED", "no phone number"),
    ]
    assert provider.requests == []


def test_the_sandbox_renders_and_stores_and_sends_nothing(db, tmp_path):
    resource(
        db,
        "Hello",
        "EMAIL",
        "Dear {{ user.username }}, level {{ user.level or 'none' }}",
        subject="Hi {{ user.username }}",
    )
    [cid], _ = queue_sends(db, "Hello", {"externalId": "p1", "username": "Ann", "email": "ann@example.com"})
    deliver(services_for(db, RecordingQueue(), settings_for(tmp_path)), channel="EMAIL", communication_ids=[cid])
    [c] = comms(db, [cid])
    assert (c.status, c.subject, c.body, c.to_address) == ("SENT", "Hi Ann", "Dear Ann, level none", "ann@example.com")
    assert c.sent_at is not None


def test_email_over_smtp_one_connection_a_batch_tracked_links_and_a_message_id_each(db, tmp_path, smtp):
    resource(
        db,
        "News",
        "EMAIL",
        "<html><body><p>Hi {{ user.attributes.nick }}</p>"
        '<a href="https://casino.example.com/offer?a=1&amp;b=2">Play</a></body></html>',
        subject="News for {{ user.username }}",
    )
    ids, _ = queue_sends(
        db,
        "News",
        *[
            {
                "externalId": f"p{i}",
                "username": f"U{i}",
                "email": f"p{i}@example.com",
                "attributes": {"nick": "<b>bold</b>"},
            }
            for i in range(3)
        ],
        {"externalId": "bad", "email": "refused@example.com"},
    )
    smtp.sink.refuse["refused@example.com"] = "550 5.1.1 No such user"
    settings = settings_for(tmp_path, QUESTLINE_SMTP_URL=smtp.url, QUESTLINE_EMAIL_FROM="promo@casino.example.com")
    deliver(services_for(db, RecordingQueue(), settings), channel="EMAIL", communication_ids=ids)
    got = comms(db, ids)
    assert [c.status for c in got] == ["SENT", "SENT", "SENT", "FAILED"], [c.error for c in got]
    assert got[3].error == "SMTP 550: 5.1.1 No such user"
    assert smtp.sink.sessions == 1
    messages = {m["To"]: m for m in smtp.sink.messages}
    first = messages["p0@example.com"]
    assert first["Message-ID"] == f"<{encode_id('Communication', ids[0])}@casino.example.com>"
    assert len({m["Message-ID"] for m in smtp.sink.messages}) == 3
    assert first["Subject"] == "News for U0"
    html = first.get_body(("html",)).get_content()
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold</b>" not in html
    assert "casino.example.com/offer" not in html  # the link goes through the click link
    assert html.count("https://track.example.com/t/c/") == 1 and "https://track.example.com/t/o/" in html
    text = first.get_body(("plain",)).get_content()
    assert "Hi <b>bold</b>" in text and "https://track.example.com/t/c/" in text
    # The stored body is the message as written, before tracking.
    assert got[0].body.startswith("<html><body><p>Hi &lt;b&gt;bold&lt;/b&gt;</p>")


def test_one_smtp_connection_serves_batches_after_one_another_and_a_dropped_one_is_replaced(db, tmp_path, smtp):
    resource(db, "News", "EMAIL", "Hi {{ user.username }}", subject="News")
    ids, _ = queue_sends(db, "News", *[{"externalId": f"p{i}", "email": f"p{i}@example.com"} for i in range(4)])
    settings = settings_for(tmp_path, QUESTLINE_SMTP_URL=smtp.url, QUESTLINE_EMAIL_FROM="promo@casino.example.com")
    services = services_for(db, RecordingQueue(), settings)
    deliver(services, channel="EMAIL", communication_ids=ids[:1])
    deliver(services, channel="EMAIL", communication_ids=ids[1:2])
    assert smtp.sink.sessions == 1
    smtp.drop_connections()  # as a server does with a client idle too long
    deliver(services, channel="EMAIL", communication_ids=ids[2:])
    assert [c.status for c in comms(db, ids)] == ["SENT"] * 4
    assert smtp.sink.sessions == 2
    assert sorted(m["To"] for m in smtp.sink.messages) == [f"p{i}@example.com" for i in range(4)]
    assert len({m["Message-ID"] for m in smtp.sink.messages}) == 4


def test_the_tick_hints_due_retries_and_takes_back_sends_whose_worker_died(db, tmp_path):
    resource(db, "Promo", "SMS", "Promo")
    ids, _ = queue_sends(
        db, "Promo", {"externalId": "p1", "phone": "+351910000011"}, {"externalId": "p2", "phone": "+351910000012"}
    )
    now = utcnow()
    with db.unit_of_work() as uow:
        uow.session.execute(
            update(Communication)
            .where(Communication.id == ids[0])
            .values(status="SENDING", claimed_until=now - timedelta(seconds=1), attempts=1)
        )
        uow.session.execute(
            update(Communication)
            .where(Communication.id == ids[1])
            .values(next_attempt_at=now + timedelta(seconds=30), queued_at=now - timedelta(minutes=1))
        )
    q = RecordingQueue()
    tick(services_for(db, q), now=now)
    # The one taken back from a dead worker goes on the lane the workers take first.
    assert q.calls == [("deliver_again", ("SMS", [ids[0]]))]
    assert comms(db, ids[:1])[0].status == "QUEUED"
    q2 = RecordingQueue()
    tick(services_for(db, q2), now=now + timedelta(seconds=1))  # the first is under its hint lease now
    assert q2.calls == []
    q3 = RecordingQueue()
    tick(services_for(db, q3), now=now + timedelta(seconds=31))
    assert sorted(pk for _name, (_channel, chunk) in q3.calls for pk in chunk) == sorted(ids)
    deliver(
        services_for(db, q3, settings_for(tmp_path)),
        channel="SMS",
        communication_ids=ids,
        now=now + timedelta(seconds=31),
    )
    assert [c.status for c in comms(db, ids)] == ["SENT", "SENT"]


def test_the_frequency_cap_holds_when_it_is_queued_and_again_when_it_is_sent(db, tmp_path):
    """At most N messages per user per channel a day: the journey suppresses a send over
    the cap; a message that slipped past it (two batches for one user at once) is
    suppressed when it would go out."""
    from backend.processing.events import process_events
    from tests.db.journey_fixtures import make_journey, track

    resource(db, "Promo", "SMS", "Promo")
    capped = settings_for(tmp_path, QUESTLINE_FREQUENCY_CAP="1")
    # Queued without a cap (as by two batches that each saw nothing sent yet) ...
    ids, _ = queue_sends(db, "Promo", {"externalId": "p1", "phone": "+351910000001"})
    more, _ = queue_sends(
        db,
        "Promo",
        {"externalId": "p1"},
        definition={
            "trigger": {"kind": "API"},
            "start": "a",
            "steps": [{"id": "a", "kind": "send", "resource": "Promo"}],
        },
    )
    deliver(services_for(db, RecordingQueue(), capped), channel="SMS", communication_ids=ids + more)
    assert [(c.status, c.error) for c in comms(db, ids + more)] == [
        ("SENT", None),
        ("SUPPRESSED", "frequency cap: 1 SMS messages a day"),
    ]
    # ... and a journey with the cap set suppresses at once.
    make_journey(
        db,
        {
            "trigger": {"kind": "EVENT", "event": "login"},
            "start": "a",
            "steps": [{"id": "a", "kind": "send", "resource": "Promo"}],
        },
        name="On login",
    )
    q = RecordingQueue()
    process_events(
        services_for(db, q, capped), event_ids=track(db, {"eventId": "l1", "externalId": "p1", "name": "login"})
    )
    with db.read() as s:
        newest = s.scalar(select(Communication).order_by(Communication.id.desc()).limit(1))
    assert (newest.status, newest.error) == ("SUPPRESSED", "frequency cap: 1 SMS messages a day")


def test_an_answer_that_trickles_in_past_the_time_out_is_no_answer(db, provider):
    resource(db, "Call", "IVR", "Press one")
    [cid], _ = queue_sends(db, "Call", {"externalId": "p1", "phone": "+351910000009"})
    provider.script = ["trickle"]
    provider.hang_seconds = 3.0  # every byte well inside the per-read time-out, the whole far past the deadline
    quick = HttpProviderChannel(provider.url, channel="IVR", token=None, timeout=0.6)
    started = time.monotonic()
    deliver(services_for(db, RecordingQueue(), sender=quick), channel="IVR", communication_ids=[cid])
    assert time.monotonic() - started < 2.0
    [c] = comms(db, [cid])
    assert c.status == "QUEUED" and "time-out" in c.error


def test_the_batches_of_a_worker_reuse_its_connections_to_the_provider(db, tmp_path):
    """A journey hands its messages over a few at a time: each batch opening its own
    connections was a new connection (and a new handshake at the provider) a message."""
    resource(db, "Nudge", "SMS", "Hi {{ user.username }}")
    specs = [{"externalId": f"p{i}", "username": f"P{i}", "phone": f"+35191000000{i}"} for i in range(4)]
    ids, _ = queue_sends(db, "Nudge", *specs)
    with running_wallet(keep_alive=True) as sms:
        services = services_for(db, RecordingQueue(), settings_for(tmp_path, QUESTLINE_SMS_URL=sms.url))
        try:
            for batch in (ids[:2], ids[2:]):
                assert deliver(services, channel="SMS", communication_ids=batch) == 2
        finally:
            services.channel("SMS").close()
        # One request under each communication's key, over the connections of the first batch.
        assert sorted(sms.keys) == sorted(encode_id("Communication", i) for i in ids)
        assert sms.connections <= 2
    assert [c.status for c in comms(db, ids)] == ["SENT"] * 4
