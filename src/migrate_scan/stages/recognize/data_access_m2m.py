"""`m2m_changed` receivers: what changing a many-to-many relation sets off.

Django sends `m2m_changed` when a relation's `.add()`, `.remove()`, `.set()` or `.clear()` changes its through
table, with that table's model as the sender: a receiver connected with `sender=Note.tags.through` (or with
the explicit through model, `sender=TaggedItem`) runs for every change of that relation, one without a
sender for every change of any. Such a change is recorded, among the models a function saves one by one,
as `RELATION_CHANGE` + the through table; the receivers are keyed the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from migrate_scan.model.facts import ExprKind
from migrate_scan.model.report import Event

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess

RELATION_CHANGE = "~"
"""Marks a relation's through table (not a model saved) among what a function saves: its `m2m_changed` runs."""
THROUGH = "through"
"""The attribute of a many-to-many field naming its through model (`Note.tags.through`)."""


def relation_sender(access: DataAccess, event: Event) -> str | None:
    """The key of a relation signal's receiver: `RELATION_CHANGE` + the through table it listens to,
    `RELATION_CHANGE` alone for a receiver of every relation, None when the sender names no relation of ours."""
    if event.signal.rpartition(".")[2] not in access.known.relation_signals:
        return None
    sender = event.sender
    if sender is None:
        return RELATION_CHANGE
    if sender in access.models and sender in access.through.values():  # the explicit through model
        return RELATION_CHANGE + sender
    owner, _, rest = sender.partition(".")
    field, _, tail = rest.partition(".")
    if tail != THROUGH:
        return None
    module = event.receiver.partition(":")[0]
    values = access.graphs.resolver.values(module, (ExprKind.NAME, owner, (), ()))
    models = sorted(v[4:] for v in values if v.startswith("cls:") and v[4:] in access.models)
    if not models:  # connected elsewhere than the receiver's module: the model of that name, if one
        models = [m.symbol for m in access.data_models if m.name == owner][:2]
    tables = {access.through[(m, field)] for m in models if (m, field) in access.through}
    return RELATION_CHANGE + tables.pop() if len(tables) == 1 else None
