"""Recognize stage: `LinkedGraphs` + heuristics → `Recognition` (routes, models, jobs, real-time, events).

Recognizers are an explicit, closed tuple. Each is a pure function of the
linked graphs and the heuristics: it asks the symbol table what names and
variables denote (`qualified_names`, `binding_site`, `ancestors`) and looks the
answers up in tables compiled from the rule files. Nothing here reads a file.
"""

from __future__ import annotations

from collections.abc import Callable

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.inventory import Recognition
from migrate_scan.stages.recognize import django, events, flask, graphql, jobs, models, readiness, realtime
from migrate_scan.stages.recognize.data_access import DataAccess

Recognizer = Callable[[LinkedGraphs, Heuristics], Recognition]

RECOGNIZERS: tuple[tuple[str, Recognizer], ...] = (
    ("flask", flask.recognize),
    ("django", django.recognize),
    ("graphql", graphql.recognize),
    ("realtime", realtime.recognize),
    ("events", events.recognize),
    ("models", models.recognize),
    ("jobs", jobs.recognize),
    ("readiness", readiness.recognize),
)


def recognize(graphs: LinkedGraphs, heuristics: Heuristics) -> Recognition:
    """Run every recognizer and merge their findings, sorted."""
    found = Recognition()
    for _, recognizer in RECOGNIZERS:
        found.extend(recognizer(graphs, heuristics))
    found = graphql.with_graphql_paths(graphs, heuristics, realtime.with_sse_paths(found.sorted()))
    return with_data_access(graphs, found)


def with_data_access(graphs: LinkedGraphs, found: Recognition) -> Recognition:
    """Every entry point with the models it reads and writes through all it reaches."""
    access = DataAccess(graphs, found.models)

    def touched(symbol: str) -> dict[str, list[str]]:
        reads, writes = access.reached_from(symbol)
        return {"reads": reads, "writes": writes}

    return Recognition(
        routes=[r.model_copy(update=touched(r.handler)) for r in found.routes],
        jobs=[j.model_copy(update=touched(j.handler)) for j in found.jobs],
        models=found.models,
        realtime=[r.model_copy(update=touched(r.handler)) for r in found.realtime],
        events=[e.model_copy(update=touched(e.receiver)) for e in found.events],
        signals=found.signals,
        blockers=found.blockers,
        model_access=access.accesses(),
        unresolved=found.unresolved,
    )
