"""The whole-scan memory ceiling (`--max-memory`): degrade to a partial report instead of being killed.

The scan's own process holds everything that accumulates (the facts of every
file, the symbol table, the graphs); parse workers are transient and capped
separately (`workers.WORKER_MEMORY_BYTES`). The pipeline opens a `MemoryCeiling`
with `watching()`; the parse loop stops handing out files and each later stage
is skipped once the resident size is past the ceiling, and the link solver (the
largest consumer) checks it every few thousand evaluations and stops
propagating. What was left out is named: files as skipped with `memory-limit`,
stages and the solver's remaining work in `analysis_errors`.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from migrate_scan.model.faults import note

MIB = 1024 * 1024
MIN_DEFAULT_BYTES = 1024 * MIB
_ACTIVE: ContextVar[MemoryCeiling | None] = ContextVar("migrate_scan_memory_ceiling", default=None)


def resident_bytes() -> int:
    """The resident size of this process now (Linux: /proc/self/statm), else its peak so far."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        pass
    try:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024
    except (ImportError, OSError):
        return 0


def default_max_memory() -> int:
    """Half of the machine's physical memory, and at least 1 GiB."""
    try:
        physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return 4 * MIN_DEFAULT_BYTES
    return max(MIN_DEFAULT_BYTES, physical // 2)


class MemoryCeiling:
    """A limit on the scan process's resident size; once reached, it stays reached for the rest of the scan.

    Args:
        limit_bytes: the ceiling; None never trips.
    """

    def __init__(self, limit_bytes: int | None) -> None:
        self.limit_bytes = limit_bytes
        self.is_reached = False

    def is_exceeded(self) -> bool:
        """Whether the process is (or was) past the ceiling."""
        if not self.is_reached and self.limit_bytes is not None and resident_bytes() > self.limit_bytes:
            self.is_reached = True
        return self.is_reached

    @property
    def message(self) -> str:
        limit = self.limit_bytes or 0
        return f"MemoryCeiling: the scan reached --max-memory ({limit // MIB} MiB)"


@contextmanager
def watching(ceiling: MemoryCeiling) -> Iterator[MemoryCeiling]:
    """Make `ceiling` the one the stages check (`memory_exceeded`) inside the block."""
    token = _ACTIVE.set(ceiling)
    try:
        yield ceiling
    finally:
        _ACTIVE.reset(token)


def memory_exceeded(stage: str, unit: str, left_out: str) -> bool:
    """For a stage: whether the scan is past its ceiling; if so, note in `analysis_errors` what is left out."""
    ceiling = _ACTIVE.get()
    if ceiling is None or not ceiling.is_exceeded():
        return False
    note(stage, unit, f"{ceiling.message}; {left_out}")
    return True


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the duration (reference counting goes on).

    A scan builds millions of small, long-lived, acyclic objects (the facts of
    every file, value sets, report entries); every automatic collection of the
    oldest generation walks all of them for nothing. Measured on Django's
    source: a fifth of the analysis's CPU time and three quarters of loading
    cached facts. What little cyclic garbage a scan makes waits for the next
    automatic collection after the pause. Nested pauses are harmless.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
