"""`self` in a model's own queryset or manager class: a query of the models that use the class.

`objects = ConfigContextModelQuerySet.as_manager()`, `objects = TreeManager()` (`Manager.from_queryset(...)`):
in a method of that class (or of a base of ours), `self`, `self.all()`, `self.get_queryset()` and
`super().get_queryset()` are queries of every model declaring it. What such a method's lookups join is read
(`self.filter(site__region=r)` joins Site and Region of each of those models; `OuterRef("site__region")` in a
`Q` it builds for a subquery is a path of them too); the models themselves are read where the method is
called (`Device.objects.restrict(user)` reads Device), not in the method shared by all of them.

A method of such a class called on a query nothing names (`queryset.annotate_config_context_data()` on a
`super().get_queryset()` of a mixin) runs that method, when no other class of ours has a method of that name.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from migrate_scan.model.facts import Expr, ExprKind, FileFacts
from migrate_scan.model.ids import Location
from migrate_scan.stages.recognize.data_access_lookups import OUTER, VALUE
from migrate_scan.stages.recognize.expressions import scope_of, string_of

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess, Site

QUERY_GETTERS = ("get_queryset", "all")
"""Steps from a manager or queryset to a query of the same models."""


class QuerysetClasses:
    """The queryset and manager classes of ours behind the Django models' `objects`, and their methods."""

    def __init__(self, access: DataAccess) -> None:
        self.access = access
        graphs = access.graphs
        self.models_of: dict[str, set[str]] = defaultdict(set)  # class of ours → the models using it
        for model in sorted(access.django):
            for cls in access.managers.classes(model):
                for owner in (cls, *graphs.resolver.ancestors(cls)):
                    if owner in graphs.definitions and owner not in access.models:
                        self.models_of[owner].add(model)
        self.by_name: dict[str, set[str]] = defaultdict(set)  # method name → those classes' methods of that name
        elsewhere: set[str] = set()  # names of the methods of every other class of ours
        for owner in sorted(s for s, d in graphs.definitions.items() if d.fact.kind == "class"):
            methods = access.class_methods(owner)
            names = {m.rpartition(".")[2] for m in methods}
            if owner in self.models_of:
                for method in methods:
                    self.by_name[method.rpartition(".")[2]].add(method)
            else:
                elsewhere |= names
        for name in elsewhere | access.known.orm_methods:
            self.by_name.pop(name, None)

    def owner_models(self, scope: str) -> set[str]:
        """The models whose queryset or manager class the function `scope` is a method of."""
        return self.models_of.get(scope.partition("@")[0].rpartition(".")[0], set())

    def unknown_receiver(self, scope: str, call: Expr, method: str, location: Location | Site) -> None:
        """`<receiver>.<method>(...)` where nothing says which model the receiver is."""
        receiver = call[2][0][2][0]
        if method in self.access.known.lookup_methods and _is_self_query(receiver):
            for model in sorted(self.owner_models(scope)):
                self.access.lookups.of_call(scope, model, call, method, location)
        methods = self.by_name.get(method)
        if methods and not any(
            v.startswith(("obj:", "cls:")) for v in self.access.graphs.resolver.values(scope, receiver)
        ):
            self.access.calls[scope] |= methods  # `queryset.annotate_config_context_data()`

    def outer_references(self, facts: FileFacts) -> None:
        """`OuterRef("site__region")` in a method of a model's queryset class: a path of its models' query."""
        lookups = self.access.lookups
        for call in facts.calls:
            func = call.call[2][0]
            if not call.scope or func[0] != ExprKind.NAME or func[1] not in lookups.outer:
                continue
            scope = scope_of(facts.module, call.scope)
            models = self.owner_models(scope)
            text = string_of(call.call[2][1]) if len(call.call[2]) > 1 else None
            if not models or text is None or lookups.kind(scope, call.call) != OUTER:
                continue
            where = Location(file=facts.path, line=call.line)
            for model in sorted(models):
                lookups.path(scope, model, text, VALUE, where)


def _is_self_query(receiver: Expr) -> bool:
    """`self`, `self.all()`, `self.get_queryset()`, `super().get_queryset()`: a query of the class's models."""
    node = receiver
    while node[0] == ExprKind.CALL and node[2][0][0] == ExprKind.ATTRIBUTE and node[2][0][1] in QUERY_GETTERS:
        node = node[2][0][2][0]
    if node[0] == ExprKind.NAME:
        return node[1] == "self"
    return node[0] == ExprKind.CALL and node[2][0][:2] == (ExprKind.NAME, "super")
