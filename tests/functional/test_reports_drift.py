"""reports/: every sample monolith in every output format, exactly as the current code renders it.

These are the golden reports (the JSON byte for byte included): one copy, one update command.

After an intended change, regenerate with `python scripts/make_reports.py` and review the diff.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from migrate_scan.render import RENDERERS

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "reports"
FIX = "run python scripts/make_reports.py and review the diff"


def load_make_reports() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_reports", ROOT / "scripts" / "make_reports.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_reports"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def produced(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return load_make_reports().render_sample_reports(tmp_path_factory.mktemp("reports-cache"))


def test_every_sample_in_every_format() -> None:
    make_reports = load_make_reports()

    assert set(make_reports.EXTENSIONS) == set(RENDERERS), "give every format in RENDERERS a file extension"
    expected = {f"{s}.{make_reports.EXTENSIONS[f]}" for s in make_reports.SAMPLES for f in RENDERERS}
    assert {p.name for p in REPORTS.iterdir() if p.is_file()} == expected, FIX


def test_reports_match_the_code(produced: dict[str, str]) -> None:
    drifted = [
        name
        for name, text in sorted(produced.items())
        if not (REPORTS / name).is_file() or (REPORTS / name).read_text(encoding="utf-8") != text
    ]

    assert drifted == [], f"reports/ drifted ({', '.join(drifted)}): {FIX}"


def test_reports_contain_no_machine_path(produced: dict[str, str]) -> None:
    for name, text in produced.items():
        assert str(ROOT) not in text, name
