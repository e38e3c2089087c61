"""Link stage: the per-file facts of the whole tree → `LinkedGraphs`.

Resolves every name across modules into one symbol table (imports, aliases,
re-exports through `__init__`, star imports, relative imports, inheritance
with C3 method resolution order, `self`/`cls`/`super()`, instantiation,
decorators, nested functions and closures, lambdas), then builds the module
import graph and the call graph from it.

The resolution is a flow-insensitive points-to analysis in the manner of
PyCG: each variable, attribute, parameter and return holds the set of values
it may have (see `model.graphs` for the value tags), and values flow along
assignments, call arguments, returns and decorator applications until
nothing changes. What it cannot follow (a value computed at run time, a
`getattr` dispatch) resolves to nothing and the call is counted as
unresolved; it is never guessed.
"""

from __future__ import annotations

import bisect
import builtins
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from migrate_scan.model.facts import (
    AssignmentFact,
    CallFact,
    DefinitionFact,
    Expr,
    ExprKind,
    FileFacts,
    ImportFact,
    ParameterFact,
    ReturnFact,
    dotted_name,
)
from migrate_scan.model.graphs import Definition, LinkedGraphs, UnresolvedCall
from migrate_scan.model.ids import Location

BUILTIN_NAMES = frozenset(dir(builtins))
MAX_VALUES = 32
MAX_EVALUATIONS_PER_UNIT = 50  # a safety net: monotone growth under MAX_VALUES ends far sooner
_EMPTY: frozenset[str] = frozenset()
_STRING = frozenset({"lit:str"})
_BYTES = frozenset({"lit:bytes"})
_CONTAINER_TYPES = {
    ExprKind.LIST: "list",
    ExprKind.TUPLE: "tuple",
    ExprKind.SET: "set",
    ExprKind.DICT: "dict",
}
_CONTAINER_WRITES = frozenset({"append", "add", "insert", "extend", "update", "setdefault"})
# Builtins that call a function they are given: (name, positional index or keyword).
_CALLING_BUILTINS: dict[str, tuple[int | None, str | None]] = {
    "map": (None, None),  # every positional argument that is a function
    "filter": (None, None),
    "sorted": (None, "key"),
    "min": (None, "key"),
    "max": (None, "key"),
}


@dataclass
class _Scope:
    """A module body, class body, function or lambda."""

    symbol: str
    module: str
    kind: str  # module, class, function, lambda
    parent: str | None  # the lexically enclosing scope
    definition: DefinitionFact | None = None
    locals: set[str] = field(default_factory=set)
    star_sources: list[str] = field(default_factory=list)
    parent_kind: str = "module"

    @property
    def enclosing_class(self) -> str | None:
        """For a method: the class it is defined in."""
        if self.kind == "function" and self.parent_kind == "class":
            return self.parent
        return None


