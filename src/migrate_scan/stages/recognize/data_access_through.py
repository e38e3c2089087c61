"""Data access: `Model.relation.through`, the class of a many-to-many relation's rows, names the relation's table.

Django gives every many-to-many field a `through` model (an automatic one, or the model the field names):
`Channel.warehouses.through.objects.filter(channel_id=c)` reads the relation's table, `.bulk_create(...)`
writes it, and a local bound to it (`WarehouseChannel = Channel.warehouses.through`) stands for it in the
same function. Without this, the chain is taken for the model the relation starts from.
"""

from __future__ import annotations

from collections.abc import Mapping

THROUGH_STEP = "through"


def through_tables(through: Mapping[tuple[str, str], str], classes: set[str], steps: list[str]) -> set[str]:
    """The relation tables (or explicit through models) `<class>.<relation>.through` names, for a chain rooted
    at the model classes `classes` with `steps` after them (none for any other chain)."""
    if len(steps) < 2 or steps[1] != THROUGH_STEP:
        return set()
    return {table for model in sorted(classes) if (table := through.get((model, steps[0]))) is not None}
