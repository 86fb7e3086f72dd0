"""Journey lifecycle: create, edit (in place or as a new version), activate, stop, clone, delete."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from backend.auth.policy import Principal
from backend.errors import DomainError, NotFound
from backend.journeys import definition as defs
from backend.journeys.captures import Capture, JourneyMeta, create_entries
from backend.journeys.catalog import load_catalog
from backend.journeys.limits import definition_size_problem
from backend.models import Entry, Journey, JourneyVersion, User, utcnow
from backend.persistence.bulk import rows_changed
from backend.persistence.database import UnitOfWork
from backend.queue import WorkQueue
from backend.reports.metrics import STEPS_REMOVED, record_removed, steps_of_journey
from backend.segments.schedule import runnable_problem, schedule_of
from backend.statuses import MOVING, RUNNING

REENTRY_MODES = ("ONCE", "NOT_WHILE_ACTIVE", "RESTART", "EVERY_ENTRY")


@dataclass(frozen=True)
class JourneyInput:
    name: str
    definition: Any
    description: str | None = None
    tags: list[str] | None = None
    access_groups: list[str] | None = None
    reentry_mode: str | None = None
    freeze_on_stop: bool | None = None
    control_group_percent: float | None = None


def problems_of(
    session: Session, document: Any, principal: Principal | None = None, journey_groups: list[str] | None = None
) -> list[defs.Problem]:
    """The problems as this operator sees them (a resource they may not see is unknown to
    them); with the journey's groups, also a resource the journey may not send."""
    return defs.validate(document, catalog=load_catalog(session, principal, journey_groups))


def errors_of(problems: list[defs.Problem]) -> list[defs.Problem]:
    return [p for p in problems if p.severity == "ERROR"]


def invalid_definition(problems: list[defs.Problem]) -> DomainError:
    first = errors_of(problems)[0]
    where = f" (step '{first.step_id}')" if first.step_id else ""
    more = len(errors_of(problems)) - 1
    tail = f"; and {more} more: see the journey's problems" if more else ""
    return DomainError("INVALID_DEFINITION", f"{first.message}{where}{tail}", ["input", "definition"])


def get_journey(session: Session, principal: Principal, journey_id: int, *, for_update: bool = False) -> Journey:
    stmt = select(Journey).where(Journey.id == journey_id, Journey.deleted_at.is_(None))
    if for_update and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    journey = session.scalar(stmt)
    if journey is None or not principal.can_see_groups(journey.access_groups):
        # A journey outside the caller's groups is answered like one that does not exist.
        raise NotFound("journey", ["id"])
    return journey


def _check_input(principal: Principal, data: JourneyInput, current_groups: list[str] | None = None) -> None:
    """`current_groups`: the groups of the journey being updated (None when creating)."""
    if not isinstance(data.name, str) or not data.name.strip():
        raise DomainError("INVALID_INPUT", "name must not be empty", ["input", "name"])
    if len(data.name) > 200:
        raise DomainError("INVALID_INPUT", "name is longer than 200 characters", ["input", "name"])
    if not isinstance(data.definition, dict):
        raise DomainError("INVALID_DEFINITION", "the definition must be a JSON object", ["input", "definition"])
    too_large = definition_size_problem(data.definition)
    if too_large is not None:
        raise DomainError("LIMIT_EXCEEDED", too_large[0], ["input", "definition", *too_large[1]])
    pct = data.control_group_percent
    if pct is not None and not (0 <= pct <= 100):
        raise DomainError(
            "INVALID_INPUT", "controlGroupPercent must be between 0 and 100", ["input", "controlGroupPercent"]
        )
    if data.reentry_mode is not None and data.reentry_mode not in REENTRY_MODES:
        raise DomainError(
            "INVALID_INPUT", f"reentryMode must be one of {', '.join(REENTRY_MODES)}", ["input", "reentryMode"]
        )
    if data.access_groups is None:
        return
    if current_groups is None:
        principal.check_assignable_groups(data.access_groups)
    else:
        principal.check_group_change(current_groups, clean_groups(data.access_groups))


def clean_groups(groups: list[str]) -> list[str]:
    return sorted({g.strip() for g in groups if g.strip()})


