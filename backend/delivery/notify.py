"""Live pushes from the worker that sent a pop-up to the API process holding the
player's WebSocket, which may run on another machine.

The worker publishes (user id, communication id) after the commit that made the
pop-up SENT; each API process listens once and hands every note to the player's open
subscriptions (`PopupHub`). Three carriers, chosen from the settings:
- in-process: the embedded default, workers and API in one process;
- Redis pub/sub: when the broker is Redis;
- PostgreSQL LISTEN/NOTIFY: when the database is PostgreSQL and the broker is not Redis.
Notes are hints, like broker messages: a subscription also reads the stored pop-ups
when it opens and now and then while it runs, so a note lost with a dropped
connection delays a pop-up, it never loses it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.engine import make_url

from backend.persistence.database import Database
from backend.settings import Settings

log = logging.getLogger(__name__)
Deliver = Callable[[int, int], None]
RECONNECT_SECONDS = 2.0


class Notifier(Protocol):
    kind: str

    def publish(self, notes: list[tuple[int, int]]) -> None: ...

    async def listen(self, deliver: Deliver) -> None: ...

    def close(self) -> None: ...


def _encode(notes: list[tuple[int, int]]) -> str:
    return json.dumps([[u, c] for u, c in notes])


def _decode(payload: Any, deliver: Deliver) -> None:
    try:
        notes = json.loads(payload)
        for user_id, communication_id in notes:
            deliver(int(user_id), int(communication_id))
    except (ValueError, TypeError):
        log.warning("ignored a malformed pop-up note")


async def _keep_listening(carrier: str, once: Callable[[], Awaitable[None]]) -> None:
    """Listens until cancelled, connecting again after a lost connection."""
    while True:
        try:
            await once()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("pop-up listener lost %s (%s); reconnecting", carrier, type(exc).__name__)
        await asyncio.sleep(RECONNECT_SECONDS)


class InProcessNotifier:
    kind = "in-process"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[tuple[asyncio.AbstractEventLoop, Deliver]] = []

    def publish(self, notes: list[tuple[int, int]]) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for loop, deliver in listeners:
            for user_id, communication_id in notes:
                with contextlib.suppress(RuntimeError):  # that loop has closed
                    loop.call_soon_threadsafe(deliver, user_id, communication_id)

    async def listen(self, deliver: Deliver) -> None:
        entry = (asyncio.get_running_loop(), deliver)
        with self._lock:
            self._listeners.append(entry)
        try:
            await asyncio.Event().wait()
        finally:
            with self._lock:
                self._listeners.remove(entry)

    def close(self) -> None:
        pass


class PostgresNotifier:
    kind = "postgres"

    def __init__(self, db: Database, channel: str):
        self.db = db
        self.channel = channel

    def publish(self, notes: list[tuple[int, int]]) -> None:
        # NOTIFY payloads stop at 8000 bytes: 100 notes of two 19-digit numbers fit.
        chunks = [notes[i : i + 100] for i in range(0, len(notes), 100)]
        with self.db.engine.connect() as conn:
            conn.execute(
                text("SELECT pg_notify(:channel, :payload)"),
                [{"channel": self.channel, "payload": _encode(c)} for c in chunks],
            )
            conn.commit()

    async def listen(self, deliver: Deliver) -> None:
        import psycopg

        conninfo = make_url(self.db.url).set(drivername="postgresql").render_as_string(hide_password=False)

        async def once() -> None:
            async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
                await conn.execute(f'LISTEN "{self.channel}"')
                async for note in conn.notifies():
                    _decode(note.payload, deliver)

        await _keep_listening("PostgreSQL", once)

    def close(self) -> None:
        pass


class RedisNotifier:
    kind = "redis"

    def __init__(self, url: str, channel: str):
        self.url = url
        self.channel = channel
        self._client: Any = None

    def publish(self, notes: list[tuple[int, int]]) -> None:
        import redis

        if self._client is None:
            self._client = redis.Redis.from_url(self.url)
        self._client.publish(self.channel, _encode(notes))

    async def listen(self, deliver: Deliver) -> None:
        import redis.asyncio as aioredis

        async def once() -> None:
            client = aioredis.Redis.from_url(self.url)
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(self.channel)
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            _decode(message["data"], deliver)
            finally:
                await client.aclose()

        await _keep_listening("Redis", once)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def make_notifier(settings: Settings, db: Database) -> Notifier:
    channel = f"{settings.queue_prefix}questline_popups"
    broker = settings.broker_url or ""
    if broker.startswith(("redis://", "rediss://", "unix://")):
        return RedisNotifier(broker, channel)
    if broker and db.dialect == "postgresql":
        return PostgresNotifier(db, channel)
    # No shared broker: workers and API share this process. (A shared RabbitMQ broker
    # over SQLite has no carrier between machines; subscriptions then find pop-ups by
    # reading the database.)
    return InProcessNotifier()


class PopupHub:
    """The API process's side: one listener, fanned out to each player's subscriptions."""

    def __init__(self, notifier: Notifier):
        self.notifier = notifier
        self._subscribers: dict[int, set[asyncio.Queue[int]]] = defaultdict(set)
        self._task: asyncio.Task[None] | None = None

    def subscribe(self, user_id: int) -> asyncio.Queue[int]:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self.notifier.listen(self._deliver))
        queue: asyncio.Queue[int] = asyncio.Queue()
        self._subscribers[user_id].add(queue)
        return queue

    def unsubscribe(self, user_id: int, queue: asyncio.Queue[int]) -> None:
        queues = self._subscribers.get(user_id)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self._subscribers[user_id]

    def _deliver(self, user_id: int, communication_id: int) -> None:
        for queue in self._subscribers.get(user_id, ()):
            queue.put_nowait(communication_id)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
