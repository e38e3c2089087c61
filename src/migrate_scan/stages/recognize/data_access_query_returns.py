"""Data access: functions of ours returning a query of a model, and the chains built on their result.

`def get_authorized_orders(user): ...; return Order.objects.filter(...).order_by("id")` returns a query of
Order: a chain on its call (`get_authorized_orders(u).prefetch_related("lines", "customer__address")`,
`.filter(lines__product=p)`, `.delete()`) is a chain on that query, so its lookups join what they name and
its writes write Order, as if it were written `Order.objects...` in place.

A function returns a query of a model when one of its return values (or a local a returned name is bound to
in it) is a chain denoting a query of the model that ends in a query builder (`.filter(...)`, `.all()`), a
manager (`Order.objects`) or a call of another such function. A chain running the query (`.count()`,
`.exists()`) returns no query; one returning rows (`.first()`, `get_object_or_404`) is a row function
(`_function_models`), not this.
Recursion stops at a function already being asked (what it returns is then taken as nothing there).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from migrate_scan.model.facts import Expr, ExprKind
from migrate_scan.model.report import TABLE_PREFIX
from migrate_scan.stages.recognize.expressions import returned_expressions

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess

_MANAGERS = frozenset({"objects", "query"})
"""The usual names of a model class's manager (Django) and query property (Flask-SQLAlchemy)."""


class ReturnedQueries:
    """The models each function of ours returns a query of, found when first asked."""

    def __init__(self, access: DataAccess) -> None:
        self.access = access
        self._known: dict[str, frozenset[str]] = {}
        self._asking: set[str] = set()

    def of(self, function: str) -> frozenset[str]:
        """The models `function` returns a query (or the class) of; empty for any other function."""
        known = self._known.get(function)
        if known is not None:
            return known
        if function in self._asking:
            return frozenset()
        self._asking.add(function)
        try:
            found = frozenset(self._returned(function))
        finally:
            self._asking.discard(function)
        self._known[function] = found
        return found

    def _returned(self, function: str) -> set[str]:
        access = self.access
        values = returned_expressions(access.graphs, function)
        found: set[str] = set()
        for value in values:
            if self._builds_query(value):
                found |= {
                    denoted.model
                    for denoted in access.denoted(function, value)
                    if denoted.is_class and denoted.model in access.models and not _is_table_name(denoted.model)
                }
        return found

    def _builds_query(self, value: Expr) -> bool:
        """Whether a returned chain ends in a step giving a query: a query builder (`.filter(...)`, `.all()`), a
        manager (`Order.objects`) or a function's call (what it returns is asked in turn); not a step running
        the query (`.count()`, `.first()`, `.exists()`)."""
        if value[0] == ExprKind.ATTRIBUTE:
            return str(value[1]) in _MANAGERS or str(value[1]) in self.access.known.managers
        if value[0] != ExprKind.CALL:
            return False
        func = value[2][0]
        return func[0] == ExprKind.NAME or (
            func[0] == ExprKind.ATTRIBUTE and str(func[1]) in self.access.known.lazy_methods
        )


def _is_table_name(model: str) -> bool:
    """A table named without a model (`table:<name>`)."""
    return model.startswith(TABLE_PREFIX)
