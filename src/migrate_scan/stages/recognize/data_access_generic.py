"""Functions generic over a model class: `def count_related(model, field): model.objects.filter(...)`.

A parameter that the calls of the tree give several model classes (`get_for_model(Device)`,
`get_for_model(Site)`, ...) holds whichever one the caller gave: which table the function queries through
it is the caller's, not every one of them at once. Its class values are left out where the parameter is
used as a query root or passed along (an instance given to a parameter is not affected). A caller of ours
that gives such a parameter a model class, where the function queries through it (`model.objects...`),
reads that model itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from migrate_scan.model.facts import Expr, ExprKind
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.ids import Location
from migrate_scan.stages.recognize.data_access_bindings import MARK, MAX_DEPTH, Bound

RECEIVERS = frozenset({"self", "cls"})
GENERIC_CLASSES = 2
"""A parameter given at least this many model classes is generic over the model."""


class GenericParameters:
    """Which parameters of the tree's functions are generic over the model class (memoised)."""

    def __init__(
        self, graphs: LinkedGraphs, models: set[str], bindings: Mapping[str, tuple[str, Mapping[str, Bound]]]
    ) -> None:
        """`bindings`: call-site variant → (its helper, parameter → the caller's argument)."""
        self.graphs = graphs
        self.models = models
        self.bindings = bindings
        self._parameters: dict[str, tuple[str, ...]] = {}
        self.queried: set[tuple[str, str]] = set()  # (function, parameter) a query is rooted at
        self.passed: list[tuple[str, str, int, str, Location]] = []  # (caller, callee, position, model, where)

    def filtered(self, scope: str, expr: Expr, values: Iterable[str], is_root: bool = False) -> Iterable[str]:
        """`values` of `expr`, without the model classes when `expr` is a generic parameter of `scope`
        (`is_root`: a query chain starts at it)."""
        if expr[0] != ExprKind.NAME or expr[1] in RECEIVERS or str(expr[1]) not in self._names(scope):
            return values
        variant = self.bindings.get(scope)
        argument = variant[1].get(str(expr[1])) if variant is not None else None
        if variant is not None and (argument is None or not self._from_context(argument.scope, argument.expr)):
            return values  # bound to what the caller chose itself (`get(MODELS[kind])`): its values stand
        values = tuple(values)
        classes = [v for v in values if v.startswith("cls:") and v[4:] in self.models]
        if len(classes) < GENERIC_CLASSES:
            return values
        if is_root:
            self.queried.add((scope.partition(MARK)[0], str(expr[1])))
        return tuple(v for v in values if v not in classes)

    def from_context(self, scope: str, expr: Expr) -> bool:
        """Whether a caller's argument comes from the caller's own context (see `_from_context`)."""
        return self._from_context(scope, expr)

    def _from_context(self, scope: str, expr: Expr, depth: int = 0) -> bool:
        """Whether a caller's argument comes from the caller's own context: a parameter of it, or `self`
        (`get_for_model(model)`, `get_for_model(self.model)`, `type(instance)`), not a local choice (through
        the callers of a variant that binds that parameter in turn)."""
        node = expr
        while node[0] in (ExprKind.ATTRIBUTE, ExprKind.CALL, ExprKind.SUBSCRIPT):
            is_type = node[0] == ExprKind.CALL and node[2][0][:2] == (ExprKind.NAME, "type") and len(node[2]) > 1
            node = node[2][1] if is_type else node[2][0]
        if node[0] != ExprKind.NAME:
            return False
        if node[1] in RECEIVERS:
            return True
        if str(node[1]) not in self._names(scope):
            return False
        variant = self.bindings.get(scope)
        argument = variant[1].get(str(node[1])) if variant is not None else None
        if argument is None or depth > MAX_DEPTH:
            return variant is None
        return self._from_context(argument.scope, argument.expr, depth + 1)

    def pass_class(self, caller: str, callees: Iterable[str], position: int, model: str, where: Location) -> None:
        """A call of `caller` gives `model` (a class) as positional argument `position` to functions of ours."""
        for callee in callees:
            self.passed.append((caller, callee, position, model, where))

    def caller_reads(self) -> list[tuple[str, str, Location]]:
        """(caller, model, where): the classes given to generic parameters the functions query through."""
        found = []
        for caller, callee, position, model, where in self.passed:
            names = self._names(callee)
            if names[:1] in (("self",), ("cls",)):
                names = names[1:]
            if position < len(names) and (callee, names[position]) in self.queried:
                found.append((caller, model, where))
        return found

    def _names(self, scope: str) -> tuple[str, ...]:
        """The positional and keyword parameters of a function of ours, or of the helper a call-site variant
        binds (none for anything else)."""
        known = self._parameters.get(scope)
        if known is None:
            definition = self.graphs.definitions.get(scope.partition(MARK)[0])  # a call-site variant: its helper's
            known = ()
            if definition is not None and definition.fact.kind == "function":
                known = tuple(p.name for p in definition.fact.parameters if p.kind in ("positional", "keyword"))
            self._parameters[scope] = known
        return known
