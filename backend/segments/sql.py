"""A segment predicate compiled to SQL (SQLAlchemy Core), for PostgreSQL and SQLite.

`matching_users` gives `SELECT users.id FROM users ... WHERE <predicate>`: the same
users `backend.journeys.predicates.evaluate` accepts, one query over the whole table
(tests/segments/test_sql_matches_python.py checks it with generated predicates and
users). How the interpreter's rules read in SQL:

- Every leaf is a boolean that is never NULL (a missing field makes a comparison
  false, except `not_exists`, `ne` and `not_in`), so `all` / `any` / `not` are plain
  AND / OR / NOT.
- A value compares only with a value of its kind: numbers with numbers (a flag is not
  a number), text with text in code point order (`COLLATE "C"` on PostgreSQL), times
  with times. JSON attributes are typed by `jsonb_typeof` / `json_type` before they
  are read, so a text never meets a number.
- `eventCount` / `eventSum` over a window: one grouped subquery per distinct
  aggregate, LEFT JOINed to `users`, so the database reads each user's events once
  (a hash join on PostgreSQL) rather than once per user. A count that the segment
  requires as a whole (a top-level conjunct) and that only asks whether there is an
  event (`gte 1`, `gt 0`, `ne 0`; `eq 0`, `lt 1`, `lte 0`) is an `EXISTS` (`NOT
  EXISTS`) instead: a semi-join (anti-join), no per-user counts.
- A time held as text (an attribute) is read when written as ISO 8601 with a date,
  `T` or a space, `HH:MM[:SS[.fraction]]` and `Z` or `±HH:MM`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    Numeric,
    String,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    literal_column,
    not_,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql.elements import ColumnElement

from backend.journeys.predicates import AggregateSpec, _aggregate_spec, _as_time, _is_number
from backend.models import Event, User

# PostgreSQL: a text that looks like an aware ISO time; the cast itself goes through
# questline_try_timestamptz (migration 0009), which answers NULL for an impossible date.
_PG_TEXT_TIME = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$"
_SQLITE_DATE = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
_ORDER = {"gt": "__gt__", "gte": "__ge__", "lt": "__lt__", "lte": "__le__"}


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _order(left: Any, op: str, right: Any) -> ColumnElement[bool]:
    compared: ColumnElement[bool] = getattr(left, _ORDER[op])(right)
    return compared


@dataclass
class _Ctx:
    dialect: str
    now: datetime
    levels: Sequence[tuple[int, str]]
    joins: dict[AggregateSpec, Any] = field(default_factory=dict)

    @property
    def pg(self) -> bool:
        return self.dialect == "postgresql"

    def collate(self, expr: Any) -> Any:
        return expr.collate("C") if self.pg else expr

    def text_time(self, text_expr: Any) -> Any:
        """The instant an ISO text names, or NULL; comparable with `self.instant(...)`."""
        if self.pg:
            return case(
                (text_expr.op("~")(_PG_TEXT_TIME), func.questline_try_timestamptz(text_expr)),
                else_=None,
            )
        aware = or_(text_expr.op("GLOB")("*Z"), text_expr.op("GLOB")("*[+-][0-9][0-9]:[0-9][0-9]"))
        shaped = and_(
            func.substr(text_expr, 1, 10).op("GLOB")(_SQLITE_DATE), func.substr(text_expr, 11, 1).in_(("T", " "))
        )
        return case((and_(aware, shaped), func.julianday(text_expr)), else_=None)

    def instant(self, when: datetime) -> Any:
        """A bound instant, in the form `text_time` answers."""
        if self.pg:
            return literal(when)
        return func.julianday(literal(when.isoformat()))


# -- values of a known SQL type: columns of users and events ---------------------------


@dataclass
class _Column:
    expr: Any
    kind: str  # "text" | "number" | "time"
    nullable: bool = True

    def present(self) -> ColumnElement[bool]:
        return self.expr.is_not(None) if self.nullable else true()

    def equal(self, ctx: _Ctx, v: Any) -> ColumnElement[bool]:
        if isinstance(v, bool) or v is None or isinstance(v, (list, dict)):
            return false()
        if self.kind == "text":
            return self.expr == v if _is_text(v) else false()
        if self.kind == "number":
            return self.expr == v if _is_number(v) else false()
        when = _as_time(v)
        return self.expr == when if when is not None else false()

    def ordered(self, ctx: _Ctx, op: str, v: Any) -> ColumnElement[bool]:
        if isinstance(v, bool):
            return false()
        if self.kind == "text":
            return _order(ctx.collate(self.expr), op, v) if _is_text(v) else false()
        if self.kind == "number":
            return _order(self.expr, op, v) if _is_number(v) else false()
        when = _as_time(v)
        return _order(self.expr, op, when) if when is not None else false()

    def contains(self, ctx: _Ctx, v: Any) -> ColumnElement[bool]:
        if self.kind != "text" or not _is_text(v):
            return false()
        return (func.strpos(self.expr, v) if ctx.pg else func.instr(self.expr, v)) > 0

    def time(self, ctx: _Ctx) -> Any:
        if self.kind == "time":
            return self.expr if ctx.pg else func.julianday(self.expr)
        if self.kind == "text":
            return ctx.text_time(self.expr)
        return None


# -- values inside a JSON document: user attributes, event properties -------------------


@dataclass
class _JsonValue:
    column: Any
    keys: tuple[str, ...]

    def _pg(self) -> ColumnElement[Any]:
        expr: ColumnElement[Any] = self.column
        for key in self.keys:
            expr = expr.op("->", return_type=JSONB)(literal(key, String))
        return expr

    def _sqlite_path(self) -> str:
        return "$" + "".join(f'."{key}"' for key in self.keys)

    def jtype(self, ctx: _Ctx) -> ColumnElement[Any]:
        if ctx.pg:
            return func.jsonb_typeof(self._pg())
        return func.json_type(self.column, self._sqlite_path())

    def present(self, ctx: _Ctx) -> ColumnElement[bool]:
        return and_(self.jtype(ctx).is_not(None), self.jtype(ctx) != "null")

    def is_text(self, ctx: _Ctx) -> ColumnElement[bool]:
        return self.jtype(ctx) == ("string" if ctx.pg else "text")

    def is_number(self, ctx: _Ctx) -> ColumnElement[bool]:
        return self.jtype(ctx) == "number" if ctx.pg else self.jtype(ctx).in_(("integer", "real"))

    def is_array(self, ctx: _Ctx) -> ColumnElement[bool]:
        return self.jtype(ctx) == "array"

    def text(self, ctx: _Ctx) -> Any:
        if ctx.pg:
            return self._pg().op("#>>", return_type=String)(literal_text_array())
        return func.json_extract(self.column, self._sqlite_path())

    def number(self, ctx: _Ctx) -> Any:
        if ctx.pg:
            return case((self.is_number(ctx), cast(self.text(ctx), Numeric)), else_=None)
        return func.json_extract(self.column, self._sqlite_path())

    def _contained(self, v: Any) -> ColumnElement[bool]:
        """PostgreSQL: the document holds exactly this scalar at the path (jsonb
        containment: numbers by value, a flag only equals a flag, and no path through
        an array). Cheaper than reading the value out, and a GIN index can serve it."""
        doc: Any = v
        for key in reversed(self.keys):
            doc = {key: doc}
        contains: ColumnElement[bool] = self.column.op("@>", return_type=Boolean)(cast(literal(json.dumps(doc)), JSONB))
        return contains

    def equal(self, ctx: _Ctx, v: Any) -> ColumnElement[bool]:
        if v is None:
            return false()
        if ctx.pg and (isinstance(v, bool) or _is_number(v) or _is_text(v)):
            return self._contained(v)
        if isinstance(v, bool):
            return self.jtype(ctx) == ("true" if v else "false")
        if _is_number(v):
            return and_(self.is_number(ctx), self.number(ctx) == v)
        if _is_text(v):
            return and_(self.is_text(ctx), self.text(ctx) == v)
        # A list or an object: the same structure (key order aside on PostgreSQL).
        if ctx.pg:
            return self._pg() == cast(literal(json.dumps(v)), JSONB)
        compact = json.dumps(v, separators=(",", ":"))
        return and_(self.jtype(ctx).in_(("array", "object")), self.text(ctx) == compact)

    def ordered(self, ctx: _Ctx, op: str, v: Any) -> ColumnElement[bool]:
        if isinstance(v, bool):
            return false()
        if _is_number(v):
            return and_(self.is_number(ctx), _order(self.number(ctx), op, v))
        if _is_text(v):
            return and_(self.is_text(ctx), _order(ctx.collate(self.text(ctx)), op, v))
        return false()

    def _array_has(self, ctx: _Ctx, v: Any) -> ColumnElement[bool]:
        if ctx.pg:
            return and_(
                self.is_array(ctx), self._pg().op("@>", return_type=Boolean)(cast(literal(json.dumps([v])), JSONB))
            )
        items = func.json_each(self.column, self._sqlite_path()).table_valued("type", "atom").alias("item")
        if v is None:
            match = items.c.type == "null"
        elif isinstance(v, bool):
            match = items.c.type == ("true" if v else "false")
        elif _is_number(v):
            match = and_(items.c.type.in_(("integer", "real")), items.c.atom == v)
        else:
            match = and_(items.c.type == "text", items.c.atom == v)
        return and_(self.is_array(ctx), exists(select(1).select_from(items).where(match)))

    def contains(self, ctx: _Ctx, v: Any) -> ColumnElement[bool]:
        if isinstance(v, (list, dict)):
            return false()
        has = self._array_has(ctx, v)
        if not _is_text(v):
            return has
        inside = (func.strpos(self.text(ctx), v) if ctx.pg else func.instr(self.text(ctx), v)) > 0
        return or_(and_(self.is_text(ctx), inside), has)

    def time(self, ctx: _Ctx) -> Any:
        return case((self.is_text(ctx), ctx.text_time(self.text(ctx))), else_=None)


def literal_text_array() -> Any:
    return literal_column("'{}'::text[]")


# -- paths ------------------------------------------------------------------------------


def _level(ctx: _Ctx) -> Any:
    """The level name of the user's points: the highest threshold reached (levels.py)."""
    whens = [(User.points >= threshold, name) for threshold, name in sorted(ctx.levels, reverse=True)]
    if not whens:
        return literal(None, String)
    return case(*whens, else_=None)


