"""Journey statistics, live counts, funnel, control-group report and participant lists,
checked against entries the test wrote itself."""

from __future__ import annotations

from datetime import timedelta

from backend.models import Communication, Entry, Event, Journey, Resource, User, utcnow
from graphql_schema.ids import encode_id
from tests.conftest import make_operator

DEFINITION = {
    "trigger": {"kind": "API"},
    "start": "w",
    "steps": [
        {"id": "w", "kind": "wait", "seconds": 60, "next": "s", "name": "Wait a minute"},
        {"id": "s", "kind": "send", "resource": "Hi"},
    ],
}


def _seed(db, groups=None):
    """Journey with 8 entries: treatment 5 (3 converted), control 3 (1 converted)."""
    now = utcnow()
    with db.unit_of_work() as uow:
        s = uow.session
        j = Journey(name="Report", definition=DEFINITION, status="ACTIVE", access_groups=groups or [], tags=[])
        s.add(j)
        users = [
            User(
                external_id=f"p{i}",
                external_id_lc=f"p{i}",
                username=f"Player{i}",
                username_lc=f"player{i}",
                email=f"p{i}@example.com",
                email_lc=f"p{i}@example.com",
                attributes={},
                opt_outs=[],
            )
            for i in range(8)
        ]
        s.add_all(users)
        s.flush()
        spec = [  # (in control, status, step, converted, progress step, entered days ago)
            (False, "WAITING", "w", True, 50, 0),
            (False, "WAITING", "w", True, 50, 0),
            (False, "COMPLETED", "s", True, 50, 0),
            (False, "FAILED", "s", False, 10, 0),
            (False, "ACTIVE", "s", False, 0, 10),
            (True, "WAITING", "w", True, 50, 0),
            (True, "STOPPED", "w", False, 0, 0),
            (True, "EXITED", "w", False, 0, 0),
        ]
        for u, (cg, status, step, conv, progress, ago) in zip(users, spec, strict=True):
            ended = status in ("COMPLETED", "STOPPED", "EXITED", "FAILED")
            s.add(
                Entry(
                    journey_id=j.id,
                    user_id=u.id,
                    in_control_group=cg,
                    status=status,
                    current_step_id=step,
                    entered_at=now - timedelta(days=ago, minutes=5),
                    converted_at=now if conv else None,
                    stopped_at=now if ended else None,
                    progress_step=progress,
                    progress_name="x",
                    visits={},
                )
            )
        r = Resource(name="Hi", channel="EMAIL", body="Hello")
        s.add(r)
        s.flush()
        s.add(
            Communication(
                idempotency_key="k1",
                user_id=users[0].id,
                resource_id=r.id,
                journey_id=j.id,
                channel="EMAIL",
                status="FAILED",
            )
        )
        s.add(Communication(idempotency_key="k2", user_id=users[0].id, resource_id=r.id, channel="SMS", status="SENT"))
        s.add_all(
            [
                Event(
                    event_id=f"e{i}",
                    user_id=users[0].id,
                    name="deposit" if i % 2 else "login",
                    occurred_at=now,
                    properties={},
                )
                for i in range(5)
            ]
        )
        return j.id, users[0].id


REPORT = """query($id: ID!) { journey(id: $id) {
  stats(period: LAST_7_DAYS) { entered completed converted stopped exited failed errors inProgress }
  all: stats { entered }
  liveStats { stepId name kind count }
  funnel { status step count }
  controlGroupReport { treatment { entries conversions conversionRate } control { entries conversions conversionRate }
                       uplift upliftLow upliftHigh significant } } }"""


async def test_the_report_numbers_match_the_entries(admin, db):
    jid, _ = _seed(db)
    data = await admin(REPORT, {"id": encode_id("Journey", jid)})
    j = data["journey"]
    assert j["stats"] == {
        "entered": 7,
        "completed": 1,
        "converted": 4,
        "stopped": 1,
        "exited": 1,
        "failed": 1,
        "errors": 1,
        "inProgress": 4,
    }
    assert j["all"] == {"entered": 8}
    assert j["liveStats"] == [
        {"stepId": "w", "name": "Wait a minute", "kind": "wait", "count": 3},
        {"stepId": "s", "name": None, "kind": "send", "count": 1},
    ]
    funnel = {row["status"]: row["count"] for row in j["funnel"]}
    assert funnel == {"Entered": 8, "Sent": 5, "Delivered": 4, "Opened": 4, "Clicked": 4, "Converted": 4}
    report = j["controlGroupReport"]
    assert report["treatment"] == {"entries": 5, "conversions": 3, "conversionRate": 0.6}
    assert report["control"]["entries"] == 3 and report["control"]["conversions"] == 1
    assert abs(report["uplift"] - (0.6 - 1 / 3)) < 1e-9
    assert report["upliftLow"] < report["uplift"] < report["upliftHigh"]
    # Eight entries cannot show an uplift of 27 points to be real.
    assert report["significant"] is False and report["upliftLow"] < 0


