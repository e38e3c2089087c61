"""JSON renderer: the report model dumped with sorted keys (byte-identical for the same tree).

The text is exactly `json.dumps(report.model_dump(mode="json"), sort_keys=True,
indent=2, ensure_ascii=False)` plus a newline, written by `model.json_text`
(where the pipeline also keeps it as its reusable analysis: a report it returned
with its text is printed without being written again).
"""

from __future__ import annotations

from migrate_scan.model.json_text import dumps_sorted as dumps_sorted  # re-exported: the writer's tests use it
from migrate_scan.model.json_text import report_json
from migrate_scan.model.report import Report
from migrate_scan.render import RenderOptions


def render_json(report: Report, options: RenderOptions) -> str:
    """Return the report as indented JSON with sorted keys and a final newline."""
    return report_json(report)
