"""`self` in an inherited model method: the model of the instance the caller holds, not every subclass.

The link stage is context-insensitive: `self` in a method of an abstract model or a model mixin
(`SortableModel.save`, `CustomFieldsMixin.save`) holds every concrete model any caller called it
on, so `super().save()` in it writes every one of them, and `self.get_ordering_queryset()` runs
every subclass's override, for every caller. A call of such a method on an instance of a known
model (`media.save()`, `super().save()` in `ProductMedia.save`) reaches a variant of the method of
its own instead (`data_access_bindings`: `self` bound to that model), in which the calls on `self`
dispatch through that model's MRO and `super().name` is the next class of that MRO.
"""

from __future__ import annotations

from collections.abc import Mapping

from migrate_scan.model.facts import ExprKind
from migrate_scan.model.graphs import Definition, Resolver

SELF_VARIANTS_MIN_MODELS = 2
"""A method's `self` is bound per call when the link stage gives it instances of at least this many models."""


class Selves:
    """Which methods get a variant per receiver model, and the method `super().name` reaches from a class."""

    def __init__(
        self,
        definitions: Mapping[str, Definition],
        resolver: Resolver,
        models: set[str],
    ) -> None:
        self.definitions = definitions
        self.resolver = resolver
        self.models = models
        self._varies: dict[str, str | None] = {}

    def self_name(self, method: str) -> str | None:
        """The `self` parameter of an instance method whose `self` holds instances of several models
        (an abstract model's or a mixin's method), else None."""
        known = self._varies.get(method, "")
        if known != "":
            return known
        found: str | None = None
        definition = self.definitions.get(method)
        owner = self.definitions.get(method.rpartition(".")[0])
        if (
            definition is not None
            and definition.fact.kind == "function"
            and owner is not None
            and owner.fact.kind == "class"
            and definition.fact.parameters
            and definition.fact.parameters[0].kind == "positional"
            and not any(
                d[0] == ExprKind.NAME and d[1] in ("classmethod", "staticmethod") for d in definition.fact.decorators
            )
        ):
            name = definition.fact.parameters[0].name
            values = self.resolver.values(method, (ExprKind.NAME, name, (), ()))
            held = {v[4:] for v in values if v.startswith("obj:") and v[4:] in self.models}
            found = name if len(held) >= SELF_VARIANTS_MIN_MODELS else None
        self._varies[method] = found
        return found

    def after(self, model: str, owner: str, name: str) -> str | None:
        """The method `super().name` in a method of class `owner` reaches on an instance of `model`: the
        first class after `owner` in `model`'s MRO defining `name` (None: none of ours, or not in it)."""
        lineage = (model, *self.resolver.ancestors(model))
        if owner not in lineage:
            return None
        for cls in lineage[lineage.index(owner) + 1 :]:
            symbol = f"{cls}.{name}"
            if symbol in self.definitions:
                return symbol
        return None
