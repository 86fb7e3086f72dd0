"""Read side of journeys and entries, with access groups applied."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from backend.auth.policy import Principal
from backend.models import Communication, Entry, Event, Journey, Resource, User
from backend.reports.users import search_term, user_matches
from backend.statuses import RUNNING


def visible_journey_ids(
    session: Session,
    principal: Principal,
    *,
    search: str | None = None,
    status: str | None = None,
    tag: str | None = None,
    trigger_kind: str | None = None,
) -> list[int]:
    """Ids, newest first. Journeys number in the hundreds, so groups and tags (JSON
    lists) are matched here rather than in dialect-specific SQL."""
    stmt = select(Journey.id, Journey.access_groups, Journey.tags).where(Journey.deleted_at.is_(None))
    if status:
        stmt = stmt.where(Journey.status == status)
    if trigger_kind:
        stmt = stmt.where(Journey.trigger_kind == trigger_kind)
    if search:
        stmt = stmt.where(Journey.name.ilike(f"%{search.strip()}%"))
    rows = session.execute(stmt.order_by(Journey.id.desc())).all()
    return [
        pk
        for pk, groups, tags in rows
        if principal.can_see_groups(groups or []) and (tag is None or tag in (tags or []))
    ]


def journeys_by_ids(session: Session, ids: list[int]) -> list[Journey]:
    found = {j.id: j for j in session.scalars(select(Journey).where(Journey.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def visible_journey(session: Session, principal: Principal, journey_id: int) -> Journey | None:
    journey = session.get(Journey, journey_id)
    if journey is None or journey.deleted_at is not None or not principal.can_see_groups(journey.access_groups or []):
        return None
    return journey


def visible_entry(session: Session, principal: Principal, entry_id: int) -> Entry | None:
    entry = session.get(Entry, entry_id)
    if entry is None or visible_journey(session, principal, entry.journey_id) is None:
        return None
    return entry


def entries_query(
    journey_id: int,
    *,
    search: str | None,
    since: datetime | None,
    status: str | None,
    step_id: str | None,
    in_control_group: bool | None,
) -> Select[Entry]:
    """Participants of a journey, filterable on indexed columns; the search goes through
    the users it matches (backend.reports.users.user_matches)."""
    stmt = select(Entry).where(Entry.journey_id == journey_id)
    term = search_term(search)
    if term is not None:
        stmt = stmt.where(Entry.user_id.in_(select(User.id).where(user_matches(term))))
    if since is not None:
        stmt = stmt.where(Entry.entered_at >= since)
    if status:
        stmt = stmt.where(Entry.status == status)
    elif step_id:
        # Entries at a step now: an entry that ended keeps its last step, but is no longer
        # at it (the count agrees with liveStats). With a status, ended entries are found
        # by the step they ended at.
        stmt = stmt.where(Entry.status.in_(RUNNING))
    if step_id:
        stmt = stmt.where(Entry.current_step_id == step_id)
    if in_control_group is not None:
        stmt = stmt.where(Entry.in_control_group.is_(in_control_group))
    return stmt


def user_entries_query(session: Session, principal: Principal, user_id: int, journey_id: int | None) -> Select[Entry]:
    """A user's entries in the journeys the caller may see."""
    visible = visible_journey_ids(session, principal)
    stmt = select(Entry).where(Entry.user_id == user_id, Entry.journey_id.in_(visible or [-1]))
    if journey_id is not None:
        stmt = stmt.where(Entry.journey_id == journey_id)
    return stmt


def user_events_query(user_id: int, name: str | None) -> Select[Event]:
    stmt = select(Event).where(Event.user_id == user_id)
    return stmt.where(Event.name == name) if name else stmt


def user_communications_query(
    session: Session, principal: Principal, user_id: int, channel: str | None
) -> Select[Communication]:
    """A user's messages: those of journeys the caller may see, and those of no journey."""
    visible = visible_journey_ids(session, principal)
    stmt = select(Communication).where(
        Communication.user_id == user_id,
        or_(Communication.journey_id.is_(None), Communication.journey_id.in_(visible or [-1])),
    )
    return stmt.where(Communication.channel == channel) if channel else stmt


def resources_named(part: str) -> Select[int]:
    """Ids of the resources whose name holds `part`, ignoring case; wildcards are plain
    characters. On PostgreSQL the trigram index ix_resources_name_search serves it."""
    return select(Resource.id).where(func.lower(Resource.name).contains(part.lower(), autoescape=True))


def communications_query(
    session: Session,
    principal: Principal,
    *,
    journey_id: int | None,
    resource_name: str | None,
    channel: str | None,
    status: str | None,
    since: datetime | None,
    search: str | None,
) -> Select[Communication]:
    """The communication log, newest first: messages of journeys the caller may see and
    messages of no journey; filters on indexed columns, search through the user."""
    stmt = select(Communication)
    if journey_id is not None:
        stmt = stmt.where(Communication.journey_id == journey_id)
    else:
        visible = visible_journey_ids(session, principal)
        stmt = stmt.where(or_(Communication.journey_id.is_(None), Communication.journey_id.in_(visible or [-1])))
    if resource_name:
        stmt = stmt.where(Communication.resource_id.in_(resources_named(resource_name)))
    if channel:
        stmt = stmt.where(Communication.channel == channel)
    if status:
        stmt = stmt.where(Communication.status == status)
    if since is not None:
        stmt = stmt.where(Communication.queued_at >= since)
    term = search_term(search)
    if term is not None:
        stmt = stmt.where(Communication.user_id.in_(select(User.id).where(user_matches(term))))
    return stmt
