"""Points from the profile, levels, the leaderboard and the gamification facts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from backend.gamification.points import rebuild_balance
from backend.models import PointsLedger, User, utcnow
from tests.wiring import services_for

ADJUST = """mutation($x: String!, $a: Int!, $r: String!) { adjustPoints(externalId: $x, amount: $a, reason: $r) {
  gamification { points level { name threshold } } errors { code field } } }"""


async def test_adjustments_are_ledger_lines_and_the_balance_follows(admin, db):
    await admin(
        'mutation { upsertUsers(users: [{externalId: "p1"}, {externalId: "p2"}, {externalId: "p3"}]) { created } }'
    )
    await admin(
        'mutation { setLevels(levels: [{name: "Bronze", threshold: 0}, {name: "Silver", threshold: 100}]) { errors { code } } }'
    )
    up = (await admin(ADJUST, {"x": "p1", "a": 150, "r": "VIP welcome"}))["adjustPoints"]
    assert up == {"gamification": {"points": 150, "level": {"name": "Silver", "threshold": 100}}, "errors": []}
    down = (await admin(ADJUST, {"x": "p1", "a": -70, "r": "correction"}))["adjustPoints"]
    assert down["gamification"] == {"points": 80, "level": {"name": "Bronze", "threshold": 0}}
    for bad in ({"x": "p1", "a": 0, "r": "x"}, {"x": "p1", "a": 5, "r": " "}, {"x": "nobody", "a": 5, "r": "x"}):
        assert (await admin(ADJUST, bad))["adjustPoints"]["errors"][0]["code"] in ("INVALID_INPUT", "NOT_FOUND")
    with db.read() as s:
        p1 = s.scalar(select(User).where(User.external_id == "p1"))
        lines = list(s.scalars(select(PointsLedger).where(PointsLedger.user_id == p1.id).order_by(PointsLedger.id)))
        assert [(line.amount, line.reason, line.source, line.created_by) for line in lines] == [
            (150, "VIP welcome", "manual", "admin"),
            (-70, "correction", "manual", "admin"),
        ]
        assert rebuild_balance(s, p1.id) == p1.points == 80
    await admin(ADJUST, {"x": "p2", "a": 80, "r": "tie"})
    await admin(ADJUST, {"x": "p3", "a": 30, "r": "small"})
    with db.unit_of_work() as uow:  # an old line, outside the last 7 days
        p3 = uow.session.scalar(select(User).where(User.external_id == "p3"))
        uow.session.add(
            PointsLedger(
                user_id=p3.id, amount=500, reason="old", source="manual", created_at=utcnow() - timedelta(days=20)
            )
        )
    board = await admin(
        "{ leaderboard(period: LAST_7_DAYS) { rank points user { externalId } } all: leaderboard(first: 1) { rank points user { externalId } } }"
    )
    assert [(r["rank"], r["points"], r["user"]["externalId"]) for r in board["leaderboard"]] == [
        (1, 80, "p1"),
        (1, 80, "p2"),
        (3, 30, "p3"),
    ]
    assert board["all"] == [{"rank": 1, "points": 530, "user": {"externalId": "p3"}}]
    facts = await admin(
        '{ user(externalId: "p1") { gamification { points badges { badge { name } } missions { progress } } bonuses { id } } }'
    )
    assert facts["user"] == {"gamification": {"points": 80, "badges": [], "missions": []}, "bonuses": []}


async def test_analysts_may_not_adjust_points(client, db):
    from tests.conftest import make_operator

    make_operator(db, "ana", "ANALYST")
    token = await client.login("ana", "password-123")
    data = await client(ADJUST, {"x": "p1", "a": 5, "r": "x"}, token=token)
    assert data["adjustPoints"]["errors"][0]["code"] == "FORBIDDEN"


GRANT = """mutation($x: String!, $t: ID!, $r: String!) { grantBonus(externalId: $x, templateId: $t, requestId: $r) {
  bonus { id status error template { name } entry { id } user { externalId } } errors { code field } } }"""


async def test_grant_bonus_from_the_profile_is_idempotent_and_shows_in_the_profile(admin, db, queue, settings):
    from backend.models import Bonus
    from backend.processing.bonuses import grant

    await admin('mutation { upsertUsers(users: [{externalId: "p1"}, {externalId: "p2"}]) { created } }')
    made = await admin(
        'mutation { createBonusTemplate(input: {name: "5 EUR", kind: "CASH", amount: 5, currency: "EUR"}) { bonusTemplate { id } } }'
    )
    tid = made["createBonusTemplate"]["bonusTemplate"]["id"]
    first = (await admin(GRANT, {"x": "p1", "t": tid, "r": "ticket-42"}))["grantBonus"]
    assert first["errors"] == [] and first["bonus"]["status"] == "PENDING"
    assert first["bonus"]["template"] == {"name": "5 EUR"} and first["bonus"]["entry"] is None
    again = (await admin(GRANT, {"x": "p1", "t": tid, "r": "ticket-42"}))["grantBonus"]
    assert again["bonus"]["id"] == first["bonus"]["id"]
    assert len([c for c in queue.calls if c[0] == "grant_bonuses"]) == 1  # hinted once, after the first commit
    refused = [
        (await admin(GRANT, v))["grantBonus"]
        for v in (
            {"x": "p2", "t": tid, "r": "ticket-42"},
            {"x": "nobody", "t": tid, "r": "t2"},
            {"x": "p1", "t": "nonsense", "r": "t3"},
            {"x": "p1", "t": tid, "r": ""},
        )
    ]
    assert [r["errors"][0]["code"] for r in refused] == ["CONFLICT", "NOT_FOUND", "NOT_FOUND", "INVALID_INPUT"]
    assert all(r["bonus"] is None for r in refused)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Bonus)) == 1
    [(_, (ids,))] = [c for c in queue.calls if c[0] == "grant_bonuses"]
    grant(services_for(db, queue, settings), bonus_ids=ids)  # the sandbox: no wallet set
    profile = await admin('{ user(externalId: "p1") { bonuses { id status grantedAt error } } }')
    [bonus] = profile["user"]["bonuses"]
    assert (bonus["id"], bonus["status"], bonus["error"]) == (first["bonus"]["id"], "GRANTED", None)
    assert bonus["grantedAt"] is not None


async def test_analysts_may_not_grant_bonuses(client, db):
    from tests.conftest import make_operator

    make_operator(db, "ana", "ANALYST")
    token = await client.login("ana", "password-123")
    data = await client(GRANT, {"x": "p1", "t": "x", "r": "r"}, token=token)
    assert data["grantBonus"]["errors"][0]["code"] == "FORBIDDEN"


async def test_badges_missions_and_levels_show_in_the_profile(admin, db, queue):
    from backend.processing.events import process_events

    bad = await admin(
        'mutation($r: JSON!) { createBadge(input: {name: "Bad", rule: $r}) { badge { id } errors { code field } } }',
        {"r": {"field": "user.points", "op": "gte"}},
    )
    assert bad["createBadge"] == {"badge": None, "errors": [{"code": "INVALID_INPUT", "field": ["input", "rule"]}]}
    assert (await admin("{ badges { name } }"))["badges"] == []
    await admin(
        'mutation($r: JSON!) { createBadge(input: {name: "Regular", rule: $r}) { errors { code } } }',
        {"r": {"eventCount": {"name": "login"}, "op": "gte", "value": 2}},
    )
    await admin(
        'mutation { createBonusTemplate(input: {name: "Spins", kind: "FREE_SPINS", amount: 10}) { errors { code } } }'
    )
    made = await admin(
        'mutation($g: JSON!, $r: JSON!) { createMission(input: {name: "Log in twice", goal: $g, reward: $r}) { errors { code } } }',
        {"g": {"event": "login", "measure": "count", "target": 2}, "r": {"points": 150, "bonusTemplate": "Spins"}},
    )
    assert made["createMission"]["errors"] == []
    await admin(
        'mutation { setLevels(levels: [{name: "Bronze", threshold: 0}, {name: "Silver", threshold: 200}]) { errors { code } } }'
    )
    track = "mutation($e: [EventInput!]!) { trackEvents(events: $e) { accepted } }"
    for i in range(2):
        await admin(track, {"e": [{"eventId": f"l{i}", "externalId": "p1", "name": "login"}]})
    for _name, (ids,) in [c for c in queue.calls if c[0] == "process_events"]:
        process_events(services_for(db, queue), event_ids=ids)
    query = """{ user(externalId: "p1") { gamification { points level { name } badges { badge { name } awardedAt }
      missions { mission { name } progress target completedAt } } bonuses { status template { name } entry { id } } } }"""
    user = (await admin(query))["user"]
    facts = user["gamification"]
    assert (facts["points"], facts["level"]) == (150, {"name": "Bronze"})
    assert [b["badge"]["name"] for b in facts["badges"]] == ["Regular"] and facts["badges"][0]["awardedAt"]
    [mission] = facts["missions"]
    assert (mission["mission"]["name"], mission["progress"], mission["target"]) == ("Log in twice", 2.0, 2.0)
    assert mission["completedAt"] is not None
    assert user["bonuses"] == [{"status": "PENDING", "template": {"name": "Spins"}, "entry": None}]
    # New thresholds apply at once.
    await admin(
        'mutation { setLevels(levels: [{name: "Bronze", threshold: 0}, {name: "Silver", threshold: 100}]) { errors { code } } }'
    )
    assert (await admin(query))["user"]["gamification"]["level"] == {"name": "Silver"}


async def test_a_balance_stays_where_graphql_can_show_it(admin, db):
    await admin('mutation { upsertUsers(users: [{externalId: "big"}]) { created } }')
    for _ in range(2):
        assert (await admin(ADJUST, {"x": "big", "a": 1_000_000_000, "r": "jackpot"}))["adjustPoints"]["errors"] == []
    refused = (await admin(ADJUST, {"x": "big", "a": 1, "r": "one more"}))["adjustPoints"]
    assert refused == {"gamification": None, "errors": [{"code": "INVALID_INPUT", "field": ["amount"]}]}
    with db.read() as s:
        user = s.scalar(select(User).where(User.external_id == "big"))
        assert user.points == 2_000_000_000 == rebuild_balance(s, user.id)  # the refused line was not written
    shown = await admin('{ user(externalId: "big") { gamification { points } } }')
    assert shown["user"]["gamification"]["points"] == 2_000_000_000


MISSION = """mutation($g: JSON!, $r: JSON!) { createMission(input: {name: "M", goal: $g, reward: $r}) {
  mission { reward } errors { code field } } }"""


async def test_create_mission_answers_a_bad_reward_with_a_user_error(admin, db):
    from backend.models import Mission

    made = await admin(
        'mutation { createBonusTemplate(input: {name: "Spins", kind: "FREE_SPINS", amount: 10}) { bonusTemplate { id } } }'
    )
    tid = made["createBonusTemplate"]["bonusTemplate"]["id"]
    goal = {"event": "login", "target": 1}
    for reward in (
        {"bonusTemplate": 10**20},
        {"bonusTemplate": True},
        {"bonusTemplate": 1.0},
        {"points": 10**20},
        {"points": 1_000_001},
    ):
        body = await admin.raw(MISSION, {"g": goal, "r": reward})
        assert "errors" not in body, body
        assert body["data"]["createMission"] == {
            "mission": None,
            "errors": [{"code": "INVALID_INPUT", "field": ["input", "reward"]}],
        }
    body = await admin.raw(MISSION, {"g": {"event": "e" * 121, "target": 1}, "r": {"points": 1}})
    assert body["data"]["createMission"]["errors"] == [{"code": "INVALID_INPUT", "field": ["input", "goal"]}]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Mission)) == 0
    ok = await admin(MISSION, {"g": goal, "r": {"points": 1_000_000, "bonusTemplate": tid}})
    assert ok["createMission"] == {
        "mission": {"reward": {"points": 1_000_000, "bonusTemplate": tid, "bonusTemplateId": tid}},
        "errors": [],
    }
