"""Queries generated from the served schema: from a root field, every object field
below it, so that a test can ask for everything a caller may reach."""

from __future__ import annotations

from collections.abc import Callable

from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
)
from graphql.pyutils import Undefined

from graphql_schema.schema import build_schema

# Wrappers of a list that do not count as a hop between objects.
WRAPPER_SUFFIXES = ("Connection", "Edge")
PAGE = 2


def served_schema() -> GraphQLSchema:
    return build_schema()._schema


def required_args(field: GraphQLField) -> list[str]:
    return [
        name
        for name, arg in field.args.items()
        if isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined
    ]


def _arguments(field: GraphQLField) -> str:
    return f"(first: {PAGE})" if "first" in field.args else ""


def selection(
    schema: GraphQLSchema, type_name: str, hops: int, path: frozenset[str] = frozenset(), alias: bool = False
) -> str:
    """Every field of `type_name` that needs no argument: scalars as such, objects
    followed for `hops` more objects, never through a type already on the path. Fields
    of the possible types of an interface are aliased by type, so they never conflict."""
    named = schema.get_type(type_name)
    if isinstance(named, (GraphQLInterfaceType, GraphQLUnionType)):
        possible = schema.get_possible_types(named)
        return "__typename " + " ".join(
            f"... on {t.name} {{ {selection(schema, t.name, hops, path, alias=True)} }}" for t in possible
        )
    assert isinstance(named, GraphQLObjectType), type_name
    parts = ["__typename"]
    for name, field in named.fields.items():
        if required_args(field):
            continue
        key = f"{type_name}_{name}: {name}" if alias else name
        inner = get_named_type(field.type)
        if not isinstance(inner, (GraphQLObjectType, GraphQLInterfaceType, GraphQLUnionType)):
            parts.append(key)
            continue
        wrapper = inner.name.endswith(WRAPPER_SUFFIXES)
        if inner.name in path or (hops <= 0 and not wrapper):
            continue
        below = selection(schema, inner.name, hops if wrapper else hops - 1, path | {type_name})
        parts.append(f"{key}{_arguments(field)} {{ {below} }}")
    return " ".join(parts)


def root_queries(
    schema: GraphQLSchema, hops: int, arguments_for: Callable[[str, GraphQLField], list[str] | None]
) -> list[tuple[str, str]]:
    """(root field, query) for every Query field; `arguments_for` gives the argument
    lists to try for a field (e.g. `id: "..."`), or None to leave the field out."""
    queries = []
    assert schema.query_type is not None
    for name, field in schema.query_type.fields.items():
        tries = arguments_for(name, field)
        if tries is None:
            continue
        inner = get_named_type(field.type)
        for args in tries:
            given = ", ".join(a for a in (args, f"first: {PAGE}" if "first" in field.args else "") if a)
            call = f"{name}({given})" if given else name
            if isinstance(inner, (GraphQLObjectType, GraphQLInterfaceType, GraphQLUnionType)):
                queries.append((name, f"{{ {call} {{ {selection(schema, inner.name, hops)} }} }}"))
            else:
                queries.append((name, f"{{ {call} }}"))
    return queries
