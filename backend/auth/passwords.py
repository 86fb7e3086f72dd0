"""Argon2id password hashes (argon2-cffi: the reference implementation's bindings)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# A hash to verify against when the username is unknown, so a wrong username
# costs the same time as a wrong password and does not reveal which one exists.
_DUMMY_HASH = _hasher.hash("questline-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