class SymbolTable:
    """The resolved names of the whole tree; answers what an expression denotes.

    Lifecycle: built from all `FileFacts` by `link()`, which runs `solve()`
    until the value sets stop growing; afterwards it is only read.
    """

    def __init__(self, files: Iterable[FileFacts]) -> None:
        self.modules: dict[str, FileFacts] = {}
        self.duplicate_modules: list[str] = []
        for facts in sorted(files, key=lambda f: f.path):
            if facts.module in self.modules:
                self.duplicate_modules.append(facts.path)
                continue
            self.modules[facts.module] = facts
        self.scopes: dict[str, _Scope] = {}
        self.definitions: dict[str, Definition] = {}
        self.vars: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.returns: dict[str, set[str]] = defaultdict(set)
        self.bases: dict[str, tuple[str, ...]] = {}
        self._mro: dict[str, tuple[str, ...]] = {}
        self._sequences: dict[tuple[str, Expr], str] = {}
        self._sequence_members: dict[str, tuple[str, Expr]] = {}
        self._slots: dict[str, set[str]] = defaultdict(set)  # container → element slots written
        self._expanding: set[str] = set()
        self._external_origins: dict[str, str] = {}  # dotted external base → its `module:path`
        self._method_kinds: dict[str, str] = {}
        self._qualified: dict[tuple[str, int], tuple[str, ...]] = {}  # def value → "static", "class" or ""
        self.generators: set[str] = set()
        # Straight-line rebinding (`a = f` then `a = g`): what each plain assignment binds, by line.
        self._assignment_lines: dict[tuple[str, str], list[tuple[int, bool]]] = defaultdict(list)
        self._assigned: dict[tuple[str, str, int], set[str]] = defaultdict(set)
        self._other_bindings: set[tuple[str, str]] = set()
        self._straight_lines: dict[tuple[str, str], tuple[list[int], list[int]]] = {}
        self._bindings: dict[tuple[str, str], tuple[str, str]] = {}  # (scope, name) → ("local", scope) ...
        # The same for constant-key writes into literal containers (`d["a"] = f`).
        self._slot_writes: dict[tuple[str, str], set[tuple[str, int, bool]]] = defaultdict(set)
        # key → units that read it (a list: far smaller than sets; repeats are harmless, see `_notify`)
        self._readers: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._queue: deque[int] = deque()
        self._queued = bytearray()
        self._unit = -1  # the unit being evaluated; -1 outside `solve`
        self._deferred: set[int] = set()  # definitions waiting for a decorator's value
        self.decorators: set[str] = set()  # our functions used as decorators that return a wrapper
        self._finalizing = False
        # What each call's callee expression denotes at its last evaluation: final once solved.
        self.call_values: dict[int, tuple[str, ...]] = {}  # by id() of the CallFact
        self._exports: dict[str, set[str]] = {}  # module → its literal `__all__`
        self._import_sites: dict[tuple[str, str], ImportFact] = {}  # (scope, bound name) → its import
        self._external_modules: set[str] = set()
        for facts in self.modules.values():
            self._declare_module(facts)
        self._namespaces = {
            prefix for module in self.modules for prefix in _prefixes(module) if prefix not in self.modules
        }
        self._external_modules -= self._namespaces
        self._rebound = {
            key
            for key, bindings in self._assignment_lines.items()
            if len(bindings) > 1 and key not in self._other_bindings
        }

    # -- declarations (once) --------------------------------------------------

    def _declare_module(self, facts: FileFacts) -> None:
        module = facts.module
        self.scopes[module] = _Scope(module, module, "module", None)
        for definition in facts.definitions:
            symbol = f"{module}:{definition.qualname}"
            parent = f"{module}:{definition.scope}" if definition.scope else module
            kind = definition.kind if definition.kind != "class" else "class"
            self.scopes[symbol] = _Scope(symbol, module, kind, parent, definition)
            self.definitions[symbol] = Definition(symbol, module, facts.path, definition)
        for definition in facts.definitions:
            symbol = f"{module}:{definition.qualname}"
            scope = self.scopes[symbol]
            parent = self.scopes[scope.parent] if scope.parent else None
            scope.parent_kind = parent.kind if parent else "module"
            if parent is not None and definition.kind != "lambda":
                parent.locals.add(definition.name)
                self._other_bindings.add((parent.symbol, definition.name))
            for parameter in definition.parameters:
                scope.locals.add(parameter.name)
                self._other_bindings.add((symbol, parameter.name))
            self._declare_parameters(scope)
        for fact in facts.imports:
            if fact.is_resolved and not any(m in self.modules for m in (fact.module, *_prefixes(fact.module))):
                self._external_modules.update((fact.module, *_prefixes(fact.module)))
            scope = self._scope_of(module, fact.scope)
            if fact.name == "*":
                scope.star_sources.append(fact.module)
            elif fact.bound_as:
                scope.locals.add(fact.bound_as)
                self._import_sites[(scope.symbol, fact.bound_as)] = fact
                self._other_bindings.add((scope.symbol, fact.bound_as))
        for assignment in facts.assignments:
            scope = self._scope_of(module, assignment.scope)
            for target in assignment.targets:
                names = list(_bound_names(target))
                scope.locals.update(names)
                if target[0] == ExprKind.NAME and assignment.operator is None:
                    self._assignment_lines[(scope.symbol, names[0])].append(
                        (assignment.line, assignment.is_conditional)
                    )
                else:
                    self._other_bindings.update((scope.symbol, name) for name in names)
        for assignment in facts.assignments:
            if assignment.scope == "" and assignment.targets[0][:2] == (ExprKind.NAME, "__all__"):
                names = _literal_strings(assignment.value)
                if names is not None:
                    self._exports.setdefault(module, set()).update(names)
        for returned in facts.returns:
            if returned.is_yield:
                self.generators.add(f"{module}:{returned.scope}")

    def _scope_of(self, module: str, qualname: str) -> _Scope:
        return self.scopes[f"{module}:{qualname}" if qualname else module]

    def _declare_parameters(self, scope: _Scope) -> None:
        definition = scope.definition
        if definition is None or not definition.parameters:
            return
        first = definition.parameters[0]
        owner = scope.enclosing_class
        decorators = {dotted_name(d) for d in definition.decorators}
        if owner is not None and first.kind == "positional" and "staticmethod" not in decorators:
            tag = (
                "cls:" if "classmethod" in decorators or definition.name in ("__new__", "__init_subclass__") else "obj:"
            )
            self.vars[(scope.symbol, first.name)].add(tag + owner)

    # -- the fixpoint -----------------------------------------------------------

    def solve(self) -> int:
        """Propagate values until nothing changes; return how many units were evaluated.

        A unit is one import, definition, assignment, return or call. Each is
        evaluated once, then again only when a value it read has grown: a
        worklist, so cost follows the changes rather than rounds over the tree.
        """
        units: list[tuple[Callable[[str, Any], None], str, Any]] = []
        for facts in self.modules.values():
            units += [(self._propagate_import, facts.module, f) for f in facts.imports if f.bound_as and f.is_resolved]
        for facts in self.modules.values():
            units += [(self._propagate_definition, facts.module, d) for d in facts.definitions]
        for facts in self.modules.values():
            module = facts.module
            units += [(self._propagate_assignment, module, a) for a in facts.assignments]
            units += [(self._propagate_return, module, r) for r in facts.returns]
            units += [(self._propagate_call, module, c) for c in facts.calls]
        self._queue = deque(range(len(units)))
        self._queued = bytearray(b"\x01" * len(units))
        evaluated = 0
        budget = MAX_EVALUATIONS_PER_UNIT * len(units)
        for finalizing in (False, True):
            self._finalizing = finalizing
            if finalizing:  # decorators still unknown now never will be: bind those names as they are
                for unit in sorted(self._deferred):
                    if not self._queued[unit]:
                        self._queued[unit] = 1
                        self._queue.append(unit)
            while self._queue and evaluated < budget:
                unit = self._unit = self._queue.popleft()
                self._queued[unit] = 0
                function, module, fact = units[unit]
                function(module, fact)
                evaluated += 1
        self._unit = -1
        self._readers = defaultdict(list)  # only needed while solving
        self._queued = bytearray()
        return evaluated

    def _propagate_import(self, module: str, fact: ImportFact) -> None:
        scope = f"{module}:{fact.scope}" if fact.scope else module
        assert fact.bound_as is not None
        self._add((scope, fact.bound_as), self._import_values(fact.module, fact.name, fact.bound_as))

    def _propagate_return(self, module: str, returned: ReturnFact) -> None:
        scope = f"{module}:{returned.scope}"
        key = f"yield:{scope}" if returned.is_yield else scope
        self._add_return(key, self.values(scope, returned.value, returned.line))

    def _import_values(self, module: str, name: str | None, bound_as: str) -> set[str]:
        if name is None:
            target = module if bound_as != module.partition(".")[0] else module.partition(".")[0]
            is_ours = target in self.modules or target in self._namespaces
            return {f"mod:{target}"} if is_ours else {f"ext:{target}:"}
        submodule = f"{module}.{name}"
        if submodule in self.modules:
            return {f"mod:{submodule}"}
        if module in self.modules:
            return set(self._module_attribute(module, name, 0))
        return {f"ext:{module}:{name}"}

    def _propagate_definition(self, module: str, definition: DefinitionFact) -> None:
        symbol = f"{module}:{definition.qualname}"
        parent = self.scopes[symbol].parent or module
        if definition.kind == "class":
            bases = tuple(
                value
                for base in definition.bases
                for value in sorted(_as_base(self.values(parent, base, definition.line)))
            )
            if bases != self.bases.get(symbol):
                self.bases[symbol] = bases
                self._mro.clear()
                self._notify(("<bases>", symbol))
        for parameter in definition.parameters:
            if parameter.annotation is not None:
                self._add((symbol, parameter.name), _instances(self.values(parent, parameter.annotation)))
            if parameter.default is not None:
                self._add((symbol, parameter.name), self.values(parent, parameter.default))
        if definition.returns is not None:
            self._add_return(symbol, _instances(self.values(parent, definition.returns)))
        if definition.kind == "lambda":
            return
        self._add((parent, definition.name), self._decorated(parent, symbol, definition))

    def _decorated(self, scope: str, symbol: str, definition: DefinitionFact) -> set[str]:
        """The value a decorated name ends up bound to.

        Our own decorator binds the name to what it returns (a wrapper, or an
        instance for a class used as a decorator). A library decorator (route,
        task, property...) is taken to keep the function itself. A decorator
        whose value is not known yet binds nothing until it is; one that stays
        unknown to the end is then taken to keep the function (see `solve`).
        """
        tag = "cls:" if definition.kind == "class" else "def:"
        current: set[str] = {tag + symbol}
        for decorator in reversed(definition.decorators):
            callees = self.values(scope, decorator, definition.line)
            if not callees:
                if not self._finalizing:
                    self._deferred.add(self._unit)
                    return set()
                continue
            results: set[str] = set()
            is_ours = False
            for callee in sorted(callees):
                target = callee.partition(":")[2]
                if callee.startswith(("def:", "bnd:")):
                    is_ours = True
                    self._bind_arguments(target, callee.startswith("bnd:"), [current], {})
                    results |= self._wrapped(target, self._returns(target), current)
                elif callee.startswith("cls:"):
                    is_ours = True
                    for initializer in self._class_attribute(target, "__init__", bound=True):
                        if initializer.startswith("bnd:"):
                            self._bind_arguments(initializer[4:], True, [current], {})
                    results.add(f"obj:{target}")
            if is_ours:
                current = results
        return current

    def _wrapped(self, decorator: str, returned: Iterable[str], originals: set[str]) -> set[str]:
        """What applying our decorator gives: its wrapper, specialised to the function it wraps.

        `wrap:<wrapper>|<inner wrapper>...|<function>`: calling it reaches every
        link of the chain, so a call to a decorated view reaches that view, not
        every view the same decorator wraps.
        """
        self.decorators.add(decorator)
        found: set[str] = set()
        for value in returned:
            if value.startswith("def:"):
                chain = value[4:]
            elif value.startswith("wrap:"):  # the wrapper is itself decorated inside the decorator
                chain = value[5:]
            else:
                found.add(value)
                continue
            if not chain.rpartition("|")[2].startswith(decorator + "."):
                found.add(value)  # returns something else than a wrapper of its own
                continue
            for original in originals:
                if original.startswith("wrap:"):
                    found.add(f"wrap:{chain}|{original[5:]}")
                elif original.startswith(("def:", "bnd:")):
                    found.add(f"wrap:{chain}|{original[4:]}")
                else:
                    found.add(value)
        return found

    def _propagate_assignment(self, module: str, fact: AssignmentFact) -> None:
        scope = f"{module}:{fact.scope}" if fact.scope else module
        if fact.value is None:
            values: set[str] = set()
        elif fact.operator == "iter":
            values = self._iterate(self.values(scope, fact.value, fact.line))
        else:
            values = set(self.values(scope, fact.value, fact.line))
        if fact.annotation is not None:
            values |= _instances(self.values(scope, fact.annotation, fact.line))
        for target in fact.targets:
            self._assign(scope, target, fact.value, values, fact.line, fact.is_conditional)

    def _assign(
        self, scope: str, target: Expr, value: Expr | None, values: set[str], line: int, conditional: bool = True
    ) -> None:
        kind, name, children, _ = target
        if kind == ExprKind.NAME:
            self._add((scope, str(name)), values)
            self._add_assigned((scope, str(name)), line, values)
        elif kind == ExprKind.ATTRIBUTE:
            owner = self._instance_owner(scope, children[0])
            if owner is not None:
                self._add((f"obj:{owner}", str(name)), values)
        elif kind == ExprKind.SUBSCRIPT:
            slot = _slot(children[1])
            for container in sorted(self.values(scope, children[0], line)):
                if container.startswith("seq:"):
                    self._slots[container].add(slot)
                    self._add((container, slot), values)
                    self._slot_writes[(container, slot)].add((scope, line, conditional))
                    self._add_assigned((container, slot), line, values)
        elif kind in (ExprKind.TUPLE, ExprKind.LIST):
            if value is not None and value[0] in (ExprKind.TUPLE, ExprKind.LIST) and len(value[2]) == len(children):
                for element, element_value in zip(children, value[2], strict=True):
                    self._assign(scope, element, element_value, set(self.values(scope, element_value, line)), line)
            else:
                elements = self._elements(values)
                for element in children:
                    self._assign(scope, element, None, elements, line)

    def _instance_owner(self, scope: str, expr: Expr) -> str | None:
        """For `self.x = ...` inside a method: the class whose instances get `x`."""
        if expr[0] != ExprKind.NAME:
            return None
        info = self.scopes.get(scope)
        if info is None or info.definition is None or not info.definition.parameters:
            return None
        if info.definition.parameters[0].name != expr[1]:
            return None
        return info.enclosing_class

    def _propagate_call(self, module: str, call: CallFact) -> None:
        scope = f"{module}:{call.scope}" if call.scope else module
        _, _, children, keywords = call.call
        func, arguments = children[0], children[1:]
        line = call.line
        owners: frozenset[str] = _EMPTY
        if func[0] == ExprKind.ATTRIBUTE:
            owners = self.values(scope, func[2][0], line)
            found: set[str] = set()
            for owner in owners:
                found.update(self._attribute(owner, str(func[1])))
            callees = frozenset(found)
        else:
            callees = self.values(scope, func, line)
        self.call_values[id(call)] = tuple(callees)
        is_ours = any(c.startswith(("def:", "bnd:", "cls:", "wrap:")) for c in callees)
        is_container_write = func[1] in _CONTAINER_WRITES and any(o.startswith("seq:") for o in owners)
        if not (is_ours or is_container_write):
            return
        positional = [self.values(scope, a, line) if a[0] != ExprKind.STARRED else _EMPTY for a in arguments]
        if is_container_write:
            self._mutate_container(owners, str(func[1]), arguments, positional)
        named = {k: self.values(scope, v, line) for k, v in keywords if k is not None}
        receivers = frozenset(v for v in owners if v.startswith(("obj:", "cls:")))
        for callee in sorted(callees):
            if callee.startswith("bnd:") and receivers:
                self._bind_receiver(callee[4:], receivers)
            if callee.startswith(("def:", "bnd:")):
                self._bind_arguments(callee.partition(":")[2], callee.startswith("bnd:"), positional, named)
            elif callee.startswith("wrap:"):
                for link in callee[5:].split("|"):
                    self._bind_arguments(link, False, positional, named)
            elif callee.startswith("cls:"):
                for initializer in self._class_attribute(callee[4:], "__init__", bound=True):
                    if initializer.startswith("bnd:"):
                        self._bind_arguments(initializer[4:], True, positional, named)

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
            stored = {(_slot(arguments[0]), positional[1])}
        elif method == "insert" and len(positional) > 1:
            stored = {("[*]", positional[1])}
        else:
            stored = {("[*]", positional[0])}
        for container in sorted(containers):
            for slot, values in sorted(stored, key=lambda item: (item[0], sorted(item[1]))):
                self._slots[container].add(slot)
                self._add((container, slot), values)

    def _contents(self, container: str) -> list[tuple[str, frozenset[str]]]:
        """A literal container's elements by slot (constant dict keys keep theirs)."""
        member = self._sequence_members.get(container)
        if member is None:
            return []
        scope, expr = member
        if expr[0] == ExprKind.DICT:
            pairs = zip(expr[2][0::2], expr[2][1::2], strict=False)
            return [(_slot(key), self.values(scope, value)) for key, value in pairs]
        return [("[*]", frozenset(self._elements((container,))))]

    def _bind_receiver(self, method: str, receivers: frozenset[str]) -> None:
        """`obj.method()` passes `obj` as the method's first parameter (`self`, or `cls` for a classmethod)."""
        definition = self.definitions.get(method)
        if definition is None or not definition.fact.parameters:
            return
        first = definition.fact.parameters[0]
        if "classmethod" in {dotted_name(d) for d in definition.fact.decorators}:
            self._add((method, first.name), {f"cls:{r[4:]}" for r in receivers})  # `obj.create()` passes type(obj)
        else:
            self._add((method, first.name), (r for r in receivers if r.startswith("obj:")))

    def _bind_arguments(
        self, function: str, is_bound: bool, positional: list[Iterable[str]], named: dict[str, Iterable[str]]
    ) -> None:
        definition = self.definitions.get(function)
        if definition is None:
            return
        parameters = [p for p in definition.fact.parameters if p.kind == "positional"]
        if is_bound:
            parameters = parameters[1:]
        for parameter, values in zip(parameters, positional, strict=False):
            self._add((function, parameter.name), values)
        by_name = {p.name: p for p in definition.fact.parameters}
        for name, values in named.items():
            target: ParameterFact | None = by_name.get(name)
            if target is not None:
                self._add((function, target.name), values)

    def _add(self, key: tuple[str, str], values: Iterable[str]) -> None:
        if not values:
            return
        if _grow(self.vars[key], values):
            self._notify(key)

    def _add_return(self, function: str, values: Iterable[str]) -> None:
        if values and _grow(self.returns[function], values):
            self._notify(("<return>", function))

    def _add_assigned(self, key: tuple[str, str], line: int, values: Iterable[str]) -> None:
        if not values or (key not in self._rebound and not key[0].startswith("seq:")):
            return  # a name bound once: its only assignment is all `_reaching` could ever say
        if _grow(self._assigned[(*key, line)], values):
            self._notify(key)

    # -- dependencies: which units read what, so a change re-runs only its readers ---------

    def _depend(self, key: tuple[str, str]) -> None:
        if self._unit >= 0:
            self._reader_of(key)

    def _read(self, key: tuple[str, str]) -> frozenset[str]:
        if self._unit >= 0:
            self._reader_of(key)
        values = self.vars.get(key)
        return frozenset(values) if values else _EMPTY

    def _returns(self, function: str) -> set[str]:
        if self._unit >= 0:
            self._reader_of(("<return>", function))
        return self.returns.get(function) or set()

    def _reader_of(self, key: tuple[str, str]) -> None:
        readers = self._readers[key]
        if not readers or readers[-1] != self._unit:
            readers.append(self._unit)

    def _notify(self, key: tuple[str, str]) -> None:
        readers = self._readers.get(key)
        if not readers:
            return
        queued = self._queued
        for unit in readers:
            if not queued[unit]:
                queued[unit] = 1
                self._queue.append(unit)

    # -- evaluation -------------------------------------------------------------

    def values(self, scope: str, expr: Expr, line: int | None = None) -> frozenset[str]:
        """The tagged values `expr` may denote in `scope` (see `model.graphs`).

        With `line`, a name rebound in straight-line code of `scope` itself
        takes its latest binding before that line, not every binding.
        """
        kind, value, children, _ = expr
        if kind == ExprKind.NAME:
            return self._lookup(scope, str(value), line)
        if kind == ExprKind.ATTRIBUTE:
            found: set[str] = set()
            for owner in self.values(scope, children[0], line):
                found.update(self._attribute(owner, str(value)))
            return frozenset(found)
        if kind == ExprKind.CALL:
            return self._call_result(scope, expr, line)
        if kind == ExprKind.LAMBDA:
            return frozenset({f"def:{_child_symbol(scope, str(value))}"})
        if kind in (ExprKind.LIST, ExprKind.TUPLE, ExprKind.SET, ExprKind.DICT):
            return frozenset({self._sequence(scope, expr)})
        if kind == ExprKind.SUBSCRIPT:
            containers = self.values(scope, children[0], line)
            index = children[1]
            if index[0] == ExprKind.OTHER and index[1] == "Slice":  # a slice: the same elements, shifted
                start = _constant_int(index[2][0]) if index[2] and _constant_int(index[2][2]) in (None, 1) else None
                offset = "" if start is None or start < 0 else str(start)
                return frozenset(f"sl:{offset}:{c}" for c in containers if c.startswith("seq:"))
            return frozenset(self._elements(containers, index, scope, line))
        if kind == ExprKind.CONSTANT and isinstance(value, str | bytes):
            return _STRING if isinstance(value, str) else _BYTES
        return _EMPTY

    def _lookup(self, scope: str, name: str, line: int | None = None) -> frozenset[str]:
        binding = self._bindings.get((scope, name))
        if binding is None:
            binding = self._bindings[(scope, name)] = self._find_binding(scope, name)
        kind, where = binding
        if kind == "local":
            if where == scope and line is not None:
                reaching = self._reaching(where, name, line)
                if reaching is not None:
                    return reaching
            return self._read((where, name))
        if kind == "star":
            found = self._star_lookup(self.scopes[where], name, 0)
            if found:
                return found
        if name in BUILTIN_NAMES:
            return frozenset({f"bi:{name}"})
        return _EMPTY

    def _find_binding(self, scope: str, name: str) -> tuple[str, str]:
        """Which scope binds `name` as seen from `scope` (Python's LEGB; class bodies only from inside)."""
        current: str | None = scope
        starting = True
        while current is not None:
            info = self.scopes.get(current)
            if info is None:
                break
            if info.kind != "class" or starting:
                if name in info.locals:
                    return "local", current
                if info.kind == "module" and info.star_sources:
                    return "star", current
            starting = False
            current = info.parent
        return "global", ""

    def _reaching(self, scope: str, name: str, line: int) -> frozenset[str] | None:
        """The bindings of a local that reach `line`, when plain assignments are all that bind it.

        The latest unconditional assignment before `line` kills the earlier
        ones; conditional assignments after it may still reach. None means
        "cannot tell": use every binding.
        """
        key = (scope, name)
        if key not in self._rebound:
            return None
        lines = self._straight_lines.get(key)
        if lines is None:
            lines = self._straight_lines[key] = self._assignment_order(key)
        unconditional, conditional = lines
        position = bisect.bisect_left(unconditional, line)
        if not position:
            return None
        self._depend(key)
        latest = unconditional[position - 1]
        found = set(self._assigned.get((scope, name, latest), ()))
        for bound_line in conditional[bisect.bisect_right(conditional, latest) :]:
            found.update(self._assigned.get((scope, name, bound_line), ()))
        return frozenset(found)

    def _assignment_order(self, key: tuple[str, str]) -> tuple[list[int], list[int]]:
        """Sorted lines of the unconditional and the conditional plain assignments of a local."""
        bindings = self._assignment_lines.get(key)
        if not bindings or key in self._other_bindings:
            return [], []
        unconditional = sorted({line for line, is_conditional in bindings if not is_conditional})
        conditional = sorted({line for line, is_conditional in bindings if is_conditional})
        return unconditional, conditional

    def _star_lookup(self, scope: _Scope, name: str, depth: int) -> frozenset[str]:
        """A name a module got from `from x import *`: the last import that exports it wins.

        Our own modules export their `__all__`, or else their public names.
        What an outside module exports is unknown: it is assumed to provide
        the name unless one of ours does or the name is a builtin.
        """
        if depth > 5:
            return _EMPTY
        external = None
        for source in reversed(scope.star_sources):
            if source in self.modules:
                exports = self._exports.get(source)
                if (name not in exports) if exports is not None else name.startswith("_"):
                    continue
                found = self._module_attribute(source, name, depth + 1)
                if found:
                    return found
            elif external is None and not name.startswith("_"):
                external = source
        if external is not None and name not in BUILTIN_NAMES:
            return frozenset({f"ext:{external}:{name}"})
        return _EMPTY

    def _module_attribute(self, module: str, name: str, depth: int) -> frozenset[str]:
        submodule = f"{module}.{name}"
        if submodule in self.modules or submodule in self._namespaces:
            return frozenset({f"mod:{submodule}"})
        scope = self.scopes.get(module)
        if scope is None:  # a namespace package: only its submodules are known
            return _EMPTY
        if name in scope.locals:
            return self._read((module, name))
        return self._star_lookup(scope, name, depth)

    def _attribute(self, owner: str, name: str) -> Iterable[str]:
        tag, _, target = owner.partition(":")
        if tag == "mod":
            return self._module_attribute(target, name, 0)
        if tag == "cls":
            return self._class_attribute(target, name, bound=False)
        if tag == "obj":
            found = set(self._instance_attribute(target, name))
            found.update(self._class_attribute(target, name, bound=True))
            return found
        if tag == "sup":
            return self._super_attribute(target, name)
        if tag == "ext":
            if owner.endswith(":"):
                submodule = f"{target[:-1]}.{name}"
                return (f"ext:{submodule}:" if submodule in self._external_modules else f"{owner}{name}",)
            return (f"{owner}.{name}",)
        if tag in ("bi", "lit"):
            return (f"ext:builtins:{target}.{name}",)
        if tag == "seq":
            container_type = _CONTAINER_TYPES.get(self._sequence_members[owner][1][0], "object")
            return (f"ext:builtins:{container_type}.{name}",)
        return ()

    def _super_attribute(self, target: str, name: str) -> set[str]:
        """`super().name` inside class C: the next class after C in the MRO of the receiver's class."""
        owner, _, receiver = target.partition("|")
        if not receiver or receiver == owner:
            return self._class_attribute(owner, name, bound=True, skip_self=True)
        lineage = (receiver, *self.ancestors(receiver))
        if owner not in lineage:
            return set()  # that receiver cannot reach this method
        return self._lookup_in_lineage(lineage[lineage.index(owner) + 1 :], name, bound=True)

    def _instance_attribute(self, class_symbol: str, name: str) -> set[str]:
        found: set[str] = set()
        for owner in (class_symbol, *self.ancestors(class_symbol)):
            found.update(self._read((f"obj:{owner}", name)))
        return found

    def _class_attribute(self, class_symbol: str, name: str, *, bound: bool, skip_self: bool = False) -> set[str]:
        lineage = self.ancestors(class_symbol) if skip_self else (class_symbol, *self.ancestors(class_symbol))
        return self._lookup_in_lineage(lineage, name, bound=bound)

    def _lookup_in_lineage(self, lineage: Iterable[str], name: str, *, bound: bool) -> set[str]:
        for owner in lineage:
            if ":" not in owner or owner not in self.scopes:
                origin = self._external_origins.get(owner) or _external_symbol(owner)
                return {f"ext:{origin}.{name}" if not origin.endswith(":") else f"ext:{origin}{name}"}
            if name not in self.scopes[owner].locals:
                continue
            values = self._read((owner, name))
            return {self._bind(value, bound) for value in values}
        return set()

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

    def _call_result(self, scope: str, call: Expr, line: int | None = None) -> frozenset[str]:
        func = call[2][0]
        if func[0] == ExprKind.NAME and func[1] == "super":
            owner = self._class_of_method(scope)
            if owner is not None:
                return frozenset({f"sup:{owner}", *(f"sup:{owner}|{r}" for r in self._receiver_classes(scope))})
        found: set[str] = set()
        for callee in self.values(scope, func, line):
            tag, _, target = callee.partition(":")
            if tag == "wrap":
                found.update(self._returns(target.partition("|")[0]))
            elif tag in ("def", "bnd") and target in self.generators:
                found.add(f"gen:{target}")
            elif tag in ("def", "bnd"):
                found.update(self._returns(target))
            elif callee == "bi:map":
                for argument in call[2][1:]:
                    functions = self.values(scope, argument, line)
                    found.update(f"map:{f[4:]}" for f in functions if f.startswith(("def:", "bnd:")))
            elif callee == "bi:filter" and len(call[2]) > 2:
                found.update(self.values(scope, call[2][2], line))
            elif tag == "cls":
                found.add(f"obj:{target}")
            elif tag == "ext":
                found.add(callee)
            elif tag == "obj":
                for method in self._class_attribute(target, "__call__", bound=True):
                    found.update(self._returns(method.partition(":")[2]))
        return frozenset(found)

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

    def _sequence(self, scope: str, expr: Expr) -> str:
        key = (scope, expr)
        identifier = self._sequences.get(key)
        if identifier is None:
            identifier = self._sequences[key] = f"seq:{len(self._sequences)}"
            self._sequence_members[identifier] = key
        return identifier

    def _elements(
        self, containers: Iterable[str], index: Expr | None = None, at_scope: str | None = None, line: int | None = None
    ) -> set[str]:
        """What subscripting the containers may give; a constant key picks its own slot."""
        requested = _slot(index) if index is not None else None
        found: set[str] = set()
        for container in containers:
            slot = requested
            if container.startswith("sl:"):
                offset, _, container = container[3:].partition(":")
                position = _constant_int(index) if index is not None else None
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
                if _slot(key) == slot:
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

    # -- classes ----------------------------------------------------------------

    def ancestors(self, class_symbol: str) -> tuple[str, ...]:
        """The MRO of an internal class after itself (C3; external bases by dotted name)."""
        cached = self._mro.get(class_symbol)
        if cached is None:
            self._mro[class_symbol] = ()  # guards against inheritance cycles
            cached = self._mro[class_symbol] = tuple(_c3(self._direct_bases(class_symbol), self.ancestors))
        if self._unit >= 0:
            for owner in (class_symbol, *cached):
                if ":" in owner:
                    self._reader_of(("<bases>", owner))
        return cached

    def _direct_bases(self, class_symbol: str) -> list[str]:
        bases = []
        for value in self.bases.get(class_symbol, ()):
            if value.startswith("cls:"):
                bases.append(value[4:])
            else:
                dotted = _external_dotted(value)
                self._external_origins[dotted] = value[4:]
                bases.append(dotted)
        return bases

    # -- what recognizers ask ----------------------------------------------------

    def binding_site(self, scope: str, expr: Expr, depth: int = 0) -> str | None:
        """The variable an expression names, followed through imports: `scope|name`.

        `bp` imported from `shop.auth` where `bp = Blueprint(...)` is assigned
        gives `shop.auth|bp` wherever it is used; a local of a function gives
        `shop:create_app|app`. None when it is not a plain variable of ours.
        """
        if depth > 10:
            return None
        kind, name, children, _ = expr
        if kind == ExprKind.ATTRIBUTE:
            owners = self.values(scope, children[0])
            modules = [v[4:] for v in owners if v.startswith("mod:")]
            if len(modules) == 1 and modules[0] in self.modules:
                return self.binding_site(modules[0], (ExprKind.NAME, name, (), ()), depth + 1)
            return None
        if kind != ExprKind.NAME:
            return None
        binding, where = self._find_binding(scope, str(name))
        if binding == "star":
            for source in reversed(self.scopes[where].star_sources):
                if source in self.modules:
                    site = self.binding_site(source, (ExprKind.NAME, name, (), ()), depth + 1)
                    if site is not None:
                        return site
            return None
        if binding != "local":
            return None
        imported = self._import_sites.get((where, str(name)))
        if imported is None:
            return f"{where}|{name}"
        if imported.name is None or f"{imported.module}.{imported.name}" in self.modules:
            return None
        if imported.module not in self.modules:
            return None
        return self.binding_site(imported.module, (ExprKind.NAME, imported.name, (), ()), depth + 1)

    def release(self) -> None:
        """Drop the resolution tables once no later stage will ask (they dominate peak memory)."""
        for table in (
            self.vars, self.returns, self._assigned, self._qualified, self.call_values,
            self._bindings, self._straight_lines, self._mro, self._sequences, self._sequence_members,
        ):  # fmt: skip
            table.clear()

    def class_attribute(self, class_symbol: str, name: str) -> set[str]:
        """What `instance.name` finds through the MRO (bound methods tagged `bnd:`)."""
        return self._class_attribute(class_symbol, name, bound=True)

    def qualified_names(self, scope: str, expr: Expr) -> tuple[str, ...]:
        """Dotted names `expr` may denote, sorted (`flask.Blueprint.route`, `shop.views.index`).

        Once solved, answers are memoised by expression identity: every
        recognizer asks about the same calls, and the facts live as long as the table.
        """
        key = (scope, id(expr))
        cached = self._qualified.get(key) if self._unit < 0 else None
        if cached is None:
            cached = tuple(sorted({_dotted(value) for value in self.values(scope, expr)} - {""}))
            if self._unit < 0:
                self._qualified[key] = cached
        return cached


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


