"""The user search is answered from the search-key indexes on both databases, so a
lookup stays a few index probes however many users there are."""

from __future__ import annotations

from sqlalchemy import text

from backend.dialect import prefix_successor
from backend.reports.users import search_users

INDEXES = ("ix_users_username_lc", "ix_users_external_id_lc", "ix_users_email_lc", "ix_users_phone_digits")


def _plan(db, stmt) -> str:
    sql = str(stmt.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
    with db.engine.begin() as conn:
        if db.dialect == "postgresql":
            # The test tables are tiny, and a scan would win on cost alone; with scans
            # priced out, only an index that can answer the range is picked.
            conn.execute(text("SET LOCAL enable_seqscan = off"))
            return "\n".join(row[0] for row in conn.execute(text(f"EXPLAIN {sql}")))
        return "\n".join(row[-1] for row in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}")))


def test_every_search_key_is_looked_up_through_its_index(db):
    plan = _plan(db, search_users("Ann"))
    assert all(name in plan for name in INDEXES[:3]), plan
    plan = _plan(db, search_users("+371 2000"))
    for name in INDEXES:
        if db.dialect == "postgresql":
            assert f"Index Scan on {name}" in plan, plan
        else:
            assert f"USING INDEX {name} (" in plan, plan
    if db.dialect == "postgresql":
        assert "~>=~" in plan and "Filter" not in plan, plan


def test_the_upper_bound_of_a_prefix_is_the_next_string_in_code_point_order():
    assert prefix_successor("abc") == "abd"
    assert prefix_successor("p9") == "p:"
    assert prefix_successor("a\U0010ffff") == "b"
    assert prefix_successor("a\ud7ff") == "a\ue000"  # skips the surrogates, which no text holds
    assert prefix_successor("\U0010ffff") is None
