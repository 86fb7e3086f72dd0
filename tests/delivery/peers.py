"""Real peers for delivery tests: an HTTP provider on a port of its own and an SMTP server.

`HttpProvider` answers the n-th request of each Idempotency-Key from a script
(status codes, or "hang" to answer only after `hang_seconds`) and, like a real
idempotent provider, sends one message per key however many times the key comes.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from tests.live import free_port


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class HttpProvider:
    script: list[Any] = field(default_factory=list)  # answer to the n-th try of each key; then `default`
    default: int = 200
    hang_seconds: float = 3.0
    requests: list[Seen] = field(default_factory=list)
    delivered: dict[str, dict] = field(default_factory=dict)  # key -> the message sent for it
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/send"

    def keys(self) -> Counter:
        return Counter(r.headers.get("idempotency-key") for r in self.requests)

    def start(self) -> HttpProvider:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _trickle(self, seconds: float) -> None:
                body = b'{"id": "slow"}'
                try:
                    self.send_response(200)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(body)))
                    self.end_headers()
                    for i in range(len(body)):
                        self.wfile.write(body[i : i + 1])
                        self.wfile.flush()
                        time.sleep(seconds / len(body))
                except OSError:
                    pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                with provider.lock:
                    seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, json.loads(raw or b"{}"))
                    provider.requests.append(seen)
                    tries = provider.keys()[seen.headers.get("idempotency-key")]
                    answer = provider.script[tries - 1] if tries <= len(provider.script) else provider.default
                if answer == "hang":
                    time.sleep(provider.hang_seconds)
                    answer = provider.default
                if answer == "trickle":  # headers at once, then the body a byte at a time
                    self._trickle(provider.hang_seconds)
                    return
                status = int(answer)
                if 200 <= status < 300:
                    key = seen.headers.get("idempotency-key", "")
                    with provider.lock:
                        provider.delivered.setdefault(key, seen.body)
                text = json.dumps({"id": f"prov-{len(provider.requests)}"}) if status < 300 else f"answer {status}"
                body = text.encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json" if status < 300 else "text/plain")
                    self.send_header("content-length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the client gave up waiting
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


class _Sink:
    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.sessions = 0
        self.refuse: dict[str, str] = {}  # recipient -> SMTP answer
        self.servers: list[Any] = []  # each connection's server side

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        self.sessions += 1
        self.servers.append(server)
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"


class SmtpServer:
    def __init__(self) -> None:
        self.sink = _Sink()
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=free_port())

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.controller.port}"

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def drop_connections(self) -> None:
        """Closes every client connection from the server's side, as a server does
        with clients idle too long."""
        transports = [s.transport for s in self.sink.servers if s.transport is not None]
        for t in transports:
            self.controller.loop.call_soon_threadsafe(t.close)
        deadline = time.monotonic() + 5
        while any(not t.is_closing() for t in transports) and time.monotonic() < deadline:
            time.sleep(0.01)

    def stop(self) -> None:
        self.controller.stop()