def _grow(current: set[str], values: Iterable[str]) -> bool:
    """Add values to a set of at most MAX_VALUES; True if it grew.

    Past the cap, the smallest new values win: which values a full set keeps
    must not depend on the order they arrive in (string hashing varies between
    processes), or the same tree would not always give the same report.
    """
    before = len(current)
    if before >= MAX_VALUES:
        return False
    fresh = set(values) - current if not isinstance(values, set | frozenset) else values - current
    if not fresh:
        return False
    if before + len(fresh) <= MAX_VALUES:
        current |= fresh
    else:
        current.update(sorted(fresh)[: MAX_VALUES - before])
    return True


def _prefixes(module: str) -> list[str]:
    """`a.b.c` → `a`, `a.b`: the packages a module lives in."""
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _literal_strings(expr: Expr | None) -> set[str] | None:
    """The strings of a literal list or tuple of strings (`__all__`), else None."""
    if expr is None or expr[0] not in (ExprKind.LIST, ExprKind.TUPLE):
        return None
    names = {c[1] for c in expr[2] if c[0] == ExprKind.CONSTANT and isinstance(c[1], str)}
    return names if len(names) == len(expr[2]) else None


def _as_base(values: Iterable[str]) -> Iterator[str]:
    """Base-class values: our classes, outside ones, and builtins (`dict`) as outside ones."""
    for value in values:
        if value.startswith(("cls:", "ext:")):
            yield value
        elif value.startswith("bi:"):
            yield f"ext:builtins:{value[3:]}"


