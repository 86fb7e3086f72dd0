"""JSON for the PostgreSQL driver's hot path: the batch processors load the JSON
columns of thousands of rows (users' attributes and opt-outs, events' properties) and
COPY those of thousands more (entries' visits and payloads). orjson does both several
times faster than the standard library; whatever it refuses (a type it does not know,
an integer past 64 bits) goes through `json` as before, and so does any text with a run
of 19 digits or more (orjson reads an integer past 64 bits as a float, losing digits),
so the values are the same."""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

_STRICT = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS


_LONG_DIGITS = re.compile(r"[0-9]{19}")
_LONG_DIGITS_BYTES = re.compile(rb"[0-9]{19}")


def loads(data: str | bytes) -> Any:
    long_digits = _LONG_DIGITS_BYTES if isinstance(data, bytes) else _LONG_DIGITS
    if long_digits.search(data) is None:  # type: ignore[arg-type]
        try:
            return orjson.loads(data)
        except ValueError:
            pass
    return json.loads(data)


def dumps(value: Any) -> str:
    """The JSON text of a value, as `json.dumps` would give it for a jsonb column (only
    the spacing differs, which jsonb does not keep)."""
    try:
        return orjson.dumps(value, option=_STRICT).decode()
    except TypeError:
        return json.dumps(value)
