"""The threads of a chunk's wallet calls: each call in a thread of its own, so the worker
can stop waiting for it at a deadline, and the client they share kept open while a call
the worker stopped waiting for still runs on it."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import httpx

from backend import outbound
from backend.outbound import Answer

log = logging.getLogger(__name__)

# The calls of a chunk, each in a thread of its own.
CONCURRENCY = 16


def wallet_client(timeout: float = outbound.TIMEOUT_SECONDS) -> httpx.Client:
    """A pool whose connections the chunks reuse. No bound on connections in use, so
    calls given up on that still hold one never make the next chunk's wait; a few
    chunks' worth are kept alive between calls."""
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=4 * CONCURRENCY)
    return httpx.Client(timeout=timeout, limits=limits, verify=outbound.tls_context())


_shared: list[httpx.Client] = []
_shared_lock = threading.Lock()


def shared_wallet_client() -> httpx.Client:
    """The worker process's wallet client, made at its first use and kept: every `grant`
    of the process reuses its connections. (A client a `grant` was a new connection a
    call when a journey's batch handed over a few bonuses at a time, and the wallet a
    new connection to accept for each.) Idle connections close after 5 s (httpx's
    keep-alive expiry)."""
    with _shared_lock:
        if not _shared:
            _shared.append(wallet_client())
        return _shared[0]


class Call:
    """One wallet call in a daemon thread of its own, so the worker can stop waiting for
    it at a deadline: nothing else bounds a whole httpx call. An abandoned call holds
    neither the worker nor the process's exit; its answer, when it comes, goes to the
    callback given to `when_late`."""

    def __init__(self, send: Callable[[], Answer]):
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._answer: Answer | None = None
        self._late: Callable[[Answer], None] | None = None
        threading.Thread(target=self._run, args=(send,), daemon=True, name="questline-wallet").start()

    def _run(self, send: Callable[[], Answer]) -> None:
        try:
            answer = send()
        except Exception as exc:  # a bug must not leave the try unrecorded: it is retried under its key
            log.error("a wallet call failed unexpectedly (%s)", type(exc).__name__)
            answer = Answer(None, f"{type(exc).__name__} in the wallet call")
        with self._lock:
            self._answer, late = answer, self._late
        self._done.set()
        if late is not None:
            late(answer)

    def wait(self, until: float) -> Answer | None:
        """The answer, or None if none came by `until` (time.monotonic())."""
        self._done.wait(max(0.0, until - time.monotonic()))
        with self._lock:
            return self._answer

    def when_late(self, callback: Callable[[Answer], None]) -> None:
        """Hands the answer to `callback` when it comes (at once, if it came meanwhile)."""
        with self._lock:
            if self._answer is None:
                self._late = callback
                return
            answer = self._answer
        callback(answer)


class ClientUse:
    """Closes a client this worker made once `grant` is done with it and no call it
    stopped waiting for still runs on it (that call's answer may yet be a grant)."""

    def __init__(self, client: httpx.Client, own: bool):
        self.client, self._own = client, own
        self._lock = threading.Lock()
        self._running, self._finished = 0, False

    def hold(self) -> None:
        with self._lock:
            self._running += 1

    def release(self) -> None:
        with self._lock:
            self._running -= 1
            close = self._finished and self._running == 0
        if close:
            self._close()

    def finish(self) -> None:
        with self._lock:
            self._finished = True
            close = self._running == 0
        if close:
            self._close()

    def _close(self) -> None:
        if self._own:
            self.client.close()
