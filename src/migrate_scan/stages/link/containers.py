"""Containers: list, tuple, set and dict literals, their elements, and what flows in and out.

A literal is one abstract container (`seq:<n>`) per expression and scope, named
by a digest of the two (never by a counter: literals are met in an order that
set iteration decides, and the names are compared when a capped value set
picks what it keeps); its
elements are tracked per slot: a constant key or index has its own slot
(`[0]`, `['a']`), everything else goes to `[*]`. Writes (`xs.append(f)`,
`d["k"] = f`, `d.update({...})`) add to slots; reads by a constant key see
that slot (and straight-line overwrites of it), other reads see every slot.
Iteration over containers, generators, `map` objects and instances with
`__iter__`/`__next__` is here too.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from migrate_scan.model.facts import Expr, ExprKind
from migrate_scan.stages.link.classes import Classes
from migrate_scan.stages.link.values import constant_int, slot_of

CONTAINER_TYPES = {
    ExprKind.LIST: "list",
    ExprKind.TUPLE: "tuple",
    ExprKind.SET: "set",
    ExprKind.DICT: "dict",
}
CONTAINER_WRITES = frozenset({"append", "add", "insert", "extend", "update", "setdefault"})


class Containers(Classes):
    """Abstract containers and their element slots."""

    def __init__(self) -> None:
        super().__init__()
        self._sequences: dict[tuple[str, Expr], str] = {}
        self._sequence_members: dict[str, tuple[str, Expr]] = {}
        self._sequence_ids: dict[tuple[str, int], tuple[Expr, str]] = {}  # (scope, id of the literal) → its name
        self._slots: dict[str, set[str]] = defaultdict(set)  # container → element slots written
        self._expanding: set[str] = set()
        # Constant-key writes into literal containers (`d["a"] = f`), for straight-line rebinding.
        self._slot_writes: dict[tuple[str, str], set[tuple[str, int, bool]]] = defaultdict(set)

    def values(self, scope: str, expr: Expr, line: int | None = None) -> frozenset[str]:
        """The tagged values `expr` may denote in `scope` (implemented by `Evaluation`)."""
        raise NotImplementedError

    def _sequence(self, scope: str, expr: Expr) -> str:
        by_identity = self._sequence_ids.get((scope, id(expr)))
        if by_identity is not None and by_identity[0] is expr:
            return by_identity[1]  # this very literal seen before: no hashing of its whole expression
        key = (scope, expr)
        identifier = self._sequences.get(key)
        if identifier is None:
            digest = hashlib.blake2b(repr(key).encode("utf-8", "backslashreplace"), digest_size=8).hexdigest()
            identifier = f"seq:{digest}"
            while identifier in self._sequence_members:  # a 64-bit collision: not expected, still handled
                identifier += "+"
            self._sequences[key] = identifier
            self._sequence_members[identifier] = key
        self._sequence_ids[(scope, id(expr))] = (expr, identifier)  # holds the expression: its id stays its own
        return identifier

    def _elements(
        self, containers: Iterable[str], index: Expr | None = None, at_scope: str | None = None, line: int | None = None
    ) -> set[str]:
        """What subscripting the containers may give; a constant key picks its own slot."""
        requested = slot_of(index) if index is not None else None
        found: set[str] = set()
        for container in containers:
            slot = requested
            if container.startswith("sl:"):
                offset, _, container = container[3:].partition(":")
                position = constant_int(index) if index is not None else None
                slot = f"[{int(offset) + position!r}]" if offset and position is not None and position >= 0 else None
            member = self._sequence_members.get(container)
            if member is None or container in self._expanding:
                continue  # `xs = [xs[0]]`: an element that refers to its own container adds nothing
            self._expanding.add(container)
            try:
                found |= self._container_elements(container, member, slot, at_scope, line)
            finally:
                self._expanding.discard(container)
        return found

    def _container_elements(
        self, container: str, member: tuple[str, Expr], slot: str | None, at_scope: str | None, line: int | None
    ) -> set[str]:
        scope, expr = member
        if slot not in (None, "[*]"):
            keyed = self._keyed_elements(container, scope, expr, slot, at_scope, line)
            if keyed is not None:
                return keyed
        found: set[str] = set()
        for written in self._slots.get(container, ()):
            found.update(self._read((container, written)))
        children = expr[2][1::2] if expr[0] == ExprKind.DICT else expr[2]
        for child in children:
            if child[0] == ExprKind.STARRED:
                found |= self._elements(self.values(scope, child[2][0]))
            elif child[0] != ExprKind.TRUNCATED:
                found.update(self.values(scope, child))
        return found

    def _keyed_elements(
        self, container: str, scope: str, expr: Expr, slot: str | None, at_scope: str | None, line: int | None
    ) -> set[str] | None:
        """The values stored under one constant key, or None when the key cannot be told apart.

        As for plain names, an unconditional write of the key in the same
        straight-line code before `line` hides the literal's value and earlier writes.
        """
        found = set(self._read((container, "[*]")))
        self._depend((container, str(slot)))
        writes = self._slot_writes.get((container, str(slot)), set())
        killers = [
            w for s, w, conditional in writes if s == at_scope and line is not None and w < line and not conditional
        ]
        if killers:
            latest = max(killers)
            for _, written, conditional in writes:
                if written == latest or (conditional and written > latest):
                    found.update(self._assigned.get((container, str(slot), written), ()))
            return found
        found.update(self._read((container, str(slot))))
        children = expr[2]
        if expr[0] == ExprKind.DICT:
            for key, value in zip(children[0::2], children[1::2], strict=False):
                if key[0] != ExprKind.CONSTANT:
                    return None
                if slot_of(key) == slot:
                    found.update(self.values(scope, value))
        elif expr[0] in (ExprKind.LIST, ExprKind.TUPLE):
            if any(c[0] in (ExprKind.STARRED, ExprKind.TRUNCATED) for c in children):
                return None
            for position, child in enumerate(children):
                if f"[{position!r}]" == slot:
                    found.update(self.values(scope, child))
        else:
            return None
        return found

    def _contents(self, container: str) -> list[tuple[str, frozenset[str]]]:
        """A literal container's elements by slot (constant dict keys keep theirs)."""
        member = self._sequence_members.get(container)
        if member is None:
            return []
        scope, expr = member
        if expr[0] == ExprKind.DICT:
            pairs = zip(expr[2][0::2], expr[2][1::2], strict=False)
            return [(slot_of(key), self.values(scope, value)) for key, value in pairs]
        return [("[*]", frozenset(self._elements((container,))))]

    def _mutate_container(
        self, owners: frozenset[str], method: str, arguments: tuple[Expr, ...], positional: list[frozenset[str]]
    ) -> None:
        """`xs.append(f)`, `d.update({...})`, `d.setdefault(k, f)`: values stored into a literal container."""
        containers = [o for o in owners if o.startswith("seq:")]
        if not positional:
            return
        if method in ("update", "extend"):
            stored = {(slot, values) for source in positional[0] for slot, values in self._contents(source)}
        elif method == "setdefault" and len(positional) > 1:
            stored = {(slot_of(arguments[0]), positional[1])}
        elif method == "insert" and len(positional) > 1:
            stored = {("[*]", positional[1])}
        else:
            stored = {("[*]", positional[0])}
        for container in sorted(containers):
            for slot, values in sorted(stored, key=lambda item: (item[0], sorted(item[1]))):
                self._slots[container].add(slot)
                self._add((container, slot), values)

    def _iterate(self, iterables: Iterable[str]) -> set[str]:
        """What a `for` loop over the values yields."""
        found: set[str] = set()
        for iterable in iterables:
            tag, _, target = iterable.partition(":")
            if tag == "seq":
                found |= self._elements((iterable,))
            elif tag == "gen":
                found.update(self._returns(f"yield:{target}"))
            elif tag == "map":
                found.update(self._returns(target))
            elif tag == "obj":
                for method in self.iteration_methods(target):
                    if method.endswith(".__next__"):
                        found.update(self._returns(method))
        return found
