"""What comes back after a send: opens, clicks, pop-up actions and delivery receipts.

Each writes the communication under its row lock and moves its entry's progress
(Delivered, Opened, Clicked) in the same transaction. A status only moves forward,
so a receipt that comes twice or late changes nothing: DELIVERED is the end (proof
that the message arrived; nothing undoes it), FAILED and BOUNCED may still become
DELIVERED when a later receipt says it arrived after all.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from backend.delivery import progress
from backend.delivery.tracking import is_machine
from backend.errors import DomainError, NotFound
from backend.journeys.loading import JourneyCache
from backend.models import Communication
from backend.persistence.database import UnitOfWork

RANK = {"QUEUED": 0, "SENDING": 1, "SENT": 2, "FAILED": 3, "BOUNCED": 3, "DELIVERED": 4}
RECEIPT_STATUSES = {"delivered": "DELIVERED", "failed": "FAILED", "bounced": "BOUNCED"}
POPUP_ACTIONS = ("SHOWN", "CLICKED", "DISMISSED")
MAX_URL = 2_000


def _locked(uow: UnitOfWork, communication_id: int) -> Communication | None:
    stmt = select(Communication).where(Communication.id == communication_id)
    if uow.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return uow.session.scalar(stmt)


def _move(comm: Communication, status: str) -> bool:
    """Forward only; SUPPRESSED messages never went out, so nothing moves them."""
    if comm.status == "SUPPRESSED" or RANK.get(status, -1) <= RANK.get(comm.status, 99):
        return False
    comm.status = status
    return True


def _progress(uow: UnitOfWork, journeys: JourneyCache, comm: Communication, names: list[str], at: datetime) -> None:
    if comm.entry_id is not None and names:
        progress.move_entries(uow, journeys, [(comm.entry_id, name, at) for name in names])


def _opened_by_person(comm: Communication, now: datetime) -> None:
    comm.first_open_at = comm.first_open_at or now


def record_open(
    uow: UnitOfWork, *, journeys: JourneyCache, communication_id: int, user_agent: str | None, now: datetime
) -> None:
    comm = _locked(uow, communication_id)
    if comm is None:
        return
    comm.open_count += 1
    if is_machine(user_agent, sent_at=comm.sent_at, now=now):
        comm.machine_open_at = comm.machine_open_at or now
        return
    _opened_by_person(comm, now)
    _progress(uow, journeys, comm, ["Opened"], now)


def record_click(
    uow: UnitOfWork, *, journeys: JourneyCache, communication_id: int, url: str, user_agent: str | None, now: datetime
) -> None:
    """A click also counts as an open by a person when none was seen (images off). A
    link scanner's click (a security gateway fetching every link as the mail arrives)
    is no one's click: it is redirected and not counted."""
    comm = _locked(uow, communication_id)
    if comm is None or is_machine(user_agent, sent_at=comm.sent_at, now=now):
        return
    comm.click_count += 1
    comm.first_click_at = comm.first_click_at or now
    comm.last_action, comm.last_action_at = url[:MAX_URL], now
    _opened_by_person(comm, now)
    _progress(uow, journeys, comm, ["Opened", "Clicked"], now)


def record_popup_action(
    uow: UnitOfWork,
    *,
    journeys: JourneyCache,
    user_id: int,
    communication_id: int,
    action: str,
    url: str | None,
    now: datetime,
) -> Communication:
    if action not in POPUP_ACTIONS:
        raise DomainError("INVALID_INPUT", f"action must be one of {', '.join(POPUP_ACTIONS)}", ["action"])
    if url is not None and (len(url) > MAX_URL or not url.startswith(("http://", "https://"))):
        raise DomainError("INVALID_INPUT", f"url must be an http(s) link of at most {MAX_URL} characters", ["url"])
    comm = _locked(uow, communication_id)
    # Another player's pop-up is answered like one that does not exist.
    if comm is None or comm.user_id != user_id or comm.channel != "POPUP":
        raise NotFound("pop-up", ["communicationId"])
    if comm.status not in ("SENT", "DELIVERED"):
        raise DomainError("CONFLICT", f"this pop-up was not sent (it is {comm.status})", ["communicationId"])
    comm.last_action_at = now
    if action == "DISMISSED":
        comm.last_action = "DISMISSED"
        return comm
    if _move(comm, "DELIVERED"):
        comm.delivered_at = comm.delivered_at or now
    if comm.first_open_at is None:
        comm.open_count += 1
    _opened_by_person(comm, now)
    if action == "SHOWN":
        comm.last_action = "SHOWN"
        _progress(uow, journeys, comm, ["Delivered", "Opened"], now)
    else:
        comm.click_count += 1
        comm.first_click_at = comm.first_click_at or now
        comm.last_action = url or "CLICKED"
        _progress(uow, journeys, comm, ["Delivered", "Opened", "Clicked"], now)
    return comm


def record_receipt(
    uow: UnitOfWork, *, journeys: JourneyCache, communication_id: int, status: str, error: str | None, at: datetime
) -> bool:
    """Applies a provider's receipt; False when it changed nothing (a repeat, a late one)."""
    comm = _locked(uow, communication_id)
    if comm is None:
        raise NotFound("communication", ["reference"])
    new = RECEIPT_STATUSES[status]
    if not _move(comm, new):
        return False
    if new == "DELIVERED":
        comm.delivered_at = comm.delivered_at or at
        comm.sent_at = comm.sent_at or at
        comm.error = None  # a failure or bounce it had before is no longer the news
        _progress(uow, journeys, comm, ["Sent", "Delivered"], at)
    else:
        comm.error = (error or f"{status} (receipt)")[:1000]
        if new == "FAILED":
            comm.failed_at = comm.failed_at or at
        else:
            comm.bounced_at = comm.bounced_at or at
    return True
