"""The whole previous analysis is reused when no input of the scan changed, and only then."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from pytest import MonkeyPatch

from migrate_scan import pipeline
from migrate_scan.cache import code_digest
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


def test_other_tool_code_at_the_same_version_is_a_new_analysis(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    """Why: a development build at the same version number must not reuse a report older code produced."""
    root = tmp_path / "flask_shop"
    shutil.copytree(SAMPLE, root)
    options = ScanOptions(root=root, jobs=1, cache_dir=tmp_path / "cache")
    _scan(options)
    _, stages = _scan(options)
    assert stages == ["reuse"]
    monkeypatch.setattr(pipeline, "code_digest", lambda: "other code")
    _, stages = _scan(options)
    assert "parse" in stages and "link" in stages and "reuse" not in stages


def test_the_code_digest_covers_every_module_of_the_package() -> None:
    """Why: the digest must follow the tool's code, and be the same for the same code."""
    first = code_digest()
    code_digest.cache_clear()
    assert code_digest() == first
    assert len(first) == 32


def test_unresolved_calls_are_summarised_after_link_as_link_listed_them(tmp_path: Path) -> None:
    """Why: the pipeline drops link's list of unresolved calls once summarised (memory); the report must not move."""
    from migrate_scan.heuristics.loader import load_heuristics
    from migrate_scan.stages.link import link
    from migrate_scan.stages.recognize import HANDLED_ROLES

    options = ScanOptions(root=SAMPLE, jobs=1, use_cache=False, cache_dir=tmp_path, list_unresolved=True)
    heuristics = load_heuristics(options.heuristics_dirs, handled_roles=HANDLED_ROLES)
    graphs = link(pipeline.parse_tree(options, heuristics).facts, heuristics.type_rules, heuristics.module_aliases)
    assert graphs.unresolved_calls  # the sample has some: the test would prove nothing otherwise
    listed = run(options).call_graph
    assert [(u.caller, u.callee, u.location) for u in listed.unresolved_calls] == [
        (u.caller, u.callee_text, u.location) for u in graphs.unresolved_calls
    ]
    assert listed.unresolved == len(graphs.unresolved_calls)
    summary = run(options.model_copy(update={"list_unresolved": False})).call_graph
    assert summary.unresolved_calls == [] and summary.unresolved == listed.unresolved
    assert summary.unresolved_outside == listed.unresolved_outside


def test_a_reused_report_prints_its_stored_text_and_a_copy_is_written_anew(tmp_path: Path) -> None:
    """Why: the reused analysis is printed as stored (no second write); a changed copy must never print stale text."""
    from migrate_scan.model.json_text import dumps_sorted

    root = tmp_path / "flask_shop"
    shutil.copytree(SAMPLE, root)
    options = ScanOptions(root=root, jobs=1, cache_dir=tmp_path / "cache")
    first = run(options)
    reused = run(options)
    text = render_json(reused, RenderOptions())
    assert text == dumps_sorted(reused.model_dump(mode="json")) + "\n" == render_json(first, RenderOptions())
    assert reused.warnings  # else the copy below would prove nothing
    renamed = reused.model_copy(update={"warnings": []})
    assert json.loads(render_json(renamed, RenderOptions()))["warnings"] == []
    assert render_json(reused, RenderOptions()) == text


def test_a_damaged_stored_analysis_is_analyzed_again(tmp_path: Path) -> None:
    """Why: a damaged, truncated or foreign stored report must cost a new analysis, never the scan."""
    root = tmp_path / "flask_shop"
    shutil.copytree(SAMPLE, root)
    options = ScanOptions(root=root, jobs=1, cache_dir=tmp_path / "cache")
    cold, _ = _scan(options)
    (entry,) = (tmp_path / "cache").glob("analysis-v*/*.json")
    stored = entry.read_bytes()
    for damage in (b"", b"\xff\xfe not utf-8", stored[: len(stored) // 2], b'{"schema_version": "1"}', b"[]" * 3):
        entry.write_bytes(damage)
        report, stages = _scan(options)
        assert "link" in stages and "reuse" in stages  # the entry was found, then refused
        assert report == cold


def test_an_edit_that_leaves_every_parse_result_as_it_was_reuses_the_analysis(tmp_path: Path) -> None:
    """Why: a comment's words, quotes or spacing within a line change no input of the analysis but the bytes;
    the re-scan parses the edited file, finds the same facts, and reuses the report (the bytes of a cold scan)."""
    root = tmp_path / "flask_shop"
    shutil.copytree(SAMPLE, root)
    options = ScanOptions(root=root, jobs=1, cache_dir=tmp_path / "cache")
    first, _ = _scan(options)
    edited = root / "shop" / "catalog" / "views.py"
    text = edited.read_text("utf-8")
    for old, new in (
        ("# soft delete: order history still points at it", "# a soft delete: orders still point at it"),
        ('app_template_filter("money")', "app_template_filter('money')"),
        ("return format_money(cents, currency)", "return format_money( cents,currency )"),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    edited.write_text(text, "utf-8")

    report, stages = _scan(options)
    assert stages == ["parse", "reuse"]  # the edited file parsed, its facts the same: nothing linked
    assert report == first
    uncached, _ = _scan(options.model_copy(update={"use_cache": False}))
    assert report == uncached
    _, stages = _scan(options)
    assert stages == ["reuse"]  # these bytes now find the report without parsing

    edited.write_text(text.replace("return format_money( cents,currency )", "return format_money(cents)"), "utf-8")
    report, stages = _scan(options)
    assert "link" in stages  # a changed parse result is a new analysis
    assert report == _scan(options.model_copy(update={"use_cache": False}))[0]


def test_a_damaged_alias_is_a_miss(tmp_path: Path) -> None:
    """Why: an alias names the key of a stored report; a damaged one (or one naming a path) must be a miss."""
    root = tmp_path / "flask_shop"
    shutil.copytree(SAMPLE, root)
    options = ScanOptions(root=root, jobs=1, cache_dir=tmp_path / "cache")
    cold, _ = _scan(options)
    (alias,) = (tmp_path / "cache").glob("analysis-v*/*.ref")
    (report_entry,) = (tmp_path / "cache").glob("analysis-v*/*.json")
    report_entry.rename(report_entry.with_suffix(".kept"))  # only the alias could answer now
    for damage in (b"", b"\xff\xfe", b"../../../etc/passwd", b"0" * 40, b"not a key"):
        alias.write_bytes(damage)
        report, stages = _scan(options)
        assert "link" in stages and report == cold
        for entry in (tmp_path / "cache").glob("analysis-v*/*.json"):
            entry.unlink()  # the report the scan stored: the next damage is read alone again
