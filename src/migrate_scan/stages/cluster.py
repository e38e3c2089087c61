"""Cluster stage: `LinkedGraphs` + `Recognition` → `Clustering` (bounded contexts and the quality of the split).

How contexts are found, in order:

1. A weighted, undirected module graph: imports, call sites, shared model
   access, model relations, signals and shared route prefixes (weights below).
2. Seeds from the structure the authors chose: Django apps (an `apps.py`
   AppConfig, a models module with Django models, or an `INSTALLED_APPS`
   entry), Flask blueprint packages (a module calling `flask.Blueprint(...)`),
   then packages: top-level ones, or the ones below an *umbrella* package (a
   package that holds the composition root or a framework seed, or most of
   the tree). A module belongs to the deepest seed that contains it; a module
   in no seed is a *stray*.
3. The app shell (the composition root): modules that create the app
   (`Flask(...)`, `Celery(...)`, WSGI/ASGI, `manage.py`), Django settings and
   `ROOT_URLCONF`, the settings package's own modules, scripts calling an app
   factory, and modules imported by the shell alone.
4. The shared kernel: seeds and strays with no entry points of their own (no
   routes, jobs, real-time handlers, receivers or tables) used by 3 or more
   business contexts (2 for packages named like a library: core, utils, ...);
   modules defining signals that other contexts receive.
5. Strays join the business context they are most strongly tied to, unless
   they have entry points of their own and that context does not call into
   them (a downstream consumer is a capability of its own).
6. Granularity: "normal" keeps the author's seeds but merges a seed without
   entry points that owns at most one table into its strongest neighbour (the
   seed's "no one-table services"); "coarse" applies that rule to every small
   seed and merges small seeds more tied to a neighbour than to themselves;
   "fine" proposes splits of large contexts with seeded Louvain communities.
7. Pins from the configuration override everything: pinned modules go to the
   named context and are never moved.

Invariants: every module of `graphs.modules` is in exactly one context;
context names are unique; everything is sorted, and the only randomised
algorithm (Louvain) is seeded, so the same input gives the same output
whatever the order of the input.
"""

from __future__ import annotations

import fnmatch
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import networkx as nx

from migrate_scan.model.analysis import Clustering, ContextGroup, ContextKind, CrossEdge
from migrate_scan.model.facts import ExprKind, FileFacts, dotted_name
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Recognition

# -- edge weights of the module graph ---------------------------------------------------------------
IMPORT_WEIGHT = 1.0
"""Per import edge (module → module, however many names it imports)."""
CALL_WEIGHT = 0.5
"""Per distinct call site between two modules (a caller symbol → callee symbol edge of the call graph)."""
MODEL_ACCESS_WEIGHT = 1.0
"""Per (module, model) pair: a function of the module reads or writes a model defined in another module."""
MODEL_RELATION_WEIGHT = 1.0
"""Per (model, target model) pair across modules: a foreign key, many-to-many, relationship, parent link."""
SIGNAL_WEIGHT = 1.0
"""Per (receiver module, signal module) and (receiver module, sender module or sender model's module) pair."""
ROUTE_PREFIX_WEIGHT = 0.5
"""Per pair of modules whose routes share a first path segment (`/orders/...`)."""
ROUTE_PREFIX_MAX_MODULES = 8
"""A prefix shared by more modules (`/api`) is an edge of the whole app, not a capability: no edges."""

# -- rules --------------------------------------------------------------------------------------
KERNEL_MIN_CONTEXTS = 3
"""A module group with no entry points used by this many business contexts is a shared kernel."""
KERNEL_NAMED_MIN_CONTEXTS = 2
"""The same for a package named like a library (`KERNEL_PACKAGE_NAMES`)."""
KERNEL_PACKAGE_NAMES = frozenset({"common", "commons", "core", "helpers", "lib", "libs", "shared", "util", "utils"})
STRAY_ATTACH_SHARE = 0.5
"""A stray with entry points joins its strongest context only if that tie is at least this share of all its ties."""
SMALL_SEED_MODULES = 2
"""The one-table rule applies to seeds of at most this many modules."""
ONE_TABLE = 1
"""...that own at most this many tables."""
FINE_MIN_MODULES = 8
"""granularity "fine": only contexts of at least this many modules are split."""
FINE_MIN_PART = 3
"""granularity "fine": a community smaller than this rejoins its strongest neighbouring community."""
LOUVAIN_RESOLUTION = 1.0
NED_MIN_SIZE = 5
NED_MAX_SIZE = 20
"""NED counts modules in business contexts of NED_MIN_SIZE..NED_MAX_SIZE modules (inclusive) as non-extreme."""
MAX_LOCATIONS = 8
LAYER_MIN_MIRRORS = 3
"""A package with this many subpackages named like domain seeds is a layer cut across them (an API tier)."""
"""Locations kept per cross-context dependency."""

# Qualified names (as the call graph spells external callees) that make a module part of the composition root.
APP_ROOT_CALLS: Mapping[str, str] = {
    "flask:Flask": "creates the Flask app",
    "quart:Quart": "creates the Quart app",
    "celery:Celery": "creates the Celery app",
    "django.core.wsgi:get_wsgi_application": "WSGI entry point",
    "django.core.asgi:get_asgi_application": "ASGI entry point",
    "django.core.management:execute_from_command_line": "Django command-line entry point",
}
APP_FACTORY_CALLS = frozenset({"flask:Flask", "quart:Quart"})
"""A function calling one of these is an app factory; a module calling the factory is an entry script."""
APP_CLASSES: Mapping[str, str] = {
    "flask.Flask": "flask:Flask",
    "flask.app.Flask": "flask:Flask",
    "quart.Quart": "quart:Quart",
    "celery.Celery": "celery:Celery",
    "celery.app.base.Celery": "celery:Celery",
}
"""Base classes whose subclasses, when instantiated, create the app like the class itself."""
TEST_PACKAGES = frozenset({"tests", "test", "testing"})
TESTS_UNIT = "<tests>"
BLUEPRINT_CALLS = frozenset({"flask:Blueprint", "flask.blueprints:Blueprint"})
SETTINGS_NAMES = frozenset({"INSTALLED_APPS", "ROOT_URLCONF"})
NOT_ENTRY_JOB_KINDS = frozenset({"worker-loop", "thread", "celery-workflow"})
"""A `while True` loop or a background thread is a shape of code libraries have too; a workflow composes tasks."""
OPERATIONAL_JOB_KINDS = frozenset({"flask-command", "click-command"})
"""Command-line commands registered on the app: they do not stop a module joining the shell."""

Granularity = Literal["coarse", "normal", "fine"]
_Where = tuple[str, int]  # (file, line): a Location before it leaves the stage (cheap to hash and sort)


