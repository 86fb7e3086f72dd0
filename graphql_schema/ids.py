"""Opaque global IDs as the API reads them (the codec itself lives in `backend.ids`)."""

from __future__ import annotations

from backend.errors import DomainError
from backend.ids import decode_any, encode_id, pk_of

__all__ = ["decode_any", "decode_id", "encode_id", "pk_of"]


def decode_id(global_id: str, type_name: str, field: list[str] | None = None) -> int:
    """The primary key behind an ID of the given type; a malformed or other-typed ID is NOT_FOUND."""
    pk = pk_of(global_id or "", type_name)
    if pk is None:
        raise DomainError("NOT_FOUND", f"no {type_name} with id {global_id!r}", field)
    return pk
