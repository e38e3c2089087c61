"""Properties of models: reading one on an instance runs its getter.

`user.permissions` is no call, but when `User.permissions` is a `@property` (or a
`cached_property`, a `hybrid_property` read on an instance) whose getter queries
(`Group.query.filter(Group.id.in_(self.group_ids))`), reading it reads those tables. Each
function reading a property of ours on what is known to be an instance of a model (a local
bound to a row, `self` in a model's method, the logged-in user) calls the getter.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from migrate_scan.model.facts import Expr, ExprKind, FileFacts
from migrate_scan.stages.recognize.expressions import scope_of, subexpressions

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess

PROPERTY_DECORATORS = frozenset({"property", "cached_property", "hybrid_property"})
"""Last names of the decorators that make a method an attribute read on the instance."""


def property_getters(access: DataAccess) -> None:
    """Add to each function's calls the getters of the model properties it reads on instances."""
    getters = _getters(access)
    if not getters:
        return
    names = {symbol.rpartition(".")[2] for symbol in getters}
    for facts in access.graphs.modules.values():
        if names.isdisjoint(access.attribute_names.of(facts)):
            continue
        for qualname, line, expr in expressions_of(facts):
            for node in _attributes(expr, names):
                scope = scope_of(facts.module, qualname)
                for model in sorted(_instances_of(access, scope, node[2][0])):
                    for value in access.graphs.resolver.class_attribute(model, str(node[1])):
                        if value[4:] in getters:
                            access.calls[scope].add(value[4:])
                            access.call_lines[(scope, value[4:])].add(line)


def _getters(access: DataAccess) -> set[str]:
    """The property getters defined in classes of the tree (models, their mixins and bases)."""
    found = set()
    for symbol, definition in access.graphs.definitions.items():
        fact = definition.fact
        if fact.kind != "function" or "." not in fact.qualname:
            continue
        if any(last_name(d) in PROPERTY_DECORATORS for d in fact.decorators):
            found.add(symbol)
    return found


def last_name(decorator: Expr) -> str:
    if decorator[0] == ExprKind.CALL:
        decorator = decorator[2][0]
    return str(decorator[1]) if decorator[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE) else ""


def _instances_of(access: DataAccess, scope: str, owner: Expr) -> set[str]:
    """The models `owner` is an instance of (not a class: a hybrid property read on a class is SQL)."""
    return {d.model for d in access.denoted(scope, owner) if not d.is_class and not (d.via is not None and d.is_last)}


def expressions_of(facts: FileFacts) -> Iterator[tuple[str, int, Expr]]:
    """The expressions a function evaluates: calls, assigned values, returns, tests."""
    for call in facts.calls:
        if call.scope:
            yield call.scope, call.line, call.call
    for assignment in facts.assignments:
        if assignment.scope and assignment.value is not None:
            yield assignment.scope, assignment.line, assignment.value
    for returned in facts.returns:
        if returned.scope:
            yield returned.scope, returned.line, returned.value
    for branch in facts.branches:
        if branch.scope:
            yield branch.scope, branch.line, branch.test


class AttributeNames:
    """Module → the attribute names (`x.name`) anywhere in its calls, assignments (values and targets),
    returns and `if` tests, built when first asked: a walk of a module's expressions looking for nodes of
    some names can skip a module that uses none of them (most modules, for most of these walks)."""

    def __init__(self) -> None:
        self._known: dict[str, frozenset[str]] = {}

    def of(self, facts: FileFacts) -> frozenset[str]:
        """The attribute names a module's expressions use."""
        known = self._known.get(facts.module)
        if known is None:
            expressions = [call.call for call in facts.calls]
            expressions += [returned.value for returned in facts.returns]
            expressions += [branch.test for branch in facts.branches]
            for assignment in facts.assignments:
                expressions += assignment.targets
                if assignment.value is not None:
                    expressions.append(assignment.value)
            known = self._known[facts.module] = frozenset(
                str(node[1]) for expr in expressions for node in subexpressions(expr) if node[0] == ExprKind.ATTRIBUTE
            )
        return known


def _attributes(expr: Expr, names: set[str]) -> Iterator[Expr]:
    """The attribute nodes of an expression named in `names`."""
    return (node for node in subexpressions(expr) if node[0] == ExprKind.ATTRIBUTE and node[1] in names)
