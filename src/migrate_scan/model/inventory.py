"""The recognize stage's output: what the application registers, with evidence.

Entries are the report's own models (routes, jobs, models, real-time handlers,
events), so later stages and renderers read them as they are. Registrations
static reading could not follow are kept with their location, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from migrate_scan.model.ids import Location
from migrate_scan.model.report import DataModel, Event, Job, LimitReached, Realtime, Route, Signal

_Entry = TypeVar("_Entry", bound=BaseModel)
_Record = TypeVar("_Record")


@dataclass(frozen=True, slots=True)
class UnresolvedRegistration:
    """A registration whose target or path static reading could not determine."""

    rule: str
    location: Location
    detail: str


@dataclass(frozen=True, slots=True)
class ViewMount:
    """A class-based view mounted at a URL, as the URL tree builds it (prefixes applied).

    Published by the recognizers that walk URL trees (`path("x/", V.as_view(...))`,
    `add_url_rule(rule, view_func=V.as_view(...))`) whether or not they could
    turn the view into routes, so that others (GraphQL, ...) read where a view
    is served instead of scanning URL patterns again.
    """

    path: str  # canonical, as `Route.path`
    raw_path: str
    views: tuple[str, ...]  # class symbols in the scanned tree, else the qualified names of the class
    keywords: tuple[str, ...]  # the keyword arguments given to `as_view(...)`
    framework: str
    location: Location


ApplicationRole = Literal["app", "blueprint", "celery-app", "wsgi", "asgi", "command-line", "django-app"]


@dataclass(frozen=True, slots=True)
class Application:
    """Where the tree assembles its application: an object or entry point made, or a Django app.

    `role` is what it is (the rule's role); `module` where it is made, or the
    package of a Django app; `creator` the function that makes it (an app
    factory), empty at module level; `name` a Django app's label.
    """

    role: ApplicationRole
    framework: str
    rule: str
    module: str
    creator: str
    name: str
    location: Location
    detail: str = ""


def django_app_labels(applications: list[Application]) -> dict[str, str]:
    """Django app package → its label, from the `applications` product."""
    return {app.module: app.name for app in applications if app.role == "django-app"}


@dataclass(frozen=True, slots=True)
class Blocker:
    """A readiness finding: code that will not work, or not well, on Lambda.

    `rule` is the readiness rule id from `heuristics/readiness.toml` (the
    warning rule the classify stage raises for it); `kind` names the problem
    (local-disk-write, module-state, sqlite, file-sessions, native-dependency,
    memory-channel-layer, memory-broker, payload-limit, socketio-server, ...).
    """

    rule: str
    kind: str
    module: str
    location: Location
    detail: str
    symbol: str | None = None
    related: tuple[Location, ...] = ()
    dev_only: bool = False  # set in a development/testing config (class or module named so)


@dataclass(frozen=True, slots=True)
class Pipeline:
    """A chain of steps a job runs by hand: `for step in [A, B, C]: step(...).run()` inside one job.

    `steps` are the chained definitions in list order (symbols), `step_locations` where each is defined,
    `members` the modules that take part (the steps' modules and those of the base classes two or more
    steps share).
    """

    job: str  # the job's handler symbol
    location: Location  # the loop
    steps: tuple[str, ...]
    step_locations: tuple[Location, ...]
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ModelAccess:
    """A function reading or writing a model directly (not through its callees)."""

    function: str
    model: str
    is_write: bool
    location: Location


@dataclass
class Recognition:
    """Everything the recognizers found; `merged` sorts it for the report."""

    routes: list[Route] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    models: list[DataModel] = field(default_factory=list)
    realtime: list[Realtime] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    blockers: list[Blocker] = field(default_factory=list)
    model_access: list[ModelAccess] = field(default_factory=list)
    unresolved: list[UnresolvedRegistration] = field(default_factory=list)
    mounts: list[ViewMount] = field(default_factory=list)
    limits: list[LimitReached] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)
    pipelines: list[Pipeline] = field(default_factory=list)

    def extend(self, other: Recognition) -> None:
        """Add another recognizer's findings."""
        self.routes += other.routes
        self.jobs += other.jobs
        self.models += other.models
        self.realtime += other.realtime
        self.events += other.events
        self.signals += other.signals
        self.blockers += other.blockers
        self.model_access += other.model_access
        self.unresolved += other.unresolved
        self.mounts += other.mounts
        self.limits += other.limits
        self.applications += other.applications
        self.pipelines += other.pipelines

    def sorted(self) -> Recognition:
        """The same findings, duplicates dropped, in a stable order."""
        return Recognition(
            routes=_unique(self.routes, lambda r: (r.path, r.methods, r.handler, r.location.file, r.location.line)),
            jobs=_unique(self.jobs, lambda j: (j.kind, j.name, j.handler, j.location.file, j.location.line)),
            models=_unique(self.models, lambda m: (m.symbol, m.location.file, m.location.line)),
            realtime=_unique(self.realtime, lambda r: (r.kind, r.handler, r.event or "", r.path or "")),
            events=_unique(self.events, lambda e: (e.kind, e.signal, e.receiver, e.location.line)),
            signals=_unique(self.signals, lambda s: (s.symbol, s.kind)),
            blockers=_records(self.blockers, lambda b: (b.location.file, b.location.line, b.rule, b.kind, b.detail)),
            model_access=_records(self.model_access, lambda a: (a.function, a.model, a.is_write, a.location.line)),
            unresolved=_records(self.unresolved, lambda u: (u.location.file, u.location.line, u.rule)),
            mounts=_records(self.mounts, lambda m: (m.path, m.raw_path, m.views, m.location.file, m.location.line)),
            limits=_merged_limits(self.limits),
            applications=_records(
                self.applications, lambda a: (a.module, a.role, a.creator, a.location.file, a.location.line)
            ),
            pipelines=_records(self.pipelines, lambda p: (p.job, p.location.file, p.location.line)),
        )


def _merged_limits(limits: list[LimitReached]) -> list[LimitReached]:
    """One entry per (stage, limit): hits and what was dropped summed over the recognizers that reached it."""
    merged: dict[tuple[str, str], LimitReached] = {}
    for limit in sorted(limits, key=lambda item: (item.stage, item.limit, item.hits, item.dropped)):
        key = (limit.stage, limit.limit)
        if key in merged:
            first = merged[key]
            limit = first.model_copy(update={"hits": first.hits + limit.hits, "dropped": first.dropped + limit.dropped})
        merged[key] = limit
    return [merged[key] for key in sorted(merged)]


def _records(entries: list[_Record], order: Callable[[_Record], Any]) -> list[_Record]:
    """Records without duplicates, sorted by `order` then by their repr: ties never fall back on
    set order, which follows string hashes and so varies from run to run."""
    return sorted(set(entries), key=lambda entry: (order(entry), repr(entry)))


def _unique(entries: list[_Entry], order: Callable[[_Entry], Any]) -> list[_Entry]:
    """Entries without duplicates (equal JSON), sorted by `order` then by their JSON."""
    distinct = {entry.model_dump_json(): entry for entry in entries}
    return [distinct[text] for text in sorted(distinct, key=lambda text: (order(distinct[text]), text))]
