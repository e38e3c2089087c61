"""Markdown: the sections in order, warnings with evidence, escaping, and Mermaid that GitHub can parse."""

from __future__ import annotations

import re

from migrate_scan.render import RenderOptions
from migrate_scan.render.markdown_report import render_markdown
from migrate_scan.render.mermaid import label

NODE_ID = r"[A-Za-z][A-Za-z0-9_]*"


def headings(text: str, level: str = "## ") -> list[str]:
    return [line[len(level) :] for line in text.splitlines() if line.startswith(level)]


def without_code(text: str) -> str:
    """The text with fenced blocks and code spans removed: what GitHub would parse as Markdown/HTML."""
    text = re.sub(r"```mermaid\n.*?\n```", "", text, flags=re.S)
    return re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", text)


def mermaid_blocks(text: str) -> list[str]:
    return re.findall(r"```mermaid\n(.*?)\n```", text, flags=re.S)


def test_sections_in_reading_order(full_report) -> None:
    text = render_markdown(full_report, RenderOptions())

    assert headings(text) == [
        "Executive summary",
        "Migration plan",
        "Bounded contexts",
        "Module recommendations",
        "Warnings",
        "Frameworks",
        "Routes",
        "Jobs",
        "Models",
        "Real-time handlers",
        "Signal receivers",
        "Modules",
        "Skipped files",
    ]
    assert "**Recommended architecture:** pattern 5 · Hybrid microservices, reached at Stage 4" in text
    assert "| **Total** | | | 21 pts |" in text


def test_plan_lists_items_in_order_with_services_data_effort_and_why(full_report) -> None:
    text = render_markdown(full_report, RenderOptions())

    stage_one = text.split("### Stage 1 · Simple modules (CRUD)")[1].split("### Stage 2")[0]
    assert "1. **catalog** (pattern 1, lambda, 3 pts)" in stage_one
    assert "   - Services: Lambda, API Gateway, DynamoDB" in stage_one
    assert "   - Data it takes along: `Product`" in stage_one
    assert "   - Why here: least coupled; &lt;script&gt;" in stage_one
    assert "No context moves in this stage." in text.split("### Stage 3")[1].split("### Stage 4")[0]
    assert "| `shop.orders.video` | fargate | runs past 15 minutes | `BL201` |" in text


def test_context_cards(full_report) -> None:
    text = render_markdown(full_report, RenderOptions())

    card = text.split("### Context catalog")[1].split("### Context ")[0]
    assert "| Kind | business (seeded by blueprint) |" in card
    assert "| Pattern | 1 · Simple REST API |" in card
    assert "| Routes / jobs / real-time / events | 4 / 0 / 0 / 0 |" in card
    assert "| Models owned | `Product` |" in card
    assert "| Models of other contexts used | `Order` |" in card
    assert "`core` (weight 6.5: import, call)" in card
    assert "| Effort | 3 pts |" in card
    assert "- [x] **Lambda** (required): 4 stateless routes" in card
    assert "- [ ] **Cognito** (optional)" in card
    assert "- ✗ **Step Functions** (avoid)" in card
    assert "| Fan-out | sns |" in text
    shell = text.split("### Context shell")[1]
    assert "| Kind | app-shell (seeded by package) |" in shell
    assert "Services checklist: not computed." in shell


def test_warnings_mandatory_first_with_evidence_and_suppression(full_report) -> None:
    text = render_markdown(full_report, RenderOptions())

    warnings = text.split("## Warnings")[1].split("## Frameworks")[0]
    assert [h.split(" ")[0] + " " + h.split(" ")[1] for h in headings(warnings, "### ")] == [
        "mandatory: BL201",
        "optional: AP202",
        "potential: OE301",
        "mandatory: BL102",
        "potential: BL103",
    ]
    assert "1 mandatory, 1 optional, 1 potential; 2 suppressed." in warnings
    assert "- `shop/orders/video.py:12`\n- `shop/orders/video.py:30`" in warnings
    assert "### mandatory: BL102 Writes to the local disk (suppressed)" in warnings
    assert "> Suppressed at `shop/catalog/views.py:20`: only in dev &amp; tests" in warnings
    assert "> Suppressed: accepted by the team" in warnings
    top = text.split("### Top risks")[1].split("###")[0]
    assert top.strip().splitlines()[0].startswith("- **mandatory** `BL201`")


