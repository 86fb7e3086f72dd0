"""Channel adapters behind one interface: a batch of rendered messages in, one result
per message out, in the same order.

- `SandboxChannel`: nothing leaves the machine; every message is done (the embedded
  default, and pop-ups, which the worker publishes itself).
- `HttpProviderChannel`: SMS, push and IVR providers, the contract's JSON with
  `Idempotency-Key` and `Authorization`, sent concurrently over one connection pool.
- `SmtpChannel` (backend.delivery.smtp): email over one SMTP connection per batch.
"""
from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
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


DONE = Result(Verdict.DONE)


class Channel(Protocol):
    def send_all(self, messages: list[Message]) -> list[Result]: ...


class SandboxChannel:
    def send_all(self, messages: list[Message]) -> list[Result]:
        return [DONE for _ in messages]


def sms_payload(m: Message) -> dict[str, Any]:
    return {"reference": m.reference, "to": m.to, "text": m.text}


def push_payload(m: Message) -> dict[str, Any]:
    return {"reference": m.reference, "to": m.external_id, "title": m.subject, "text": m.text}


PAYLOADS: dict[str, Callable[[Message], dict[str, Any]]] = {"SMS": sms_payload, "IVR": sms_payload, "PUSH": push_payload}


def _provider_reference(answer: outbound.Answer) -> str | None:
    """The provider's own id for the message, when its answer names one."""
    try:
        body = json.loads(answer.text)
    except ValueError:
        return None
    value = body.get("id") if isinstance(body, dict) else None
    return str(value)[:200] if isinstance(value, (str, int)) and not isinstance(value, bool) else None


class HttpProviderChannel:
    def __init__(self, url: str, *, channel: str, token: str | None, timeout: float = outbound.TIMEOUT_SECONDS,
                 concurrency: int = 32, transport: httpx.AsyncBaseTransport | None = None):
        self.url = url
        self.payload = PAYLOADS[channel]
        self.token = token
        self.timeout = timeout
        self.concurrency = concurrency
        self.transport = transport

    def send_all(self, messages: list[Message]) -> list[Result]:
        if not messages:
            return []
        # Worker threads have no event loop of their own: one per batch is cheap next to the I/O.
        return asyncio.run(self._send_all(messages))

    async def _send_all(self, messages: list[Message]) -> list[Result]:
        gate = asyncio.Semaphore(self.concurrency)
        limits = httpx.Limits(max_connections=self.concurrency, max_keepalive_connections=self.concurrency)
        async with httpx.AsyncClient(timeout=self.timeout, limits=limits, transport=self.transport) as client:

            async def one(m: Message) -> Result:
                body = json.dumps(self.payload(m)).encode()
                async with gate:
                    answer = await outbound.apost(client, self.url, body=body,
                                                  headers=outbound.provider_headers(m.reference, self.token))
                verdict = outbound.classify(answer)
                if verdict is Verdict.DONE:
                    return Result(verdict, provider_reference=_provider_reference(answer))
                return Result(verdict, error=outbound.error_text(answer))

            return list(await asyncio.gather(*(one(m) for m in messages)))
