"""What a definition may name (resources, bonus templates), read from the database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.journeys.definition import Catalog
from backend.models import BonusTemplate, Resource


def load_catalog(session: Session) -> Catalog:
    resources: dict[str, str] = {}
    for pk, name, channel in session.execute(select(Resource.id, Resource.name, Resource.channel)):
        resources[name] = channel
        resources[str(pk)] = channel
    templates: set[str] = set()
    for pk, name in session.execute(select(BonusTemplate.id, BonusTemplate.name)):
        templates.update((name, str(pk)))
    return Catalog(resources=resources, bonus_templates=frozenset(templates))
