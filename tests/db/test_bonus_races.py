"""The wallet worker when tries overlap: a call that outlasts the deadline, a worker
whose try outlasted its lease while another worker tried again under the same key."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from backend.gamification.grants import grant_bonus
from backend.models import Bonus, BonusTemplate, utcnow
from backend.processing.bonuses import LEASE, grant, reference
from backend.queue import RecordingQueue
from tests.db.journey_fixtures import catalog, users
from tests.db.test_bonuses import bonus_row, fast_client, journey_bonus, outcomes, wallet_settings
from tests.wallet_server import Answer, running_wallet
from tests.wiring import services_for
from tests.workers.fake_handlers import wait_for


def test_a_wallet_that_trickles_its_answer_is_given_up_at_the_deadline_and_its_late_success_kept(db, tmp_path):
    entry_id, bonus_id = journey_bonus(db)
    # Each byte comes well inside the 0.3 s read time-out; the whole answer takes 2 s.
    with running_wallet(Answer(200, trickle=2.0)) as wallet, fast_client() as client:
        settings = wallet_settings(tmp_path, wallet.url)
        started = time.monotonic()
        assert (
            grant(services_for(db, RecordingQueue(), settings), bonus_ids=[bonus_id], client=client, deadline=0.5) == 1
        )
        assert time.monotonic() - started < 1.5
        row = bonus_row(db, bonus_id)
        assert (row.status, row.attempts, row.claimed_until) == ("PENDING", 1, None)
        assert row.error == "no answer within 0.5 s"
        # The answer still comes, and the wallet did grant it: that counts.
        assert wait_for(lambda: bonus_row(db, bonus_id).status == "GRANTED", timeout=10)
    row = bonus_row(db, bonus_id)
    assert (row.error, row.attempts) == (None, 1) and row.granted_at is not None
    assert wallet.keys == [reference(bonus_id)]
    assert outcomes(db, entry_id)[-1] == ("b", "bonus_granted", "HTTP 200 (after the worker stopped waiting)")


def _first_try_outlasts_its_lease(db, tmp_path, bonus_id, first_answer, second):
    """The wallet holds the first try's answer (`first_answer`) while another worker,
    after the first one's lease ran out, tries again under the same key and gets
    `second`; then the first answer comes. Returns the wallet and the bonus's status
    between the two answers."""
    gate = threading.Event()
    held = Answer(first_answer.status, first_answer.text, held=gate)
    with running_wallet(held, second) as wallet, httpx.Client(timeout=5) as client:
        settings = wallet_settings(tmp_path, wallet.url)
        now = utcnow()
        first = threading.Thread(
            target=grant,
            args=(services_for(db, RecordingQueue(), settings),),
            kwargs={"bonus_ids": [bonus_id], "client": client, "now": now},
        )
        first.start()
        try:
            assert wait_for(lambda: len(wallet.requests) == 1, timeout=10)
            assert (
                grant(
                    services_for(db, RecordingQueue(), settings),
                    bonus_ids=[bonus_id],
                    client=client,
                    now=now + LEASE + timedelta(seconds=1),
                )
                == 1
            )
            meanwhile = bonus_row(db, bonus_id).status
        finally:
            gate.set()
            first.join(10)
    return wallet, meanwhile


@pytest.mark.parametrize(
    "second, meanwhile",
    [
        (Answer(422, "reference already used"), "FAILED"),  # a later try's answer said no
        (Answer(503, "busy"), "PENDING"),  # a later try waits for its retry
    ],
)
def test_a_success_that_comes_after_the_lease_ran_out_is_kept(db, tmp_path, second, meanwhile):
    entry_id, bonus_id = journey_bonus(db)
    wallet, status_meanwhile = _first_try_outlasts_its_lease(db, tmp_path, bonus_id, Answer(200), second)
    assert status_meanwhile == meanwhile
    row = bonus_row(db, bonus_id)
    assert (row.status, row.error, row.attempts, row.claimed_until) == ("GRANTED", None, 2, None)
    assert row.granted_at is not None
    assert wallet.keys == [reference(bonus_id)] * 2 and list(wallet.grants) == [reference(bonus_id)]
    assert outcomes(db, entry_id)[-1] == ("b", "bonus_granted", "HTTP 200 (after its lease ran out)")


@pytest.mark.parametrize(
    "late, second, then",
    [
        (Answer(500, "oops"), Answer(200), ("GRANTED", None)),
        (Answer(422, "no such player"), Answer(503, "busy"), ("PENDING", "HTTP 503: busy")),
    ],
)
def test_a_failure_that_comes_after_the_lease_ran_out_writes_nothing(db, tmp_path, late, second, then):
    _entry_id, bonus_id = journey_bonus(db)
    _first_try_outlasts_its_lease(db, tmp_path, bonus_id, late, second)
    row = bonus_row(db, bonus_id)
    assert (row.status, row.error, row.attempts) == (*then, 2)


def test_a_call_that_breaks_in_the_worker_is_tried_again_under_its_key(db, tmp_path, caplog):
    _entry_id, bonus_id = journey_bonus(db)

    def breaks(request: httpx.Request) -> httpx.Response:
        raise RuntimeError("a bug on our side")

    with httpx.Client(transport=httpx.MockTransport(breaks)) as client:
        grant(
            services_for(db, RecordingQueue(), wallet_settings(tmp_path, "http://wallet.test/g")),
            bonus_ids=[bonus_id],
            client=client,
        )
    row = bonus_row(db, bonus_id)
    assert (row.status, row.attempts, row.claimed_until, row.error) == (
        "PENDING",
        1,
        None,
        "RuntimeError in the wallet call",
    )
    assert row.next_attempt_at is not None
    assert "a bug on our side" not in caplog.text and "wallet-token-never-logged" not in caplog.text


def test_a_chunk_of_bonuses_goes_to_the_wallet_at_once(db, tmp_path):
    catalog(db)
    users(db, *({"externalId": f"p{i}"} for i in range(4)))
    with db.unit_of_work() as uow:
        tid = uow.session.scalar(select(BonusTemplate.id))
        ids = [
            grant_bonus(uow, external_id=f"p{i}", template_id=tid, request_id=f"r{i}", queue=RecordingQueue()).id
            for i in range(4)
        ]
    gate = threading.Event()
    with running_wallet(*[Answer(200, held=gate)] * 4) as wallet:
        worker = threading.Thread(
            target=grant,
            args=(services_for(db, RecordingQueue(), wallet_settings(tmp_path, wallet.url)),),
            kwargs={"bonus_ids": ids},
        )
        worker.start()
        try:
            # All four calls are at the wallet before any of them is answered.
            assert wait_for(lambda: len(wallet.requests) == 4, timeout=5), len(wallet.requests)
        finally:
            gate.set()
            worker.join(10)
    with db.read() as s:
        assert sorted(s.scalars(select(Bonus.status))) == ["GRANTED"] * 4
    assert sorted(wallet.keys) == sorted(reference(i) for i in ids)
