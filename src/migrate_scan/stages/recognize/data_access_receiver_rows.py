"""Signal receivers run for one sender's row: a variant of the receiver per model it is sent rows of.

A receiver connected to several senders (`@receiver(post_save, sender=Finding)`, `... sender=Test`) is one
function whose instance parameter holds a row of any of them; what it does is often decided by that
row's type (`if isinstance(instance, Finding): ...`), or handed on to helpers that decide it
(`sync_tags(instance)` writing `instance.tags`). When saving a `Finding` sets the receiver off, it runs
for a `Finding`: here each (receiver, sender model) gets a call-site variant of the receiver
(`data_access_bindings`) with its instance parameter bound to a row of that model, and the functions
it hands the row on to get variants of their own, so that `isinstance` tests and relation changes on
the row are those of that model (`data_access_narrowing`).

Rows are known for model signals with a sender (`post_save`, `pre_delete`...: the instance is a row of
the sender) and for `m2m_changed` with a relation's through model as sender (the instance is a row of
the model declaring the relation). A receiver without a sender keeps running as itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from migrate_scan.model.report import Event
from migrate_scan.stages.recognize.data_access_m2m import RELATION_CHANGE, relation_sender
from migrate_scan.stages.recognize.data_access_signals import instance_parameter

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess


def receiver_rows(
    access: DataAccess, events: Iterable[Event], typed: Mapping[tuple[str, str], set[str]]
) -> dict[tuple[str, str], str]:
    """(receiver, key) → the receiver's variant for the rows that key sends: a model signal's sender model,
    or `RELATION_CHANGE` + a through table (the model declaring the relation).

    `typed`: (model-signal receiver, its instance parameter) → the sender models.
    """
    binder = access.binder
    if binder is None:
        return {}
    rows: dict[tuple[str, str], set[str]] = defaultdict(set)
    keys: dict[tuple[str, str], set[str]] = defaultdict(set)  # (receiver, model) → the keys it answers
    for (receiver, parameter), models in typed.items():
        rows[(receiver, parameter)] |= models
        for model in models:
            keys[(receiver, model)].add(model)
    owners = _relation_owners(access)
    for event in events:
        key = relation_sender(access, event)
        owner = owners.get(key[len(RELATION_CHANGE) :]) if key is not None and key != RELATION_CHANGE else None
        argument = instance_parameter(access.graphs, event.receiver) if owner is not None else None
        if owner is not None and argument is not None and key is not None:
            rows[(event.receiver, argument)].add(owner)
            keys[(event.receiver, owner)].add(key)
    variants = binder.receiver_variants(rows)
    return {
        (receiver, key): variant
        for (receiver, model), variant in sorted(variants.items())
        for key in sorted(keys.get((receiver, model), ()))
    }


def _relation_owners(access: DataAccess) -> dict[str, str]:
    """Through table → the one model declaring the many-to-many relation stored in it (the instance
    `m2m_changed` sends when that model's side of the relation changes)."""
    found: dict[str, set[str]] = defaultdict(set)
    for data_model in access.data_models:
        for relation in data_model.relations:
            through = access.through.get((data_model.symbol, relation.field or ""))
            if relation.kind == "many-to-many" and through is not None:
                found[through].add(data_model.symbol)
    return {through: next(iter(models)) for through, models in found.items() if len(models) == 1}
