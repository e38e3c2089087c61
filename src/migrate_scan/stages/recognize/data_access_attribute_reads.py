"""Data access: a Django row's single related row, loaded by reading the relation's attribute.

`order.customer.name`, `request.user.profile`, `if hasattr(user, "profile") and user.profile.blocked`,
`getattr(finding, "test", None)`: reading a forward foreign key or one-to-one field of a row, or a reverse
one-to-one accessor, loads the related row (a query, or a join the query made when it selected it): the
related model's table is read. A to-many relation's attribute (`order.lines`) is a manager and loads nothing
until a method is called on it (counted where that call is read).

The expressions read are those of the module's calls (function and arguments), assignments, returns and `if`
tests, in functions (module and class bodies run at import). Only a chain whose step is a relation of a row
(not a class: `Order.customer` is the field's descriptor) counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from migrate_scan.model.facts import Expr, ExprKind, FileFacts
from migrate_scan.model.ids import Location
from migrate_scan.model.report import DataModel
from migrate_scan.stages.recognize.expressions import scope_of, string_of, subexpressions

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess

SINGLE_KINDS = frozenset({"foreign-key", "one-to-one"})
ATTRIBUTE_CALLS = frozenset({"hasattr", "getattr"})
"""Builtins reading an attribute named by a literal (`hasattr(user, "profile")` loads the profile)."""


def loading_relations(access: DataAccess, data_models: list[DataModel]) -> dict[tuple[str, str], str]:
    """(Django model, attribute) → the model one related row of which reading the attribute loads."""
    found: dict[tuple[str, str], str] = {}
    for model in data_models:
        if model.orm != "django":
            continue
        for relation in model.relations:
            if relation.kind not in SINGLE_KINDS or relation.field is None:
                continue
            target = access.accessors.get((model.symbol, relation.field))
            if target is None:
                continue
            found.setdefault((model.symbol, relation.field), target)
            if relation.kind != "one-to-one":
                continue
            reverse = access.reverse_name(model, relation.kind, relation.field)
            if reverse and "%" not in reverse and not reverse.endswith("+"):
                found.setdefault((target, reverse), model.symbol)
    for symbol in sorted(access.models):  # what a model inherits from its parents of ours
        for ancestor in access.graphs.resolver.ancestors(symbol):
            for (owner, field), target in list(found.items()):
                if owner == ancestor:
                    found.setdefault((symbol, field), target)
    return found


def attribute_reads(access: DataAccess, facts: FileFacts, loading: dict[tuple[str, str], str]) -> None:
    """Record, for one module, the related rows its functions load by reading a relation's attribute."""
    names = {attribute for _, attribute in loading}
    for scope, line, expr in _expressions(facts):
        for node in _attributes(expr, names):
            for denoted in access.denoted(scope, node):
                if denoted.via is not None and denoted.is_last and loading.get(denoted.via) == denoted.model:
                    access.record_read(scope, denoted.model, Location(file=facts.path, line=line))


def _expressions(facts: FileFacts) -> Iterator[tuple[str, int, Expr]]:
    """(function, line, expression) of the module's calls, assignments, returns and `if` tests in functions."""
    module = facts.module
    for call in facts.calls:
        if call.scope:
            yield scope_of(module, call.scope), call.line, call.call
    for assignment in facts.assignments:
        if assignment.scope and assignment.value is not None and assignment.operator != "iter":
            yield scope_of(module, assignment.scope), assignment.line, assignment.value
    for returned in facts.returns:
        if returned.scope:
            yield scope_of(module, returned.scope), returned.line, returned.value
    for branch in facts.branches:
        if branch.scope and branch.kind == "if":
            yield scope_of(module, branch.scope), branch.line, branch.test


def _attributes(expr: Expr, names: set[str]) -> Iterator[Expr]:
    """The attribute steps of an expression naming a relation (`x.customer`), and `hasattr`/`getattr` calls
    reading one by a literal name, as the attribute they read."""
    for node in subexpressions(expr):
        if node[0] == ExprKind.ATTRIBUTE and str(node[1]) in names:
            yield node
        elif node[0] == ExprKind.CALL and node[2][0][:2] in _ATTRIBUTE_FUNCS and len(node[2]) >= 3:
            name = string_of(node[2][2])
            if name in names:
                yield (ExprKind.ATTRIBUTE, name, (node[2][1],), ())


_ATTRIBUTE_FUNCS = frozenset((ExprKind.NAME, name) for name in ATTRIBUTE_CALLS)
