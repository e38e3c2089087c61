"""Query methods a model's manager or queryset class of the tree adds: `Device.objects.restrict(user)`.

`objects = RestrictedQuerySet.as_manager()`, `objects = TreeManager()` (itself
`Manager.from_queryset(TreeQuerySet)`), declared on the model or a base of ours: a method of those classes
called on a query of the model (`self.queryset.restrict(request.user, "view")`) runs that method's body.
"""

from __future__ import annotations

from collections.abc import Callable

from migrate_scan.model.facts import AssignmentFact, Expr
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.stages.recognize.expressions import scope_of

MANAGER_ATTRIBUTES = ("objects",)
"""The class attributes a Django model's default manager is declared as."""


class ManagerMethods:
    """The manager and queryset classes of ours behind each model's `objects` (memoised)."""

    def __init__(
        self,
        graphs: LinkedGraphs,
        models: set[str],
        class_assignment: Callable[[str, tuple[str, ...]], AssignmentFact | None],
    ) -> None:
        self.graphs = graphs
        self.models = models
        self.class_assignment = class_assignment
        self._classes: dict[str, tuple[str, ...]] = {}
        self._methods: dict[tuple[str, str], frozenset[str]] = {}

    def methods(self, model: str, name: str) -> frozenset[str]:
        """The methods named `name` of the manager and queryset classes of ours `model` queries through."""
        known = self._methods.get((model, name))
        if known is None:
            known = self._methods[(model, name)] = frozenset(
                v[4:]
                for owner in self.classes(model)
                for v in self.graphs.resolver.class_attribute(owner, name)
                if v.startswith(("bnd:", "def:")) and v[4:] in self.graphs.definitions
            )
        return known

    def classes(self, model: str) -> tuple[str, ...]:
        """The classes of ours named where the model (or its nearest base of ours declaring it) sets `objects`."""
        known = self._classes.get(model)
        if known is not None:
            return known
        found: set[str] = set()
        for owner in (model, *(a for a in self.graphs.resolver.ancestors(model) if ":" in a)):
            assignment = self.class_assignment(owner, MANAGER_ATTRIBUTES)
            if assignment is None or assignment.value is None:
                continue
            definition = self.graphs.definitions[owner]
            scope = scope_of(definition.module, definition.fact.scope)
            for node in _nodes(assignment.value):
                found |= {
                    v[4:]
                    for v in self.graphs.resolver.values(scope, node)
                    if v.startswith("cls:") and v[4:] in self.graphs.definitions and v[4:] not in self.models
                }
            break
        for cls in sorted(found):  # `class TreeManager(Manager.from_queryset(TreeQuerySet))`: its queryset
            found |= self._queryset_bases(cls)
        known = self._classes[model] = tuple(sorted(found))
        return known

    def _queryset_bases(self, cls: str) -> set[str]:
        """Classes of ours a class's bases name (`Manager.from_queryset(TreeQuerySet)` names TreeQuerySet)."""
        definition = self.graphs.definitions[cls]
        scope = scope_of(definition.module, definition.fact.scope)
        found: set[str] = set()
        for base in definition.fact.bases:
            for node in _nodes(base):
                found |= {
                    v[4:]
                    for v in self.graphs.resolver.values(scope, node)
                    if v.startswith("cls:") and v[4:] in self.graphs.definitions and v[4:] not in self.models
                }
        return found


def _nodes(expr: Expr) -> list[Expr]:
    """Every sub-expression (the expression itself first)."""
    found, pending = [], [expr]
    while pending:
        node = pending.pop()
        found.append(node)
        pending += [*node[2], *(value for _, value in node[3])]
    return found
