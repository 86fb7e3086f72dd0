"""Subscriptions over graphql-transport-ws."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

from anyio import to_thread
from graphql import GraphQLError

import strawberry
from strawberry.types import Info

from graphql_schema.ids import decode_any, decode_id
from graphql_schema.payloads import raise_not_implemented
from graphql_schema.types.delivery import Popup
from backend.reports import journey_stats as stats
from backend.reports import journeys as reads
from graphql_schema.types.journeys import StepCount

LIVE_STATS_INTERVAL = 1.0


@strawberry.type
class Subscriptions:
    @strawberry.subscription
    async def popups(self, info: Info, user_token: str) -> AsyncGenerator[Popup, None]:
        raise_not_implemented("popups")
        yield  # pragma: no cover - makes this an async generator

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
                return [StepCount(step_id=r.step_id, name=r.name, kind=r.kind, count=r.count)
                        for r in stats.live_stats(session, journey)]

        last: list[StepCount] | None = None
        while True:
            counts = await to_thread.run_sync(read)
            if counts is None:
                raise GraphQLError("no journey with that id", extensions={"code": "NOT_FOUND"})
            if counts != last:
                last = counts
                yield counts
            await asyncio.sleep(LIVE_STATS_INTERVAL)
