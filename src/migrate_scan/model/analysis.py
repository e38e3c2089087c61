"""The outputs of the cluster, classify and plan stages.

`Clustering` (cluster) → `Classification` (classify) → `MigrationPlan` (plan).
Each is frozen and sorted when built; the pipeline turns them into report
entries. Context names are unique; every analyzed module belongs to exactly
one context (business, shared kernel or app shell).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from migrate_scan.model.ids import Location
from migrate_scan.model.report import Context, LimitReached, Module, Plan, Warning

ContextKind = Literal["business", "shared-kernel", "app-shell", "tests"]
ShellRole = Literal[
    "wsgi",
    "asgi",
    "app-factory",
    "celery-app",
    "celery-worker",
    "command-line",
    "settings",
    "urlconf",
    "entry-script",
    "shell-import",
]
"""Why a module is part of the app shell (the composition root)."""


@dataclass(frozen=True, slots=True)
class CrossEdge:
    """The summed weight of what ties one context to another, with evidence."""

    source: str
    target: str
    weight: float
    kinds: tuple[str, ...]
    locations: tuple[Location, ...]


@dataclass(frozen=True, slots=True)
class ContextGroup:
    """One context as the cluster stage found it."""

    name: str
    kind: ContextKind
    modules: tuple[str, ...]
    seed: str
    rationale: str
    models_owned: tuple[str, ...] = ()
    models_used: tuple[str, ...] = ()
    metrics: tuple[tuple[str, float], ...] = ()
    evidence: tuple[Location, ...] = ()  # where the seed shows (apps.py, Blueprint(...), INSTALLED_APPS)


@dataclass(frozen=True, slots=True)
class ShellModule:
    """A module of the app shell, what it does there, and where that shows."""

    module: str
    role: ShellRole
    location: Location


@dataclass(frozen=True)
class Clustering:
    """Bounded contexts over the module graph, with the quality of the split."""

    contexts: tuple[ContextGroup, ...]
    module_context: dict[str, str]
    dependencies: tuple[CrossEdge, ...] = ()
    metrics: tuple[tuple[str, float], ...] = ()
    shared_models: tuple[str, ...] = ()
    method: str = ""
    shell: tuple[ShellModule, ...] = ()  # sorted by module; every module of the app shell but test code


@dataclass(frozen=True)
class Classification:
    """Per-module and per-context verdicts, the application's, and the warnings."""

    modules: tuple[Module, ...]
    contexts: tuple[Context, ...]
    warnings: tuple[Warning, ...]
    app_pattern: int | None = None
    app_confidence: float | None = None
    app_summary: str = ""
    app_evidence: tuple[tuple[str, tuple[Location, ...]], ...] = field(default_factory=tuple)
    limits: tuple[LimitReached, ...] = ()  # caps classification reached (the report's `limits`)


@dataclass(frozen=True)
class MigrationPlan:
    """The staged plan (the report's `plan`) and each context's effort."""

    plan: Plan
    effort: dict[str, int] = field(default_factory=dict)
