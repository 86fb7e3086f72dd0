"""Opaque global IDs: base64 of "Type:pk"."""
from __future__ import annotations

import base64
import binascii

from backend.errors import DomainError


def encode_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def decode_any(global_id: str) -> tuple[str, int] | None:
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        type_name, _, pk = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
        return type_name, int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def decode_id(global_id: str, type_name: str, field: list[str] | None = None) -> int:
    """The primary key behind an ID of the given type; a malformed or other-typed ID is NOT_FOUND."""
    decoded = decode_any(global_id or "")
    if decoded is None or decoded[0] != type_name:
        raise DomainError("NOT_FOUND", f"no {type_name} with id {global_id!r}", field)
    return decoded[1]