def _trigger_columns(document: dict[str, Any]) -> dict[str, Any]:
    raw = document.get("trigger")
    trigger: dict[str, Any] = raw if isinstance(raw, dict) else {}
    kind = trigger.get("kind") if trigger.get("kind") in ("API", "EVENT", "SCHEDULED_SEGMENT") else "API"
    event = trigger.get("event") if kind == "EVENT" and isinstance(trigger.get("event"), str) else None
    return {"trigger_kind": kind, "trigger_event": event}


def _apply_input(journey: Journey, data: JourneyInput) -> None:
    journey.name = data.name.strip()
    journey.definition = data.definition
    if data.description is not None:
        journey.description = data.description
    if data.tags is not None:
        journey.tags = sorted({t.strip() for t in data.tags if t.strip()})
    if data.access_groups is not None:
        journey.access_groups = clean_groups(data.access_groups)
    if data.reentry_mode is not None:
        journey.reentry_mode = data.reentry_mode
    if data.freeze_on_stop is not None:
        journey.freeze_on_stop = data.freeze_on_stop
    if data.control_group_percent is not None:
        journey.control_group_percent = float(data.control_group_percent)
    for key, value in _trigger_columns(data.definition).items():
        setattr(journey, key, value)


def create_journey(uow: UnitOfWork, *, principal: Principal, data: JourneyInput) -> Journey:
    _check_input(principal, data)
    journey = Journey(
        status="DRAFT",
        version=1,
        tags=[],
        description=None,
        reentry_mode="ONCE",
        freeze_on_stop=False,
        control_group_percent=0.0,
        created_by=principal.username,
        # A manager's journey stays visible to them: it takes their groups unless told otherwise.
        access_groups=[] if principal.is_admin else sorted(principal.access_groups),
    )
    _apply_input(journey, data)
    uow.session.add(journey)
    uow.flush()
    uow.session.add(JourneyVersion(journey_id=journey.id, version=1, definition=data.definition))
    uow.flush()
    return journey


def update_journey(
    uow: UnitOfWork, *, principal: Principal, journey_id: int, data: JourneyInput, queue: WorkQueue
) -> Journey:
    session = uow.session
    journey = get_journey(session, principal, journey_id, for_update=True)
    principal.require_groups(journey.access_groups)
    _check_input(principal, data, list(journey.access_groups or []))
    if journey.status == "DRAFT":
        _apply_input(journey, data)
        session.execute(
            update(JourneyVersion)
            .where(JourneyVersion.journey_id == journey.id, JourneyVersion.version == journey.version)
            .values(definition=data.definition)
        )
        uow.flush()
        return journey
    groups = clean_groups(data.access_groups) if data.access_groups is not None else list(journey.access_groups or [])
    problems = problems_of(session, data.definition, principal, groups)
    if errors_of(problems):
        raise invalid_definition(problems)
    old_kind, old_schedule = journey.trigger_kind, _schedule_field(journey.definition)
    _apply_input(journey, data)
    if journey.trigger_kind != old_kind:
        raise DomainError(
            "INVALID_DEFINITION",
            "the trigger kind of a published journey cannot change; clone it instead",
            ["input", "definition", "trigger"],
        )
    new_version = (
        session.scalar(select(func.max(JourneyVersion.version)).where(JourneyVersion.journey_id == journey.id)) or 0
    ) + 1
    now = utcnow()
    session.add(
        JourneyVersion(
            journey_id=journey.id,
            version=new_version,
            definition=data.definition,
            published_at=now,
            published_by=principal.username,
        )
    )
    journey.version = new_version
    if journey.status == "ACTIVE" and _schedule_field(data.definition) != old_schedule:
        _start_schedule(journey, data.definition, now)
    uow.flush()
    moved = _move_halted_entries(uow, journey, new_version, data.definition)
    if moved:
        uow.after_commit(lambda: queue.advance_entries(moved))
    return journey


def _move_halted_entries(uow: UnitOfWork, journey: Journey, version: int, document: dict[str, Any]) -> list[int]:
    """HALTED entries go on in the new version when it configures the step they stopped at."""
    steps = {s.get("id"): s for s in document.get("steps", []) if isinstance(s, dict)}
    configured = [sid for sid, step in steps.items() if isinstance(sid, str) and defs.is_configured(step)]
    if not configured:
        return []
    session = uow.session
    ids = list(
        session.scalars(
            select(Entry.id).where(
                Entry.journey_id == journey.id, Entry.status == "HALTED", Entry.current_step_id.in_(configured)
            )
        )
    )
    if ids:
        session.execute(
            update(Entry)
            .where(Entry.id.in_(ids))
            .values(version=version, status="ACTIVE", blocked_reason=None, wake_at=utcnow(), updated_at=utcnow())
        )
    return ids


