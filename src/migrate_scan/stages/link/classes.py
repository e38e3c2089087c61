"""Classes: bases, C3 method resolution order, attributes through the MRO, `super()`, binding.

An internal class's MRO lists internal symbols and, for outside bases, their
dotted names (`flask.views.MethodView`); a lookup that reaches an outside
base answers with that base's attribute (`ext:flask.views:MethodView.get`), and with that of the first
class of the tree after it defining the name (a mixin listed after `db.Model`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from migrate_scan.model.facts import dotted_name
from migrate_scan.stages.link.outside import INSTANCE, NO_TYPES, TypeTable, outside_attribute
from migrate_scan.stages.link.scopes import Scopes
from migrate_scan.stages.link.values import external_dotted, external_symbol


class Classes(Scopes):
    """Class hierarchy and attribute lookup through it."""

    def __init__(self) -> None:
        super().__init__()
        self.bases: dict[str, tuple[str, ...]] = {}
        self._mro: dict[str, tuple[str, ...]] = {}
        # class → (its MRO when computed, the reader lists of its lineage's bases): `ancestors`' bookkeeping, once
        self._base_keys: dict[str, tuple[tuple[str, ...], tuple[list[int], ...]]] = {}
        self._external_origins: dict[str, str] = {}  # dotted external base → its `module:path`
        self._method_kinds: dict[str, str] = {}  # def value → "static", "class" or ""
        self.types: TypeTable = NO_TYPES  # the knowledge table of outside types
        self.subclassed: frozenset[str] = frozenset()  # outside classes the tree subclasses, once solved

    def ancestors(self, class_symbol: str) -> tuple[str, ...]:
        """The MRO of an internal class after itself (C3; external bases by dotted name)."""
        cached = self._mro.get(class_symbol)
        if cached is None:
            self._mro[class_symbol] = ()  # guards against inheritance cycles
            cached = self._mro[class_symbol] = tuple(_c3(self._direct_bases(class_symbol), self.ancestors))
        unit = self._unit
        if unit >= 0:  # a reader of the bases of the class and of each ancestor of ours
            keys = self._base_keys.get(class_symbol)
            if keys is None or keys[0] is not cached:
                keys = self._base_keys[class_symbol] = (
                    cached,
                    tuple(self._readers[("<bases>", o)] for o in (class_symbol, *cached) if ":" in o),
                )
            for readers in keys[1]:
                if not readers or readers[-1] != unit:
                    readers.append(unit)
        return cached

    def _direct_bases(self, class_symbol: str) -> list[str]:
        bases = []
        for value in self.bases.get(class_symbol, ()):
            if value.startswith("cls:"):
                bases.append(value[4:])
            else:
                dotted = external_dotted(value)
                self._external_origins[dotted] = value[4:].replace(INSTANCE, "")
                bases.append(dotted)
        return bases

    def _class_attribute(self, class_symbol: str, name: str, *, bound: bool, skip_self: bool = False) -> set[str]:
        lineage = self.ancestors(class_symbol) if skip_self else (class_symbol, *self.ancestors(class_symbol))
        return self._lookup_in_lineage(lineage, name, bound=bound)

    def class_attribute(self, class_symbol: str, name: str) -> set[str]:
        """What `instance.name` finds through the MRO (bound methods tagged `bnd:`)."""
        return self._class_attribute(class_symbol, name, bound=True)

    def _lookup_in_lineage(self, lineage: Iterable[str], name: str, *, bound: bool) -> set[str]:
        """The first class of the lineage defining `name`; past an outside base (which may or may not
        define it) the first of ours after it that does too (`class User(db.Model, PermissionsMixin)`)."""
        outside: str | None = None
        for owner in lineage:
            if ":" not in owner or owner not in self.scopes:
                if outside is None:
                    outside = self._outside_base_attribute(owner, name, bound=bound)
                continue
            if name not in self.scopes[owner].locals:
                continue
            found = {self._bind(value, bound) for value in self._read((owner, name))}
            return found if outside is None else found | {outside}
        return {outside} if outside is not None else set()

    def outside_classes(self) -> frozenset[str]:
        """The outside classes the tree subclasses, as `module:path`."""
        return frozenset(
            value[4:].replace(INSTANCE, "")
            for bases in self.bases.values()
            for value in bases
            if value.startswith("ext:")
        )

    def _outside_base_attribute(self, base: str, name: str, *, bound: bool) -> str:
        """`name` found on an outside base class: of the class, or (bound) of an instance of it."""
        origin = self._external_origins.get(base) or external_symbol(base)
        if origin.endswith(":"):
            return f"ext:{origin}{name}"
        return outside_attribute(f"ext:{origin}{INSTANCE if bound else ''}", name, self.types)

    def _instance_attribute(self, class_symbol: str, name: str) -> set[str]:
        found: set[str] = set()
        for owner in (class_symbol, *self.ancestors(class_symbol)):
            if ":" in owner:  # an outside base (a dotted name) has no `self.x = ...` of ours: nothing to read
                found.update(self._read((f"obj:{owner}", name)))
        return found

    def _super_attribute(self, target: str, name: str) -> set[str]:
        """`super().name` inside class C: the next class after C in the MRO of the receiver's class."""
        owner, _, receiver = target.partition("|")
        if not receiver or receiver == owner:
            return self._class_attribute(owner, name, bound=True, skip_self=True)
        lineage = (receiver, *self.ancestors(receiver))
        if owner not in lineage:
            return set()  # that receiver cannot reach this method
        return self._lookup_in_lineage(lineage[lineage.index(owner) + 1 :], name, bound=True)

    def _bind(self, value: str, bound: bool) -> str:
        if not value.startswith("def:"):
            return value
        kind = self._method_kinds.get(value)
        if kind is None:
            definition = self.definitions.get(value[4:])
            decorators = {dotted_name(d) for d in definition.fact.decorators} if definition else set()
            kind = "static" if "staticmethod" in decorators else "class" if "classmethod" in decorators else ""
            self._method_kinds[value] = kind
        if kind == "static" or not (bound or kind == "class"):
            return value
        return f"bnd:{value[4:]}"

    def _receiver_classes(self, scope: str) -> set[str]:
        """The classes the method's `self` (or `cls`) may be an instance of, at run time."""
        current: str | None = scope
        while current is not None:
            info = self.scopes.get(current)
            if info is None:
                return set()
            if info.enclosing_class is not None and info.definition is not None and info.definition.parameters:
                first = info.definition.parameters[0].name
                return {v[4:] for v in self._read((current, first)) if v.startswith(("obj:", "cls:"))}
            current = info.parent
        return set()

    def _class_of_method(self, scope: str) -> str | None:
        current: str | None = scope
        while current is not None:
            info = self.scopes.get(current)
            if info is None:
                return None
            if info.enclosing_class is not None:
                return info.enclosing_class
            current = info.parent
        return None

    def iteration_methods(self, class_symbol: str) -> list[str]:
        """`__iter__` of the class and `__next__` of what it returns: what a `for` loop calls."""
        methods: list[str] = []
        for iterator in self._class_attribute(class_symbol, "__iter__", bound=True):
            if not iterator.startswith("bnd:"):
                continue
            methods.append(iterator[4:])
            for returned in self._returns(iterator[4:]):
                if returned.startswith("obj:"):
                    methods.extend(
                        n[4:]
                        for n in self._class_attribute(returned[4:], "__next__", bound=True)
                        if n.startswith("bnd:")
                    )
        return methods


def _c3(bases: list[str], ancestors: Callable[[str], tuple[str, ...]]) -> list[str]:
    """C3 linearisation of a class after itself, given its direct bases.

    Falls back to depth-first order (duplicates dropped) when C3 has no answer.
    """
    sequences = [[base, *(ancestors(base) if ":" in base else ())] for base in bases]
    sequences.append(list(bases))
    result: list[str] = []
    while any(sequences):
        for sequence in sequences:
            if not sequence:
                continue
            head = sequence[0]
            if not any(head in other[1:] for other in sequences):
                break
        else:
            for sequence in sequences:
                for item in sequence:
                    if item not in result:
                        result.append(item)
            return result
        result.append(head)
        sequences = [[s for s in sequence if s != head] for sequence in sequences]
    return result
