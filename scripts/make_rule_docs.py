"""Regenerate docs/rules.md from the bundled heuristics.

Usage: python scripts/make_rule_docs.py
"""

from __future__ import annotations

from pathlib import Path

from migrate_scan.heuristics.docs import render_rule_docs
from migrate_scan.heuristics.loader import load_heuristics

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "rules.md").write_text(render_rule_docs(load_heuristics()), encoding="utf-8")
    print("wrote docs/rules.md")


if __name__ == "__main__":
    main()
