"""What the Markdown and HTML reports say about an `--emit-sam` draft: template names, resources, links.

Pure helpers over the draft model: the file each context's template is written
to (the SAM writer uses the same name), what it deploys counted by kind, and
those counts summed over the contexts of each plan stage.
"""

from __future__ import annotations

import re

from migrate_scan.model.infrastructure import ContextInfrastructure, Infrastructure
from migrate_scan.model.report import PlanStage

__all__ = ["context_template", "counts_text", "resource_counts", "stage_resources", "template_link"]


def context_template(context: str) -> str:
    """The file name of a context's template in the draft folder."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", context).strip("-") or "context"
    return f"context-{stem}.yaml"


def template_link(folder: str, context: str) -> str:
    """The template's path as the report links it: under the draft folder, `/`-separated."""
    return f"{folder.rstrip('/')}/{context_template(context)}" if folder else context_template(context)


def resource_counts(context: ContextInfrastructure) -> dict[str, int]:
    """What a context's template deploys, by kind, in a fixed order (kinds with none included)."""
    return {
        "functions": len(context.functions),
        "queues": len(context.queues),
        "schedules": len(context.schedules),
        "WebSocket APIs": len(context.websockets),
        "state machines": len(context.state_machines),
        "Fargate task definitions": len(context.fargate),
        "DynamoDB tables": len(context.tables),
        "Aurora clusters": 1 if context.database is not None else 0,
        "alarms": len(context.alarms),
    }


def stage_resources(stages: list[PlanStage], infrastructure: Infrastructure) -> list[tuple[int, dict[str, int]]]:
    """Per plan stage, the resources of the templates of the contexts it moves, summed by kind."""
    by_context = {c.context: resource_counts(c) for c in infrastructure.contexts}
    totals = []
    for stage in stages:
        summed: dict[str, int] = {}
        for name in dict.fromkeys(item.context for item in stage.items):
            for kind, count in by_context.get(name, {}).items():
                summed[kind] = summed.get(kind, 0) + count
        totals.append((stage.stage, summed))
    return totals


def counts_text(counts: dict[str, int]) -> str:
    """`3 functions, 2 queues` (kinds with none left out)."""
    return ", ".join(f"{n} {kind}" for kind, n in counts.items() if n) or "nothing deployable yet"
