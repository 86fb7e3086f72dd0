"""The one place where every root field's access rule is written and enforced.

`ROOT_FIELD_ROLES` names, for every Query, Mutation and Subscription field, the
least role that may call it (None: no token needed). `AccessPolicy` runs before
every root resolver: no valid token gives a GraphQL error with code
UNAUTHENTICATED; a role below the rule gives FORBIDDEN (a `UserError` in the
payload for mutations, a GraphQL error otherwise). Access groups are checked by
the services, which are handed the caller's `Principal`. A test asserts that
every root field of the schema has a row here, so none can slip through.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from backend.auth.policy import Role

PUBLIC = None
A, M, AN = Role.ADMIN, Role.MANAGER, Role.ANALYST

ROOT_FIELD_ROLES: dict[str, dict[str, Role | None]] = {
    "Query": {
        "node": AN, "me": AN, "journeys": AN, "journey": AN, "entry": AN, "user": AN,
        "users": AN, "resources": AN, "communications": AN, "bonusTemplates": AN,
        "badges": AN, "missions": AN, "levels": AN, "leaderboard": AN, "operators": A,
    },
    "Mutation": {
        "login": PUBLIC,
        "createJourney": M, "updateJourney": M, "activateJourney": M, "stopJourney": M,
        "cloneJourney": M, "deleteJourney": M, "clearJourneyEntries": M, "enterJourney": M,
        "stopEntry": M, "upsertUsers": M, "trackEvents": M, "issueUserToken": M,
        # Called by the player's own client with a user token, checked by the resolver.
        "recordPopupAction": PUBLIC,
        "adjustPoints": M, "grantBonus": M,
        "createResource": M, "updateResource": M, "createBonusTemplate": M,
        "createBadge": M, "createMission": M, "setLevels": A, "createOperator": A,
    },
    "Subscription": {
        # Opened with the player's token in its argument, checked by the resolver.
        "popups": PUBLIC,
        "journeyLiveStats": AN,
    },
}

# Root fields that may run without an operator token at the HTTP level.
PUBLIC_ROOT_FIELDS = frozenset(
    name for fields in ROOT_FIELD_ROLES.values() for name, role in fields.items() if role is PUBLIC
) | {"__typename"}


def rule_for(type_name: str, field_name: str) -> Role | None:
    try:
        return ROOT_FIELD_ROLES[type_name][field_name]
    except KeyError:
        # A root field without a rule is refused rather than left open.
        return Role.ADMIN


def unauthenticated_error() -> GraphQLError:
    return GraphQLError(
        "Authentication required: send 'Authorization: Bearer <token>' (from the login mutation).",
        extensions={"code": "UNAUTHENTICATED"},
    )


def forbidden_message(role: Role, actual: Role) -> str:
    return f"needs the {role.name} role; you are {actual.name}"


class AccessPolicy(SchemaExtension):
    def on_execute(self):  # type: ignore[override]
        """Subscriptions start their generators without the resolve hook below, so
        their root fields are checked here, before anything runs."""
        ctx = self.execution_context
        if ctx.operation_type is not None and ctx.operation_type.value == "subscription":
            self._check_subscription(ctx)
        yield

    def _check_subscription(self, ctx: Any) -> None:
        from graphql import OperationDefinitionNode

        document = ctx.graphql_document
        if document is None:
            return
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        chosen = [o for o in operations if ctx.operation_name is None or (o.name and o.name.value == ctx.operation_name)]
        principal = ctx.context.principal
        for operation in chosen[:1]:
            for selection in operation.selection_set.selections:
                name = getattr(getattr(selection, "name", None), "value", "")
                if name.startswith("__"):
                    continue
                role = rule_for("Subscription", name)
                if role is PUBLIC:
                    continue
                if principal is None:
                    raise unauthenticated_error()
                if not principal.has_role(role):
                    raise GraphQLError(forbidden_message(role, principal.role), extensions={"code": "FORBIDDEN"})

    def resolve(self, _next: Callable[..., Any], root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        parent = info.parent_type.name
        if parent not in ROOT_FIELD_ROLES or info.field_name.startswith("__"):
            return _next(root, info, *args, **kwargs)
        role = rule_for(parent, info.field_name)
        if role is PUBLIC:
            return _next(root, info, *args, **kwargs)
        principal = info.context.principal
        if principal is None:
            raise unauthenticated_error()
        if not principal.has_role(role):
            message = forbidden_message(role, principal.role)
            if parent == "Mutation":
                return _forbidden_payload(info, message)
            raise GraphQLError(message, extensions={"code": "FORBIDDEN"})
        return _next(root, info, *args, **kwargs)


def _forbidden_payload(info: Any, message: str) -> Any:
    from graphql_schema.types.common import UserError

    field = info.parent_type.fields[info.field_name]
    payload_cls = field.extensions["strawberry-definition"].type
    return payload_cls(errors=[UserError(field=None, message=message, code="FORBIDDEN")])
