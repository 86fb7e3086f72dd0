"""What one render of a message template may spend: steps, text built, and time.

The sandbox refuses single operations that would build a huge text (see templates.py),
but a template can also add up many small ones: a `~` that joins ten copies of a long
text, then ten copies of that; three nested loops of a few hundred rounds each; a macro
that calls itself twice. Every render therefore carries a budget, and each loop round,
call, filter, join and piece of output spends from it. Running out fails that one
communication with a `TemplateFailure` that says which limit it met, at once: a worker
never spends more than `MAX_SECONDS` or holds more than a few megabytes on one message.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from jinja2.runtime import markup_join, str_join

# Longest text a template may produce, and the largest thing any one operation in it
# may build (a repetition, a padding, a number used as a size).
MAX_OUTPUT = 256 * 1024
MAX_PRODUCT = 64 * 1024
# Loop rounds, calls (macros, methods) and filters of one render, together.
MAX_STEPS = 100_000
# Characters built along the way by joins, filters, methods and repetitions, together.
MAX_BUILT = 8 * 1024 * 1024
# Wall time of one render: a backstop for what the counts above do not see.
MAX_SECONDS = 1.0


class TemplateFailure(Exception):
    """A template that cannot be rendered; its text goes to the communication's `error`."""


# The clock is read every this many steps (reading it costs more than a step).
_CLOCK_EVERY = 64


@dataclass
class Budget:
    steps: int = MAX_STEPS
    built: int = MAX_BUILT
    deadline: float = 0.0

    def spend(self, steps: int = 1, chars: int = 0) -> None:
        self.steps -= steps
        self.built -= chars
        if self.steps < 0:
            raise TemplateFailure(f"this template takes more than {MAX_STEPS:,} steps (loop rounds, calls, filters)")
        if self.built < 0:
            raise TemplateFailure(f"this template builds more than {MAX_BUILT:,} characters of text along the way")
        if (chars or self.steps % _CLOCK_EVERY == 0) and time.monotonic() > self.deadline:
            raise TemplateFailure(f"this template takes longer than {MAX_SECONDS:g} s to render")


_CURRENT: ContextVar[Budget | None] = ContextVar("template_budget", default=None)


@contextmanager
def budgeted() -> Iterator[Budget]:
    """A fresh budget for the render inside the block."""
    budget = Budget(deadline=time.monotonic() + MAX_SECONDS)
    token = _CURRENT.set(budget)
    try:
        yield budget
    finally:
        _CURRENT.reset(token)


def spend(steps: int = 1, chars: int = 0) -> None:
    budget = _CURRENT.get()
    if budget is not None:
        budget.spend(steps, chars)


def size_of(value: Any, limit: int = MAX_OUTPUT) -> int:
    """About how long a value is as text, counted no further than just past `limit`
    (so that measuring a list of a million long texts is as cheap as refusing it)."""
    if isinstance(value, str):
        return len(value)
    if value is None or isinstance(value, (bool, int, float)):
        return len(str(value)) if value is not None else 0
    if isinstance(value, dict):
        return _size_of_items([*value.keys(), *value.values()], limit)
    if isinstance(value, (list, tuple, set, frozenset, range)):
        return _size_of_items(value, limit)
    return len(str(value))


def _size_of_items(items: Iterable[Any], limit: int) -> int:
    total = 2
    for item in items:
        total += size_of(item, limit) + 2
        if total > limit:
            break
    return total


def taken(items: Iterable[Any], separator: str) -> list[Any]:
    """The items of a join, read one at a time and refused as soon as the joined text
    would be too long."""
    if isinstance(items, str):
        return list(items) if len(items) * (1 + len(separator)) <= MAX_OUTPUT else _too_long("join")
    out, total = [], 0
    for item in items:
        total += size_of(item) + len(separator)
        if total > MAX_OUTPUT:
            _too_long("join")
        out.append(item)
    spend(steps=1, chars=total)
    return out


def counted(iterable: Iterable[Any]) -> Iterator[Any]:
    """A loop's items, each round spending one step."""
    budget = _CURRENT.get()
    if budget is None:
        yield from iterable
        return
    for item in iterable:
        budget.spend()
        yield item


def _checked_concat(parts: tuple[Any, ...]) -> tuple[Any, ...]:
    """The parts of a `~`, a value that is not there (None) joined as nothing."""
    parts = tuple("" if part is None else part for part in parts)
    total = sum(len(part) if isinstance(part, str) else size_of(part) for part in parts)
    if total > MAX_OUTPUT:
        raise TemplateFailure(f"a '~' in this template would make a text over {MAX_OUTPUT:,} characters")
    spend(chars=total)
    return parts


def joined(*parts: Any) -> str:
    """`a ~ b ~ c`: refused before it is built when the result would be too long."""
    return str_join(_checked_concat(parts))


def joined_markup(*parts: Any) -> str:
    """`a ~ b` in an HTML body: as Jinja joins it there (escaping when a part is markup)."""
    return markup_join(_checked_concat(parts))


def _too_long(what: str) -> list[Any]:
    raise TemplateFailure(f"the '{what}' in this template would make a text over {MAX_OUTPUT:,} characters")