def test_scanned_strings_cannot_inject_html_or_markdown(full_report) -> None:
    text = render_markdown(full_report, RenderOptions())

    outside = without_code(text)
    assert "<script" not in outside
    assert '&lt;script&gt;alert("x&amp;y")&lt;/script&gt;' in outside
    assert "| `shop.weird_x` |" in text
    assert '`shop/we"ird&<b>.py`' in text  # inside a code span it is literal, as GitHub shows it


def test_mermaid_blocks_use_generated_ids_and_safe_labels(full_report) -> None:
    text = render_markdown(full_report, RenderOptions())

    timeline, context_map = mermaid_blocks(text)
    assert timeline.splitlines()[0] == "flowchart LR"
    assert context_map.splitlines()[0] == "flowchart LR"
    for block in (timeline, context_map):
        for line in block.splitlines()[1:]:
            body = re.sub(r'"[^"]*"', '""', line.strip())  # labels out: only ids and syntax stay
            assert re.fullmatch(
                rf"(subgraph {NODE_ID}\[\"\"\]|direction TB|end|{NODE_ID}(\[\"\"\]|\[\[\"\"\]\]|\(\[\"\"\]\))"
                rf"|{NODE_ID} -->(\|\"\"\|)? {NODE_ID}|classDef \w+ [\w:#,. -]+|class [\w,]+ \w+)",
                body,
            ), line
            for quoted in re.findall(r'"([^"]*)"', line):
                bare = re.sub(r"#\w+;", "", quoted)  # entity codes out: no special character may stay
                assert not set(bare) & set("<>&`|[]{};#"), quoted
    assert 'c0 -->|"6.5"| c2' in context_map
    assert 'c1[["core (shared-kernel)"]]' not in context_map  # contexts keep report order
    assert 'c2[["core (shared-kernel)"]]' in context_map
    assert 'c3(["shell (app-shell)"])' in context_map
    assert "#lt;script#gt;alert(#quot;x#amp;y#quot;)#lt;/script#gt;" in context_map
    assert 'subgraph s2["Stage 3: pattern 4 Workflow orchestration"]' in timeline
    assert "s0 --> s1" in timeline and "s2 --> s3" in timeline


def test_label_escapes_everything_that_could_end_it() -> None:
    assert label('a "b" <c> & `d` | #e [f] {g}; h\nnext') == (
        '"a #quot;b#quot; #lt;c#gt; #amp; #96;d#96; #124; #35;e #91;f#93; #123;g#125;#59; h next"'
    )


def test_empty_sections_say_not_computed(empty_report) -> None:
    text = render_markdown(empty_report, RenderOptions())

    assert "**Recommended architecture:** not computed." in text
    assert "Migration plan: not computed." in text
    assert "The staged plan is not computed." in text
    assert "Contexts: not computed." in text
    assert "Per-module recommendations: not computed." in text
    assert "No warnings (none found, or not computed)." in text
    assert "```mermaid" not in text


def test_markdown_is_deterministic(full_report) -> None:
    assert render_markdown(full_report, RenderOptions()) == render_markdown(full_report, RenderOptions())


def test_bounded_analysis_is_shown_where_a_cap_was_reached(full_report) -> None:
    from migrate_scan.model.report import LimitReached
    from migrate_scan.render.terminal import render_terminal

    limit = LimitReached(
        stage="link",
        limit="values-per-variable",
        cap=32,
        hits=3,
        dropped=40,
        message="3 variable(s) may hold more than 32 values; each kept 32 of them.",
    )
    bounded = full_report.model_copy(update={"limits": [limit]})
    text = render_markdown(bounded, RenderOptions())
    assert "## Bounded analysis" in text
    assert "| link | `values-per-variable` | 32 | 3 | 40 | 3 variable(s) may hold more than 32 values" in text
    assert "## Bounded analysis" not in render_markdown(full_report.model_copy(update={"limits": []}), RenderOptions())
    assert "Bounded link: 3 variable(s)" in render_terminal(bounded, RenderOptions(color=False, width=200))
