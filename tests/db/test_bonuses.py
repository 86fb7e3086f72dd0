"""The wallet worker against a real local HTTP wallet: one grant per key whatever fails,
hangs or succeeds; 4xx final with the answer; the sandbox; the journey's outcomes."""

from __future__ import annotations

import logging
from datetime import timedelta

import httpx
from sqlalchemy import select

from backend import lifecycle as life
from backend.models import Bonus, EntryStep, utcnow
from backend.processing.bonuses import _claim, grant, reference
from backend.processing.entries import advance_entries
from backend.processing.scheduler import tick
from backend.queue import RecordingQueue
from backend.settings import load_settings
from tests.db.journey_fixtures import ADMIN, catalog, make_journey, users
from tests.wallet_server import Answer, running_wallet
from tests.wiring import services_for

TOKEN = "wallet-token-never-logged"
BONUS_JOURNEY = {
    "trigger": {"kind": "API"},
    "start": "b",
    "steps": [
        {"id": "b", "kind": "bonus", "template": "10 free spins", "next": "p"},
        {"id": "p", "kind": "points", "amount": 7},
    ],
}


def wallet_settings(tmp_path, url=None, cap=0):
    env = {"QUESTLINE_DATA_DIR": str(tmp_path), "QUESTLINE_SECRET_KEY": "k", "QUESTLINE_BONUS_DAILY_CAP": str(cap)}
    if url:
        env |= {"QUESTLINE_WALLET_URL": url, "QUESTLINE_PROVIDER_TOKEN": TOKEN}
    return load_settings(env)


def journey_bonus(db, control=0):
    """A journey bonus step run for p1: returns (entry id, bonus id)."""
    catalog(db)
    jid = make_journey(db, BONUS_JOURNEY, control_group_percent=control)
    users(db, {"externalId": "p1"})
    q = RecordingQueue()
    with db.unit_of_work() as uow:
        [entry], _ = life.enter_journey(
            uow, principal=ADMIN, journey_id=jid, external_ids=["p1"], payload=None, queue=q
        )
    advance_entries(services_for(db, q), entry_ids=[entry.id])
    with db.read() as s:
        bonus = s.scalar(select(Bonus))
    if bonus is not None:
        assert ("grant_bonuses", ([bonus.id],)) in q.calls
    return entry.id, bonus.id if bonus else None


def outcomes(db, entry_id):
    with db.read() as s:
        return [
            (r.step_id, r.outcome, r.detail)
            for r in s.scalars(select(EntryStep).where(EntryStep.entry_id == entry_id).order_by(EntryStep.id))
        ]


def bonus_row(db, bonus_id):
    with db.read() as s:
        return s.get(Bonus, bonus_id)


def fast_client():
    # The contract's time-out is 10 s; the tests hang the wallet past a shorter one.
    return httpx.Client(timeout=0.3)


def patient_client():
    # For answers that are not held back: the contract's 10 s, so a loaded machine's
    # slow answer is not taken for a time-out (and asked again).
    return httpx.Client(timeout=10)


