"""grantBonus: a manual bonus from the user's profile, idempotent by the caller's requestId."""

from __future__ import annotations

from sqlalchemy import select

from backend.dialect import insert_ignoring_conflicts
from backend.errors import DomainError, NotFound
from backend.models import Bonus, BonusTemplate, User, utcnow
from backend.persistence.database import UnitOfWork
from backend.queue import WorkQueue
from backend.text_checks import storable

# Manual keys live in their own namespace, so a requestId can never take the key of a
# journey step (entry:step:visit) or a mission (mission:<id>:<user>).
PREFIX = "manual:"
MAX_REQUEST_ID = 200 - len(PREFIX)


def manual_key(request_id: str) -> str:
    return PREFIX + request_id


def grant_bonus(uow: UnitOfWork, *, external_id: str, template_id: int, request_id: str, queue: WorkQueue) -> Bonus:
    """A PENDING bonus, hinted to the wallet worker after commit. The same requestId
    again returns the bonus it made and writes nothing; for another user or template
    it is a CONFLICT."""
    if (
        not isinstance(request_id, str)
        or not request_id.strip()
        or len(request_id) > MAX_REQUEST_ID
        or not storable(request_id)
    ):
        raise DomainError(
            "INVALID_INPUT", f"requestId must be 1 to {MAX_REQUEST_ID} characters, without NUL", ["requestId"]
        )
    if not isinstance(external_id, str) or not storable(external_id):
        raise DomainError("INVALID_INPUT", "externalId must be text without NUL", ["externalId"])
    session = uow.session
    user_id = session.scalar(select(User.id).where(User.external_id == external_id))
    if user_id is None:
        raise NotFound("user", ["externalId"])
    if session.get(BonusTemplate, template_id) is None:
        raise NotFound("bonus template", ["templateId"])
    key = manual_key(request_id)
    now = utcnow()
    # Insert-or-nothing on the key, so two calls racing with one requestId make one row.
    new_id = session.scalar(
        insert_ignoring_conflicts(session, Bonus.__table__, ["idempotency_key"])
        .values(
            idempotency_key=key,
            user_id=user_id,
            template_id=template_id,
            source="manual",
            status="PENDING",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        .returning(Bonus.__table__.c.id)
    )
    # The insert above either wrote this row or met it already there: it exists.
    bonus = session.scalars(select(Bonus).where(Bonus.idempotency_key == key)).one()
    if bonus.user_id != user_id or bonus.template_id != template_id:
        raise DomainError(
            "CONFLICT", "this requestId was already used for another user or bonus template", ["requestId"]
        )
    if new_id is not None:
        uow.after_commit(lambda: queue.grant_bonuses([new_id]))
    return bonus
