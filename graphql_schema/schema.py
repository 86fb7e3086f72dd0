"""The served schema: root types merged from one module per area."""
from __future__ import annotations

import strawberry
from strawberry.tools import merge_types

from graphql_schema.api.auth import AuthMutation, AuthQuery
from graphql_schema.permissions import AccessPolicy

QUERY_PARTS: tuple[type, ...] = (AuthQuery,)
MUTATION_PARTS: tuple[type, ...] = (AuthMutation,)
SUBSCRIPTION_PARTS: tuple[type, ...] = ()


def build_schema() -> strawberry.Schema:
    query = merge_types("Query", QUERY_PARTS)
    mutation = merge_types("Mutation", MUTATION_PARTS)
    subscription = merge_types("Subscription", SUBSCRIPTION_PARTS) if SUBSCRIPTION_PARTS else None
    return strawberry.Schema(
        query=query,
        mutation=mutation,
        subscription=subscription,
        extensions=[AccessPolicy],
    )


def schema_sdl() -> str:
    return build_schema().as_str()