def test_a_wallet_that_fails_twice_records_one_grant_under_one_key(db, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    entry_id, bonus_id = journey_bonus(db)
    with (
        running_wallet(Answer(500, "busy"), Answer(503, "busy"), Answer(200, "granted")) as wallet,
        patient_client() as client,
    ):
        settings = wallet_settings(tmp_path, wallet.url)
        now = utcnow()
        assert grant(services_for(db, RecordingQueue(), settings), bonus_ids=[bonus_id], client=client, now=now) == 1
        assert (bonus_row(db, bonus_id).status, bonus_row(db, bonus_id).error) == ("PENDING", "HTTP 500: busy")
        # Its back-off holds it: a hint now does nothing, and the tick leaves it alone.
        assert grant(services_for(db, RecordingQueue(), settings), bonus_ids=[bonus_id], client=client, now=now) == 0
        q = RecordingQueue()
        tick(services_for(db, q), now=now)
        assert not [c for c in q.calls if c[0].startswith("grant_bonuses")]
        for i in (1, 2):
            q = RecordingQueue()
            tick(services_for(db, q), now=now + timedelta(seconds=60 * i))
            # A grant tried before is hinted on the lane its workers take first.
            assert ("grant_bonuses_again", ([bonus_id],)) in q.calls
            grant(
                services_for(db, q, settings), bonus_ids=[bonus_id], client=client, now=now + timedelta(seconds=60 * i)
            )
        # Done: further hints send nothing.
        assert (
            grant(
                services_for(db, RecordingQueue(), settings),
                bonus_ids=[bonus_id],
                client=client,
                now=now + timedelta(hours=1),
            )
            == 0
        )
    assert wallet.keys == [reference(bonus_id)] * 3
    assert list(wallet.grants) == [reference(bonus_id)]
    first = wallet.requests[0]
    assert first["body"] == {
        "reference": reference(bonus_id),
        "externalId": "p1",
        "kind": "FREE_SPINS",
        "amount": 10.0,
        "currency": None,
    }
    assert first["headers"]["authorization"] == f"Bearer {TOKEN}"
    assert first["headers"]["content-type"] == "application/json"
    row = bonus_row(db, bonus_id)
    assert (row.status, row.attempts, row.error, row.claimed_until) == ("GRANTED", 3, None, None)
    assert row.granted_at is not None
    assert outcomes(db, entry_id) == [
        ("b", "bonus_requested", "pending at the wallet"),
        ("p", "points_added", "7 points"),
        ("b", "bonus_granted", "HTTP 200"),
    ]
    assert TOKEN not in caplog.text


def test_a_hang_past_the_time_out_is_retried_under_the_same_key(db, tmp_path):
    _entry_id, bonus_id = journey_bonus(db)
    with running_wallet(Answer(hang=3), Answer(200)) as wallet, fast_client() as client:
        settings = wallet_settings(tmp_path, wallet.url)
        now = utcnow()
        grant(services_for(db, RecordingQueue(), settings), bonus_ids=[bonus_id], client=client, now=now)
        row = bonus_row(db, bonus_id)
        assert (row.status, row.attempts) == ("PENDING", 1)
        assert "time-out" in row.error
        grant(
            services_for(db, RecordingQueue(), settings),
            bonus_ids=[bonus_id],
            client=client,
            now=now + timedelta(seconds=60),
        )
    assert wallet.keys == [reference(bonus_id)] * 2
    assert len(wallet.grants) == 1
    assert bonus_row(db, bonus_id).status == "GRANTED"


def test_a_4xx_is_final_with_the_answer_text(db, tmp_path):
    entry_id, bonus_id = journey_bonus(db)
    with running_wallet(Answer(422, "player is self-excluded")) as wallet, patient_client() as client:
        settings = wallet_settings(tmp_path, wallet.url)
        grant(services_for(db, RecordingQueue(), settings), bonus_ids=[bonus_id], client=client)
        grant(
            services_for(db, RecordingQueue(), settings),
            bonus_ids=[bonus_id],
            client=client,
            now=utcnow() + timedelta(hours=1),
        )
    assert len(wallet.requests) == 1
    row = bonus_row(db, bonus_id)
    assert (row.status, row.error, row.attempts) == ("FAILED", "player is self-excluded", 1)
    assert outcomes(db, entry_id)[-1] == ("b", "bonus_failed", "player is self-excluded")


def test_five_tries_without_success_fail_and_a_dead_worker_leaves_the_key_to_its_lease(db, tmp_path):
    entry_id, bonus_id = journey_bonus(db)

    now = utcnow()
    with running_wallet(*[Answer(503, "down")] * 4) as wallet, patient_client() as client:
        settings = wallet_settings(tmp_path, wallet.url)
        # A worker claims the bonus and is killed before it records anything.
        _claim(db, [bonus_id], now, cap=0)
        row = bonus_row(db, bonus_id)
        assert (row.status, row.attempts) == ("PENDING", 1) and row.claimed_until is not None
        # Leased: neither the tick nor another hint touches it until the lease runs out.
        q = RecordingQueue()
        tick(services_for(db, q), now=now + timedelta(seconds=30))
        assert not [c for c in q.calls if c[0].startswith("grant_bonuses")]
        assert (
            grant(services_for(db, q, settings), bonus_ids=[bonus_id], client=client, now=now + timedelta(seconds=30))
            == 0
        )
        for i in range(1, 5):
            grant(
                services_for(db, q, settings), bonus_ids=[bonus_id], client=client, now=now + timedelta(minutes=2 * i)
            )
    assert wallet.keys == [reference(bonus_id)] * 4
    row = bonus_row(db, bonus_id)
    assert (row.status, row.attempts) == ("FAILED", 5)
    assert row.error == "after 5 tries: HTTP 503: down"
    assert outcomes(db, entry_id)[-1] == ("b", "bonus_failed", "after 5 tries: HTTP 503: down")


def test_without_a_wallet_the_sandbox_grants(db, tmp_path):
    entry_id, bonus_id = journey_bonus(db)

    def no_http(request: httpx.Request) -> httpx.Response:
        raise AssertionError("the sandbox makes no HTTP call")

    grant(
        services_for(db, RecordingQueue(), wallet_settings(tmp_path)),
        bonus_ids=[bonus_id],
        client=httpx.Client(transport=httpx.MockTransport(no_http)),
    )
    row = bonus_row(db, bonus_id)
    assert (row.status, row.attempts) == ("GRANTED", 1)
    assert outcomes(db, entry_id)[-1] == ("b", "bonus_granted", "sandbox")


def test_the_control_group_gets_no_bonus_and_no_points(db):
    entry_id, bonus_id = journey_bonus(db, control=100)
    assert bonus_id is None
    assert outcomes(db, entry_id) == [("b", "suppressed", "control group"), ("p", "suppressed", "control group")]
    from backend.models import PointsLedger, User

    with db.read() as s:
        assert s.scalar(select(User.points)) == 0
        assert s.scalar(select(PointsLedger)) is None


def test_the_grants_of_a_worker_reuse_its_connections_to_the_wallet(db, tmp_path):
    """Bonuses come a few at a time (a journey's batch): each `grant` opening its own
    connections was a new connection a call, and a new one for the wallet to accept."""
    _entry_id, bonus_id = journey_bonus(db)
    with running_wallet(Answer(503, "busy"), Answer(200, "granted"), keep_alive=True) as wallet:
        settings = wallet_settings(tmp_path, wallet.url)
        now = utcnow()
        for later in (0, 60):
            grant(
                services_for(db, RecordingQueue(), settings), bonus_ids=[bonus_id], now=now + timedelta(seconds=later)
            )
        assert wallet.keys == [reference(bonus_id)] * 2 and list(wallet.grants) == [reference(bonus_id)]
        assert wallet.connections == 1
    assert bonus_row(db, bonus_id).status == "GRANTED"
