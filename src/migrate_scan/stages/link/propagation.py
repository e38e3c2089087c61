"""Propagation: how each fact of the tree moves values between variables.

One function per kind of fact (import, definition, assignment, return, call)
evaluates its right-hand side and adds the values to its targets: names,
instance attributes (`self.x = ...`), container slots, parameters of the
functions a call reaches (with the receiver bound to `self`), returns, and
the names decorated definitions are bound to. `solve` hands them all to the
worklist solver.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from migrate_scan.model.facts import (
    AssignmentFact,
    CallFact,
    DefinitionFact,
    Expr,
    ExprKind,
    ImportFact,
    ParameterFact,
    ReturnFact,
    dotted_name,
)
from migrate_scan.model.graphs import SolverStats
from migrate_scan.stages.link.containers import CONTAINER_WRITES
from migrate_scan.stages.link.evaluation import Evaluation
from migrate_scan.stages.link.solver import Unit
from migrate_scan.stages.link.values import EMPTY, as_base, instances, slot_of


class Propagation(Evaluation):
    """The propagation functions the solver runs, one per fact."""

    def __init__(self) -> None:
        super().__init__()
        self.decorators: set[str] = set()  # our functions used as decorators that return a wrapper
        # What each call's callee expression denotes at its last evaluation: final once solved.
        self.call_values: dict[int, tuple[str, ...]] = {}  # by id() of the CallFact
        self._identity: dict[str, bool] | None = None  # function → it returns only its first parameter

    def solve(self) -> SolverStats:
        """Propagate values until nothing changes; return the solver's statistics.

        A unit is one import, definition, assignment, return or call (see `Solver._run`).
        """
        units: list[Unit] = []
        for facts in self.modules.values():
            units += [(self._propagate_import, facts.module, f) for f in facts.imports if f.bound_as and f.is_resolved]
        for facts in self.modules.values():
            units += [(self._propagate_definition, facts.module, d) for d in facts.definitions]
        for facts in self.modules.values():
            module = facts.module
            units += [(self._propagate_assignment, module, a) for a in facts.assignments]
            units += [(self._propagate_return, module, r) for r in facts.returns]
            units += [(self._propagate_call, module, c) for c in facts.calls]
        stats = self._run(units)
        self._base_keys.clear()  # the solver's reader lists: gone with it
        return stats

    def _propagate_import(self, module: str, fact: ImportFact) -> None:
        scope = f"{module}:{fact.scope}" if fact.scope else module
        assert fact.bound_as is not None
        self._add((scope, fact.bound_as), self._import_values(fact))

    def _propagate_return(self, module: str, returned: ReturnFact) -> None:
        scope = f"{module}:{returned.scope}"
        key = f"yield:{scope}" if returned.is_yield else scope
        self._add_return(key, self.values(scope, returned.value, returned.line))

    def _import_values(self, fact: ImportFact) -> set[str]:
        module, name = fact.module, fact.name
        if name is None:  # `import a.b` binds `a`; `import a.b as c` binds the submodule
            target = module if fact.is_aliased else module.partition(".")[0]
            is_ours = target in self.modules or target in self._namespaces
            return {f"mod:{target}"} if is_ours else {f"ext:{target}:"}
        submodule = f"{module}.{name}"
        if submodule in self.modules and not self.shadows_submodule(module, name):
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
                for value in sorted(as_base(self.values(parent, _generic_origin(base), definition.line)))
            )
            if bases != self.bases.get(symbol):
                self.bases[symbol] = bases
                self._mro.clear()
                self._notify(("<bases>", symbol))
        for parameter in definition.parameters:
            if parameter.annotation is not None:
                self._add((symbol, parameter.name), self._annotated(parent, parameter.annotation))
            if parameter.default is not None:
                self._add((symbol, parameter.name), self.values(parent, parameter.default))
        if definition.returns is not None:
            self._add_return(symbol, instances(self.values(parent, definition.returns)))
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
                    self._defer()
                    return set()
                continue
            results: set[str] = set()
            is_ours = False
            for callee in sorted(callees):
                target = callee.partition(":")[2]
                if callee.startswith(("def:", "bnd:")):
                    is_ours = True
                    results |= self._applied(target, callee.startswith("bnd:"), current)
                elif callee.startswith("cls:"):
                    is_ours = True
                    for initializer in self._class_attribute(target, "__init__", bound=True):
                        if initializer.startswith("bnd:"):
                            self._bind_arguments(initializer[4:], True, [current], {})
                    results.add(f"obj:{target}")
                elif callee.startswith("obj:"):  # `@require_permission("admin")`: an instance's `__call__`
                    for method in self._class_attribute(target, "__call__", bound=True):
                        if method.startswith("bnd:"):
                            is_ours = True
                            results |= self._applied(method[4:], True, current)
            if is_ours:
                current = results
        return current

    def _applied(self, decorator: str, is_bound: bool, current: set[str]) -> set[str]:
        """What our function (or an instance's `__call__`) used as a decorator makes of `current`."""
        self._bind_arguments(decorator, is_bound, [current], {})
        if self._returns_its_argument(decorator, is_bound):
            return current  # `def register(cls): registry.append(cls); return cls`
        return self._wrapped(decorator, self._returns(decorator), current)

    def _returns_its_argument(self, function: str, is_bound: bool) -> bool:
        """Whether every `return` of a function gives back its first argument unchanged (a registering decorator).

        Such a decorator binds the decorated name to the definition itself, not to every
        class or function it is ever applied to (which its parameter collects).
        """
        if self._identity is None:
            returned: dict[str, list[Expr | None]] = {}
            for facts in self.modules.values():
                for fact in facts.returns:
                    value = None if fact.is_yield else fact.value
                    returned.setdefault(f"{facts.module}:{fact.scope}", []).append(value)
            self._identity = {}
            for symbol in returned:
                self._identity[symbol] = self._gives_back_first(symbol, returned, ())
                names = {str(v[1]) if v is not None and v[0] == ExprKind.NAME else None for v in returned[symbol]}
                definition = self.definitions.get(symbol)
                if definition is None or len(names) != 1 or None in names:
                    continue
                positional = [p.name for p in definition.fact.parameters if p.kind == "positional"]
                if len(positional) > 1 and positional[1] in names:
                    self._identity[f"bnd:{symbol}"] = True
        return self._identity.get(f"bnd:{function}" if is_bound else function, False)

    def _gives_back_first(self, symbol: str, returned: dict[str, list[Expr | None]], seen: tuple[str, ...]) -> bool:
        """Whether every `return` of a function gives back its first parameter: by name, or through a nested
        function that does (`return decorator(rh)`). A decorator usable with options (`def cors(rh=None, /,
        **options)`) may also return its nested decorator: applied to a definition, `rh` is never None.
        A `return None` (a decorator switching its definition off) gives back nothing to call."""
        definition = self.definitions.get(symbol)
        values = returned.get(symbol)
        if definition is None or not values or symbol in seen:
            return False
        positional = [p for p in definition.fact.parameters if p.kind == "positional"]
        if not positional:
            return False
        first = positional[0].name
        optional = positional[0].default is not None and positional[0].default[:2] == (ExprKind.CONSTANT, None)
        gives_back = False
        for value in values:
            if value is None or value[:2] == (ExprKind.CONSTANT, None):
                continue  # `if not enabled: return None`: where it gives back anything, it is its argument
            if value[:2] == (ExprKind.NAME, first) or self._nested_identity(symbol, value, first, returned, seen):
                gives_back = True
            elif not (optional and value[0] == ExprKind.NAME and f"{symbol}.{value[1]!s}" in self.definitions):
                return False
        return gives_back

    def _nested_identity(
        self, symbol: str, call: Expr, first: str, returned: dict[str, list[Expr | None]], seen: tuple[str, ...]
    ) -> bool:
        """`decorator(rh)`: a nested function of `symbol` that gives back its first argument, called on `first`."""
        if call[0] != ExprKind.CALL:
            return False
        func, given = call[2][0], call[2][1:]
        if func[0] != ExprKind.NAME or not given or given[0][:2] != (ExprKind.NAME, first):
            return False
        return self._gives_back_first(f"{symbol}.{func[1]!s}", returned, (*seen, symbol))

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
            wrapper = chain.rpartition("|")[2]
            if not wrapper.startswith(decorator + ".") and not self.declares_wrapping(wrapper):
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
            values |= self._annotated(scope, fact.annotation, fact.line)
        for target in fact.targets:
            self._assign(scope, target, fact.value, values, fact.line, fact.is_conditional)

    def _annotated(self, scope: str, annotation: Expr, line: int | None = None) -> set[str]:
        """What an annotation says a name holds: instances of the classes it names; with `type[X]`
        (`typing.Type[X]`), the class X itself (`Model: type[IndicoModel]` on a class)."""
        if annotation[0] == ExprKind.SUBSCRIPT:
            holder = self.values(scope, annotation[2][0], line)
            if "bi:type" in holder or "ext:typing:Type" in holder:
                return {v for v in self.values(scope, annotation[2][1], line) if v.startswith(("cls:", "ext:"))}
        return instances(self.values(scope, annotation, line))

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
            slot = slot_of(children[1])
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
        owners: frozenset[str] = EMPTY
        sources: dict[str, set[str]] = {}  # a method → the receivers (instances, classes) it was found on
        if func[0] == ExprKind.ATTRIBUTE:
            owners = self.values(scope, func[2][0], line)
            found: set[str] = set()
            for owner in owners:
                attributes = self._attribute(owner, str(func[1]))
                found.update(attributes)
                if owner[:4] in _RECEIVERS:
                    for attribute in attributes:
                        if attribute.startswith("bnd:") or (owner[:4] == "obj:" and self._wrapped_method(attribute)):
                            sources.setdefault(attribute, set()).add(owner)
            callees = frozenset(found)
        else:
            callees = self.values(scope, func, line)
        self.call_values[id(call)] = tuple(callees)
        is_ours = False
        for callee in callees:
            if callee[:4] in _OURS:
                is_ours = True
                break
        is_container_write = func[1] in CONTAINER_WRITES and any(o.startswith("seq:") for o in owners)
        if not (is_ours or is_container_write):
            return
        positional = [self.values(scope, a, line) if a[0] != ExprKind.STARRED else EMPTY for a in arguments]
        if is_container_write:
            self._mutate_container(owners, str(func[1]), arguments, positional)
        named = {k: self.values(scope, v, line) for k, v in keywords if k is not None}
        for callee in sorted(callees):
            if callee in sources:  # each receiver to the `self` of the method found on it, not of every one
                self._bind_receiver(callee[4:], frozenset(sources[callee]))
            if callee.startswith(("def:", "bnd:")):
                self._bind_arguments(callee.partition(":")[2], callee.startswith("bnd:"), positional, named)
            elif callee.startswith("wrap:"):
                receivers = sources.get(callee)  # a decorated method called on an instance: the instance first
                for link in callee[5:].split("|"):
                    if receivers:
                        self._bind_receiver(link, frozenset(receivers))
                    self._bind_arguments(link, bool(receivers), positional, named)
            elif callee.startswith("cls:"):
                for initializer in self._class_attribute(callee[4:], "__init__", bound=True):
                    if initializer.startswith("bnd:"):
                        self._bind_arguments(initializer[4:], True, positional, named)

    def _wrapped_method(self, value: str) -> bool:
        """Whether `value` is what our decorator made of a method (`wrap:<wrapper>|<Class.method>`): found on an
        instance, calling it passes the instance first (to the wrapper's first parameter, then to the method's)."""
        if not value.startswith("wrap:"):
            return False
        owner = self.definitions.get(value.rpartition("|")[2].rpartition(".")[0])
        return owner is not None and owner.fact.kind == "class"

    def _bind_receiver(self, method: str, receivers: frozenset[str]) -> None:
        """`obj.method()` passes `obj` as the method's first parameter (`self`, or `cls` for a classmethod):
        `receivers` are those of the call's receiver values on which `method` was found (`x.save()` with `x`
        an `A` or a `B` binds the `A` to `A.save`'s `self` and the `B` to `B.save`'s)."""
        definition = self.definitions.get(method)
        if definition is None or not definition.fact.parameters:
            return
        first = definition.fact.parameters[0]
        if first.kind != "positional":  # `def wrapper(*args, **kwargs)`: the instance is in `args`
            return
        if "classmethod" in {dotted_name(d) for d in definition.fact.decorators}:
            self._add((method, first.name), {f"cls:{r[4:]}" for r in receivers})  # `obj.create()` passes type(obj)
        else:
            self._add((method, first.name), (r for r in receivers if r.startswith("obj:")))

    def _bind_arguments(
        self,
        function: str,
        is_bound: bool,
        positional: Sequence[Iterable[str]],
        named: Mapping[str, Iterable[str]],
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


_RECEIVERS = frozenset({"obj:", "cls:"})
_OURS = frozenset({"def:", "bnd:", "cls:", "wrap"})
"""The first four characters of a callee value that binds arguments (`wrap:` is the only tag spelled `wrap`)."""


def _generic_origin(base: Expr) -> Expr:
    """A parameterised base (`ModelViewSet[Document]`, `Generic[T]`) is its class: the subscript is typing only."""
    while base[0] == ExprKind.SUBSCRIPT and base[2]:
        base = base[2][0]
    return base
