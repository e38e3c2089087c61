"""Data access: the helper objects a generic base's method makes from classes the routed class names.

A generic view written in the app builds its helpers from class attributes each concrete view sets, and
calls their methods: `form = self.form(instance=obj)` then `form.is_valid()` and `form.save()`,
`self.filterset(request.GET, queryset)`, `table = self.table(data)` then `table.configure(request)`.
The link stage cannot tell which class `self.form` is: the base leaves it unset (`form = None`) and every
subclass names its own (`form = DeviceForm`). For an entry point served by a class, it is the class that
routed class (or its nearest ancestor of ours) sets the attribute to: making the instance runs that class's
`__init__` (ours, inherited too: a mixin's that adds custom-field inputs from a query), and each method
called on the instance in the same function runs that class's method (a form's `is_valid()` its
`clean_<field>` hooks, as the `form-hooks` knowledge says; `save()` its `save`).

Only a call on `self` of an attribute that some class of ours sets, in its body, to a class of ours counts;
the instance's methods are followed where it is a local of the same function (`x = self.attr(...)`, then
`x.method(...)`) or the call is chained (`self.attr(...).method(...)`). What the helper's methods do is
resolved for that class (`self` in them is the helper), not for every subclass of the base.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from migrate_scan.model.facts import Expr, ExprKind
from migrate_scan.stages.recognize.data_access_bindings import MARK
from migrate_scan.stages.recognize.expressions import scope_of

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess

VARIANT_MARK = "@"
INIT = "__init__"
Made = tuple[tuple[str, tuple[str, ...]], ...]
"""The instances one function makes: (attribute, the methods called on the instance)."""


class RoutedInstances:
    """Which methods of ours the instances a generic base's method makes from `self.<attribute>` run,
    per routed class (memoised)."""

    def __init__(self, access: DataAccess) -> None:
        self.access = access
        self._made: dict[str, Made] | None = None
        self._classes: dict[tuple[str, str], tuple[str, ...]] = {}
        self._runs: dict[tuple[str, tuple[str, ...]], frozenset[str]] = {}
        self._scopes: frozenset[str] = frozenset()

    def scopes(self) -> frozenset[str]:
        """The functions that make an instance of a class attribute on `self`."""
        self._index()
        return self._scopes

    def functions(self, reached: Iterable[str], within: str) -> set[tuple[str, str]]:
        """(function of ours, the helper class it runs for) for the instances that the functions `reached`
        of `within` and its ancestors make."""
        made = self._index()
        lineage = self.access.lineage(within)
        found: set[tuple[str, str]] = set()
        for scope in self._scopes.intersection(reached):
            if _owner(scope) not in lineage:
                continue
            for attribute, methods in made[scope]:
                for cls in self.classes(within, attribute):
                    found.update((function, cls) for function in self._run(cls, methods))
        return found

    def classes(self, within: str, attribute: str) -> tuple[str, ...]:
        """The classes of ours the class `within` (or its nearest ancestor of ours setting it) sets
        `attribute` to (none when that one sets it to something else, `form = None`)."""
        key = (within, attribute)
        known = self._classes.get(key)
        if known is None:
            known = self._classes[key] = self._set_to(within, attribute)
        return known

    def _set_to(self, within: str, attribute: str) -> tuple[str, ...]:
        access = self.access
        graphs = access.graphs
        owners = (within, *(a for a in graphs.resolver.ancestors(within) if a in graphs.definitions))
        for owner in owners:
            if f"{owner}.{attribute}" in graphs.definitions:  # a method of that name: no class attribute
                return ()
            assignment = access.class_assignment(owner, (attribute,))
            if assignment is None:
                continue
            if assignment.value is None or len(assignment.targets) != 1:
                return ()
            definition = graphs.definitions[owner]
            scope = scope_of(definition.module, definition.fact.scope)
            return tuple(
                sorted(
                    {
                        v[4:]
                        for v in graphs.resolver.values(scope, assignment.value)
                        if v.startswith("cls:") and v[4:] in graphs.definitions and v[4:] not in access.models
                    }
                )
            )
        return ()

    def _run(self, cls: str, methods: tuple[str, ...]) -> frozenset[str]:
        """The methods of ours an instance of `cls` runs: its `__init__`, each method called on it, and the
        hooks a call runs (`is_valid` → `clean_<field>`)."""
        key = (cls, methods)
        known = self._runs.get(key)
        if known is not None:
            return known
        access, graphs = self.access, self.access.graphs
        found: set[str] = set()
        for name in (INIT, *methods):
            found.update(
                v[4:]
                for v in graphs.resolver.class_attribute(cls, name)
                if v.startswith(("bnd:", "def:")) and v[4:] in graphs.definitions
            )
        prefixes = tuple(p for m in methods for p in access.known.form_hooks.get(m, ()))
        if prefixes:
            for owner in (cls, *graphs.resolver.ancestors(cls)):
                for symbol in access.class_methods(owner):
                    name = symbol.rpartition(".")[2]
                    if any(name == p or (p.endswith("_") and name.startswith(p)) for p in prefixes):
                        found.add(symbol)
        known = self._runs[key] = frozenset(found)
        return known

    def _index(self) -> dict[str, Made]:
        """Every method's `self.<attribute>(...)` calls of an attribute that some class body of ours sets to a
        class of ours, with the methods called on each instance (indexed once)."""
        if self._made is not None:
            return self._made
        graphs = self.access.graphs
        candidates: dict[str, dict[str, set[str]]] = defaultdict(dict)  # scope → attribute → methods
        for module, facts in graphs.modules.items():
            locals_: dict[tuple[str, str], str] = {}  # (scope, local) → attribute it holds an instance of
            for assignment in facts.assignments:
                value = assignment.value
                if "." not in assignment.scope or value is None or len(assignment.targets) != 1:
                    continue
                attribute = _made_from_self(value)
                target = assignment.targets[0]
                if attribute is not None and target[0] == ExprKind.NAME:
                    locals_[(assignment.scope, str(target[1]))] = attribute
            for call in facts.calls:
                if "." not in call.scope:
                    continue
                func = call.call[2][0]
                scope = scope_of(module, call.scope)
                attribute = _made_from_self(call.call)
                if attribute is not None:
                    candidates[scope].setdefault(attribute, set())
                    continue
                if func[0] != ExprKind.ATTRIBUTE:
                    continue
                receiver = func[2][0]
                held = _made_from_self(receiver)  # `self.attr(...).method(...)`
                if held is None and receiver[0] == ExprKind.NAME:
                    held = locals_.get((call.scope, str(receiver[1])))
                if held is not None:
                    candidates[scope].setdefault(held, set()).add(str(func[1]))
        named = self._set_somewhere({a for made in candidates.values() for a in made})
        self._made = {
            scope: tuple((a, tuple(sorted(m))) for a, m in sorted(made.items()) if a in named)
            for scope, made in candidates.items()
        }
        self._made = {scope: made for scope, made in self._made.items() if made}
        bindings = getattr(graphs.resolver, "bindings", {})  # a call-site variant makes what its helper makes
        self._made.update({v: self._made[h] for v, (h, _) in sorted(bindings.items()) if h in self._made})
        self._scopes = frozenset(self._made)
        return self._made

    def _set_somewhere(self, names: set[str]) -> frozenset[str]:
        """Those of `names` that some class body of ours sets to a class of ours."""
        graphs = self.access.graphs
        classes: dict[str, set[str]] = defaultdict(set)  # module → class qualnames
        for definition in graphs.definitions.values():
            if definition.fact.kind == "class":
                classes[definition.module].add(definition.fact.qualname)
        found: set[str] = set()
        for module, owners in classes.items():
            facts = graphs.modules.get(module)
            for assignment in facts.assignments if facts is not None else ():
                value = assignment.value
                if assignment.scope not in owners or value is None or len(assignment.targets) != 1:
                    continue
                target = assignment.targets[0]
                name = str(target[1])
                if target[0] != ExprKind.NAME or name not in names or name in found:
                    continue
                if value[0] not in (ExprKind.NAME, ExprKind.ATTRIBUTE):
                    continue
                scope = scope_of(module, assignment.scope)
                if any(
                    v.startswith("cls:") and v[4:] in graphs.definitions and v[4:] not in self.access.models
                    for v in graphs.resolver.values(scope, value)
                ):
                    found.add(name)
        return frozenset(found)


def _made_from_self(expr: Expr) -> str | None:
    """`self.<attribute>(...)`: the attribute (None for anything else)."""
    if expr[0] != ExprKind.CALL:
        return None
    func = expr[2][0]
    if func[0] != ExprKind.ATTRIBUTE or func[2][0][:2] != (ExprKind.NAME, "self"):
        return None
    return str(func[1])


def _owner(scope: str) -> str:
    """The class a method (or a variant of it) belongs to."""
    return scope.partition(MARK)[0].partition(VARIANT_MARK)[0].rpartition(".")[0]
