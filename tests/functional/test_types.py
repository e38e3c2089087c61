"""The package type-checks: `mypy --strict src/migrate_scan` ([tool.mypy] in pyproject.toml) finds nothing.

`.ci/run` runs the same command; this test makes the local suite catch a type error before CI does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_mypy_strict_is_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    api = pytest.importorskip("mypy.api", reason="mypy is in the test extra: pip install -e '.[test]'")
    monkeypatch.chdir(ROOT)  # the [tool.mypy] section and the cache are the project's
    stdout, stderr, status = api.run(["--strict", "src/migrate_scan"])
    assert status == 0, stdout + stderr
