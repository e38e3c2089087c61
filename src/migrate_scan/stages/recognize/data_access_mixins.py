"""Rows a mixin's method saves: `db.session.add(self)` in `CRUDMixin.save` writes the caller's row.

`self` in a method of a class that is no model (a mixin several models inherit: `class Category(db.Model,
CRUDMixin)`) is an instance of any of them. Writing it through the session there would write every model
that mixes it in, for whoever calls the method. Instead, each call of the method on a known instance
(`category.save()`: a Category) writes that instance's model, at the call; the method itself records none.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from migrate_scan.model.ids import Location

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess, Site


class MixinRows:
    """The session writes of `self` in mixins' methods, and the calls of those methods on known rows."""

    def __init__(self) -> None:
        self.writes: dict[str, set[str]] = defaultdict(set)  # mixin method → session methods given `self`
        self.calls: list[tuple[str, str, str, Location | Site]] = []  # (caller, model, method, call site)

    def defer(self, access: DataAccess, scope: str, method: str) -> bool:
        """Whether a session write of `self` in `scope` is a mixin's (then kept for its callers)."""
        owner = scope.partition("@")[0].rpartition(".")[0]
        definition = access.graphs.definitions.get(owner)
        if definition is None or definition.fact.kind != "class" or owner in access.models:
            return False
        self.writes[scope.partition("@")[0]].add(method)
        return True

    def called(self, scope: str, model: str, method: str, where: Location | Site) -> None:
        """`instance.method(...)` on a row of `model`: a method of ours called on it."""
        self.calls.append((scope, model, method, where))

    def resolve(self, access: DataAccess) -> None:
        """Each call of a mixin's method on a known row writes that row's model (deletes it, for a delete)."""
        if not self.writes:
            return
        for scope, model, method, where in self.calls:
            for session_method in sorted(self.writes.get(method, ())):
                access.record_row_write(scope, model, where, deleted=session_method in access.known.delete_methods)
