"""Mermaid diagrams for the Markdown report: the context map and the stage timeline.

Input: the final `Report`. Output: Mermaid source (without the code fence) that
GitHub renders. Invariants: node ids are generated (`c0`, `s1i0`), never taken
from the scanned code, so no name can collide with a Mermaid keyword; every label
is quoted and its quotes, angle brackets, ampersands, hashes, backticks and
newlines are written as Mermaid entity codes, so no scanned string can end a
label or inject syntax.
"""

from __future__ import annotations

from migrate_scan.model.report import Context, Report
from migrate_scan.render.vocabulary import PATTERN_NAMES, stage_item_names

_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "`": "#96;",
    "|": "#124;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
    ";": "#59;",
}


def label(text: str) -> str:
    """Return `text` as a quoted Mermaid label that no character can break out of."""
    flat = " ".join(text.split())
    return '"' + "".join(_ENTITIES.get(char, char) for char in flat) + '"'


def _weight(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def context_ids(contexts: list[Context]) -> dict[str, str]:
    """Context name → generated node id, in report order."""
    return {context.name: f"c{index}" for index, context in enumerate(contexts)}


def context_map(report: Report) -> str:
    """A `flowchart LR`: one node per context, one edge per dependency labelled with its weight."""
    ids = context_ids(report.contexts)
    lines = ["flowchart LR"]
    for context in report.contexts:
        detail: list[str] = [context.kind] if context.kind != "business" else []
        if context.pattern is not None:
            detail.append(f"pattern {context.pattern}")
        if context.stage is not None:
            detail.append(f"stage {context.stage}")
        text = context.name + (f" ({', '.join(detail)})" if detail else "")
        node = ids[context.name]
        if context.kind == "shared-kernel":
            lines.append(f"    {node}[[{label(text)}]]")
        elif context.kind in ("app-shell", "tests"):
            lines.append(f"    {node}([{label(text)}])")
        else:
            lines.append(f"    {node}[{label(text)}]")
    for context in report.contexts:
        source = ids[context.name]
        edges = {d.context: d for d in context.dependencies}
        for target_name in sorted({*context.depends_on, *edges}):
            target = ids.get(target_name)
            if target is None:
                continue
            dependency = edges.get(target_name)
            if dependency is None:
                lines.append(f"    {source} --> {target}")
            else:
                lines.append(f"    {source} -->|{label(_weight(dependency.weight))}| {target}")
    kernel = [ids[c.name] for c in report.contexts if c.kind == "shared-kernel"]
    shell = [ids[c.name] for c in report.contexts if c.kind in ("app-shell", "tests")]
    if kernel:
        lines.append("    classDef kernel fill:#eef3ff,stroke:#5470c6")
        lines.append(f"    class {','.join(kernel)} kernel")
    if shell:
        lines.append("    classDef shell fill:#f4f4f4,stroke:#888,stroke-dasharray:4 3")
        lines.append(f"    class {','.join(shell)} shell")
    return "\n".join(lines)


def stage_timeline(report: Report) -> str:
    """A left-to-right flowchart: one box per stage, its plan items in extraction order."""
    lines = ["flowchart LR"]
    stages = report.plan.stages
    for position, stage in enumerate(stages):
        sid = f"s{position}"
        title = f"Stage {stage.stage}: pattern {stage.pattern} {PATTERN_NAMES.get(stage.pattern, '')}"
        if stage.effort:
            title += f", {stage.effort} pts"
        lines.append(f"    subgraph {sid}[{label(title)}]")
        lines.append("        direction TB")
        efforts = [item.effort for item in stage.items] or [0 for _ in stage.contexts]
        names = list(zip(stage_item_names(stage), efforts, strict=True))
        if not names:
            lines.append(f"        {sid}none[{label('no context in this stage')}]")
        previous = ""
        for index, (name, effort) in enumerate(names):
            node = f"{sid}i{index}"
            text = f"{index + 1}) {name}" + (f", {effort} pts" if effort else "")
            lines.append(f"        {node}[{label(text)}]")
            if previous:
                lines.append(f"        {previous} --> {node}")
            previous = node
        lines.append("    end")
    for position in range(1, len(stages)):
        lines.append(f"    s{position - 1} --> s{position}")
    return "\n".join(lines)
