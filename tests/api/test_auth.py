"""Login, tokens, roles: what an operator and an attacker would try."""

from __future__ import annotations

from sqlalchemy import select

from backend.models import Operator
from tests.conftest import make_operator

ME = "{ me { username role accessGroups } }"
CREATE_OP = """mutation($i: OperatorInput!) { createOperator(input: $i) {
  operator { id username role accessGroups } errors { field message code } } }"""


async def test_login_gives_a_token_that_opens_me(client, db):
    make_operator(db, "ana", "MANAGER", ["eu", "vip"])
    token = await client.login("ana", "password-123")
    data = await client(ME, token=token)
    assert data["me"] == {"username": "ana", "role": "MANAGER", "accessGroups": ["eu", "vip"]}


async def test_wrong_password_and_unknown_user_get_the_same_error(client, db):
    make_operator(db, "ana", "ANALYST")
    q = "mutation($u:String!,$p:String!){login(username:$u,password:$p){token operator{username} errors{code message}}}"
    wrong = await client(q, {"u": "ana", "p": "nope-nope"})
    unknown = await client(q, {"u": "bob", "p": "password-123"})
    assert wrong["login"]["token"] is None and wrong["login"]["operator"] is None
    assert wrong["login"]["errors"] == unknown["login"]["errors"]
    assert wrong["login"]["errors"][0]["code"] == "INVALID_CREDENTIALS"


async def test_passwords_are_stored_hashed_with_argon2(db):
    make_operator(db, "ana", "ANALYST", password="correct horse battery")
    with db.read() as s:
        stored = s.scalar(select(Operator.password_hash))
    assert "correct horse" not in stored
    assert stored.startswith("$argon2id$")


async def test_no_token_gets_unauthenticated_and_no_data(client):
    body = await client.raw(ME, token="")
    assert body.get("data") is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


async def test_forged_or_tampered_token_is_unauthenticated(client, db):
    make_operator(db, "ana", "ADMIN")
    token = await client.login("ana", "password-123")
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "garbage", "Bearer"):
        body = await client.raw(ME, token=bad)
        assert body.get("data") is None
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_admin_creates_operators_and_the_new_one_can_log_in(admin):
    data = await admin(
        CREATE_OP, {"i": {"username": "mia", "password": "long-password", "role": "ANALYST", "accessGroups": ["eu"]}}
    )
    assert data["createOperator"]["errors"] == []
    assert data["createOperator"]["operator"]["role"] == "ANALYST"
    token = await admin.login("mia", "long-password")
    me = await admin(ME, token=token)
    assert me["me"]["accessGroups"] == ["eu"]
    ops = await admin("{ operators { username role } }")
    assert {o["username"] for o in ops["operators"]} == {"admin", "mia"}


async def test_duplicate_operator_is_a_conflict_and_writes_nothing(admin, db):
    vars_ = {"i": {"username": "mia", "password": "long-password", "role": "ANALYST"}}
    await admin(CREATE_OP, vars_)
    again = await admin(CREATE_OP, vars_)
    assert again["createOperator"]["errors"][0]["code"] == "CONFLICT"
    short = await admin(CREATE_OP, {"i": {"username": "zed", "password": "short", "role": "ANALYST"}})
    assert short["createOperator"]["errors"][0]["code"] == "INVALID_INPUT"
    with db.read() as s:
        assert sorted(s.scalars(select(Operator.username))) == ["admin", "mia"]


async def test_manager_and_analyst_may_not_create_operators_or_list_them(client, db):
    make_operator(db, "man", "MANAGER")
    make_operator(db, "ana", "ANALYST")
    for name in ("man", "ana"):
        token = await client.login(name, "password-123")
        data = await client(
            CREATE_OP, {"i": {"username": f"x{name}", "password": "long-password", "role": "ADMIN"}}, token=token
        )
        assert data["createOperator"]["operator"] is None
        assert data["createOperator"]["errors"][0]["code"] == "FORBIDDEN"
        body = await client.raw("{ operators { username } }", token=token)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    with db.read() as s:
        assert sorted(s.scalars(select(Operator.username))) == ["ana", "man"]
