"""The served schema: root types merged from one module per area."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from graphql_schema.api.auth import AuthMutation, AuthQuery
from graphql_schema.api.catalog import CatalogMutation, CatalogQuery
from graphql_schema.api.journeys import JourneyMutation, JourneyQuery
from graphql_schema.api.nodes import NodeQuery
from graphql_schema.api.subscriptions import Subscriptions
from graphql_schema.api.users import UserMutation, UserQuery
from graphql_schema.document_limits import CheckedDocuments
from graphql_schema.error_codes import ErrorCodes, log_client_errors
from graphql_schema.permissions import AccessPolicy

QUERY_PARTS: tuple[type, ...] = (NodeQuery, AuthQuery, JourneyQuery, UserQuery, CatalogQuery)
MUTATION_PARTS: tuple[type, ...] = (AuthMutation, JourneyMutation, UserMutation, CatalogMutation)
SUBSCRIPTION_PARTS: tuple[type, ...] = (Subscriptions,)


class QuestlineSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Instead of strawberry's ERROR with a traceback for every error in a result."""
        log_client_errors(errors)


def build_schema() -> strawberry.Schema:
    query = merge_types("Query", QUERY_PARTS)
    mutation = merge_types("Mutation", MUTATION_PARTS)
    subscription = merge_types("Subscription", SUBSCRIPTION_PARTS) if SUBSCRIPTION_PARTS else None
    return QuestlineSchema(
        query=query,
        mutation=mutation,
        subscription=subscription,
        extensions=[CheckedDocuments, AccessPolicy, ErrorCodes],
    )


def schema_sdl() -> str:
    return build_schema().as_str()
