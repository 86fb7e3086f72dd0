"""The operator's catalog: resources, bonus templates, badges, missions and levels."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from backend.auth.policy import Principal, Role
from backend.errors import DomainError, NotFound
from backend.gamification import badges, missions
from backend.ids import MAX_PK, pk_of, plain_pk
from backend.models import Badge, BonusTemplate, Level, Mission, Resource
from backend.persistence.database import UnitOfWork
from backend.times import to_utc

CHANNELS = ("EMAIL", "SMS", "POPUP", "PUSH", "IVR")
# Who changes the catalog when no operator does (the demo data set, tools).
SYSTEM = Principal(operator_id=0, username="system", role=Role.ADMIN, access_groups=frozenset())


def _name(value: Any, field: list[str], limit: int = 200) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DomainError("INVALID_INPUT", "name must not be empty", field)
    if len(value.strip()) > limit:
        raise DomainError("INVALID_INPUT", f"name is longer than {limit} characters", field)
    return value.strip()


def _unique(session: Session, model: Any, name: str, exclude_id: int | None = None) -> None:
    stmt = select(model.id).where(model.name == name)
    if exclude_id is not None:
        stmt = stmt.where(model.id != exclude_id)
    if session.scalar(stmt) is not None:
        raise DomainError(
            "CONFLICT",
            f"a {model.__tablename__[:-1].replace('_', ' ')} named '{name}' already exists",
            ["input", "name"],
        )


def _unique_resource(
    session: Session, principal: Principal, name: str, groups: list[str], exclude_id: int | None = None
) -> None:
    """A resource's name is unique among the resources one operator could see together
    (those open to every operator and those sharing a group with it), whoever creates,
    renames or regroups it. A conflict with a resource the caller may not see (a rename of
    a resource that is also in a group they are not in, or making one open to everyone)
    is refused all the same, but tells only that the name is taken outside their groups."""
    if session.get_bind().dialect.name == "postgresql":
        # Two operators creating the same name at once: the second waits and sees the first.
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext('resources.name'), hashtext(:name))"), {"name": name}
        )
    stmt = select(Resource.access_groups).where(Resource.name == name)
    if exclude_id is not None:
        stmt = stmt.where(Resource.id != exclude_id)
    together = [other or [] for other in session.scalars(stmt) if not groups or not other or set(groups) & set(other)]
    if any(principal.can_see_groups(other) for other in together):
        raise DomainError("CONFLICT", f"a resource named '{name}' already exists", ["input", "name"])
    if together:
        raise DomainError(
            "CONFLICT",
            f"a resource named '{name}' already exists in an access group you are not in",
            ["input", "name"],
        )


def _check_resource(name: Any, channel: str, body: Any) -> str:
    clean = _name(name, ["input", "name"])
    if channel not in CHANNELS:
        raise DomainError("INVALID_INPUT", f"channel must be one of {', '.join(CHANNELS)}", ["input", "channel"])
    if not isinstance(body, str) or not body.strip():
        raise DomainError("INVALID_INPUT", "body must not be empty", ["input", "body"])
    return clean


def _clean_groups(groups: list[str]) -> list[str]:
    return sorted({g.strip() for g in groups if isinstance(g, str) and g.strip()})


def create_resource(
    uow: UnitOfWork,
    *,
    principal: Principal | None = None,
    name: str,
    channel: str,
    subject: str | None,
    body: str,
    access_groups: list[str] | None = None,
) -> Resource:
    """Like a journey, a manager's resource takes their access groups unless told otherwise.
    No principal: the system itself (the demo data set, tools), as an ADMIN would."""
    principal = principal or SYSTEM
    clean = _check_resource(name, channel, body)
    if access_groups is not None:
        principal.check_assignable_groups(_clean_groups(access_groups))
        groups = _clean_groups(access_groups)
    else:
        groups = [] if principal.is_admin else sorted(principal.access_groups)
    _unique_resource(uow.session, principal, clean, groups)
    resource = Resource(name=clean, channel=channel, subject=subject, body=body, access_groups=groups)
    uow.session.add(resource)
    uow.flush()
    return resource


def update_resource(
    uow: UnitOfWork,
    *,
    principal: Principal | None = None,
    resource_id: int,
    name: str,
    channel: str,
    subject: str | None,
    body: str,
    access_groups: list[str] | None = None,
) -> Resource:
    """A resource outside the caller's groups is answered like one that does not exist."""
    principal = principal or SYSTEM
    resource = uow.session.get(Resource, resource_id)
    if resource is None or not principal.can_see_groups(resource.access_groups or []):
        raise NotFound("resource", ["id"])
    clean = _check_resource(name, channel, body)
    groups = list(resource.access_groups or [])
    if access_groups is not None:
        groups = _clean_groups(access_groups)
        principal.check_group_change(resource.access_groups, groups)
    # The new name among the new groups, checked before anything of the row changes.
    _unique_resource(uow.session, principal, clean, groups, exclude_id=resource_id)
    resource.name, resource.channel, resource.subject, resource.body = clean, channel, subject, body
    if access_groups is not None:
        resource.access_groups = groups
    uow.flush()
    return resource


