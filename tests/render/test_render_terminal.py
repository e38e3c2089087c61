"""The terminal report: summary, stages, contexts and top warnings, compactly."""

from __future__ import annotations

from migrate_scan.render import RenderOptions
from migrate_scan.render.terminal import MAX_WARNINGS_SHOWN, render_terminal


def lines_of(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def test_summary_stages_contexts_and_warnings(full_report) -> None:
    lines = lines_of(render_terminal(full_report, RenderOptions(width=120)))

    assert lines[0] == "migrate-scan 9.9.9: shop"
    assert lines[1].startswith("Architecture  pattern 5 · Hybrid microservices (Stage 4")
    assert any(line.startswith("Warnings      1 mandatory, 1 optional, 1 potential, 2 suppressed") for line in lines)
    assert "Migration plan" in lines and "Contexts" in lines
    assert any("│ 2     │ 3 · Event-driven fan-out" in line for line in lines)
    assert any(line.startswith("│ core ") and "shared-kernel" in line for line in lines)
    start = lines.index("Top warnings (3 not suppressed)")
    assert lines[start + 1 : start + 4] == [
        "  mandatory BL201  Work longer than Lambda's 15 minutes  shop/orders/video.py:12",
        "  optional  AP202  Distributed monolith  shop/catalog/views.py:8",
        "  potential OE301  Step Functions for one step  shop/orders/tasks.py",
    ]
    assert "BL102" not in "\n".join(lines)  # suppressed: counted, not listed
    assert "  shop/bad.py:2  syntax-error  invalid syntax" in lines
    assert "\x1b[" not in "\n".join(lines)


def test_at_most_ten_warnings_are_listed(full_report) -> None:
    many = full_report.model_copy(update={"warnings": [full_report.warnings[1]] * 14})

    lines = lines_of(render_terminal(many, RenderOptions(width=120)))

    assert sum(1 for line in lines if line.startswith("  optional  AP202")) == MAX_WARNINGS_SHOWN
    assert "  … and 4 more (see --format markdown)" in lines


def test_rich_markup_in_names_is_shown_literally(full_report) -> None:
    odd = full_report.model_copy(update={"project": full_report.project.model_copy(update={"name": "[bold]x[/bold]"})})

    assert render_terminal(odd, RenderOptions()).splitlines()[0] == "migrate-scan 9.9.9: [bold]x[/bold]"


def test_empty_sections_say_not_computed(empty_report) -> None:
    lines = lines_of(render_terminal(empty_report, RenderOptions(width=120)))

    assert "Migration plan: not computed" in lines
    assert "Contexts: not computed" in lines
    assert any(line.startswith("Architecture  not computed") for line in lines)