@dataclass(frozen=True)
class ClusterSettings:
    """What the user decided: pinned contexts, how fine to split, the seed of the randomised algorithm.

    `pins`: (context name, module patterns); a pattern is a dotted module name, or `pkg.*` for
    `pkg` and every module below it. The most specific pattern wins.
    """

    pins: tuple[tuple[str, tuple[str, ...]], ...] = ()
    granularity: Granularity = "normal"
    seed: int = 42


def cluster(graphs: LinkedGraphs, recognition: Recognition, settings: ClusterSettings) -> Clustering:
    """Group the modules into business contexts, a shared kernel and an app shell.

    Args:
        graphs: the link stage's output (modules, import and call graphs).
        recognition: the recognizers' findings (routes, jobs, models, events, data access).
        settings: pins, granularity and the seed of community detection.

    Returns:
        The contexts, each module's context, the cross-context dependencies and the split's metrics.
    """
    facts = _Facts(graphs, recognition)
    ties = _Ties(facts, graphs, recognition)
    units = _find_units(facts)
    grouping = _Grouping(facts, ties, units, settings)
    grouping.run()
    return grouping.result()


# -- what the recognizers and the parser say about each module -------------------------------------------------


class _Facts:
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
            self._entry(route.handler, "route")
        for job in recognition.jobs:
            if job.kind in NOT_ENTRY_JOB_KINDS:
                continue
            if job.kind in OPERATIONAL_JOB_KINDS:
                self.operational[_module_of(job.handler)] += 1
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
            module = _module_of(model.symbol)
            self.models[module].append(model.symbol)
            self.model_module[model.symbol] = module
            if model.abstract:
                self.abstract.add(model.symbol)
            else:
                self.tables[module] += 1
        self.model_labels = self._model_labels(recognition)
        self.tests = frozenset(m for m in self.modules if _is_test(m))
        app_classes = self._app_classes()
        self.external_calls: dict[str, dict[str, _Where]] = defaultdict(dict)
        self.factories: set[str] = set()
        call_graph = graphs.call_graph
        for caller, callee in sorted(call_graph.edges()):
            module = _module_of(caller)
            if module not in self.module_set or module in self.tests:
                continue
            created = app_classes.get(callee.removesuffix(".__init__"))
            if created is None and not call_graph.nodes[callee].get("external"):
                continue
            line = call_graph.edges[caller, callee]["line"]
            self.external_calls[module].setdefault(created or callee, (self.files[module].path, line))
            if (created or callee) in APP_FACTORY_CALLS and ":" in caller:
                self.factories.add(caller)
        self.lines = {m: graphs.modules[m].metrics.loc for m in self.modules}

    def _app_classes(self) -> dict[str, str]:
        """Our own subclasses of an app class (`class CTFdFlask(Flask)`) → the app call they stand for."""
        found: dict[str, str] = {}
        for module in self.modules:
            for definition in self.files[module].definitions:
                if definition.kind != "class":
                    continue
                for base in definition.bases:
                    dotted = dotted_name(base)
                    qualified = _qualify(self.files[module], dotted) if dotted else None
                    if qualified is not None and qualified in APP_CLASSES:
                        found[f"{module}:{definition.qualname}"] = APP_CLASSES[qualified]
        return found

    def _entry(self, symbol: str, kind: str) -> None:
        module = _module_of(symbol)
        if module in self.module_set:
            self.entries[module][kind] += 1

    def _model_labels(self, recognition: Recognition) -> dict[str, str]:
        """`app_label.Model` (Django's string spelling) → model symbol."""
        labels: dict[str, str] = {}
        for model in recognition.models:
            module = _module_of(model.symbol)
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


def _qualify(facts: FileFacts, dotted: str) -> str | None:
    """The dotted name a module-level name refers to through the module's imports (`Flask` → `flask.Flask`)."""
    head, _, rest = dotted.partition(".")
    for fact in facts.imports:
        if fact.scope or fact.bound_as != head:
            continue
        target = fact.module if fact.name is None else f"{fact.module}.{fact.name}"
        return f"{target}.{rest}" if rest else target
    return None


def _is_test(module: str) -> bool:
    """Test code: a `tests`/`test` package, `test_*.py`, `*_test.py` or `conftest.py` (never deployed)."""
    parts = module.split(".")
    last = parts[-1]
    return (
        any(part in TEST_PACKAGES for part in parts)
        or last.startswith("test_")
        or last.endswith("_test")
        or last == "conftest"
    )


def _where(location: Location) -> _Where:
    return (location.file, location.line)


def _module_of(symbol: str) -> str:
    return symbol.partition(":")[0]


def _parent(module: str) -> str:
    return module.rpartition(".")[0]


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _last(name: str) -> str:
    return name.rpartition(".")[2]


# -- the weighted module graph ----------------------------------------------------------------------


@dataclass
class _DirectedTie:
    weight: float = 0.0
    count: int = 0
    kinds: set[str] = field(default_factory=set)
    locations: set[_Where] = field(default_factory=set)


