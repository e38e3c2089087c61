"""Data access: a view a factory of ours made, run for the classes and functions that factory call was given.

`page = make_dispatcher(EventPage, CategoryPage)` then `bp.add_url_rule("/x", "x", page)`: the route's
handler is the closure the factory returns (`make_dispatcher.<locals>.view`), and the closure calls
what the factory made of its arguments (`event_view = make_view_func(event_page)`). The link stage
is context-insensitive: there such a local holds what every call of the factory (and of the helpers
it hands its arguments to) was given, so the closure reaches every view some other blueprint passes
a helper too.

Here the route's registration is read again: the call of the factory its view comes from names the
classes and functions of ours the closure serves. The route reaches each class as a class given as
the view (its request entry method, with `self` that class), each function, and the closure's own
lines that call nothing through the factory's parameters. A route whose view is not such a closure,
or whose factory call names none of ours, is left as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from migrate_scan.model.facts import Expr, ExprKind, FileFacts
from migrate_scan.model.report import Route
from migrate_scan.stages.recognize.data_access_bindings import tainted_names, uses_any
from migrate_scan.stages.recognize.evaluation import Evaluator
from migrate_scan.stages.recognize.expressions import functions_of, scope_of

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess

CLASS_ENTRY_METHODS = ("dispatch_request", "__call__", "dispatch", "process")
"""What a class given as a view runs requests through (as the Flask recognizer reads such a class)."""


class FactoryView(NamedTuple):
    """What a route's closure serves: its own lines not calling through the factory's parameters
    (`closure`, a variant when some do), the functions and the view classes (with their entry methods)."""

    closure: str
    functions: tuple[str, ...]
    classes: tuple[tuple[str, str], ...]  # (entry method, class)


class FactoryViews:
    """The factory calls behind routes whose handler is a closure (indexes built on the first such route)."""

    def __init__(self, access: DataAccess) -> None:
        self.access = access
        self._evaluator: Evaluator | None = None
        self._files: dict[str, FileFacts] | None = None
        self._found: dict[tuple[str, str, int], FactoryView | None] = {}

    def of(self, route: Route) -> FactoryView | None:
        """The factory view behind `route`, or None (its handler is no closure, or no factory call names ours)."""
        if route.view is not None or self._factory(route.handler) is None:
            return None
        key = (route.handler, route.location.file, route.location.line)
        if key not in self._found:
            self._found[key] = self._read(route)
        return self._found[key]

    def _factory(self, handler: str) -> str | None:
        """The function of ours a function is defined in (a closure's factory), else None."""
        definitions = self.access.graphs.definitions
        definition = definitions.get(handler)
        if definition is None or definition.fact.kind != "function" or not definition.fact.scope:
            return None
        enclosing = definitions.get(scope_of(definition.module, definition.fact.scope))
        return enclosing.symbol if enclosing is not None and enclosing.fact.kind == "function" else None

    def _read(self, route: Route) -> FactoryView | None:
        factory = self._factory(route.handler)
        facts = self._facts(route.location.file)
        if factory is None or facts is None:
            return None
        graphs = self.access.graphs
        if self._evaluator is None:
            self._evaluator = Evaluator(graphs)
        for call in facts.calls:
            if call.line != route.location.line:
                continue
            scope = scope_of(facts.module, call.scope) if call.scope else facts.module
            for argument in (*call.call[2][1:], *(value for _, value in call.call[3])):
                if f"def:{route.handler}" not in graphs.resolver.values(scope, argument):
                    continue
                for where, given in self._evaluator.origins(scope, argument):
                    if given[0] != ExprKind.CALL:
                        continue
                    if factory in functions_of(graphs.resolver.values(where, given[2][0])):
                        return self._served(route.handler, factory, where, given)
        return None

    def _served(self, closure: str, factory: str, scope: str, call: Expr) -> FactoryView | None:
        """What a call of `factory` gives the closure: the classes (with entry methods) and functions of ours."""
        resolver = self.access.graphs.resolver
        definitions = self.access.graphs.definitions
        functions: set[str] = set()
        classes: set[tuple[str, str]] = set()
        for argument in (*call[2][1:], *(value for _, value in call[3])):
            for value in resolver.values(scope, argument):
                target = value[4:]
                if value.startswith("cls:") and target in definitions:
                    entry = next(
                        (
                            found[0]
                            for name in CLASS_ENTRY_METHODS
                            if (found := functions_of(resolver.class_attribute(target, name)))
                        ),
                        None,
                    )
                    if entry is not None:
                        classes.add((entry, target))
                elif value.startswith("def:") and target in definitions:
                    functions.add(target)
        if not classes and not functions:
            return None
        dead = self._through_parameters(closure, factory)
        variant = self.access.variant(closure, dead) if dead else closure
        return FactoryView(variant, tuple(sorted(functions)), tuple(sorted(classes)))

    def _through_parameters(self, closure: str, factory: str) -> tuple[tuple[int, int], ...]:
        """The lines of the closure's calls of a name the factory computes from its parameters."""
        graphs = self.access.graphs
        outer = graphs.definitions[factory]
        facts = graphs.modules.get(outer.module)
        if facts is None:
            return ()
        tainted = tainted_names(
            {p.name for p in outer.fact.parameters},
            [a for a in facts.assignments if a.scope == outer.fact.qualname and a.value is not None],
        )
        qualname = graphs.definitions[closure].fact.qualname
        lines = sorted(
            {c.line for c in facts.calls if c.scope == qualname and uses_any(c.call[2][0], tainted)},
        )
        return tuple((line, line) for line in lines)

    def _facts(self, file: str) -> FileFacts | None:
        if self._files is None:
            self._files = {facts.path: facts for facts in self.access.graphs.modules.values()}
        return self._files.get(file)