_USER_COLUMNS: dict[str, tuple[Any, str, bool]] = {
    "user.externalId": (User.external_id, "text", False),
    "user.username": (User.username, "text", True),
    "user.email": (User.email, "text", True),
    "user.phone": (User.phone, "text", True),
    "user.timezone": (User.timezone, "text", True),
    "user.points": (User.points, "number", False),
    "user.financial.depositCount": (User.deposit_count, "number", False),
    "user.financial.depositTotal": (User.deposit_total, "number", False),
    "user.financial.lastDepositAt": (User.last_deposit_at, "time", True),
}


def _value_of(ctx: _Ctx, path: str, over_events: bool) -> _Column | _JsonValue | None:
    """What a path reads; None for a path that is always missing here (entry.*)."""
    if over_events:
        if path == "event.name":
            return _Column(Event.name, "text", nullable=False)
        if path.startswith("event.properties."):
            return _JsonValue(Event.properties, tuple(path[len("event.properties.") :].split(".")))
        return None
    if path in _USER_COLUMNS:
        expr, kind, nullable = _USER_COLUMNS[path]
        return _Column(expr, kind, nullable)
    if path == "user.level":
        return _Column(_level(ctx), "text", nullable=True)
    if path.startswith("user.attributes."):
        return _JsonValue(User.attributes, tuple(path[len("user.attributes.") :].split(".")))
    return None