def _constant_int(expr: Expr) -> int | None:
    value = expr[1]
    if expr[0] == ExprKind.CONSTANT and isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def _slot(index: Expr) -> str:
    """The element slot a subscript names: `[<constant>]`, or `[*]` when not a constant."""
    if index[0] == ExprKind.CONSTANT:
        return f"[{index[1]!r}]"
    return "[*]"


def _instances(values: Iterable[str]) -> set[str]:
    """What an annotation denotes: instances of the classes it names."""
    found = set()
    for value in values:
        if value.startswith("cls:"):
            found.add(f"obj:{value[4:]}")
        elif value.startswith("ext:"):
            found.add(value)
    return found


def _bound_names(target: Expr) -> Iterator[str]:
    kind, value, children, _ = target
    if kind == ExprKind.NAME:
        yield str(value)
    elif kind in (ExprKind.TUPLE, ExprKind.LIST, ExprKind.STARRED):
        for child in children:
            yield from _bound_names(child)


def _child_symbol(scope: str, name: str) -> str:
    return f"{scope}.{name}" if ":" in scope else f"{scope}:{name}"


def _external_dotted(value: str) -> str:
    """`ext:flask.views:MethodView` → `flask.views.MethodView`."""
    module, _, path = value[4:].partition(":")
    return f"{module}.{path}" if path else module


