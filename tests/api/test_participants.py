"""Journey.entries as an operator uses it: find a player however they are known, keep a
period, count what was found and page through all of it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from backend.models import Entry, Journey, User, utcnow
from graphql_schema.ids import encode_id

UPSERT = "mutation($u: [UserInput!]!) { upsertUsers(users: $u) { created errors { code message } } }"
ENTRIES = """query($id: ID!, $s: String, $p: Period, $first: Int, $after: String) { journey(id: $id) {
  entries(search: $s, period: $p, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id user { externalId } } } } } }"""

PLAYERS = [
    {"externalId": "EXT-Alpha-1", "username": "Marta", "email": "Marta.K@Example.com", "phone": "+371 2000 0001"},
    {"externalId": "ext-beta-2", "username": "martin", "email": "mb@example.org", "phone": "37120000002"},
    {"externalId": "gamma3", "username": "Zed", "phone": "+44 7700-900.123"},
    {"externalId": "delta4", "username": "Dora", "email": "dora@example.com"},
]


async def _journey_with_entries(admin, db, entered_days_ago: dict[str, list[float]]) -> str:
    """The players above (through the API, as an integration would send them), and a
    journey where each listed player entered once per number of days ago given."""
    assert (await admin(UPSERT, {"u": PLAYERS}))["upsertUsers"]["errors"] == []
    now = utcnow()
    with db.unit_of_work() as uow:
        s = uow.session
        journey = Journey(name="Welcome", definition={"steps": []}, status="ACTIVE", tags=[], access_groups=[])
        s.add(journey)
        s.flush()
        ids = dict(s.execute(select(User.external_id, User.id)).all())
        for ext, agos in entered_days_ago.items():
            for round_, ago in enumerate(agos, start=1):
                s.add(
                    Entry(
                        journey_id=journey.id,
                        user_id=ids[ext],
                        round=round_,
                        status="ACTIVE",
                        entered_at=now - timedelta(days=ago),
                        visits={},
                    )
                )
        return encode_id("Journey", journey.id)


async def _found(admin, jid: str, **variables) -> list[str]:
    conn = (await admin(ENTRIES, {"id": jid, **variables}))["journey"]["entries"]
    assert conn["totalCount"] == len(conn["edges"])
    return sorted(e["node"]["user"]["externalId"] for e in conn["edges"])


async def test_the_search_finds_a_player_by_username_external_id_email_or_phone(admin, db):
    jid = await _journey_with_entries(admin, db, {p["externalId"]: [0.1] for p in PLAYERS})
    # Username, from its start and in any case.
    assert await _found(admin, jid, s="mart") == ["EXT-Alpha-1", "ext-beta-2"]
    assert await _found(admin, jid, s="MARTA") == ["EXT-Alpha-1"]
    # External id, whole or its start, in any case.
    assert await _found(admin, jid, s="ext-alpha-1") == ["EXT-Alpha-1"]
    assert await _found(admin, jid, s="EXT-") == ["EXT-Alpha-1", "ext-beta-2"]
    assert await _found(admin, jid, s="gamma3") == ["gamma3"]
    # Email, with the spaces around a pasted address trimmed.
    assert await _found(admin, jid, s="  marta.k@EXAMPLE ") == ["EXT-Alpha-1"]
    assert await _found(admin, jid, s="dora@example.com") == ["delta4"]
    # Phone, with or without '+', however either side writes its spaces, dashes and brackets.
    assert await _found(admin, jid, s="+37120000001") == ["EXT-Alpha-1"]
    assert await _found(admin, jid, s="371 2000 000") == ["EXT-Alpha-1", "ext-beta-2"]
    assert await _found(admin, jid, s="+371-2000-0002") == ["ext-beta-2"]
    assert await _found(admin, jid, s="447700900123") == ["gamma3"]
    # A start, not any part; and % or _ are letters, not wildcards.
    assert await _found(admin, jid, s="artin") == []
    assert await _found(admin, jid, s="2000") == []
    assert await _found(admin, jid, s="m%") == []
    assert await _found(admin, jid, s="d_ra") == []


async def test_a_user_who_entered_twice_is_found_twice(admin, db):
    jid = await _journey_with_entries(admin, db, {"ext-beta-2": [0.1, 3], "delta4": [0.2]})
    assert await _found(admin, jid, s="martin") == ["ext-beta-2", "ext-beta-2"]


async def test_the_period_keeps_only_entries_that_entered_in_it(admin, db):
    jid = await _journey_with_entries(
        admin, db, {"EXT-Alpha-1": [0.1, 20], "ext-beta-2": [3, 40], "gamma3": [10], "delta4": [0.5, 25]}
    )
    assert await _found(admin, jid, p="LAST_24_HOURS") == ["EXT-Alpha-1", "delta4"]
    assert await _found(admin, jid, p="LAST_7_DAYS") == ["EXT-Alpha-1", "delta4", "ext-beta-2"]
    assert await _found(admin, jid, p="LAST_14_DAYS") == ["EXT-Alpha-1", "delta4", "ext-beta-2", "gamma3"]
    assert await _found(admin, jid, p="LAST_30_DAYS") == [
        "EXT-Alpha-1",
        "EXT-Alpha-1",
        "delta4",
        "delta4",
        "ext-beta-2",
        "gamma3",
    ]
    assert len(await _found(admin, jid)) == 7
    # Search and period together: Marta's entry of 20 days ago is outside the week.
    assert await _found(admin, jid, s="marta", p="LAST_7_DAYS") == ["EXT-Alpha-1"]
    assert await _found(admin, jid, s="371", p="LAST_7_DAYS") == ["EXT-Alpha-1", "ext-beta-2"]
    assert await _found(admin, jid, s="gamma", p="LAST_7_DAYS") == []


@pytest.mark.parametrize(
    ("search", "whose", "pages_expected"),
    [
        (None, ("EXT-Alpha-1", "ext-beta-2", "gamma3", "delta4"), 3),
        ("ext", ("EXT-Alpha-1", "ext-beta-2"), 2),
    ],
)
async def test_pages_return_every_entry_once_newest_first_with_the_total(admin, db, search, whose, pages_expected):
    jid = await _journey_with_entries(
        admin, db, {"EXT-Alpha-1": [0.1, 1, 2], "ext-beta-2": [3, 4], "gamma3": [5], "delta4": [6, 7]}
    )
    with db.unit_of_work() as uow:
        stored = [
            encode_id("Entry", pk)
            for pk in uow.session.scalars(
                select(Entry.id)
                .join(User, User.id == Entry.user_id)
                .where(User.external_id.in_(whose))
                .order_by(Entry.id.desc())
            )
        ]
    seen, after, pages = [], None, 0
    while True:
        conn = (await admin(ENTRIES, {"id": jid, "s": search, "first": 3, "after": after}))["journey"]["entries"]
        assert conn["totalCount"] == len(stored)
        seen += [e["node"]["id"] for e in conn["edges"]]
        pages += 1
        if not conn["pageInfo"]["hasNextPage"]:
            break
        assert conn["pageInfo"]["endCursor"] == conn["edges"][-1]["cursor"]
        after = conn["pageInfo"]["endCursor"]
    assert pages == pages_expected and seen == stored


async def test_a_broad_search_counts_every_entry_it_matches(admin, db):
    jid = await _journey_with_entries(
        admin, db, {"EXT-Alpha-1": [0.1, 1, 2], "ext-beta-2": [3, 4], "gamma3": [5], "delta4": [6]}
    )
    broad = (await admin(ENTRIES, {"id": jid, "s": "ext", "first": 2}))["journey"]["entries"]
    assert (len(broad["edges"]), broad["totalCount"], broad["pageInfo"]["hasNextPage"]) == (2, 5, True)
    assert (await admin(ENTRIES, {"id": jid, "s": "ext-alpha", "first": 10}))["journey"]["entries"]["totalCount"] == 3
    everyone = (await admin(ENTRIES, {"id": jid, "first": 1}))["journey"]["entries"]
    assert everyone["totalCount"] == 7


@pytest.mark.parametrize("search", ["x\u0000y", "\ud800"])
async def test_a_search_no_database_can_take_is_refused_not_a_server_error(admin, db, search):
    jid = await _journey_with_entries(admin, db, {"delta4": [0.1]})
    # Sent as raw JSON: an HTTP client library would refuse to encode a lone surrogate.
    body = json.dumps({"query": ENTRIES, "variables": {"id": jid, "s": search}})
    resp = await admin.http.post(
        "/graphql", content=body, headers={"content-type": "application/json", "authorization": f"Bearer {admin.token}"}
    )
    assert resp.status_code == 200
    errors = resp.json()["errors"]
    assert len(errors) == 1 and errors[0]["message"].startswith("search must be text")
    assert "SQL" not in errors[0]["message"]
