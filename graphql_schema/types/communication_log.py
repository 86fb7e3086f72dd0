"""The communication log's page of rows, shared by the top-level and per-journey fields."""

from __future__ import annotations

from typing import Any

from backend.models import Communication as CommunicationModel
from backend.reports import journey_stats
from backend.reports.journeys import communications_query
from graphql_schema.types.pagination import Page, PageRequest, page_by_id_desc


async def communication_page(
    info: Any,
    request: PageRequest,
    *,
    journey_id: int | None,
    resource_name: str | None,
    channel: Any,
    status: Any,
    period: Any,
    search: str | None,
) -> Page:
    since, _ = journey_stats.window(period.value if period else None, None, None)
    principal = info.context.principal

    def load(session: Any) -> Any:
        stmt = communications_query(
            session,
            principal,
            journey_id=journey_id,
            resource_name=resource_name,
            channel=channel.value if channel else None,
            status=status.value if status else None,
            since=since,
            search=search,
        )
        return page_by_id_desc(session, stmt, CommunicationModel.id, request)

    return await info.context.read(load)
