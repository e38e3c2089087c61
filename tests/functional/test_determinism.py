"""The same tree gives byte-identical JSON: whatever the worker count, the cache or the walk order."""

from __future__ import annotations

import os
import random
import shutil
import types
from pathlib import Path

import pytest

from migrate_scan import pipeline
from migrate_scan.render import RENDERERS, RenderOptions
from migrate_scan.stages import discover as discover_module

SAMPLE = Path(__file__).resolve().parents[2] / "sample_monoliths" / "flask_shop"

EXTRA = {
    "broken/syntax.py": "def f(:\n",
    "broken/latin.py": b"s = '\xe9'\n",
    "newer.py": "type X = int\n",
    "scripts/tool.py": "import shop\nshop.create_app()\n",
}


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the flask_shop sample (never scanned in place) with a few bad files added."""
    root = tmp_path_factory.mktemp("determinism") / "flask_shop"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("__pycache__"))
    for relative, content in EXTRA.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def json_of(options) -> str:
    return RENDERERS["json"](pipeline.run(options), RenderOptions())


def test_jobs_and_cache_do_not_change_the_bytes(tree: Path, tmp_path: Path, run_cli) -> None:
    cache = tmp_path / "cache"
    runs = {
        "jobs 1, no cache": run_cli(tree, "-f", "json", "--jobs", "1", "--no-cache"),
        "jobs 2, no cache": run_cli(tree, "-f", "json", "--jobs", "2", "--no-cache"),
        "jobs 2, cold cache": run_cli(tree, "-f", "json", "--jobs", "2", "--cache-dir", cache),
        "jobs 1, warm cache": run_cli(tree, "-f", "json", "--jobs", "1", "--cache-dir", cache),
    }

    outputs = {name: result.stdout for name, result in runs.items()}
    assert all(result.exit_code == 0 for result in runs.values())
    assert len(set(outputs.values())) == 1, {name: len(text) for name, text in outputs.items()}
    assert '"reason": "syntax-error"' in outputs["jobs 1, no cache"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shuffled_discovery_order_does_not_change_the_bytes(
    tree: Path, scan_options, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    options = scan_options(tree, jobs=2)
    expected = json_of(options)
    shuffle = random.Random(seed).shuffle

    def shuffled_scandir(path):
        entries = list(os.scandir(path))
        shuffle(entries)
        return iter(entries)

    real_discover = pipeline.discover

    def shuffled_discover(root, settings):
        discovery = real_discover(root, settings)
        files, skipped, roots = list(discovery.files), list(discovery.skipped), list(discovery.source_roots)
        shuffle(files)
        shuffle(skipped)
        shuffle(roots)
        return type(discovery)(discovery.root, tuple(files), tuple(skipped), tuple(roots))

    # The walk sees folder entries in a random order, and the pipeline gets the files in one.
    fake_os = types.SimpleNamespace(**{**vars(os), "scandir": shuffled_scandir})
    monkeypatch.setattr(discover_module, "os", fake_os)
    monkeypatch.setattr(pipeline, "discover", shuffled_discover)

    assert json_of(options) == expected


def test_two_scans_give_identical_bytes_in_every_format(tree: Path, run_cli) -> None:
    for output_format in ("json", "markdown", "text"):
        first = run_cli(tree, "-f", output_format, "--no-cache")
        second = run_cli(tree, "-f", output_format, "--no-cache")
        assert first.stdout == second.stdout
        assert first.exit_code == 0
