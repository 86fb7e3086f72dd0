"""Engine set-up for SQLite (embedded default) and PostgreSQL, and the unit of work."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from backend.persistence import jsoncodec

log = logging.getLogger(__name__)

# Seconds a client is told to wait when the database cannot be reached (Retry-After).
RETRY_AFTER_SECONDS = 5
# A pooled PostgreSQL connection that sat unused this long is pinged before it is lent.
PING_AFTER_IDLE_SECONDS = 5.0


def database_unavailable(exc: BaseException) -> bool:
    """Whether an error says the database cannot be reached or cannot answer now (down,
    restarting, the connection dropped, the pool exhausted, a lock given up), rather than
    that a statement is wrong: the request may succeed if tried again shortly."""
    if isinstance(exc, (sa_exc.TimeoutError, sa_exc.DisconnectionError)):
        return True
    if isinstance(exc, sa_exc.DBAPIError):
        return exc.connection_invalidated or isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError))
    return False


def normalize_url(url: str) -> str:
    """`postgresql://` means psycopg 3 here, the only PostgreSQL driver installed."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # WAL lets the API read while a worker writes; the busy timeout makes
            # concurrent writers wait instead of failing at once.
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
            # pysqlite's own transaction handling is off; we emit BEGIN ourselves below.
            dbapi_conn.isolation_level = None

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # A unit of work takes the write lock at BEGIN (IMMEDIATE), so two
            # transactions that both read then write cannot deadlock; reads stay DEFERRED.
            mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("json_deserializer", jsoncodec.loads)
    engine = create_engine(url, **kwargs)
    _ping_idle_connections(engine)
    return engine


def _ping_idle_connections(engine: Engine) -> None:
    """Pings a connection before lending it only if it sat in the pool a while: one that
    lived through a database restart there is replaced instead of failing its first
    statement. One returned moments ago is lent as it is (a ping on every checkout was
    13 % of the API's time under load); should the database have gone in between, the
    statement's disconnect error invalidates the whole pool, so a process fails only
    the work already in flight and reconnects for the next."""

    @event.listens_for(engine.pool, "checkin")
    def _returned(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _lent(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as exc:  # the pool takes a new connection
            raise sa_exc.DisconnectionError(f"a pooled connection was closed: {type(exc).__name__}") from exc


class UnitOfWork:
    """One transaction. Callbacks registered with `after_commit` run only once it committed;
    one that fails is logged, never raised: the caller's work is done."""

    def __init__(self, session: Session):
        self.session = session
        self._after_commit: list[Callable[[], None]] = []

    def after_commit(self, fn: Callable[[], None]) -> None:
        self._after_commit.append(fn)

    def flush(self) -> None:
        self.session.flush()


class Database:
    def __init__(self, url: str, **engine_kwargs: Any):
        self.url = normalize_url(url)
        self.engine = make_engine(self.url, **engine_kwargs)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        """Commits when the block ends normally, rolls back on any exception."""
        with self._sessions() as session:
            uow = UnitOfWork(session)
            with session.begin():
                if self.dialect == "sqlite":
                    session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
                yield uow
            for fn in uow._after_commit:
                try:
                    fn()
                except Exception as exc:  # the work is committed; the scheduler tick finds its rows again
                    log.warning(
                        "a hint after a commit could not be sent (%s); the tick will send it", type(exc).__name__
                    )

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
