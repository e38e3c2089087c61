"""Rows a class keeps on `self`: `self.event = Event.get(event_id)` in one method, `self.event.can_manage(user)`
in another.

Request-handler classes load the rows of the request in a first method (`_process_args`, `setup`,
`dispatch`) and use them in the next ones (`_check_access`, `_process`, `get`). What an attribute of
`self` is then follows from what the class's methods assign to it:

- every `self.<name> = <value>` in a method of a class of ours that is no model gives `name` the models of
  the rows `value` is (a chain of a model ending in one row, a row a function of ours returns, an element of
  a tuple one returns, a local bound to one);
- `self.<name>` in a method of a class is then any of the rows assigned to it in the methods of that class,
  of its ancestors and, for a mixin or base class, of the classes it is mixed into (their MROs): the
  handler a route runs is one of those.

Reading its relations, calling its model's methods (which then run) or setting its fields counts as if
the method held that row. A model's own attributes are left to the model (`self` is the row itself), and
an attribute assigned anything that is no row (a number, a form) is no row either.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from migrate_scan.model.facts import Expr, ExprKind
from migrate_scan.stages.recognize.expressions import scope_of

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess


_ROW_VALUES = frozenset({ExprKind.CALL, ExprKind.ATTRIBUTE, ExprKind.SUBSCRIPT, ExprKind.NAME, ExprKind.OTHER})
"""Values that may be a row (a literal never is)."""


class KeptRows:
    """What the attributes of `self` hold, by class (built when first asked; see the module's docstring)."""

    def __init__(self, access: DataAccess) -> None:
        self.access = access
        self._assigned: dict[tuple[str, str], list[tuple[str, Expr]]] | None = None  # (class, name) → values
        self._names: set[str] = set()
        self._models: dict[tuple[str, str], set[str]] = {}  # (class, name) → models
        self._seen: dict[tuple[str, str], set[str]] = {}  # (class of a method, name) → models
        self._asking: set[tuple[str, str]] = set()

    def start(self, scope: str, root: Expr, steps: list[str]) -> tuple[set[str], list[str]] | None:
        """`self.event...` in a method: the models of the rows kept in `event`, and the steps after it."""
        if root[:2] != (ExprKind.NAME, "self") or not steps or steps[0] == "()":
            return None
        assigned = self._index()
        name = steps[0]
        if name not in self._names:
            return None
        owner = scope.partition("@")[0].rpartition(".")[0]
        key = (owner, name)
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = self._of_class(owner, name, assigned)
        return (set(found), steps[1:]) if found else None

    def _of_class(self, owner: str, name: str, assigned: dict[tuple[str, str], list[tuple[str, Expr]]]) -> set[str]:
        access = self.access
        definition = access.graphs.definitions.get(owner)
        if definition is None or definition.fact.kind != "class" or owner in access.models:
            return set()
        resolver = access.graphs.resolver
        found: set[str] = set()
        for cls in sorted({owner, *resolver.ancestors(owner), *access.mixed_into(owner)}):
            if (cls, name) in assigned:
                found |= self._assigned_models(cls, name, assigned[(cls, name)])
        return found

    def _assigned_models(self, cls: str, name: str, values: list[tuple[str, Expr]]) -> set[str]:
        key = (cls, name)
        known = self._models.get(key)
        if known is not None:
            return known
        if key in self._asking:  # `self.event = self.event.series.event`: what it was found to be so far
            return set()
        self._asking.add(key)
        try:
            found: set[str] = set()
            tuples = self.access.tuples
            for scope, value in values:
                found |= {m for m in tuples.models(scope, value, {}, 0) if m in self.access.models}
        finally:
            self._asking.discard(key)
        self._models[key] = found
        return found

    def _index(self) -> dict[tuple[str, str], list[tuple[str, Expr]]]:
        """`self.<name> = <value>` in the methods of the tree's classes: (class, name) → (method, value)."""
        if self._assigned is not None:
            return self._assigned
        assigned: dict[tuple[str, str], list[tuple[str, Expr]]] = defaultdict(list)
        definitions = self.access.graphs.definitions
        for facts in self.access.graphs.modules.values():
            for assignment in facts.assignments:
                value = assignment.value
                if not assignment.scope or value is None or assignment.operator is not None:
                    continue
                if value[0] not in _ROW_VALUES:
                    continue
                for target in assignment.targets:
                    if target[0] != ExprKind.ATTRIBUTE or target[2][0][:2] != (ExprKind.NAME, "self"):
                        continue
                    method = scope_of(facts.module, assignment.scope)
                    owner = method.rpartition(".")[0]
                    if owner in definitions and definitions[owner].fact.kind == "class":
                        assigned[(owner, str(target[1]))].append((method, value))
                        self._names.add(str(target[1]))
        self._assigned = assigned
        return assigned
