"""Fault isolation after parsing: a unit of analysis that fails costs that unit, not the scan.

A *unit* is what a stage can lose and still give the rest: one module while
linking, one recognizer, one rule of cluster, classify or plan, one context or
plan item. A stage marks a unit with `isolated(stage, unit)` (a context
manager) or `guarded(stage, unit, function, ..., default=...)` (a call), at the
unit's boundary. The pipeline opens a `FaultLog` around the stages with
`collecting()`. Inside it, an `Exception` raised in a unit becomes one
`AnalysisError` in the log and the unit yields its default; outside it (a stage
called directly, as its unit tests do) or with `debug=True`, the exception
propagates unchanged, with its traceback. `KeyboardInterrupt` and other
`BaseException`s are never caught.

The log is ambient (a context variable) rather than a parameter so that the
stages' signatures, which several stages share with their callers and tests,
stay as they are; it only ever holds failures, never analysis data.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from migrate_scan.model.ids import Location
from migrate_scan.model.report import STAGES_AFTER_PARSING, AnalysisError

T = TypeVar("T")

MAX_MESSAGE_CHARS = 300
_PACKAGE_ROOT = Path(__file__).resolve().parents[1]
_ACTIVE: ContextVar[FaultLog | None] = ContextVar("migrate_scan_fault_log", default=None)


class FaultLog:
    """The failures of one scan's isolated units, deduplicated and sorted.

    Args:
        debug: re-raise instead of recording (`--debug`: the full traceback).
    """

    def __init__(self, *, debug: bool = False) -> None:
        self.debug = debug
        self._errors: dict[tuple[str, str], AnalysisError] = {}

    def record(self, stage: str, unit: str, error: BaseException, location: Location | None = None) -> None:
        """Keep one entry per unit: the first failure (what follows from it adds nothing)."""
        key = (stage, unit)
        if key not in self._errors:
            message = _one_line(f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)
            self._errors[key] = AnalysisError(
                stage=stage,
                unit=unit,
                error=message,
                location=location,
                origin=_origin(error.__traceback__),
            )

    @property
    def errors(self) -> list[AnalysisError]:
        """Every failure, in pipeline order, then by unit."""
        order = {stage: index for index, stage in enumerate(STAGES_AFTER_PARSING)}
        return sorted(self._errors.values(), key=lambda e: (order.get(e.stage, len(order)), e.unit, e.error))


Describe = Callable[[], tuple[str, Location | None]]


class _Isolation:
    """The context manager behind `isolated`: swallows and records an `Exception` when a log is open."""

    __slots__ = ("describe", "location", "stage", "unit")

    def __init__(self, stage: str, unit: str, location: Location | None, describe: Describe | None) -> None:
        self.stage = stage
        self.unit = unit
        self.location = location
        self.describe = describe

    def __enter__(self) -> _Isolation:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> bool:
        if error is None or not isinstance(error, Exception):
            return False
        log = _ACTIVE.get()
        if log is None or log.debug:
            return False
        unit, location = self.describe() if self.describe is not None else (self.unit, self.location)
        log.record(self.stage, unit, error, location)
        return True


def isolated(
    stage: str, unit: str = "", location: Location | None = None, *, describe: Describe | None = None
) -> _Isolation:
    """Mark a unit of analysis: `with isolated("link", "module shop.views"): ...`.

    A `with` costs about a microsecond: in a hot loop, put the `with` around the loop and
    re-enter it after a failure, naming the unit that failed with `describe`
    (see `stages.link.SymbolTable.solve`).

    Args:
        stage: the pipeline stage (`link`, `recognize`, `cluster`, `classify`, `plan`, `report`).
        unit: what is lost if it fails, named for a person (`module shop.views`, `recognizer flask`).
        location: where in the scanned tree, when the unit is tied to a file.
        describe: called only on a failure, returns (unit, location) in place of the two above.
    """
    return _Isolation(stage, unit, location, describe)


def guarded(
    stage: str, unit: str, function: Callable[..., T], *args: object, default: T, location: Location | None = None
) -> T:
    """`function(*args)` as an isolated unit: its result, or `default` when it failed (and was recorded)."""
    with isolated(stage, unit, location):
        return function(*args)
    return default


def note(stage: str, unit: str, error: str, location: Location | None = None) -> None:
    """Record a unit left out without an exception (a resource ceiling); nothing when no log is open."""
    log = _ACTIVE.get()
    if log is not None and (stage, unit) not in log._errors:
        log._errors[(stage, unit)] = AnalysisError(
            stage=stage,
            unit=unit,
            error=_one_line(error),
            location=location,
        )


@contextmanager
def collecting(*, debug: bool = False) -> Iterator[FaultLog]:
    """Open a `FaultLog` for the stages run inside the block."""
    log = FaultLog(debug=debug)
    token = _ACTIVE.set(log)
    try:
        yield log
    finally:
        _ACTIVE.reset(token)


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) > MAX_MESSAGE_CHARS:
        flat = flat[: MAX_MESSAGE_CHARS - 1] + "…"
    return flat.encode("utf-8", "backslashreplace").decode("utf-8")


def _origin(trace: TracebackType | None) -> str:
    """Where in migrate-scan the error was raised: the innermost frame of our own code (`stages/link.py:42`)."""
    origin = ""
    for frame in traceback.extract_tb(trace):
        path = Path(frame.filename)
        if path.is_relative_to(_PACKAGE_ROOT):
            origin = f"{path.relative_to(_PACKAGE_ROOT).as_posix()}:{frame.lineno}"
    return origin
