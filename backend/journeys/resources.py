"""The resources each journey may send, by name or id, read once per batch.

Resource names are unique among resources that one operator could see together, not
across all groups: two groups may each have a "Welcome". A journey sends only a
resource everyone who sees the journey sees (`open_to_journey`), and among those a name
is unambiguous. A definition saved before that rule was checked that names a resource
outside the journey's groups finds nothing here: its entry fails at the send step."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.auth.policy import open_to_journey
from backend.models import Journey, Resource


class JourneyResources(Mapping[int, Mapping[str, tuple[int, str]]]):
    """journey id -> {resource name or str(id): (resource id, channel)}, built on first use."""

    def __init__(self, session: Session):
        self._rows: list[Any] = list(
            # Lowest id last, so it wins a name two resources the journey may send share
            # (the definition check reports such a name; an id is never shared).
            session.execute(
                select(Resource.id, Resource.name, Resource.channel, Resource.access_groups).order_by(
                    Resource.id.desc()
                )
            )
        )
        self._session = session
        self._groups: dict[int, tuple[str, ...]] | None = None
        self._built: dict[int, Mapping[str, tuple[int, str]]] = {}

    def __getitem__(self, journey_id: int) -> Mapping[str, tuple[int, str]]:
        if journey_id not in self._built:
            groups = self._journey_groups().get(journey_id)
            if groups is None:
                raise KeyError(journey_id)
            self._built[journey_id] = {
                key: (pk, channel)
                for pk, name, channel, resource_groups in self._rows
                if open_to_journey(resource_groups or [], groups)
                for key in (name, str(pk))
            }
        return self._built[journey_id]

    def _journey_groups(self) -> dict[int, tuple[str, ...]]:
        if self._groups is None:
            rows = self._session.execute(select(Journey.id, Journey.access_groups))
            self._groups = {pk: tuple(groups or ()) for pk, groups in rows}
        return self._groups

    def __iter__(self) -> Iterator[int]:
        return iter(self._journey_groups())

    def __len__(self) -> int:
        return len(self._journey_groups())

    def channels(self) -> Mapping[int, Mapping[str, str]]:
        return _Channels(self)


class _Channels(Mapping[int, Mapping[str, str]]):
    """The same, as the interpreter reads it: journey id -> {name or id: channel}."""

    def __init__(self, resources: JourneyResources):
        self._resources = resources
        self._built: dict[int, Mapping[str, str]] = {}

    def __getitem__(self, journey_id: int) -> Mapping[str, str]:
        if journey_id not in self._built:
            self._built[journey_id] = {key: channel for key, (_pk, channel) in self._resources[journey_id].items()}
        return self._built[journey_id]

    def __iter__(self) -> Iterator[int]:
        return iter(self._resources)

    def __len__(self) -> int:
        return len(self._resources)