def _external_symbol(dotted: str) -> str:
    """An external class's dotted name back to `module:path` (split at the last dot)."""
    module, _, name = dotted.rpartition(".")
    return f"{module}:{name}" if module else f"{dotted}:"


def _dotted(value: str) -> str:
    tag, _, target = value.partition(":")
    if tag == "ext":
        return _external_dotted(value)
    if tag in ("def", "bnd", "cls", "obj"):
        return target.replace(":", ".")
    if tag == "mod":
        return target
    if tag == "bi":
        return f"builtins.{target}"
    return ""


def callee_symbols(table: SymbolTable, value: str) -> list[str]:
    """The call-graph targets of calling a value (constructors reach `__init__`)."""
    tag, _, target = value.partition(":")
    if tag in ("def", "bnd"):
        return [target]
    if tag == "wrap":
        return target.split("|")
    if tag in ("cls", "obj"):
        method = "__init__" if tag == "cls" else "__call__"
        return [callee for v in table.class_attribute(target, method) for callee in _method_symbol(v)]
    if tag == "ext":
        module, _, path = target.partition(":")
        return [f"{module}:{path}" if path else module]
    if tag == "bi":
        return [f"builtins:{target}"]
    return []


def _method_symbol(value: str) -> list[str]:
    if value.startswith("bnd:"):
        return [value[4:]]
    if value.startswith("ext:"):
        return [value[4:]]
    return []


