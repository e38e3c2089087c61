"""Data access: which models each function reads and writes, and what each entry point reaches.

Direct access is read from ORM use, the same way for Django and SQLAlchemy:

- a manager or query chain rooted at a model class (`Ticket.objects.filter(...)`,
  `Order.query.filter_by(...)`): a write when the method is one of
  WRITE_METHODS, else a read;
- a method call on an instance of a model (`order.save()`, `ticket.delete()`);
- a session operation on an instance (`db.session.add(order)`, `session.delete(x)`);
- a model class passed to a call (`session.query(Order)`, `select(Order)`,
  `get_object_or_404(Ticket, pk=...)`): a read.

Then, for every route, job, real-time handler and signal receiver, the models
it reads and writes through everything it reaches in the call graph (edges a
shared decorator wrapper makes to every function it wraps are skipped: each
call site has its own edge to the function it really reaches).
"""

from __future__ import annotations

from collections import defaultdict

from migrate_scan.model.facts import CallFact, Expr, ExprKind
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import ModelAccess
from migrate_scan.stages.recognize.expressions import scope_of

WRITE_METHODS = frozenset(
    {
        "create", "bulk_create", "update", "bulk_update", "delete", "save", "get_or_create",
        "update_or_create", "add", "remove", "clear", "set", "merge", "save_base", "insert",
    }
)  # fmt: skip
SESSION_WRITES = frozenset({"add", "add_all", "delete", "merge", "bulk_save_objects"})


class DataAccess:
    """Direct model access per function, and its closure over the call graph.

    Lifecycle: built once from the linked graphs and the model symbols, then
    asked `reached_from(symbol)` for each entry point.
    """

    def __init__(self, graphs: LinkedGraphs, models: set[str]) -> None:
        self.graphs = graphs
        self.models = models
        self.reads: dict[str, set[str]] = defaultdict(set)
        self.writes: dict[str, set[str]] = defaultdict(set)
        self.direct: set[ModelAccess] = set()
        if not models:
            return
        for facts in graphs.modules.values():
            for call in facts.calls:
                scope = scope_of(facts.module, call.scope)
                self._direct(scope, call, Location(file=facts.path, line=call.line))

    def _record(self, scope: str, model: str, is_write: bool, location: Location) -> None:
        (self.writes if is_write else self.reads)[scope].add(model)
        self.direct.add(ModelAccess(function=scope, model=model, is_write=is_write, location=location))

    def accesses(self) -> list[ModelAccess]:
        """Every direct access, first location per (function, model, mode), sorted."""
        first: dict[tuple[str, str, bool], ModelAccess] = {}
        for access in sorted(self.direct, key=lambda a: (a.function, a.model, a.is_write, a.location.line)):
            first.setdefault((access.function, access.model, access.is_write), access)
        return list(first.values())

    def _direct(self, scope: str, call: CallFact, location: Location) -> None:
        resolver = self.graphs.resolver
        func = call.call[2][0]
        arguments = call.call[2][1:]
        method = str(func[1]) if func[0] == ExprKind.ATTRIBUTE else ""
        for model in self._models_at_root(scope, func):
            self._record(scope, model, method in WRITE_METHODS, location)
        for argument in arguments:
            for value in resolver.values(scope, argument):
                tag, _, target = value.partition(":")
                if target not in self.models:
                    continue
                if tag == "cls":
                    self._record(scope, target, False, location)
                elif tag == "obj" and method in SESSION_WRITES:
                    self._record(scope, target, True, location)

    def _models_at_root(self, scope: str, func: Expr) -> set[str]:
        """The model a method-call chain starts from: a model class, or an instance of one."""
        root = func
        while root[0] in (ExprKind.ATTRIBUTE, ExprKind.CALL, ExprKind.SUBSCRIPT):
            root = root[2][0]
        if root is func:
            return set()
        found = set()
        for value in self.graphs.resolver.values(scope, root):
            tag, _, target = value.partition(":")
            if tag in ("cls", "obj") and target in self.models:
                found.add(target)
        return found

    def reached_from(self, symbol: str) -> tuple[list[str], list[str]]:
        """(reads, writes): the models `symbol` touches through everything it calls.

        For a class (a Channels consumer, a resource), everything its methods reach.
        """
        graph = self.graphs.call_graph
        starts = [symbol]
        definition = self.graphs.definitions.get(symbol)
        if definition is not None and definition.fact.kind == "class":
            starts += [s for s in self.graphs.definitions if s.startswith(symbol + ".")]
        seen = set(starts)
        pending = [s for s in starts if s in graph]
        reads = set().union(*(self.reads.get(s, set()) for s in starts))
        writes = set().union(*(self.writes.get(s, set()) for s in starts))
        while pending:
            current = pending.pop()
            reads |= self.reads.get(current, set())
            writes |= self.writes.get(current, set())
            for _, callee, data in graph.out_edges(current, data=True):
                if callee not in seen and not data.get("via_decorator") and not graph.nodes[callee].get("external"):
                    seen.add(callee)
                    pending.append(callee)
        return sorted(reads), sorted(writes)