class _Ties:
    """Directed module → module ties with kinds and evidence, and the undirected weighted graph."""

    def __init__(self, facts: _Facts, graphs: LinkedGraphs, recognition: Recognition) -> None:
        self.facts = facts
        self.directed: dict[tuple[str, str], _DirectedTie] = {}
        self.call_sites: Counter[tuple[str, str]] = Counter()
        self.called: dict[str, set[str]] = defaultdict(set)  # callee symbol → caller modules
        self.undirected: defaultdict[tuple[str, str], float] = defaultdict(float)
        known = facts.module_set
        for importer, imported, data in graphs.import_graph.edges(data=True):
            if importer in known and imported in known and importer != imported:
                location = (facts.files[importer].path, data.get("line", 1))
                self._add(importer, imported, IMPORT_WEIGHT, "import", location)
        for caller, callee, data in graphs.call_graph.edges(data=True):
            source, target = _module_of(caller), _module_of(callee)
            if source == target or source not in known or target not in known:
                continue
            if data.get("via_decorator"):
                continue  # a decorator's wrapper "calling" what it decorates: no dependency of the wrapper's module
            self.call_sites[source, target] += 1
            if ":" in callee:
                self.called[callee].add(source)
            location = (facts.files[source].path, data.get("line", 1))
            self._add(source, target, CALL_WEIGHT, "call", location)
        self.accesses = sorted({(a.function, a.model) for a in recognition.model_access})
        self._model_ties(recognition)
        self._signal_ties(recognition)
        self._route_ties(recognition)
        self.graph = self._graph()

    def _add(self, source: str, target: str, weight: float, kind: str, location: _Where | None) -> None:
        tie = self.directed.get((source, target))
        if tie is None:
            tie = self.directed[source, target] = _DirectedTie()
        tie.weight += weight
        tie.count += 1
        tie.kinds.add(kind)
        if location is not None:
            tie.locations.add(location)
        self.undirected[min(source, target), max(source, target)] += weight

    def _model_ties(self, recognition: Recognition) -> None:
        facts = self.facts
        accessed: dict[tuple[str, str], _Where] = {}
        for access in recognition.model_access:
            source = _module_of(access.function)
            target = facts.model_module.get(access.model)
            if target is None or source == target or source not in facts.module_set:
                continue
            key = (source, access.model)
            where = (access.location.file, access.location.line)
            if key not in accessed or where < accessed[key]:
                accessed[key] = where
        for (source, symbol), location in sorted(accessed.items()):
            self._add(source, facts.model_module[symbol], MODEL_ACCESS_WEIGHT, "model-access", location)
        related: set[tuple[str, str]] = set()
        for model in recognition.models:
            source = facts.model_module[model.symbol]
            for relation in model.relations:
                target_symbol = facts.model_labels.get(relation.target, relation.target)
                target = facts.model_module.get(target_symbol)
                if target is None or target == source or (model.symbol, target_symbol) in related:
                    continue
                related.add((model.symbol, target_symbol))
                self._add(source, target, MODEL_RELATION_WEIGHT, "model-relation", _where(model.location))

    def _signal_ties(self, recognition: Recognition) -> None:
        facts = self.facts
        senders: dict[str, set[str]] = defaultdict(set)
        for signal in recognition.signals:
            for location in signal.sent_at:
                module = facts.by_path.get(location.file)
                if module is not None:
                    senders[signal.symbol].add(module)
        seen: set[tuple[str, str]] = set()
        for event in recognition.events:
            receiver = _module_of(event.receiver)
            if receiver not in facts.module_set:
                continue
            targets = {_module_of(event.signal), *senders.get(event.signal, ())}
            if event.sender:
                sender = facts.model_labels.get(event.sender, event.sender)
                targets.add(facts.model_module.get(sender, _module_of(sender)))
            for target in sorted(targets):
                if target in facts.module_set and target != receiver and (receiver, target) not in seen:
                    seen.add((receiver, target))
                    self._add(receiver, target, SIGNAL_WEIGHT, "signal", _where(event.location))

    def _route_ties(self, recognition: Recognition) -> None:
        by_prefix: dict[str, set[str]] = defaultdict(set)
        for route in recognition.routes:
            module = _module_of(route.handler)
            segment = route.path.strip("/").partition("/")[0]
            if module in self.facts.module_set and segment and not segment.startswith("{"):
                by_prefix[segment].add(module)
        for _, modules in sorted(by_prefix.items()):
            if len(modules) > ROUTE_PREFIX_MAX_MODULES:
                continue
            ordered = sorted(modules)
            for index, first in enumerate(ordered):
                for second in ordered[index + 1 :]:
                    self.undirected[first, second] += ROUTE_PREFIX_WEIGHT

    def _graph(self) -> nx.Graph:
        graph = nx.Graph()
        graph.add_nodes_from(self.facts.modules)
        graph.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(self.undirected.items()))
        return graph


# -- seeds ----------------------------------------------------------------------------------------


@dataclass
class _Unit:
    """A seed (package or module) or a stray module, before the rules group units into contexts."""

    key: str
    kind: str  # django-app, blueprint, package, module
    modules: list[str]
    evidence: list[Location] = field(default_factory=list)
    detail: str = ""


@dataclass
class _Units:
    units: dict[str, _Unit]
    unit_of: dict[str, str]
    roots: dict[str, str]  # composition-root module → why
    project_packages: list[str]
    root_packages: list[str]


def _find_units(facts: _Facts) -> _Units:
    roots = _roots(facts)
    seeds: dict[str, _Unit] = {}
    wide = _wide_packages(facts)
    for unit in [*_django_apps(facts), *_blueprints(facts, roots, wide)]:
        if unit.key in roots or unit.key in facts.tests or unit.key in wide:
            continue
        existing = seeds.get(unit.key)
        if existing is None:
            seeds[unit.key] = unit
        else:
            existing.evidence += unit.evidence
    settings_modules = [m for m, why in roots.items() if why == "settings"]
    project_packages = sorted({_project_package(m) for m in settings_modules} - {""})
    root_packages = sorted(
        {m if m in facts.packages else _parent(m) for m, why in roots.items() if why != "settings"} - {""}
    )
    umbrellas = _umbrellas(facts, seeds, roots) | wide
    for module in facts.modules:
        if module in facts.tests or _deepest(module, seeds) is not None:
            continue
        package = _fallback_package(module, facts, umbrellas)
        if package is not None and package not in seeds:
            seeds[package] = _Unit(package, "package", [])
    mirrors = _layer_mirrors(facts, seeds)
    units: dict[str, _Unit] = {}
    unit_of: dict[str, str] = {}
    for module in facts.modules:
        key = TESTS_UNIT if module in facts.tests else _mirrored(module, mirrors) or _deepest(module, seeds)
        if key == TESTS_UNIT:
            units.setdefault(key, _Unit(key, "tests", []))
        elif key is None:
            key = module
            units.setdefault(key, _Unit(key, "module", []))
        else:
            units.setdefault(key, seeds[key])
        units[key].modules.append(module)
        unit_of[module] = key
    for unit in units.values():
        unit.modules.sort()
        unit.evidence = sorted(set(unit.evidence), key=lambda loc: (loc.file, loc.line))
    return _Units(units, unit_of, roots, project_packages, root_packages)


def _layer_mirrors(facts: _Facts, seeds: Mapping[str, _Unit]) -> dict[str, str]:
    """Subpackages of a layer package that mirror the domain seeds: `saleor.graphql.order` → `saleor.order`.

    A package is a layer (an API, admin or serializer tier cut across the
    domain) when at least LAYER_MIN_MIRRORS of its direct subpackages are named
    like other seeds; each such subpackage then belongs to the seed it mirrors.
    """
    by_name: dict[str, list[str]] = defaultdict(list)
    for key in seeds:
        by_name[_last(key)].append(key)
    mirrors: dict[str, str] = {}
    for layer in sorted(seeds):
        children = sorted(p for p in facts.packages if _parent(p) == layer)
        matched = {}
        for child in children:
            targets = [t for t in by_name.get(_last(child), []) if t != layer and not _within(t, layer)]
            if len(targets) == 1:
                matched[child] = targets[0]
        if len(matched) >= LAYER_MIN_MIRRORS:
            mirrors.update(matched)
    return mirrors


def _mirrored(module: str, mirrors: Mapping[str, str]) -> str | None:
    for package, target in mirrors.items():
        if _within(module, package):
            return target
    return None


