"""Per-request context: the services a resolver may use, and who is asking."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from anyio import to_thread
from sqlalchemy.orm import Session

from backend import services as core
from backend.auth.policy import Principal
from backend.auth.tokens import TokenSigner
from backend.auth.visibility import Visibility, load_visibility
from backend.delivery.notify import PopupHub
from backend.journeys.loading import JourneyCache
from backend.persistence.database import Database, UnitOfWork
from backend.queue import WorkQueue
from backend.settings import Settings

T = TypeVar("T")


@dataclass(frozen=True)
class Services:
    """Process-wide objects, built once by the app factory."""

    # The database, settings, queue, journey cache, notifier... (backend.services).
    core: core.Services
    signer: TokenSigner
    # Fans pop-up notes out to the players' open subscriptions (backend.delivery.notify).
    popups: PopupHub

    @property
    def settings(self) -> Settings:
        return self.core.settings

    @property
    def db(self) -> Database:
        return self.core.db

    @property
    def queue(self) -> WorkQueue:
        return self.core.queue

    @property
    def journeys(self) -> JourneyCache:
        return self.core.journeys


@dataclass
class AppContext:
    services: Services
    principal: Principal | None = None
    # Set when the caller authenticated with a player's token (pop-ups).
    player_user_id: int | None = None
    loaders: dict[str, Any] = field(default_factory=dict)
    request: Any = None
    response: Any = None
    # The payload of a WebSocket connection_init (graphql-transport-ws).
    connection_params: Any = None
    # What the caller may see, read once per request (backend.auth.visibility).
    _visibility: Visibility | None = None
    # (query, parsed and validated document) when the HTTP view checked the document
    # before execution (graphql_schema.document_limits.CheckedDocuments).
    prechecked: tuple[str, Any] | None = None

    @property
    def db(self) -> Database:
        return self.services.db

    @property
    def settings(self) -> Settings:
        return self.services.settings

    async def read(self, fn: Callable[[Session], T]) -> T:
        """Blocking reads run in a worker thread with their own short session."""

        def run() -> T:
            with self.services.db.read() as session:
                return fn(session)

        return await to_thread.run_sync(run)

    async def write(self, fn: Callable[[UnitOfWork], T]) -> T:
        """One unit of work in a worker thread; it commits unless `fn` raises."""

        def run() -> T:
            with self.services.db.unit_of_work() as uow:
                return fn(uow)

        return await to_thread.run_sync(run)

    def visibility(self, session: Session) -> Visibility:
        """The caller's visibility, read with the first query that needs it."""
        if self._visibility is None:
            self._visibility = load_visibility(session, self.principal)
        return self._visibility

    def loader(self, name: str, factory: Callable[[], Any]) -> Any:
        if name not in self.loaders:
            self.loaders[name] = factory()
        return self.loaders[name]
