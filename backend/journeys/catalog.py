"""What a definition may name (resources, bonus templates), read from the database.

An operator names only what they may see: a resource of access groups they are not in
is unknown to them, with the same problem as a name nothing has. With the journey's
groups given, a resource the operator sees but the journey's viewers do not is reported
as outside the journey (`Catalog.outside_journey`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.auth.policy import Principal, open_to_journey
from backend.journeys.definition import Catalog
from backend.models import BonusTemplate, Resource


def load_catalog(
    session: Session, principal: Principal | None = None, journey_groups: Sequence[str] | None = None
) -> Catalog:
    """No principal: the system's view, every resource (tools, the demo data set)."""
    rows = session.execute(select(Resource.id, Resource.name, Resource.channel, Resource.access_groups)).all()
    seen = [r for r in rows if principal is None or principal.can_see_groups(r.access_groups or [])]
    fits = [r for r in seen if journey_groups is None or open_to_journey(r.access_groups or [], tuple(journey_groups))]
    resources: dict[str, str] = {}
    # A name the journey may send wins over the same name in groups outside the journey.
    for pk, name, channel, _groups in [*seen, *fits]:
        resources[name] = channel
        resources[str(pk)] = channel
    fitting = {key for pk, name, _c, _g in fits for key in (name, str(pk))}
    names = Counter(name for _pk, name, _c, _g in fits)
    shared = {n for n, count in names.items() if count > 1} if journey_groups is not None else set()
    templates: set[str] = set()
    for pk, name in session.execute(select(BonusTemplate.id, BonusTemplate.name)):
        templates.update((name, str(pk)))
    return Catalog(
        resources=resources,
        bonus_templates=frozenset(templates),
        outside_journey=frozenset(resources) - fitting,
        shared_names=frozenset(shared),
    )
