"""What the demo is asked to make, and how it reports its progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Options:
    players: int = 2000
    seed: int = 0
    # For the three demo operators; None: one is generated for each.
    password: str | None = None


class Progress(Protocol):
    """The stages of the work, each with its number of steps; the command draws them."""

    def stage(self, description: str, total: int) -> None: ...

    def advance(self, steps: int = 1) -> None: ...


class NoProgress:
    def stage(self, description: str, total: int) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass
