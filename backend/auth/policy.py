"""Who may do what: roles and access groups, decided here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from backend.errors import Forbidden


def open_to_journey(resource_groups: list[str] | tuple[str, ...], journey_groups: list[str] | tuple[str, ...]) -> bool:
    """Whether everyone who sees a journey sees this resource, so the journey may send it:
    the resource has no access groups, or it is in each of the journey's groups (its
    communications show the resource to whoever sees the journey)."""
    if not resource_groups:
        return True
    return bool(journey_groups) and set(journey_groups) <= set(resource_groups)


class Role(IntEnum):
    """Ordered: each role may do what the ones below it may."""

    ANALYST = 1
    MANAGER = 2
    ADMIN = 3


ROLE_NAMES = tuple(r.name for r in Role)


@dataclass(frozen=True)
class Principal:
    operator_id: int
    username: str
    role: Role
    access_groups: frozenset[str]

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def has_role(self, role: Role) -> bool:
        return self.role >= role

    def require_role(self, role: Role) -> None:
        if not self.has_role(role):
            raise Forbidden(f"needs the {role.name} role; you are {self.role.name}")

    def can_see_groups(self, groups: list[str] | tuple[str, ...] | frozenset[str]) -> bool:
        """A journey with no access groups is open to every operator; otherwise the
        operator must share one of its groups. ADMIN sees everything."""
        if self.is_admin or not groups:
            return True
        return bool(self.access_groups.intersection(groups))

    def require_groups(self, groups: list[str] | tuple[str, ...] | frozenset[str]) -> None:
        if not self.can_see_groups(groups):
            raise Forbidden("this journey belongs to access groups you are not in")

    def check_assignable_groups(self, groups: list[str]) -> None:
        """A manager may give a journey only groups they are in themselves."""
        if self.is_admin:
            return
        outside = sorted(set(groups) - self.access_groups)
        if outside:
            raise Forbidden(f"you are not in the access groups {', '.join(outside)}")

    def check_group_change(self, current: list[str] | None, new: list[str]) -> None:
        """A manager may add or take away only groups they are in, and may not give
        groups to something open to every operator (that would lock the others out);
        an ADMIN may do anything."""
        if self.is_admin:
            return
        before, after = set(current or ()), set(new)
        if not before and after:
            raise Forbidden("only an ADMIN may give access groups to what is open to every operator")
        outside = sorted((before ^ after) - self.access_groups)
        if outside:
            raise Forbidden(f"you are not in the access groups {', '.join(outside)}")
