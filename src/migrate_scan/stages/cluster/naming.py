"""Context names: unique, readable names for the groups, from their anchors and the author's packages.

Pinned names as given first, then names already set (tests, Louvain parts), then business contexts by
the shortest unique tail of their package, the kernel and the shell by the package they live in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

from migrate_scan.stages.cluster.index import ModuleIndex, last
from migrate_scan.stages.cluster.seeds import Units

if TYPE_CHECKING:
    from migrate_scan.stages.cluster.grouping import Group


def name_groups(groups: Mapping[str, Group], units: Units, facts: ModuleIndex) -> None:
    """Set a unique `name` on every group (groups that already have one keep it when it is free)."""
    taken: set[str] = set()

    def order(anchor: str) -> tuple[bool, bool, bool, str]:
        group = groups[anchor]
        return (group.seed != "pinned", not group.name, group.kind != "business", anchor)

    for anchor in sorted(groups, key=order):
        group = groups[anchor]
        if group.name:
            candidates = [group.name]
        elif group.kind == "app-shell":
            candidates = _shell_names(group.modules, units, facts)
        elif group.kind == "shared-kernel":
            candidates = _kernel_names(group.modules, units)
        else:
            parts = anchor.split(".")
            candidates = [".".join(parts[-n:]) for n in range(1, len(parts) + 1)]
        name = next((c for c in candidates if c not in taken), None)
        if name is None:
            base = candidates[-1] if group.kind == "business" else f"{candidates[0]}-{group.kind}"
            name, number = base, 2
            while name in taken:
                name, number = f"{base}-{number}", number + 1
        group.name = name
        taken.add(name)


def _shell_names(modules: set[str], units: Units, facts: ModuleIndex) -> list[str]:
    """The settings' project package, else the package most composition-root modules live in."""
    if units.project_packages:
        return [last(units.project_packages[0]), "app-shell"]
    tops = Counter(m.partition(".")[0] for m in units.roots if "." in m or m in facts.packages)
    if not tops:
        tops = Counter(m.partition(".")[0] for m in modules if "." in m or m in facts.packages)
    if not tops:
        return ["app-shell"]
    return [sorted(tops.items(), key=lambda item: (-item[1], item[0]))[0][0], "app-shell"]


def _kernel_names(modules: set[str], units: Units) -> list[str]:
    """The kernel's package when it is one package (`core`), else `shared-kernel`."""
    holders = {units.unit_of[m] for m in modules}
    if len(holders) == 1 and all(units.units[h].kind != "module" for h in holders):
        return [last(next(iter(holders))), "shared-kernel"]
    return ["shared-kernel"]
