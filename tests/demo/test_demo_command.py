"""`questline demo` asks before it adds to a database that has data, and a refusal,
whichever way it comes, writes nothing."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time

import pytest
from sqlalchemy import func
from sqlalchemy import select as sql_select

from backend.models import Event, Journey, Operator, Resource, User
from backend.persistence.database import Database
from backend.users.profiles import upsert_users
from migrations.runner import upgrade


@pytest.fixture
def with_a_player(tmp_path):
    """A database that has one player of its own."""
    url = f"sqlite:///{tmp_path / 'own.db'}"
    upgrade(url)
    db = Database(url)
    with db.unit_of_work() as uow:
        upsert_users(uow, users=[{"externalId": "own-1", "username": "own"}])
    env = {
        **os.environ,
        "QUESTLINE_DATABASE_URL": url,
        "QUESTLINE_SECRET_KEY": "demo-test-secret-key",
        "QUESTLINE_DATA_DIR": str(tmp_path),
    }
    yield db, env
    db.dispose()


def _counts(db):
    with db.read() as session:
        return [
            session.scalar(sql_select(func.count()).select_from(m)) for m in (User, Event, Journey, Resource, Operator)
        ]


def _read_until(fd: int, wanted: bytes, seconds: float) -> bytes:
    seen, end = b"", time.monotonic() + seconds
    while wanted not in seen and time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:  # the other end closed
                break
    return seen


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "questline.cli", "demo", *args]


def test_in_a_terminal_it_asks_and_no_writes_nothing(with_a_player):
    db, env = with_a_player
    before = _counts(db)
    main_fd, child_fd = pty.openpty()
    proc = subprocess.Popen(_command("--players", "20"), stdin=child_fd, stdout=child_fd, stderr=child_fd, env=env)
    os.close(child_fd)
    try:
        asked = _read_until(main_fd, b"Add the demo data set to it?", 60)
        assert b"already has data" in asked, asked
        os.write(main_fd, b"n\r")
        told = _read_until(main_fd, b"Nothing was written.", 30)
        assert proc.wait(timeout=30) == 1, told
    finally:
        proc.kill()
        os.close(main_fd)
    assert b"Nothing was written." in told
    assert _counts(db) == before


def test_without_a_terminal_or_yes_it_refuses_with_its_reason(with_a_player):
    db, env = with_a_player
    before = _counts(db)
    done = subprocess.run(
        _command("--players", "20"), stdin=subprocess.DEVNULL, check=False, capture_output=True, env=env, timeout=60
    )
    assert done.returncode == 2
    assert "already has data" in done.stderr.decode() and "--yes" in done.stderr.decode()
    assert _counts(db) == before


@pytest.mark.parametrize(
    "args,message",
    [(("--players", "0"), "--players must be between 1 and 100,000"), (("--password", "short"), "at least 8")],
)
def test_bad_options_are_refused_before_anything_is_written(tmp_path, args, message):
    url = f"sqlite:///{tmp_path / 'none.db'}"
    env = {**os.environ, "QUESTLINE_DATABASE_URL": url, "QUESTLINE_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        _command(*args), stdin=subprocess.DEVNULL, check=False, capture_output=True, env=env, timeout=60
    )
    assert done.returncode == 2 and message in done.stderr.decode()
    assert not (tmp_path / "none.db").exists()


def test_a_database_it_cannot_reach_is_named_without_its_password(tmp_path):
    url = "postgresql+psycopg://demo:secret-pw@127.0.0.1:1/questline"
    env = {**os.environ, "QUESTLINE_DATABASE_URL": url, "QUESTLINE_DATA_DIR": str(tmp_path)}
    done = subprocess.run(_command(), stdin=subprocess.DEVNULL, check=False, capture_output=True, env=env, timeout=60)
    said = done.stderr.decode()
    assert done.returncode == 2 and "cannot be used (OperationalError)" in said and "127.0.0.1:1" in said
    assert "secret-pw" not in said + done.stdout.decode()


def test_its_help_names_every_option():
    done = subprocess.run(_command("--help"), check=False, capture_output=True, timeout=60)
    text = done.stdout.decode()
    assert done.returncode == 0
    assert all(option in text for option in ("--players", "--seed", "--password", "--yes"))
