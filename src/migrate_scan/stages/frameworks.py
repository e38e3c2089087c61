"""Framework detection: parsed facts + framework rules → the frameworks a project uses.

A framework counts as detected when some analyzed file imports one of its
rule's modules (or a submodule). The evidence is the first few such imports,
in path and line order.
"""

from __future__ import annotations

from collections import defaultdict

from migrate_scan.heuristics.schema import FrameworkRule
from migrate_scan.model.facts import FileFacts
from migrate_scan.model.ids import Location, aliased_module
from migrate_scan.model.report import Evidence, Framework

MAX_EVIDENCE = 3


def detect_frameworks(files: list[FileFacts], rules: tuple[FrameworkRule, ...]) -> list[Framework]:
    """Return the detected frameworks, sorted by name."""
    by_module = {module: rule for rule in rules for module in rule.imports}
    aliases = {old: new for rule in rules for old, new in rule.module_aliases.items()}
    own_top_levels = {f.module.partition(".")[0] for f in files if f.module}
    found: dict[str, list[Location]] = defaultdict(list)
    rule_of: dict[str, FrameworkRule] = {}
    for facts in sorted(files, key=lambda f: f.path):
        for fact in facts.imports:
            rule = _match(aliased_module(fact.module, aliases), by_module)
            if rule is None or fact.level or fact.module.partition(".")[0] in own_top_levels:
                continue
            rule_of[rule.framework] = rule
            if len(found[rule.framework]) < MAX_EVIDENCE:
                found[rule.framework].append(Location(file=facts.path, line=fact.line))
    return [
        Framework(name=name, evidence=Evidence(rule=rule_of[name].id, locations=locations))
        for name, locations in sorted(found.items())
    ]


def _match(module: str, by_module: dict[str, FrameworkRule]) -> FrameworkRule | None:
    prefix = module
    while prefix:
        rule = by_module.get(prefix)
        if rule is not None:
            return rule
        prefix = prefix.rpartition(".")[0]
    return None
