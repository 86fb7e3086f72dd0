"""Message templates: `{{ user.* }}`, `{{ event.properties.* }}` and `{{ entry.* }}` filled in
by a sandboxed Jinja environment.

Resources are written by operators, so they render in Jinja's immutable sandbox: no
attribute of a Python object outside the data handed in, no mutation, no huge
products. A missing value renders as nothing (a user without a username gets
"Hello ," rather than a failed send); anything else that goes wrong (a template that
does not parse, a sum of a text and a number, a refused operation) is a
`TemplateFailure` whose text fails that one communication. HTML bodies escape every
value put into them, so a player's attribute cannot inject markup into an email.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Mapping
from typing import Any

from jinja2 import ChainableUndefined, TemplateError, nodes
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.filters import sync_do_join
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import pass_eval_context
from jinja2.visitor import NodeTransformer

from backend.delivery import template_budget as budget
from backend.delivery.template_budget import MAX_OUTPUT, MAX_PRODUCT, TemplateFailure, size_of

__all__ = ["MAX_OUTPUT", "MAX_PRODUCT", "TemplateFailure", "problem", "render"]

# A width in a format string ('%30000000d', '{:>30000000}') would build a huge text at once.
_LONG_NUMBER = re.compile(r"\d{6,}")


def _num(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _len(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 0


def _check_sizes(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if abs(_num(value)) > MAX_PRODUCT:
            raise TemplateFailure(f"a number used as a size in this template is over {MAX_PRODUCT:,}")


def _grown(value: Any, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    """What an operation that makes text longer would make, worked out before it runs."""
    if not isinstance(value, str):
        return size_of(value)
    if name == "replace" and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        return len(value) + (value.count(old) if old else len(value) + 1) * max(len(new) - len(old), 0)
    if name == "indent":
        width = args[0] if args else kwargs.get("width", 4)
        return len(value) + (value.count("\n") + 1) * (len(width) if isinstance(width, str) else int(_num(width)))
    if name in ("format", "format_map", "%") and _LONG_NUMBER.search(value):
        return MAX_OUTPUT + 1
    return len(value)


def _plain_args(args: tuple[Any, ...]) -> list[Any]:
    """A filter's arguments without the environment, context or eval context Jinja hands
    first to the filters that ask for it."""
    return [a for a in args if not hasattr(a, "environment") and not isinstance(a, ImmutableSandboxedEnvironment)]


def _guarded(name: str, fn: Any) -> Any:
    """A filter that refuses what would build a text too long, before building it."""

    @functools.wraps(fn)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        plain = _plain_args(args)
        _check_sizes(tuple(plain[1:]), kwargs)
        grown = _grown(plain[0], name, tuple(plain[1:]), kwargs) if plain else 0
        if grown > MAX_OUTPUT:
            raise TemplateFailure(f"the '{name}' in this template would make a text over {MAX_OUTPUT:,} characters")
        budget.spend(chars=grown)
        return fn(*args, **kwargs)

    return guarded


@pass_eval_context
def _join(eval_ctx: Any, value: Any, d: str = "", attribute: str | int | None = None) -> str:
    """The `join` filter, reading its items with a bound on the joined length."""
    _check_sizes((d,), {})
    return sync_do_join(eval_ctx, budget.taken(value, str(d)), d, attribute)


def _finalize(value: Any) -> Any:
    """What `{{ ... }}` prints: nothing for a value that is not there (None or missing),
    and never a value whose text would be too long."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) or (isinstance(value, str) and len(value) <= MAX_OUTPUT):
        return value
    if size_of(value) > MAX_OUTPUT:
        raise TemplateFailure(f"a value printed by this template is longer than {MAX_OUTPUT:,} characters")
    return value


