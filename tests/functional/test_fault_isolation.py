"""Fault isolation after parsing: a failure injected into one unit of each stage costs that unit only.

Each test makes one unit raise (a module while linking, a recognizer, a cluster rule, a finder, a
context's verdict, a plan item, the call graph's report entry, a whole stage) and checks that the
failure is listed in `analysis_errors` with its stage, unit, error and location, and that the rest of
the report equals the clean scan's.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import PROJECT_ROOT
from migrate_scan import pipeline
from migrate_scan.model.faults import FaultLog, collecting, guarded, isolated
from migrate_scan.model.report import Report
from migrate_scan.options import ScanOptions
from migrate_scan.render import RENDERERS, RenderOptions
from migrate_scan.stages import plan as plan_stage
from migrate_scan.stages import recognize as recognize_stage
from migrate_scan.stages.classify import findings
from migrate_scan.stages.classify.patterns import DecisionTree
from migrate_scan.stages.cluster.grouping import Grouping
from migrate_scan.stages.link import call_graph, propagation, scopes

SAMPLE = PROJECT_ROOT / "sample_monoliths" / "flask_shop"
SARIF_SCHEMA = json.loads((PROJECT_ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))


class Injected(RuntimeError):
    """The failure the tests inject."""


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fault-cache")


def scan(cache_dir: Path, **changes: Any) -> Report:
    # Parse results are shared between the tests; the previous analysis is not (the injected
    # failures change the code, which no cache key covers).
    shutil.rmtree(cache_dir / "analysis-v2", ignore_errors=True)
    options = ScanOptions(root=SAMPLE, jobs=1, use_cache=True, cache_dir=cache_dir, **changes)
    return pipeline.run(options)


@pytest.fixture(scope="module")
def clean(cache_dir: Path) -> Report:
    return scan(cache_dir)


def failing_for(original: Callable[..., Any], when: Callable[..., bool]) -> Callable[..., Any]:
    """`original`, except that it raises `Injected` for the calls `when` accepts."""

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if when(*args, **kwargs):
            raise Injected("injected failure")
        return original(*args, **kwargs)

    return wrapper


def dumped(report: Report, *keys: str) -> dict[str, Any]:
    data = report.model_dump(mode="json")
    return {key: data[key] for key in keys}


def only_error(report: Report) -> dict[str, Any]:
    assert len(report.analysis_errors) == 1, report.analysis_errors
    return report.analysis_errors[0].model_dump(mode="json")


INVENTORY = ("routes", "jobs", "models", "realtime", "events", "signals", "files", "project")


def test_clean_scan_has_no_analysis_errors(clean: Report) -> None:
    assert clean.analysis_errors == []


def test_link_one_module_propagation(cache_dir: Path, clean: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    original = propagation.Propagation._propagate_call
    monkeypatch.setattr(
        propagation.Propagation,
        "_propagate_call",
        failing_for(original, lambda self, module, call: module == "shop.analytics"),
    )
    report = scan(cache_dir)

    error = only_error(report)
    assert (error["stage"], error["unit"], error["error"]) == (
        "link",
        "module shop.analytics",
        "Injected: injected failure",
    )
    assert error["location"]["file"] == "shop/analytics.py" and error["location"]["line"] > 0
    assert error["origin"].startswith("stages/link/solver.py:")  # the innermost frame of migrate-scan's own code
    assert dumped(report, *INVENTORY) == dumped(clean, *INVENTORY)


def test_link_one_module_declaration(cache_dir: Path, clean: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    original = scopes.Scopes._declare_module
    monkeypatch.setattr(
        scopes.Scopes, "_declare_module", failing_for(original, lambda self, facts: facts.module == "shop.utils.money")
    )
    report = scan(cache_dir)

    error = only_error(report)
    assert (error["stage"], error["unit"]) == ("link", "module shop.utils.money")
    assert error["location"] == {"file": "shop/utils/money.py", "line": 0}
    assert len(report.modules) == len(clean.modules)  # every analyzed file is still in the report
    assert {r.handler for r in report.routes} == {r.handler for r in clean.routes}


def test_link_one_module_call_edges(cache_dir: Path, clean: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    original = call_graph._add_argument_call_edges
    monkeypatch.setattr(
        call_graph,
        "_add_argument_call_edges",
        failing_for(original, lambda graph, table, caller, call: caller.startswith("shop.orders.tasks")),
    )
    report = scan(cache_dir)

    error = only_error(report)
    assert (error["stage"], error["unit"]) == ("link", "module shop.orders.tasks")
    edges = {(e.caller, e.callee) for e in report.call_graph.edges}
    clean_edges = {(e.caller, e.callee) for e in clean.call_graph.edges}
    assert edges < clean_edges
    assert {e for e in clean_edges - edges if not e[0].startswith("shop.orders.tasks")} == set()


def test_recognize_one_recognizer(cache_dir: Path, clean: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any) -> Any:
        raise Injected("injected failure")

    registry = recognize_stage.REGISTRY
    ordered = tuple(dataclasses.replace(r, run=boom) if r.name == "jobs" else r for r in registry.ordered)
    monkeypatch.setattr(recognize_stage, "REGISTRY", dataclasses.replace(registry, ordered=ordered))
    report = scan(cache_dir)

    error = only_error(report)
    assert (error["stage"], error["unit"], error["location"]) == ("recognize", "recognizer jobs", None)
    assert report.jobs == []
    assert dumped(report, "routes", "models", "realtime", "files") == dumped(
        clean, "routes", "models", "realtime", "files"
    )


def test_cluster_one_rule(cache_dir: Path, clean: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Grouping, "_attach_strays", failing_for(Grouping._attach_strays, lambda *a: True))
    report = scan(cache_dir)

    error = only_error(report)
    assert (error["stage"], error["unit"]) == ("cluster", "rule strays")
    placed = [m for c in report.contexts for m in c.modules]
    assert sorted(placed) == sorted(m.name for m in report.modules)  # still a partition of the modules
    assert dumped(report, *INVENTORY) == dumped(clean, *INVENTORY)


def test_classify_one_finder(cache_dir: Path, clean: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(findings.FINDERS, "MS103", failing_for(findings.FINDERS["MS103"], lambda *a: True))
    report = scan(cache_dir)

    error = only_error(report)
    assert (error["stage"], error["unit"]) == ("classify", "rule MS103")
    assert {w.rule for w in clean.warnings} - {w.rule for w in report.warnings} == {"MS103"}
    assert dumped(report, *INVENTORY) == dumped(clean, *INVENTORY)  # contexts may differ: warnings set computes


def test_classify_one_module_verdict(cache_dir: Path, clean: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    original = DecisionTree._module_verdict
    monkeypatch.setattr(
        DecisionTree, "_module_verdict", failing_for(original, lambda self, module, *a: module == "shop.orders.routes")
    )
    report = scan(cache_dir)

    assert [(e.stage, e.unit) for e in report.analysis_errors] == [("classify", "module shop.orders.routes")]
    assert len(report.modules) == len(clean.modules)
    assert dumped(report, *INVENTORY) == dumped(clean, *INVENTORY)


def test_plan_one_item(cache_dir: Path, clean: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan_stage, "_item", failing_for(plan_stage._item, lambda context, *a: context.name == "auth"))
    report = scan(cache_dir)

    error = only_error(report)
    assert (error["stage"], error["unit"]) == ("plan", "context auth")
    planned = {(s.stage, i.context) for s in report.plan.stages for i in s.items}
    clean_planned = {(s.stage, i.context) for s in clean.plan.stages for i in s.items}
    assert {c for _, c in clean_planned - planned} == {"auth"}
    assert dumped(report, *INVENTORY, "modules", "warnings") == dumped(clean, *INVENTORY, "modules", "warnings")
    efforts = {c.name: c.effort for c in report.contexts if c.name != "auth"}
    assert efforts == {c.name: c.effort for c in clean.contexts if c.name != "auth"}


def test_report_call_graph_entry(cache_dir: Path, clean: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "_call_graph_entry", failing_for(pipeline._call_graph_entry, lambda *a: True))
    report = scan(cache_dir)

    assert (only_error(report)["stage"], only_error(report)["unit"]) == ("report", "call graph")
    assert report.call_graph.edges == []
    assert dumped(report, *INVENTORY, "contexts", "plan") == dumped(clean, *INVENTORY, "contexts", "plan")


@pytest.mark.parametrize("stage", ["recognize", "cluster", "classify", "plan"])
def test_whole_stage(cache_dir: Path, clean: Report, monkeypatch: pytest.MonkeyPatch, stage: str) -> None:
    monkeypatch.setattr(pipeline, stage, failing_for(getattr(pipeline, stage), lambda *a: True))
    report = scan(cache_dir)

    assert [(e.stage, e.unit) for e in report.analysis_errors] == [(stage, f"stage {stage}")]
    assert report.files == clean.files
    assert len(report.modules) == len(clean.modules)
    for output_format, render in RENDERERS.items():
        assert render(report, RenderOptions()), output_format


def test_whole_link_stage(cache_dir: Path, clean: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "link", failing_for(pipeline.link, lambda files: bool(list(files))))
    report = scan(cache_dir)

    assert [(e.stage, e.unit) for e in report.analysis_errors] == [("link", "stage link")]
    assert report.files == clean.files
    assert len(report.modules) == len(clean.modules)


def test_debug_reraises(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(findings.FINDERS, "MS103", failing_for(findings.FINDERS["MS103"], lambda *a: True))
    with pytest.raises(Injected):
        scan(cache_dir, debug=True)


def test_partial_report_in_every_format_and_exit_codes(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(findings.FINDERS, "MS103", failing_for(findings.FINDERS["MS103"], lambda *a: True))
    outputs = {}
    for output_format in RENDERERS:
        output = tmp_path / f"report.{output_format}"
        result = run_cli(SAMPLE, "--format", output_format, "--output", output)
        assert result.exit_code == 0, result.stderr
        assert result.stderr.startswith("migrate-scan: warning: partial analysis: 1 unit(s)"), result.stderr
        outputs[output_format] = output.read_text("utf-8")
    assert "Partial analysis" in outputs["text"] and "rule MS103" in outputs["text"]
    assert "> **Partial analysis.**" in outputs["markdown"] and "## Analysis errors" in outputs["markdown"]
    assert '<section id="analysis-errors" class="partial">' in outputs["html"]
    assert json.loads(outputs["json"])["analysis_errors"][0]["unit"] == "rule MS103"
    sarif = json.loads(outputs["sarif"])
    assert not list(jsonschema.Draft4Validator(SARIF_SCHEMA).iter_errors(sarif))
    assert sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["level"] == "error"

    strict = run_cli(SAMPLE, "--format", "json", "--output", tmp_path / "strict.json", "--strict")
    assert strict.exit_code == 4
    assert strict.stderr.startswith("migrate-scan: error: partial analysis: 1 unit(s)")
    assert json.loads((tmp_path / "strict.json").read_text("utf-8"))["analysis_errors"]  # written first

    with pytest.raises(Injected):
        run_cli(SAMPLE, "--format", "json", "--debug")


def test_isolation_helper_outside_a_log_lets_errors_through() -> None:
    with pytest.raises(Injected), isolated("link", "module m"):
        raise Injected("not isolated: no log is open")
    with collecting() as log:
        assert guarded("plan", "item", lambda: 1 / 0, default=-1) == -1
        with isolated("plan", "item"):
            raise KeyboardInterrupt if False else Injected("x")
    assert isinstance(log, FaultLog)
    assert [(e.unit, e.error) for e in log.errors] == [("item", "ZeroDivisionError: division by zero")]
    with pytest.raises(KeyboardInterrupt), collecting(), isolated("plan", "item"):
        raise KeyboardInterrupt


def test_strict_wins_over_fail_on(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(findings.FINDERS, "MS103", failing_for(findings.FINDERS["MS103"], lambda *a: True))
    result = run_cli(SAMPLE, "-f", "json", "-o", tmp_path / "r.json", "--strict", "--fail-on", "potential")

    assert result.exit_code == 4  # a partial report cannot back --fail-on's verdict
    assert (tmp_path / "r.json").exists()
