"""docs/rules.md is what the rules' own doc fields generate (python scripts/make_rule_docs.py)."""

from __future__ import annotations

from pathlib import Path

from migrate_scan.heuristics.docs import render_rule_docs
from migrate_scan.heuristics.loader import load_heuristics

ROOT = Path(__file__).resolve().parents[2]


def test_rule_docs_are_up_to_date() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == render_rule_docs(load_heuristics()), "run: python scripts/make_rule_docs.py"


def test_every_warning_and_decision_rule_is_documented() -> None:
    text = render_rule_docs(load_heuristics())
    for rule_id in ("MS101", "MS205", "MS311", "PT201", "PT401", "PT501"):
        assert f"### `{rule_id}`" in text
