"""The outside peers of the fault run, each in a process of its own, writing down
every request it gets, one line each, before it answers success:

    python bench/fault_peers.py smtp PORT LOG    # an SMTP server: the Message-ID of each message
    python bench/fault_peers.py wallet PORT LOG  # a wallet over HTTP: the Idempotency-Key of each grant
    python bench/fault_peers.py sms PORT LOG     # an SMS provider over HTTP (integrations.md), the same

A line is `<key>\\t<reference>\\t<unix time>`; the run counts the lines per key. Both
answer success to every request and keep every request (an idempotent peer would
perform one effect per key: the run counts the keys seen more than once too).
"""

from __future__ import annotations

import json
import re
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import IO

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
REFERENCE = re.compile(rb"^X-Questline-Reference:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


class Ledger:
    """Appends one line a request, flushed at once, so a killed run still has them."""

    def __init__(self, path: str):
        self._file: IO[str] = open(path, "a", buffering=1)  # noqa: SIM115 - held for the process's life
        self._lock = threading.Lock()

    def write(self, key: str, reference: str) -> None:
        with self._lock:
            self._file.write(f"{key}\t{reference}\t{time.time():.3f}\n")


def run_smtp(port: int, ledger: Ledger) -> None:
    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            head = envelope.content.split(b"\r\n\r\n", 1)[0]
            mid, ref = MESSAGE_ID.search(head), REFERENCE.search(head)
            ledger.write(mid.group(1).decode() if mid else "(none)", ref.group(1).decode() if ref else "(none)")
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    done.wait()
    controller.stop()


def run_wallet(port: int, ledger: Ledger) -> None:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            key = self.headers.get("Idempotency-Key", "(none)")
            try:
                reference = str(json.loads(raw or b"{}").get("reference"))
            except ValueError:
                reference = "(unreadable)"
            ledger.write(key, reference)
            body = json.dumps({"id": f"w-{key}"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

    server = Server(("127.0.0.1", port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever(poll_interval=0.1)


if __name__ == "__main__":
    kind, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    {"smtp": run_smtp, "wallet": run_wallet, "sms": run_wallet}[kind](port, Ledger(path))
