"""Metrics of the split: per context (cohesion, coupling, size, lines) and overall (SM, ICP, IFN, NED, modularity).

Pure functions of the weighted graph, the ties and the final module → context map.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping

import networkx as nx

from migrate_scan.stages.cluster.index import module_of
from migrate_scan.stages.cluster.ties import Ties

NED_MIN_SIZE = 5
NED_MAX_SIZE = 20
"""NED counts modules in business contexts of NED_MIN_SIZE..NED_MAX_SIZE modules (inclusive) as non-extreme."""


def context_metrics(
    graph: nx.Graph[str],
    module_context: Mapping[str, str],
    lines: Mapping[str, int],
    undeployed: frozenset[str] = frozenset(),
) -> dict[str, dict[str, float]]:
    """cohesion (internal / all weight touching it), coupling (external weight), size, lines.

    Ties to an `undeployed` context (test code) are no coupling of the deployed side: tests exercise
    everything by design, and no migration cuts them; the test context's own coupling still counts them.
    """
    internal: defaultdict[str, float] = defaultdict(float)
    external: defaultdict[str, float] = defaultdict(float)
    for a, b, data in graph.edges(data=True):
        ca, cb = module_context[a], module_context[b]
        if ca == cb:
            internal[ca] += data["weight"]
            continue
        if cb not in undeployed or ca in undeployed:
            external[ca] += data["weight"]
        if ca not in undeployed or cb in undeployed:
            external[cb] += data["weight"]
    sizes = Counter(module_context.values())
    lines_of: Counter[str] = Counter()
    for module, context in module_context.items():
        lines_of[context] += lines.get(module, 0)
    result = {}
    for context in sizes:
        total = internal[context] + external[context]
        result[context] = {
            "cohesion": internal[context] / total if total else 0.0,
            "coupling": float(external[context]),
            "size": float(sizes[context]),
            "lines": float(lines_of[context]),
        }
    return result


def overall_metrics(
    ties: Ties, module_context: Mapping[str, str], business: list[str], members: Mapping[str, list[str]]
) -> dict[str, float]:
    """SM, ICP, IFN and NED over business contexts; modularity over the whole partition.

    The kernel and the shell are left out of SM, ICP, IFN and NED: they are not services, and every
    context depends on them by design, which would count as coupling the migration does not have to cut.
    """
    business_set = set(business)
    graph = ties.graph
    intra: Counter[str] = Counter()
    inter: Counter[tuple[str, str]] = Counter()
    for a, b in graph.edges():
        ca, cb = module_context[a], module_context[b]
        if ca not in business_set or cb not in business_set:
            continue
        if ca == cb:
            intra[ca] += 1
        else:
            inter[min(ca, cb), max(ca, cb)] += 1
    count = len(business)
    size = {c: len(members[c]) for c in business}
    sm = 0.0
    if count:
        # fsum: the total of inexact terms must not depend on the order the graph lists its edges in
        sm = math.fsum(intra[c] / size[c] ** 2 for c in business) / count
        if count > 1:
            pairs = count * (count - 1) / 2
            sm -= math.fsum(n / (2 * size[a] * size[b]) for (a, b), n in inter.items()) / pairs
    crossing = total = 0
    for (source, target), sites in ties.call_sites.items():
        cs, ct = module_context[source], module_context[target]
        if cs in business_set and ct in business_set:
            total += sites
            if cs != ct:
                crossing += sites
    interfaces: Counter[str] = Counter()
    for callee, callers in ties.called.items():
        owner = module_context.get(module_of(callee))
        if owner in business_set and any(
            module_context[c] in business_set and module_context[c] != owner for c in callers
        ):
            interfaces[owner] += 1
    business_modules = sum(size.values())
    non_extreme = sum(n for n in size.values() if NED_MIN_SIZE <= n <= NED_MAX_SIZE)
    partition = [set(members[c]) for c in sorted(members)]
    modularity = 0.0
    if graph.number_of_edges() and graph.size(weight="weight") > 0:
        modularity = nx.community.modularity(graph, partition, weight="weight")
    return {
        "SM": sm,
        "ICP": crossing / total if total else 0.0,
        "IFN": sum(interfaces[c] for c in business) / count if count else 0.0,
        "NED": non_extreme / business_modules if business_modules else 0.0,
        "modularity": modularity,
        "contexts": float(count),
    }
