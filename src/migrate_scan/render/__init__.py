"""Renderers: pure functions from the final `Report` to text, one per output format.

`RENDERERS` maps a `--format` name to its function; the CLI takes its choices
from it. Renderers do no IO, no filtering and no analysis.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from migrate_scan.model.infrastructure import Infrastructure
from migrate_scan.model.report import Report


@dataclass(frozen=True)
class RenderOptions:
    """How to render: terminal colour and width (the terminal renderer); the `--emit-sam` draft, if any
    (Markdown and HTML link each plan item to its template and count the resources per stage)."""

    color: bool = False
    width: int = 100
    infrastructure: Infrastructure | None = None
    sam_folder: str = ""  # the draft folder as the report links it (relative to the report when written to a file)


Renderer = Callable[[Report, RenderOptions], str]


def _registry() -> dict[str, Renderer]:
    from migrate_scan.render.html_report import render_html
    from migrate_scan.render.json_report import render_json
    from migrate_scan.render.markdown_report import render_markdown
    from migrate_scan.render.sarif_report import render_sarif
    from migrate_scan.render.terminal import render_terminal

    return {
        "text": render_terminal,
        "json": render_json,
        "markdown": render_markdown,
        "html": render_html,
        "sarif": render_sarif,
    }


RENDERERS: dict[str, Renderer] = _registry()