def _present(ctx: _Ctx, value: _Column | _JsonValue) -> ColumnElement[bool]:
    return value.present() if isinstance(value, _Column) else value.present(ctx)


def _within(ctx: _Ctx, value: _Column | _JsonValue, op: str, seconds: Any) -> ColumnElement[bool]:
    if not _is_number(seconds):
        return false()
    when = value.time(ctx)
    if when is None:
        return false()
    low, high = ctx.instant(ctx.now - timedelta(seconds=float(seconds))), ctx.instant(ctx.now)
    inside = and_(when >= low, when <= high)
    return inside if op == "within_last" else and_(when.is_not(None), not_(inside))


def _field(ctx: _Ctx, pred: dict[str, Any], over_events: bool) -> ColumnElement[bool]:
    op, v = pred["op"], pred.get("value")
    value = _value_of(ctx, pred["field"], over_events)
    if value is None:
        return true() if op in ("not_exists", "ne", "not_in") else false()
    if op in ("exists", "not_exists"):
        present = _present(ctx, value)
        return present if op == "exists" else not_(present)
    if op in ("eq", "ne"):
        equal = _never_null(value.equal(ctx, v))
        return equal if op == "eq" else not_(equal)
    if op in ("in", "not_in"):
        items = v if isinstance(v, list) else []
        hit = _never_null(or_(false(), *(value.equal(ctx, item) for item in items)))
        return hit if op == "in" else not_(hit)
    if op == "contains":
        return value.contains(ctx, v)
    if op in ("within_last", "not_within_last"):
        return _within(ctx, value, op, v)
    return value.ordered(ctx, op, v)


