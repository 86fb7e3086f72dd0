"""Values the databases cannot store: a NUL character (PostgreSQL's text and jsonb
refuse it), a lone surrogate (not UTF-8), NaN or Infinity (not JSON, which jsonb keeps
to; Python's JSON reader lets them in). Checked where input comes in, so it is a clear
refusal rather than a database error."""

from __future__ import annotations

import dataclasses
import math
import re
from enum import Enum
from typing import Any


def storable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def made_storable(text: str) -> str:
    """`text` with each NUL and lone surrogate put as U+FFFD (the replacement character):
    for free text a peer sends that is worth keeping even when a character is broken."""
    return _LONE_SURROGATE.sub("\ufffd", text.replace("\x00", "\ufffd"))


def camel(name: str) -> str:
    """A Python name as the API spells it."""
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def unstorable_at(value: Any, path: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """The path to the first value (or JSON key) that cannot be stored, or None."""
    if isinstance(value, str):
        return None if storable(value) else path
    if isinstance(value, float):
        return None if math.isfinite(value) else path
    if isinstance(value, (bool, int, Enum)) or value is None:
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and not storable(key):
                return (*path, key.encode("utf-8", "replace").decode())
            found = unstorable_at(item, (*path, str(key)))
            if found is not None:
                return found
        return None
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            found = unstorable_at(item, (*path, str(i)))
            if found is not None:
                return found
        return None
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            found = unstorable_at(getattr(value, f.name), (*path, camel(f.name)))
            if found is not None:
                return found
    return None
