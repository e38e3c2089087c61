"""Rows handed along in tuples: `user, source = get_request_user()`, `get_request_user()[0]`.

A loader often returns a row with something about it (`return user, "session"`), and its caller
unpacks the pair or indexes it. The row's model then follows the element, not the whole value:

- `return a, b` (a tuple literal, or a local bound to one) gives, at position i, what its i-th
  element is; a conditional expression either branch's;
- `x, y = f(...)` binds each local to the element of its position of what `f` returns;
  `f(...)[i]` (a constant index) is that element;
- a function of ours returning its own parameter (`def check(user, source): return user, source`)
  gives, for one call, what that call passes (a few calls deep);
- anything else is what the recognizer already knows of the expression (a chain of a model, a row
  a function of ours returns, a local bound to one).

`starts` is asked by the recognizer's chain walk for a chain's root: the models its first element
stands for and the steps after it; None when the root is no such element.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from migrate_scan.model.facts import AssignmentFact, Expr, ExprKind, ReturnFact
from migrate_scan.stages.recognize.data_access_pairs import pair_row

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess

MAX_DEPTH = 4
"""Functions followed through at most this many calls (a loader, the helpers it unpacks)."""
IF_EXPRESSION = "IfExp"
"""The parser's OTHER node of `a if test else b`: children (test, body, orelse)."""

Bound = dict[str, tuple[str, Expr]]
"""A call's arguments by the called function's parameter names: (the caller's scope, the argument)."""