def _never_null(cond: Any) -> ColumnElement[bool]:
    return func.coalesce(cond, false())


# -- aggregates ---------------------------------------------------------------------------


def _event_conditions(ctx: _Ctx, spec: AggregateSpec) -> list[ColumnElement[bool]]:
    """The events an aggregate reads: its name, its window, its `where`."""
    conditions = [Event.name == spec.name]
    if spec.within_seconds:
        conditions.append(Event.occurred_at >= ctx.now - timedelta(seconds=spec.within_seconds))
    if spec.where is not None:
        conditions.append(_compile(ctx, spec.where_predicate, over_events=True))
    return conditions


def _aggregate_subquery(ctx: _Ctx, spec: AggregateSpec) -> Any:
    total: ColumnElement[Any]
    if spec.kind == "count":
        total = func.count()
    else:
        prop = _JsonValue(Event.properties, (spec.property or "",))
        total = func.sum(prop.number(ctx)) if ctx.pg else func.total(case((prop.is_number(ctx), prop.number(ctx))))
    return (
        select(Event.user_id.label("user_id"), total.label("total"))
        .where(*_event_conditions(ctx, spec))
        .group_by(Event.user_id)
        .subquery(f"agg{len(ctx.joins)}")
    )


def _count_is_existence(op: str, v: float) -> bool | None:
    """A count compared with `v` as a question of existence: True when the comparison
    holds exactly for counts of 1 or more, False when exactly for a count of 0, None
    otherwise (counts are whole numbers from 0)."""
    if (op == "gte" and 0 < v <= 1) or (op == "gt" and 0 <= v < 1) or (op == "ne" and v == 0):
        return True
    if (op == "lt" and 0 < v <= 1) or (op == "lte" and 0 <= v < 1) or (op == "eq" and v == 0):
        return False
    return None


def _aggregate(ctx: _Ctx, kind: str, pred: dict[str, Any], conjunct: bool) -> ColumnElement[bool]:
    spec = _aggregate_spec(kind, pred["eventCount" if kind == "count" else "eventSum"])
    v = pred["value"]
    if isinstance(v, bool) or not _is_number(v):
        return false()
    found = _count_is_existence(pred["op"], v) if kind == "count" and conjunct else None
    if found is not None:
        # A top-level conjunct: the database answers it with a semi-join (anti-join for
        # "none"), a set of user ids rather than a hash of every user's count.
        any_event = exists(select(1).where(Event.user_id == User.id, *_event_conditions(ctx, spec)))
        return any_event if found else not_(any_event)
    if spec not in ctx.joins:
        ctx.joins[spec] = _aggregate_subquery(ctx, spec)
    total = func.coalesce(ctx.joins[spec].c.total, 0)
    if pred["op"] == "eq":
        return total == v
    if pred["op"] == "ne":
        return total != v
    return _order(total, pred["op"], v)


def _compile(ctx: _Ctx, pred: Any, *, over_events: bool = False, conjunct: bool = False) -> ColumnElement[bool]:
    """`conjunct`: the predicate is the whole segment or one of its top-level `all`
    (what the database can turn into a join)."""
    if "all" in pred:
        return and_(true(), *(_compile(ctx, p, over_events=over_events, conjunct=conjunct) for p in pred["all"]))
    if "any" in pred:
        return or_(false(), *(_compile(ctx, p, over_events=over_events) for p in pred["any"]))
    if "not" in pred:
        return not_(_compile(ctx, pred["not"], over_events=over_events))
    if "eventCount" in pred:
        return _aggregate(ctx, "count", pred, conjunct)
    if "eventSum" in pred:
        return _aggregate(ctx, "sum", pred, conjunct)
    return _never_null(_field(ctx, pred, over_events))


def give_memory(session: Any) -> None:
    """PostgreSQL: room for the aggregates' hash tables of one segment query (a million
    users' event counts), so they are not spilled to disk; for this transaction only."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL work_mem = '64MB'"))


def matching_users(
    pred: Any, *, dialect: str, now: datetime, levels: Sequence[tuple[int, str]] = (), columns: Sequence[Any] = ()
) -> Any:
    """`SELECT users.id[, columns] FROM users ... WHERE <pred>` for a well-formed segment
    predicate (see predicates.problems_of)."""
    ctx = _Ctx(dialect=dialect, now=now, levels=levels)
    where = _compile(ctx, pred, conjunct=True)
    source: Any = User.__table__
    for sub in ctx.joins.values():
        source = source.outerjoin(sub, sub.c.user_id == User.id)
    return select(User.id, *columns).select_from(source).where(where)