def create_bonus_template(
    uow: UnitOfWork, *, name: str, kind: str, amount: float, currency: str | None
) -> BonusTemplate:
    clean = _name(name, ["input", "name"])
    if not isinstance(kind, str) or not kind.strip() or len(kind) > 64:
        raise DomainError("INVALID_INPUT", "kind must be 1 to 64 characters", ["input", "kind"])
    if not math.isfinite(amount) or amount <= 0:
        raise DomainError("INVALID_INPUT", "amount must be a number above 0", ["input", "amount"])
    if currency is not None and not (1 <= len(currency) <= 8):
        raise DomainError("INVALID_INPUT", "currency must be 1 to 8 characters", ["input", "currency"])
    _unique(uow.session, BonusTemplate, clean)
    template = BonusTemplate(name=clean, kind=kind.strip(), amount=float(amount), currency=currency)
    uow.session.add(template)
    uow.flush()
    return template


def create_badge(uow: UnitOfWork, *, name: str, description: str | None, rule: Any) -> Badge:
    clean = _name(name, ["input", "name"])
    problems = badges.rule_problems(rule)
    if problems:
        raise DomainError("INVALID_INPUT", "rule: " + "; ".join(problems), ["input", "rule"])
    _unique(uow.session, Badge, clean)
    badge = Badge(name=clean, description=description, rule=rule, event_names=sorted(_event_names(rule)))
    uow.session.add(badge)
    uow.flush()
    return badge


def _event_names(pred: Any) -> set[str]:
    """Event names a predicate reads (eventCount / eventSum), so only those events re-check it."""
    names: set[str] = set()
    if isinstance(pred, dict):
        for key in ("eventCount", "eventSum"):
            spec = pred.get(key)
            if isinstance(spec, dict) and isinstance(spec.get("name"), str):
                names.add(spec["name"])
        for value in pred.values():
            names |= _event_names(value)
    elif isinstance(pred, list):
        for value in pred:
            names |= _event_names(value)
    return names


# Event names are kept as intake keeps them: stripped, 1 to 120 characters (the column's length).
EVENT_NAME_LIMIT = 120
MAX_REWARD_POINTS = 1_000_000


