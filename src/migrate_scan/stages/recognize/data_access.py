"""Data access: which models each function reads and writes, and what each entry point reaches.

Direct access is read from ORM use, the same way for Django and SQLAlchemy:

- a manager or query chain rooted at a model class (`Ticket.objects.filter(...)`,
  `Order.query.filter_by(...)`): a write when the method is one of
  WRITE_METHODS, else a read;
- a method call on an instance of a model (`order.save()`, `ticket.delete()`);
- a session operation on an instance (`db.session.add(order)`, `session.delete(x)`);
- a model class passed to a call (`session.query(Order)`, `select(Order)`,
  `get_object_or_404(Ticket, pk=...)`): a read;
- related managers and relation attributes of an instance (`ticket.comments.create(...)`,
  `order.items.all()`, `line.order.save()`): the model at the end of the relations
  (forward fields, Django reverse accessors by `related_name` or `<model>_set`,
  SQLAlchemy `backref`), given the data models;
- an attribute set on an instance of a model in a function that then commits a
  SQLAlchemy session (`order.status = "paid"; db.session.commit()`): a write;
- class-based views with `queryset = Model.objects...` or `model = Model`
  (DRF viewsets and generic views, Django generic views): each standard action
  the class inherits reads the model, and create/update/destroy write it; in
  the class's own methods `self.get_queryset()`, `self.get_object()`,
  `self.queryset`, `self.object` denote it.

Then, for every route, job, real-time handler and signal receiver, the models
it reads and writes through everything it reaches in the call graph (edges a
shared decorator wrapper makes to every function it wraps are skipped: each
call site has its own edge to the function it really reaches).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.model.facts import AssignmentFact, CallFact, Expr, ExprKind, FileFacts
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import ModelAccess, Recognition
from migrate_scan.model.report import DataModel
from migrate_scan.stages.recognize.expressions import keyword, scope_of, string_of
from migrate_scan.stages.recognize.registry import Product, Recognizer

WRITE_METHODS = frozenset(
    {
        "create", "bulk_create", "update", "bulk_update", "delete", "save", "get_or_create",
        "update_or_create", "add", "remove", "clear", "set", "merge", "save_base", "insert",
    }
)  # fmt: skip
SESSION_WRITES = frozenset({"add", "add_all", "delete", "merge", "bulk_save_objects"})
SESSION_COMMITS = frozenset({"commit", "flush"})
VIEW_ACCESSORS = frozenset({"get_queryset", "get_object", "filter_queryset", "queryset", "object", "object_list"})
_R, _W, _RW = "r", "w", "rw"
_DRF_VIEWSET = {"list": _R, "retrieve": _R, "create": _W, "update": _RW, "partial_update": _RW, "destroy": _RW}
VIEW_ACTIONS: dict[str, dict[str, str]] = {
    "rest_framework.viewsets.ModelViewSet": _DRF_VIEWSET,
    "rest_framework.viewsets.ReadOnlyModelViewSet": {"list": _R, "retrieve": _R},
    "rest_framework.mixins.ListModelMixin": {"list": _R},
    "rest_framework.mixins.RetrieveModelMixin": {"retrieve": _R},
    "rest_framework.mixins.CreateModelMixin": {"create": _W},
    "rest_framework.mixins.UpdateModelMixin": {"update": _RW, "partial_update": _RW},
    "rest_framework.mixins.DestroyModelMixin": {"destroy": _RW},
    "rest_framework.generics.ListAPIView": {"get": _R},
    "rest_framework.generics.RetrieveAPIView": {"get": _R},
    "rest_framework.generics.CreateAPIView": {"post": _W},
    "rest_framework.generics.UpdateAPIView": {"put": _RW, "patch": _RW},
    "rest_framework.generics.DestroyAPIView": {"delete": _RW},
    "rest_framework.generics.ListCreateAPIView": {"get": _R, "post": _W},
    "rest_framework.generics.RetrieveUpdateAPIView": {"get": _R, "put": _RW, "patch": _RW},
    "rest_framework.generics.RetrieveDestroyAPIView": {"get": _R, "delete": _RW},
    "rest_framework.generics.RetrieveUpdateDestroyAPIView": {"get": _R, "put": _RW, "patch": _RW, "delete": _RW},
    "django.views.generic.ListView": {"get": _R},
    "django.views.generic.list.ListView": {"get": _R},
    "django.views.generic.DetailView": {"get": _R},
    "django.views.generic.detail.DetailView": {"get": _R},
    "django.views.generic.CreateView": {"post": _W},
    "django.views.generic.edit.CreateView": {"post": _W},
    "django.views.generic.UpdateView": {"get": _R, "post": _RW},
    "django.views.generic.edit.UpdateView": {"get": _R, "post": _RW},
    "django.views.generic.DeleteView": {"get": _R, "post": _RW, "delete": _RW},
    "django.views.generic.edit.DeleteView": {"get": _R, "post": _RW, "delete": _RW},
}
"""What the standard actions (DRF) or HTTP methods (generic views) a view class inherits do to its model."""
REVERSE_KINDS = frozenset({"foreign-key", "one-to-one", "many-to-many"})


class DataAccess:
    """Direct model access per function, and its closure over the call graph.

    Lifecycle: built once from the linked graphs and the model symbols, then
    asked `reached_from(symbol)` for each entry point.
    """

    def __init__(self, graphs: LinkedGraphs, models: Iterable[str] | Iterable[DataModel]) -> None:
        """`models`: the model symbols, or the data models themselves (which also gives their relations)."""
        given: list[str | DataModel] = list(models)
        data_models = [m for m in given if isinstance(m, DataModel)]
        self.graphs = graphs
        self.models: set[str] = {m.symbol if isinstance(m, DataModel) else m for m in given}
        self.reads: dict[str, set[str]] = defaultdict(set)
        self.writes: dict[str, set[str]] = defaultdict(set)
        self.direct: set[ModelAccess] = set()
        self.accessors: dict[tuple[str, str], str] = {}  # (model, attribute) → the model the relation reaches
        self.views: dict[str, tuple[str, dict[str, str]]] = {}  # view class → (its model, inherited actions)
        if not self.models:
            return
        self._relations(data_models)
        self._views()
        for facts in graphs.modules.values():
            for call in facts.calls:
                scope = scope_of(facts.module, call.scope)
                self._direct(scope, call, Location(file=facts.path, line=call.line))
            self._committed_attributes(facts)

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
        for model in self._models_of(scope, func[2][0]) if method else set():
            self._record(scope, model, method in WRITE_METHODS, location)
        owner = func[2][0] if method else None
        is_self = owner is not None and (_is_self(owner) or (owner[0] == ExprKind.CALL and owner[2][0][1] == "super"))
        view = self.views.get(scope.rpartition(".")[0]) if is_self else None
        if view is not None and method in view[1]:  # self.list(request) in a view's own get()
            self._record_mode(scope, view[0], view[1][method], location)
        elif view is not None and method in VIEW_ACCESSORS:  # ticket = self.get_object()
            self._record(scope, view[0], False, location)
        for argument in arguments:
            for value in resolver.values(scope, argument):
                tag, _, target = value.partition(":")
                if target not in self.models:
                    continue
                if tag == "cls":
                    self._record(scope, target, False, location)
                elif tag == "obj" and method in SESSION_WRITES:
                    self._record(scope, target, True, location)

    def _record_mode(self, scope: str, model: str, mode: str, location: Location) -> None:
        if _R in mode:
            self._record(scope, model, False, location)
        if _W in mode:
            self._record(scope, model, True, location)

    def _models_of(self, scope: str, expr: Expr) -> set[str]:
        """The models an expression denotes: a model class or a chain from one, or an instance of one.

        From an instance, relation attributes are followed as long as they are relations
        (`ticket.comments.filter(...)` is Comment, `line.order` is Order); in a view class's
        methods `self.get_queryset()`, `self.object`, ... are the view's model.
        """
        steps: list[str] = []
        root = expr
        while root[0] in (ExprKind.ATTRIBUTE, ExprKind.CALL, ExprKind.SUBSCRIPT):
            steps.append(str(root[1]) if root[0] == ExprKind.ATTRIBUTE else "()")
            root = root[2][0]
        steps.reverse()
        if root[0] == ExprKind.NAME and root[1] == "super" and steps[:1] == ["()"]:
            steps = steps[1:]
            root = (ExprKind.NAME, "self", (), ())
        starts: set[str] = set()
        view = self.views.get(scope.rpartition(".")[0]) if _is_self(root) else None
        if view is not None and steps[:1] and steps[0] in VIEW_ACCESSORS:
            starts.add(view[0])
            steps = steps[1:]
            if steps[:1] == ["()"]:
                steps = steps[1:]
        else:
            classes: set[str] = set()  # every model the root may be: a loop over models reaches each
            for value in self.graphs.resolver.values(scope, root):
                tag, _, target = value.partition(":")
                if target not in self.models:
                    continue
                if tag == "cls" and steps[:1] != ["()"]:
                    classes.add(target)
                elif tag in ("cls", "obj"):  # an instance (`Order(...)` builds one)
                    starts.add(target)
            if classes:
                return classes
            if steps[:1] == ["()"] and any(v.startswith("cls:") for v in self.graphs.resolver.values(scope, root)):
                steps = steps[1:]
        found = set()
        for model in starts:
            for step in steps:
                reached = self.accessors.get((model, step))
                if reached is None:
                    break
                model = reached
            found.add(model)
        return found

    # -- relations, views, committed attribute writes ------------------------------------------

    def _relations(self, data_models: list[DataModel]) -> None:
        """Relation attributes: forward fields, and Django reverse accessors / SQLAlchemy backrefs."""
        for model in data_models:
            for relation in model.relations:
                if relation.field is None or relation.target not in self.models:
                    continue
                self.accessors.setdefault((model.symbol, relation.field), relation.target)
                declared = self._field_call(model.symbol, relation.field)
                reverse = None
                if model.orm == "django" and relation.kind in REVERSE_KINDS:
                    reverse = string_of(keyword(declared, "related_name"))
                    default = model.name.lower() + ("" if relation.kind == "one-to-one" else "_set")
                    reverse = (reverse or default).replace("%(class)s", model.name.lower())
                elif relation.kind == "relationship":
                    backref = keyword(declared, "backref")
                    if backref is not None and backref[0] == ExprKind.CALL and len(backref[2]) > 1:
                        backref = backref[2][1]  # backref("items", lazy=...)
                    reverse = string_of(backref)
                if reverse and "%" not in reverse and not reverse.endswith("+"):
                    self.accessors.setdefault((relation.target, reverse), model.symbol)

    def _field_call(self, model: str, field: str) -> Expr | None:
        """The call that declares a class attribute, in the class or its ancestors of ours."""
        for owner in (model, *self.graphs.resolver.ancestors(model)):
            assignment = self._class_assignment(owner, (field,))
            if assignment is not None and assignment.value is not None and assignment.value[0] == ExprKind.CALL:
                return assignment.value
        return None

    def _class_assignment(self, owner: str, names: tuple[str, ...]) -> AssignmentFact | None:
        definition = self.graphs.definitions.get(owner)
        facts = self.graphs.modules.get(definition.module) if definition is not None else None
        if definition is None or facts is None:
            return None
        for assignment in facts.assignments:
            if assignment.scope == definition.fact.qualname and any(
                target[0] == ExprKind.NAME and target[1] in names for target in assignment.targets
            ):
                return assignment
        return None

    def _views(self) -> None:
        """Class-based views with a model: what their inherited actions read and write."""
        resolver = self.graphs.resolver
        for symbol, definition in self.graphs.definitions.items():
            if definition.fact.kind != "class":
                continue
            ancestors = resolver.ancestors(symbol)
            actions: dict[str, str] = {}
            for ancestor in ancestors:
                for action, mode in VIEW_ACTIONS.get(ancestor, {}).items():
                    actions[action] = "".join(sorted(set(actions.get(action, "")) | set(mode)))
            if not actions:
                continue
            for owner in (symbol, *(a for a in ancestors if ":" in a)):
                assignment = self._class_assignment(owner, ("queryset", "model"))
                if assignment is None or assignment.value is None:
                    continue
                owner_definition = self.graphs.definitions[owner]
                scope = scope_of(owner_definition.module, owner_definition.fact.scope)
                models = sorted(self._models_of(scope, assignment.value) or self._models_of_class(scope, assignment))
                if not models:
                    break
                location = Location(file=owner_definition.file, line=assignment.line)
                self.views[symbol] = (models[0], actions)
                for action, mode in actions.items():
                    self._record_mode(f"{symbol}.{action}", models[0], mode, location)
                break

    def _models_of_class(self, scope: str, assignment: AssignmentFact) -> set[str]:
        """`model = Ticket`: the class itself."""
        if assignment.value is None:
            return set()
        values = self.graphs.resolver.values(scope, assignment.value)
        return {v[4:] for v in values if v.startswith("cls:") and v[4:] in self.models}

    def _committed_attributes(self, facts: FileFacts) -> None:
        """`order.status = "paid"` then `db.session.commit()` in the same function: a write of Order."""
        commits: dict[str, list[int]] = defaultdict(list)
        for call in facts.calls:
            func = call.call[2][0]
            if func[0] == ExprKind.ATTRIBUTE and func[1] in SESSION_COMMITS and _is_session(func[2][0]):
                commits[call.scope].append(call.line)
        for assignment in facts.assignments:
            lines = commits.get(assignment.scope)
            if not lines or max(lines) < assignment.line:
                continue
            scope = scope_of(facts.module, assignment.scope)
            for target in assignment.targets:
                if target[0] != ExprKind.ATTRIBUTE:
                    continue
                for model in self._models_of(scope, target[2][0]):
                    self._record(scope, model, True, Location(file=facts.path, line=assignment.line))

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


def _is_self(expr: Expr) -> bool:
    return expr[0] == ExprKind.NAME and expr[1] == "self"


def _is_session(expr: Expr) -> bool:
    """`session`, `db.session`, `self.session`, `Session` (a SQLAlchemy session, by its usual names)."""
    name = expr[1] if expr[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE) else None
    return isinstance(name, str) and name.lower().endswith("session")


def with_data_access(graphs: LinkedGraphs, _heuristics: Heuristics, published: Recognition) -> Recognition:
    """Every entry point with the models it reads and writes through all it reaches."""
    access = DataAccess(graphs, published.models)

    def touched(symbol: str) -> dict[str, list[str]]:
        reads, writes = access.reached_from(symbol)
        return {"reads": reads, "writes": writes}

    return Recognition(
        routes=[r.model_copy(update=touched(r.handler)) for r in published.routes],
        jobs=[j.model_copy(update=touched(j.handler)) for j in published.jobs],
        realtime=[r.model_copy(update=touched(r.handler)) for r in published.realtime],
        events=[e.model_copy(update=touched(e.receiver)) for e in published.events],
        model_access=access.accesses(),
    )


RECOGNIZER = Recognizer(
    name="data-access",
    run=with_data_access,
    requires=frozenset({Product.MODELS}),
    refines=frozenset({Product.ROUTES, Product.JOBS, Product.REALTIME, Product.EVENTS}),
    produces=frozenset({Product.MODEL_ACCESS}),
)
