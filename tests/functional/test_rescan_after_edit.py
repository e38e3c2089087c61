"""A re-scan after an edit gives the bytes of a cold scan of the edited tree.

A generated Django + Celery monolith (tests/generated_monolith.py, small) is
scanned into a cache; then one file is edited in a way that adds values (a new
function calling existing ones), removes them (a function other modules call
is renamed away) or changes a class hierarchy, and the tree is scanned again
with the cache (every other file's facts and the stored report of the previous
state are there to be reused) and without it. Whatever the pipeline reuses, the
two JSON reports must be byte-identical.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from generated_monolith import write_monolith

from migrate_scan import pipeline
from migrate_scan.options import ScanOptions
from migrate_scan.render import RenderOptions
from migrate_scan.render.json_report import render_json

EDITS = {
    # Values added: a new function, calling into the tree and into an outside package.
    "adds a caller": (
        "app01/services/s0005.py",
        "",
        "\n\ndef probe(value):\n    return run(value) or str(value).strip()\n",
    ),
    # Values removed: `run` of a module other modules call no longer exists under that name.
    "removes a callee": ("app00/services/s0007.py", "def run(", "def run_renamed("),
    # A class hierarchy changes: a step no longer derives from the first, so its `super().apply` reaches nothing.
    "changes a base": ("app00/services/s0003.py", "class Step1(Step0):", "class Step1:"),
}


def json_report(root: Path, cache: Path | None) -> str:
    options = ScanOptions(root=root, jobs=1, use_cache=cache is not None, cache_dir=cache or root.parent / "unused")
    return render_json(pipeline.run(options), RenderOptions())


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_rescan_after_an_edit_equals_a_cold_scan(tmp_path: Path, edit: str) -> None:
    root = tmp_path / "monolith"
    write_monolith(root, apps=3, modules_per_app=12)
    cache = tmp_path / "cache"
    before = json_report(root, cache)
    relative, old, new = EDITS[edit]
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the generated tree changed: {relative} holds no {old!r}"
    path.write_text(text.replace(old, new, 1) if old else text + new, encoding="utf-8")

    warm = json_report(root, cache)
    cold = json_report(root, None)

    assert warm != before  # the edit shows in the report
    assert warm == cold
