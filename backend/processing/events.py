"""process_events: tracked events capture users into EVENT journeys and move their entries.

A batch goes through named stages, each a function over one `EventBatch`:
1. `load`: claim the events; read the live journeys; lock the entries the events can
   move (running ones, unconverted ones of journeys whose goal they are, ended ones a
   reactivation rule may run again); load what is known of their users;
2. `match`: which events trigger which EVENT journeys (the name, then the `where`);
3. `capture`: the entries of the users they capture (re-entry mode, rounds, control group);
4. `interpret`, event by event in the order they happened: the user's running entries
   react (exitWhen, moveWhen, a wait_for_event) and convert (goal), reactivation rules
   run ended entries again or start new ones, and the entries the event captured take
   their first steps, so a first `send` goes out with the event (an auto-responder).
   Captured entries whose first send needs no per-user decision skip this stage: their
   send is written set-based (backend.processing.first_sends);
   Reactivation comes after the reactions of the same event because it reads them: an
   entry an earlier event of the batch ended can be reactivated by a later one;
5. `write`: every effect in a few set-based statements; missions and badges move in
   the transaction that marks the events processed, so each event counts once;
6. follow-ups: after the commit, hints for delivery, the wallet and webhooks.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from backend.dialect import one_of
from backend.gamification.badges import award_badges, event_changes, merge_changes
from backend.gamification.missions import advance_missions
from backend.journeys.captures import Capture, JourneyMeta, capture_entries
from backend.journeys.definition import CompiledJourney
from backend.journeys.interpreter import advance, advance_with_user
from backend.journeys.loading import LiveJourney, TrackedEvent, claim_events, live_journeys
from backend.journeys.predicates import Facts, evaluate
from backend.journeys.rows import state_of
from backend.journeys.rules import (
    check_conversion,
    hold_inserted,
    pick_reactivation,
    reactivate,
    reactivation_applies,
)
from backend.journeys.state import (
    Captured,
    Due,
    Effect,
    EntryState,
    EventArrived,
    EventFacts,
    UserFacts,
    user_after,
)
from backend.models import Entry, Event
from backend.persistence.database import UnitOfWork
from backend.persistence.locks import lock_users
from backend.persistence.plan import WritePlan
from backend.processing.collect import collect
from backend.processing.context import BatchContext
from backend.processing.entries import send_follow_ups
from backend.processing.first_sends import entry_after_send, set_based, write_first_sends
from backend.processing.isolation import describe, run_isolated
from backend.processing.writer import Written, write_plan
from backend.segments.first_send import FirstSend
from backend.services import Services
from backend.statuses import ENDED

log = logging.getLogger(__name__)
MOVING = ("ACTIVE", "WAITING")


@dataclass(frozen=True)
class Move:
    """One entry's new state and the effects that got it there."""

    state: EntryState
    effects: list[Effect]
    # The user's facts once the effects are written, when the move worked them out already.
    user: UserFacts | None = None


