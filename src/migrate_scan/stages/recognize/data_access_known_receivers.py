"""Data access: a method called on a local whose models are known runs the method those models' MRO finds.

The link stage types a local by every value that reaches it: in
`instance = Attribute(); instance = cls.construct_instance(instance, data); instance.save()` the helper
returns whatever any caller passed it, and the call graph sends `instance.save()` to the `save` of every
such class (an abstract base's override that writes each of its concrete subclasses, another model's
override with its own queries). Where the data-access recognizer knows the models the local holds (the
rows and instances it was bound to in the function), the call runs the method each of those models
finds through its MRO, or the ORM's own when none of ours (the recognizer reaches those itself, as a
`self` variant for the row's model where there is one): the link stage's edges to other classes' methods
of that name are dropped, unless another call of the function reaches them (a receiver it does not know).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from migrate_scan.model.facts import ExprKind, FileFacts
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.stages.recognize.expressions import scope_of

RECEIVERS = frozenset({"self", "cls", "super"})
_OURS = ("def:", "bnd:")


def refuted_edges(
    graphs: LinkedGraphs, modules: Iterable[FileFacts], rows: Mapping[tuple[str, str], set[str]], models: set[str]
) -> set[tuple[str, str]]:
    """The (scope, callee) call-graph edges no call of the scope makes: each call of that name is on a local
    holding rows of known models (`rows`: (scope, local) → models), none of which finds the callee."""
    refuted: dict[tuple[str, str], bool] = {}  # (scope, callee) → refuted by every call of its name
    graph = graphs.call_graph
    methods: dict[str, dict[str, list[str]]] = {}  # scope → name → its call-graph edges to methods of ours
    for facts in modules:
        for call in facts.calls:
            func = call.call[2][0]
            if not call.scope or func[0] != ExprKind.ATTRIBUTE:
                continue
            scope = scope_of(facts.module, call.scope)
            if scope not in methods:
                methods[scope] = _by_name(graphs, scope) if scope in graph else {}
            edges = methods[scope].get(str(func[1]))
            if not edges:
                continue
            owner = func[2][0]
            held = rows.get((scope, str(owner[1]))) if owner[0] == ExprKind.NAME and owner[1] not in RECEIVERS else None
            runs = _runs(graphs, held, str(func[1])) if held and held <= models else None
            for callee in edges:  # a receiver not known (`runs` None): its edges stand
                refuted[(scope, callee)] = (
                    refuted.get((scope, callee), True) and runs is not None and callee not in runs
                )
    return {edge for edge, wrong in refuted.items() if wrong}


def _by_name(graphs: LinkedGraphs, scope: str) -> dict[str, list[str]]:
    """A function's call-graph edges to functions of ours, by the callee's name."""
    found: dict[str, list[str]] = {}
    for callee in graphs.call_graph.successors(scope):
        if callee in graphs.definitions:
            found.setdefault(callee.rpartition(".")[2], []).append(callee)
    return found


def _runs(graphs: LinkedGraphs, held: set[str], name: str) -> set[str]:
    """The methods of ours `<a row of one of held>.name(...)` runs (through each model's MRO)."""
    found: set[str] = set()
    for model in sorted(held):
        found |= {
            v[4:]
            for v in graphs.resolver.class_attribute(model, name)
            if v.startswith(_OURS) and v[4:] in graphs.definitions
        }
    return found
