"""The module index: what the parser and the recognizers say about each module, computed once.

Input: `LinkedGraphs` and `Recognition`. Output: `ModuleIndex`, read by every other part of the
cluster stage (ties, seeds, grouping, explanations). Also the small helpers on dotted module names.
Nothing here decides a context.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from migrate_scan.model.facts import FileFacts
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Application, Recognition
from migrate_scan.model.report import JobKind

NOT_ENTRY_JOB_KINDS: frozenset[JobKind] = frozenset({"worker-loop", "thread", "celery-workflow"})
"""A `while True` loop or a background thread is a shape of code libraries have too; a workflow composes tasks."""
OPERATIONAL_JOB_KINDS: frozenset[JobKind] = frozenset({"flask-command", "click-command"})
"""Command-line commands registered on the app: they do not stop a module joining the shell."""

Where = tuple[str, int]  # (file, line): a Location before it leaves the stage (cheap to hash and sort)


class ModuleIndex:
    """Per-module facts the rules read, computed once."""

    def __init__(self, graphs: LinkedGraphs, recognition: Recognition) -> None:
        self.modules: list[str] = sorted(graphs.modules)
        self.files: dict[str, FileFacts] = graphs.modules
        self.module_set = frozenset(self.modules)
        self.packages = frozenset(m for m in self.modules if graphs.modules[m].is_package)
        self.by_path = {f.path: m for m, f in graphs.modules.items()}
        self.import_graph = graphs.import_graph
        self.entries: dict[str, Counter[str]] = defaultdict(Counter)
        self.operational: Counter[str] = Counter()
        for route in recognition.routes:
            self._entry(route.owner, "route")
        for job in recognition.jobs:
            if job.kind in NOT_ENTRY_JOB_KINDS:
                continue
            if job.kind in OPERATIONAL_JOB_KINDS:
                self.operational[module_of(job.handler)] += 1
            else:
                self._entry(job.handler, "job")
        for handler in recognition.realtime:
            self._entry(handler.handler, "realtime")
        for event in recognition.events:
            self._entry(event.receiver, "receiver")
        self.models: dict[str, list[str]] = defaultdict(list)  # module → model symbols
        self.model_module: dict[str, str] = {}
        self.tables: Counter[str] = Counter()
        self.abstract: set[str] = set()
        for model in recognition.models:
            module = module_of(model.symbol)
            self.models[module].append(model.symbol)
            self.model_module[model.symbol] = module
            if model.abstract:
                self.abstract.add(model.symbol)
            else:
                self.tables[module] += 1
        self.model_labels = self._model_labels(recognition)
        self.tests = frozenset(m for m in self.modules if graphs.is_test(m))
        self.applications: dict[str, list[Application]] = defaultdict(list)  # module → what it makes
        for application in recognition.applications:
            if application.role != "django-app" and application.module in self.module_set:
                self.applications[application.module].append(application)
        self.django_apps = [a for a in recognition.applications if a.role == "django-app"]
        self.factories = {a.creator for a in recognition.applications if a.role == "app" and a.creator}
        self.lines = {m: graphs.modules[m].metrics.loc for m in self.modules}

    def _entry(self, symbol: str, kind: str) -> None:
        module = module_of(symbol)
        if module in self.module_set:
            self.entries[module][kind] += 1

    def _model_labels(self, recognition: Recognition) -> dict[str, str]:
        """`app_label.Model` (Django's string spelling) → model symbol."""
        labels: dict[str, str] = {}
        for model in recognition.models:
            module = module_of(model.symbol)
            package = module.rpartition(".")[0] if module.rpartition(".")[2] == "models" else module
            labels.setdefault(f"{package.rpartition('.')[2]}.{model.name}", model.symbol)
        return labels

    def has_entries(self, modules: Iterable[str]) -> bool:
        return any(self.entries.get(m) for m in modules)

    def table_count(self, modules: Iterable[str]) -> int:
        return sum(self.tables[m] for m in modules)

    def entry_summary(self, modules: Iterable[str]) -> str:
        total: Counter[str] = Counter()
        for module in modules:
            total.update(self.entries.get(module, {}))
        names = {"route": "routes", "job": "jobs", "realtime": "real-time handlers", "receiver": "receivers"}
        return ", ".join(f"{total[k]} {names[k]}" for k in ("route", "job", "realtime", "receiver") if total[k])


def location_key(location: Location) -> Where:
    return (location.file, location.line)


def module_of(symbol: str) -> str:
    return symbol.partition(":")[0]


def parent(module: str) -> str:
    return module.rpartition(".")[0]


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def last(name: str) -> str:
    return name.rpartition(".")[2]
