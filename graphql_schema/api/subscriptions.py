"""Subscriptions over graphql-transport-ws."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

import strawberry
from anyio import to_thread
from graphql import GraphQLError
from strawberry.types import Info

from backend.delivery.popups import pending_popups, popups_by_ids
from backend.models import utcnow
from backend.reports import journey_stats as stats
from backend.reports import journeys as reads
from graphql_schema.ids import decode_any, decode_id, encode_id
from graphql_schema.types.delivery import Popup
from graphql_schema.types.journey_reports import StepCount

LIVE_STATS_INTERVAL = 1.0
# How often an open pop-up subscription reads the database besides the pushed notes.
POPUP_CATCH_UP_SECONDS = 10.0


@strawberry.type
class Subscriptions:
    @strawberry.subscription
    async def popups(self, info: Info, user_token: str) -> AsyncGenerator[Popup, None]:
        """The player's pop-ups: those waiting for them first, then each one as it is
        sent (pushed by the notifier, with a read of the database now and then in case
        a note was lost)."""
        services = info.context.services
        user_id = services.signer.read_user_token(user_token)
        if user_id is None:
            raise GraphQLError(
                "a valid user token (from issueUserToken) is required", extensions={"code": "UNAUTHENTICATED"}
            )

        def read(ids: list[int] | None) -> list[Popup]:
            with services.db.read() as session:
                rows = (
                    pending_popups(session, user_id, utcnow()) if ids is None else popups_by_ids(session, user_id, ids)
                )
                return [
                    Popup(
                        communication_id=strawberry.ID(encode_id("Communication", c.id)),
                        title=c.subject,
                        body=c.body or "",
                        sent_at=c.sent_at or c.queued_at,
                    )
                    for c in rows
                ]

        notes = services.popups.subscribe(user_id)
        try:
            given: set[str] = set()
            named: list[int] | None = None  # None: read every waiting pop-up
            while True:
                for popup in await to_thread.run_sync(read, named):
                    if popup.communication_id not in given:
                        given.add(popup.communication_id)
                        yield popup
                try:
                    named = [await asyncio.wait_for(notes.get(), timeout=POPUP_CATCH_UP_SECONDS)]
                except TimeoutError:
                    named = None
                    continue
                while not notes.empty():
                    named.append(notes.get_nowait())
        finally:
            services.popups.unsubscribe(user_id, notes)

    @strawberry.subscription
    async def journey_live_stats(self, info: Info, journey_id: strawberry.ID) -> AsyncGenerator[list[StepCount], None]:
        """The counts now, then again whenever they change, read at most once a second
        (one grouped query on the (journey, status, step) index per subscriber)."""
        pk = decode_id(journey_id, "Journey", ["journeyId"]) if decode_any(journey_id) else -1
        principal = info.context.principal

        def read() -> list[StepCount] | None:
            with info.context.db.read() as session:
                journey = reads.visible_journey(session, principal, pk)
                if journey is None:
                    return None
                return [
                    StepCount(step_id=r.step_id, name=r.name, kind=r.kind, count=r.count)
                    for r in stats.live_stats(session, journey)
                ]

        last: list[StepCount] | None = None
        while True:
            counts = await to_thread.run_sync(read)
            if counts is None:
                raise GraphQLError("no journey with that id", extensions={"code": "NOT_FOUND"})
            if counts != last:
                last = counts
                yield counts
            await asyncio.sleep(LIVE_STATS_INTERVAL)
