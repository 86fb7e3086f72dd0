"""Subscriptions over graphql-transport-ws."""
from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from graphql_schema.payloads import raise_not_implemented
from graphql_schema.types.delivery import Popup
from graphql_schema.types.journeys import StepCount


@strawberry.type
class Subscriptions:
    @strawberry.subscription
    async def popups(self, info: Info, user_token: str) -> AsyncGenerator[Popup, None]:
        raise_not_implemented("popups")
        yield  # pragma: no cover - makes this an async generator

    @strawberry.subscription
    async def journey_live_stats(self, info: Info, journey_id: strawberry.ID) -> AsyncGenerator[list[StepCount], None]:
        raise_not_implemented("journeyLiveStats")
        yield  # pragma: no cover
