"""Data access: the call declaring a relation a `@declared_attr` method returns (SQLAlchemy declarative mixins).

`class PrincipalMixin: @declared_attr def user(cls): return db.relationship("User", lazy=False)`: the
models recognizer reports `user` as a relation of each model that inherits the method. How it loads
(`lazy=False`: joined with every query of the model) and its `backref` are the keywords of the call the
method returns, where a relation assigned in a class body has them in its assignment.
"""

from __future__ import annotations

from collections import defaultdict

from migrate_scan.model.facts import Expr, ExprKind
from migrate_scan.model.graphs import LinkedGraphs


class DeclaredFields:
    """The calls the decorated methods of our classes return, indexed per module when first asked."""

    def __init__(self, graphs: LinkedGraphs) -> None:
        self.graphs = graphs
        self._returned: dict[str, dict[str, list[Expr]]] = {}  # module → method qualname → calls it returns

    def field_call(self, owners: tuple[str, ...], field: str) -> Expr | None:
        """The call the nearest of `owners` (a class and its ancestors) returns from a decorated method `field`."""
        for owner in owners:
            definition = self.graphs.definitions.get(f"{owner}.{field}")
            if definition is None or definition.fact.kind != "function" or not definition.fact.decorators:
                continue
            calls = self._calls(definition.module).get(definition.fact.qualname)
            if calls:
                return calls[-1]
        return None

    def _calls(self, module: str) -> dict[str, list[Expr]]:
        known = self._returned.get(module)
        if known is None:
            known = self._returned[module] = defaultdict(list)
            facts = self.graphs.modules.get(module)
            for returned in facts.returns if facts is not None else ():
                if returned.value[0] == ExprKind.CALL and not returned.is_yield:
                    known[returned.scope].append(returned.value)
        return known
