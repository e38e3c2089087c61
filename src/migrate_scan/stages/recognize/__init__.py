"""Recognize stage: `LinkedGraphs` + heuristics → `Recognition` (routes, models, jobs, real-time, events).

Recognizers are registered here, each with what it produces, requires and
refines (see `registry`); the runner orders them so that every product is
complete before anyone reads it, and publishes each product once. Each
recognizer is a pure function of the linked graphs, the heuristics and the
products it declared: it asks the symbol table what names and variables
denote (`qualified_names`, `binding_site`, `ancestors`) and looks the answers
up in tables compiled from the rule files. Nothing here reads a file.

Adding a framework: a module with its `recognize` function and a `RECOGNIZER`
declaration, a rule file in `heuristics/`, one line in `RECOGNIZERS` below,
and their tests.
"""

from __future__ import annotations

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.inventory import Recognition
from migrate_scan.stages.recognize import (
    access_patterns,
    applications,
    auth,
    data_access,
    django,
    events,
    expressions,
    flask,
    flask_appbuilder,
    graphql,
    jobs,
    models,
    pipelines,
    readiness,
    realtime,
    timezones,
)
from migrate_scan.stages.recognize.registry import Recognizer, Registry

RECOGNIZERS: tuple[Recognizer, ...] = (
    applications.RECOGNIZER,
    flask.RECOGNIZER,
    flask_appbuilder.RECOGNIZER,
    django.RECOGNIZER,
    graphql.RECOGNIZER,
    realtime.RECOGNIZER,
    realtime.SSE_PATHS,
    events.RECOGNIZER,
    models.RECOGNIZER,
    jobs.RECOGNIZER,
    pipelines.RECOGNIZER,
    readiness.RECOGNIZER,
    data_access.RECOGNIZER,
    auth.RECOGNIZER,
    timezones.RECOGNIZER,
    access_patterns.RECOGNIZER,
)
REGISTRY = Registry.of(RECOGNIZERS)
HANDLED_ROLES = REGISTRY.handled_roles()
"""Match-rule kind → the roles some recognizer's code acts on; the loader rejects any other."""


def recognize(graphs: LinkedGraphs, heuristics: Heuristics) -> Recognition:
    """Run every recognizer in the registry's order and return their products, sorted."""
    try:
        return REGISTRY.run(graphs, heuristics).sorted()
    finally:
        expressions.forget(graphs.resolver)
