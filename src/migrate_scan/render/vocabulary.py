"""Words every renderer shares: pattern and stage names, category order, warning ranking.

Input: parts of the final `Report`. Output: labels and orderings only; nothing
here decides a finding, it only names and orders what the report holds, so the
text, Markdown, HTML and SARIF reports agree with one another.
"""

from __future__ import annotations

from migrate_scan.model.report import AnalysisError, ExcludedPath, PlanStage, Report, Warning

NOT_COMPUTED = "not computed"

PARTIAL_ANALYSIS = "Partial analysis"


def partial_summary(report: Report) -> str:
    """One sentence saying the report is partial and why ('' when nothing failed)."""
    count = len(report.analysis_errors)
    if not count:
        return ""
    stages = ", ".join(dict.fromkeys(e.stage for e in report.analysis_errors))
    units = "unit of analysis" if count == 1 else "units of analysis"
    return (
        f"{count} {units} failed ({stages}) and {'was' if count == 1 else 'were'} left out; "
        "the rest of the report stands without them."
    )


def excluded_count(entry: ExcludedPath) -> str:
    """How many Python files an excluded path holds: `12`, or `at least 12` when counting stopped early."""
    return f"{entry.python_files}" if entry.is_count_complete else f"at least {entry.python_files}"


def error_place(error: AnalysisError) -> str:
    """Where an analysis error happened: `file:line` in the scanned tree, or ''."""
    if error.location is None:
        return ""
    return f"{error.location.file}:{error.location.line}" if error.location.line else error.location.file


PATTERN_NAMES: dict[int, str] = {
    1: "Simple REST API",
    2: "WebSocket real-time",
    3: "Event-driven fan-out",
    4: "Workflow orchestration",
    5: "Hybrid microservices",
}

STAGE_NAMES: dict[int, str] = {
    1: "Simple modules (CRUD)",
    2: "Async tasks",
    3: "Complex workflows",
    4: "The whole application",
}

CATEGORIES: tuple[str, ...] = ("mandatory", "optional", "potential")
"""Warning categories, most severe first."""

CATEGORY_RANK: dict[str, int] = {name: rank for rank, name in enumerate(CATEGORIES)}

KIND_TITLES: dict[str, str] = {
    "anti-pattern": "Anti-patterns",
    "over-engineering": "Over-engineering",
    "blocker": "Lambda blockers",
}


def pattern_label(pattern: int | None) -> str:
    """`3 · Event-driven fan-out`, or "not computed"."""
    if pattern is None:
        return NOT_COMPUTED
    return f"{pattern} · {PATTERN_NAMES.get(pattern, 'unknown')}"


def stage_item_names(stage: PlanStage) -> list[str]:
    """The stage's contexts in order; an item of another pattern than the stage's says which.

    A stage can move one context's event-driven part and another's real-time part:
    `documents`, then `documents (2 · Real-time WebSocket)`.
    """
    if not stage.items:
        return list(stage.contexts)
    return [
        item.context if item.pattern == stage.pattern else f"{item.context} ({pattern_label(item.pattern)})"
        for item in stage.items
    ]


def stage_label(stage: int | None) -> str:
    """`Stage 2 · Async tasks`, or "not computed"."""
    if stage is None:
        return NOT_COMPUTED
    return f"Stage {stage} · {STAGE_NAMES.get(stage, 'unknown')}"


def ranked_warnings(report: Report) -> list[Warning]:
    """Warnings most severe first: active before suppressed, then category, then rule and first location."""

    def key(warning: Warning) -> tuple[int, int, str, str, int]:
        first = warning.locations[0] if warning.locations else None
        return (
            warning.suppressed is not None,
            CATEGORY_RANK.get(warning.category, len(CATEGORIES)),
            warning.rule,
            first.file if first else "",
            first.line if first else 0,
        )

    return sorted(report.warnings, key=key)


def active_counts(report: Report) -> dict[str, int]:
    """Non-suppressed warnings per category, every category present."""
    counts = dict.fromkeys(CATEGORIES, 0)
    for warning in report.warnings:
        if warning.suppressed is None:
            counts[warning.category] = counts.get(warning.category, 0) + 1
    return counts


def short_name(symbol: str) -> str:
    """The last part of a symbol or dotted name (`shop.models:Order` → `Order`)."""
    tail = symbol.rpartition(":")[2]
    return tail or symbol


def effort_label(points: int | None) -> str:
    """`5 pts`, or "not computed" when no estimate exists."""
    return NOT_COMPUTED if not points else f"{points} pts"
