"""One tree, one report, at scale: a generated 1,100-module Django + Celery monolith scanned five ways.

SLOW (about 20 s of CPU; up to a minute on two busy shared cores): five `migrate-scan --format json` runs
in fresh interpreters under four PYTHONHASHSEED values, so that any set or dict
order that leaks into the report shows. Together they cover --jobs 2 and
--jobs 1, no cache, an empty cache being filled, an analysis redone from cached
parse facts, and (after a file was edited, scanned and reverted) the stored
report reused. The tree (tests/generated_monolith.py)
is large enough that link's per-variable value cap and classify's reachability
cap are reached, so what those caps keep must not depend on visiting order.
benchmarks/determinism.py runs the same comparisons over any codebase.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from generated_monolith import write_monolith

pytestmark = pytest.mark.slow
HARNESS = Path(__file__).resolve().parents[2] / "benchmarks" / "determinism.py"


def scan(root: Path, seed: int, *arguments: str | Path) -> bytes:
    """The JSON report of one CLI run in a fresh interpreter with the given hash seed."""
    environment = {**os.environ, "PYTHONHASHSEED": str(seed)}
    command = [sys.executable, "-m", "migrate_scan", str(root), "--format", "json", *map(str, arguments)]
    result = subprocess.run(command, capture_output=True, env=environment, check=False, timeout=600)
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    return result.stdout


def load_harness() -> ModuleType:
    """benchmarks/determinism.py, for its JSON differ (one differ for the script and the test)."""
    spec = importlib.util.spec_from_file_location("determinism_harness", HARNESS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def monolith(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated") / "monolith"
    assert write_monolith(root) > 1000
    return root


def test_hash_seeds_workers_and_cache_states_give_the_same_bytes(monolith: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    reference = scan(monolith, 1, "--jobs", "2", "--no-cache")
    harness = load_harness()
    runs = {"PYTHONHASHSEED=2, --jobs 1, cache filled": scan(monolith, 2, "--jobs", "1", "--cache-dir", cache)}
    assert list(cache.glob("analysis-v*")) and list(cache.glob("facts-v*"))  # both layers were written
    harness.forget_analyses(cache)  # the stored report goes: the analysis is redone from cached parse facts
    runs["PYTHONHASHSEED=3, --jobs 2, parse facts cached"] = scan(monolith, 3, "--jobs", "2", "--cache-dir", cache)
    edited = monolith / "app03" / "services" / "s0042.py"
    original = edited.read_bytes()
    edited.write_bytes(original + b"\n\ndef probe():\n    return run(None)\n")
    try:
        changed = scan(monolith, 4, "--jobs", "2", "--cache-dir", cache)
    finally:
        edited.write_bytes(original)
    # Reverted, every input is as before: the report stored by the previous run is reused.
    runs["PYTHONHASHSEED=4, cached, after editing a file and reverting it"] = scan(
        monolith, 4, "--jobs", "2", "--cache-dir", cache
    )

    assert changed != reference  # the edit was seen, so the revert is a real re-scan
    diverging = {
        name: harness.first_difference(reference, output, 5) for name, output in runs.items() if output != reference
    }
    assert not diverging, json.dumps(diverging, indent=2)
    report = json.loads(reference)
    assert report["files"]["analyzed"] > 1000
    assert len(report["jobs"]) >= 20 and len(report["events"]) >= 20 and len(report["routes"]) >= 30
    # Why: the caps are where visiting order could decide what is kept; the tree must reach them.
    assert {(limit["stage"], limit["limit"]) for limit in report["limits"]} >= {
        ("link", "values-per-variable"),
        ("classify", "reach-per-entry-point"),
    }
