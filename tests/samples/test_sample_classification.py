"""The samples' hand-written truth (EXPECTED.md, section 4) against the scan: context, pattern, stage, compute.

The per-module table of each sample's EXPECTED.md was written before the
tool existed; it is parsed here, never generated. Firm rows are scored;
soft rows (glue where nearby values are acceptable) are only reported.
Accuracy is asserted at thresholds, and every miss is printed, so a
regression shows which module moved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from migrate_scan.model.report import Report
from migrate_scan.options import ScanOptions
from migrate_scan.pipeline import run

SAMPLES = Path(__file__).resolve().parents[2] / "sample_monoliths"
ROLE_OF_TRUTH_NAME = {
    "app shell": "app-shell",
    "shared kernel": "shared-kernel",
    "helpdesk": "app-shell",
    "core": "shared-kernel",
}


@dataclass(frozen=True)
class TruthRow:
    module: str
    context: str
    pattern: int | None
    stage: int | None
    compute: str | None
    firm: bool


def truth_rows(sample: str) -> list[TruthRow]:
    """Rows of section 4's table: | `module` | context | pat | stage | compute | firm? | notes |."""
    text = (SAMPLES / sample / "EXPECTED.md").read_text(encoding="utf-8")
    section = text.split("## 4. Per-module expectations", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 6 or not cells[0].startswith("`"):
            continue
        if cells[5].startswith("excluded"):
            continue
        for module in re.findall(r"`([^`]+)`", cells[0]):
            rows.append(
                TruthRow(
                    module=module,
                    context=cells[1],
                    pattern=_number(cells[2]),
                    stage=_number(cells[3]),
                    compute=cells[4].split()[0] if cells[4] not in ("–", "-") else None,
                    firm=cells[5].startswith("firm"),
                )
            )
    return rows


def _number(cell: str) -> int | None:
    return int(cell) if cell.isdigit() else None


@pytest.fixture(scope="module", params=["flask_shop", "django_helpdesk"])
def scored(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Report]:
    sample = request.param
    options = ScanOptions(root=SAMPLES / sample, jobs=1, use_cache=False, cache_dir=tmp_path_factory.mktemp("c"))
    return sample, run(options)


def _context_matches(truth: TruthRow, module) -> bool:  # type: ignore[no-untyped-def]
    role = ROLE_OF_TRUTH_NAME.get(truth.context)
    if role is not None:
        return module.role == role
    return module.context == truth.context and module.role == "business"


def test_every_module_of_the_truth_is_classified(scored: tuple[str, Report]) -> None:
    sample, report = scored
    modules = {m.name: m for m in report.modules}
    missing = [row.module for row in truth_rows(sample) if row.module not in modules]
    assert missing == []
    assert all(m.context is not None for m in report.modules)


@pytest.mark.parametrize(
    ("field", "threshold"),
    [("context", 0.95), ("pattern", 0.85), ("stage", 0.85), ("compute", 0.9)],
)
def test_firm_rows_match_the_truth(scored: tuple[str, Report], field: str, threshold: float) -> None:
    sample, report = scored
    modules = {m.name: m for m in report.modules}
    firm = [row for row in truth_rows(sample) if row.firm]
    misses = []
    for row in firm:
        module = modules[row.module]
        if field == "context":
            ok = _context_matches(row, module)
            got, want = f"{module.context} ({module.role})", row.context
        else:
            got, want = getattr(module, field), getattr(row, field)
            ok = got == want
        if not ok:
            misses.append(f"{row.module}: {field} {got} != {want}")
    accuracy = 1 - len(misses) / len(firm)
    print(f"{sample} {field}: {accuracy:.1%} of {len(firm)} firm rows; misses: {misses}")
    assert accuracy >= threshold, misses


def test_whole_application_is_pattern_5(scored: tuple[str, Report]) -> None:
    _, report = scored
    assert (report.architecture.pattern, report.architecture.stage) == (5, 4)
    assert [stage.stage for stage in report.plan.stages] == [1, 2, 3, 4]