def activate_journey(uow: UnitOfWork, *, principal: Principal, journey_id: int, queue: WorkQueue) -> Journey:
    session = uow.session
    journey = get_journey(session, principal, journey_id, for_update=True)
    if journey.status == "ACTIVE":
        return journey
    problems = problems_of(session, journey.definition, principal, list(journey.access_groups or []))
    if errors_of(problems):
        raise invalid_definition(problems)
    now = utcnow()
    _start_schedule(journey, journey.definition, now)
    if journey.status == "DRAFT":
        session.execute(
            update(JourneyVersion)
            .where(JourneyVersion.journey_id == journey.id, JourneyVersion.version == journey.version)
            .values(definition=journey.definition, published_at=now, published_by=principal.username)
        )
    journey.status = "ACTIVE"
    journey.activated_at = now
    journey.stopped_at = None
    thawed = _thaw_frozen(uow, journey)
    uow.flush()
    if thawed:
        uow.after_commit(lambda: queue.advance_entries(thawed))
    return journey


def _schedule_field(document: Any) -> Any:
    trigger = document.get("trigger") if isinstance(document, dict) else None
    return trigger.get("schedule") if isinstance(trigger, dict) else None


def _start_schedule(journey: Journey, document: Any, now: Any) -> None:
    """A SCHEDULED_SEGMENT journey that could never capture anyone is refused; one that
    can gets its next cron time (a journey activated again continues on its schedule)."""
    if journey.trigger_kind != "SCHEDULED_SEGMENT":
        return
    problem = runnable_problem(document, now)
    if problem:
        raise DomainError("INVALID_DEFINITION", problem, ["input", "definition", "trigger"])
    schedule = schedule_of(document)
    journey.next_run_at = schedule.next_after(now) if schedule else None


def _thaw_frozen(uow: UnitOfWork, journey: Journey) -> list[int]:
    """FROZEN entries go back to what they were doing; those whose timer passed meanwhile are due now."""
    session = uow.session
    ids = list(session.scalars(select(Entry.id).where(Entry.journey_id == journey.id, Entry.status == "FROZEN")))
    if ids:
        session.execute(
            update(Entry)
            .where(Entry.id.in_(ids))
            .values(
                status=func.coalesce(Entry.frozen_status, "ACTIVE"),
                blocked_reason=Entry.frozen_reason,  # a waiting entry says again why it waits
                frozen_status=None,
                frozen_reason=None,
            )
        )
    return ids


def stop_journey(uow: UnitOfWork, *, principal: Principal, journey_id: int, freeze: bool | None = None) -> Journey:
    """Running entries are FROZEN or EXITED: `freeze` chooses for this stop, None keeps
    the journey's own freezeOnStop."""
    session = uow.session
    journey = get_journey(session, principal, journey_id, for_update=True)
    if journey.status != "ACTIVE":
        raise DomainError("CONFLICT", f"only an ACTIVE journey can be stopped; this one is {journey.status}", ["id"])
    now = utcnow()
    running = (Entry.journey_id == journey.id) & Entry.status.in_(MOVING)
    if journey.freeze_on_stop if freeze is None else freeze:
        session.execute(
            update(Entry)
            .where(running)
            .values(
                frozen_status=Entry.status,
                frozen_reason=Entry.blocked_reason,
                status="FROZEN",
                claimed_until=None,
                blocked_reason="frozen: the journey was stopped; it resumes here when the journey is activated again",
            )
        )
    else:
        session.execute(
            update(Entry)
            .where(running)
            .values(
                status="EXITED",
                stopped_at=now,
                stop_reason="journey stopped",
                wake_at=None,
                waiting_event=None,
                blocked_reason=None,
                claimed_until=None,
            )
        )
    journey.status = "STOPPED"
    journey.stopped_at = now
    journey.next_run_at = None
    uow.flush()
    return journey


def clone_journey(uow: UnitOfWork, *, principal: Principal, journey_id: int, name: str | None) -> Journey:
    source = get_journey(uow.session, principal, journey_id)
    data = JourneyInput(
        name=(name or f"{source.name} (copy)")[:200],
        definition=source.definition,
        description=source.description,
        tags=list(source.tags or []),
        access_groups=list(source.access_groups or []),
        reentry_mode=source.reentry_mode,
        freeze_on_stop=source.freeze_on_stop,
        control_group_percent=source.control_group_percent,
    )
    copy = create_journey(uow, principal=principal, data=data)
    copy.layout = source.layout  # the copy opens in the editor laid out as its source
    uow.flush()
    return copy


