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
from migrate_scan.stages.recognize import django, events, flask, jobs, models, realtime

Recognizer = Callable[[LinkedGraphs, Heuristics], Recognition]

RECOGNIZERS: tuple[tuple[str, Recognizer], ...] = (
    ("flask", flask.recognize),
    ("django", django.recognize),
    ("realtime", realtime.recognize),
    ("events", events.recognize),
    ("models", models.recognize),
    ("jobs", jobs.recognize),
)


def recognize(graphs: LinkedGraphs, heuristics: Heuristics) -> Recognition:
    """Run every recognizer and merge their findings, sorted."""
    found = Recognition()
    for _, recognizer in RECOGNIZERS:
        found.extend(recognizer(graphs, heuristics))
    return found.sorted()
