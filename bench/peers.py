"""Stand-ins for an SMS provider and an SMTP server, each in a process of its own, for
the delivery benchmark: as fast as they can be, counting what they get.

    python bench/peers.py http PORT [DELAY_MS]  # an idempotent HTTP provider (one message a key),
                                                # answering after DELAY_MS (default 0) like a remote one
    python bench/peers.py smtp PORT     # an SMTP server that accepts everything

On SIGTERM each prints one JSON line: requests (or messages) received, and for HTTP
the distinct Idempotency-Keys.
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import threading


def run_http(port: int, delay_ms: float = 0.0) -> None:
    import uvicorn

    seen = {"requests": 0, "keys": set()}

    async def app(scope, receive, send):  # a bare ASGI app: the provider must not be the bottleneck
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass
        headers = dict(scope["headers"])
        seen["requests"] += 1
        seen["keys"].add(headers.get(b"idempotency-key", b""))
        if delay_ms:
            await asyncio.sleep(delay_ms / 1000)
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b'{"id": "ok"}'})

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))

    def report(*_: object) -> None:
        print(json.dumps({"requests": seen["requests"], "keys": len(seen["keys"])}), flush=True)
        server.should_exit = True

    signal.signal(signal.SIGTERM, report)
    server.run()


def run_smtp(port: int) -> None:
    from aiosmtpd.controller import Controller

    count = {"messages": 0, "sessions": 0}

    class Handler:
        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            count["sessions"] += 1
            session.host_name = hostname
            return responses

        async def handle_DATA(self, server, session, envelope):
            count["messages"] += 1
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    done.wait()
    controller.stop()
    print(json.dumps(count), flush=True)


def start_peer(kind: str, port: int, *extra: str) -> subprocess.Popen:
    """A peer in a process of its own (for a benchmark to start)."""
    return subprocess.Popen([sys.executable, __file__, kind, str(port), *extra], stdout=subprocess.PIPE, text=True)


def stop_peer(proc: subprocess.Popen) -> dict:
    """Stops a peer and returns what it counted."""
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=30)
    return json.loads(out.strip().splitlines()[-1])


if __name__ == "__main__":
    kind, port = sys.argv[1], int(sys.argv[2])
    asyncio.set_event_loop_policy(None)
    if kind == "http":
        run_http(port, float(sys.argv[3]) if len(sys.argv) > 3 else 0.0)
    else:
        run_smtp(port)
