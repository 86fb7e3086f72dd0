"""Per-request DataLoaders: related rows come in one query per kind, never lazily.

Every row a loader hands out has passed the caller's visibility
(backend.auth.visibility), so an object reached through any field is one the caller
may see: a row they may not see is answered as missing (None, or left out of a list).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from strawberry.dataloader import DataLoader

from backend.models import Resource as ResourceModel
from graphql_schema.context import AppContext


def by_id(ctx: AppContext, model: Any) -> DataLoader[int, Any]:
    """Rows of `model` by primary key (None for a missing or hidden one)."""

    def factory() -> DataLoader[int, Any]:
        async def load(keys: list[int]) -> list[Any]:
            def query(session: Any) -> dict[int, Any]:
                rows = session.scalars(select(model).where(model.id.in_(keys)))
                return {row.id: row for row in ctx.visibility(session).keep(list(rows))}

            found = await ctx.read(query)
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    return ctx.loader(f"by_id:{model.__tablename__}", factory)


def children(
    ctx: AppContext, model: Any, parent_column: str, order_column: str = "id", newest_first: bool = False
) -> DataLoader[int, list[Any]]:
    """Visible rows of `model` grouped by a parent id, in `order_column` order."""

    def factory() -> DataLoader[int, list[Any]]:
        async def load(keys: list[int]) -> list[list[Any]]:
            def query(session: Any) -> dict[int, list[Any]]:
                col, order = getattr(model, parent_column), getattr(model, order_column)
                stmt = select(model).where(col.in_(keys)).order_by(order.desc() if newest_first else order)
                grouped: dict[int, list[Any]] = defaultdict(list)
                for row in ctx.visibility(session).keep(list(session.scalars(stmt))):
                    grouped[getattr(row, parent_column)].append(row)
                return grouped

            found = await ctx.read(query)
            return [found.get(k, []) for k in keys]

        return DataLoader(load_fn=load)

    direction = "desc" if newest_first else "asc"
    return ctx.loader(f"children:{model.__tablename__}:{parent_column}:{order_column}:{direction}", factory)


def used_resource(ctx: AppContext) -> DataLoader[int, Any]:
    """Resources by id as a communication (or a journey's channel report) the caller may
    see uses them: the message was made from that text, so it is shown even when the
    resource itself belongs to groups the caller is not in (listing, `node` and editing
    still follow the resource's own groups)."""

    def factory() -> DataLoader[int, Any]:
        async def load(keys: list[int]) -> list[Any]:
            def query(session: Any) -> dict[int, Any]:
                return {r.id: r for r in session.scalars(select(ResourceModel).where(ResourceModel.id.in_(keys)))}

            found = await ctx.read(query)
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    return ctx.loader("used_resource", factory)
