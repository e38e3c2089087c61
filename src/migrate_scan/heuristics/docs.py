"""Reference documentation of the rules, generated from their own doc fields.

`docs/rules.md` is this module's output for the bundled rules
(`python scripts/make_rule_docs.py`); a test fails when it drifts.
"""

from __future__ import annotations

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.heuristics.schema import (
    ChecklistRule,
    DataAccessRule,
    DecisionRule,
    DispositionRule,
    EffortRule,
    FrameworkRule,
    MatchRule,
    PackageRule,
    StageRule,
    TypeRule,
    ViewBaseRule,
    WarningRule,
)

_SECTIONS = (
    ("Warnings: anti-patterns, over-engineering and Lambda blockers", WarningRule),
    ("Decision tree: patterns per module and context", DecisionRule),
    ("Dispositions: the app shell and test code", DispositionRule),
    ("Packages: what the dependency manifests declare", PackageRule),
    ("Migration stages", StageRule),
    ("Service checklists", ChecklistRule),
    ("Effort model", EffortRule),
    ("Recognizers: what the scan matches", MatchRule),
    ("View base classes: the routes a registered subclass inherits", ViewBaseRule),
    ("Framework detection", FrameworkRule),
    ("Outside types: what the call graph may name methods of", TypeRule),
    ("Data access: what ORM calls, framework views and outside functions do to tables", DataAccessRule),
)


def render_rule_docs(heuristics: Heuristics) -> str:
    """Markdown reference of every rule, grouped by kind, in id order."""
    lines = [
        "# Rule reference",
        "",
        "Generated from the rules' own fields in `heuristics/*.toml` by `python scripts/make_rule_docs.py`.",
        "Do not edit by hand.",
        "",
    ]
    for title, kind in _SECTIONS:
        rules = sorted((r for r in heuristics.rules if isinstance(r, kind)), key=lambda r: r.id)
        if not rules:
            continue
        lines += [f"## {title}", ""]
        for rule in rules:
            lines += _rule(rule)
    return "\n".join(lines).rstrip() + "\n"


def _rule(rule: object) -> list[str]:
    heading = getattr(rule, "title", "") or getattr(rule, "summary", "")
    lines = [f"### `{rule.id}` {heading if heading != rule.summary else ''}".rstrip(), ""]  # type: ignore[attr-defined]
    facts = []
    for field in ("category", "group", "disposition", "compute", "pattern", "stage", "confidence", "kind", "framework"):
        value = getattr(rule, field, None)
        if value not in (None, ""):
            facts.append(f"{field}: `{value}`")
    if facts:
        lines += [" · ".join(facts), ""]
    lines += [rule.summary, ""]  # type: ignore[attr-defined]
    for label, field in (("Why", "why"), ("Fix", "fix"), ("Known problems", "known_problems")):
        value = getattr(rule, field, "")
        if value:
            lines += [f"**{label}:** {value}", ""]
    if getattr(rule, "example", ""):
        lines += ["```python", rule.example, "```", ""]  # type: ignore[attr-defined]
    thresholds = getattr(rule, "thresholds", None) or getattr(rule, "weights", None)
    if thresholds:
        lines += ["Thresholds: " + ", ".join(f"`{k}` = {v:g}" for k, v in sorted(thresholds.items())), ""]
    if isinstance(rule, ChecklistRule):
        lines += [f"- {line.need}: {line.service}" for line in rule.services] + [""]
    if isinstance(rule, PackageRule):
        lines += ["Sizes (MB): " + ", ".join(f"`{n}` {v:g}" for n, v in sorted(rule.sizes.items())), ""]
    if isinstance(rule, StageRule):
        lines += [f"{i}. {step}" for i, step in enumerate(rule.steps, start=1)] + [""]
    if isinstance(rule, MatchRule | FrameworkRule | ViewBaseRule):
        names = rule.imports if isinstance(rule, FrameworkRule) else rule.names
        lines += ["Matches: " + ", ".join(f"`{n}`" for n in names), ""]
    if isinstance(rule, FrameworkRule) and rule.module_aliases:
        aliases = sorted(rule.module_aliases.items())
        lines += ["Old module paths: " + ", ".join(f"`{old}` → `{new}`" for old, new in aliases), ""]
    if isinstance(rule, TypeRule):
        lines += _type_lines(rule)
    if isinstance(rule, ViewBaseRule):
        lines += _view_base_lines(rule)
    if isinstance(rule, DataAccessRule):
        lines += _access_lines(rule)
    return lines


def _access_lines(rule: DataAccessRule) -> list[str]:
    lines = [f"Role: `{rule.role}`"]
    if rule.names:
        lines.append("Names: " + ", ".join(f"`{n}`" for n in rule.names))
    if rule.actions:
        lines.append("Actions: " + ", ".join(f"`{k}` → `{v}`" for k, v in sorted(rule.actions.items())))
    for label, tables in (("Reads", rule.reads), ("Writes", rule.writes)):
        if tables:
            lines.append(f"{label}: " + ", ".join(f"`{t}`" for t in tables))
    for key, names in sorted(rule.hooks.items()):
        lines.append(f"`{key}`: " + ", ".join(f"`{n}`" for n in names))
    return [*(line + "  " for line in lines[:-1]), lines[-1], ""]


def _type_lines(rule: TypeRule) -> list[str]:
    lines = [f"Type: `{rule.type}`" + (" (also " + ", ".join(f"`{n}`" for n in rule.names) + ")" if rule.names else "")]
    if rule.made_by:
        lines.append("Returned by: " + ", ".join(f"`{n}`" for n in rule.made_by))
    if rule.attributes:
        lines.append("Attributes: " + ", ".join(f"`{k}` → `{v}`" for k, v in sorted(rule.attributes.items())))
    if rule.is_opaque:
        lines.append("Opaque: its attributes are made at run time, so no method of it is named")
    if rule.returns:
        lines.append(
            "Methods returning a known type: " + ", ".join(f"`{k}` → `{v}`" for k, v in sorted(rule.returns.items()))
        )
    return [*(line + "  " for line in lines[:-1]), lines[-1], ""]


def _view_base_lines(rule: ViewBaseRule) -> list[str]:
    version = f" (`{{version}}` = `{rule.version}`)" if rule.version else ""
    lines = [f"Route base: `{rule.route_base}`{version}", ""]
    if rule.routes:
        lines += ["| method | rule | HTTP methods |", "| --- | --- | --- |"]
        lines += [f"| `{r.handler}` | `{r.rule}` | {', '.join(r.methods)} |" for r in rule.routes]
        lines.append("")
    return lines
