"""The outside world of the demo, answered in-process: SMS, push and IVR providers and
the wallet. The product's own adapters talk to them (`HttpProviderChannel`, the wallet
worker's client) through an httpx mock transport, so nothing leaves the machine, and
their refusals and busy answers go through the same protocol as real ones do.

They answer as a real provider would, for reasons of their own: a number that is not
a mobile, a moment of overload, an account the wallet will not credit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

import httpx

from backend.delivery.channels import Channel, HttpProviderChannel, Message, Result, SandboxChannel
from backend.outbound import Verdict

PROVIDER_URLS = {
    "SMS": "https://sms.provider.example/v1/messages",
    "PUSH": "https://push.provider.example/v1/notifications",
    "IVR": "https://voice.provider.example/v1/calls",
}
WALLET_URL = "https://wallet.operator.example/v1/bonuses"


def _share(text: str) -> float:
    """A stable number in [0, 1) for a reference: the same message gets the same answer on every run."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) / 2**32


class Attempts:
    """Counts the tries of each reference, so an overloaded provider answers the retry."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def count(self, reference: str) -> int:
        self.seen[reference] = self.seen.get(reference, 0) + 1
        return self.seen[reference]


def _provider(channel: str, attempts: Attempts) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        reference = request.headers["Idempotency-Key"]
        share = _share(reference)
        if channel in ("SMS", "IVR") and str(body.get("to", "")).endswith(("00", "13")):
            return httpx.Response(400, text=f"{body['to']} is not a mobile number")
        if share < 0.03 and attempts.count(reference) == 1:
            return httpx.Response(503, text="provider busy, try again")
        return httpx.Response(200, json={"id": f"{channel.lower()}-{reference[-10:]}", "status": "accepted"})

    return answer


class Outbox:
    """The far side of an adapter: keeps the ids of the messages it handed over, so the
    players can receive them."""

    def __init__(self, adapter: Channel, handed_over: list[int]):
        self.adapter = adapter
        self.handed_over = handed_over

    def send_all(self, messages: list[Message]) -> list[Result]:
        results = self.adapter.send_all(messages)
        self.handed_over += [
            m.communication_id for m, r in zip(messages, results, strict=True) if r.verdict is Verdict.DONE
        ]
        return results


def senders(handed_over: list[int]) -> dict[str, Channel]:
    """One adapter per channel: email and pop-ups in the sandbox (email receipts come
    back as delivery webhooks would), the others through the product's HTTP adapter."""
    attempts = Attempts()
    out: dict[str, Channel] = {"EMAIL": SandboxChannel(), "POPUP": SandboxChannel()}
    for channel, url in PROVIDER_URLS.items():
        transport = httpx.MockTransport(_provider(channel, attempts))
        out[channel] = HttpProviderChannel(url, channel=channel, token=None, transport=transport, concurrency=4)
    return {channel: Outbox(adapter, handed_over) for channel, adapter in out.items()}


def wallet(under_review: set[str]) -> httpx.Client:
    """The operator's wallet: it refuses bonuses to accounts under review and is busy now and then."""
    attempts = Attempts()

    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        reference = request.headers["Idempotency-Key"]
        if body.get("externalId") in under_review:
            return httpx.Response(422, text="bonus refused: the account is under a KYC review")
        if _share(reference) < 0.04 and attempts.count(reference) == 1:
            return httpx.Response(503, text="wallet busy")
        return httpx.Response(200, json={"bonusId": f"w-{reference[-10:]}"})

    return httpx.Client(transport=httpx.MockTransport(answer))
