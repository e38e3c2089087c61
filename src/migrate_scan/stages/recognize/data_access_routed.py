"""Data access: in a method a generic base class gives its subclasses, the model is the routed class's.

A generic view's handler (`ObjectListView.get` rendering `self.queryset`, `ObjectEditView.post` saving
`self.get_object()`), a base viewset's request hook (`self.queryset.restrict(user)` in `initial`), a base
mutation's `perform_mutation` (`cls._meta.model()`, `cls._meta.model.objects.filter(...)`) name no model
themselves: each concrete subclass binds one (`queryset = Device.objects.all()`, `model = Device`,
`serializer_class = DeviceSerializer`, graphene's `class Meta: model = Device`, which
`__init_subclass_with_meta__` copies into `cls._meta`). Run for a route, `self` (`cls`) is the routed
class: what such a method does to "its" model, it does to the model that class binds, not to the models
of every subclass, and not to none.

The recognizer records these accesses against a stand-in (`~view`: the model of the view's `queryset`,
`model` or `serializer_class`; `~meta`: the class's `Meta.model`), only in the methods of classes that bind
no model themselves (a class that binds one keeps it, as before). For an entry point served by a class,
the stand-ins of the methods of that class and of its ancestors are the models the class binds, with what
a delete of them cascades into and the methods of ours called on them (a custom queryset's `restrict`);
the stand-ins of any other class's methods, and every stand-in outside an entry point, are dropped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from migrate_scan.model.facts import Expr, ExprKind
from migrate_scan.stages.recognize.data_access_bindings import MARK
from migrate_scan.stages.recognize.data_access_cascades import FOUND_ROWS_WRITTEN
from migrate_scan.stages.recognize.expressions import scope_of

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess

STAND_IN = "~"
"""The first character of a stand-in model (no symbol or table starts with it)."""
VIEW = "~view"
"""The model a view class binds (`queryset`, `model`, `serializer_class`)."""
META = "~meta"
"""The model a class's `class Meta: model = ...` binds (graphene's `cls._meta.model`)."""
ATTRIBUTE = "~attr:"
"""Before an attribute's name: the model of the bound class (a model form) the routed class sets it to."""
RECEIVERS = frozenset({"self", "cls"})
MODEL_STEP = "model"
META_STEP = "_meta"
_NAMED = (ExprKind.NAME, ExprKind.ATTRIBUTE)
VARIANT_MARK = "@"
DELETED = "-"


def is_stand_in(model: str) -> bool:
    """Whether a model recorded is a stand-in for the routed class's."""
    return model[:1] == STAND_IN


class StandIn(NamedTuple):
    """A chain rooted at the routed class's model: which stand-in, the steps after it, whether it is the class."""

    model: str
    steps: list[str]
    is_class: bool


class Resolved(NamedTuple):
    """What the stand-ins of an entry point's reach are for its routed class."""

    reads: set[str]
    writes: set[str]
    saves: set[str]
    functions: set[tuple[str, str]]  # (function of ours called on a stand-in, the model it was resolved to)


