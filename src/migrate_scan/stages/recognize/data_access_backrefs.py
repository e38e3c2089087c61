"""Data access: the rows a new row is attached to through a two-way relationship, updated by a `before_update` listener.

`QuerySnippet(org=self.current_org, user=self.current_user, ...)` with `org = relationship(Organization,
backref="query_snippets")`: attaching the snippet appends it to the organization's collection, so the
session flushes the (loaded) organization too, and SQLAlchemy runs its mapper's `before_update` listeners
for it. A listener that changes the row it is given (`@listens_for(TimestampMixin, "before_update",
propagate=True)` setting `target.updated_at`) turns that flush into an `UPDATE organizations`: a write of
the related model, once the session is committed.

Read here: a relationship given as a keyword of a model's constructor (`Model(field=row)`) or assigned on an
instance (`row.field = other`), when the relationship has a `backref` or `back_populates` and its target's
class (or an ancestor of ours) has a `before_update` listener assigning an attribute of its row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from migrate_scan.model.facts import ExprKind, FileFacts
from migrate_scan.model.ids import Location
from migrate_scan.model.report import Event
from migrate_scan.stages.recognize.expressions import keyword, scope_of

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess

UPDATE_EVENT = "before_update"
TWO_WAY = ("backref", "back_populates")


class DirtiedRows:
    """The two-way relationships (model, field) → target whose target a `before_update` listener changes."""

    def __init__(self, access: DataAccess, events: Iterable[Event]) -> None:
        self.access = access
        listened = _changing_listeners(access, events)
        self.fields: dict[tuple[str, str], str] = {}
        if not listened:
            return
        resolver = access.graphs.resolver
        for model, fields in sorted(access.relationships.items()):
            for field, target in sorted(fields.items()):
                if target not in access.models or listened.isdisjoint((target, *resolver.ancestors(target))):
                    continue
                declared = access.field_call(model, field)
                if declared is not None and any(keyword(declared, name) is not None for name in TWO_WAY):
                    self.fields[(model, field)] = target
        self.names = frozenset(field for _, field in self.fields)

    def read(self, facts: FileFacts) -> None:
        """The module's constructor calls and attribute assignments attaching a row through such a relationship."""
        if not self.fields:
            return
        access = self.access
        for call in facts.calls:
            if not call.scope or not call.call[3] or not any(name in self.names for name, _ in call.call[3]):
                continue
            scope = scope_of(facts.module, call.scope)
            built = {
                v[4:] for v in access.graphs.resolver.values(scope, call.call[2][0]) if v.startswith("cls:")
            } & access.models
            for model in sorted(built):
                for name, _ in call.call[3]:
                    self._attached(scope, model, str(name), Location(file=facts.path, line=call.line))
        for assignment in facts.assignments:
            if not assignment.scope:
                continue
            for target in assignment.targets:
                if target[0] != ExprKind.ATTRIBUTE or target[1] not in self.names:
                    continue
                scope = scope_of(facts.module, assignment.scope)
                for model in sorted(access.denoted_models(scope, target[2][0])):
                    self._attached(scope, model, str(target[1]), Location(file=facts.path, line=assignment.line))

    def _attached(self, scope: str, model: str, field: str, where: Location) -> None:
        target = self.fields.get((model, field))
        if target is not None:  # written when the session is committed
            self.access.pending[scope].setdefault(target, where)


def _changing_listeners(access: DataAccess, events: Iterable[Event]) -> frozenset[str]:
    """The classes of ours with a `before_update` listener that assigns an attribute of a parameter (its row)."""
    found: set[str] = set()
    definitions = access.graphs.definitions
    for event in events:
        owner, _, name = event.signal.rpartition(":")
        if event.kind != "sqlalchemy-event" or name != UPDATE_EVENT:
            continue
        module, _, cls = owner.rpartition(".")
        symbol = f"{module}:{cls}"
        receiver = definitions.get(event.receiver)
        if symbol not in definitions or receiver is None or not _changes_row(access, event.receiver):
            continue
        found.add(symbol)
    return frozenset(found)


def _changes_row(access: DataAccess, receiver: str) -> bool:
    """Whether a listener assigns an attribute of one of its parameters (`target.updated_at = now()`)."""
    definition = access.graphs.definitions[receiver]
    facts = access.graphs.modules.get(definition.module)
    parameters = {p.name for p in definition.fact.parameters}
    return facts is not None and any(
        a.scope == definition.fact.qualname
        and any(
            t[0] == ExprKind.ATTRIBUTE and t[2][0][0] == ExprKind.NAME and t[2][0][1] in parameters for t in a.targets
        )
        for a in facts.assignments
    )
