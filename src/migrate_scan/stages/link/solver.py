"""The worklist solver: value sets keyed by variable, and which units read them.

A unit is one fact of the tree (an import, definition, assignment, return or
call) evaluated by a propagation function. Each is evaluated once, then again
only when a value it read has grown: a worklist, so cost follows the changes
rather than rounds over the tree. Reads are recorded while a unit runs
(`_read`, `_returns`, `_depend`); writes (`_add`, `_add_return`) that grow a
set re-queue its readers (`_notify`).

Lifecycle: `Solver` is the base of the symbol table; `_run(units)` is called
once, after which the reader lists are dropped and `stats` says how much work
was done and whether the budget cut any of it short.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from typing import Any

from migrate_scan.model.faults import isolated
from migrate_scan.model.graphs import SolverStats
from migrate_scan.model.ids import Location
from migrate_scan.model.memory import memory_exceeded
from migrate_scan.stages.link.values import EMPTY, MAX_VALUES, grow, grown_set

MEMORY_CHECK_MASK = 4095
"""Check the memory ceiling every 4,096 evaluations (a read of /proc/self/statm)."""
MAX_EVALUATIONS_PER_UNIT = 50  # a safety net: monotone growth under MAX_VALUES ends far sooner

Unit = tuple[Callable[[str, Any], None], str, Any]
"""A propagation function, the module of the fact, and the fact."""


class Solver:
    """Value sets and the worklist that grows them to a fixpoint."""

    def __init__(self) -> None:
        # Variable → its values: a set is never changed once made (growing replaces it), so reads share it.
        self.vars: dict[tuple[str, str], frozenset[str]] = {}
        self.returns: dict[str, set[str]] = defaultdict(set)
        # key → units that read it (a list: far smaller than sets; repeats are harmless, see `_notify`)
        self._readers: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._queue: deque[int] = deque()
        self._queued = bytearray()
        self._unit = -1  # the unit being evaluated; -1 outside `_run`
        self._deferred: set[int] = set()  # units waiting for a value (a decorator's) that may never come
        self._finalizing = False
        self.is_solved = False  # set once `_run` is done: the values are final from then on
        self.stats = SolverStats()
        # Variables and returns that reached MAX_VALUES → the values they had to leave out.
        self.refused: dict[object, set[str]] = {}
        self._scratch: set[str] = set()

    def _run(self, units: list[Unit]) -> SolverStats:
        """Evaluate every unit once, then again each time a value it read has grown.

        Two phases: the second first re-queues the units that deferred
        themselves (waiting for a value that, the first phase being done,
        will never come), so they can settle for what is known. A safety
        budget bounds the total work; what it cut short is reported in the
        returned statistics, never silently dropped.
        """
        self._queue = deque(range(len(units)))
        self._queued = bytearray(b"\x01" * len(units))
        evaluated = 0
        budget = MAX_EVALUATIONS_PER_UNIT * len(units)
        for finalizing in (False, True):
            self._finalizing = finalizing
            if finalizing:  # decorators still unknown now never will be: bind those names as they are
                for unit in sorted(self._deferred):
                    if not self._queued[unit]:
                        self._queued[unit] = 1
                        self._queue.append(unit)
            while self._queue and evaluated < budget:
                # A unit that fails costs its own propagation; the `with` is re-entered only after a failure.
                with isolated("link", describe=lambda: self._failed_unit(*units[self._unit][1:])):
                    while self._queue and evaluated < budget:
                        if evaluated & MEMORY_CHECK_MASK == 0 and self._is_out_of_memory():
                            break
                        unit = self._unit = self._queue.popleft()
                        self._queued[unit] = 0
                        function, module, fact = units[unit]
                        evaluated += 1
                        function(module, fact)
        self._unit = -1
        self.stats = SolverStats(
            units=len(units),
            evaluations=evaluated,
            budget=budget,
            pending=len(self._queue),
            value_cap=MAX_VALUES,
            capped_sets=len(self.refused),
            refused_values=sum(len(values) for values in self.refused.values()),
        )
        self.refused = {}
        self.is_solved = True
        self._readers = defaultdict(list)  # only needed while solving
        self._queued = bytearray()
        self._queue = deque()
        return self.stats

    def _is_out_of_memory(self) -> bool:
        """Past the scan's memory ceiling: drop what is still queued (named in `analysis_errors`)."""
        if not memory_exceeded("link", "propagation", f"{len(self._queue)} evaluations left queued"):
            return False
        self._queue.clear()
        return True

    def _failed_unit(self, module: str, fact: Any) -> tuple[str, Location | None]:
        """How `model.faults` names a unit that raised: its module, and its fact's line."""
        facts = getattr(self, "modules", {}).get(module)
        line = getattr(fact, "line", 0) or 0
        return f"module {module}", Location(file=facts.path, line=line) if facts is not None else None

    def _defer(self) -> None:
        """The unit being evaluated waits for a value not known yet; the final phase reruns it."""
        self._deferred.add(self._unit)

    def _add(self, key: tuple[str, str], values: Iterable[str]) -> None:
        if not values:
            return
        scratch = self._scratch
        grown = grown_set(self.vars.get(key, EMPTY), values, scratch)
        if grown is not None:
            self.vars[key] = grown
            self._notify(key)
        if scratch:
            self._refuse(key, scratch)

    def _add_return(self, function: str, values: Iterable[str]) -> None:
        if not values:
            return
        scratch = self._scratch
        if grow(self.returns[function], values, scratch):
            self._notify(("<return>", function))
        if scratch:
            self._refuse(("<return>", function), scratch)

    def _refuse(self, key: object, scratch: set[str]) -> None:
        """Record what a full set left out (for the report's `limits`), and empty the scratch set."""
        self.refused.setdefault(key, set()).update(scratch)
        scratch.clear()

    def _depend(self, key: tuple[str, str]) -> None:
        if self._unit >= 0:
            self._reader_of(key)

    def _read(self, key: tuple[str, str]) -> frozenset[str]:
        unit = self._unit
        if unit >= 0:  # `_reader_of`, inlined: the hottest call of the solver
            readers = self._readers[key]
            if not readers or readers[-1] != unit:
                readers.append(unit)
        return self.vars.get(key, EMPTY)

    def _returns(self, function: str) -> set[str]:
        if self._unit >= 0:
            self._reader_of(("<return>", function))
        return self.returns.get(function) or set()

    def _reader_of(self, key: tuple[str, str]) -> None:
        readers = self._readers[key]
        if not readers or readers[-1] != self._unit:
            readers.append(self._unit)

    def _notify(self, key: tuple[str, str]) -> None:
        readers = self._readers.get(key)
        if not readers:
            return
        queued = self._queued
        for unit in readers:
            if not queued[unit]:
                queued[unit] = 1
                self._queue.append(unit)
