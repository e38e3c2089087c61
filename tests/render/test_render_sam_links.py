"""Markdown and HTML reports with an `--emit-sam` draft: each plan item links to its template, and the
resources are counted per stage; without a draft, neither appears."""

from __future__ import annotations

import re
from pathlib import Path

from migrate_scan.model.report import Report
from migrate_scan.render import RenderOptions
from migrate_scan.render.html_report import render_html
from migrate_scan.render.markdown_report import render_markdown
from migrate_scan.stages.draft import draft

ROOT = Path(__file__).resolve().parents[2]


def sample_report() -> Report:
    return Report.model_validate_json((ROOT / "reports" / "flask_shop.json").read_text(encoding="utf-8"))


def test_markdown_links_every_plan_item_to_an_emitted_template() -> None:
    report = sample_report()
    infrastructure = draft(report)
    text = render_markdown(report, RenderOptions(infrastructure=infrastructure, sam_folder="out/sam"))

    links = set(re.findall(r"\]\((out/sam/context-[a-z0-9_-]+\.yaml)\)", text))
    drafted = {c.context for c in infrastructure.contexts}
    items = {i.context for s in report.plan.stages for i in s.items if i.context in drafted}
    assert items and {f"out/sam/context-{c}.yaml" for c in items} == links
    assert all((ROOT / "reports" / "sam" / "flask_shop" / link.removeprefix("out/sam/")).is_file() for link in links)
    assert "| Stage | functions |" in text and "(out/sam/README.md)" in text


def test_html_links_and_stage_table_only_with_a_draft() -> None:
    report = sample_report()
    with_draft = render_html(report, RenderOptions(infrastructure=draft(report), sam_folder="sam"))
    assert '<a href="sam/context-orders.yaml"><code>context-orders.yaml</code></a>' in with_draft
    assert "Drafted AWS resources per stage" in with_draft

    plain = render_html(report, RenderOptions())
    assert "context-orders.yaml" not in plain and "Drafted AWS resources" not in plain
    assert "Drafted AWS resources" not in render_markdown(report, RenderOptions())
