"""Counters kept in the process that does the work (Prometheus client objects in the
default registry): what came of each message handed to a channel. The API process
serves them at /metrics with the database's figures; `questline worker` serves its own
on --metrics-port.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import Counter

DELIVERIES = Counter(
    "questline_deliveries",
    "Messages a delivery worker settled, by channel, what came of them (sent, failed, retried, suppressed) "
    "and the class of the provider's answer (2xx, 4xx, 5xx; no_answer when none came, none without a provider)",
    ["channel", "outcome", "provider_status"],
)
OUTCOMES = {"SENT": "sent", "FAILED": "failed", "QUEUED": "retried", "SUPPRESSED": "suppressed"}


def provider_status(status: int | None, *, answered: bool) -> str:
    """The class of an answer: 2xx, 4xx, 5xx (HTTP and SMTP codes alike); with no code,
    `no_answer` for a try that needed one (refused, timed out), else `none`."""
    if status is None:
        return "no_answer" if answered else "none"
    return f"{status // 100}xx"


def count_deliveries(channel: str, settled: Iterable[tuple[str, str]]) -> None:
    """`settled`: (status the message was left in, provider status class) per message."""
    for status, provider in settled:
        DELIVERIES.labels(channel.lower(), OUTCOMES.get(status, status.lower()), provider).inc()
