"""Data access: an inherited DRF write action validates and saves with the view's serializer, running its hooks.

`CreateModelMixin.create` calls `serializer.is_valid()` (the serializer's `validate` and `validate_<field>`
methods) then `serializer.save()`, which calls the serializer's `create(validated_data)`;
`UpdateModelMixin.update` (and `partial_update`) the same with `update(instance, validated_data)`. A project's
serializer that overrides them (nested rows written in `create`, a relation set in `update`) does its work
there, where no call of the project names it: the view's action reaches the methods of the serializer class
(its own or inherited from a class of ours) that the `save` and `is_valid` form hooks name.

An action that writes without reading the view's model first (`create = "w"`, `post` of a `CreateAPIView`)
makes a row: it runs `create`, not `update`; one that reads and writes (`update = "rw"`) changes a row: it
runs `update`, not `create`. A delete runs neither.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from migrate_scan.stages.recognize.data_access_knowledge import READ, WRITE

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess

VALIDATES = "is_valid"
SAVES = "save"
CREATES = "create"
UPDATES = "update"


def save_hooks(
    access: DataAccess, view: str, serializers: Iterable[str], actions: Mapping[str, str], deleting: frozenset[str]
) -> None:
    """The serializer methods each writing action of `view` runs validating and saving its input."""
    classes = [s for s in serializers if s in access.graphs.definitions]
    if not classes:
        return
    hooks = access.known.form_hooks
    for action, mode in sorted(actions.items()):
        if WRITE not in mode or action in deleting:
            continue
        left_out = CREATES if READ in mode else UPDATES  # a change of a row, or a new one
        names = [*hooks.get(VALIDATES, ()), *(n for n in hooks.get(SAVES, ()) if n != left_out)]
        for serializer in classes:
            access.calls[f"{view}.{action}"] |= methods_of(access, serializer, names)


def methods_of(access: DataAccess, serializer: str, names: list[str]) -> set[str]:
    """The methods of ours the serializer class runs for the hook `names` (`validate_`: a prefix), through its MRO."""
    resolver = access.graphs.resolver
    lineage = [serializer, *(a for a in resolver.ancestors(serializer) if a in access.graphs.definitions)]
    wanted: set[str] = set()
    for cls in lineage:
        for method in access.class_methods(cls):
            name = method.rpartition(".")[2]
            if any(name == n or (n.endswith("_") and name.startswith(n)) for n in names):
                wanted.add(name)
    found: set[str] = set()
    for name in sorted(wanted):
        found |= {
            v[4:]
            for v in resolver.class_attribute(serializer, name)
            if v.startswith(("bnd:", "def:")) and v[4:] in access.graphs.definitions
        }
    return found
