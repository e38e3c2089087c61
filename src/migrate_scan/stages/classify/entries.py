"""Entry points: the routes, jobs, real-time handlers and receivers each module and context holds.

The classify stage reasons about modules through what enters them: an HTTP
route, a task, a receiver, a socket handler. This module turns the
recognizers' inventory into one flat, sorted list of `EntryPoint`s, and finds
the workflows (Celery canvases) each context owns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from migrate_scan.model.ids import Location, split_symbol
from migrate_scan.model.inventory import Recognition
from migrate_scan.model.report import Job, JobKind

ASYNC_KINDS = frozenset({"task", "periodic", "command", "loop", "thread", "receiver", "scheduler", "rq-job", "job"})
"""Entry kinds that are asynchronous work (pattern 3 evidence)."""

_JOB_KINDS: dict[JobKind, str] = {
    "celery-task": "task",
    "celery-periodic": "periodic",
    "rq-job": "rq-job",
    "scheduler": "scheduler",
    "django-command": "command",
    "flask-command": "command",
    "click-command": "command",
    "worker-loop": "loop",
    "thread": "thread",
}


@dataclass(frozen=True, slots=True)
class EntryPoint:
    """Something that enters the application from outside: a request, a message, a timer, a signal."""

    kind: str  # route, realtime, task, periodic, command, loop, thread, receiver, scheduler, rq-job, job
    symbol: str  # the handler
    module: str  # the module the entry belongs to: the handler's, or for a route the routed class's
    location: Location
    name: str  # path, task name, event...
    job: Job | None = None

    @property
    def is_async(self) -> bool:
        """Background work rather than a request or a socket message."""
        return self.kind in ASYNC_KINDS


@dataclass(frozen=True)
class Workflow:
    """The Celery canvases one module builds, taken together as one business process.

    Or a chain of steps a job runs by hand (a plugin chain: `for step in [A, B, C]: step(...).run()`):
    no canvas then (`builders` and `step_jobs` empty), the loop in `chain`, the steps' modules (and the
    base class they share) in `members`, and where the job may run long in `long_running`.

    Or a process kept in a model's status field (PT403): `module` the model's, `steps` the functions that
    move it, `chain` the field and each move, `decisions` the moves that speak of a person's decision
    (the decision tree keeps those a route reaches), `label` the field and its states.
    """

    module: str
    builders: tuple[Job, ...]
    steps: tuple[str, ...]  # handler symbols of the composed tasks (or the chained definitions)
    step_jobs: tuple[Job, ...]
    chain: tuple[Location, ...] = ()
    members: tuple[str, ...] = ()
    long_running: tuple[Location, ...] = ()
    rule: str = "PT401"
    decisions: tuple[tuple[str, Location], ...] = ()  # (function, where it sets the state)
    label: str = ""

    @property
    def locations(self) -> list[Location]:
        """Where the canvases are built, or where the chain runs."""
        return [job.location for job in self.builders] + list(self.chain)

    @property
    def is_status_flow(self) -> bool:
        """A process kept in a status field rather than built or run by one function."""
        return bool(self.label)

    @property
    def is_chain(self) -> bool:
        """A chain of steps run inside one job rather than a canvas of tasks."""
        return bool(self.chain) and not self.is_status_flow


def module_of(symbol: str) -> str:
    """The module part of a symbol."""
    return split_symbol(symbol)[0]


def entry_points(recognition: Recognition, file_modules: dict[str, str]) -> list[EntryPoint]:
    """Every entry point of the application, sorted by module, kind and location.

    A periodic (beat) entry counts for the module of the task it runs; a
    real-time route declared in a routing module counts for the consumer and,
    as a separate entry, for the routing module.
    """
    found: list[EntryPoint] = []
    for route in recognition.routes:
        found.append(EntryPoint("route", route.handler, module_of(route.owner), route.location, route.path))
    for handler in recognition.realtime:
        name = handler.event or handler.path or handler.kind
        found.append(EntryPoint("realtime", handler.handler, module_of(handler.handler), handler.location, name))
        routing_module = file_modules.get(handler.location.file)
        if routing_module and routing_module != module_of(handler.handler):
            found.append(EntryPoint("realtime", handler.handler, routing_module, handler.location, name))
    tasks_by_name = {job.name: job for job in recognition.jobs if job.kind == "celery-task"}
    for job in recognition.jobs:
        if job.kind == "celery-workflow":
            continue
        kind = _JOB_KINDS.get(job.kind, "job")
        runs = job.handler
        if kind == "periodic" and job.task in tasks_by_name:
            runs = tasks_by_name[job.task].handler
        found.append(EntryPoint(kind, runs, module_of(runs), job.location, job.name, job))
    for event in recognition.events:
        found.append(EntryPoint("receiver", event.receiver, module_of(event.receiver), event.location, event.signal))
    return sorted(found, key=lambda e: (e.module, e.kind, e.location.file, e.location.line, e.symbol, e.name))


def workflows(recognition: Recognition) -> list[Workflow]:
    """The canvases of each module, with the task jobs they compose."""
    tasks = {_dotted(job.handler): job for job in recognition.jobs if job.kind == "celery-task"}
    by_module: dict[str, list[Job]] = defaultdict(list)
    for job in recognition.jobs:
        if job.kind == "celery-workflow":
            by_module[module_of(job.handler)].append(job)
    found = []
    for module, builders in sorted(by_module.items()):
        steps = sorted({step for job in builders for step in job.steps})
        step_jobs = tuple(tasks[step] for step in steps if step in tasks)
        found.append(
            Workflow(
                module=module,
                builders=tuple(builders),
                steps=tuple(job.handler for job in step_jobs) or tuple(steps),
                step_jobs=step_jobs,
            )
        )
    return found


def _dotted(symbol: str) -> str:
    module, qualname = split_symbol(symbol)
    return f"{module}.{qualname}" if qualname else module


class Reach:
    """Forward reachability over our own call graph, memoised per start symbol.

    Edges a shared decorator wrapper makes to every function it wraps are
    skipped (each call site has its own edge), as data access does.
    """

    def __init__(self, call_graph: nx.DiGraph[str], limit: int = 4000) -> None:
        self.graph = call_graph
        self.limit = limit
        self._memo: dict[str, frozenset[str]] = {}
        self._modules: dict[str, frozenset[str]] = {}
        self._callees: dict[str, tuple[str, ...]] = {}  # symbol → the callees followed from it
        self.capped: dict[str, int] = {}  # start symbol → reachable symbols left out by the cap (at least)

    def from_symbol(self, symbol: str) -> frozenset[str]:
        """Symbols reachable from `symbol` (itself included), capped at `limit` nodes.

        Breadth first, one call depth at a time: under the cap the nearest symbols
        are kept, and within the depth where the cap falls the first by name, so the
        kept set never depends on the order the graph's edges were added in.
        """
        cached = self._memo.get(symbol)
        if cached is not None:
            return cached
        graph = self.graph
        seen = {symbol}
        level = [symbol] if symbol in graph else []
        while level:
            following: set[str] = set()
            for current in level:
                following.update(self._followed(current))
            following -= seen
            level = sorted(following)
            room = self.limit - len(seen)
            if len(level) > room:  # what lies beyond this depth is not followed either
                self.capped[symbol] = len(level) - room
                seen.update(level[:room])
                break
            seen.update(level)
        result = frozenset(seen)
        self._memo[symbol] = result
        return result

    def _followed(self, symbol: str) -> tuple[str, ...]:
        """The callees of `symbol` that reachability follows: our own, not through a shared decorator wrapper."""
        cached = self._callees.get(symbol)
        if cached is None:
            graph = self.graph
            cached = tuple(
                callee
                for _, callee, data in graph.out_edges(symbol, data=True)
                if not data.get("via_decorator") and not graph.nodes[callee].get("external")
            )
            self._callees[symbol] = cached
        return cached

    def modules_reached(self, symbol: str) -> frozenset[str]:
        """The modules of the symbols reachable from `symbol` (memoised)."""
        cached = self._modules.get(symbol)
        if cached is None:
            cached = frozenset(module_of(s) for s in self.from_symbol(symbol))
            self._modules[symbol] = cached
        return cached

    def modules_from(self, symbols: Iterable[str]) -> set[str]:
        """Modules reachable from any of `symbols`."""
        return {module for symbol in symbols for module in self.modules_reached(symbol)}
