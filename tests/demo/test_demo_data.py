"""`questline demo --players 150` on SQLite and on PostgreSQL: everything the backoffice
shows is there, read through the GraphQL API, and the reports agree with the rows."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from backend.models import Base, Event, Journey, Operator, User, UTCDateTime
from tests.demo.conftest import PASSWORD

JOURNEYS = """{ journeys(first: 50) { totalCount edges { node {
  id name status triggerKind freezeOnStop accessGroups nextRunAt
  versions { version } problems { stepId severity message }
} } } }"""
ENTRY_STATUSES = ("WAITING", "HALTED", "FROZEN", "COMPLETED", "EXITED", "STOPPED")
DELIVERY_STATUSES = ("QUEUED", "SENDING", "SENT", "DELIVERED", "FAILED", "BOUNCED", "SUPPRESSED")
CHANNELS = ("EMAIL", "SMS", "POPUP", "PUSH", "IVR")


async def _journeys(api) -> dict[str, dict]:
    data = await api(JOURNEYS)
    return {e["node"]["name"]: e["node"] for e in data["journeys"]["edges"]}


async def _entries(api, journey_id: str, **filters) -> dict:
    args = "".join(f", {k}: {v}" for k, v in filters.items())
    query = f"""query($id: ID!) {{ journey(id: $id) {{ entries(first: 500{args}) {{ totalCount edges {{ node {{
        status enteredAt convertedAt inControlGroup currentStepId blockedReason wakeAt
    }} }} }} }} }}"""
    data = await api(query, {"id": journey_id})
    return data["journey"]["entries"]


async def test_journeys_in_every_state_with_versions_and_problems(api):
    journeys = await _journeys(api)
    assert len(journeys) >= 6
    assert {"DRAFT", "ACTIVE", "STOPPED"} <= {j["status"] for j in journeys.values()}
    assert {"API", "EVENT", "SCHEDULED_SEGMENT"} == {j["triggerKind"] for j in journeys.values()}
    scheduled = [j for j in journeys.values() if j["triggerKind"] == "SCHEDULED_SEGMENT"]
    assert scheduled and all(not any(p["severity"] == "ERROR" for p in j["problems"]) for j in scheduled)
    # The weekly digest is live: its next Monday 09:00 in Malta is set.
    assert all(j["status"] == "ACTIVE" and j["nextRunAt"] for j in scheduled)
    assert len(journeys["Welcome series"]["versions"]) == 2
    drafts = [j for j in journeys.values() if j["status"] == "DRAFT"]
    severities = {p["severity"] for j in drafts for p in j["problems"]}
    assert {"ERROR", "WARNING"} <= severities
    assert {g for j in journeys.values() for g in j["accessGroups"]} == {"casino", "sportsbook", "vip"}


async def test_entries_in_every_state_a_screen_shows(api):
    journeys = await _journeys(api)
    found: Counter[str] = Counter()
    for journey in journeys.values():
        for status in ENTRY_STATUSES:
            entries = await _entries(api, journey["id"], status=status)
            found[status] += entries["totalCount"]
            for entry in entries["edges"]:
                _check_reason(journey, entry["node"])
    assert all(found[s] > 0 for s in ENTRY_STATUSES), found


def _check_reason(journey: dict, entry: dict) -> None:
    """Each running entry says in words why it is not moving."""
    status = entry["status"]
    if status == "FROZEN":
        assert journey["status"] == "STOPPED" and journey["freezeOnStop"]
        assert entry["blockedReason"].startswith("frozen:")
    elif status == "HALTED":
        unconfigured = {p["stepId"] for p in journey["problems"] if p["severity"] == "WARNING"}
        assert entry["currentStepId"] in unconfigured
        assert entry["blockedReason"] == f"halted: step '{entry['currentStepId']}' is not configured"
    elif status == "WAITING":
        assert journey["status"] == "ACTIVE" and entry["blockedReason"]


async def test_the_history_spreads_over_weeks(api, demo):
    journeys = await _journeys(api)
    winback = await _entries(api, journeys["Win-back: lapsed players"]["id"])
    days = {e["node"]["enteredAt"][:10] for e in winback["edges"]}
    assert len(days) >= 2
    query = """query($id: ID!) { journey(id: $id) {
        all: stats { entered } week: stats(period: LAST_7_DAYS) { entered } entries { totalCount } } }"""
    loyalty = (await api(query, {"id": journeys["Deposit thank-you and loyalty points"]["id"]}))["journey"]
    assert loyalty["all"]["entered"] == loyalty["entries"]["totalCount"]
    assert 0 < loyalty["week"]["entered"] < loyalty["all"]["entered"]
    with demo.db.read() as session:
        first, last = session.execute(select(func.min(Event.occurred_at), func.max(Event.occurred_at))).one()
    assert last - first > timedelta(days=21)
    assert datetime.now(UTC) - last < timedelta(hours=12)


# Times that lie ahead by their nature: a timer, a retry, a lease, a mission's end, a scheduled journey's next run;
# and the operators, made now.
AHEAD = {"wake_at", "next_attempt_at", "claimed_until", "ends_at", "next_run_at"}


def test_nothing_in_the_history_is_stamped_after_the_command_began(demo):
    late = {}
    with demo.db.read() as session:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, UTCDateTime) and column.name not in AHEAD and table.name != "operators":
                    count = session.scalar(select(func.count()).where(column >= demo.started))
                    if count:
                        late[f"{table.name}.{column.name}"] = count
    assert late == {}


async def test_communications_in_every_delivery_status_and_channel_with_opens_and_clicks(api):
    query = """query($status: DeliveryStatus, $channel: Channel) {
        communications(first: 20, status: $status, channel: $channel) { totalCount edges { node {
            status error body firstOpenAt firstClickAt lastAction machineOpened resource { name } } } } }"""
    for status in DELIVERY_STATUSES:
        page = (await api(query, {"status": status}))["communications"]
        assert page["totalCount"] > 0, status
        if status in ("FAILED", "BOUNCED", "SUPPRESSED"):
            assert all(e["node"]["error"] for e in page["edges"]), status
    for channel in CHANNELS:
        assert (await api(query, {"channel": channel}))["communications"]["totalCount"] > 0, channel
    for status in ("SENT", "DELIVERED", "BOUNCED"):  # what went out shows its rendered text
        assert all(e["node"]["body"] for e in (await api(query, {"status": status}))["communications"]["edges"])
    totals: Counter[str] = Counter()
    stats = "query($id: ID!) { journey(id: $id) { communicationStats { opened machineOpened clicked sent } } }"
    for journey in (await _journeys(api)).values():
        for row in (await api(stats, {"id": journey["id"]}))["journey"]["communicationStats"]:
            totals.update(dict(row.items()))
    assert totals["opened"] > 0 and totals["machineOpened"] > 0 and totals["clicked"] > 0
    assert totals["clicked"] < totals["opened"] < totals["sent"]


async def test_the_control_group_report_shows_a_significant_uplift_that_agrees_with_the_entries(api):
    journey = (await _journeys(api))["Win-back: lapsed players"]
    query = """query($id: ID!) { journey(id: $id) { controlGroupReport {
        treatment { entries conversions conversionRate } control { entries conversions conversionRate }
        uplift upliftLow upliftHigh significant } } }"""
    report = (await api(query, {"id": journey["id"]}))["journey"]["controlGroupReport"]
    assert report["significant"] is True
    assert 0 < report["upliftLow"] < report["uplift"] < report["upliftHigh"]
    assert report["treatment"]["conversionRate"] > report["control"]["conversionRate"] > 0
    for group, in_control in (("treatment", "false"), ("control", "true")):
        entries = await _entries(api, journey["id"], inControlGroup=in_control)
        converted = sum(1 for e in entries["edges"] if e["node"]["convertedAt"])
        assert (report[group]["entries"], report[group]["conversions"]) == (entries["totalCount"], converted)


async def test_bonuses_badges_missions_levels_and_the_leaderboard(api):
    data = await api(
        """{ badges { name } missions { name } levels { name threshold }
             leaderboard(first: 10) { rank points user { externalId gamification {
                 points level { name } badges { badge { name } } missions { progress target completedAt } } } } }"""
    )
    assert len(data["badges"]) >= 4 and len(data["missions"]) >= 3 and len(data["levels"]) >= 3
    board = data["leaderboard"]
    assert len(board) == 10 and board[0]["points"] > 0
    assert [r["points"] for r in board] == sorted((r["points"] for r in board), reverse=True)
    facts = [r["user"]["gamification"] for r in board]
    assert all(f["level"] and f["badges"] for f in facts)
    progress = [m for f in facts for m in f["missions"]]
    assert any(m["completedAt"] for m in progress) and any(m["completedAt"] is None for m in progress)
    users = await api("{ users(first: 200) { edges { node { bonuses { status template { name } } } } } }")
    statuses = Counter(b["status"] for e in users["users"]["edges"] for b in e["node"]["bonuses"])
    assert {"PENDING", "GRANTED", "FAILED", "CANCELLED"} <= set(statuses), statuses


async def test_a_player_profile_has_contact_details_events_and_money(api):
    data = await api(
        """{ users(first: 50) { totalCount edges { node { externalId username email phone timezone attributes
             financial { depositCount depositTotal withdrawalTotal lastDepositAt } events(first: 5) { totalCount } } } } }"""
    )
    users = [e["node"] for e in data["users"]["edges"]]
    assert data["users"]["totalCount"] == 150
    assert all(u["username"] and u["timezone"] and u["attributes"]["country"] for u in users)
    assert len({u["timezone"] for u in users}) >= 5
    assert sum(1 for u in users if u["email"]) > 40 and sum(1 for u in users if u["phone"]) > 30
    assert any(u["financial"]["depositTotal"] > 0 and u["events"]["totalCount"] > 5 for u in users)
    assert any(u["financial"]["withdrawalTotal"] > 0 for u in users)


async def test_the_demo_operators_see_what_their_role_and_groups_allow(api):
    journeys = await _journeys(api)
    manager = await api.login("demo-manager", PASSWORD)
    seen = await api(JOURNEYS, token=manager)
    names = {e["node"]["name"] for e in seen["journeys"]["edges"]}
    expected = {n for n, j in journeys.items() if not j["accessGroups"] or "sportsbook" in j["accessGroups"]}
    assert names == expected and "Win-back: lapsed players" not in names
    analyst = await api.login("demo-analyst", PASSWORD)
    assert (await api("{ me { role accessGroups } }", token=analyst))["me"]["role"] == "ANALYST"


def test_a_second_run_without_yes_refuses_and_writes_nothing(demo, capsys):
    def counts():
        with demo.db.read() as session:
            return [session.scalar(select(func.count()).select_from(m)) for m in (User, Event, Journey, Operator)]

    before = counts()
    assert demo.run("--players", "10") == 2
    assert "--yes" in capsys.readouterr().err
    assert counts() == before
