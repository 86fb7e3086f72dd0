"""Query depth and cost limits, so that one request cannot load the whole database.

Depth counts nested field selections (fragments followed). Cost counts the objects a
request may load, as GitHub's node limit does: every field that returns an object or a
list of objects costs the number of them it may return, times the items of the lists
above it; scalar fields cost nothing (they come with their row). A connection returns
its page (`first` or `last`, capped at 500, or its default page of 50), and its
`edges` and their `node`s are that page, not more objects; any other list of objects counts as
`first` when it takes one, or as LIST_ITEMS.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    is_list_type,
)

MAX_DEPTH = 12
MAX_COST = 100_000
PAGE_CAP = 500
DEFAULT_PAGE = 50
# A list of objects with no page argument (an entry's steps, a journey's versions):
# such lists are short, but a query can nest them, so each counts as this many.
LIST_ITEMS = 20


def _page_argument(field: FieldNode, variables: dict[str, Any]) -> int | None:
    """The largest of `first` and `last` given, capped; None when neither is."""
    sizes = []
    for arg in field.arguments or ():
        if arg.name.value not in ("first", "last"):
            continue
        value: Any = None
        if isinstance(arg.value, IntValueNode):
            value = int(arg.value.value)
        elif isinstance(arg.value, VariableNode):
            value = variables.get(arg.value.name.value)
        if isinstance(value, int):
            sizes.append(min(max(value, 0), PAGE_CAP))
    return max(sizes) if sizes else None


def _is_page_part(parent: GraphQLNamedType) -> bool:
    """A connection's edges and an edge's node are the page already counted."""
    return parent.name.endswith(("Connection", "Edge"))


def _items(field: FieldNode, definition: GraphQLField, variables: dict[str, Any]) -> int:
    """How many objects the field may return for one parent; 0 for a scalar field."""
    returned = get_named_type(definition.type)
    if not is_composite_type(returned):
        return 0
    given = _page_argument(field, variables)
    if returned.name.endswith("Connection"):
        return DEFAULT_PAGE if given is None else given
    if not is_list_type(get_nullable_type(definition.type)):
        return 1
    return LIST_ITEMS if given is None else given


class _Walk:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode], variables: dict[str, Any]):
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.max_depth = 0
        self.cost = 0

    def over(self) -> bool:
        return self.max_depth > MAX_DEPTH or self.cost > MAX_COST

    def selections(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLNamedType,
        depth: int,
        multiplier: int,
        seen: frozenset[str],
    ) -> None:
        for node in selection_set.selections if selection_set is not None else ():
            if self.over():
                return
            if isinstance(node, FieldNode):
                self.field(node, parent, depth, multiplier, seen)
            elif isinstance(node, InlineFragmentNode):
                self.selections(node.selection_set, self._condition(node, parent), depth, multiplier, seen)
            elif isinstance(node, FragmentSpreadNode) and node.name.value not in seen:
                fragment = self.fragments.get(node.name.value)
                if fragment is not None:
                    seen = seen | {node.name.value}
                    self.selections(fragment.selection_set, self._condition(fragment, parent), depth, multiplier, seen)

    def _condition(
        self, node: InlineFragmentNode | FragmentDefinitionNode, parent: GraphQLNamedType
    ) -> GraphQLNamedType:
        if node.type_condition is None:
            return parent
        return self.schema.get_type(node.type_condition.name.value) or parent

    def field(
        self, node: FieldNode, parent: GraphQLNamedType, depth: int, multiplier: int, seen: frozenset[str]
    ) -> None:
        if node.name.value.startswith("__"):
            return
        self.max_depth = max(self.max_depth, depth)
        fields = getattr(parent, "fields", {})
        definition = fields.get(node.name.value)
        if definition is None:  # not in the schema: validation refuses it
            return
        returned = get_named_type(definition.type)
        if _is_page_part(parent):
            self.selections(node.selection_set, returned, depth + 1, multiplier, seen)
            return
        here = multiplier * _items(node, definition, self.variables)
        self.cost += here
        if here:
            self.selections(node.selection_set, returned, depth + 1, here, seen)


def _root_type(schema: GraphQLSchema, operation: OperationDefinitionNode) -> GraphQLObjectType | None:
    return {
        "query": schema.query_type,
        "mutation": schema.mutation_type,
        "subscription": schema.subscription_type,
    }[operation.operation.value]


def limit_problems(
    schema: GraphQLSchema, document: Any, operation: OperationDefinitionNode, variables: dict[str, Any] | None
) -> list[GraphQLError]:
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    walk = _Walk(schema, fragments, variables or {})
    root = _root_type(schema, operation)
    if root is not None:
        walk.selections(operation.selection_set, root, 1, 1, frozenset())
    problems = []
    if walk.max_depth > MAX_DEPTH:
        problems.append(
            GraphQLError(f"the query is nested deeper than {MAX_DEPTH} levels", extensions={"code": "QUERY_TOO_DEEP"})
        )
    if walk.cost > MAX_COST:
        problems.append(
            GraphQLError(
                f"the query could load more than {MAX_COST:,} objects (list items count, each times the lists "
                "above it); ask for smaller pages (first) or fewer nested lists",
                extensions={"code": "QUERY_TOO_COSTLY"},
            )
        )
    return problems
