"""Data access: a function given as an argument runs on behalf of the call that passes it.

`call_event(manager.order_created, order)` with `def call_event(func, *args): func(*args)`:
the symbol table gives `func` every function any caller passes, so the call graph has an
edge from `call_event` to each of them, and every entry point reaching `call_event`
would reach them all. Here the calls a function makes of its own parameter (directly,
or in a lambda it defines) are replaced by edges from each call site to the functions
that call site passes for that parameter: an entry point reaches only what its own
calls hand over. A function that hands its parameter on to such a parameter of another
(`def notify(func, *a): return call_event(func, *a)`) is a callback caller too, for its
callers.

The nested functions a decorator returns (`def wrapper(*a): return func(*a)`) are left as
they are: their calls of the decorated function are the decorator wrappers' concern.
"""

from __future__ import annotations

from collections import defaultdict

from migrate_scan.model.facts import CallFact, Expr, ExprKind, FileFacts, ParameterFact
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.stages.recognize.expressions import scope_of

LAMBDA_PREFIX = "<lambda@"
STATIC = "staticmethod"

Edge = tuple[str, str]


class Callbacks:
    """Which parameters each function of ours calls, and what each call site passes for them.

    Built once per scan: `dropped` are the call-graph edges from a function to what its
    parameter may be anywhere; `passed` gives, per (caller, callback caller), the functions it hands over.
    """

    def __init__(self, graphs: LinkedGraphs) -> None:
        self.graphs = graphs
        self.params: dict[str, set[str]] = defaultdict(set)  # function → parameters it calls (or hands on)
        self.dropped: set[Edge] = set()
        self.passed: dict[Edge, set[str]] = defaultdict(set)
        self._forwards: list[tuple[str, str, CallFact]] = []  # (function, its parameter, the call handing it on)
        self._by_scope: dict[str, list[CallFact]] = defaultdict(list)
        for facts in graphs.modules.values():
            self._read(facts)
        if self.params:
            self._hand_on()
            self._call_sites()

    def _read(self, facts: FileFacts) -> None:
        """Calls of a parameter (dropped edges), and calls passing a parameter on (for `_hand_on`)."""
        parameters: dict[str, tuple[ParameterFact, ...]] = {
            d.qualname: d.parameters for d in facts.definitions if d.kind in ("function", "lambda")
        }
        for call in facts.calls:
            if not call.scope:
                continue
            self._by_scope[scope_of(facts.module, call.scope)].append(call)
            func = call.call[2][0]
            if func[0] == ExprKind.NAME:
                owner = self._parameter_owner(facts.module, call.scope, str(func[1]), parameters)
                if owner is not None:
                    self._called(facts.module, call, owner, str(func[1]), parameters)
            for value in _arguments(call.call):
                if value[0] == ExprKind.NAME:
                    owner = self._parameter_owner(facts.module, call.scope, str(value[1]), parameters)
                    if owner is not None:
                        self._forwards.append((owner, str(value[1]), call))

    def _parameter_owner(
        self, module: str, qualname: str, name: str, parameters: dict[str, tuple[ParameterFact, ...]]
    ) -> str | None:
        """The function (this one, or the one defining this lambda) whose parameter `name` is, else None."""
        scope = qualname
        while True:
            if any(p.name == name for p in parameters.get(scope, ())):
                site = self.graphs.resolver.binding_site(scope_of(module, qualname), (ExprKind.NAME, name, (), ()))
                owner = scope_of(module, scope)
                return owner if site == f"{owner}|{name}" else None
            if not scope.rpartition(".")[2].startswith(LAMBDA_PREFIX):
                return None
            scope = scope.rpartition(".")[0]

    def _called(
        self, module: str, call: CallFact, owner: str, name: str, parameters: dict[str, tuple[ParameterFact, ...]]
    ) -> None:
        """`func(...)` of parameter `func` of `owner`: its edges go, but to the parameter's default."""
        self.params[owner].add(name)
        caller = scope_of(module, call.scope)
        qualname = owner.partition(":")[2]
        default = next((p.default for p in parameters.get(qualname, ()) if p.name == name), None)
        kept = self.graphs.resolver.values(scope_of(module, qualname.rpartition(".")[0]), default) if default else ()
        for value in self.graphs.resolver.values(caller, call.call[2][0]):
            if value.startswith(("def:", "bnd:")) and value not in kept:
                self.dropped.add((caller, value[4:]))

    def _hand_on(self) -> None:
        """A parameter passed on to a callback parameter of another function is a callback parameter too."""
        changed = True
        while changed:
            changed = False
            for owner, name, call in self._forwards:
                if name in self.params.get(owner, ()):
                    continue
                scope = owner if not call.scope else scope_of(owner.partition(":")[0], call.scope)
                for callee, given in self._callees(scope, call):
                    if any(p in self.params[callee] and _is(expr, name) for p, expr in given):
                        self.params[owner].add(name)
                        changed = True
                        break

    def _callees(self, scope: str, call: CallFact) -> list[tuple[str, list[tuple[str, Expr]]]]:
        """The callback callers `call` may call, each with (its parameter, the argument given for it)."""
        found = []
        for value in self.graphs.resolver.values(scope, call.call[2][0]):
            if not value.startswith(("def:", "bnd:")) or value[4:] not in self.params:
                continue
            definition = self.graphs.definitions.get(value[4:])
            if definition is None:
                continue
            parameters = definition.fact.parameters
            is_static = any(d[:2] == (ExprKind.NAME, STATIC) for d in definition.fact.decorators)
            if value.startswith("bnd:") and not is_static:
                parameters = parameters[1:]
            found.append((value[4:], _given(parameters, call.call)))
        return found

    def _call_sites(self) -> None:
        """Each call of a callback caller: the functions it passes for the parameters called."""
        graph = self.graphs.call_graph
        for callee in sorted(self.params):
            if callee not in graph:
                continue
            for caller in sorted({c for c, _ in graph.in_edges(callee)}):
                for call in self._by_scope.get(caller, ()):
                    for target, given in self._callees(caller, call):
                        if target == callee:
                            self._pass(caller, callee, given)

    def _pass(self, caller: str, callee: str, given: list[tuple[str, Expr]]) -> None:
        forwarded = self.params.get(caller, set())
        for parameter, expr in given:
            if parameter not in self.params[callee] or (expr[0] == ExprKind.NAME and expr[1] in forwarded):
                continue
            for value in self.graphs.resolver.values(caller, expr):
                if value.startswith(("def:", "bnd:")):
                    self.passed[(caller, callee)].add(value[4:])


def _arguments(call: Expr) -> list[Expr]:
    return [*call[2][1:], *(value for _, value in call[3])]


def _is(expr: Expr, name: str) -> bool:
    return expr[0] == ExprKind.NAME and expr[1] == name


def _given(parameters: tuple[ParameterFact, ...], call: Expr) -> list[tuple[str, Expr]]:
    """(parameter, argument) pairs of a call: positional arguments by place, keywords by name."""
    positional = [p.name for p in parameters if p.kind == "positional"]
    pairs = []
    for index, argument in enumerate(call[2][1:]):
        if argument[0] == ExprKind.STARRED or index >= len(positional):
            break
        pairs.append((positional[index], argument))
    names = {p.name for p in parameters}
    pairs += [(name, value) for name, value in call[3] if name is not None and name in names]
    return pairs
