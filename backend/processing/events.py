"""process_events: tracked events capture users into EVENT journeys and move their entries.

For each event, in the order they happened: running entries of its user react to it
(exitWhen, moveWhen, a wait_for_event), entries whose goal it is convert, and EVENT
journeys it triggers capture the user, whose first steps run in the same pass (so a
first `send` goes out with the event: an auto-responder). The events then move
their users' mission progress and may earn badges, in the transaction that marks
them processed, so each event counts once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update

from backend.gamification.badges import award_badges, event_changes, merge_changes
from backend.gamification.missions import advance_missions
from backend.journeys.interpreter import advance
from backend.journeys.predicates import Facts, evaluate
from backend.journeys.rules import check_conversion, pick_reactivation, reactivate, reactivation_applies
from backend.journeys.state import Captured, Due, EntryState, EventArrived, EventFacts
from backend.models import Entry, Event
from backend.processing.captures import Capture, JourneyMeta, create_entries, live_meta
from backend.processing.collect import collect
from backend.processing.context import BatchContext, state_of
from backend.processing.entries import send_follow_ups
from backend.processing.loading import claim_events
from backend.processing.plan import WritePlan
from backend.processing.writer import write_plan
from backend.services import Services


def _reacts(journey: Any, state: EntryState, name: str) -> bool:
    if state.status not in ("ACTIVE", "WAITING"):
        return False
    if state.waiting_event == name:
        return True
    return any(r.get("event") == name for r in (*journey.exit_when, *journey.move_when))


def process_events(services: Services, *, event_ids: list[int], now: datetime | None = None) -> int:
    now = now or services.clock()
    db = services.db
    with db.unit_of_work() as uow:
        session = uow.session
        events = claim_events(session, event_ids)
        if not events:
            return 0
        ctx = BatchContext(session, services.settings, now, services.journeys)
        live = ctx.cache.live_journeys(session)
        live_compiled = {jid: ctx.journey(jid, ver) for jid, ver, _, _ in live}
        names = {e.name for e in events}
        user_ids = {e.user_id for e in events}
        goal_journeys = [jid for jid, j in live_compiled.items() if j.goal and j.goal.get("event") in names]
        stmt = (
            select(Entry)
            .where(
                Entry.user_id.in_(sorted(user_ids)),
                or_(
                    Entry.status.in_(("ACTIVE", "WAITING")),
                    Entry.converted_at.is_(None) & Entry.journey_id.in_(goal_journeys or [-1]),
                ),
            )
            .order_by(Entry.id)
        )
        if db.dialect == "postgresql":
            stmt = stmt.with_for_update()
        states: dict[int, EntryState] = {row.id: state_of(row) for row in session.scalars(stmt)}
        react_journeys = [
            jid for jid, j in live_compiled.items() if j.reactivation and j.reactivation.get("event") in names
        ]
        if react_journeys:
            ended = (
                select(Entry)
                .where(
                    Entry.user_id.in_(sorted(user_ids)),
                    Entry.journey_id.in_(react_journeys),
                    Entry.status.in_(("COMPLETED", "EXITED", "STOPPED", "FAILED")),
                    Entry.reactivated_at.is_(None),
                )
                .order_by(Entry.id)
            )
            if db.dialect == "postgresql":
                ended = ended.with_for_update()
            states.update({row.id: state_of(row) for row in session.scalars(ended)})
        before = dict(states)
        compiled = {(s.journey_id, s.version): ctx.journey(s.journey_id, s.version) for s in states.values()}
        aggregates = {spec for j in (*compiled.values(), *live_compiled.values()) for spec in j.aggregates}
        ctx.load_users(user_ids, aggregates)

        captured: dict[int, list[EntryState]] = defaultdict(list)
        triggers = [(jid, ver) for jid, ver, kind, name in live if kind == "EVENT" and name in names]
        metas = live_meta(session, [jid for jid, _ in triggers])
        for jid, ver in triggers:
            journey, meta = live_compiled[jid], metas.get(jid)
            if meta is None:
                continue
            where = journey.trigger.get("where")
            caps = [
                Capture(e.user_id, dict(e.properties or {}), e.id)
                for e in events
                if e.name == journey.trigger.get("event")
                and (
                    where is None
                    or evaluate(
                        where,
                        Facts(
                            now=now,
                            user=ctx.users[e.user_id].as_dict(),
                            event={"name": e.name, "properties": e.properties or {}},
                            aggregates=ctx.users[e.user_id].aggregates,
                        ),
                    )
                )
            ]
            new, _ = create_entries(session, meta, journey, caps, now)
            compiled[(jid, meta.version)] = journey
            for state, event_id in new:
                captured[event_id].append(state)

        effects: dict[int, list] = defaultdict(list)
        by_user: dict[int, list[int]] = defaultdict(list)
        for eid, s in states.items():
            by_user[s.user_id].append(eid)
        metas_cache: dict[int, Any] = {}

        def metas_all(session: Any, ids: list[int]) -> dict[int, Any]:
            if not metas_cache:
                metas_cache.update(live_meta(session, ids))
            return metas_cache

        for ev in sorted(events, key=lambda e: (e.occurred_at, e.id)):
            facts = EventFacts(ev.name, ev.properties or {}, ev.occurred_at)
            user = ctx.users[ev.user_id]
            for eid in by_user[ev.user_id]:
                state = states[eid]
                journey = compiled[(state.journey_id, state.version)]
                if _reacts(journey, state, ev.name):
                    state, fx = advance(state, journey, user, now=now, stimulus=EventArrived(facts), env=ctx.env)
                    effects[eid] += fx
                state, fx = check_conversion(state, journey, user, facts, now)
                effects[eid] += fx
                states[eid] = state
            for jid in react_journeys:
                _reactivate(
                    session,
                    ctx,
                    jid,
                    live_compiled[jid],
                    metas_all(session, react_journeys),
                    user,
                    facts,
                    now,
                    states,
                    by_user,
                    effects,
                    compiled,
                )
            for state in captured.get(ev.id, []):
                journey = compiled[(state.journey_id, state.version)]
                state, fx = advance(state, journey, user, now=now, stimulus=Captured(facts), env=ctx.env)
                states[state.entry_id] = state
                effects[state.entry_id] += fx
                by_user[ev.user_id].append(state.entry_id)

        plan = WritePlan()
        for eid, fx in effects.items():
            state = states[eid]
            if fx or state != before.get(eid):
                collect(plan, ctx, state, fx, ctx.users[state.user_id], now)
        # Missions and badges in the transaction that marks the events processed: each event counts once.
        advance_missions(session, events=events, users=ctx.users, plan=plan, template_ids=ctx.template_ids, now=now)
        session.execute(
            update(Event).where(Event.id.in_([e.id for e in events])).values(processed_at=now, claimed_until=None)
        )
        written = write_plan(uow, plan)
        award_badges(session, changes=merge_changes(event_changes(events), written.changed), now=now)
        send_follow_ups(uow, services, written)
        return len(events)


def _reactivate(
    session: Any,
    ctx: BatchContext,
    jid: int,
    journey: Any,
    metas: dict[int, Any],
    user: Any,
    facts: EventFacts,
    now: datetime,
    states: dict[int, EntryState],
    by_user: dict[int, list[int]],
    effects: dict[int, list],
    compiled: dict,
) -> None:
    """The journey's reactivation rule: an ended entry runs again, or a new one starts."""
    if not reactivation_applies(journey, facts, user, now) or jid not in metas:
        return
    meta = metas[jid]
    ended = [states[e] for e in by_user[user.user_id] if states[e].journey_id == jid]
    chosen = pick_reactivation(journey, ended, now)
    if chosen is not None:
        state, fx = reactivate(chosen, journey, now)
        state.version = meta.version  # it goes on in the journey's current version
        compiled[(jid, meta.version)] = journey
        if state.status == "ACTIVE":
            state, more = advance(state, journey, user, now=now, stimulus=Due(), env=ctx.env)
            fx = fx + more
        states[state.entry_id] = state
        effects[state.entry_id] += fx
        return
    if journey.reactivation.get("insertIfNone"):
        # A new entry whatever the re-entry mode: the rule asks for one.
        fresh = JourneyMeta(meta.id, meta.version, "EVERY_ENTRY", meta.control_group_percent)
        new, _ = create_entries(session, fresh, journey, [Capture(user.user_id, dict(facts.properties), None)], now)
        compiled[(jid, meta.version)] = journey
        for state, _tag in new:
            state, fx = advance(state, journey, user, now=now, stimulus=Captured(facts), env=ctx.env)
            states[state.entry_id] = state
            effects[state.entry_id] += fx
            by_user[user.user_id].append(state.entry_id)
