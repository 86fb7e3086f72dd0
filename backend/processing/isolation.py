"""A batch never fails for one row.

An entry whose step raises is failed by the interpreter, in its pass. What can still
fail a batch as a whole is writing it (a value the database refuses) or a bug around
the interpreter. Such a batch is split in halves and each half run again, down to
single rows, so the rows that can go through do, and a poisoned row ends up alone;
the processor then sets it aside for good (an entry FAILED, an event put by with its
error), so it is not retried for ever.

Two kinds of failure are not split: the passing ones (the database went away, a lock
wait or a deadlock gave up), which say nothing about the rows and are retried whole
(the actor's retries, then the tick); and one that every part of the batch meets (no
part went through), which is more likely the code or the database than the rows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import exc as sa_exc

log = logging.getLogger(__name__)

PASSING = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.DisconnectionError, sa_exc.TimeoutError)
# Failed runs allowed for one batch before it is given up whole: room for a few
# poisoned rows in a batch of thousands (about 2 * log2(n) runs each).
MAX_FAILED_RUNS = 64
MAX_ERROR = 300


@dataclass
class Isolation:
    handled: int = 0
    # Some part of the batch went through.
    succeeded: bool = False
    failed_runs: int = 0
    # The rows that failed alone, with what they raised.
    poisoned: dict[int, Exception] = field(default_factory=dict)


def run_isolated(run: Callable[[list[int]], int], ids: list[int]) -> Isolation:
    """Runs `run` (one transaction over the ids it is given, returning how many rows
    it handled) over `ids`, splitting what fails. Raises a passing failure at once, and
    the first failure when no part of the batch went through."""
    result = Isolation()
    _run(run, ids, result)
    if result.poisoned and not result.succeeded:
        raise next(iter(result.poisoned.values()))
    return result


def _run(run: Callable[[list[int]], int], ids: list[int], result: Isolation) -> None:
    try:
        result.handled += run(ids)
        result.succeeded = True
    except PASSING:
        raise
    except Exception as exc:
        result.failed_runs += 1
        if result.failed_runs > MAX_FAILED_RUNS:
            raise
        if len(ids) == 1:
            result.poisoned[ids[0]] = exc
            return
        log.warning("a batch of %d failed (%s); running each half again", len(ids), describe(exc))
        half = len(ids) // 2
        _run(run, ids[:half], result)
        _run(run, ids[half:], result)


def describe(exc: BaseException) -> str:
    """One line about an error for a row's log: the driver's own error when the
    database refused something, never the statement or its parameters."""
    cause = exc.orig if isinstance(exc, sa_exc.StatementError) and exc.orig is not None else exc
    first = (str(cause).strip().splitlines() or [""])[0]
    return f"{type(cause).__name__}: {first}"[:MAX_ERROR]
