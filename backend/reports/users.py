"""Read side of users: lookup and search."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session

from backend.dialect import starts_with
from backend.errors import DomainError
from backend.models import User
from backend.text_checks import storable
from backend.users.validation import phone_digits


def search_term(search: str | None) -> str | None:
    """The search as it is matched (trimmed), None for no search; refuses text that no
    stored key can hold and that PostgreSQL would refuse as a parameter."""
    term = (search or "").strip()
    if not term:
        return None
    if not storable(term):
        raise DomainError("INVALID_INPUT", "search must be text without NUL characters or lone surrogates", ["search"])
    return term


def user_matches(term: str) -> ColumnElement[bool]:
    """The term starts the user's internal username, external id or email (any case),
    or, when it is written as a phone number (digits, with or without '+', spaces,
    brackets, dashes, dots), the digits of the user's phone. Each test is a range on
    its own index, so a lookup costs a few index probes whatever the number of users."""
    lowered = term.lower()
    tests = [
        starts_with(User.username_lc, lowered),
        starts_with(User.external_id_lc, lowered),
        starts_with(User.email_lc, lowered),
    ]
    digits = phone_digits(term)
    if digits:
        tests.append(starts_with(User.phone_digits, digits))
    return or_(*tests)


def search_users(search: str | None) -> Select[User]:
    stmt = select(User)
    term = search_term(search)
    return stmt if term is None else stmt.where(user_matches(term))


def user_by_external_id(session: Session, external_id: str) -> User | None:
    return session.scalar(select(User).where(User.external_id == external_id))
