"""What crosses context borders, once the split is final: weighted dependencies and the models owned, used, shared.

Input: the ties, the module index and the module → context map. Output: `CrossEdge`s and model lists,
sorted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from migrate_scan.model.analysis import CrossEdge
from migrate_scan.model.ids import Location
from migrate_scan.stages.cluster.index import ModuleIndex, module_of
from migrate_scan.stages.cluster.ties import DirectedTie, Ties

MAX_LOCATIONS = 8
"""Locations kept per cross-context dependency."""


def dependencies(ties: Ties, module_context: Mapping[str, str]) -> tuple[CrossEdge, ...]:
    """Context → context dependencies: summed weight, kinds and the first locations of their ties."""
    pairs: dict[tuple[str, str], DirectedTie] = {}
    for (source, target), tie in sorted(ties.directed.items()):
        a, b = module_context[source], module_context[target]
        if a == b:
            continue
        total = pairs.setdefault((a, b), DirectedTie())
        total.weight += tie.weight
        total.kinds |= tie.kinds
        total.locations |= tie.locations
    return tuple(
        CrossEdge(
            source=a,
            target=b,
            weight=round(tie.weight, 4),
            kinds=tuple(sorted(tie.kinds)),
            locations=tuple(Location(file=f, line=n) for f, n in sorted(tie.locations)[:MAX_LOCATIONS]),
        )
        for (a, b), tie in sorted(pairs.items())
    )


def models_owned(
    facts: ModuleIndex, module_context: Mapping[str, str], kind_of: Mapping[str, str]
) -> dict[str, list[str]]:
    """Context → the models defined in its modules (abstract bases only outside business contexts)."""
    owned: dict[str, list[str]] = defaultdict(list)
    for module, symbols in facts.models.items():
        context = module_context[module]
        for symbol in symbols:
            if symbol in facts.abstract and kind_of[context] == "business":
                continue  # an abstract base has no table: not owned data
            owned[context].append(symbol)
    return {k: sorted(v) for k, v in owned.items()}


def models_used(
    facts: ModuleIndex, ties: Ties, module_context: Mapping[str, str], kind_of: Mapping[str, str]
) -> tuple[dict[str, list[str]], list[str]]:
    """Context → models of other contexts it reads or writes; and the models several business contexts access."""
    used: dict[str, set[str]] = defaultdict(set)
    accessors: dict[str, set[str]] = defaultdict(set)
    for access in ties.accesses:
        module = module_of(access[0])
        if module not in module_context:
            continue
        context = module_context[module]
        owner_module = facts.model_module.get(access[1])
        if owner_module is None:
            continue
        if kind_of[context] == "business":
            accessors[access[1]].add(context)
        if module_context[owner_module] != context:
            used[context].add(access[1])
    shared = sorted(model for model, contexts in accessors.items() if len(contexts) > 1)
    return {k: sorted(v) for k, v in used.items()}, shared
