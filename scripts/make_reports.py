"""Regenerate the example reports in reports/ from the sample monoliths.

Usage: python scripts/make_reports.py

One report per sample monolith and output format (every format in `RENDERERS`:
txt, json, md, html, sarif), and each sample's `--emit-sam` folder under
reports/sam/<sample>/. tests/functional/test_reports_drift.py regenerates
them in memory and fails when the committed files drift from what the code produces.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from migrate_scan.options import ScanOptions
from migrate_scan.pipeline import draft_infrastructure, run
from migrate_scan.render import RENDERERS, RenderOptions
from migrate_scan.render.sam_template import render_sam

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("flask_shop", "django_helpdesk")
EXTENSIONS = {"text": "txt", "json": "json", "markdown": "md", "html": "html", "sarif": "sarif"}


def render_sample_reports(cache_dir: Path) -> dict[str, str]:
    """Every example report, by file name, as the current code renders it."""
    reports: dict[str, str] = {}
    for sample in SAMPLES:
        options = ScanOptions(root=ROOT / "sample_monoliths" / sample, jobs=2, use_cache=False, cache_dir=cache_dir)
        report = run(options)
        infrastructure = draft_infrastructure(report)
        # the Markdown and HTML reports link to the sample's draft as `--emit-sam reports/sam/<sample>` would
        render_options = RenderOptions(
            color=False, width=100, infrastructure=infrastructure, sam_folder=f"sam/{sample}"
        )
        for name, renderer in sorted(RENDERERS.items()):
            reports[f"{sample}.{EXTENSIONS.get(name, name)}"] = renderer(report, render_options)
        for name, text in render_sam(infrastructure).items():
            reports[f"sam/{sample}/{name}"] = text
    return reports


def main() -> None:
    target = ROOT / "reports"
    target.mkdir(exist_ok=True)
    shutil.rmtree(target / "sam", ignore_errors=True)  # no template of a context that no longer exists
    with tempfile.TemporaryDirectory() as cache:
        for name, text in render_sample_reports(Path(cache)).items():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_text(text, encoding="utf-8")
            print(f"wrote reports/{name}")


if __name__ == "__main__":
    main()
