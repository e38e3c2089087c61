"""The weighted ties between modules: `ModuleIndex` + graphs + recognition → `Ties`.

Directed module → module ties (imports, call sites, model access, model relations, signals) keep their
kinds and locations as evidence; an undirected weighted graph (plus shared route prefixes) is what the
grouping rules, Louvain and the metrics measure.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import networkx as nx

from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.inventory import Recognition
from migrate_scan.stages.cluster.index import ModuleIndex, Where, location_key, module_of

IMPORT_WEIGHT = 1.0
"""Per import edge (module → module, however many names it imports)."""
CALL_WEIGHT = 0.5
"""Per distinct call site between two modules (a caller symbol → callee symbol edge of the call graph)."""
MODEL_ACCESS_WEIGHT = 1.0
"""Per (module, model) pair: a function of the module reads or writes a model defined in another module."""
MODEL_RELATION_WEIGHT = 1.0
"""Per (model, target model) pair across modules: a foreign key, many-to-many, relationship, parent link."""
SIGNAL_WEIGHT = 1.0
"""Per (receiver module, signal module) and (receiver module, sender module or sender model's module) pair."""
ROUTE_PREFIX_WEIGHT = 0.5
"""Per pair of modules whose routes share a first path segment (`/orders/...`)."""
ROUTE_PREFIX_MAX_MODULES = 8
"""A prefix shared by more modules (`/api`) is an edge of the whole app, not a capability: no edges."""


@dataclass
class DirectedTie:
    weight: float = 0.0
    count: int = 0
    kinds: set[str] = field(default_factory=set)
    locations: set[Where] = field(default_factory=set)


class Ties:
    """Directed module → module ties with kinds and evidence, and the undirected weighted graph."""

    def __init__(self, facts: ModuleIndex, graphs: LinkedGraphs, recognition: Recognition) -> None:
        self.facts = facts
        self.directed: dict[tuple[str, str], DirectedTie] = {}
        self.call_sites: Counter[tuple[str, str]] = Counter()
        self.called: dict[str, set[str]] = defaultdict(set)  # callee symbol → caller modules
        self.undirected: defaultdict[tuple[str, str], float] = defaultdict(float)
        known = facts.module_set
        for importer, imported, data in graphs.import_graph.edges(data=True):
            if importer in known and imported in known and importer != imported:
                location = (facts.files[importer].path, data.get("line", 1))
                self._add(importer, imported, IMPORT_WEIGHT, "import", location)
        for caller, callee, data in graphs.call_graph.edges(data=True):
            source, target = module_of(caller), module_of(callee)
            if source == target or source not in known or target not in known:
                continue
            if data.get("via_decorator"):
                continue  # a decorator's wrapper "calling" what it decorates: no dependency of the wrapper's module
            self.call_sites[source, target] += 1
            if ":" in callee:
                self.called[callee].add(source)
            location = (facts.files[source].path, data.get("line", 1))
            self._add(source, target, CALL_WEIGHT, "call", location)
        self.accesses = sorted({(a.function, a.model) for a in recognition.model_access})
        self._model_ties(recognition)
        self._signal_ties(recognition)
        self._route_ties(recognition)
        self.graph = self._graph()

    def _add(self, source: str, target: str, weight: float, kind: str, location: Where | None) -> None:
        if target in self.facts.tests and source not in self.facts.tests:
            # Deployed code never depends on test code: such an edge is a test double reached by
            # dispatch on a base class (a fake parser, a stub status manager), not a dependency.
            return
        tie = self.directed.get((source, target))
        if tie is None:
            tie = self.directed[source, target] = DirectedTie()
        tie.weight += weight
        tie.count += 1
        tie.kinds.add(kind)
        if location is not None:
            tie.locations.add(location)
        self.undirected[min(source, target), max(source, target)] += weight

    def _model_ties(self, recognition: Recognition) -> None:
        facts = self.facts
        accessed: dict[tuple[str, str], Where] = {}
        for access in recognition.model_access:
            source = module_of(access.function)
            target = facts.model_module.get(access.model)
            if target is None or source == target or source not in facts.module_set:
                continue
            key = (source, access.model)
            where = (access.location.file, access.location.line)
            if key not in accessed or where < accessed[key]:
                accessed[key] = where
        for (source, symbol), location in sorted(accessed.items()):
            self._add(source, facts.model_module[symbol], MODEL_ACCESS_WEIGHT, "model-access", location)
        related: set[tuple[str, str]] = set()
        for model in recognition.models:
            source = facts.model_module[model.symbol]
            for relation in model.relations:
                target_symbol = facts.model_labels.get(relation.target, relation.target)
                target = facts.model_module.get(target_symbol)
                if target is None or target == source or (model.symbol, target_symbol) in related:
                    continue
                related.add((model.symbol, target_symbol))
                self._add(source, target, MODEL_RELATION_WEIGHT, "model-relation", location_key(model.location))

    def _signal_ties(self, recognition: Recognition) -> None:
        facts = self.facts
        senders: dict[str, set[str]] = defaultdict(set)
        for signal in recognition.signals:
            for location in signal.sent_at:
                module = facts.by_path.get(location.file)
                if module is not None:
                    senders[signal.symbol].add(module)
        seen: set[tuple[str, str]] = set()
        for event in recognition.events:
            receiver = module_of(event.receiver)
            if receiver not in facts.module_set:
                continue
            targets = {module_of(event.signal), *senders.get(event.signal, ())}
            if event.sender:
                sender = facts.model_labels.get(event.sender, event.sender)
                targets.add(facts.model_module.get(sender, module_of(sender)))
            for target in sorted(targets):
                if target in facts.module_set and target != receiver and (receiver, target) not in seen:
                    seen.add((receiver, target))
                    self._add(receiver, target, SIGNAL_WEIGHT, "signal", location_key(event.location))

    def _route_ties(self, recognition: Recognition) -> None:
        by_prefix: dict[str, set[str]] = defaultdict(set)
        for route in recognition.routes:
            module = module_of(route.owner)
            segment = route.path.strip("/").partition("/")[0]
            if module in self.facts.module_set and segment and not segment.startswith("{"):
                by_prefix[segment].add(module)
        for _, modules in sorted(by_prefix.items()):
            if len(modules) > ROUTE_PREFIX_MAX_MODULES:
                continue
            ordered = sorted(modules)
            for index, first in enumerate(ordered):
                for second in ordered[index + 1 :]:
                    self.undirected[first, second] += ROUTE_PREFIX_WEIGHT

    def _graph(self) -> nx.Graph[str]:
        graph: nx.Graph[str] = nx.Graph()
        graph.add_nodes_from(self.facts.modules)
        graph.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(self.undirected.items()))
        return graph
