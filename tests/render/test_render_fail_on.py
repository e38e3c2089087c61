"""`--fail-on` and `--format` through the real command line (the scan itself faked at its seam)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrate_scan.model.report import Report
from migrate_scan.render import RENDERERS


@pytest.fixture
def scan_gives(monkeypatch: pytest.MonkeyPatch):
    """`scan_gives(report)`: the CLI's scan returns this report instead of running the pipeline."""

    def use(report: Report) -> None:
        monkeypatch.setattr("migrate_scan.cli._run_with_progress", lambda options: report)

    return use


def without_warnings(report: Report, *rules: str) -> Report:
    return report.model_copy(update={"warnings": [w for w in report.warnings if w.rule not in rules]})


CASES = [
    # (warnings removed, --fail-on, exit code, stderr)
    ((), "mandatory", 1, "migrate-scan: error: --fail-on mandatory: 1 mandatory warning(s) not suppressed\n"),
    ((), "optional", 1, "migrate-scan: error: --fail-on optional: 1 mandatory, 1 optional warning(s) not suppressed\n"),
    (
        (),
        "potential",
        1,
        "migrate-scan: error: --fail-on potential: 1 mandatory, 1 optional, 1 potential warning(s) not suppressed\n",
    ),
    (("BL201",), "mandatory", 0, ""),  # the other mandatory one is suppressed
    (
        ("BL201",),
        "optional",
        1,
        "migrate-scan: error: --fail-on optional: 0 mandatory, 1 optional warning(s) not suppressed\n",
    ),
    (("BL201", "AP202", "OE301"), "potential", 0, ""),  # only suppressed ones left
    ((), None, 0, ""),
]


@pytest.mark.parametrize(("removed", "level", "code", "stderr"), CASES)
def test_fail_on(full_report, scan_gives, run_cli, tmp_path: Path, removed, level, code, stderr) -> None:
    scan_gives(without_warnings(full_report, *removed))
    target = tmp_path / "out.sarif"

    result = run_cli(tmp_path, "-f", "sarif", "-o", target, *(["--fail-on", level] if level else []))

    assert (result.exit_code, result.stderr) == (code, stderr)
    assert json.loads(target.read_text("utf-8"))["version"] == "2.1.0"  # written before failing


def test_fail_on_rejects_an_unknown_category(run_cli, tmp_path: Path) -> None:
    result = run_cli(tmp_path, "--fail-on", "fatal")

    assert result.exit_code == 2
    assert result.stderr.startswith("migrate-scan: error: Invalid value for '--fail-on'")


@pytest.mark.parametrize("output_format", sorted(RENDERERS))
def test_every_format_is_a_choice(full_report, scan_gives, run_cli, tmp_path: Path, output_format: str) -> None:
    scan_gives(full_report)

    result = run_cli(tmp_path, "--format", output_format)

    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout
    assert str(tmp_path) not in result.stdout


def test_help_documents_fail_on_and_exit_codes(run_cli) -> None:
    text = " ".join(run_cli("--help").stdout.split())

    assert "--fail-on" in text and "mandatory|optional|potential" in text
    assert "1 --fail-on triggered" in text
    assert "text|json|markdown|html|sarif" in text
