"""A real wallet over HTTP on a free local port, for tests: it answers each request as
scripted (2xx, 4xx, 5xx, a hang past the client's time-out, an answer trickled out a
byte at a time, or one held until the test lets it go) and keeps its own ledger of
grants by Idempotency-Key, as a wallet that honours the key would."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Answer:
    status: int = 200
    text: str = '{"ok": true}'
    # Seconds to wait before answering; the grant is recorded before the wait, so a
    # hang is a grant whose answer never reached the caller.
    hang: float = 0.0
    # Seconds over which the body goes out a byte at a time, each byte well inside a
    # read time-out: the whole answer outlasts it all the same.
    trickle: float = 0.0
    # Held until the test sets it (then answered as scripted).
    held: threading.Event | None = None


@dataclass
class Wallet:
    url: str = ""
    script: list[Answer] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    grants: dict[str, dict] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)
    # TCP connections accepted: a client that keeps its connections alive opens fewer than it sends.
    connections: int = 0

    @property
    def keys(self) -> list[str]:
        return [r["key"] for r in self.requests]

    def answer_for(self, key: str, body: dict, headers: dict) -> Answer:
        with self.lock:
            self.requests.append({"key": key, "body": body, "headers": headers})
            answer = self.script.pop(0) if self.script else Answer()
            if 200 <= answer.status < 300 or answer.hang:
                self.grants.setdefault(key, body)
        return answer


def _handler(wallet: Wallet, keep_alive: bool) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # HTTP/1.0 closes the connection after each answer; 1.1 keeps it for the next request.
        protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"

        def setup(self) -> None:
            super().setup()
            with wallet.lock:
                wallet.connections += 1

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            answer = wallet.answer_for(
                self.headers.get("Idempotency-Key", ""),
                json.loads(raw or b"{}"),
                {k.lower(): v for k, v in self.headers.items()},
            )
            if answer.hang and wallet.release.wait(answer.hang):
                return
            if answer.held is not None:
                answer.held.wait(30)
            data = answer.text.encode()
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if answer.trickle:
                    for i in range(len(data)):
                        self.wfile.write(data[i : i + 1])
                        self.wfile.flush()
                        time.sleep(answer.trickle / len(data))
                else:
                    self.wfile.write(data)
            except OSError:
                pass  # the caller gave up waiting: that is the point of a hang

        def log_message(self, *args: object) -> None:
            pass

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a caller that hung up mid-answer is expected here


@contextmanager
def running_wallet(*script: Answer, keep_alive: bool = False) -> Iterator[Wallet]:
    wallet = Wallet(script=list(script))
    server = _Server(("127.0.0.1", 0), _handler(wallet, keep_alive))
    wallet.url = f"http://127.0.0.1:{server.server_address[1]}/grants"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield wallet
    finally:
        wallet.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
