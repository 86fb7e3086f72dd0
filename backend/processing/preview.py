"""previewJourney: what a journey document would do for one user now, writing nothing.

The same code as a real capture, on a read-only session: the trigger (its event and
`where`, or the segment for a scheduled journey), the re-entry mode over the user's
entries in the saved journey, the control group by the same stable hash, then the
interpreter's first pass with the batch processors' facts (the catalog, the frequency
cap counting what was sent today, the user's aggregates, quiet hours in the user's
time zone). Nothing is flushed: the caller's session is only read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.auth.policy import Principal
from backend.errors import DomainError
from backend.journeys import definition as defs
from backend.journeys.catalog import load_catalog
from backend.journeys.interpreter import advance, in_control_group
from backend.journeys.loading import JourneyCache
from backend.journeys.predicates import Facts, aggregates_of, evaluate
from backend.journeys.rules import decide_capture
from backend.journeys.state import Captured, EntryState, EventFacts, StepLogged, UserFacts
from backend.lifecycle import get_journey
from backend.models import Entry, Journey
from backend.processing.context import BatchContext
from backend.reports.users import user_by_external_id
from backend.settings import Settings
from backend.text_checks import storable

REENTRY_MODES = ("ONCE", "NOT_WHILE_ACTIVE", "RESTART", "EVERY_ENTRY")


@dataclass(frozen=True)
class PreviewRequest:
    definition: Any
    external_id: str
    event: EventFacts | None = None
    # A saved journey: its re-entry mode, control group and the user's entries in it.
    journey_id: int | None = None
    # Unsaved settings of the draft; they win over the saved journey's.
    reentry_mode: str | None = None
    control_group_percent: float | None = None


@dataclass(frozen=True)
class PreviewedStep:
    step_id: str
    kind: str
    outcome: str
    detail: str | None


@dataclass(frozen=True)
class Preview:
    steps: list[PreviewedStep]
    outcome: str  # WAITING, COMPLETED, EXITED, HALTED, FAILED or REFUSED
    blocked_reason: str | None
    problems: list[defs.Problem]
    # The step the entry is at after the pass (waiting, halted or failed there); None when it ended or was refused.
    current_step_id: str | None = None
    in_control_group: bool = False


@dataclass(frozen=True)
class _Settings:
    journey_id: int
    reentry_mode: str
    control_group_percent: float
    existing: list[tuple[int, str, int]]
    # The saved journey's groups (None for a draft of no journey): what it may send.
    access_groups: list[str] | None = None


def preview_journey(
    session: Session, settings: Settings | None, principal: Principal, request: PreviewRequest, now: datetime
) -> Preview:
    if not storable(request.external_id):
        raise DomainError("INVALID_INPUT", "externalId must be text without NUL characters", ["externalId"])
    user = user_by_external_id(session, request.external_id)
    if user is None:
        raise DomainError("NOT_FOUND", f"no user with external id {request.external_id!r}", ["externalId"])
    meta = _journey_settings(session, principal, request, user.id)
    catalog = load_catalog(session, principal, meta.access_groups)
    problems = defs.validate(request.definition, catalog=catalog)
    if not isinstance(request.definition, dict):
        return Preview([], "REFUSED", "the definition must be a JSON object", problems)
    journey = defs.compile(request.definition)
    ctx = BatchContext(session, settings, now, JourneyCache())
    specs = set(journey.aggregates) | set(_segment_aggregates(journey))
    ctx.load_users({user.id}, specs)
    facts = _as_if_tracked(ctx.users[user.id], request.event, now)
    refusal = _trigger_refuses(journey, facts, request.event, now) or _reentry_refuses(meta)
    if refusal:
        return Preview([], "REFUSED", refusal, problems)
    state = _new_entry(meta, journey, user.id, now, request)
    # A draft sends what its operator sees (a saved journey: what the journey may send).
    env = replace(ctx.env, resources=catalog.resources)
    after, effects = advance(state, journey, facts, now=now, stimulus=Captured(request.event), env=env)
    steps = [_step_of(e, journey, state) for e in effects if isinstance(e, StepLogged)]
    at = after.current_step_id if after.status in ("WAITING", "HALTED", "FAILED") else None
    return Preview(steps, after.status, _reason(after), problems, at, after.in_control_group)


def _journey_settings(session: Session, principal: Principal, request: PreviewRequest, user_id: int) -> _Settings:
    mode, percent, existing, jid, groups = "ONCE", 0.0, [], 0, None
    if request.journey_id is not None:
        saved: Journey = get_journey(session, principal, request.journey_id)
        jid, mode, percent = saved.id, saved.reentry_mode, saved.control_group_percent
        groups = list(saved.access_groups or [])
        existing = [
            tuple(r)
            for r in session.execute(
                select(Entry.id, Entry.status, Entry.round).where(Entry.journey_id == jid, Entry.user_id == user_id)
            )
        ]
    if request.reentry_mode is not None:
        if request.reentry_mode not in REENTRY_MODES:
            raise DomainError(
                "INVALID_INPUT", f"reentryMode must be one of {', '.join(REENTRY_MODES)}", ["reentryMode"]
            )
        mode = request.reentry_mode
    if request.control_group_percent is not None:
        if not 0 <= request.control_group_percent <= 100:
            raise DomainError("INVALID_INPUT", "controlGroupPercent must be between 0 and 100", ["controlGroupPercent"])
        percent = request.control_group_percent
    return _Settings(jid, mode, percent, existing, groups)  # type: ignore[arg-type]


def _as_if_tracked(user: UserFacts, event: EventFacts | None, now: datetime) -> UserFacts:
    """A real run processes an event after tracking stored it: the user's deposit summary
    and event counts and sums already include it. The preview's event is not stored, so it
    is added here the same way (intake's financial rules, the aggregates' where)."""
    if event is None:
        return user
    amount = event.properties.get("amount")
    numeric = isinstance(amount, (int, float)) and not isinstance(amount, bool)
    changes: dict[str, Any] = {}
    if event.name == "deposit" and numeric:
        last = user.last_deposit_at
        changes = {
            "deposit_count": user.deposit_count + 1,
            "deposit_total": user.deposit_total + float(amount or 0),
            "last_deposit_at": event.occurred_at if last is None or event.occurred_at > last else last,
        }
    aggregates = dict(user.aggregates)
    for spec, total in user.aggregates.items():
        if spec.name != event.name or not _counts(spec, event, user, now):
            continue
        value = event.properties.get(spec.property) if spec.kind == "sum" else 1
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            aggregates[spec] = total + float(value)
    return replace(user, aggregates=aggregates, **changes)


def _counts(spec: Any, event: EventFacts, user: UserFacts, now: datetime) -> bool:
    if spec.within_seconds is not None and event.occurred_at < now - timedelta(seconds=spec.within_seconds):
        return False
    where = spec.where_predicate
    return where is None or evaluate(where, Facts(now=now, user=user.as_dict(), event=event.as_dict()))


def _segment_aggregates(journey: defs.CompiledJourney) -> list[Any]:
    segment = journey.trigger.get("segment") if journey.trigger.get("kind") == "SCHEDULED_SEGMENT" else None
    return aggregates_of(segment) if isinstance(segment, dict) else []


def _trigger_refuses(
    journey: defs.CompiledJourney, user: UserFacts, event: EventFacts | None, now: datetime
) -> str | None:
    """Why the trigger would not capture this user now; None when it would."""
    trigger, kind = journey.trigger, journey.trigger.get("kind")
    if kind == "EVENT":
        wanted = trigger.get("event")
        if event is None:
            return f"the trigger captures users on the event '{wanted}': give an event to preview it"
        if event.name != wanted:
            return f"the trigger captures users on the event '{wanted}', not '{event.name}'"
        where = trigger.get("where")
        facts = Facts(now=now, user=user.as_dict(), event=event.as_dict(), aggregates=user.aggregates)
        if isinstance(where, dict) and not evaluate(where, facts):
            return "the trigger's condition (where) does not hold for this event and user"
    elif kind == "SCHEDULED_SEGMENT":
        segment = trigger.get("segment")
        facts = Facts(now=now, user=user.as_dict(), aggregates=user.aggregates)
        if isinstance(segment, dict) and not evaluate(segment, facts):
            return "the user is not in the journey's segment now"
    elif kind != "API":
        return "the trigger's kind must be EVENT, API or SCHEDULED_SEGMENT"
    return None


def _reentry_refuses(meta: _Settings) -> str | None:
    decision = decide_capture(meta.reentry_mode, meta.existing)
    if decision.enter:
        return None
    if meta.reentry_mode == "ONCE":
        return "re-entry mode ONCE: the user has already entered this journey"
    return "re-entry mode NOT_WHILE_ACTIVE: the user's entry in this journey is still running"


def _new_entry(
    meta: _Settings, journey: defs.CompiledJourney, user_id: int, now: datetime, request: PreviewRequest
) -> EntryState:
    decision = decide_capture(meta.reentry_mode, meta.existing)
    ladder = min(journey.ladder.items(), key=lambda kv: kv[1]) if journey.ladder else ("Entered", 0)
    control = in_control_group(journey_id=meta.journey_id, user_id=user_id, percent=meta.control_group_percent)
    return EntryState(
        entry_id=0,
        journey_id=meta.journey_id,
        user_id=user_id,
        round=decision.round,
        version=0,
        status="ACTIVE",
        in_control_group=control,
        entered_at=now,
        current_step_id=journey.start,
        step_entered_at=now,
        progress_name=ladder[0],
        progress_step=ladder[1],
        progress_at=now,
        payload=dict(request.event.properties) if request.event else None,
    )


def _step_of(line: StepLogged, journey: defs.CompiledJourney, state: EntryState) -> PreviewedStep:
    detail = line.detail
    step = journey.step(line.step_id)
    if step is not None and step.kind == "split":
        # Drawn per entry: the real entry has its own id, so its branch may differ.
        drawn = "one branch drawn at random per entry; the real entry may take another"
        detail = f"{detail}; {drawn}" if detail else drawn
    if line.kind in ("send", "bonus", "points") and state.in_control_group and not detail:
        detail = "control group"
    return PreviewedStep(line.step_id, line.kind, line.outcome, detail)


def _reason(state: EntryState) -> str | None:
    if state.blocked_reason:
        return state.blocked_reason
    if state.status in ("COMPLETED", "EXITED", "FAILED"):
        return state.stop_reason
    return None


__all__ = ["Preview", "PreviewRequest", "PreviewedStep", "preview_journey"]