def _roots(facts: _Facts) -> dict[str, str]:
    """Modules of the composition root, each with the reason."""
    roots: dict[str, str] = {}
    modules = [m for m in facts.modules if m not in facts.tests]
    for module in modules:
        calls = facts.external_calls.get(module, {})
        reasons = sorted(APP_ROOT_CALLS[c] for c in calls if c in APP_ROOT_CALLS)
        if reasons:
            roots[module] = reasons[0]
    for module in modules:
        names = {
            str(a.targets[0][1])
            for a in facts.files[module].assignments
            if not a.scope and a.targets and a.targets[0][0] == ExprKind.NAME
        }
        if names & SETTINGS_NAMES:
            roots[module] = "settings"
            for assignment in facts.files[module].assignments:
                target = assignment.targets[0] if assignment.targets else None
                value = assignment.value
                if (
                    target is not None
                    and target[1] == "ROOT_URLCONF"
                    and value is not None
                    and value[0] == ExprKind.CONSTANT
                    and value[1] in facts.module_set
                ):
                    roots.setdefault(str(value[1]), "ROOT_URLCONF")
    return roots


def _project_package(settings_module: str) -> str:
    package = _parent(settings_module)
    return _parent(package) if _last(package) == "settings" else package


def _django_apps(facts: _Facts) -> list[_Unit]:
    found: list[_Unit] = []
    for package in sorted(facts.packages):
        apps = f"{package}.apps"
        if apps in facts.module_set and any(i.module == "django.apps" for i in facts.files[apps].imports):
            found.append(_Unit(package, "django-app", [], [Location(file=facts.files[apps].path, line=1)], "apps.py"))
    for module, symbols in sorted(facts.models.items()):
        parts = module.split(".")
        if "models" not in parts[1:] or not symbols:
            continue
        package = ".".join(parts[: parts.index("models", 1)])  # the outermost `models` (`a.models.models` is a's)
        if package not in facts.packages:
            continue
        location = Location(file=facts.files[module].path, line=1)
        found.append(_Unit(package, "django-app", [], [location], "models module"))
    for module in facts.modules:
        for assignment in facts.files[module].assignments:
            if assignment.scope or not assignment.targets or assignment.targets[0][1] != "INSTALLED_APPS":
                continue
            value = assignment.value
            if value is None or value[0] not in (ExprKind.LIST, ExprKind.TUPLE):
                continue
            for item in value[2]:
                if item[0] != ExprKind.CONSTANT or not isinstance(item[1], str):
                    continue
                installed = _installed_app(item[1], facts)
                if installed is not None:
                    location = Location(file=facts.files[module].path, line=assignment.line)
                    found.append(_Unit(installed, "django-app", [], [location], "INSTALLED_APPS"))
    # Only Django projects have Django apps: a `models` module of SQLAlchemy classes is not one.
    return [u for u in found if u.detail != "models module" or _has_django_models(facts, u.key)]


def _has_django_models(facts: _Facts, package: str) -> bool:
    return any(
        _within(module, f"{package}.models")
        and any(i.module.startswith("django.") for i in facts.files[module].imports)
        for module in facts.models
    )


def _installed_app(entry: str, facts: _Facts) -> str | None:
    candidate = entry
    while candidate and candidate not in facts.module_set:
        candidate = _parent(candidate)
    if not candidate:
        return None
    if candidate in facts.packages:
        return candidate
    if _last(candidate) == "apps" and _parent(candidate) in facts.packages:
        return _parent(candidate)
    return None


def _blueprints(facts: _Facts, roots: Mapping[str, str], wide: set[str]) -> list[_Unit]:
    creators: dict[str, list[Location]] = {}
    for module in facts.modules:
        calls = facts.external_calls.get(module, {})
        locations = [Location(file=calls[c][0], line=calls[c][1]) for c in sorted(BLUEPRINT_CALLS) if c in calls]
        if locations:
            creators[module] = locations
    found: list[_Unit] = []
    for module, locations in sorted(creators.items()):
        package = module if module in facts.packages else _parent(module)
        # A package holding the composition root or most of the tree is the whole app, not a blueprint
        # of it: each blueprint module is then a seed of its own.
        if not package or package in wide or any(_within(root, package) for root in roots):
            package = module
        found.append(_Unit(package, "blueprint", [], locations, "Blueprint(...)"))
    return found


def _wide_packages(facts: _Facts) -> set[str]:
    """Top-level packages holding more than half of the (non-test) tree: the app itself, not a part of it."""
    packaged = [m for m in facts.modules if ("." in m or m in facts.packages) and m not in facts.tests]
    tops = Counter(m.partition(".")[0] for m in packaged)
    return {top for top, count in tops.items() if count * 2 > len(packaged) and count > 1}


def _deepest(module: str, seeds: Mapping[str, _Unit]) -> str | None:
    candidate = module
    while candidate:
        if candidate in seeds:
            return candidate
        candidate = _parent(candidate)
    return None


def _umbrellas(facts: _Facts, seeds: Mapping[str, _Unit], roots: Mapping[str, str]) -> set[str]:
    """Packages too wide to be a context: they hold the composition root, a seed, or most of the tree."""
    umbrellas: set[str] = set()
    for name in [*seeds, *roots]:
        package = _parent(name)
        while package:
            umbrellas.add(package)
            package = _parent(package)
    for root in roots:
        if root in facts.packages:
            umbrellas.add(root)
    return umbrellas


def _fallback_package(module: str, facts: _Facts, umbrellas: set[str]) -> str | None:
    """The widest package holding `module` that is not an umbrella; None for a stray module."""
    parts = module.split(".")
    for depth in range(1, len(parts) + 1):
        package = ".".join(parts[:depth])
        if package not in facts.packages:
            return None
        if package not in umbrellas:
            return package
    return None


# -- grouping ---------------------------------------------------------------------------------------


@dataclass
class _Group:
    """A context under construction."""

    anchor: str  # the unit that named it
    kind: ContextKind
    seed: str
    modules: set[str]
    evidence: list[Location] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    name: str = ""


