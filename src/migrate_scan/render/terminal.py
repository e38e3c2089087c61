"""Terminal renderer: a compact rich summary of the report."""

from __future__ import annotations

import io
from collections import Counter

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from migrate_scan.model.report import Report
from migrate_scan.render import RenderOptions

MAX_SKIPPED_SHOWN = 20
MAX_MODULES_SHOWN = 10


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
    _largest_modules(console, report)
    _skipped(console, report)
    return buffer.getvalue()


def _summary(console: Console, report: Report) -> None:
    project = report.project
    totals = project.totals
    frameworks = ", ".join(f.name for f in project.frameworks) or "none detected"
    console.print(f"[bold]migrate-scan {escape(report.tool.version)}[/bold]: {escape(project.name)}")
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("Frameworks", escape(frameworks))
    table.add_row("Python files", f"{totals.files} ({totals.analyzed} analyzed, {totals.skipped} skipped)")
    table.add_row("Lines", f"{totals.lines:,} ({totals.source_lines:,} source)")
    table.add_row("Modules", str(len(report.modules)))
    table.add_row("Source roots", escape(", ".join(project.source_roots) or "."))
    inventory = (
        f"{len(report.routes)} routes, {len(report.jobs)} jobs, {len(report.models)} models, "
        f"{len(report.realtime)} real-time handlers, {len(report.events)} events"
    )
    table.add_row("Inventory", inventory)
    if report.unresolved_registrations:
        table.add_row("Not followed", f"{len(report.unresolved_registrations)} registrations (see --format json)")
    console.print(table)


def _largest_modules(console: Console, report: Report) -> None:
    if not report.modules:
        return
    ranked = sorted(report.modules, key=lambda m: (-m.complexity, m.name))[:MAX_MODULES_SHOWN]
    table = Table(title="Most complex modules", title_justify="left")
    table.add_column("Module")
    table.add_column("Lines", justify="right")
    table.add_column("Complexity", justify="right")
    table.add_column("Worst function", justify="right")
    for module in ranked:
        table.add_row(escape(module.name), str(module.lines), str(module.complexity), str(module.max_complexity))
    console.print(table)


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
