"""The call graph: from each call's solved callee values to edges between symbols.

Nodes are the tree's modules and definitions, plus outside callees marked
`external=True`. An edge carries the first line of the calls it stands for
and two marks: `wrapped_call` (caller → a function reached only through a
decorator's wrapper) and `via_decorator` (a shared wrapper → every function it
wraps), so closures can follow the first and skip the second. Calls whose
callee resolves to nothing are returned as `UnresolvedCall`s; those that
reach outside code whose path is not evident (see `outside`) name the package.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from migrate_scan.model.facts import (
    AssignmentFact,
    CallFact,
    DefinitionFact,
    ExprKind,
    expression_text,
)
from migrate_scan.model.faults import isolated
from migrate_scan.model.graphs import UnresolvedCall
from migrate_scan.model.ids import Location
from migrate_scan.stages.link.outside import outside_callee, outside_package
from migrate_scan.stages.link.table import SymbolTable
from migrate_scan.stages.link.values import EMPTY

# Builtins that call a function they are given: (name, positional index or keyword).
CALLING_BUILTINS: dict[str, tuple[int | None, str | None]] = {
    "map": (None, None),  # every positional argument that is a function
    "filter": (None, None),
    "sorted": (None, "key"),
    "min": (None, "key"),
    "max": (None, "key"),
}


def callee_symbols(table: SymbolTable, value: str) -> list[str]:
    """The call-graph targets of calling a value (constructors reach `__init__`).

    Memoised on the table once it is solved: the same values are called from
    thousands of places (`bi:len`, a model's constructor).
    """
    if table.is_solved:
        cached = table.callee_cache.get(value)
        if cached is None:
            cached = table.callee_cache[value] = _callee_symbols(table, value)
        return cached
    return _callee_symbols(table, value)


def _callee_symbols(table: SymbolTable, value: str) -> list[str]:
    tag, _, target = value.partition(":")
    if tag in ("def", "bnd"):
        return [target]
    if tag == "wrap":
        return target.split("|")
    if tag in ("cls", "obj"):
        method = "__init__" if tag == "cls" else "__call__"
        return [callee for v in table.class_attribute(target, method) for callee in _method_symbol(table, v)]
    if tag == "ext":
        callee = outside_callee(value, table.types, table.subclassed)
        return [callee] if callee is not None else []
    if tag == "bi":
        return [f"builtins:{target}"]
    return []


def _method_symbol(table: SymbolTable, value: str) -> list[str]:
    if value.startswith("bnd:"):
        return [value[4:]]
    if value.startswith("ext:"):
        callee = outside_callee(value, table.types, table.subclassed)
        return [callee] if callee is not None else []
    return []


def build_call_graph(table: SymbolTable) -> tuple[nx.DiGraph[str], list[UnresolvedCall], int]:
    """The call graph of the solved table, its unresolved calls (sorted) and the count of resolved ones."""
    table.subclassed = table.outside_classes()
    table.callee_cache.clear()  # its answers depend on `subclassed`
    call_graph = _Edges(table)
    unresolved: list[UnresolvedCall] = []
    resolved = 0
    for module, facts in table.modules.items():
        call_graph.add_node(module)
        for definition in facts.definitions:
            call_graph.add_node(f"{module}:{definition.qualname}")
    targets_of: dict[tuple[str, ...], list[str]] = {}  # the same callee values recur across the tree
    for module, facts in table.modules.items():
        with isolated("link", f"module {module}", Location(file=facts.path, line=0)):
            for call in facts.calls:
                caller = f"{module}:{call.scope}" if call.scope else module
                values = table.call_values.get(id(call), ())
                targets = targets_of.get(values)
                if targets is None:
                    targets = targets_of[values] = sorted({t for v in values for t in callee_symbols(table, v)})
                if call.is_implicit:  # only our own constructors are worth an edge (`raise ValueError` is not)
                    targets = [t for t in targets if t.split(":", 1)[0] in table.modules]
                    if not targets:
                        continue
                if not targets and values and all(v.startswith("cls:") for v in values):
                    resolved += 1
                    continue
                if not targets:
                    location = Location(file=facts.path, line=call.line)
                    packages = sorted({outside_package(v) for v in values if v.startswith("ext:")})
                    package = packages[0] if packages else ""
                    unresolved.append(
                        UnresolvedCall(
                            caller, location, expression_text(call.call[2][0], elide_arguments=True), package
                        )
                    )
                    continue
                resolved += 1
                via_decorator = _is_call_of_wrapped_function(table, caller, call)
                behind_wrappers = _behind_wrappers(table, values)
                for target in targets:
                    is_wrapped = target in behind_wrappers
                    call_graph.add_edge(caller, target, call.line, via_decorator=via_decorator, wrapped_call=is_wrapped)
                _add_argument_call_edges(call_graph, table, caller, call)
            for definition in facts.definitions:
                _add_decorator_edges(call_graph, table, module, definition)
            for assignment in facts.assignments:
                if assignment.operator == "iter" and assignment.value is not None:
                    _add_iteration_edges(call_graph, table, module, assignment)
    unresolved.sort(key=lambda u: (u.location.file, u.location.line, u.callee_text))
    return call_graph.graph, unresolved, resolved


def _behind_wrappers(table: SymbolTable, values: Iterable[str]) -> set[str]:
    """The targets a call reaches only through a decorator's wrapper (not called from here directly)."""
    wrappers = [v[5:].split("|") for v in values if v.startswith("wrap:")]
    if not wrappers:
        return set()
    behind = {t for chain in wrappers for t in chain[1:]}
    direct = {t for v in values if not v.startswith("wrap:") for t in callee_symbols(table, v)}
    direct.update(chain[0] for chain in wrappers)
    return behind - direct


def _is_call_of_wrapped_function(table: SymbolTable, caller: str, call: CallFact) -> bool:
    """A decorator (or its wrapper) calling the function it was given.

    Such a call reaches every function the decorator wraps; each call site of a
    decorated function already gets its own edge to that function, so these
    edges are marked and closures can skip them.
    """
    func = call.call[2][0]
    if func[0] != ExprKind.NAME or not table.decorators:
        return False
    kind, where = table.binding(caller, str(func[1]))
    if kind != "local" or where not in table.decorators:
        return False
    definition = table.definitions[where].fact
    return any(p.name == func[1] for p in definition.parameters)


class _Edges:
    """The call graph being built, with an index of its nodes and edges (cheaper to ask than networkx).

    Nodes and edges reach the graph in the order they are first added, as with
    direct `add_node`/`add_edge` calls: later stages iterate the graph in that order.
    """

    def __init__(self, table: SymbolTable) -> None:
        self.graph: nx.DiGraph[str] = nx.DiGraph()
        self._table = table
        self._nodes: set[str] = set()
        self._edges: dict[tuple[str, str], dict[str, Any]] = {}

    def add_node(self, node: str) -> None:
        """One of the tree's modules or definitions."""
        self.graph.add_node(node, external=False)
        self._nodes.add(node)

    def add_edge(
        self, caller: str, callee: str, line: int, *, via_decorator: bool = False, wrapped_call: bool = False
    ) -> None:
        """An edge, or the merge of its marks and first line into the edge already there."""
        data = self._edges.get((caller, callee))
        if data is None:
            if callee not in self._nodes:
                self.graph.add_node(callee, external=callee.split(":", 1)[0] not in self._table.modules)
                self._nodes.add(callee)
            self.graph.add_edge(caller, callee, line=line, via_decorator=via_decorator, wrapped_call=wrapped_call)
            self._nodes.add(caller)
            self._edges[(caller, callee)] = self.graph[caller][callee]
            return
        data["line"] = min(line, data["line"])
        data["via_decorator"] = data["via_decorator"] and via_decorator
        data["wrapped_call"] = data["wrapped_call"] and wrapped_call


def _add_argument_call_edges(graph: _Edges, table: SymbolTable, caller: str, call: CallFact) -> None:
    """`map(f, xs)`, `sorted(xs, key=f)`: the builtin calls `f` on the caller's behalf."""
    _, _, children, keywords = call.call
    for builtin in table.call_values.get(id(call), EMPTY):
        if not builtin.startswith("bi:") or builtin[3:] not in CALLING_BUILTINS:
            continue
        position, keyword = CALLING_BUILTINS[builtin[3:]]
        if position is None:
            arguments = list(children[1:]) if keyword is None else []
        else:
            arguments = [children[1 + position]] if len(children) > 1 + position else []
        arguments += [value for name, value in keywords if name == keyword]
        for argument in arguments:
            for value in table.values(caller, argument, call.line):
                if value.startswith(("def:", "bnd:")):
                    graph.add_edge(caller, value.partition(":")[2], call.line)


def _add_iteration_edges(graph: _Edges, table: SymbolTable, module: str, assignment: AssignmentFact) -> None:
    """A `for` loop over an object calls its `__iter__` and `__next__`."""
    scope = f"{module}:{assignment.scope}" if assignment.scope else module
    assert assignment.value is not None
    for value in table.values(scope, assignment.value, assignment.line):
        if value.startswith("obj:"):
            for method in table.iteration_methods(value[4:]):
                graph.add_edge(scope, method, assignment.line)


def _add_decorator_edges(graph: _Edges, table: SymbolTable, module: str, definition: DefinitionFact) -> None:
    """Applying a decorator calls it, from the scope where the definition runs."""
    scope = f"{module}:{definition.scope}" if definition.scope else module
    for decorator in definition.decorators:
        for value in table.values(scope, decorator, definition.line):
            if value.startswith(("def:", "bnd:", "cls:")):
                for callee in callee_symbols(table, value):
                    if callee.split(":", 1)[0] in table.modules:
                        graph.add_edge(scope, callee, definition.line)
