"""Queries generated from the served schema: from a root field, every object field
below it, so that a test can ask for everything a caller may reach."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
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


# Placeholder values of scalars, for arguments a test does not name itself.
SCALAR_PLACEHOLDERS = {
    "String": '"x"',
    "ID": '"x"',
    "Int": "1",
    "Float": "1.5",
    "Boolean": "true",
    "JSON": "{}",
    "DateTime": '"2026-01-01T00:00:00Z"',
}


def placeholder(type_: Any, name: str, given: dict[str, str]) -> str:
    """A GraphQL literal of `type_` for an argument (or input field) called `name`: the
    test's own value when `given` names it, otherwise the least valid value (required
    input fields only, one item a list, the first value of an enum)."""
    if name in given:
        return given[name]
    if isinstance(type_, GraphQLNonNull):
        return placeholder(type_.of_type, name, given)
    if isinstance(type_, GraphQLList):
        return f"[{placeholder(type_.of_type, name, given)}]"
    if isinstance(type_, GraphQLInputObjectType):
        fields = [
            f"{n}: {placeholder(f.type, n, given)}"
            for n, f in type_.fields.items()
            if isinstance(f.type, GraphQLNonNull) and f.default_value is Undefined
        ]
        return "{" + ", ".join(fields) + "}"
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    return SCALAR_PLACEHOLDERS.get(type_.name, '"x"')


def root_call(schema: GraphQLSchema, operation: str, name: str, given: dict[str, str]) -> str:
    """A document calling one root field with its required arguments, selecting its
    scalars (and a payload's `errors { code }`)."""
    root = schema.mutation_type if operation == "mutation" else schema.query_type
    assert root is not None
    field = root.fields[name]
    args = ", ".join(f"{a}: {placeholder(field.args[a].type, a, given)}" for a in required_args(field))
    call = f"{name}({args})" if args else name
    inner = get_named_type(field.type)
    if isinstance(inner, GraphQLObjectType):
        scalars = [n for n, f in inner.fields.items() if not _is_object(f) and not required_args(f)]
        below = " ".join(scalars + (["errors { code }"] if "errors" in inner.fields else []))
        call += f" {{ __typename {below} }}"
    elif isinstance(inner, (GraphQLInterfaceType, GraphQLUnionType)):
        call += " { __typename }"
    return f"{operation} {{ {call} }}"


def _is_object(field: GraphQLField) -> bool:
    return isinstance(get_named_type(field.type), (GraphQLObjectType, GraphQLInterfaceType, GraphQLUnionType))


def object_fields(schema: GraphQLSchema) -> set[str]:
    """`Type.field` of every field that loads a stored object (a Node, or a connection
    of them) from an object that is not a root, a payload or a connection's wrapper."""
    roots = {t.name for t in (schema.query_type, schema.mutation_type, schema.subscription_type) if t}
    found = set()
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__") or type_.name in roots:
            continue
        if type_.name.endswith(("Payload", *WRAPPER_SUFFIXES)):
            continue
        for name, field in type_.fields.items():
            inner = get_named_type(field.type)
            loads = isinstance(inner, GraphQLObjectType) and (
                any(i.name == "Node" for i in inner.interfaces) or inner.name.endswith("Connection")
            )
            if loads:
                found.add(f"{type_.name}.{name}")
    return found


def selected_fields(schema: GraphQLSchema, query: str) -> set[str]:
    """`Type.field` of every field a document selects."""
    from graphql import TypeInfo, TypeInfoVisitor, Visitor, parse, visit

    type_info = TypeInfo(schema)
    found: set[str] = set()

    class Collect(Visitor):
        def enter_field(self, node: Any, *_: Any) -> None:
            parent = type_info.get_parent_type()
            if parent is not None:
                found.add(f"{parent.name}.{node.name.value}")

    visit(parse(query), TypeInfoVisitor(type_info, Collect()))
    return found
