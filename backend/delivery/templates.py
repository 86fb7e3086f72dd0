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
from collections.abc import Mapping
from typing import Any

from jinja2 import ChainableUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

# Longest text a template may produce, and the largest string or list a `*` or `**` may build.
MAX_OUTPUT = 256 * 1024
MAX_PRODUCT = 64 * 1024


class TemplateFailure(Exception):
    """A template that cannot be rendered; its text goes to the communication's `error`."""


class _Sandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
        if op == "**" and (abs(_num(right)) > 64 or abs(_num(left)) > 2**32):
            raise TemplateFailure("the power in this template is too large")
        if op == "*":
            size = max(_len(left) * _num(right), _len(right) * _num(left))
            if size > MAX_PRODUCT:
                raise TemplateFailure(f"a repetition in this template would make {int(size):,} items")
            return operator.mul(left, right)
        return super().call_binop(context, op, left, right)


def _num(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _len(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 0


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
        text = _compiled(source, html).render(**context)
    except TemplateFailure:
        raise
    except TemplateError as exc:
        raise TemplateFailure(_describe(exc)) from None
    except Exception as exc:  # a type error in the operator's expression, a division by zero
        raise TemplateFailure(f"template error: {type(exc).__name__}: {exc}") from None
    if len(text) > MAX_OUTPUT:
        raise TemplateFailure(f"the rendered text is longer than {MAX_OUTPUT:,} characters")
    return text


def _describe(exc: TemplateError) -> str:
    line = getattr(exc, "lineno", None)
    where = f" (line {line})" if line else ""
    return f"template error{where}: {exc.message or type(exc).__name__}"