class _Grouping:
    """The rules, applied in order, from units to contexts.

    Lifecycle: built from the units, `run()` applies shell, kernel, stray, merge, split and pin rules
    (each moves whole units or modules between groups), then `result()` names the groups and measures them.
    """

    def __init__(self, facts: _Facts, ties: _Ties, units: _Units, settings: ClusterSettings) -> None:
        self.facts = facts
        self.ties = ties
        self.units = units
        self.settings = settings
        self.context_of: dict[str, str] = {}  # module → group anchor
        self.groups: dict[str, _Group] = {}
        self.shell: set[str] = set()
        self.kernel: set[str] = set()

    # ---- rules

    def run(self) -> None:
        self._find_shell()
        business_units = sorted(k for k in self.units.units if k != TESTS_UNIT and not self._is_shell_unit(k))
        self._find_kernel(business_units)
        for key in business_units:
            unit = self.units.units[key]
            modules = [m for m in unit.modules if m not in self.shell and m not in self.kernel]
            if not modules:
                continue
            if unit.kind == "module":
                continue
            self._new_group(key, "business", unit.kind, modules, unit.evidence)
        self._attach_libraries(business_units)
        self._attach_strays(business_units)
        self._merge_small()
        if self.settings.granularity == "fine":
            self._split_large()
        if self.shell:
            self._new_group("<app-shell>", "app-shell", "composition-root", sorted(self.shell), [])
        if TESTS_UNIT in self.units.units:
            self._new_group(TESTS_UNIT, "app-shell", "tests", self.units.units[TESTS_UNIT].modules, [])
            self.groups[TESTS_UNIT].name = "tests"
        if self.kernel:
            self._new_group("<shared-kernel>", "shared-kernel", "library", sorted(self.kernel), [])
        self._apply_pins()

    def _is_shell_unit(self, key: str) -> bool:
        return all(m in self.shell for m in self.units.units[key].modules)

    def _find_shell(self) -> None:
        facts, units = self.facts, self.units
        shell = set(units.roots)
        for package in units.project_packages:
            for module in facts.modules:
                if _parent(module) != package and module != package:
                    continue
                plain = units.units[units.unit_of[module]].kind in ("module", "package")
                if plain and (module == package or not facts.has_entries([module])):
                    shell.add(module)
        for package in units.root_packages:
            if package in facts.module_set:
                shell.add(package)
        scripts = self._factory_callers()
        # A top-level script nothing imports (manage.py, wsgi.py, a worker's bootstrap) starts the app.
        scripts += [
            m
            for m in facts.modules
            if "." not in m
            and m not in facts.packages
            and m not in facts.tests
            and not any(i in facts.module_set and i not in facts.tests for i in facts.import_graph.predecessors(m))
        ]
        for module in scripts:
            unit = units.units[units.unit_of[module]]
            if unit.kind == "module" and not facts.has_entries([module]):
                shell.add(module)
        changed = True
        while changed:  # modules (and plain packages) only the shell imports are the shell's configuration
            changed = False
            for key in sorted(units.units):
                unit = units.units[key]
                if unit.kind not in ("module", "package") or all(m in shell for m in unit.modules):
                    continue
                if facts.has_entries(unit.modules) or facts.table_count(unit.modules):
                    continue
                importers = {
                    i
                    for m in unit.modules
                    for i in facts.import_graph.predecessors(m)
                    if i in facts.module_set and not _within(i, key) and i not in facts.tests
                }
                if importers and importers <= shell:
                    shell.update(unit.modules)
                    changed = True
        self.shell = shell

    def _factory_callers(self) -> list[str]:
        """Modules (not tests) calling an app factory: entry scripts (`wsgi.py`, a worker's bootstrap)."""
        callers = {c for f in self.facts.factories for c in self.ties.called.get(f, ())}
        return sorted(callers - self.facts.tests)

    def _users(self, key: str, candidates: set[str]) -> set[str]:
        """Units (outside the shell and `candidates`) whose modules import, call or receive from unit `key`."""
        unit_of = self.units.unit_of
        modules = set(self.units.units[key].modules) - self.shell
        users: set[str] = set()
        for (source, target), tie in self.ties.directed.items():
            if (
                target in modules
                and source not in modules
                and source not in self.shell
                and tie.kinds & {"import", "call"}
            ):
                users.add(unit_of[source])
            if target in modules and "signal" in tie.kinds and source not in modules and source not in self.shell:
                users.add(unit_of[source])  # a receiver of a signal defined here depends on it
        return users - candidates - {key, TESTS_UNIT}

    def _find_kernel(self, business_units: list[str]) -> None:
        facts = self.facts
        libraries = {
            k
            for k in business_units
            if not facts.has_entries(self.units.units[k].modules)
            and not facts.table_count(self.units.units[k].modules)
            and self.units.units[k].kind != "blueprint"
        }
        self.kernel_users: dict[str, set[str]] = {}
        for key in sorted(libraries):
            users = self._users(key, libraries)
            named = _last(key) in KERNEL_PACKAGE_NAMES and self.units.units[key].kind != "module"
            if len(users) >= KERNEL_MIN_CONTEXTS or (named and len(users) >= KERNEL_NAMED_MIN_CONTEXTS):
                self.kernel.update(m for m in self.units.units[key].modules if m not in self.shell)
                self.kernel_users[key] = users
        self.libraries = libraries - set(self.kernel_users)

    def _new_group(
        self, anchor: str, kind: ContextKind, seed: str, modules: Iterable[str], evidence: list[Location]
    ) -> None:
        group = _Group(anchor=anchor, kind=kind, seed=seed, modules=set(modules), evidence=list(evidence))
        self.groups[anchor] = group
        for module in group.modules:
            self.context_of[module] = anchor

    def _move(self, modules: Iterable[str], anchor: str) -> None:
        group = self.groups[anchor]
        for module in sorted(modules):
            old = self.context_of.get(module)
            if old is not None and old != anchor:
                self.groups[old].modules.discard(module)
                if not self.groups[old].modules:
                    del self.groups[old]
            group.modules.add(module)
            self.context_of[module] = anchor

    def _tie_to_groups(self, modules: set[str], *, inbound_only: bool = False) -> dict[str, float]:
        """Weight between `modules` and each business group (kernel counted under '<shared-kernel>')."""
        weights: defaultdict[str, float] = defaultdict(float)
        for module in sorted(modules):
            for neighbour, data in self.ties.graph[module].items():
                if neighbour in modules:
                    continue
                if neighbour in self.kernel:
                    target = "<shared-kernel>"
                elif neighbour in self.context_of and self.groups[self.context_of[neighbour]].kind == "business":
                    target = self.context_of[neighbour]
                else:
                    continue
                if inbound_only:
                    tie = self.ties.directed.get((neighbour, module))
                    weight = tie.weight if tie is not None and tie.kinds & {"import", "call"} else 0.0
                else:
                    weight = data["weight"]
                weights[target] += weight
        return dict(weights)

    @staticmethod
    def _strongest(weights: Mapping[str, float]) -> str | None:
        best = sorted(((-w, k) for k, w in weights.items() if w > 0))
        return best[0][1] if best else None

    def _attach_libraries(self, business_units: list[str]) -> None:
        """Seeds and strays without entry points and not shared widely: into the context that uses them most."""
        for key in sorted(self.libraries, key=lambda k: (len(self.units.units[k].modules), k)):
            unit = self.units.units[key]
            if unit.kind in ("django-app", "blueprint"):
                continue  # an author's seed: only the one-table rule may merge it
            if key in self.groups:
                modules = set(self.groups[key].modules)  # with what it absorbed already
            else:
                modules = {m for m in unit.modules if m not in self.shell and m not in self.kernel}
            if not modules:
                continue
            weights = self._tie_to_groups(modules)
            target = self._strongest(weights)
            if target is None or target == "<shared-kernel>":
                # used by no context (a script, a tool) or only by the kernel: goes with it
                (self.shell if target is None else self.kernel).update(modules)
                for module in modules:
                    self._drop(module)
                continue
            if key not in self.groups:
                self._new_group(key, "business", unit.kind, modules, unit.evidence)
            self._move(modules, target)
            self.groups[target].notes.append(f"`{key}` (a library it uses most)")

    def _drop(self, module: str) -> None:
        old = self.context_of.pop(module, None)
        if old is not None:
            self.groups[old].modules.discard(module)
            if not self.groups[old].modules:
                del self.groups[old]

    def _attach_strays(self, business_units: list[str]) -> None:
        """Stray modules with entry points: into their strongest context if it calls into them, else their own."""
        strays = [
            k
            for k in business_units
            if self.units.units[k].kind == "module"
            and k not in self.shell
            and k not in self.kernel
            and k not in self.context_of
        ]
        own: list[str] = []
        for key in strays:
            modules = {key}
            weights = self._tie_to_groups(modules)
            weights.pop("<shared-kernel>", None)
            target = self._strongest(weights)
            total = sum(weights.values())
            has_entries = self.facts.has_entries(modules)
            if target is not None and has_entries:
                inbound = self._tie_to_groups(modules, inbound_only=True).get(target, 0.0)
                if inbound <= 0 or weights[target] < STRAY_ATTACH_SHARE * total:
                    target = None
            if target is None:
                own.append(key)
                continue
            self._move(modules, target)
            self.groups[target].notes.append(f"`{key}` (tied by weight {weights[target]:g})")
        for key in own:
            self._new_group(key, "business", "module", [key], [])

    def _merge_small(self) -> None:
        """The seed's "no one-table services": small seeds merge into the neighbour they are most tied to."""
        coarse = self.settings.granularity == "coarse"
        pinned = set(self._pinned())
        for anchor in sorted(self.groups, key=lambda a: (len(self.groups[a].modules), a)):
            group = self.groups.get(anchor)
            if group is None or group.kind != "business" or group.modules & pinned:
                continue
            modules = group.modules
            small = len(modules) <= SMALL_SEED_MODULES and self.facts.table_count(modules) <= ONE_TABLE
            if not small or (not coarse and self.facts.has_entries(modules)):
                if not coarse or len(modules) > SMALL_SEED_MODULES + 1:
                    continue
                weights = self._tie_to_groups(modules)
                weights.pop("<shared-kernel>", None)
                target = self._strongest(weights)
                internal = self._internal_weight(modules)
                if target is None or weights[target] <= internal:
                    continue
            weights = self._tie_to_groups(modules)
            weights.pop("<shared-kernel>", None)
            target = self._strongest(weights)
            if target is None:
                continue
            reason = "one-table seed" if small else "small seed more tied to it than to itself"
            self.groups[target].notes.append(f"`{group.anchor}` ({reason}, merged)")
            self.groups[target].evidence += group.evidence
            self._move(set(modules), target)

    def _internal_weight(self, modules: set[str]) -> float:
        graph = self.ties.graph
        return float(sum(d["weight"] for a, b, d in graph.subgraph(sorted(modules)).edges(data=True)))

    def _split_large(self) -> None:
        pinned = set(self._pinned())
        for anchor in sorted(self.groups):
            group = self.groups[anchor]
            if group.kind != "business" or len(group.modules) < FINE_MIN_MODULES:
                continue
            free = sorted(group.modules - pinned)
            subgraph = nx.Graph()
            subgraph.add_nodes_from(free)
            subgraph.add_weighted_edges_from(
                (a, b, d["weight"]) for a, b, d in sorted(self.ties.graph.subgraph(free).edges(data=True))
            )
            communities = [
                sorted(c)
                for c in nx.community.louvain_communities(
                    subgraph, weight="weight", resolution=LOUVAIN_RESOLUTION, seed=self.settings.seed
                )
            ]
            communities = _absorb_small(communities, subgraph)
            if len(communities) < 2:
                continue
            communities.sort(key=lambda c: (-len(c), c))
            for index, community in enumerate(communities[1:], start=2):
                hub = max(community, key=lambda m: (subgraph.degree(m, weight="weight"), m))
                new_anchor = f"{anchor}#{index}"
                self._new_group(new_anchor, "business", "community", [], [])
                self.groups[new_anchor].notes.append(f"split from `{anchor}` around `{hub}`")
                self.groups[new_anchor].name = f"{_last(anchor)}.{_last(hub)}"
                self._move(community, new_anchor)

    def _pinned(self) -> dict[str, str]:
        """Module → pinned context name; the most specific pattern wins, then the first pin."""
        chosen: dict[str, tuple[int, int, str]] = {}
        for order, (name, patterns) in enumerate(self.settings.pins):
            for pattern in patterns:
                for module in self.facts.modules:
                    if not _matches(module, pattern):
                        continue
                    rank = (-len(pattern.rstrip("*.")), order, name)
                    if module not in chosen or rank < chosen[module]:
                        chosen[module] = rank
        return {module: rank[2] for module, rank in chosen.items()}

    def _apply_pins(self) -> None:
        pinned = self._pinned()
        if not pinned:
            return
        self._name_groups()
        by_name = {g.name: a for a, g in self.groups.items()}
        for module, name in sorted(pinned.items()):
            anchor = by_name.get(name)
            if anchor is None:
                anchor = f"<pinned:{name}>"
                self._new_group(anchor, "business", "pinned", [], [])
                self.groups[anchor].name = name
                by_name[name] = anchor
            self._move([module], anchor)
            if module in self.kernel and self.groups[anchor].kind != "shared-kernel":
                self.kernel.discard(module)
            if module in self.shell and self.groups[anchor].kind != "app-shell":
                self.shell.discard(module)
        for group in self.groups.values():
            moved_in = sorted(m for m in group.modules if pinned.get(m) == group.name)
            if moved_in and group.seed != "pinned":
                group.notes.append(f"pinned: {', '.join(f'`{m}`' for m in moved_in)}")

    # ---- naming and results

    def _name_groups(self) -> None:
        """Unique names: pinned ones as given, then preset ones, then business, kernel and shell by their package."""
        taken: set[str] = set()

        def order(anchor: str) -> tuple[bool, bool, bool, str]:
            group = self.groups[anchor]
            return (group.seed != "pinned", not group.name, group.kind != "business", anchor)

        for anchor in sorted(self.groups, key=order):
            group = self.groups[anchor]
            if group.name:
                candidates = [group.name]
            elif group.kind == "app-shell":
                candidates = self._shell_names(group.modules)
            elif group.kind == "shared-kernel":
                candidates = self._kernel_names(group.modules)
            else:
                parts = anchor.split(".")
                candidates = [".".join(parts[-n:]) for n in range(1, len(parts) + 1)]
            name = next((c for c in candidates if c not in taken), None)
            if name is None:
                base = candidates[-1] if group.kind == "business" else f"{candidates[0]}-{group.kind}"
                name, number = base, 2
                while name in taken:
                    name, number = f"{base}-{number}", number + 1
            group.name = name
            taken.add(name)

    def _shell_names(self, modules: set[str]) -> list[str]:
        """The settings' project package, else the package most composition-root modules live in."""
        if self.units.project_packages:
            return [_last(self.units.project_packages[0]), "app-shell"]
        tops = Counter(m.partition(".")[0] for m in self.units.roots if "." in m or m in self.facts.packages)
        if not tops:
            tops = Counter(m.partition(".")[0] for m in modules if "." in m or m in self.facts.packages)
        if not tops:
            return ["app-shell"]
        return [sorted(tops.items(), key=lambda item: (-item[1], item[0]))[0][0], "app-shell"]

    def _kernel_names(self, modules: set[str]) -> list[str]:
        """The kernel's package when it is one package (`core`), else `shared-kernel`."""
        holders = {self.units.unit_of[m] for m in modules}
        if len(holders) == 1 and all(self.units.units[h].kind != "module" for h in holders):
            return [_last(next(iter(holders))), "shared-kernel"]
        return ["shared-kernel"]

    def result(self) -> Clustering:
        self._name_groups()
        facts = self.facts
        names = {anchor: group.name for anchor, group in self.groups.items()}
        module_context = {m: names[self.context_of[m]] for m in facts.modules}
        kind_of = {g.name: g.kind for g in self.groups.values()}
        business = sorted(g.name for g in self.groups.values() if g.kind == "business")
        members: dict[str, list[str]] = {g.name: sorted(g.modules) for g in self.groups.values()}
        dependencies = self._dependencies(module_context)
        self.internal_edges: Counter[str] = Counter()
        for (source, target), tie in self.ties.directed.items():
            if module_context[source] == module_context[target]:
                self.internal_edges[module_context[source]] += tie.count
        owned = self._models_owned(module_context, kind_of)
        used, shared = self._models_used(module_context, kind_of)
        per_context = _context_metrics(self.ties.graph, module_context, facts.lines)
        contexts = []
        for group in sorted(self.groups.values(), key=lambda g: g.name):
            contexts.append(
                ContextGroup(
                    name=group.name,
                    kind=group.kind,
                    modules=tuple(members[group.name]),
                    seed=group.seed,
                    rationale=self._rationale(group, members[group.name], per_context[group.name], dependencies),
                    models_owned=tuple(owned.get(group.name, ())),
                    models_used=tuple(used.get(group.name, ())),
                    metrics=tuple(sorted((k, round(v, 4)) for k, v in per_context[group.name].items())),
                    evidence=tuple(sorted(set(group.evidence), key=lambda loc: (loc.file, loc.line))),
                )
            )
        metrics = _overall_metrics(self.ties, module_context, business, members)
        return Clustering(
            contexts=tuple(contexts),
            module_context=module_context,
            dependencies=dependencies,
            metrics=tuple(sorted((k, round(v, 4)) for k, v in metrics.items())),
            shared_models=tuple(shared),
            method=self._method(),
        )

    def _dependencies(self, module_context: Mapping[str, str]) -> tuple[CrossEdge, ...]:
        pairs: dict[tuple[str, str], _DirectedTie] = {}
        for (source, target), tie in sorted(self.ties.directed.items()):
            a, b = module_context[source], module_context[target]
            if a == b:
                continue
            total = pairs.setdefault((a, b), _DirectedTie())
            total.weight += tie.weight
            total.kinds |= tie.kinds
            total.locations |= tie.locations
        return tuple(
            CrossEdge(
                source=a,
                target=b,
                weight=round(tie.weight, 4),
                kinds=tuple(sorted(tie.kinds)),
                locations=tuple(Location(file=f, line=n) for f, n in sorted(tie.locations)[:MAX_LOCATIONS]),
            )
            for (a, b), tie in sorted(pairs.items())
        )

    def _models_owned(self, module_context: Mapping[str, str], kind_of: Mapping[str, str]) -> dict[str, list[str]]:
        owned: dict[str, list[str]] = defaultdict(list)
        for module, symbols in self.facts.models.items():
            context = module_context[module]
            for symbol in symbols:
                if symbol in self.facts.abstract and kind_of[context] == "business":
                    continue  # an abstract base has no table: not owned data
                owned[context].append(symbol)
        return {k: sorted(v) for k, v in owned.items()}

    def _models_used(
        self, module_context: Mapping[str, str], kind_of: Mapping[str, str]
    ) -> tuple[dict[str, list[str]], list[str]]:
        used: dict[str, set[str]] = defaultdict(set)
        accessors: dict[str, set[str]] = defaultdict(set)
        for access in self.ties.accesses:
            module = _module_of(access[0])
            if module not in module_context:
                continue
            context = module_context[module]
            owner_module = self.facts.model_module.get(access[1])
            if owner_module is None:
                continue
            if kind_of[context] == "business":
                accessors[access[1]].add(context)
            if module_context[owner_module] != context:
                used[context].add(access[1])
        shared = sorted(model for model, contexts in accessors.items() if len(contexts) > 1)
        return {k: sorted(v) for k, v in used.items()}, shared

    def _rationale(
        self, group: _Group, modules: list[str], metrics: Mapping[str, float], deps: tuple[CrossEdge, ...]
    ) -> str:
        facts = self.facts
        internal_edges = self.internal_edges[group.name]
        outgoing: defaultdict[str, float] = defaultdict(float)
        for edge in deps:
            if edge.source == group.name:
                outgoing[edge.target] += edge.weight
            elif edge.target == group.name:
                outgoing[edge.source] += edge.weight
        neighbours = [n for n, _ in sorted(outgoing.items(), key=lambda item: (-item[1], item[0]))[:3]]
        cut = f"cutting it out crosses weight {metrics['coupling']:g}"
        cut += f" to {', '.join(neighbours)}" if neighbours else ""
        size = f"{len(modules)} module{'s' if len(modules) != 1 else ''}"
        if group.seed == "tests":
            exercised = ", ".join(neighbours) or "nothing"
            return f"Test code ({size}): never deployed, it stays with the repository; it exercises {exercised}."
        if group.kind == "app-shell":
            roots = sorted(m for m in modules if m in self.units.roots)
            why = "; ".join(f"`{m}` {self.units.roots[m]}" for m in roots[:4])
            return f"Composition root: {why}; {size} that create, configure and start the app; {cut}."
        if group.kind == "shared-kernel":
            users = sorted({u for users in self.kernel_users.values() for u in users})
            used_by = sorted({self.context_of.get(m, "") for u in users for m in self.units.units[u].modules} - {""})
            named = sorted({self.groups[a].name for a in used_by if a in self.groups and a not in ("<shared-kernel>",)})
            return (
                f"No entry points of its own; {size} used by {len(named)} contexts "
                f"({', '.join(named[:6])}): a library (Lambda layer or internal package), not a service."
            )
        unit = self.units.units.get(group.anchor.split("#")[0])
        if group.seed == "pinned":
            head = "Pinned in the configuration"
        elif group.seed == "community":
            head = f"Louvain community ({'; '.join(group.notes)})"
        elif unit is not None and unit.kind == "django-app":
            head = f"Django app `{unit.key}` ({unit.detail})"
        elif unit is not None and unit.kind == "blueprint":
            where = f" at {unit.evidence[0].file}:{unit.evidence[0].line}" if unit.evidence else ""
            head = f"Flask blueprint `{unit.key}` (Blueprint(...){where})"
        elif unit is not None and unit.kind == "package":
            head = f"Package `{unit.key}`"
        else:
            entries = facts.entry_summary([group.anchor])
            head = f"Module `{group.anchor}` with entry points of its own ({entries or 'none'}) and no context calls it"
        extra = [n for n in group.notes if group.seed != "community"]
        joined = f"; also holds {', '.join(extra)}" if extra else ""
        return f"{head}{joined}; {size} held together by {internal_edges} import, call and data edges; {cut}."

    def _method(self) -> str:
        settings = self.settings
        text = (
            "Seeds: Django apps (apps.py AppConfig, Django models module, INSTALLED_APPS), Flask blueprint "
            "packages, then packages below the umbrella package; app shell = composition root; shared kernel = "
            f"no entry points and used by >= {KERNEL_MIN_CONTEXTS} contexts; strays joined to their strongest "
            f"context; granularity {settings.granularity}"
        )
        if settings.granularity == "fine":
            text += (
                f"; Louvain communities (networkx, resolution {LOUVAIN_RESOLUTION:g}, seed {settings.seed}) "
                f"inside contexts of >= {FINE_MIN_MODULES} modules"
            )
        if settings.pins:
            text += f"; {len(settings.pins)} pinned context(s)"
        weights = (
            f"weights: import {IMPORT_WEIGHT:g}, call site {CALL_WEIGHT:g}, model access {MODEL_ACCESS_WEIGHT:g}, "
            f"model relation {MODEL_RELATION_WEIGHT:g}, signal {SIGNAL_WEIGHT:g}, route prefix {ROUTE_PREFIX_WEIGHT:g}"
        )
        return f"{text}; {weights}."