def delete_journey(uow: UnitOfWork, *, principal: Principal, journey_id: int) -> int:
    session = uow.session
    journey = get_journey(session, principal, journey_id, for_update=True)
    if journey.status == "ACTIVE":
        raise DomainError("CONFLICT", "an ACTIVE journey cannot be deleted; stop it first", ["id"])
    # The foreign keys cascade to versions, entries, their steps and communications;
    # the steps stay counted in the metrics' total of steps processed.
    record_removed(session, STEPS_REMOVED, steps_of_journey(session, journey.id))
    session.execute(delete(Journey).where(Journey.id == journey.id))
    return 1


def clear_journey_entries(uow: UnitOfWork, *, principal: Principal, journey_id: int) -> int:
    session = uow.session
    journey = get_journey(session, principal, journey_id, for_update=True)
    now = utcnow()
    return rows_changed(
        session,
        update(Entry)
        .where(Entry.journey_id == journey.id, Entry.status.in_(RUNNING))
        .values(
            status="STOPPED",
            stopped_at=now,
            stop_reason="cleared by operator",
            wake_at=None,
            waiting_event=None,
            blocked_reason=None,
            claimed_until=None,
            frozen_status=None,
            frozen_reason=None,
        ),
    )


def stop_entry(uow: UnitOfWork, *, principal: Principal, entry_id: int, reason: str | None) -> Entry:
    session = uow.session
    entry = session.get(Entry, entry_id)
    if entry is None:
        raise NotFound("entry", ["id"])
    get_journey(session, principal, entry.journey_id)
    if entry.status not in RUNNING:
        raise DomainError("CONFLICT", f"the entry has already ended ({entry.status})", ["id"])
    entry.status = "STOPPED"
    entry.stopped_at = utcnow()
    entry.stop_reason = (reason or "stopped by operator")[:200]
    entry.wake_at = None
    entry.waiting_event = None
    entry.blocked_reason = None
    entry.claimed_until = None
    entry.frozen_status = None
    entry.frozen_reason = None
    uow.flush()
    return entry


def compile_definition(session: Session, journey_id: int, version: int) -> defs.CompiledJourney:
    document = session.scalar(
        select(JourneyVersion.definition).where(
            JourneyVersion.journey_id == journey_id, JourneyVersion.version == version
        )
    )
    return defs.compile(document or {})


def enter_journey(
    uow: UnitOfWork,
    *,
    principal: Principal,
    journey_id: int,
    external_ids: list[str],
    payload: Any,
    queue: WorkQueue,
) -> tuple[list[Entry], int]:
    """The API trigger: captures these users now; the re-entry mode may refuse some."""
    session = uow.session
    journey = get_journey(session, principal, journey_id, for_update=True)
    if journey.status != "ACTIVE":
        raise DomainError(
            "CONFLICT", f"only an ACTIVE journey can be entered; this one is {journey.status}", ["journeyId"]
        )
    if payload is not None and not isinstance(payload, dict):
        raise DomainError("INVALID_INPUT", "payload must be a JSON object", ["payload"])
    if len(external_ids) > 10_000:
        raise DomainError("LIMIT_EXCEEDED", "at most 10,000 users a call", ["externalIds"])
    wanted = list(dict.fromkeys(e.strip() for e in external_ids if e and e.strip()))
    found = dict(session.execute(select(User.external_id, User.id).where(User.external_id.in_(wanted))).all())
    unknown = [e for e in wanted if e not in found]
    if unknown:
        shown = ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        raise DomainError("NOT_FOUND", f"no user with externalId {shown}", ["externalIds"])
    compiled = compile_definition(session, journey.id, journey.version)
    now = utcnow()
    new, refused = create_entries(
        session, JourneyMeta.of(journey), compiled, [Capture(found[e], payload, None) for e in wanted], now
    )
    ids = [state.entry_id for state, _ in new]
    uow.flush()
    entries = list(session.scalars(select(Entry).where(Entry.id.in_(ids)).order_by(Entry.id))) if ids else []
    if ids:
        uow.after_commit(lambda: queue.advance_entries(ids))
    return entries, refused
