"""Golden reports: the JSON of each sample monolith, byte for byte, and the example reports.

After an intended change: `python -m pytest tests/functional/test_golden.py --update-golden`
and `python scripts/make_reports.py`, then review the diffs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate_scan.options import ScanOptions
from migrate_scan.pipeline import run
from migrate_scan.render import RenderOptions
from migrate_scan.render.json_report import render_json

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"


@pytest.mark.parametrize("sample", ["flask_shop", "django_helpdesk"])
def test_sample_report_matches_golden(sample: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    options = ScanOptions(root=ROOT / "sample_monoliths" / sample, jobs=2, use_cache=False, cache_dir=tmp_path)
    produced = render_json(run(options), RenderOptions())
    golden = GOLDEN / f"{sample}.json"
    if request.config.getoption("--update-golden"):
        golden.write_text(produced, encoding="utf-8")
        return
    assert golden.is_file(), "no golden file yet: run pytest with --update-golden"
    assert produced == golden.read_text(encoding="utf-8"), f"{golden.name} drifted: rerun with --update-golden"