class TupleRows:
    """The models of elements of tuples a function of ours returns (see the module's docstring)."""

    def __init__(self, access: DataAccess) -> None:
        self.access = access
        self._assigned: dict[str, dict[str, list[AssignmentFact]]] = {}  # module → scope → assignments
        self._by_name: dict[str, dict[str, list[AssignmentFact]]] = {}  # scope → name → its assignments
        self._returned: dict[str, dict[str, list[ReturnFact]]] = {}  # module → scope → returns
        self._unpacked: dict[str, set[str]] = {}  # scope → its locals bound by unpacking
        self._active: set[tuple[str, Expr, int]] = set()  # calls whose elements are being found (recursion)
        self._asking: set[tuple[str, str]] = set()  # (scope, local) whose models are being found (recursion)

    # -- what the chain walk asks ----------------------------------------------------------------------

    def starts(self, scope: str, root: Expr, nodes: list[Expr], steps: list[str]) -> tuple[set[str], list[str]] | None:
        """`user.name` with `user, source = f()`; `f()[0].name`: the element's models and the steps after it."""
        if root[0] == ExprKind.NAME and str(root[1]) in self._unpacked_locals(scope):
            found = self.models(scope, root, {}, 0)
            return (found, steps) if found else None
        for position in range(1, len(nodes)):
            node = nodes[position]
            if node[0] == ExprKind.SUBSCRIPT and nodes[position - 1][0] == ExprKind.CALL:
                index = _index(node)
                found = self.element(scope, nodes[position - 1], index, {}, 0) if index is not None else set()
                return (found, steps[position + 1 :]) if found else None
        return None

    def returned(self, function: str, value: Expr) -> set[str]:
        """The models of a returned `pair[0]` or of a local bound by unpacking (none for any other value)."""
        if value[0] == ExprKind.SUBSCRIPT:
            return self.models(function, value, {}, 0)
        return self.local_rows(function, str(value[1])) if value[0] == ExprKind.NAME else set()

    def local_rows(self, scope: str, name: str) -> set[str]:
        """The models of a local some assignment of its scope binds by unpacking (none for any other)."""
        return self._local(scope, name, {}, 0) if name in self._unpacked_locals(scope) else set()

    # -- models of values and elements ---------------------------------------------------------------

    def models(self, scope: str, expr: Expr, bound: Bound, depth: int) -> set[str]:
        """The models of the row `expr` is in `scope` (`bound`: what this call passed the parameters)."""
        kind = expr[0]
        if kind == ExprKind.OTHER and expr[1] == IF_EXPRESSION and len(expr[2]) == 3:
            return self.models(scope, expr[2][1], bound, depth) | self.models(scope, expr[2][2], bound, depth)
        if kind == ExprKind.SUBSCRIPT and (index := _index(expr)) is not None:
            return self.element(scope, expr[2][0], index, bound, depth)
        if kind == ExprKind.NAME:
            return self._local(scope, str(expr[1]), bound, depth)
        if kind in (ExprKind.ATTRIBUTE, ExprKind.CALL):
            access = self.access
            return access.mentioned_models(scope, expr) or access.called_models(scope, expr)
        return set()

    def element(self, scope: str, expr: Expr, index: int, bound: Bound, depth: int) -> set[str]:
        """The models of the `index`-th element of the tuple `expr` is in `scope`."""
        kind = expr[0]
        if kind == ExprKind.TUPLE:
            items = expr[2]
            if index < len(items) and items[index][0] != ExprKind.STARRED:
                return self.models(scope, items[index], bound, depth)
            return set()
        if kind == ExprKind.OTHER and expr[1] == IF_EXPRESSION and len(expr[2]) == 3:
            body = self.element(scope, expr[2][1], index, bound, depth)
            return body | self.element(scope, expr[2][2], index, bound, depth)
        if kind == ExprKind.NAME:
            found: set[str] = set()
            for assignment in self._assignments(scope).get(str(expr[1]), ()):
                if assignment.value is not None and assignment.targets == (expr,):
                    found |= self.element(scope, assignment.value, index, bound, depth)
            return found
        if kind == ExprKind.CALL and (paired := pair_row(self.access, scope, expr, index)):
            return paired  # `tag, created = Tag.objects.get_or_create(...)` (data_access_pairs)
        if kind == ExprKind.CALL and depth < MAX_DEPTH:
            return self._returned_element(scope, expr, index, depth)
        return set()

    def _returned_element(self, scope: str, call: Expr, index: int, depth: int) -> set[str]:
        """The `index`-th element of what the functions of ours a call reaches return."""
        key = (scope, call, index)
        if key in self._active:
            return set()
        self._active.add(key)
        try:
            found: set[str] = set()
            for value in sorted(self.access.graphs.resolver.values(scope, call[2][0])):
                function = value.rpartition("|")[2] if value.startswith("wrap:") else value[4:]  # what it wraps
                if value[:4] not in ("def:", "bnd:", "wrap") or function not in self.access.graphs.definitions:
                    continue
                bound = self._arguments(scope, call, function, value.startswith("bnd:"))
                for returned in self._returns(function):
                    found |= self.element(function, returned.value, index, bound, depth + 1)
            return found
        finally:
            self._active.discard(key)

    def _local(self, scope: str, name: str, bound: Bound, depth: int) -> set[str]:
        """A local's models: what its assignments bind (an element where it is unpacked), or the argument
        this call passed the parameter of that name."""
        key = (scope, name)
        if key in self._asking:
            return set()
        self._asking.add(key)
        try:
            return self._bound_local(scope, name, bound, depth)
        finally:
            self._asking.discard(key)

    def _bound_local(self, scope: str, name: str, bound: Bound, depth: int) -> set[str]:
        found = set(self.access.instances.get((scope, name), ()))
        for assignment in self._assignments(scope).get(name, ()):
            value = assignment.value
            if value is None or assignment.operator == "iter":
                continue
            for target in assignment.targets:
                if target[0] == ExprKind.NAME:
                    found |= self.models(scope, value, bound, depth)
                elif target[0] in (ExprKind.TUPLE, ExprKind.LIST):
                    position = _position(target, name)
                    if position is not None:
                        found |= self.element(scope, value, position, bound, depth)
        argument = bound.get(name)
        if argument is not None and not found:
            found |= self.models(argument[0], argument[1], {}, depth)
        return found

    # -- indexes ---------------------------------------------------------------------------------------

    def _arguments(self, scope: str, call: Expr, function: str, is_bound: bool) -> Bound:
        """The parameters of `function` a call passes, by name (the receiver of a bound method left out)."""
        definition = self.access.graphs.definitions[function]
        parameters = [p.name for p in definition.fact.parameters if p.kind == "positional"]
        if is_bound or (definition.fact.qualname.count(".") and parameters[:1] in (["self"], ["cls"])):
            parameters = parameters[1:]
        bound: Bound = {}
        for parameter, argument in zip(parameters, call[2][1:], strict=False):
            if argument[0] == ExprKind.STARRED:
                break
            bound[parameter] = (scope, argument)
        for name, argument in call[3]:
            if name is not None:
                bound[name] = (scope, argument)
        return bound

    def _assignments(self, scope: str) -> dict[str, list[AssignmentFact]]:
        """The assignments of a scope (a call-site variant's: its function's), by each name they bind."""
        base = scope.partition("@")[0]
        known = self._by_name.get(base)
        if known is not None:
            return known
        module, _, qualname = base.partition(":")
        by_scope = self._assigned.get(module)
        if by_scope is None:
            by_scope = self._assigned[module] = defaultdict(list)
            facts = self.access.graphs.modules.get(module)
            for assignment in facts.assignments if facts is not None else ():
                by_scope[assignment.scope].append(assignment)
        by_name: dict[str, list[AssignmentFact]] = defaultdict(list)
        for assignment in by_scope.get(qualname, ()):
            for target in assignment.targets:
                for name in _names(target):
                    by_name[name].append(assignment)
        self._by_name[base] = by_name
        return by_name

    def _unpacked_locals(self, scope: str) -> set[str]:
        """The locals of a scope some assignment binds by unpacking (`user, source = ...`)."""
        known = self._unpacked.get(scope)
        if known is None:
            known = self._unpacked[scope] = {
                name
                for assignments in self._assignments(scope).values()
                for assignment in assignments
                if assignment.operator != "iter"
                for target in assignment.targets
                if target[0] in (ExprKind.TUPLE, ExprKind.LIST)
                for name in _names(target)
            }
        return known

    def _returns(self, function: str) -> list[ReturnFact]:
        """The `return` statements of a function of ours."""
        definition = self.access.graphs.definitions[function]
        by_scope = self._returned.get(definition.module)
        if by_scope is None:
            by_scope = self._returned[definition.module] = defaultdict(list)
            facts = self.access.graphs.modules.get(definition.module)
            for returned in facts.returns if facts is not None else ():
                if not returned.is_yield:
                    by_scope[returned.scope].append(returned)
        return by_scope.get(definition.fact.qualname, [])


def _index(subscript: Expr) -> int | None:
    """The constant index of `x[0]` (None for any other subscript)."""
    index = subscript[2][1] if len(subscript[2]) > 1 else None
    if index is not None and index[0] == ExprKind.CONSTANT and type(index[1]) is int:
        return int(index[1])
    return None


def _position(target: Expr, name: str) -> int | None:
    """Where `name` is in a flat unpacking target (`user, source`), None when not there or after a `*rest`."""
    for position, item in enumerate(target[2]):
        if item[0] == ExprKind.STARRED:
            return None
        if item[:2] == (ExprKind.NAME, name):
            return position
    return None


def _names(target: Expr) -> list[str]:
    """The names an assignment target binds (those of a flat unpacking target too)."""
    if target[0] == ExprKind.NAME:
        return [str(target[1])]
    if target[0] in (ExprKind.TUPLE, ExprKind.LIST):
        return [str(item[1]) for item in target[2] if item[0] == ExprKind.NAME]
    return []
