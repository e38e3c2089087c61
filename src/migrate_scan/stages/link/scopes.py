"""Scopes and name lookup: which scope binds a name, and what it holds there.

Declares every module body, class body, function and lambda of the tree as a
`Scope` with its local names (definitions, parameters, imports, assignment
targets), then answers lookups the way Python does: LEGB, class bodies
visible only from inside, star imports (`__all__` or public names), module
attributes and submodules, and straight-line rebinding (`a = f` then
`a = g`: a use after the second sees only `g`).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from migrate_scan.model.facts import DefinitionFact, Expr, ExprKind, FileFacts, ImportFact, dotted_name
from migrate_scan.model.faults import isolated
from migrate_scan.model.graphs import Definition
from migrate_scan.model.ids import Location
from migrate_scan.stages.link.solver import Solver
from migrate_scan.stages.link.values import BUILTIN_NAMES, EMPTY, grow, prefixes


@dataclass
class Scope:
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


class Scopes(Solver):
    """The tree's scopes and what their names denote (the lookup half of the symbol table)."""

    def __init__(self) -> None:
        super().__init__()
        self.modules: dict[str, FileFacts] = {}
        self.duplicate_modules: list[str] = []
        self.scopes: dict[str, Scope] = {}
        self.definitions: dict[str, Definition] = {}
        self.generators: set[str] = set()
        # Straight-line rebinding (`a = f` then `a = g`): what each plain assignment binds, by line.
        self._assignment_lines: dict[tuple[str, str], list[tuple[int, bool]]] = defaultdict(list)
        self._assigned: dict[tuple[str, str, int], set[str]] = defaultdict(set)
        self._other_bindings: set[tuple[str, str]] = set()
        self._straight_lines: dict[tuple[str, str], tuple[list[int], list[int]]] = {}
        self._bindings: dict[tuple[str, str], tuple[str, str]] = {}  # (scope, name) → ("local", scope) ...
        self._exports: dict[str, set[str]] = {}  # module → its literal `__all__`
        self._import_sites: dict[tuple[str, str], ImportFact] = {}  # (scope, bound name) → its import
        self._external_modules: set[str] = set()
        self._namespaces: set[str] = set()
        self._rebound: set[tuple[str, str]] = set()
        self._shadowed: dict[str, frozenset[str]] = {}  # package → submodule names its body rebinds last
        self._imported: frozenset[str] | None = None  # every module an import statement names (shadowing)

    def _declare(self, files: Iterable[FileFacts]) -> None:
        """Declare every module's scopes, definitions and bindings (once, before solving)."""
        for facts in sorted(files, key=lambda f: f.path):
            if facts.module in self.modules:
                self.duplicate_modules.append(facts.path)
                continue
            self.modules[facts.module] = facts
        for facts in self.modules.values():
            with isolated("link", f"module {facts.module}", Location(file=facts.path, line=0)):
                self._declare_module(facts)
        self._namespaces = {
            prefix for module in self.modules for prefix in prefixes(module) if prefix not in self.modules
        }
        self._external_modules -= self._namespaces
        self._rebound = {
            key
            for key, bindings in self._assignment_lines.items()
            if len(bindings) > 1 and key not in self._other_bindings
        }
        # Only a rebound name's assignment lines are read from now on (`_assignment_order`): drop the rest.
        self._assignment_lines = defaultdict(list, {key: self._assignment_lines[key] for key in self._rebound})
        self._other_bindings = set()  # a rebound name has no other binding: no later question needs them

    def _declare_module(self, facts: FileFacts) -> None:
        module = facts.module
        self.scopes[module] = Scope(module, module, "module", None)
        for definition in facts.definitions:
            symbol = f"{module}:{definition.qualname}"
            parent = f"{module}:{definition.scope}" if definition.scope else module
            kind = definition.kind if definition.kind != "class" else "class"
            self.scopes[symbol] = Scope(symbol, module, kind, parent, definition)
            self.definitions[symbol] = Definition(symbol, module, facts.path, definition)
        for definition in facts.definitions:
            symbol = f"{module}:{definition.qualname}"
            scope = self.scopes[symbol]
            enclosing = self.scopes[scope.parent] if scope.parent else None
            scope.parent_kind = enclosing.kind if enclosing else "module"
            if enclosing is not None and definition.kind != "lambda":
                enclosing.locals.add(definition.name)
                self._other_bindings.add((enclosing.symbol, definition.name))
            for parameter in definition.parameters:
                scope.locals.add(parameter.name)
                self._other_bindings.add((symbol, parameter.name))
            self._declare_parameters(scope)
        for fact in facts.imports:
            if fact.is_resolved and not any(m in self.modules for m in (fact.module, *prefixes(fact.module))):
                self._external_modules.update((fact.module, *prefixes(fact.module)))
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
                exported = _literal_strings(assignment.value)
                if exported is not None:
                    self._exports.setdefault(module, set()).update(exported)
        for returned in facts.returns:
            if returned.is_yield:
                self.generators.add(f"{module}:{returned.scope}")

    def _scope_of(self, module: str, qualname: str) -> Scope:
        return self.scopes[f"{module}:{qualname}" if qualname else module]

    def _declare_parameters(self, scope: Scope) -> None:
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
            key = (scope.symbol, first.name)
            self.vars[key] = self.vars.get(key, EMPTY) | {tag + owner}

    def _add_assigned(self, key: tuple[str, str], line: int, values: Iterable[str]) -> None:
        if not values or (key not in self._rebound and not key[0].startswith("seq:")):
            return  # a name bound once: its only assignment is all `_reaching` could ever say
        if grow(self._assigned[(*key, line)], values):
            self._notify(key)

    def _lookup(self, scope: str, name: str, line: int | None = None) -> frozenset[str]:
        binding = self._bindings.get((scope, name))
        if binding is None:
            binding = self._bindings[(scope, name)] = self.find_binding(scope, name)
        kind, where = binding
        if kind == "local":
            if where == scope and line is not None and (where, name) in self._rebound:
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
        return EMPTY

    def binding(self, scope: str, name: str) -> tuple[str, str]:
        """`find_binding`, memoised (the scopes do not change once declared)."""
        binding = self._bindings.get((scope, name))
        if binding is None:
            binding = self._bindings[(scope, name)] = self.find_binding(scope, name)
        return binding

    def find_binding(self, scope: str, name: str) -> tuple[str, str]:
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

    def _star_lookup(self, scope: Scope, name: str, depth: int) -> frozenset[str]:
        """A name a module got from `from x import *`: the last import that exports it wins.

        Our own modules export their `__all__`, or else their public names.
        What an outside module exports is unknown: it is assumed to provide
        the name unless one of ours does or the name is a builtin.
        """
        if depth > 5:
            return EMPTY
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
        return EMPTY

    def _module_attribute(self, module: str, name: str, depth: int) -> frozenset[str]:
        submodule = f"{module}.{name}"
        if (submodule in self.modules or submodule in self._namespaces) and not self.shadows_submodule(module, name):
            return frozenset({f"mod:{submodule}"})
        scope = self.scopes.get(module)
        if scope is None:  # a namespace package: only its submodules are known
            return EMPTY
        if name in scope.locals:
            return self._read((module, name))
        return self._star_lookup(scope, name, depth)

    def shadows_submodule(self, package: str, name: str) -> bool:
        """Whether the package's own body binds `name`, shadowing its submodule `name`.

        Importing `pkg.name` sets the package attribute `name` to the submodule; a later binding of
        the name in the package body (`from .pages import categories` after `from .categories import
        X`) replaces it: the last binding in the package namespace wins. `from .name import name`
        loads the submodule, then binds the name: the binding wins. A submodule the body never loads
        but another module does (`from pkg.name import x`) is set on the package when that runs.
        """
        shadowed = self._shadowed.get(package)
        if shadowed is None:
            facts = self.modules.get(package)
            if self._imported is None:  # every module an import names, with the packages it loads on the way
                named = {fact.module for other in self.modules.values() for fact in other.imports}
                self._imported = frozenset(named.union(*(prefixes(m) for m in named)))
            shadowed = frozenset(
                name
                for name, loaded_here in (_rebound_submodules(facts) if facts is not None else {}).items()
                if loaded_here or f"{package}.{name}" not in self._imported
            )
            self._shadowed[package] = shadowed
        return name in shadowed


