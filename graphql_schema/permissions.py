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

from collections.abc import Callable, Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from backend.auth.policy import Role
from backend.text_checks import camel, unstorable_at

PUBLIC = None
A, M, AN = Role.ADMIN, Role.MANAGER, Role.ANALYST

ROOT_FIELD_ROLES: dict[str, dict[str, Role | None]] = {
    "Query": {
        "node": AN,
        "me": AN,
        "journeys": AN,
        "journey": AN,
        "entry": AN,
        "user": AN,
        "users": AN,
        "resources": AN,
        "previewResource": AN,
        "communications": AN,
        "bonusTemplates": AN,
        "badges": AN,
        "missions": AN,
        "levels": AN,
        "leaderboard": AN,
        "operators": A,
        "previewJourney": AN,
        "validateJourney": AN,
        "previewSegment": AN,
    },
    "Mutation": {
        "login": PUBLIC,
        "createJourney": M,
        "updateJourney": M,
        "saveJourneyLayout": M,
        "activateJourney": M,
        "stopJourney": M,
        "cloneJourney": M,
        "deleteJourney": M,
        "clearJourneyEntries": M,
        "enterJourney": M,
        "stopEntry": M,
        "upsertUsers": M,
        "trackEvents": M,
        "issueUserToken": M,
        # Called by the player's own client with a user token, checked by the resolver.
        "recordPopupAction": PUBLIC,
        "adjustPoints": M,
        "grantBonus": M,
        "createResource": M,
        "updateResource": M,
        "createBonusTemplate": M,
        "createBadge": M,
        "createMission": M,
        "setLevels": A,
        "createOperator": A,
    },
    "Subscription": {
        # Opened with the player's token in its argument, checked by the resolver.
        "popups": PUBLIC,
        "journeyLiveStats": AN,
    },
}


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


# What a caller without an operator token (a player's client with its user token, or
# nobody) may select below the public root fields: the login answer, and a player's own
# pop-up as scalars. A pop-up's user, entry, journey or resource would lead on to other
# players' data, so they need an operator token like everything else.
WITHOUT_OPERATOR: dict[str, frozenset[str] | None] = {
    "LoginPayload": None,
    "Operator": None,
    "UserError": None,
    "CommunicationPayload": None,
    "Popup": None,
    "Communication": frozenset(
        {
            "id",
            "channel",
            "status",
            "error",
            "queuedAt",
            "sentAt",
            "deliveredAt",
            "firstOpenAt",
            "machineOpened",
            "firstClickAt",
            "lastAction",
            "clickCount",
        }
    ),
    **{root: frozenset(n for n, role in fields.items() if role is PUBLIC) for root, fields in ROOT_FIELD_ROLES.items()},
}


def fields_needing_an_operator(schema: Any, document: Any, operation_name: str | None) -> list[str]:
    """`Type.field` of every selection of the chosen operation (and of the fragments)
    that a caller without an operator token may not make."""
    from graphql import OperationDefinitionNode, TypeInfo, TypeInfoVisitor, Visitor, visit

    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = (
        next((o for o in operations if o.name and o.name.value == operation_name), None)
        if operation_name
        else (operations[0] if len(operations) == 1 else None)
    )
    type_info = TypeInfo(schema)
    refused: list[str] = []

    class Check(Visitor):
        def enter_operation_definition(self, node: Any, *_: Any) -> Any:
            return None if node is chosen else Visitor.SKIP

        def enter_field(self, node: Any, *_: Any) -> None:
            parent, name = type_info.get_parent_type(), node.name.value
            if parent is None or name == "__typename":
                return
            allowed = WITHOUT_OPERATOR.get(parent.name, frozenset())
            if allowed is not None and name not in allowed:
                refused.append(f"{parent.name}.{name}")

    visit(document, TypeInfoVisitor(type_info, Check()))
    return refused


class AccessPolicy(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        """Before anything runs: what a caller without an operator token selects (on any
        transport, WebSocket included), and the root fields of subscriptions, whose
        generators start without the resolve hook below."""
        ctx = self.execution_context
        if ctx.context.principal is None and ctx.graphql_document is not None:
            refused = fields_needing_an_operator(ctx.schema._schema, ctx.graphql_document, ctx.operation_name)
            if refused:
                raise GraphQLError(
                    f"{', '.join(sorted(set(refused)))} need an operator token; a player's token "
                    "opens only its own pop-ups",
                    extensions={"code": "UNAUTHENTICATED"},
                )
        if ctx.operation_type is not None and ctx.operation_type.value == "subscription":
            self._check_subscription(ctx)
        yield

    def _check_subscription(self, ctx: Any) -> None:
        from graphql import OperationDefinitionNode

        document = ctx.graphql_document
        if document is None:
            return
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        chosen = [
            o for o in operations if ctx.operation_name is None or (o.name and o.name.value == ctx.operation_name)
        ]
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
        if role is not PUBLIC:
            principal = info.context.principal
            if principal is None:
                raise unauthenticated_error()
            if not principal.has_role(role):
                return _refuse(info, "FORBIDDEN", forbidden_message(role, principal.role))
        # What no database can store is refused here, for every root field, before any
        # service sees it (it would otherwise come back as a database error).
        bad = unstorable_at(kwargs)
        if bad is not None:
            path = [camel(bad[0]), *bad[1:]] if bad else []
            return _refuse(
                info,
                "INVALID_INPUT",
                f"{'.'.join(path)} holds what cannot be stored: a NUL character, a lone surrogate, NaN or Infinity",
                path,
            )
        return _next(root, info, *args, **kwargs)


def _refuse(info: Any, code: str, message: str, field: list[str] | None = None) -> Any:
    """A mutation answers with its payload's errors (it wrote nothing); a query with a GraphQL error."""
    if info.parent_type.name != "Mutation":
        raise GraphQLError(message, extensions={"code": code})
    from graphql_schema.types.common import UserError

    payload_cls = info.parent_type.fields[info.field_name].extensions["strawberry-definition"].type
    return payload_cls(errors=[UserError(field=field, message=message, code=code)])