class RoutedModels:
    """Stand-ins for the routed class's model in generic base classes' methods, resolved per routed class."""

    def __init__(self, access: DataAccess) -> None:
        self.access = access
        self.scopes: set[str] = set()  # functions that recorded an access of a stand-in
        self.calls: dict[str, set[tuple[str, str, bool]]] = defaultdict(set)  # scope → (stand-in, method, is class)
        self._generic: dict[str, bool] = {}
        self._binding: frozenset[str] | None = None
        self._setting: dict[str, dict[str, tuple[str, ...]]] | None = None
        self._named: frozenset[str] | None = None
        self._models: dict[tuple[str, str], tuple[str, ...]] = {}
        self._owned: dict[tuple[str, str], tuple[str, ...] | None] = {}  # (class, stand-in) → what it binds itself
        self._methods: dict[tuple[str, str, bool], frozenset[str]] = {}
        self._scoped: dict[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], Resolved] = {}
        self._uses: dict[str, frozenset[str]] = {}
        self._entry_steps = access.known.view_accessors | {MODEL_STEP, META_STEP}
        self._query_steps = access.known.query_steps | {"()"}

    def stand_in(self, scope: str, root: Expr, steps: list[str]) -> StandIn | None:
        """`self.queryset...`, `self.get_object()...`, `self.model...`, `cls._meta.model...` in a method of a class
        that binds no model: the stand-in and the steps after it (None for anything else)."""
        if not steps or root[0] != ExprKind.NAME or root[1] not in RECEIVERS:
            return None
        first, rest = steps[0], steps[1:]
        if first not in self._entry_steps:  # `self.form(...)`: an instance of the routed class's form
            if rest[:1] != ["()"] or first not in self._attributes():
                return None
            if not self._is_generic(scope.partition(MARK)[0].partition(VARIANT_MARK)[0].rpartition(".")[0]):
                return None
            return StandIn(ATTRIBUTE + first, rest[1:], False)
        if not self._is_generic(scope.partition(MARK)[0].partition(VARIANT_MARK)[0].rpartition(".")[0]):
            return None
        if first == META_STEP:
            return StandIn(META, rest[1:], True) if rest[:1] == [MODEL_STEP] else None
        if first == MODEL_STEP:
            return StandIn(VIEW, rest, True)
        if rest[:1] == ["()"]:
            rest = rest[1:]
        if rest[:1] == [MODEL_STEP]:  # `self.queryset.model`
            return StandIn(VIEW, rest[1:], True)
        return StandIn(VIEW, rest, False)

    @staticmethod
    def rooted(expr: Expr) -> bool:
        """Whether a chain starts at `self` or `cls`."""
        node = expr
        while node[0] in (ExprKind.ATTRIBUTE, ExprKind.CALL, ExprKind.SUBSCRIPT):
            node = node[2][0]
        return node[0] == ExprKind.NAME and node[1] in RECEIVERS

    def passed(self, scope: str, expr: Expr) -> str | None:
        """The stand-in a chain given as an argument (or called) denotes as rows (`self.queryset`,
        `self.get_object()`, `self.queryset.filter(...)`): the routed class's rows are read (None for anything
        else, the class itself included)."""
        steps: list[str] = []
        node = expr
        while node[0] in (ExprKind.ATTRIBUTE, ExprKind.CALL):
            steps.append(str(node[1]) if node[0] == ExprKind.ATTRIBUTE else "()")
            node = node[2][0]
        if not steps or node[0] != ExprKind.NAME or node[1] not in RECEIVERS:
            return None
        steps.reverse()
        found = self.stand_in(scope, node, steps)
        if found is None or found.is_class or any(step not in self._query_steps for step in found.steps):
            return None
        return found.model

    def _is_generic(self, owner: str) -> bool:
        """Whether `owner` is a class of ours that is no model, binds no view model itself, and is a base of a
        class binding one (a custom manager's `self.get_queryset()` is its own query, not a view's)."""
        known = self._generic.get(owner)
        if known is None:
            known = self._generic[owner] = (
                owner not in self.access.models and owner not in self.access.views and owner in self._bases()
            )
        return known

    def _bases(self) -> frozenset[str]:
        """The classes of ours that are (or are ancestors of) a class binding a model: a view's `queryset`,
        `model` or `serializer_class`, a `class Meta: model = ...`."""
        if self._binding is None:
            self._binding = frozenset()  # while indexing: no stand-in
            graphs, found = self.access.graphs, set()
            setting = {owner for owners in self._bound_attributes().values() for owner in owners}
            for symbol, definition in graphs.definitions.items():
                if definition.fact.kind != "class" or symbol in found:
                    continue
                if symbol in setting or any(self._owned_binding(symbol, stand_in) for stand_in in (VIEW, META)):
                    found.add(symbol)
                    found.update(a for a in graphs.resolver.ancestors(symbol) if a in graphs.definitions)
            self._binding = frozenset(found)
        return self._binding

    def _attributes(self) -> frozenset[str]:
        """The names of the class attributes some class of ours sets to a class bound to a model."""
        if self._named is None:
            self._named = frozenset(self._bound_attributes())
        return self._named

    def _bound_attributes(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """Attribute name → the classes of ours setting it in their body to classes bound to a model (a model
        form, serializer or filter set: `form = DeviceForm`) → those models."""
        if self._setting is None:
            self._setting = {}
            access, graphs = self.access, self.access.graphs
            classes: dict[str, dict[str, str]] = {}  # module → class qualname → symbol
            for symbol, definition in graphs.definitions.items():
                if definition.fact.kind == "class":
                    classes.setdefault(definition.module, {})[definition.fact.qualname] = symbol
            for module, owners in classes.items():
                facts = graphs.modules.get(module)
                for assignment in facts.assignments if facts is not None else ():
                    owner, value = owners.get(assignment.scope), assignment.value
                    if owner is None or value is None or value[0] not in _NAMED or len(assignment.targets) != 1:
                        continue
                    target = assignment.targets[0]
                    if target[0] != ExprKind.NAME:
                        continue
                    scope = scope_of(module, graphs.definitions[owner].fact.scope)
                    models = sorted(
                        {access.bound[v[4:]] for v in graphs.resolver.values(scope, value) if v[4:] in access.bound}
                    )
                    if models:
                        self._setting.setdefault(str(target[1]), {}).setdefault(owner, tuple(models))
        return self._setting

    def called(self, scope: str, model: str, method: str, is_class: bool) -> None:
        """`<stand-in>.<method>(...)`: the routed model's own method (or its queryset's) runs when resolved."""
        self.calls[scope].add((model, method, is_class))
        self.scopes.add(scope)

    def models(self, within: str, stand_in: str) -> tuple[str, ...]:
        """The models the routed class `within` (or its nearest ancestor of ours) binds for a stand-in."""
        key = (within, stand_in)
        known = self._models.get(key)
        if known is None:
            known = self._models[key] = self._bound(within, stand_in)
        return known

    def _bound(self, within: str, stand_in: str) -> tuple[str, ...]:
        access = self.access
        if stand_in == VIEW and within in access.views:
            return (access.views[within][0],)
        owners = (within, *(a for a in access.graphs.resolver.ancestors(within) if a in access.graphs.definitions))
        for owner in owners:
            found = self._owned_binding(owner, stand_in)
            if found is not None:
                return found
        return ()

    def _owned_binding(self, owner: str, stand_in: str) -> tuple[str, ...] | None:
        key = (owner, stand_in)
        if key not in self._owned:
            self._owned[key] = self._own_binding(owner, stand_in)
        return self._owned[key]

    def _own_binding(self, owner: str, stand_in: str) -> tuple[str, ...] | None:
        """The models the class `owner` binds in its own body for a stand-in (None when it sets none)."""
        access = self.access
        if stand_in == VIEW:
            found = access.view_model(owner)
            return (found[0],) if found is not None else None
        if stand_in.startswith(ATTRIBUTE):
            name = stand_in[len(ATTRIBUTE) :]
            if access.class_assignment(owner, (name,)) is None:
                return None
            return self._bound_attributes().get(name, {}).get(owner, ())
        assignment = access.class_assignment(f"{owner}.Meta", (MODEL_STEP,))
        if assignment is None or assignment.value is None:
            return None
        definition = access.graphs.definitions[owner]
        scope = scope_of(definition.module, f"{definition.fact.qualname}.Meta")
        return tuple(sorted(access.models_of_class(scope, assignment)))

    def _stand_in_methods(self, model: str, method: str, is_class: bool) -> frozenset[str]:
        key = (model, method, is_class)
        known = self._methods.get(key)
        if known is None:
            known = self._methods[key] = frozenset(self.access.stand_in_methods(model, method, is_class))
        return known

    def resolved(self, reached: Iterable[str], within: str) -> Resolved:
        """The stand-ins recorded by the functions `reached` that are methods of `within` or its ancestors, as
        the models `within` binds (with their delete cascades), and the functions of ours called on them."""
        lineage = self.access.lineage(within)
        found = Resolved(set(), set(), set(), set())
        for scope in self.scopes.intersection(reached):
            owner = scope.partition(MARK)[0].partition(VARIANT_MARK)[0].rpartition(".")[0]
            if owner not in lineage:
                continue
            bound = {stand_in: self.models(within, stand_in) for stand_in in self._used(scope)}
            key = (scope, tuple(sorted(bound.items())))
            scoped = self._scoped.get(key)
            if scoped is None:
                scoped = self._scoped[key] = self._of_scope(scope, bound)
            found.reads.update(scoped.reads)
            found.writes.update(scoped.writes)
            found.saves.update(scoped.saves)
            found.functions.update(scoped.functions)
        return found

    def _used(self, scope: str) -> frozenset[str]:
        """The stand-ins a function's accesses name."""
        known = self._uses.get(scope)
        if known is None:
            access = self.access
            named = [*access.reads.get(scope, ()), *access.writes.get(scope, ())]
            named += [saved.removeprefix(DELETED) for saved in access.saves.get(scope, ())]
            named += [deleted[0] for deleted in access.deletes.get(scope, {})]
            named += [called[0] for called in self.calls.get(scope, ())]
            known = self._uses[scope] = frozenset(m for m in named if is_stand_in(m))
        return known

    def _of_scope(self, scope: str, bound: dict[str, tuple[str, ...]]) -> Resolved:
        """One function's stand-ins as the models `bound` gives them."""
        access = self.access
        found = Resolved(set(), set(), set(), set())
        for stand_in in [m for m in access.reads.get(scope, ()) if is_stand_in(m)]:
            found.reads.update(bound.get(stand_in, ()))
        for stand_in in [m for m in access.writes.get(scope, ()) if is_stand_in(m)]:
            found.writes.update(bound.get(stand_in, ()))
        for saved in access.saves.get(scope, ()):
            bare = saved.removeprefix(DELETED)
            if is_stand_in(bare):
                found.saves.update(saved[: len(saved) - len(bare)] + m for m in bound.get(bare, ()))
        for (stand_in, preview, query), _ in sorted(access.deletes.get(scope, {}).items(), key=lambda i: i[0]):
            if is_stand_in(stand_in):
                self._cascaded(found, bound.get(stand_in, ()), preview, query)
        for stand_in, method, is_class in sorted(self.calls.get(scope, ())):
            for model in bound.get(stand_in, ()):
                found.functions.update((f, model) for f in self._stand_in_methods(model, method, is_class))
        return found

    def _cascaded(self, found: Resolved, models: Iterable[str], preview: str, query: bool) -> None:
        """What deleting rows of `models` sets off (the deletion Collector's reads and writes)."""
        cascades = self.access.cascades
        if cascades is None:
            return
        for model in models:
            deletion = cascades.of(model, preview, query)
            found.reads.update(deletion.reads)
            found.writes.update(deletion.writes)
            if FOUND_ROWS_WRITTEN:
                found.writes.update(deletion.found)
                found.saves.update(DELETED + m for m in deletion.deleted)


def as_row_of(access: DataAccess, model: str, scope: str, models: set[str]) -> set[str]:
    """`models` a function reached for a row of `model` accesses: in a method of the model or of an ancestor
    (a mixin), `self` is that row, not a row of every other subclass of the method's class the link stage
    gives it (`super().save()` in a mixin's `save`), nor the method's class itself (an abstract model)."""
    owner = scope.partition(MARK)[0].partition(VARIANT_MARK)[0].rpartition(".")[0]
    if owner not in access.lineage(model):
        return models
    ancestors = access.graphs.resolver.ancestors
    kept = set()
    for named in models:
        other = named.removeprefix(DELETED)
        if other == model or other not in access.models or (other != owner and owner not in ancestors(other)):
            kept.add(named)
    return kept


def without_stand_ins(models: set[str]) -> set[str]:
    """`models` less the stand-ins (and the deleted stand-ins among saves)."""
    return {m for m in models if not is_stand_in(m.removeprefix(DELETED))}
