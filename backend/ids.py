"""Opaque global IDs: base64 of "Type:pk". The API shows them, and the outside world
gets the same ones (a provider's `reference`, an `Idempotency-Key`), so a receipt can
name a communication by the ID an operator sees."""

from __future__ import annotations

import base64
import binascii
import re


def encode_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


# Keys are 64-bit on PostgreSQL; anything else names no row (and must not reach a query).
MAX_PK = 2**63 - 1
_PK = re.compile(r"[0-9]{1,19}")


def plain_pk(text: str) -> int | None:
    """A primary key written as digits only, in range; None otherwise."""
    if not _PK.fullmatch(text):
        return None
    pk = int(text)
    return pk if 0 < pk <= MAX_PK else None


def decode_any(global_id: str) -> tuple[str, int] | None:
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        type_name, _, pk = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    number = plain_pk(pk)
    return (type_name, number) if number is not None else None


def pk_of(global_id: object, type_name: str) -> int | None:
    """The primary key behind an ID of this type, or None for anything else."""
    if not isinstance(global_id, str):
        return None
    decoded = decode_any(global_id)
    if decoded is None or decoded[0] != type_name:
        return None
    return decoded[1]
