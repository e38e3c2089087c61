"""The module import graph: an edge per module and module it imports (outside ones by top package).

An import of a name from a package reaches the submodule when the name is
one (`from shop import views`), else the nearest module of the tree that
holds it; an outside import reaches its top-level package (`flask`).
"""

from __future__ import annotations

import networkx as nx

from migrate_scan.stages.link.table import SymbolTable


def build_import_graph(table: SymbolTable) -> nx.DiGraph[str]:
    graph: nx.DiGraph[str] = nx.DiGraph()
    for module in table.modules:
        graph.add_node(module, external=False)
    for module, facts in table.modules.items():
        for fact in facts.imports:
            if not fact.is_resolved:
                continue
            target = _imported_module(table, fact.module, fact.name)
            if target == module:
                continue
            if target not in graph:
                graph.add_node(target, external=True)
            if not graph.has_edge(module, target):
                graph.add_edge(module, target, line=fact.line)
    return graph


def _imported_module(table: SymbolTable, module: str, name: str | None) -> str:
    if name and name != "*" and f"{module}.{name}" in table.modules:
        return f"{module}.{name}"
    candidate = module
    while candidate:
        if candidate in table.modules:
            return candidate
        candidate = candidate.rpartition(".")[0]
    return module.partition(".")[0]
