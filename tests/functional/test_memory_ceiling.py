"""`--max-memory`: past the ceiling the scan degrades to a partial report that names what it left out."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT
from migrate_scan import pipeline
from migrate_scan.model import memory
from migrate_scan.options import ConfigError, parse_size
from migrate_scan.render import RENDERERS, RenderOptions

SAMPLE = PROJECT_ROOT / "sample_monoliths" / "flask_shop"
HUGE = 1 << 50


@pytest.mark.parametrize(
    ("text", "size"),
    [("2G", 2 << 30), ("1500M", 1500 << 20), ("512MiB", 512 << 20), ("64kb", 64 << 10), ("4096", 4096)],
)
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "2X", "-1G", "0", "G"])
def test_parse_size_rejects(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_size(text)


def test_default_ceiling_is_sane() -> None:
    assert memory.default_max_memory() >= memory.MIN_DEFAULT_BYTES
    assert 0 < memory.resident_bytes() < memory.default_max_memory()


def test_a_ceiling_below_the_start_leaves_everything_out_but_reports(tmp_path: Path, run_cli) -> None:
    output = tmp_path / "report.json"
    result = run_cli(SAMPLE, "--format", "json", "--output", output, "--no-cache", "--max-memory", "1M")

    assert result.exit_code == 0
    assert result.stderr.startswith("migrate-scan: warning: partial analysis:")
    assert "the memory ceiling was reached" in result.stderr
    report = json.loads(output.read_text("utf-8"))
    assert report["files"]["analyzed"] == 0
    assert {s["reason"] for s in report["files"]["skipped"]} == {"memory-limit"}
    assert report["project"]["totals"]["files"] == len(report["files"]["skipped"]) > 30
    assert [e["unit"] for e in report["analysis_errors"]] == [
        "stage link",
        "stage recognize",
        "stage cluster",
        "stage classify",
    ]
    strict = run_cli(SAMPLE, "--format", "json", "--no-cache", "--max-memory", "1M", "--strict")
    assert strict.exit_code == 4


def test_ceiling_reached_while_parsing(scan_options, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def growing() -> int:
        calls.append(1)
        return HUGE if len(calls) > 12 else 0

    monkeypatch.setattr(memory, "resident_bytes", growing)
    report = pipeline.run(scan_options(SAMPLE, max_memory_bytes=1 << 30))

    left_out = [s.path for s in report.files.skipped if s.reason == "memory-limit"]
    assert report.files.analyzed > 0 and left_out
    assert report.project.totals.files == report.files.analyzed + len(report.files.skipped)
    assert all(e.error.startswith("MemoryCeiling") for e in report.analysis_errors)


def test_ceiling_reached_while_linking(scan_options, monkeypatch: pytest.MonkeyPatch) -> None:
    def in_the_solver() -> int:
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_filename.endswith(("link/solver.py", "link\\solver.py")):
                return HUGE
            frame = frame.f_back
        return 0

    monkeypatch.setattr(memory, "resident_bytes", in_the_solver)
    report = pipeline.run(scan_options(SAMPLE, max_memory_bytes=1 << 30))

    units = [(e.stage, e.unit) for e in report.analysis_errors]
    assert units[0] == ("link", "propagation")
    assert "evaluations left queued" in report.analysis_errors[0].error
    assert units[1:] == [("recognize", "stage recognize"), ("cluster", "stage cluster"), ("classify", "stage classify")]
    assert report.files.skipped == [] and len(report.modules) == report.files.analyzed
    for output_format, render in RENDERERS.items():
        assert "Partial analysis" in render(report, RenderOptions()) or output_format in ("json", "sarif")
