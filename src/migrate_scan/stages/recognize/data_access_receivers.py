"""Which models a method call's receiver can really be, when the link stage gives it several.

The link stage is context-insensitive: a parameter holds every value any caller passed
(`def has_access(obj, user): ... user.is_api_user()` called with a user here and a query
there), and `cls` in a mixin's classmethod is every class that inherits it. A call of a method
narrows that set: `user.is_api_user()` runs only on a receiver whose class has the method.
When some of the candidate models define the method (ours), the others cannot be the receiver
(the call would raise `AttributeError`), unless the method is one the ORM gives every model
(`save`, `delete`, a query step): those are left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from migrate_scan.model.graphs import Definition

D = TypeVar("D", bound=tuple[str, tuple[str, str] | None, bool, bool])


def narrowed(
    denoted: Iterable[D],
    method: str,
    defines: Callable[[str, str], bool],
    orm_methods: frozenset[str],
) -> list[D]:
    """The receivers of `<receiver>.<method>(...)` that may really be called: of the instances (and,
    separately, the classes) the receiver may be, those whose model defines `method` when some do.

    A relation's collection (`user.posts.append(p)`) is no instance of its model: it is kept as is.
    `defines(model, method)`: the model (or an ancestor of ours) defines the method, or a relation of that name.
    """
    found = list(denoted)
    if method in orm_methods or len(found) < 2:
        return found
    kept: list[D] = []
    for is_class in (False, True):
        group = [d for d in found if d[3] == is_class and not (d[1] is not None and d[2])]
        having = {d[0] for d in group if defines(d[0], method)}
        if len({d[0] for d in group}) < 2 or not having:
            kept += group
        else:
            kept += [d for d in group if d[0] in having]
    kept += [d for d in found if d[1] is not None and d[2]]
    return kept


def own_class_values(
    values: frozenset[str],
    scope: str,
    definitions: Mapping[str, Definition],
    ancestors: Callable[[str], tuple[str, ...]],
) -> frozenset[str]:
    """`self` in a method of class K is an instance of K or of a subclass: the other classes the link
    stage gives it are dropped (a call `x.to_dict()` binds every receiver `x` may be to the `self` of
    every `to_dict` it may reach, whichever class each receiver is)."""
    owner = scope.partition("@")[0].rpartition(".")[0]
    if owner not in definitions or definitions[owner].fact.kind != "class":
        return values
    return frozenset(v for v in values if v[:4] not in ("obj:", "cls:") or v[4:] == owner or owner in ancestors(v[4:]))
