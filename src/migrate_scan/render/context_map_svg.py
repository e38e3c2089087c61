"""The context map as inline SVG, for the HTML report.

Input: the final `Report`. Output: one `<svg>` element as text. The layout is
computed here and is deterministic: one column per migration stage (in stage
order), then a column for contexts without a stage, then one for the shared
kernel and app shell; contexts sorted by name inside a column. Edges are
quadratic curves bent to one side, so A→B and B→A never overlap; their width
grows with the dependency weight. Every scanned string is escaped.
"""

from __future__ import annotations

import math
from html import escape

from migrate_scan.model.report import Context, Report

NODE_WIDTH = 190
NODE_HEIGHT = 52
COLUMN_GAP = 110
ROW_GAP = 34
MARGIN = 24
HEADER = 34
MAX_LABEL = 24

_FILL = {1: "#e3f2e6", 2: "#e4eefb", 3: "#fff1dc", 4: "#f3e5f5", 5: "#fde4e4"}


def _e(text: str) -> str:
    return escape(text, quote=True)


def _column(context: Context) -> tuple[int, str]:
    if context.kind != "business":
        return (6, "shared kernel and app shell")
    if context.stage is None:
        return (5, "no stage yet")
    return (context.stage, f"stage {context.stage}")


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def render_context_map(report: Report) -> str:
    """Return the `<svg>` of the context map (or a short paragraph when there are no contexts)."""
    if not report.contexts:
        return '<p class="muted">Context map: not computed.</p>'
    columns: dict[tuple[int, str], list[Context]] = {}
    for context in report.contexts:
        columns.setdefault(_column(context), []).append(context)
    centres: dict[str, tuple[float, float]] = {}
    parts: list[str] = []
    headers: list[str] = []
    for index, key in enumerate(sorted(columns)):
        x = MARGIN + index * (NODE_WIDTH + COLUMN_GAP)
        headers.append(
            f'<text class="map-column" x="{x + NODE_WIDTH // 2}" y="{MARGIN + 12}" text-anchor="middle">'
            f"{_e(key[1])}</text>"
        )
        for row, context in enumerate(sorted(columns[key], key=lambda c: c.name)):
            y = MARGIN + HEADER + row * (NODE_HEIGHT + ROW_GAP)
            centres[context.name] = (x + NODE_WIDTH / 2, y + NODE_HEIGHT / 2)
            parts.append(_node(context, x, y))
    width = MARGIN * 2 + len(columns) * NODE_WIDTH + (len(columns) - 1) * COLUMN_GAP
    tallest = max(len(members) for members in columns.values())
    height = MARGIN * 2 + HEADER + tallest * NODE_HEIGHT + (tallest - 1) * ROW_GAP
    edges = _edges(report, centres)
    return "\n".join(
        [
            f'<svg class="context-map" role="img" aria-labelledby="map-title" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}">',
            '<title id="map-title">Context map: bounded contexts and their dependencies</title>',
            "<defs>",
            '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker>',
            "</defs>",
            *headers,
            *edges,
            *parts,
            "</svg>",
        ]
    )


def _node(context: Context, x: int, y: int) -> str:
    if context.kind == "business":
        detail = f"pattern {context.pattern}" if context.pattern is not None else "pattern not computed"
        fill = _FILL.get(context.pattern or 0, "#f6f6f6")
        dash = ""
    else:
        detail = context.kind
        fill = "#eef0f4"
        dash = ' stroke-dasharray="5 3"'
    counts = f"{len(context.modules)} modules, {context.routes} routes, {context.jobs} jobs"
    tooltip = f"{context.name} ({detail}): {counts}"
    return (
        f'<g class="map-node" data-context="{_e(context.name)}"><title>{_e(tooltip)}</title>'
        f'<rect x="{x}" y="{y}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="8" fill="{fill}" '
        f'stroke="#445"{dash}/>'
        f'<text x="{x + 10}" y="{y + 21}" class="map-name">{_e(_short(context.name))}</text>'
        f'<text x="{x + 10}" y="{y + 39}" class="map-detail">{_e(detail)}</text></g>'
    )


def _border(centre: tuple[float, float], towards: tuple[float, float]) -> tuple[float, float]:
    """Where the line from `centre` towards a point leaves the node's rectangle (plus a small gap)."""
    dx, dy = towards[0] - centre[0], towards[1] - centre[1]
    if dx == 0 and dy == 0:
        return centre
    scale = min(
        (NODE_WIDTH / 2 + 4) / abs(dx) if dx else math.inf,
        (NODE_HEIGHT / 2 + 4) / abs(dy) if dy else math.inf,
    )
    return centre[0] + dx * scale, centre[1] + dy * scale


def _edges(report: Report, centres: dict[str, tuple[float, float]]) -> list[str]:
    pairs: list[tuple[str, str, float | None, str]] = []
    for context in report.contexts:
        weights = {d.context: d for d in context.dependencies}
        for target in sorted({*context.depends_on, *weights}):
            if target not in centres or target == context.name:
                continue
            dependency = weights.get(target)
            kinds = ", ".join(dependency.kinds) if dependency else ""
            pairs.append((context.name, target, dependency.weight if dependency else None, kinds))
    heaviest = max((w for _, _, w, _ in pairs if w), default=1.0)
    lines: list[str] = []
    for source, target, weight, kinds in pairs:
        (x1, y1), (x2, y2) = centres[source], centres[target]
        length = math.hypot(x2 - x1, y2 - y1)
        # Bend to the right of the direction of travel: the reverse edge bends the other way.
        bend = 28 if abs(x2 - x1) > 1 else 70
        cx = (x1 + x2) / 2 + (y2 - y1) / length * bend
        cy = (y1 + y2) / 2 - (x2 - x1) / length * bend
        sx, sy = _border((x1, y1), (cx, cy))
        tx, ty = _border((x2, y2), (cx, cy))
        mx, my = 0.25 * sx + 0.5 * cx + 0.25 * tx, 0.25 * sy + 0.5 * cy + 0.25 * ty
        stroke = 1.2 + 3.8 * (weight or 0) / heaviest
        label = _num(weight) if weight is not None else ""
        tooltip = (
            f"{source} depends on {target}" + (f": weight {label}" if label else "") + (f" ({kinds})" if kinds else "")
        )
        lines.append(
            f'<g class="map-edge"><title>{_e(tooltip)}</title>'
            f'<path d="M{_num(sx)},{_num(sy)} Q{_num(cx)},{_num(cy)} {_num(tx)},{_num(ty)}" fill="none" '
            f'stroke="#667" stroke-width="{_num(stroke)}" marker-end="url(#arrow)"/>'
            + (
                f'<text x="{_num(mx)}" y="{_num(my)}" class="map-weight" text-anchor="middle">{_e(label)}</text>'
                if label
                else ""
            )
            + "</g>"
        )
    return lines