def link(files: Iterable[FileFacts]) -> LinkedGraphs:
    """Resolve names across the tree and build the import and call graphs."""
    table = SymbolTable(files)
    table.solve()
    import_graph = _import_graph(table)
    call_graph = nx.DiGraph()
    unresolved: list[UnresolvedCall] = []
    resolved = 0
    for module, facts in table.modules.items():
        call_graph.add_node(module, external=False)
        for definition in facts.definitions:
            call_graph.add_node(f"{module}:{definition.qualname}", external=False)
    for module, facts in table.modules.items():
        for call in facts.calls:
            caller = f"{module}:{call.scope}" if call.scope else module
            values = table.call_values.get(id(call), _EMPTY)
            targets = sorted({t for v in values for t in callee_symbols(table, v)})
            if call.is_implicit:  # only our own constructors are worth an edge (`raise ValueError` is not)
                targets = [t for t in targets if t.split(":", 1)[0] in table.modules]
                if not targets:
                    continue
            if not targets and values and all(v.startswith("cls:") for v in values):
                resolved += 1
                continue
            if not targets:
                location = Location(file=facts.path, line=call.line)
                unresolved.append(UnresolvedCall(caller, location, _expr_text(call.call[2][0])))
                continue
            resolved += 1
            via_decorator = _is_call_of_wrapped_function(table, caller, call)
            # What a wrapper stands in front of: reached through it, not called from here.
            behind_wrappers = {t for v in values if v.startswith("wrap:") for t in v[5:].split("|")[1:]}
            direct = {t for v in values if not v.startswith("wrap:") for t in callee_symbols(table, v)}
            direct |= {v[5:].split("|")[0] for v in values if v.startswith("wrap:")}
            for target in targets:
                is_wrapped = target in behind_wrappers and target not in direct
                _add_edge(
                    call_graph, table, caller, target, call.line, via_decorator=via_decorator, wrapped_call=is_wrapped
                )
            _add_argument_call_edges(call_graph, table, caller, call)
        for definition in facts.definitions:
            _add_decorator_edges(call_graph, table, module, definition)
        for assignment in facts.assignments:
            if assignment.operator == "iter" and assignment.value is not None:
                _add_iteration_edges(call_graph, table, module, assignment)
    unresolved.sort(key=lambda u: (u.location.file, u.location.line, u.callee_text))
    return LinkedGraphs(
        modules=table.modules,
        definitions=table.definitions,
        import_graph=import_graph,
        call_graph=call_graph,
        resolver=table,
        unresolved_calls=unresolved,
        resolved_calls=resolved,
        duplicate_modules=table.duplicate_modules,
    )


