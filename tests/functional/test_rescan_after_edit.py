"""A re-scan after an edit gives the bytes of a cold scan of the edited tree.

A generated Django + Celery monolith (tests/generated_monolith.py, small) is
scanned into a cache; then one file is edited in a way that adds values (a new
function calling existing ones), removes them (a function other modules call
is renamed away), changes a class hierarchy, a body, a return, a class name or a model's fields, or adds
or removes a file, and the tree is scanned again
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

EDITS: dict[str, tuple[str, str | None, str | None]] = {
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
    # A body changes, nothing else: the view reads with another lookup and another query method.
    "edits a body": ("app00/views.py", "model.objects.filter(pk=1).exists()", "model.objects.filter(pk=2).count()"),
    # A function returns something else: its callers' values change with it.
    "changes a return": ("app00/services/s0003.py", "    return payload\n", "    return Step0()\n"),
    # A class other modules import is renamed: their imports no longer resolve.
    "renames a class": ("app00/models.py", "class Audit(models.Model):", "class AuditLog(models.Model):"),
    # A model gains a field (a relation to another app's model).
    "adds a model field": (
        "app01/models.py",
        "    title = models.CharField(max_length=50)\n",
        "    title = models.CharField(max_length=50)\n"
        "    owner = models.ForeignKey('app02.Item', on_delete=models.CASCADE)\n",
    ),
    # A file is added: a task calling into the tree.
    "adds a file": (
        "app02/jobs.py",
        None,
        "from celery import shared_task\n\nfrom app02.models import Order\nfrom app02.services import s0001\n\n\n"
        "@shared_task\ndef close(pk):\n    order = Order.objects.get(pk=pk)\n    order.delete()\n"
        "    return s0001.run(pk)\n",
    ),
    # A file other modules import is removed.
    "removes a file": ("app01/services/s0009.py", "def run(", None),
}


def apply_edit(root: Path, relative: str, old: str | None, new: str | None) -> None:
    """Replace `old` by `new` in a file (append `new` when `old` is empty); create it (`old` None) or delete it
    (`new` None)."""
    path = root / relative
    if old is None:
        assert not path.exists(), f"the generated tree changed: {relative} exists"
        path.write_text(new or "", encoding="utf-8")
        return
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the generated tree changed: {relative} holds no {old!r}"
    if new is None:
        path.unlink()
        return
    path.write_text(text.replace(old, new, 1) if old else text + new, encoding="utf-8")


def json_report(root: Path, cache: Path | None) -> str:
    options = ScanOptions(root=root, jobs=1, use_cache=cache is not None, cache_dir=cache or root.parent / "unused")
    return render_json(pipeline.run(options), RenderOptions())


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_rescan_after_an_edit_equals_a_cold_scan(tmp_path: Path, edit: str) -> None:
    root = tmp_path / "monolith"
    write_monolith(root, apps=3, modules_per_app=12)
    cache = tmp_path / "cache"
    before = json_report(root, cache)
    apply_edit(root, *EDITS[edit])

    warm = json_report(root, cache)
    cold = json_report(root, None)

    assert warm != before  # the edit shows in the report
    assert warm == cold
