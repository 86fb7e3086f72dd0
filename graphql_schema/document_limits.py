"""Bounds on a GraphQL document, checked before and while it is parsed, so one request
cannot hold the server with a huge document (thousands of aliases, megabytes of
`__typename`): its size in characters, its tokens (the parser stops at the limit), and
its field selections (each alias counts, fragments as often as they are spread).

A caller without an operator token may only log in or follow a player's pop-ups, so
their documents are held to far smaller bounds than an operator's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    parse,
)
from graphql.error import GraphQLSyntaxError
from strawberry.extensions import SchemaExtension


@dataclass(frozen=True)
class DocumentLimits:
    max_characters: int
    max_tokens: int
    max_fields: int
    # Root fields of one operation, aliases included (each is resolved on its own).
    max_root_fields: int


FOR_OPERATORS = DocumentLimits(max_characters=64 * 1024, max_tokens=10_000, max_fields=5_000, max_root_fields=50)
WITHOUT_TOKEN = DocumentLimits(max_characters=8 * 1024, max_tokens=1_000, max_fields=200, max_root_fields=5)


def too_large(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "DOCUMENT_TOO_LARGE"})


def parse_bounded(query: str, limits: DocumentLimits) -> DocumentNode:
    """The parsed document, or a GraphQLError (a syntax error, or DOCUMENT_TOO_LARGE)."""
    if len(query) > limits.max_characters:
        raise too_large(f"the document has more than {limits.max_characters:,} characters")
    try:
        return parse(query, max_tokens=limits.max_tokens)
    except GraphQLSyntaxError as exc:
        if "tokens. Parsing aborted" in exc.message:
            raise too_large(f"the document has more than {limits.max_tokens:,} tokens") from None
        if "nested too deeply" in exc.message:
            raise too_large("the document is nested too deeply") from None
        raise
    except RecursionError:
        raise too_large("the document is nested too deeply") from None


def selection_problems(document: DocumentNode, limits: DocumentLimits) -> list[GraphQLError]:
    """Too many root fields in an operation, or too many field selections in all."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    counted = 0

    def count(selection_set: Any, spreads: frozenset[str]) -> None:
        nonlocal counted
        for node in selection_set.selections if selection_set else ():
            if counted > limits.max_fields:
                return
            if isinstance(node, FieldNode):
                counted += 1
                count(node.selection_set, spreads)
            elif isinstance(node, InlineFragmentNode):
                count(node.selection_set, spreads)
            elif isinstance(node, FragmentSpreadNode) and node.name.value not in spreads:
                fragment = fragments.get(node.name.value)
                if fragment is not None:
                    count(fragment.selection_set, spreads | {node.name.value})

    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            roots = _root_fields(definition, fragments)
            if len(roots) > limits.max_root_fields:
                return [too_large(f"an operation may select at most {limits.max_root_fields} root fields")]
            if definition.operation.value == "mutation" and roots.count("login") > 1:
                return [one_login_only()]
            count(definition.selection_set, frozenset())
    if counted > limits.max_fields:
        return [too_large(f"the document selects more than {limits.max_fields:,} fields")]
    return []


def one_login_only() -> GraphQLError:
    """Each login is one password tried: several in one request would dodge the throttle's pace."""
    return GraphQLError(
        "a request may log in at most once: send one `login` field", extensions={"code": "ONE_LOGIN_PER_REQUEST"}
    )


def _root_fields(operation: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode]) -> list[str]:
    """The names of the root fields an operation selects, once per alias (fragments once)."""
    names: list[str] = []
    pending = list(operation.selection_set.selections)
    spread: set[str] = set()
    while pending:
        node = pending.pop()
        if isinstance(node, FieldNode):
            names.append(node.name.value)
        elif isinstance(node, InlineFragmentNode):
            pending.extend(node.selection_set.selections)
        elif isinstance(node, FragmentSpreadNode) and node.name.value in fragments and node.name.value not in spread:
            spread.add(node.name.value)
            pending.extend(fragments[node.name.value].selection_set.selections)
    return names


# Stands in for a document refused before parsing, so that execution stops at validation
# with the refusal (an extension can report errors there, not while parsing).
_REFUSED = parse("{ __typename }")


class CheckedDocuments(SchemaExtension):
    """Hands execution the document the HTTP view already parsed and validated (in a
    worker thread), so it is not parsed again; a document that comes another way (a
    WebSocket subscribe message) is parsed here within the same bounds."""

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        self._refusal: list[GraphQLError] = []
        prechecked = getattr(ctx.context, "prechecked", None)
        if prechecked is not None and prechecked[0] == ctx.query:
            ctx.graphql_document = prechecked[1]
        elif ctx.query is not None and ctx.graphql_document is None:
            has_operator = getattr(ctx.context, "principal", None) is not None
            limits = FOR_OPERATORS if has_operator else WITHOUT_TOKEN
            try:
                ctx.graphql_document = parse_bounded(ctx.query, limits)
                self._refusal = selection_problems(ctx.graphql_document, limits)
            except GraphQLError as exc:
                ctx.graphql_document, self._refusal = _REFUSED, [exc]
        yield

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        prechecked = getattr(ctx.context, "prechecked", None)
        if self._refusal:
            ctx.pre_execution_errors = self._refusal
        elif prechecked is not None and prechecked[1] is ctx.graphql_document:
            ctx.pre_execution_errors = []  # validated before execution began
        yield