def _is_call_of_wrapped_function(table: SymbolTable, caller: str, call: CallFact) -> bool:
    """A decorator (or its wrapper) calling the function it was given.

    Such a call reaches every function the decorator wraps; each call site of a
    decorated function already gets its own edge to that function, so these
    edges are marked and closures can skip them.
    """
    func = call.call[2][0]
    if func[0] != ExprKind.NAME:
        return False
    kind, where = table._find_binding(caller, str(func[1]))
    if kind != "local" or where not in table.decorators:
        return False
    definition = table.definitions[where].fact
    return any(p.name == func[1] for p in definition.parameters)


def _add_edge(
    graph: nx.DiGraph,
    table: SymbolTable,
    caller: str,
    callee: str,
    line: int,
    *,
    via_decorator: bool = False,
    wrapped_call: bool = False,
) -> None:
    if callee not in graph:
        graph.add_node(callee, external=callee.split(":", 1)[0] not in table.modules)
    data = graph.get_edge_data(caller, callee)
    if data is None:
        graph.add_edge(caller, callee, line=line, via_decorator=via_decorator, wrapped_call=wrapped_call)
        return
    data["line"] = min(line, data["line"])
    data["via_decorator"] = data["via_decorator"] and via_decorator
    data["wrapped_call"] = data["wrapped_call"] and wrapped_call