def _rebound_submodules(facts: FileFacts) -> dict[str, bool]:
    """Names a package's module body binds (not to its submodule of that name) after the submodule is first
    loaded, each with whether the body loads that submodule at all (before binding the name).

    `from pkg import name` takes the package attribute when there is one, so the package's own
    binding wins over its submodule. Only the submodule's first load sets the attribute: a later
    `from .name import other` or `import pkg.name` finds it loaded and leaves the binding alone.
    """
    loaded: dict[str, int] = {}  # name → first line loading the submodule `package.name`
    bound: dict[str, int] = {}  # name → last line binding it otherwise
    package = facts.module
    for fact in facts.imports:
        if fact.scope:
            continue
        if fact.module.startswith(f"{package}."):
            child = fact.module[len(package) + 1 :].partition(".")[0]
            loaded[child] = min(loaded.get(child, fact.line), fact.line)
        elif fact.module == package and fact.name not in (None, "*"):  # `from . import name`
            loaded[str(fact.name)] = min(loaded.get(str(fact.name), fact.line), fact.line)
            continue
        if fact.bound_as and fact.name not in (None, "*"):
            bound[fact.bound_as] = max(bound.get(fact.bound_as, 0), fact.line)
    for definition in facts.definitions:
        if not definition.scope and definition.kind in ("function", "class"):
            bound[definition.name] = max(bound.get(definition.name, 0), definition.line)
    for assignment in facts.assignments:
        if not assignment.scope and len(assignment.targets) == 1 and assignment.targets[0][0] == ExprKind.NAME:
            name = str(assignment.targets[0][1])
            bound[name] = max(bound.get(name, 0), assignment.line)
    return {name: name in loaded for name, line in bound.items() if line >= loaded.get(name, 0)}


def _literal_strings(expr: Expr | None) -> set[str] | None:
    """The strings of a literal list or tuple of strings (`__all__`), else None."""
    if expr is None or expr[0] not in (ExprKind.LIST, ExprKind.TUPLE):
        return None
    names = {c[1] for c in expr[2] if c[0] == ExprKind.CONSTANT and isinstance(c[1], str)}
    return names if len(names) == len(expr[2]) else None


def _bound_names(target: Expr) -> Iterator[str]:
    kind, value, children, _ = target
    if kind == ExprKind.NAME:
        yield str(value)
    elif kind in (ExprKind.TUPLE, ExprKind.LIST, ExprKind.STARRED):
        for child in children:
            yield from _bound_names(child)
