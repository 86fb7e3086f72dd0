"""The one protocol of every call Questline makes to an outside HTTP system: SMS, push
and IVR providers, the wallet, webhook steps (integrations.md).

A 2xx answer is done. A 4xx answer is final: failed, with the answer's text. A 5xx
answer, a refused connection or a time-out is retried with growing back-off, up to
MAX_TRIES tries in all, always under the same Idempotency-Key: a try whose answer
never came may have been done, so it is never repeated under a new key.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import ssl
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

import httpx

MAX_TRIES = 5
TIMEOUT_SECONDS = 10.0
# Kept of an answer's body in `error`: enough to read, not a whole HTML error page.
ANSWER_TEXT_LIMIT = 1_000


class Verdict(Enum):
    DONE = "done"
    FAILED = "failed"
    RETRY = "retry"


@dataclass(frozen=True)
class Answer:
    """What came back from one try: an HTTP status and text, or no answer at all."""

    status: int | None
    text: str

    @property
    def described(self) -> str:
        return f"HTTP {self.status}: {self.text}" if self.status is not None else self.text


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    tries: int
    error: str | None = None
    retry_at: datetime | None = None


def backoff(tries: int) -> timedelta:
    """2 s, 4 s, 8 s, 16 s after the 1st, 2nd, 3rd and 4th try."""
    return timedelta(seconds=2**tries)


def classify(answer: Answer) -> Verdict:
    """What one answer says, whatever try it was."""
    status = answer.status
    if status is not None and 200 <= status < 300:
        return Verdict.DONE
    if status is not None and 400 <= status < 500:
        return Verdict.FAILED
    return Verdict.RETRY


def error_text(answer: Answer) -> str:
    """A final answer's text is the error as the other side wrote it (the contract);
    a retried one says what happened."""
    if answer.status is not None and 400 <= answer.status < 500 and answer.text:
        return answer.text
    return answer.described


def settle(verdict: Verdict, error: str | None, *, tries: int, now: datetime, max_tries: int = MAX_TRIES) -> Judgement:
    """Turns one try's verdict into what happens next: a retry becomes final once
    `max_tries` tries have been made."""
    if verdict is Verdict.RETRY and tries >= max_tries:
        return Judgement(Verdict.FAILED, tries, error=f"after {tries} tries: {error}")
    if verdict is Verdict.RETRY:
        return Judgement(Verdict.RETRY, tries, error=error, retry_at=now + backoff(tries))
    return Judgement(verdict, tries, error=error if verdict is Verdict.FAILED else None)


def judge(answer: Answer, *, tries: int, now: datetime, max_tries: int = MAX_TRIES) -> Judgement:
    """What to do after try number `tries` (1-based) got `answer`."""
    verdict = classify(answer)
    return settle(
        verdict, None if verdict is Verdict.DONE else error_text(answer), tries=tries, now=now, max_tries=max_tries
    )


def _no_answer(exc: httpx.HTTPError) -> Answer:
    kind = "time-out" if isinstance(exc, httpx.TimeoutException) else "no answer"
    return Answer(None, f"{type(exc).__name__}: {kind}")


def post(
    client: httpx.Client, url: str, *, body: bytes, headers: dict[str, str], deadline: float = TIMEOUT_SECONDS
) -> Answer:
    """One try. httpx's time-outs bound each wait (connect, each read) but not the whole
    answer, so the body is read piece by piece against `deadline`: an answer that
    trickles in past it is no answer (a time-out), like one that never came."""
    started = time.monotonic()
    try:
        with client.stream("POST", url, content=body, headers=headers) as response:
            pieces, size = [], 0
            for piece in response.iter_bytes():
                if time.monotonic() - started > deadline:
                    return Answer(None, f"time-out: the answer took over {deadline:g} s")
                if size < ANSWER_TEXT_LIMIT * 4:  # enough for the text kept; the rest is read and dropped
                    pieces.append(piece)
                    size += len(piece)
            text = b"".join(pieces).decode(response.encoding or "utf-8", errors="replace")
            return Answer(response.status_code, text[:ANSWER_TEXT_LIMIT])
    except httpx.HTTPError as exc:
        return _no_answer(exc)


@functools.lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """Loading the CA bundle takes tens of milliseconds: once per process, not per client."""
    return ssl.create_default_context()


def provider_headers(idempotency_key: str, token: str | None) -> dict[str, str]:
    """The headers of a provider or wallet call."""
    headers = {"Content-Type": "application/json", "Idempotency-Key": idempotency_key}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def signature(secret: str, body: bytes) -> str:
    """`sha256=<hex HMAC-SHA256>` of a body: webhook steps send it, delivery receipts carry it."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(secret: str, body: bytes, given: str | None) -> bool:
    """Compared in constant time; a header that is not ASCII (so no signature) is a mismatch."""
    if not given or not given.isascii():
        return False
    return hmac.compare_digest(signature(secret, body).encode(), given.encode())
