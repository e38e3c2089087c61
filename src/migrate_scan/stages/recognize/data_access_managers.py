"""Query methods a model's manager or queryset class of the tree adds: `Device.objects.restrict(user)`.

`objects = RestrictedQuerySet.as_manager()`, `objects = TreeManager()` (itself
`Manager.from_queryset(TreeQuerySet)`), declared on the model or a base of ours: a method of those classes
called on a query of the model (`self.queryset.restrict(request.user, "view")`) runs that method's body.

In the methods of a manager or queryset class that only one model queries through (`objects =
CustomFieldManager()` on CustomField alone), `self` is that model's query: `self.get_queryset().filter(
object_types=t)` reads the model and what its lookups join. Only a chain that starts a query
(`self.get_queryset()`, `self.filter(...)...`) is taken: a bare `self.get_or_create(...)` in a cache-filling
`get_for_model` is left as it was (it writes on a cold cache only). A class several models share (a
`RestrictedQuerySet` of every model) stands for none of them there.
"""

from __future__ import annotations

from collections.abc import Callable

from migrate_scan.model.facts import AssignmentFact, Expr
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.stages.recognize.data_access_knowledge import AccessKnowledge
from migrate_scan.stages.recognize.expressions import scope_of

MANAGER_ATTRIBUTES = ("objects",)
"""The class attributes a Django model's default manager is declared as."""
GET_QUERYSET = "get_queryset"


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
        self._sole: dict[str, str] | None = None

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

    def self_query(self, scope: str, steps: list[str], known: AccessKnowledge) -> tuple[str, ...]:
        """`self.get_queryset()...`, `self.filter(...)...` in a method of a manager or queryset class one model
        alone queries through: that model (as a class: a query of it); nothing for anything else."""
        if not steps or (steps[0] != GET_QUERYSET and steps[0] not in known.query_steps):
            return ()
        sole = self.sole_model(scope.rpartition(".")[0])
        return (sole,) if sole is not None else ()

    def sole_model(self, cls: str) -> str | None:
        """The one model that queries through the manager or queryset class `cls` (None: none or several)."""
        if self._sole is None:
            users: dict[str, set[str]] = {}
            for model in sorted(self.models):
                for owner in self.classes(model):
                    users.setdefault(owner, set()).add(model)
            self._sole = {owner: min(models) for owner, models in users.items() if len(models) == 1}
        return self._sole.get(cls)

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
