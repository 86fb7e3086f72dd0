"""upsertUsers: create or update many profiles in a few statements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from backend.errors import DomainError
from backend.gamification.badges import PROFILE, award_badges
from backend.models import User, utcnow
from backend.persistence.database import UnitOfWork
from backend.users.phones import e164, region_of
from backend.users.validation import check_batch_size, phone_digits, search_key, user_problems


@dataclass(frozen=True)
class UpsertResult:
    created: int
    updated: int


class InvalidBatch(DomainError):
    """Every problem of a refused batch, so the caller can report them all."""

    def __init__(self, problems: list[DomainError]):
        first = problems[0]
        super().__init__(first.code, first.message, first.field)
        self.problems = problems


def merge_attributes(stored: dict[str, Any], changes: dict[str, Any] | None) -> dict[str, Any]:
    """A null value removes the key; anything else sets it."""
    merged = dict(stored or {})
    for key, value in (changes or {}).items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def _profile_values(user: dict[str, Any], stored: User | None) -> dict[str, Any]:
    """Fields given in the input replace the stored ones; fields not given keep theirs."""
    values: dict[str, Any] = {}
    for key, column in (("username", "username"), ("email", "email"), ("phone", "phone"), ("timezone", "timezone")):
        if key in user and user[key] is not None:
            values[column] = user[key] or None
    if "username" in values:
        values["username_lc"] = search_key(values["username"], User.username_lc.type.length)
    if "email" in values:
        values["email_lc"] = search_key(values["email"], User.email_lc.type.length)
    if "phone" in values:
        values["phone_digits"] = phone_digits(values["phone"])
    if user.get("attributes") is not None:
        values["attributes"] = merge_attributes(stored.attributes if stored else {}, user["attributes"])
    if user.get("optOuts") is not None:
        values["opt_outs"] = sorted(set(user["optOuts"]))
    return values


def with_e164_phones(users: list[dict[str, Any]], stored: dict[str, User]) -> list[dict[str, Any]]:
    """The users with each phone given in E.164, read in the user's country where it is
    known (from this input, else the stored profile); refuses the batch, naming each
    index, when a phone cannot be a phone number."""
    out, problems = [], []
    for index, user in enumerate(users):
        phone = user.get("phone")
        if phone:
            known = stored.get(user["externalId"].strip())
            region = region_of(user.get("attributes"), user.get("timezone")) or (
                region_of(known.attributes, known.timezone) if known else None
            )
            normalized = e164(phone, region)
            if normalized is None:
                problems.append(
                    DomainError("INVALID_INPUT", _not_a_phone(phone, region), ["users", str(index), "phone"])
                )
            user = {**user, "phone": normalized}
        out.append(user)
    if problems:
        raise InvalidBatch(problems)
    return out


def _not_a_phone(phone: str, region: str | None) -> str:
    if region is None and not phone.strip().startswith("+"):
        return f"not a phone number: {phone[:60]!r} (write it with + and the country code, or give the user's country)"
    return f"not a phone number{f' in {region}' if region else ''}: {phone[:60]!r}"


def upsert_users(uow: UnitOfWork, *, users: list[dict[str, Any]]) -> UpsertResult:
    check_batch_size(users, "users")
    problems = [p for i, u in enumerate(users) for p in user_problems(i, u)]
    if problems:
        raise InvalidBatch(problems)
    session = uow.session
    external_ids = list({u["externalId"].strip() for u in users})
    stored = {u.external_id: u for u in session.scalars(select(User).where(User.external_id.in_(external_ids)))}
    users = with_e164_phones(users, stored)
    # The last mention of an externalId in a batch wins, as if sent one after another.
    by_external: dict[str, dict[str, Any]] = {}
    for user in users:
        ext = user["externalId"].strip()
        if ext in by_external:
            merged = {**by_external[ext], **{k: v for k, v in user.items() if v is not None}}
            merged["attributes"] = merge_attributes(by_external[ext].get("attributes") or {}, user.get("attributes"))
            by_external[ext] = merged
        else:
            by_external[ext] = dict(user)
    now = utcnow()
    inserts, updates = [], []
    for ext, user in by_external.items():
        values = _profile_values(user, stored.get(ext))
        if ext in stored:
            if values:
                updates.append({"id": stored[ext].id, "updated_at": now, **values})
        else:
            inserts.append(
                {
                    "external_id": ext,
                    "external_id_lc": search_key(ext, User.external_id_lc.type.length),
                    "attributes": values.pop("attributes", {}),
                    "opt_outs": values.pop("opt_outs", []),
                    "created_at": now,
                    "updated_at": now,
                    **values,
                }
            )
    if inserts:
        # executemany needs the same keys in every row: fields not given are NULL.
        optional = ("username", "username_lc", "email", "email_lc", "phone", "phone_digits", "timezone")
        session.execute(User.__table__.insert(), [{**dict.fromkeys(optional), **row} for row in inserts])
    by_keys: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in updates:
        by_keys.setdefault(tuple(sorted(row)), []).append(row)
    for rows in by_keys.values():
        session.execute(update(User), rows)
    changed = [row["id"] for row in updates]
    if inserts:
        changed += session.scalars(select(User.id).where(User.external_id.in_([row["external_id"] for row in inserts])))
    award_badges(session, changes={uid: {PROFILE} for uid in changed}, now=now)
    return UpsertResult(created=len(inserts), updated=len(stored))
