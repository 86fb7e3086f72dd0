"""Reaching the machine's PostgreSQL, Redis and RabbitMQ from the tests.

Under CI=true a service that does not answer is a failure; elsewhere the tests
that need it are skipped with a message that says which service and how to start it.
"""

from __future__ import annotations

import os
import socket

import pytest

POSTGRES_URL = os.environ.get("QUESTLINE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("QUESTLINE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
RABBITMQ_URL = os.environ.get("QUESTLINE_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")

PORTS = {"postgres": ("127.0.0.1", 5432), "redis": ("127.0.0.1", 6379), "rabbitmq": ("127.0.0.1", 5672)}


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def service_up(name: str) -> bool:
    host, port = PORTS[name]
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def require_service(name: str) -> None:
    if service_up(name):
        return
    host, port = PORTS[name]
    message = f"{name} is not answering on {host}:{port}; start it (see README, 'Running the tests')"
    if in_ci():
        pytest.fail(f"CI=true: {message}", pytrace=False)
    pytest.skip(message)
