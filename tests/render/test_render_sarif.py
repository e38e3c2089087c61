"""SARIF 2.1.0: valid against the official schema (OASIS errata 01, vendored), levels, locations, suppressions."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from migrate_scan.render import RenderOptions
from migrate_scan.render.sarif_report import render_sarif

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))


def validate(log: dict) -> None:
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    errors = sorted(jsonschema.Draft4Validator(SCHEMA).iter_errors(log), key=str)
    assert errors == [], [f"{list(e.absolute_path)}: {e.message}" for e in errors]


@pytest.mark.parametrize("fixture", ["full_report", "empty_report"])
def test_sarif_validates_against_the_official_schema(fixture: str, request: pytest.FixtureRequest) -> None:
    log = json.loads(render_sarif(request.getfixturevalue(fixture), RenderOptions()))

    validate(log)
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1


def test_rules_carry_descriptions_and_default_levels(full_report) -> None:
    driver = json.loads(render_sarif(full_report, RenderOptions()))["runs"][0]["tool"]["driver"]

    assert (driver["name"], driver["version"]) == ("migrate-scan", "9.9.9")
    assert "informationUri" not in driver
    assert [(r["id"], r["defaultConfiguration"]["level"]) for r in driver["rules"]] == [
        ("AP202", "warning"),
        ("BL102", "error"),
        ("BL103", "note"),
        ("BL201", "error"),
        ("OE301", "note"),
    ]
    rule = driver["rules"][3]
    assert rule["shortDescription"] == {"text": "Work longer than Lambda's 15 minutes"}
    assert rule["fullDescription"] == {"text": "Run it on Fargate."}


def test_results_levels_locations_and_suppressions(full_report) -> None:
    run = json.loads(render_sarif(full_report, RenderOptions()))["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    results = {r["ruleId"]: r for r in run["results"]}

    assert [r["ruleId"] for r in run["results"]] == ["BL201", "AP202", "OE301", "BL102", "BL103"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
    assert {rule: r["level"] for rule, r in results.items()} == {
        "BL201": "error",
        "AP202": "warning",
        "OE301": "note",
        "BL102": "error",
        "BL103": "note",
    }
    first = results["BL201"]["locations"][0]["physicalLocation"]
    assert first == {
        "artifactLocation": {"uri": "shop/orders/video.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 12},
    }
    assert results["BL201"]["relatedLocations"][0]["physicalLocation"]["region"] == {"startLine": 30}
    assert "region" not in results["OE301"]["locations"][0]["physicalLocation"]  # line 0: the whole file
    # No location of its own: the file of the module it names.
    assert results["BL103"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "shop/core/db.py"
    assert results["BL102"]["suppressions"][0]["kind"] == "inSource"
    assert results["BL102"]["suppressions"][0]["justification"] == "only in dev & tests"
    assert results["BL103"]["suppressions"] == [{"kind": "external", "justification": "accepted by the team"}]
    assert "suppressions" not in results["BL201"]
    assert "<script>" in results["BL201"]["message"]["text"]  # JSON needs no HTML escaping; consumers escape


def test_every_region_starts_at_line_one_or_later(full_report) -> None:
    text = render_sarif(full_report, RenderOptions())

    lines = [int(part.split(":")[1].strip().rstrip(",")) for part in text.splitlines() if '"startLine"' in part]
    assert lines and min(lines) >= 1
    assert text == render_sarif(full_report, RenderOptions())  # deterministic
