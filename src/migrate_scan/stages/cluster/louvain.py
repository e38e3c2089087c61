"""Louvain splitting (granularity "fine"): a large context's modules → proposed communities.

networkx's Louvain on the context's own subgraph, seeded, so the same input gives the same split;
communities too small to stand alone rejoin the one they are most tied to. The grouping rules decide
which contexts are split and name the parts.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

FINE_MIN_MODULES = 8
"""granularity "fine": only contexts of at least this many modules are split."""
FINE_MIN_PART = 3
"""granularity "fine": a community smaller than this rejoins its strongest neighbouring community."""
LOUVAIN_RESOLUTION = 1.0


def communities(graph: nx.Graph[str], modules: list[str], seed: int) -> list[tuple[list[str], str]]:
    """Louvain communities of `modules` on their subgraph, small ones absorbed, largest first.

    Args:
        graph: the undirected weighted module graph.
        modules: the context's modules that may move (sorted).
        seed: the seed of the randomised algorithm.

    Returns:
        Each community (sorted) with its hub, the module most tied inside the context (ties broken by
        name); largest first; a single community means no split.
    """
    subgraph = subgraph_of(graph, modules)
    found = [
        sorted(c)
        for c in nx.community.louvain_communities(subgraph, weight="weight", resolution=LOUVAIN_RESOLUTION, seed=seed)
    ]
    parts = absorb_small(found, subgraph)
    parts.sort(key=lambda c: (-len(c), c))
    return [(part, max(part, key=lambda m: (subgraph.degree(m, weight="weight"), m))) for part in parts]


def subgraph_of(graph: nx.Graph[str], modules: list[str]) -> nx.Graph[str]:
    """A fresh graph of `modules` and the weighted edges between them, built in sorted order."""
    subgraph: nx.Graph[str] = nx.Graph()
    subgraph.add_nodes_from(modules)
    subgraph.add_weighted_edges_from(
        (a, b, d["weight"]) for a, b, d in sorted(graph.subgraph(modules).edges(data=True))
    )
    return subgraph


def absorb_small(communities: list[list[str]], graph: nx.Graph[str]) -> list[list[str]]:
    """Communities under FINE_MIN_PART modules rejoin the community they are most tied to."""
    parts = [list(c) for c in sorted(communities, key=lambda c: (-len(c), c))]
    while True:
        small = [p for p in parts if len(p) < FINE_MIN_PART]
        if not small or len(parts) < 2:
            return parts
        part = sorted(small, key=lambda p: (len(p), p))[0]
        weights: defaultdict[int, float] = defaultdict(float)
        members = set(part)
        for index, other in enumerate(parts):
            if other is part:
                continue
            other_set = set(other)
            weights[index] += sum(
                d["weight"] for m in part for n, d in graph[m].items() if n in other_set and m in members
            )
        best = sorted(((-w, i) for i, w in weights.items()))
        target = parts[best[0][1]] if best else next(p for p in parts if p is not part)
        target.extend(part)
        target.sort()
        parts.remove(part)