@dataclass
class EventBatch:
    """What one batch works on, from its load to its write."""

    ctx: BatchContext
    events: list[TrackedEvent]
    live: dict[int, LiveJourney]
    # Every entry the batch may move, as it stands now; and as it was loaded.
    states: dict[int, EntryState]
    loaded: dict[int, EntryState]
    # Entry ids of each user, in the order the batch met them.
    by_user: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    effects: dict[int, list[Effect]] = field(default_factory=lambda: defaultdict(list))
    # Entries each event captured (by event id), before their first steps.
    captured: dict[int, list[EntryState]] = field(default_factory=lambda: defaultdict(list))
    # New entries with an id but no row yet: written once, after their first steps.
    unwritten: dict[int, dict[str, Any]] = field(default_factory=dict)
    # Captured entries whose first send is written set-based, by entry id: their plan.
    first_sends: dict[int, FirstSend] = field(default_factory=dict)

    @property
    def session(self) -> Session:
        return self.ctx.session

    @property
    def now(self) -> datetime:
        return self.ctx.now

    def journey(self, state: EntryState) -> CompiledJourney:
        return self.ctx.journey(state.journey_id, state.version)

    def user(self, user_id: int) -> UserFacts:
        return self.ctx.users[user_id]

    def pending(self, journey_id: int) -> list[tuple[int, int, str, int]]:
        """This batch's new entries of a journey not written yet: (id, user, status, round)."""
        return [
            (pk, row["user_id"], self.states[pk].status if pk in self.states else row["status"], row["round"])
            for pk, row in self.unwritten.items()
            if row["journey_id"] == journey_id
        ]

    def in_order(self) -> list[TrackedEvent]:
        return sorted(self.events, key=lambda e: (e.occurred_at, e.id))

    def apply(self, move: Move) -> None:
        """Takes an entry's move: its new state, its effects, and what they change for its user."""
        s = move.state
        if s.entry_id not in self.states:
            self.by_user[s.user_id].append(s.entry_id)
        self.states[s.entry_id] = s
        self.effects[s.entry_id] += move.effects
        if move.user is not None:
            self.ctx.users[s.user_id] = move.user
        else:
            self.ctx.users[s.user_id] = user_after(self.user(s.user_id), move.effects, self.ctx.env.levels)


def process_events(services: Services, *, event_ids: list[int], now: datetime | None = None) -> int:
    """Returns how many events were processed. An event its batch cannot be written
    with is put by on its own, with the error (backend.processing.isolation)."""
    at = now or services.clock()
    result = run_isolated(lambda ids: _process(services, ids, at), sorted(set(event_ids)))
    if result.poisoned:
        set_aside(services, result.poisoned, at)
    return result.handled


def _process(services: Services, event_ids: list[int], now: datetime) -> int:
    with services.db.unit_of_work() as uow:
        batch = load(uow.session, services, event_ids, now)
        if batch is None:
            return 0
        capture(batch, match(batch))
        interpret(batch)
        written = write(uow, batch)
        send_follow_ups(uow, services, written)
        return len(batch.events)


def set_aside(services: Services, errors: Mapping[int, Exception], now: datetime) -> None:
    """Events that could not be processed with their batch: marked processed, with the
    error, so they are not tried for ever (those still pending: another worker may have
    processed one)."""
    with services.db.unit_of_work() as uow:
        for event_id, exc in sorted(errors.items()):
            error = f"could not be processed: {describe(exc)}"
            log.error("event %s put by: %s", event_id, error)
            uow.session.execute(
                update(Event)
                .where(Event.id == event_id, Event.processed_at.is_(None))
                .values(processed_at=now, claimed_until=None, error=error)
            )


# -- load -----------------------------------------------------------------------------------


def load(session: Session, services: Services, event_ids: list[int], now: datetime) -> EventBatch | None:
    events = claim_events(session, event_ids, now)
    if not events:
        return None
    ctx = BatchContext(session, services.settings, now, services.journeys)
    live = live_journeys(session, services.journeys)
    names = {e.name for e in events}
    user_ids = {e.user_id for e in events}
    states = _lock_entries(session, live, names, user_ids)
    journeys = [ctx.journey(s.journey_id, s.version) for s in states.values()]
    aggregates = {spec for j in (*journeys, *(lj.journey for lj in live.values())) for spec in j.aggregates}
    ctx.load_users(user_ids, aggregates)
    batch = EventBatch(ctx=ctx, events=events, live=live, states=states, loaded=dict(states))
    for entry_id, state in states.items():
        batch.by_user[state.user_id].append(entry_id)
    return batch