def _matches(module: str, pattern: str) -> bool:
    if pattern.endswith(".*"):
        return _within(module, pattern[:-2])
    if any(c in pattern for c in "*?["):
        return fnmatch.fnmatchcase(module, pattern)
    return module == pattern


def _absorb_small(communities: list[list[str]], graph: nx.Graph) -> list[list[str]]:
    """Communities under FINE_MIN_PART modules rejoin the community they are most tied to."""
    parts = [list(c) for c in sorted(communities, key=lambda c: (-len(c), c))]
    while True:
        small = [p for p in parts if len(p) < FINE_MIN_PART]
        if not small or len(parts) < 2:
            return parts
        part = sorted(small, key=lambda p: (len(p), p))[0]
        weights: defaultdict[int, float] = defaultdict(float)
        members = set(part)
        for index, other in enumerate(parts):
            if other is part:
                continue
            other_set = set(other)
            weights[index] += sum(
                d["weight"] for m in part for n, d in graph[m].items() if n in other_set and m in members
            )
        best = sorted(((-w, i) for i, w in weights.items()))
        target = parts[best[0][1]] if best else next(p for p in parts if p is not part)
        target.extend(part)
        target.sort()
        parts.remove(part)


# -- metrics ----------------------------------------------------------------------------------------


def _context_metrics(
    graph: nx.Graph, module_context: Mapping[str, str], lines: Mapping[str, int]
) -> dict[str, dict[str, float]]:
    """cohesion (internal / all weight touching it), coupling (external weight), size, lines."""
    internal: defaultdict[str, float] = defaultdict(float)
    external: defaultdict[str, float] = defaultdict(float)
    for a, b, data in graph.edges(data=True):
        ca, cb = module_context[a], module_context[b]
        if ca == cb:
            internal[ca] += data["weight"]
        else:
            external[ca] += data["weight"]
            external[cb] += data["weight"]
    sizes = Counter(module_context.values())
    lines_of: Counter[str] = Counter()
    for module, context in module_context.items():
        lines_of[context] += lines.get(module, 0)
    result = {}
    for context in sizes:
        total = internal[context] + external[context]
        result[context] = {
            "cohesion": internal[context] / total if total else 0.0,
            "coupling": float(external[context]),
            "size": float(sizes[context]),
            "lines": float(lines_of[context]),
        }
    return result


