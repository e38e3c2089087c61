"""The link stage's output: one symbol table and the graphs later stages read.

Values in the symbol table are tagged strings (cheap to hash and compare):

    def:<symbol>   a function, method or lambda     (shop.views:index)
    cls:<symbol>   a class                          (shop.models:Order)
    obj:<symbol>   an instance of a class           (obj:shop.models:Order)
    mod:<module>   a module of the scanned tree     (mod:shop.views)
    ext:<mod>:<p>  something outside the tree       (ext:flask:Blueprint.route)
    bi:<name>      a builtin                        (bi:len)
    sup:<symbol>   `super()` inside class <symbol>
    seq:<n>        a list/tuple/set/dict literal (its elements are tracked)
    wrap:<w>|...|<f>  what our decorator made of function f: wrapper w (calls reach each link)

(the whole grammar, with the tags only the link stage uses inside, is in
`stages/link/values.py`)

`LinkedGraphs` holds the module import graph and the call graph (networkx,
keyed by symbol strings; external nodes carry `external=True`), the calls
that could not be resolved, and the resolver that recognizers use to ask
what an expression denotes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Protocol

import networkx as nx

from migrate_scan.model.facts import DefinitionFact, Expr, FileFacts
from migrate_scan.model.ids import AMBIGUOUS_TEST_PACKAGE, Location, is_test_module, packages_of_tests


@dataclass(frozen=True, slots=True)
class Definition:
    """A definition with the module and file it lives in."""

    symbol: str
    module: str
    file: str
    fact: DefinitionFact


@dataclass(frozen=True, slots=True)
class UnresolvedCall:
    """A call whose target static reading could not determine."""

    caller: str
    location: Location
    callee_text: str
    package: str = ""  # the outside package it reaches, when its path there is not evident


@dataclass(frozen=True, slots=True)
class SolverStats:
    """How much work the link stage's worklist solver did, and whether its budget cut any short.

    `pending` counts the units still queued when the evaluation budget ran
    out: 0 means the values reached their fixpoint; more means the result is
    bounded (some values may be missing).
    """

    units: int = 0
    evaluations: int = 0
    budget: int = 0
    pending: int = 0
    value_cap: int = 0  # the most values one variable or return may hold
    capped_sets: int = 0  # variables and returns that reached the value cap and refused values
    refused_values: int = 0  # distinct values those sets left out, summed over the sets

    @property
    def is_complete(self) -> bool:
        """True when the solver reached its fixpoint within the budget."""
        return self.pending == 0


class Resolver(Protocol):
    """What recognizers may ask the symbol table."""

    def values(self, scope: str, expr: Expr) -> frozenset[str]:
        """The tagged values `expr` may denote when evaluated in `scope` (a symbol)."""
        ...

    def qualified_names(self, scope: str, expr: Expr) -> tuple[str, ...]:
        """Dotted names `expr` may denote (`flask.Blueprint.route`, `shop.views.index`), sorted."""
        ...

    def ancestors(self, class_symbol: str) -> tuple[str, ...]:
        """The class's MRO after itself: internal symbols and external dotted names."""
        ...

    def binding_site(self, scope: str, expr: Expr) -> str | None:
        """The variable `expr` names, followed through imports (`shop.auth|bp`), or None."""
        ...

    def class_attribute(self, class_symbol: str, name: str) -> set[str]:
        """What `instance.name` finds through the MRO (bound methods tagged `bnd:`)."""
        ...

    def declares_wrapping(self, function: str) -> bool:
        """Whether a nested function is decorated `@functools.wraps(...)`: it stands for what it wraps."""
        ...

    def release(self) -> None:
        """Drop the resolution tables once no later stage will ask (they dominate peak memory)."""
        ...


@dataclass
class LinkedGraphs:
    """Everything the link stage resolved, for the recognizers and later stages."""

    modules: dict[str, FileFacts]
    definitions: dict[str, Definition]
    import_graph: nx.DiGraph[str]
    call_graph: nx.DiGraph[str]
    resolver: Resolver
    unresolved_calls: list[UnresolvedCall] = field(default_factory=list)
    resolved_calls: int = 0
    duplicate_modules: list[str] = field(default_factory=list)
    solver: SolverStats = field(default_factory=SolverStats)

    @functools.cached_property
    def test_packages(self) -> frozenset[str]:
        """The tree's `test` packages that are test code, computed once.

        Those that hold test files (`model.ids.packages_of_tests`), and test-support packages: a `test`
        package of factories and fixtures that builds on a test framework and that only test code imports.
        """
        holding_tests = packages_of_tests(self.modules)
        return holding_tests | _test_support_packages(self.modules, holding_tests)

    def is_test(self, module: str) -> bool:
        """Test code of this tree: never deployed, and what it registers exists only while tests run."""
        return is_test_module(module, self.test_packages)


TEST_FRAMEWORKS = ("pytest", "unittest", "factory", "hypothesis", "django.test", "mock", "freezegun", "responses")
"""Modules only test code builds on: a `test` package importing one of them holds test support."""


def _test_support_packages(modules: dict[str, FileFacts], known: frozenset[str]) -> frozenset[str]:
    """`test` packages without test files that import a test framework and that only test code imports."""
    candidates = {
        ".".join(parts[: index + 1])
        for parts in (module.split(".") for module in modules)
        for index, part in enumerate(parts[:-1])
        if part == AMBIGUOUS_TEST_PACKAGE
    } - known

    def inside(module: str, package: str) -> bool:
        return module == package or module.startswith(package + ".")

    found = set()
    for package in sorted(candidates):
        members = [facts for module, facts in modules.items() if inside(module, package)]
        builds_on_tests = any(
            imported.module == framework or imported.module.startswith(framework + ".")
            for facts in members
            for imported in facts.imports
            for framework in TEST_FRAMEWORKS
        )
        importers = {
            module
            for module, facts in modules.items()
            if not inside(module, package) and any(inside(imported.module, package) for imported in facts.imports)
        }
        if builds_on_tests and all(is_test_module(importer, known) for importer in importers):
            found.add(package)
    return frozenset(found)
