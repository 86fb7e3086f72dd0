"""Relay cursor connections with all four PageInfo fields: forward with first/after,
back with last/before, on lists shown newest first."""

from __future__ import annotations

import pytest

from backend.models import Journey

USERS = """query($f: Int, $a: String, $l: Int, $b: String) { users(first: $f, after: $a, last: $l, before: $b) {
  totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { externalId } } } }"""


async def _seven_users(admin) -> None:
    await admin(
        "mutation($u: [UserInput!]!) { upsertUsers(users: $u) { created } }",
        {"u": [{"externalId": f"p{i}"} for i in range(7)]},
    )


async def test_forward_pages_say_what_lies_before_and_after(admin):
    await _seven_users(admin)
    first = (await admin(USERS, {"f": 3}))["users"]
    assert [e["node"]["externalId"] for e in first["edges"]] == ["p6", "p5", "p4"]  # newest first
    info = first["pageInfo"]
    assert info == {
        "hasNextPage": True,
        "hasPreviousPage": False,
        "startCursor": first["edges"][0]["cursor"],
        "endCursor": first["edges"][-1]["cursor"],
    }
    second = (await admin(USERS, {"f": 3, "a": info["endCursor"]}))["users"]
    assert [e["node"]["externalId"] for e in second["edges"]] == ["p3", "p2", "p1"]
    assert second["pageInfo"]["hasPreviousPage"] is True and second["pageInfo"]["hasNextPage"] is True
    third = (await admin(USERS, {"f": 3, "a": second["pageInfo"]["endCursor"]}))["users"]
    assert [e["node"]["externalId"] for e in third["edges"]] == ["p0"]
    assert third["pageInfo"]["hasNextPage"] is False and third["totalCount"] == 7


async def test_backward_pages_go_from_a_cursor_back_to_newer_rows(admin):
    await _seven_users(admin)
    oldest = (await admin(USERS, {"l": 2}))["users"]
    assert [e["node"]["externalId"] for e in oldest["edges"]] == ["p1", "p0"]
    assert oldest["pageInfo"]["hasPreviousPage"] is True and oldest["pageInfo"]["hasNextPage"] is False
    back = (await admin(USERS, {"l": 2, "b": oldest["pageInfo"]["startCursor"]}))["users"]
    assert [e["node"]["externalId"] for e in back["edges"]] == ["p3", "p2"]
    assert back["pageInfo"]["hasNextPage"] is True and back["pageInfo"]["hasPreviousPage"] is True
    newest = (await admin(USERS, {"l": 5, "b": back["pageInfo"]["startCursor"]}))["users"]
    assert [e["node"]["externalId"] for e in newest["edges"]] == ["p6", "p5", "p4"]
    assert newest["pageInfo"]["hasPreviousPage"] is False


async def test_an_empty_page_has_no_cursors(admin):
    empty = (await admin(USERS, {"f": 3}))["users"]
    assert empty["edges"] == [] and empty["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": False,
        "startCursor": None,
        "endCursor": None,
    }


async def test_a_bad_before_cursor_or_negative_last_is_refused(admin):
    bad = await admin.raw(USERS, {"l": 2, "b": "nonsense"})
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_CURSOR" and "before" in bad["errors"][0]["message"]
    negative = await admin.raw(USERS, {"l": -1})
    assert negative["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


@pytest.mark.parametrize("direction", ["forward", "backward"])
async def test_the_journey_list_pages_both_ways(admin, db, direction):
    with db.unit_of_work() as uow:
        for i in range(5):
            uow.session.add(Journey(name=f"J{i}", access_groups=[], tags=[], definition={}, status="DRAFT"))
    q = """query($f: Int, $a: String, $l: Int, $b: String) { journeys(first: $f, after: $a, last: $l, before: $b) {
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { name } } } }"""
    if direction == "forward":
        page = (await admin(q, {"f": 2}))["journeys"]
        page = (await admin(q, {"f": 2, "a": page["pageInfo"]["endCursor"]}))["journeys"]
        assert [e["node"]["name"] for e in page["edges"]] == ["J2", "J1"]
    else:
        page = (await admin(q, {"l": 2}))["journeys"]
        page = (await admin(q, {"l": 2, "b": page["pageInfo"]["startCursor"]}))["journeys"]
        assert [e["node"]["name"] for e in page["edges"]] == ["J3", "J2"]
    assert page["pageInfo"]["hasNextPage"] is True and page["pageInfo"]["hasPreviousPage"] is True
