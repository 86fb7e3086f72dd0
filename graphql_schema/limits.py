"""Query depth and cost limits, so that one request cannot load the whole database.

Depth counts nested field selections (fragments followed). Cost estimates the rows a
request may touch: every field costs the product of the page sizes of the lists
above it and its own; a list argument `first` counts as given (capped at 500), a
connection field without it as its default page of 50.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    VariableNode,
)

MAX_DEPTH = 12
MAX_COST = 100_000
CONNECTIONS = frozenset({"journeys", "entries", "users", "communications", "events"})
PAGE_CAP = 500


def _first(field: FieldNode, variables: dict[str, Any]) -> int | None:
    for arg in field.arguments or ():
        if arg.name.value in ("first",):
            if isinstance(arg.value, IntValueNode):
                return min(int(arg.value.value), PAGE_CAP)
            if isinstance(arg.value, VariableNode):
                value = variables.get(arg.value.name.value)
                return min(int(value), PAGE_CAP) if isinstance(value, int) else 50
    return 50 if field.name.value in CONNECTIONS else None


def limit_problems(document: Any, operation: Any, variables: dict[str, Any] | None) -> list[GraphQLError]:
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    variables = variables or {}
    max_depth = 0
    cost = 0

    def walk(selection_set: Any, depth: int, multiplier: int, seen: frozenset[str]) -> None:
        nonlocal max_depth, cost
        if selection_set is None or max_depth > MAX_DEPTH or cost > MAX_COST:
            return
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                if node.name.value.startswith("__"):
                    continue
                max_depth = max(max_depth, depth)
                page = _first(node, variables)
                here = multiplier * (page or 1)
                cost += here
                walk(node.selection_set, depth + 1, here, seen)
            elif isinstance(node, InlineFragmentNode):
                walk(node.selection_set, depth, multiplier, seen)
            elif isinstance(node, FragmentSpreadNode) and node.name.value not in seen:
                fragment = fragments.get(node.name.value)
                if fragment is not None:
                    walk(fragment.selection_set, depth, multiplier, seen | {node.name.value})

    walk(operation.selection_set, 1, 1, frozenset())
    problems = []
    if max_depth > MAX_DEPTH:
        problems.append(
            GraphQLError(f"the query is nested deeper than {MAX_DEPTH} levels", extensions={"code": "QUERY_TOO_DEEP"})
        )
    if cost > MAX_COST:
        problems.append(
            GraphQLError(
                f"the query could touch more than {MAX_COST:,} rows; ask for smaller pages (first) or fewer nested lists",
                extensions={"code": "QUERY_TOO_COSTLY"},
            )
        )
    return problems