class _Budgeted(NodeTransformer):
    """Rewrites a parsed template so that every loop round spends from the render's budget
    (through a name a template cannot rebind: it is imported, not looked up)."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Call(
            nodes.ImportedName(f"{budget.__name__}.counted"), [node.iter], [], None, None, lineno=node.lineno
        )
        return node


class _CheckedConcat(CodeGenerator):
    """`a ~ b` compiled to the budget's checked joins rather than Jinja's own."""

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            self.write("(environment.joined_markup if context.eval_ctx.volatile else environment.joined)(")
        else:
            self.write(f"environment.{'joined_markup' if frame.eval_ctx.autoescape else 'joined'}(")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(")")


class _Sandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset(["*", "**", "%"])
    code_generator_class = _CheckedConcat
    joined = staticmethod(budget.joined)
    joined_markup = staticmethod(budget.joined_markup)

    def __init__(self, **options: Any):
        super().__init__(finalize=_finalize, **options)
        self.filters = {name: _guarded(name, fn) for name, fn in self.filters.items()}
        self.filters["join"] = _join

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree: nodes.Template = _Budgeted().visit(super()._parse(source, name, filename))
        return tree

    def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
        if op == "**" and (abs(_num(right)) > 64 or abs(_num(left)) > 2**32):
            raise TemplateFailure("the power in this template is too large")
        if op == "*":
            size = max(_len(left) * _num(right), _len(right) * _num(left))
            if size > MAX_PRODUCT:
                raise TemplateFailure(f"a repetition in this template would make {int(size):,} items")
            budget.spend(chars=int(size))
            return operator.mul(left, right)
        if op == "%" and isinstance(left, str) and _grown(left, "%", (), {}) > MAX_OUTPUT:
            raise TemplateFailure("a width in this template's format is too large")
        return super().call_binop(context, op, left, right)

    def wrap_str_format(self, value: Any) -> Any:
        """str.format and format_map, which the sandbox wraps when they are read."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None or not _LONG_NUMBER.search(value.__self__):
            return wrapped
        raise TemplateFailure("a width in this template's format is too large")

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Methods of the data (str.ljust, str.join, range), macros and `loop(...)` of a
        recursive loop: the same limits as filters, and a step of the budget each."""
        _check_sizes(args, kwargs)
        owner, name = getattr(__obj, "__self__", None), getattr(__obj, "__name__", "")
        if isinstance(owner, str) and name == "join" and args:
            args = (budget.taken(args[0], owner), *args[1:])
        elif isinstance(owner, str) and _grown(owner, name, args, kwargs) > MAX_OUTPUT:
            raise TemplateFailure(f"the '{name}' in this template would make a text over {MAX_OUTPUT:,} characters")
        if isinstance(__obj, LoopContext) and args:
            args = (budget.counted(args[0]), *args[1:])
        budget.spend()
        return super().call(__context, __obj, *args, **kwargs)


_TEXT = _Sandbox(undefined=ChainableUndefined, autoescape=False, keep_trailing_newline=True)
_HTML = _Sandbox(undefined=ChainableUndefined, autoescape=True, keep_trailing_newline=True)


@functools.lru_cache(maxsize=512)
def _compiled(source: str, html: bool) -> Any:
    """Resources are few and reused for thousands of users: compile each text once."""
    return (_HTML if html else _TEXT).from_string(source)


def problem(source: str | None) -> str | None:
    """Why this template cannot be rendered at all (it does not parse), or None."""
    if not source:
        return None
    try:
        _compiled(source, False)
    except TemplateError as exc:
        return _describe(exc)
    return None


def render(source: str | None, context: Mapping[str, Any], *, html: bool = False) -> str:
    if not source:
        return ""
    try:
        with budget.budgeted():
            text = _bounded(_compiled(source, html), context)
    except TemplateFailure:
        raise
    except TemplateError as exc:
        raise TemplateFailure(_describe(exc)) from None
    except Exception as exc:  # a type error in the operator's expression, a division by zero
        raise TemplateFailure(f"template error: {type(exc).__name__}: {exc}") from None
    return text


def _bounded(template: Any, context: Mapping[str, Any]) -> str:
    """Renders piece by piece and stops once the text is too long (a loop that adds a
    little each time would otherwise grow without bound)."""
    parts, size = [], 0
    for piece in template.generate(**context):
        size += len(piece)
        if size > MAX_OUTPUT:
            raise TemplateFailure(f"the rendered text is longer than {MAX_OUTPUT:,} characters")
        parts.append(piece)
    return "".join(parts)


def _describe(exc: TemplateError) -> str:
    line = getattr(exc, "lineno", None)
    where = f" (line {line})" if line else ""
    return f"template error{where}: {exc.message or type(exc).__name__}"
