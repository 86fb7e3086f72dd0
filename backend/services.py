"""The services a worker or the API process needs, built once by the composition root
(the `questline` command's processes, the app factory) and handed down as an argument.

Nothing here is kept anywhere else: a processor gets the `Services` it runs with, so
two databases in one process (tests) never share a cache, and what a function uses
is in its signature.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from backend.delivery.channels import Channel
from backend.delivery.notify import Notifier, make_notifier
from backend.delivery.senders import CHANNELS, channel_for
from backend.journeys.loading import JourneyCache
from backend.models import utcnow
from backend.persistence.database import Database
from backend.queue import WorkQueue
from backend.settings import Settings

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Services:
    settings: Settings
    db: Database
    # Where hints go after a commit (the broker's queue, or none).
    queue: WorkQueue
    # Compiled journey versions: a published version never changes, so it is compiled once a process.
    journeys: JourneyCache
    # Carries pop-up notes from the worker that sent them to the API process holding the WebSocket.
    notifier: Notifier
    # The adapter that sends each channel's messages (EMAIL, SMS, PUSH, IVR, POPUP).
    channels: Mapping[str, Channel] = field(default_factory=dict)
    clock: Clock = utcnow

    def channel(self, name: str) -> Channel:
        return self.channels[name.upper()]


def build_services(
    settings: Settings,
    *,
    queue: WorkQueue,
    db: Database | None = None,
    notifier: Notifier | None = None,
    channels: Mapping[str, Channel] | None = None,
    clock: Clock = utcnow,
) -> Services:
    """The services of one process. A bad provider setting fails here, before any work is claimed."""
    db = db or Database(settings.database_url)
    return Services(
        settings=settings,
        db=db,
        queue=queue,
        journeys=JourneyCache(),
        notifier=notifier or make_notifier(settings, db),
        channels=dict(channels) if channels is not None else {c: channel_for(c, settings) for c in CHANNELS},
        clock=clock,
    )


def close_services(services: Services) -> None:
    """Lets go of the connections the services hold."""
    services.notifier.close()
    services.db.dispose()