def _overall_metrics(
    ties: _Ties, module_context: Mapping[str, str], business: list[str], members: Mapping[str, list[str]]
) -> dict[str, float]:
    """SM, ICP, IFN and NED over business contexts; modularity over the whole partition.

    The kernel and the shell are left out of SM, ICP, IFN and NED: they are not services, and every
    context depends on them by design, which would count as coupling the migration does not have to cut.
    """
    business_set = set(business)
    graph = ties.graph
    intra: Counter[str] = Counter()
    inter: Counter[tuple[str, str]] = Counter()
    for a, b in graph.edges():
        ca, cb = module_context[a], module_context[b]
        if ca not in business_set or cb not in business_set:
            continue
        if ca == cb:
            intra[ca] += 1
        else:
            inter[min(ca, cb), max(ca, cb)] += 1
    count = len(business)
    size = {c: len(members[c]) for c in business}
    sm = 0.0
    if count:
        sm = sum(intra[c] / size[c] ** 2 for c in business) / count
        if count > 1:
            pairs = count * (count - 1) / 2
            sm -= sum(n / (2 * size[a] * size[b]) for (a, b), n in inter.items()) / pairs
    crossing = total = 0
    for (source, target), sites in ties.call_sites.items():
        cs, ct = module_context[source], module_context[target]
        if cs in business_set and ct in business_set:
            total += sites
            if cs != ct:
                crossing += sites
    interfaces: Counter[str] = Counter()
    for callee, callers in ties.called.items():
        owner = module_context.get(_module_of(callee))
        if owner in business_set and any(
            module_context[c] in business_set and module_context[c] != owner for c in callers
        ):
            interfaces[owner] += 1
    business_modules = sum(size.values())
    non_extreme = sum(n for n in size.values() if NED_MIN_SIZE <= n <= NED_MAX_SIZE)
    partition = [set(members[c]) for c in sorted(members)]
    modularity = 0.0
    if graph.number_of_edges() and graph.size(weight="weight") > 0:
        modularity = nx.community.modularity(graph, partition, weight="weight")
    return {
        "SM": sm,
        "ICP": crossing / total if total else 0.0,
        "IFN": sum(interfaces[c] for c in business) / count if count else 0.0,
        "NED": non_extreme / business_modules if business_modules else 0.0,
        "modularity": modularity,
        "contexts": float(count),
    }