async def test_the_entries_at_a_step_are_those_live_stats_counts(admin, db):
    jid, _ = _seed(db)
    q = """query($id: ID!, $step: String) { journey(id: $id) {
      liveStats { stepId count } entries(stepId: $step) { totalCount edges { node { status } } } } }"""
    gid = encode_id("Journey", jid)
    live = (await admin(q, {"id": gid}))["journey"]["liveStats"]
    assert {row["stepId"]: row["count"] for row in live} == {"w": 3, "s": 1}
    for row in live:
        at_step = (await admin(q, {"id": gid, "step": row["stepId"]}))["journey"]["entries"]
        assert at_step["totalCount"] == row["count"] == len(at_step["edges"])
        assert {e["node"]["status"] for e in at_step["edges"]} <= {"ACTIVE", "WAITING", "HALTED", "FROZEN"}


async def test_participants_search_filter_and_page(admin, db):
    jid, _ = _seed(db)
    q = """query($id: ID!, $s: String, $st: EntryStatus, $step: String, $cg: Boolean, $p: Period, $a: String) { journey(id: $id) {
      entries(first: 2, after: $a, search: $s, status: $st, stepId: $step, inControlGroup: $cg, period: $p) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { status inControlGroup user { externalId } } } } } }"""
    gid = encode_id("Journey", jid)
    everyone = (await admin(q, {"id": gid}))["journey"]["entries"]
    assert everyone["totalCount"] == 8 and everyone["pageInfo"]["hasNextPage"]
    rest = (await admin(q, {"id": gid, "a": everyone["pageInfo"]["endCursor"]}))["journey"]["entries"]
    assert {e["node"]["user"]["externalId"] for e in rest["edges"]}.isdisjoint(
        {e["node"]["user"]["externalId"] for e in everyone["edges"]}
    )
    assert (await admin(q, {"id": gid, "s": "PLAYER3"}))["journey"]["entries"]["edges"][0]["node"]["user"][
        "externalId"
    ] == "p3"
    assert (await admin(q, {"id": gid, "s": "p5@"}))["journey"]["entries"]["totalCount"] == 1
    assert (await admin(q, {"id": gid, "st": "WAITING"}))["journey"]["entries"]["totalCount"] == 3
    # At step w now: one waiting control entry; the stopped and the exited one left it.
    assert (await admin(q, {"id": gid, "step": "w", "cg": True}))["journey"]["entries"]["totalCount"] == 1
    assert (await admin(q, {"id": gid, "step": "w", "st": "STOPPED"}))["journey"]["entries"]["totalCount"] == 1
    assert (await admin(q, {"id": gid, "p": "LAST_24_HOURS"}))["journey"]["entries"]["totalCount"] == 7


async def test_a_users_entries_events_and_messages_respect_access_groups(client, db):
    _jid, uid = _seed(db, groups=["eu"])
    make_operator(db, "eu", "ANALYST", ["eu"])
    make_operator(db, "us", "ANALYST", ["us"])
    q = """query($id: ID!) { node(id: $id) { ... on User {
      entries { totalCount } events(name: "deposit") { totalCount edges { node { name } } }
      communications { totalCount edges { node { channel } } } } } }"""
    eu = await client(q, {"id": encode_id("User", uid)}, token=await client.login("eu", "password-123"))
    assert eu["node"]["entries"]["totalCount"] == 1 and eu["node"]["events"]["totalCount"] == 2
    assert eu["node"]["communications"]["totalCount"] == 2
    us = await client(q, {"id": encode_id("User", uid)}, token=await client.login("us", "password-123"))
    assert us["node"]["entries"]["totalCount"] == 0
    assert [e["node"]["channel"] for e in us["node"]["communications"]["edges"]] == ["SMS"]  # not the journey's


async def test_the_communication_log_and_the_channel_report(admin, db):
    jid, _uid = _seed(db)
    gid = encode_id("Journey", jid)
    q = """query($j: ID, $c: Channel, $st: DeliveryStatus, $r: String, $s: String) {
      communications(journeyId: $j, channel: $c, status: $st, resourceName: $r, search: $s) {
        totalCount edges { node { channel status resource { name } user { externalId } journey { name } } } } }"""
    everything = (await admin(q, {}))["communications"]
    assert everything["totalCount"] == 2
    journey_only = (await admin(q, {"j": gid}))["communications"]
    assert [e["node"]["journey"]["name"] for e in journey_only["edges"]] == ["Report"]
    assert (await admin(q, {"c": "SMS"}))["communications"]["totalCount"] == 1
    assert (await admin(q, {"st": "FAILED", "r": "Hi", "s": "player0"}))["communications"]["totalCount"] == 1
    assert (await admin(q, {"s": "nobody"}))["communications"]["totalCount"] == 0
    assert (await admin(q, {"r": "hI"}))["communications"]["totalCount"] == 2  # any case
    assert (await admin(q, {"r": "i"}))["communications"]["totalCount"] == 2  # any part of the name
    assert (await admin(q, {"r": "%"}))["communications"]["totalCount"] == 0  # a wildcard is a character
    per_journey = await admin(
        """query($id: ID!) { journey(id: $id) {
      communications(channel: EMAIL) { totalCount }
      communicationStats { resource { name } channel queued sent delivered opened machineOpened clicked failed suppressed } } }""",
        {"id": gid},
    )
    assert per_journey["journey"]["communications"]["totalCount"] == 1
    assert per_journey["journey"]["communicationStats"] == [
        {
            "resource": {"name": "Hi"},
            "channel": "EMAIL",
            "queued": 1,
            "sent": 0,
            "delivered": 0,
            "opened": 0,
            "machineOpened": 0,
            "clicked": 0,
            "failed": 1,
            "suppressed": 0,
        }
    ]
