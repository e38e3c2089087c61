"""A view's own methods calling what its framework base gives it: `self.get_object()`, `self.get_serializer()`.

A DRF view's own action (`@action def close(self, request, pk)`) that calls an inherited method runs the
hooks that method calls on the class: `self.get_object()` runs the view's `get_queryset` and
`filter_queryset` (what they prefetch and filter is read), `self.get_serializer(...)` its
`get_serializer_class`; the serializer it makes renders its rows (`data_access_serializers`), and runs its
validation and save hooks where the method validates and saves it (`data_access_view_serializers`). Which
inherited method calls which hooks is the `view-method-hooks` knowledge. A method the class (or a base
of ours) defines itself is an ordinary call: the call graph has it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from migrate_scan.stages.recognize.data_access_view_serializers import SERIALIZER_CALL, serializer_uses

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess


def view_method_hooks(access: DataAccess) -> None:
    """Add, to each method of ours calling an inherited framework method on `self`, the hooks it runs."""
    table = access.known.view_method_hooks
    if not table:
        return
    definitions = access.graphs.definitions
    resolver = access.graphs.resolver
    for scope, methods in sorted(access.self_calls.items()):
        called = sorted(methods.intersection(table))
        cls = scope.rpartition(".")[0]
        if not called or cls not in definitions or definitions[cls].fact.kind != "class":
            continue
        for method in called:
            if _defined(access, cls, method):
                continue
            for hook in table[method]:
                access.calls[scope] |= {
                    v[4:]
                    for v in resolver.class_attribute(cls, hook)
                    if v.startswith(("bnd:", "def:")) and v[4:] in definitions
                }
            if method == SERIALIZER_CALL:
                access.serializers.rendered_by_view(scope, cls)
                serializer_uses(access, scope, cls)  # `.is_valid()`, `.save()` on it: its hooks


def _defined(access: DataAccess, cls: str, method: str) -> bool:
    """Whether a class of ours (or a base of ours) defines the method."""
    definitions = access.graphs.definitions
    return any(
        v.startswith(("bnd:", "def:")) and v[4:] in definitions
        for v in access.graphs.resolver.class_attribute(cls, method)
    )
