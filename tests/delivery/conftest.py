"""Real peers for the delivery tests, started and stopped around each test."""

from __future__ import annotations

import pytest

from tests.delivery.peers import HttpProvider, SmtpServer


@pytest.fixture
def provider():
    p = HttpProvider().start()
    yield p
    p.stop()


@pytest.fixture
def smtp():
    s = SmtpServer().start()
    yield s
    s.stop()
