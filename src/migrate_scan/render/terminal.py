"""Terminal renderer: the essentials of the report, compactly, with rich.

Input: the final `Report`. Output: text (ANSI colour only when asked). Shows the
summary (recommended architecture, totals), the stages, the contexts, the top
warnings (most severe first) and the inventory counts; sections the pipeline has
not filled say "not computed". Every scanned string is escaped for rich markup.
"""

from __future__ import annotations

import io
from collections import Counter

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from migrate_scan.model.report import Report
from migrate_scan.render import RenderOptions
from migrate_scan.render.vocabulary import (
    CATEGORIES,
    NOT_COMPUTED,
    PARTIAL_ANALYSIS,
    active_counts,
    effort_label,
    error_place,
    excluded_count,
    partial_summary,
    pattern_label,
    ranked_warnings,
    stage_item_names,
    stage_label,
)

MAX_SKIPPED_SHOWN = 20
MAX_ERRORS_SHOWN = 10
MAX_EXCLUDED_SHOWN = 8
MAX_WARNINGS_SHOWN = 10
MAX_CONTEXTS_SHOWN = 25
_CATEGORY_STYLE = {"mandatory": "bold red", "optional": "yellow", "potential": "cyan"}


def render_terminal(report: Report, options: RenderOptions) -> str:
    """Return the summary as text, with ANSI colour when `options.color`."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=options.width,
        color_system="standard" if options.color else None,
        force_terminal=options.color,
        highlight=False,
        soft_wrap=False,
    )
    _summary(console, report)
    _partial(console, report)
    _limits(console, report)
    _stages(console, report)
    _contexts(console, report)
    _warnings(console, report)
    _skipped(console, report)
    _excluded(console, report)
    return buffer.getvalue()


def _summary(console: Console, report: Report) -> None:
    project = report.project
    totals = project.totals
    architecture = report.architecture
    frameworks = ", ".join(f.name for f in project.frameworks) or "none detected"
    console.print(f"[bold]migrate-scan {escape(report.tool.version)}[/bold]: {escape(project.name)}")
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    if architecture.pattern is None:
        table.add_row("Architecture", NOT_COMPUTED)
    else:
        confidence = f", confidence {architecture.confidence:.0%}" if architecture.confidence is not None else ""
        table.add_row(
            "Architecture",
            escape(f"pattern {pattern_label(architecture.pattern)} ({stage_label(architecture.stage)}{confidence})"),
        )
    table.add_row("Frameworks", escape(frameworks))
    table.add_row("Python files", f"{totals.files} ({totals.analyzed} analyzed, {totals.skipped} skipped)")
    table.add_row("Lines", f"{totals.lines:,} ({totals.source_lines:,} source)")
    table.add_row("Modules", f"{len(report.modules)} in {len(report.contexts)} contexts")
    table.add_row("Source roots", escape(", ".join(project.source_roots) or "."))
    inventory = (
        f"{len(report.routes)} routes, {len(report.jobs)} jobs, {len(report.models)} models, "
        f"{len(report.realtime)} real-time handlers, {len(report.events)} events"
    )
    table.add_row("Inventory", inventory)
    counts = active_counts(report)
    suppressed = sum(1 for w in report.warnings if w.suppressed is not None)
    table.add_row("Warnings", ", ".join(f"{counts[c]} {c}" for c in CATEGORIES) + f", {suppressed} suppressed")
    table.add_row("Effort", effort_label(report.plan.effort))
    if report.unresolved_registrations:
        table.add_row("Not followed", f"{len(report.unresolved_registrations)} registrations (see --format json)")
    console.print(table)


def _limits(console: Console, report: Report) -> None:
    """One line per cap or budget the analysis reached (the result is bounded there)."""
    for limit in report.limits:
        console.print(f"[yellow]Bounded[/yellow] {limit.stage}: {escape(limit.message)}")


def _partial(console: Console, report: Report) -> None:
    if not report.analysis_errors:
        return
    console.print(f"[bold red]{PARTIAL_ANALYSIS}[/bold red]: {escape(partial_summary(report))}")
    for error in report.analysis_errors[:MAX_ERRORS_SHOWN]:
        place = error_place(error)
        where = f"  [dim]{escape(place)}[/dim]" if place else ""
        console.print(f"  {error.stage:<9} {escape(error.unit)}: {escape(error.error)}{where}")
    if len(report.analysis_errors) > MAX_ERRORS_SHOWN:
        console.print(f"  … and {len(report.analysis_errors) - MAX_ERRORS_SHOWN} more (see --format json)")


def _stages(console: Console, report: Report) -> None:
    if not report.plan.stages:
        console.print(f"[bold]Migration plan[/bold]: {NOT_COMPUTED}")
        return
    table = Table(title="Migration plan", title_justify="left")
    table.add_column("Stage")
    table.add_column("Pattern")
    table.add_column("Contexts, in order")
    table.add_column("Effort", justify="right")
    for stage in report.plan.stages:
        names = stage_item_names(stage)
        table.add_row(
            str(stage.stage),
            escape(pattern_label(stage.pattern)),
            escape(", ".join(names) or "—"),
            effort_label(stage.effort),
        )
    console.print(table)


def _contexts(console: Console, report: Report) -> None:
    if not report.contexts:
        console.print(f"[bold]Contexts[/bold]: {NOT_COMPUTED}")
        return
    table = Table(title="Contexts", title_justify="left")
    table.add_column("Context")
    table.add_column("Kind")
    table.add_column("Pattern", justify="right")
    table.add_column("Stage", justify="right")
    table.add_column("Compute")
    table.add_column("Modules", justify="right")
    table.add_column("Routes/jobs", justify="right")
    table.add_column("Depends on")
    for context in report.contexts[:MAX_CONTEXTS_SHOWN]:
        table.add_row(
            escape(context.name),
            context.kind,
            str(context.pattern or "—"),
            str(context.stage or "—"),
            escape(", ".join(context.compute) or "—"),
            str(len(context.modules)),
            f"{context.routes}/{context.jobs}",
            escape(", ".join(context.depends_on) or "—"),
        )
    console.print(table)
    if len(report.contexts) > MAX_CONTEXTS_SHOWN:
        console.print(f"  … and {len(report.contexts) - MAX_CONTEXTS_SHOWN} more (see --format markdown)")


def _warnings(console: Console, report: Report) -> None:
    active = [w for w in ranked_warnings(report) if w.suppressed is None]
    if not active:
        return
    console.print(f"[bold]Top warnings[/bold] ({len(active)} not suppressed)")
    for warning in active[:MAX_WARNINGS_SHOWN]:
        style = _CATEGORY_STYLE.get(warning.category, "")
        first = warning.locations[0] if warning.locations else None
        spot = (f"{first.file}:{first.line}" if first.line else first.file) if first else ""
        where = f"  [dim]{escape(spot)}[/dim]" if spot else ""
        console.print(
            f"  [{style}]{warning.category:<9}[/{style}] {escape(warning.rule)}  "
            f"{escape(warning.title or warning.message)}{where}"
        )
    if len(active) > MAX_WARNINGS_SHOWN:
        console.print(f"  … and {len(active) - MAX_WARNINGS_SHOWN} more (see --format markdown)")


def _excluded(console: Console, report: Report) -> None:
    excluded = report.files.excluded
    if not excluded:
        return
    floor = "" if all(e.is_count_complete for e in excluded) else "at least "
    total = f"{floor}{sum(e.python_files for e in excluded)}"
    places = ", ".join(f"{e.path} ({excluded_count(e)})" for e in excluded[:MAX_EXCLUDED_SHOWN])
    more = f", … {len(excluded) - MAX_EXCLUDED_SHOWN} more" if len(excluded) > MAX_EXCLUDED_SHOWN else ""
    console.print(f"[bold]Excluded on purpose[/bold] ({total} Python files): {escape(places + more)}")


def _skipped(console: Console, report: Report) -> None:
    skipped = report.files.skipped
    if not skipped:
        return
    reasons = Counter(s.reason for s in skipped)
    summary = ", ".join(f"{count} {reason}" for reason, count in sorted(reasons.items()))
    console.print(f"[bold]Skipped files[/bold] ({summary})")
    for entry in skipped[:MAX_SKIPPED_SHOWN]:
        where = f"{entry.path}:{entry.line}" if entry.line else entry.path
        console.print(f"  {escape(where)}  [dim]{entry.reason}[/dim]  {escape(entry.message)}")
    if len(skipped) > MAX_SKIPPED_SHOWN:
        console.print(f"  … and {len(skipped) - MAX_SKIPPED_SHOWN} more (see --format json)")