def _add_argument_call_edges(graph: nx.DiGraph, table: SymbolTable, caller: str, call: CallFact) -> None:
    """`map(f, xs)`, `sorted(xs, key=f)`: the builtin calls `f` on the caller's behalf."""
    _, _, children, keywords = call.call
    for builtin in table.call_values.get(id(call), _EMPTY):
        if not builtin.startswith("bi:") or builtin[3:] not in _CALLING_BUILTINS:
            continue
        position, keyword = _CALLING_BUILTINS[builtin[3:]]
        if position is None:
            arguments = list(children[1:]) if keyword is None else []
        else:
            arguments = [children[1 + position]] if len(children) > 1 + position else []
        arguments += [value for name, value in keywords if name == keyword]
        for argument in arguments:
            for value in table.values(caller, argument, call.line):
                if value.startswith(("def:", "bnd:")):
                    _add_edge(graph, table, caller, value.partition(":")[2], call.line)


def _add_iteration_edges(graph: nx.DiGraph, table: SymbolTable, module: str, assignment: AssignmentFact) -> None:
    """A `for` loop over an object calls its `__iter__` and `__next__`."""
    scope = f"{module}:{assignment.scope}" if assignment.scope else module
    assert assignment.value is not None
    for value in table.values(scope, assignment.value, assignment.line):
        if value.startswith("obj:"):
            for method in table.iteration_methods(value[4:]):
                _add_edge(graph, table, scope, method, assignment.line)


def _add_decorator_edges(graph: nx.DiGraph, table: SymbolTable, module: str, definition: DefinitionFact) -> None:
    """Applying a decorator calls it, from the scope where the definition runs."""
    scope = f"{module}:{definition.scope}" if definition.scope else module
    for decorator in definition.decorators:
        for value in table.values(scope, decorator, definition.line):
            if value.startswith(("def:", "bnd:", "cls:")):
                for callee in callee_symbols(table, value):
                    if callee.split(":", 1)[0] in table.modules:
                        _add_edge(graph, table, scope, callee, definition.line)


def _expr_text(expr: Expr) -> str:
    name = dotted_name(expr)
    if name is not None:
        return name
    kind, value, children, _ = expr
    if kind == ExprKind.ATTRIBUTE:
        return f"{_expr_text(children[0])}.{value}"
    if kind == ExprKind.CALL:
        return f"{_expr_text(children[0])}(...)"
    if kind == ExprKind.SUBSCRIPT:
        return f"{_expr_text(children[0])}[...]"
    return f"<{value or kind}>"


def _import_graph(table: SymbolTable) -> nx.DiGraph:
    graph = nx.DiGraph()
    for module in table.modules:
        graph.add_node(module, external=False)
    for module, facts in table.modules.items():
        for fact in facts.imports:
            if not fact.is_resolved:
                continue
            target = _imported_module(table, fact.module, fact.name)
            if target == module:
                continue
            if target not in graph:
                graph.add_node(target, external=True)
            if not graph.has_edge(module, target):
                graph.add_edge(module, target, line=fact.line)
    return graph


def _imported_module(table: SymbolTable, module: str, name: str | None) -> str:
    if name and name != "*" and f"{module}.{name}" in table.modules:
        return f"{module}.{name}"
    candidate = module
    while candidate:
        if candidate in table.modules:
            return candidate
        candidate = candidate.rpartition(".")[0]
    return module.partition(".")[0]
