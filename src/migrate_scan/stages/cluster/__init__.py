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

The parts, one file each: `index` (what is known about each module), `ties` (the weighted module
graph), `seeds` (the author's structure and the composition root), `grouping` (the rules above),
`louvain` (splitting, granularity "fine"), `naming`, `explanations` (rationale and method),
`dependencies` (what crosses context borders) and `metrics`.
"""

from __future__ import annotations

from collections import Counter

from migrate_scan.model.analysis import Clustering, ContextGroup, ShellModule
from migrate_scan.model.faults import guarded
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.inventory import Recognition
from migrate_scan.stages.cluster.dependencies import dependencies, models_owned, models_used
from migrate_scan.stages.cluster.explanations import method, rationale
from migrate_scan.stages.cluster.grouping import Grouping
from migrate_scan.stages.cluster.index import ModuleIndex
from migrate_scan.stages.cluster.metrics import context_metrics, overall_metrics
from migrate_scan.stages.cluster.naming import name_groups
from migrate_scan.stages.cluster.seeds import find_units
from migrate_scan.stages.cluster.settings import ClusterSettings, Granularity
from migrate_scan.stages.cluster.ties import Ties

__all__ = ["ClusterSettings", "Granularity", "cluster"]


def cluster(graphs: LinkedGraphs, recognition: Recognition, settings: ClusterSettings) -> Clustering:
    """Group the modules into business contexts, a shared kernel and an app shell.

    Args:
        graphs: the link stage's output (modules, import and call graphs).
        recognition: the recognizers' findings (routes, jobs, models, events, data access).
        settings: pins, granularity and the seed of community detection.

    Returns:
        The contexts, each module's context, the cross-context dependencies and the split's metrics.
    """
    facts = ModuleIndex(graphs, recognition)
    ties = Ties(facts, graphs, recognition)
    units = find_units(facts, split_declared_layers=settings.granularity == "fine")
    grouping = Grouping(facts, ties, units, settings)
    grouping.run()
    return _clustering(grouping)


def _clustering(grouping: Grouping) -> Clustering:
    """Name the groups, then measure and explain them."""
    facts, ties, groups = grouping.facts, grouping.ties, grouping.groups
    name_groups(groups, grouping.units, facts)
    names = {anchor: group.name for anchor, group in groups.items()}
    module_context = {m: names[grouping.context_of[m]] for m in facts.modules}
    kind_of = {g.name: g.kind for g in groups.values()}
    business = sorted(g.name for g in groups.values() if g.kind == "business")
    members: dict[str, list[str]] = {g.name: sorted(g.modules) for g in groups.values()}
    crossing = dependencies(ties, module_context)
    internal_edges: Counter[str] = Counter()
    for (source, target), tie in ties.directed.items():
        if module_context[source] == module_context[target]:
            internal_edges[module_context[source]] += tie.count
    owned = models_owned(facts, module_context, kind_of)
    used, shared = models_used(facts, ties, module_context, kind_of)
    undeployed = frozenset(g.name for g in groups.values() if g.kind == "tests")
    per_context = context_metrics(ties.graph, module_context, facts.lines, undeployed)
    contexts = []
    for group in sorted(groups.values(), key=lambda g: g.name):
        modules = members[group.name]
        why = guarded(
            "cluster",
            f"rationale of {group.name}",
            rationale,
            grouping,
            group,
            modules,
            per_context[group.name],
            crossing,
            internal_edges[group.name],
            default="",
        )
        contexts.append(
            ContextGroup(
                name=group.name,
                kind=group.kind,
                modules=tuple(modules),
                seed=group.seed,
                rationale=why,
                models_owned=tuple(owned.get(group.name, ())),
                models_used=tuple(used.get(group.name, ())),
                metrics=tuple(sorted((k, round(v, 4)) for k, v in per_context[group.name].items())),
                evidence=tuple(sorted(set(group.evidence), key=lambda loc: (loc.file, loc.line))),
            )
        )
    metrics = overall_metrics(ties, module_context, business, members)
    return Clustering(
        contexts=tuple(contexts),
        module_context=module_context,
        dependencies=crossing,
        metrics=tuple(sorted((k, round(v, 4)) for k, v in metrics.items())),
        shared_models=tuple(shared),
        method=method(grouping.settings),
        shell=tuple(
            ShellModule(module=m, role=grouping.shell_roles[m][0], location=grouping.shell_roles[m][1])
            for m in sorted(grouping.shell_roles)
            if kind_of[module_context[m]] == "app-shell"
        ),
    )
