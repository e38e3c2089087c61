"""HTML, read without a browser: self-contained, escaped, well-formed SVG, deterministic, graceful when empty."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser

from migrate_scan.render import RENDERERS, RenderOptions
from migrate_scan.render.html_report import render_html


class Collector(HTMLParser):
    """Tags, attributes and script bodies of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []
        self.in_script = False
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if dict(attrs).get("id"):
            self.ids.append(dict(attrs)["id"] or "")
        if tag == "script":
            self.in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.scripts[-1] += data


def parse(text: str) -> Collector:
    collector = Collector()
    collector.feed(text)
    collector.close()
    return collector


def test_registered_as_a_format() -> None:
    assert RENDERERS["html"] is render_html


def test_page_is_self_contained(full_report) -> None:
    text = render_html(full_report, RenderOptions())
    page = parse(text)

    assert not re.search(r"(?i)\b(https?:|ftp:|wss?:)|//[a-z0-9.-]+\.[a-z]{2,}", text)
    for tag, attrs in page.tags:
        for name in ("src", "href", "action", "srcset", "poster", "data"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (tag, name, value)
        assert tag not in ("link", "iframe", "object", "embed", "img", "base")
    assert [t for t, a in page.tags if t == "script"] == ["script"]  # ours, and only ours
    assert "default-src 'none'" in text


def test_every_scanned_string_is_escaped(full_report) -> None:
    text = render_html(full_report, RenderOptions())
    page = parse(text)

    assert text.count("<script") == 1
    assert "alert" not in page.scripts[0]
    assert "&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;" in text
    assert 'data-context="orders &lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;"' in text
    assert "shop/we&quot;ird&amp;&lt;b&gt;.py" in text


def test_main_sections_and_content(full_report) -> None:
    text = render_html(full_report, RenderOptions())
    page = parse(text)

    for section in ("summary", "plan", "contexts", "modules", "warnings", "inventory"):
        assert section in page.ids
    assert {"module-table", "module-filter", "module-count", "map-title"} <= set(page.ids)
    assert text.count('<article class="card') == 4
    assert text.count('<article class="warning') == 5
    assert text.index('data-rule="BL201"') < text.index('data-rule="AP202"') < text.index('data-rule="BL102"')
    assert "Suppressed at <code>shop/catalog/views.py:20</code>: only in dev &amp; tests" in text
    assert "<details><summary>Evidence (2)</summary>" in text
    assert '<li class="need-avoid"><strong>Step Functions</strong> (avoid)' in text


def test_context_map_is_well_formed_svg(full_report) -> None:
    text = render_html(full_report, RenderOptions())

    svg = re.search(r"<svg .*?</svg>", text, flags=re.S)
    assert svg is not None
    root = ElementTree.fromstring(svg.group(0))
    nodes = [g for g in root.iter("g") if g.get("class") == "map-node"]
    edges = [g for g in root.iter("g") if g.get("class") == "map-edge"]
    assert len(nodes) == 4 and len(edges) == 5
    weights = sorted(t.text or "" for g in edges for t in g.iter("text"))
    assert weights == ["1.5", "2", "6.5"]
    positions = {g.get("data-context"): (int(g.find("rect").get("x")), int(g.find("rect").get("y"))) for g in nodes}
    assert positions["catalog"][0] < positions[next(n for n in positions if n.startswith("orders"))][0]
    assert positions["core"][0] == positions["shell"][0]  # kernel and shell share the last column


def test_html_is_deterministic(full_report) -> None:
    assert render_html(full_report, RenderOptions()) == render_html(full_report, RenderOptions())


def test_empty_sections_say_not_computed(empty_report) -> None:
    text = render_html(empty_report, RenderOptions())

    assert text.count("not computed") >= 5
    assert "<svg" not in text
    assert "Context map" not in text or "not computed" in text


def test_bounded_analysis_is_listed_where_a_cap_was_reached(full_report) -> None:
    from migrate_scan.model.report import LimitReached

    limit = LimitReached(
        stage="link",
        limit="values-per-variable",
        cap=32,
        hits=3,
        dropped=40,
        message="3 variable(s) may hold more than 32 values; each kept 32 of them.",
    )
    bounded = render_html(full_report.model_copy(update={"limits": [limit]}), RenderOptions())
    assert "<summary>Bounded analysis (1)</summary>" in bounded
    assert "<code>values-per-variable</code></td><td>32</td><td>3</td><td>40</td>" in bounded
    assert "Bounded analysis" not in render_html(full_report.model_copy(update={"limits": []}), RenderOptions())