def _lock_entries(
    session: Session, live: dict[int, LiveJourney], names: set[str], user_ids: set[int]
) -> dict[int, EntryState]:
    """The entries these events can move, locked for this transaction, in id order."""
    goal_journeys = [jid for jid, lj in live.items() if lj.journey.goal and lj.journey.goal.get("event") in names]
    users = one_of(session, Entry.user_id, user_ids)
    movable = or_(
        Entry.status.in_(MOVING),
        Entry.converted_at.is_(None) & Entry.journey_id.in_(goal_journeys or [-1]),
    )
    entries = select(*Entry.__table__.c)
    rows = session.execute(entries.where(users, movable).order_by(Entry.id).with_for_update())
    states = {row.id: state_of(row) for row in rows}
    reactivating = _reactivating(live, names)
    if reactivating:
        ended = (
            entries.where(
                users, Entry.journey_id.in_(reactivating), Entry.status.in_(ENDED), Entry.reactivated_at.is_(None)
            )
            .order_by(Entry.id)
            .with_for_update()
        )
        states.update({row.id: state_of(row) for row in session.execute(ended)})
    return states


def _reactivating(live: dict[int, LiveJourney], names: set[str]) -> list[int]:
    return [
        jid for jid, lj in live.items() if lj.journey.reactivation and lj.journey.reactivation.get("event") in names
    ]


# -- match and capture ----------------------------------------------------------------------


def match(batch: EventBatch) -> dict[int, list[Capture]]:
    """The users each EVENT journey captures: one capture per event that triggers it."""
    found: dict[int, list[Capture]] = {}
    names = {e.name for e in batch.events}
    for jid, lj in batch.live.items():
        if lj.trigger_kind != "EVENT" or lj.trigger_event not in names:
            continue
        found[jid] = [
            Capture(e.user_id, dict(e.properties or {}), e.id) for e in batch.events if _triggers(batch, lj, e)
        ]
    return found


def _triggers(batch: EventBatch, lj: LiveJourney, event: TrackedEvent) -> bool:
    trigger = lj.journey.trigger
    if event.name != trigger.get("event"):
        return False
    where = trigger.get("where")
    if where is None:
        return True
    user = batch.user(event.user_id)
    facts = Facts(
        now=batch.now,
        user=user.as_dict(),
        event={"name": event.name, "properties": event.properties or {}},
        aggregates=user.aggregates,
    )
    return evaluate(where, facts)


def capture(batch: EventBatch, captures: dict[int, list[Capture]]) -> None:
    """The entries the captures start. A capture reads the user's entries of the journey
    to decide the new round; another batch capturing the same user at once would read
    the same and write the same round (refused by the unique key, the batch split and run
    again), so the captured users are held until this transaction ends."""
    lock_users(batch.session, "capture", (c.user_id for caps in captures.values() for c in caps))
    for jid, caps in captures.items():
        lj = batch.live[jid]
        new = capture_entries(batch.session, lj.meta, lj.journey, caps, batch.now, pending=batch.pending(jid))
        batch.unwritten.update(new.unwritten)
        for state, event_id in new.states:
            assert event_id is not None, "an event's capture is tagged with the event's id"
            batch.captured[event_id].append(state)
    chosen = set_based(
        batch.session,
        live=batch.live,
        events=batch.events,
        captured=(s for states in batch.captured.values() for s in states),
        held_users={s.user_id for s in batch.loaded.values()},
        frequency_cap=batch.ctx.env.frequency_cap,
        resources=batch.ctx.journey_resources,
    )
    for plan, entry_ids in chosen.values():
        # Only entries without a row yet: they are inserted once, past their send.
        batch.first_sends.update({pk: plan for pk in entry_ids if pk in batch.unwritten})


# -- interpret ------------------------------------------------------------------------------


def interpret(batch: EventBatch) -> None:
    reactivating = {name: _reactivating(batch.live, {name}) for name in {e.name for e in batch.events}}
    for event in batch.in_order():
        facts = EventFacts(event.name, event.properties or {}, event.occurred_at)
        for entry_id in list(batch.by_user[event.user_id]):
            batch.apply(react(batch, batch.states[entry_id], facts))
        for jid in reactivating[event.name]:
            for move in reactivations(batch, batch.live[jid], event.user_id, facts):
                batch.apply(move)
        for state in batch.captured.get(event.id, []):
            if state.entry_id not in batch.first_sends:
                batch.apply(start(batch, state, facts))


