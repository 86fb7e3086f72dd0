"""Channel adapters behind one interface: a batch of rendered messages in, one result
per message out, in the same order.

- `SandboxChannel`: nothing leaves the machine; every message is done (the embedded
  default, and pop-ups, which the worker publishes itself).
- `HttpProviderChannel`: SMS, push and IVR providers, the contract's JSON with
  `Idempotency-Key` and `Authorization`, sent concurrently over one connection pool.
- `SmtpChannel` (backend.delivery.smtp): email over SMTP connections kept across batches.
"""

from __future__ import annotations

import functools
import inspect
import json
import ssl
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from backend import outbound
from backend.outbound import Verdict


@dataclass(frozen=True)
class Message:
    communication_id: int
    # The communication's global ID: the provider's `reference` and the Idempotency-Key.
    reference: str
    channel: str
    to: str
    external_id: str
    subject: str | None
    text: str
    html: str | None = None


@dataclass(frozen=True)
class Result:
    verdict: Verdict
    error: str | None = None
    provider_reference: str | None = None
    # The provider's answer code (HTTP or SMTP); None when there was no answer or no provider.
    status: int | None = None


DONE = Result(Verdict.DONE)

# Told each message's result as soon as it is known: its index in the batch and the result.
OnResult = Callable[[int, Result], None]


class Channel(Protocol):
    def send_all(self, messages: list[Message]) -> list[Result]: ...


class ReportingChannel(Protocol):
    """A channel that can tell each message's result as it comes, so the worker records
    it at once: a worker killed mid-batch then sends again only what was in flight."""

    def send_all(self, messages: list[Message], on_result: OnResult | None = None) -> list[Result]: ...


def reports_each(adapter: Channel) -> bool:
    """Whether the adapter's `send_all` takes `on_result` (a ReportingChannel)."""
    try:
        return "on_result" in inspect.signature(adapter.send_all).parameters
    except (TypeError, ValueError):
        return False


class SandboxChannel:
    def send_all(self, messages: list[Message]) -> list[Result]:
        return [DONE for _ in messages]


def sms_payload(m: Message) -> dict[str, Any]:
    return {"reference": m.reference, "to": m.to, "text": m.text}


def push_payload(m: Message) -> dict[str, Any]:
    return {"reference": m.reference, "to": m.external_id, "title": m.subject, "text": m.text}


PAYLOADS: dict[str, Callable[[Message], dict[str, Any]]] = {
    "SMS": sms_payload,
    "IVR": sms_payload,
    "PUSH": push_payload,
}


def _provider_reference(answer: outbound.Answer) -> str | None:
    """The provider's own id for the message, when its answer names one."""
    try:
        body = json.loads(answer.text)
    except ValueError:
        return None
    value = body.get("id") if isinstance(body, dict) else None
    return str(value)[:200] if isinstance(value, (str, int)) and not isinstance(value, bool) else None


@functools.lru_cache(maxsize=1)
def _tls() -> ssl.SSLContext:
    """Loading the CA bundle takes tens of milliseconds: once per process, not per batch."""
    return ssl.create_default_context()


class HttpProviderChannel:
    """Sends a batch from a few threads over the channel's pooled client. (Measured on
    this code base: httpx's async pool spends more time managing connections than
    sending when many requests wait on it; plain threads over the sync client send
    several times faster.) The client lives as long as the channel (the worker
    process), so a batch reuses the connections the batches before it opened rather
    than opening its own: a batch of a few messages, as a journey's batches hand over,
    was a new connection a message. Connections idle for 5 s are closed (httpx's
    keep-alive expiry), before a provider would drop them."""

    def __init__(
        self,
        url: str,
        *,
        channel: str,
        token: str | None,
        timeout: float = outbound.TIMEOUT_SECONDS,
        concurrency: int = 16,
        transport: httpx.BaseTransport | None = None,
    ):
        self.url = url
        self.payload = PAYLOADS[channel]
        self.token = token
        self.timeout = timeout
        self.concurrency = concurrency
        self.transport = transport
        self._client: httpx.Client | None = None
        self._client_lock = threading.Lock()

    def client(self) -> httpx.Client:
        """The channel's client, made at its first use. Each worker thread's batch sends
        at most `concurrency` at a time; the pool keeps that many connections for each
        of a few threads and never makes a batch wait for another's."""
        with self._client_lock:
            if self._client is None:
                limits = httpx.Limits(max_connections=None, max_keepalive_connections=4 * self.concurrency)
                self._client = httpx.Client(
                    timeout=self.timeout, limits=limits, transport=self.transport, verify=_tls()
                )
            return self._client

    def close(self) -> None:
        with self._client_lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def send_all(self, messages: list[Message], on_result: OnResult | None = None) -> list[Result]:
        if not messages:
            return []
        client = self.client()

        def one(i: int) -> Result:
            result = _one(messages[i])
            if on_result is not None:
                on_result(i, result)
            return result

        def _one(m: Message) -> Result:
            answer = outbound.post(
                client,
                self.url,
                body=json.dumps(self.payload(m)).encode(),
                headers=outbound.provider_headers(m.reference, self.token),
                deadline=self.timeout,
            )
            verdict = outbound.classify(answer)
            if verdict is Verdict.DONE:
                return Result(verdict, provider_reference=_provider_reference(answer), status=answer.status)
            return Result(verdict, error=outbound.error_text(answer), status=answer.status)

        if len(messages) == 1:
            return [one(0)]
        with ThreadPoolExecutor(
            max_workers=min(self.concurrency, len(messages)), thread_name_prefix="questline-send"
        ) as pool:
            return list(pool.map(one, range(len(messages))))
