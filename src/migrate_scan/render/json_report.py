"""JSON renderer: the report model dumped with sorted keys (byte-identical for the same tree)."""

from __future__ import annotations

import json

from migrate_scan.model.report import Report
from migrate_scan.render import RenderOptions


def render_json(report: Report, options: RenderOptions) -> str:
    """Return the report as indented JSON with sorted keys and a final newline."""
    return json.dumps(report.model_dump(mode="json"), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