def create_mission(
    uow: UnitOfWork,
    *,
    name: str,
    description: str | None,
    goal: Any,
    reward: Any,
    starts_at: datetime | None,
    ends_at: datetime | None,
) -> Mission:
    clean = _name(name, ["input", "name"])
    if not isinstance(goal, dict) or not isinstance(goal.get("event"), str) or not goal["event"].strip():
        raise DomainError("INVALID_INPUT", "goal needs an event name", ["input", "goal"])
    event = goal["event"].strip()
    if len(event) > EVENT_NAME_LIMIT or "\x00" in event:
        raise DomainError(
            "INVALID_INPUT", f"goal.event must be 1 to {EVENT_NAME_LIMIT} characters, without NUL", ["input", "goal"]
        )
    measure = goal.get("measure", "count")
    if not isinstance(measure, str) or not (measure == "count" or (measure.startswith("sum:") and len(measure) > 4)):
        raise DomainError("INVALID_INPUT", "goal.measure must be 'count' or 'sum:<property>'", ["input", "goal"])
    target = goal.get("target")
    if isinstance(target, bool) or not isinstance(target, (int, float)) or not math.isfinite(target) or target <= 0:
        raise DomainError("INVALID_INPUT", "goal.target must be a number above 0", ["input", "goal"])
    if goal.get("where") is not None and (problems := missions.where_problems(goal["where"])):
        raise DomainError("INVALID_INPUT", "goal.where: " + "; ".join(problems), ["input", "goal"])
    stored_reward = _reward(uow.session, reward)
    starts_at, ends_at = to_utc(starts_at, ["input", "startsAt"]), to_utc(ends_at, ["input", "endsAt"])
    if starts_at and ends_at and ends_at <= starts_at:
        raise DomainError("INVALID_INPUT", "endsAt must be after startsAt", ["input", "endsAt"])
    _unique(uow.session, Mission, clean)
    mission = Mission(
        name=clean,
        description=description,
        goal=goal,
        reward=stored_reward,
        event_name=event,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    uow.session.add(mission)
    uow.flush()
    return mission


def _reward(session: Session, reward: Any) -> dict[str, Any]:
    """The reward as stored: points and/or the template as given, with the template's id
    resolved now (`bonusTemplateId`), so completing the mission never has to guess."""
    field = ["input", "reward"]
    if not isinstance(reward, dict) or (reward.get("points") is None and reward.get("bonusTemplate") is None):
        raise DomainError("INVALID_INPUT", "reward needs points and/or a bonusTemplate", field)
    stored: dict[str, Any] = {}
    points = reward.get("points")
    if points is not None:
        if isinstance(points, bool) or not isinstance(points, int) or not 1 <= points <= MAX_REWARD_POINTS:
            raise DomainError(
                "INVALID_INPUT", f"reward.points must be a whole number from 1 to {MAX_REWARD_POINTS:,}", field
            )
        stored["points"] = points
    template = reward.get("bonusTemplate")
    if template is not None:
        stored["bonusTemplate"] = template
        stored["bonusTemplateId"] = _template_id(session, template)
    return stored


def _template_id(session: Session, value: Any) -> int:
    """A bonus template named by its name, its ID (as the API shows it) or its number."""
    field = ["input", "reward"]
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise DomainError("INVALID_INPUT", "reward.bonusTemplate must be a bonus template's name, ID or number", field)
    if isinstance(value, int):
        if not 0 < value <= MAX_PK:
            raise DomainError("INVALID_INPUT", "reward.bonusTemplate as a number must be a template's (above 0)", field)
        found = session.scalar(select(BonusTemplate.id).where(BonusTemplate.id == value))
    else:
        text = value.strip()
        if not text or len(text) > 200 or "\x00" in text:
            raise DomainError("INVALID_INPUT", "reward.bonusTemplate must be 1 to 200 characters, without NUL", field)
        found = session.scalar(select(BonusTemplate.id).where(BonusTemplate.name == text))
        pk = pk_of(text, "BonusTemplate") or plain_pk(text)
        if found is None and pk is not None:
            found = session.scalar(select(BonusTemplate.id).where(BonusTemplate.id == pk))
    if found is None:
        raise DomainError("NOT_FOUND", f"no bonus template {value!r}", field)
    return found


def set_levels(uow: UnitOfWork, *, levels: list[tuple[str, int]]) -> list[Level]:
    names: set[str] = set()
    thresholds: set[int] = set()
    for i, (name, threshold) in enumerate(levels):
        clean = _name(name, ["levels", str(i), "name"], limit=120)
        if clean in names:
            raise DomainError("INVALID_INPUT", f"level name '{clean}' is given twice", ["levels", str(i), "name"])
        if threshold < 0 or threshold in thresholds:
            raise DomainError(
                "INVALID_INPUT", "thresholds must be 0 or more and all different", ["levels", str(i), "threshold"]
            )
        names.add(clean)
        thresholds.add(threshold)
    session = uow.session
    session.execute(delete(Level))
    rows = [Level(name=name.strip(), threshold=threshold) for name, threshold in levels]
    session.add_all(rows)
    uow.flush()
    return sorted(rows, key=lambda level: level.threshold)


def list_all(session: Session, model: Any, order: Any = None) -> list[Any]:
    return list(session.scalars(select(model).order_by(order if order is not None else model.id)))
