"""The whole previous analysis is reused when no input of the scan changed, and only then."""

from __future__ import annotations

import shutil
from pathlib import Path

from migrate_scan.options import ScanOptions
from migrate_scan.pipeline import run
from migrate_scan.render import RenderOptions
from migrate_scan.render.json_report import render_json

SAMPLE = Path(__file__).resolve().parents[2] / "sample_monoliths" / "flask_shop"


def _scan(options: ScanOptions) -> tuple[str, list[str]]:
    stages: list[str] = []
    report = run(options, lambda stage, done, total: stages.append(stage))
    return render_json(report, RenderOptions()), sorted(set(stages))


def test_unchanged_tree_reuses_the_analysis_byte_for_byte(tmp_path: Path) -> None:
    """Why: an unchanged re-scan should cost reading and hashing the files, not linking them again."""
    root = tmp_path / "flask_shop"
    shutil.copytree(SAMPLE, root)
    options = ScanOptions(root=root, jobs=1, cache_dir=tmp_path / "cache")
    first, first_stages = _scan(options)
    second, second_stages = _scan(options)
    assert "link" in first_stages and "reuse" not in first_stages
    assert second_stages == ["reuse"]
    assert second == first
    uncached, _ = _scan(options.model_copy(update={"use_cache": False}))
    assert uncached == first


def test_an_edit_or_another_option_is_a_new_analysis(tmp_path: Path) -> None:
    """Why: any changed input (a file's bytes, an option) must not be answered from the old analysis."""
    root = tmp_path / "flask_shop"
    shutil.copytree(SAMPLE, root)
    options = ScanOptions(root=root, jobs=1, cache_dir=tmp_path / "cache")
    first, _ = _scan(options)
    _, stages = _scan(options.model_copy(update={"list_unresolved": True}))
    assert "link" in stages
    edited = root / "shop" / "catalog" / "views.py"
    edited.write_text(edited.read_text("utf-8") + "\n\n# one more line\n", "utf-8")
    report, stages = _scan(options)
    assert "link" in stages
    assert report != first  # the module's line count moved
    _, stages = _scan(options)
    assert stages == ["reuse"]