def react(batch: EventBatch, state: EntryState, event: EventFacts) -> Move:
    """A running entry's rules and wait, then its goal, for one event of its user."""
    journey, user = batch.journey(state), batch.user(state.user_id)
    effects: list[Effect] = []
    if _reacts(journey, state, event.name):
        stimulus = EventArrived(event)
        state, effects, user = advance_with_user(
            state, journey, user, now=batch.now, stimulus=stimulus, env=batch.ctx.env
        )
    # A conversion logs a step and changes nothing known of the user.
    state, converted = check_conversion(state, journey, user, event, batch.now)
    return Move(state, effects + converted, user)


def _reacts(journey: CompiledJourney, state: EntryState, name: str) -> bool:
    if state.status not in MOVING:
        return False
    if state.waiting_event == name:
        return True
    return any(r.get("event") == name for r in (*journey.exit_when, *journey.move_when))


def reactivations(batch: EventBatch, lj: LiveJourney, user_id: int, event: EventFacts) -> Iterator[Move]:
    """The journey's reactivation rule: the user's ended entry runs again, or a new one starts."""
    journey, user, now, env = lj.journey, batch.user(user_id), batch.now, batch.ctx.env
    if not reactivation_applies(journey, event, user, now):
        return
    ended = [batch.states[e] for e in batch.by_user[user_id] if batch.states[e].journey_id == lj.meta.id]
    chosen = pick_reactivation(journey, ended, now)
    if chosen is not None:
        state, effects = reactivate(chosen, journey, now)
        state.version = lj.meta.version  # it goes on in the journey's current version
        if state.status == "ACTIVE":
            state, more = advance(state, journey, user, now=now, stimulus=Due(), env=env)
            effects = effects + more
        yield Move(state, effects)
        return
    if journey.reactivation and journey.reactivation.get("insertIfNone"):
        # A new entry whatever the re-entry mode: the rule asks for one.
        meta = JourneyMeta(lj.meta.id, lj.meta.version, "EVERY_ENTRY", lj.meta.control_group_percent)
        caps = [Capture(user_id, dict(event.properties), None)]
        new = capture_entries(batch.session, meta, journey, caps, now, pending=batch.pending(meta.id))
        batch.unwritten.update(new.unwritten)
        for state, _tag in new.states:
            held = hold_inserted(state, journey, now)
            yield Move(*held) if held is not None else start(batch, state, event)


def start(batch: EventBatch, state: EntryState, event: EventFacts) -> Move:
    """A new entry's first steps, with the event that captured it."""
    journey, user = batch.journey(state), batch.user(state.user_id)
    state, effects, user = advance_with_user(
        state, journey, user, now=batch.now, stimulus=Captured(event), env=batch.ctx.env
    )
    return Move(state, effects, user)


# -- write ----------------------------------------------------------------------------------


def write(uow: UnitOfWork, batch: EventBatch) -> Written:
    session, now, ctx = uow.session, batch.now, batch.ctx
    plan = WritePlan()
    for entry_id, effects in batch.effects.items():
        state = batch.states[entry_id]
        if effects or state != batch.loaded.get(entry_id) or entry_id in batch.unwritten:
            collect(plan, ctx, state, effects, ctx.users[state.user_id], now)
    for entry_id, created in batch.unwritten.items():
        first = batch.first_sends.get(entry_id)
        if first is not None:
            plan.entry_inserts[entry_id] = entry_after_send(first, created, now)
        else:
            plan.entry_inserts[entry_id] = {**created, **plan.entry_updates.pop(entry_id)}
    # Missions and badges in the transaction that marks the events processed: each event counts once.
    advance_missions(session, events=batch.events, users=ctx.users, plan=plan, template_ids=ctx.template_ids, now=now)
    written = write_first_sends(session, batch.first_sends, write_plan(uow, plan), now)
    award_badges(session, changes=merge_changes(event_changes(batch.events), written.changed), now=now)
    return written
