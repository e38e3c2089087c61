"""Bounded static partial evaluation: what an expression may stand for, read from the facts.

Real applications register routes, blueprints and jobs through their own code:
a loop over a tuple of blueprints, a factory that takes the blueprints as a
parameter, a helper method that prefixes every URL it is given, a prefix
built with an f-string from a module constant. The recognizers ask this
module three questions about an expression in a scope:

- `origins`: the expressions its value may come from, each with the scope to
  read it in: a local or module variable gives the values assigned to it
  (unconditional ones first), a loop variable the elements of what it
  iterates, a parameter the argument given at each call site of its function
  (or its default);
- `elements`: the elements of a sequence it holds (list and tuple literals,
  concatenations, names bound to them, parameters given them);
- `string`: the one string it folds to (literals, f-strings, `+`, `%` and
  `str.format` over constants, names, and calls of the project's own
  functions whose last `return` folds). A name assigned a literal default and
  conditionally overridden (`prefix = ""` then `if ...: prefix = ...`) folds
  to the default; so do `getattr(obj, "X", default)` (but an instance of a
  project class, `Cls.objects.get()` or `Cls(...)`, gives the `default=` its
  field `X` declares: a settings row as a fresh installation has it), `settings.X` through a
  settings object (the settings modules' `X`), and `app.config["X"]` or
  `app.config.get("X", default)` (`X` in the objects given to
  `app.config.from_object(...)`), and `mapping["key"]` of a dict literal.

Everything is bounded (depth, call sites per function); what cannot be
followed gives no answer, never a guess.
"""

from __future__ import annotations

import string
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

from migrate_scan.model.facts import (
    AssignmentFact,
    BranchFact,
    CallFact,
    DefinitionFact,
    Expr,
    ExprKind,
    FileFacts,
    ParameterFact,
)
from migrate_scan.model.graphs import Definition, LinkedGraphs
from migrate_scan.model.ids import Location
from migrate_scan.model.report import LimitReached
from migrate_scan.stages.recognize.apps import app_label_of
from migrate_scan.stages.recognize.expressions import scope_of, shared_index, subexpressions

MAX_DEPTH = 8
MAX_CALL_SITES = 256
MAX_ELEMENTS = 256
MAX_COMBINATIONS = 32  # rows of the loops around one registration
MAX_APPLICATIONS = 4096  # applications of one registering function (a decorator on thousands of views)

Origin = tuple[str, Expr]
"""An expression and the scope (`module` or `module:qualname`) it is read in."""

UNKNOWN = object()
"""What `constant` answers for a value static reading cannot know."""

COMPREHENSIONS = frozenset({"ListComp", "SetComp", "GeneratorExp"})
_UNKNOWN_EXPR: Expr = (ExprKind.OTHER, "Unknown", (), ())


@dataclass(frozen=True)
class Store:
    """`container[k1][k2].append(value)` in a function body: how a module-level container is filled."""

    site: str  # the container variable, `module|name`
    keys: tuple[Expr, ...]  # the subscripts, outermost first, in the function's scope
    value: Expr
    function: str  # symbol of the function that stores
    location: Location


@dataclass(frozen=True)
class Registration:
    """One value a registering function stored, as one application of it gave it.

    `record` is the stored value with every part that folds replaced by its constant and the
    decorated object (or any argument read in the applying scope) kept as written there.
    """

    keys: tuple[str | None, ...]
    record: Origin
    location: Location


@dataclass(frozen=True)
class Binding:
    """Arguments bound to a function's parameters at one call site (the callee's view)."""

    function: str  # symbol of the callee
    values: dict[str, tuple[Origin, ...]]  # parameter → the argument expression(s) given, in the caller's scope
    outer: Binding | None = None  # the enclosing factory's call that made this closure (`@route("/x")`)

    def get(self, name: str) -> tuple[Origin, ...] | None:
        """The argument(s) given for a parameter, if this call site gave any."""
        return self.values.get(name)


@dataclass
class Evaluator:
    """Answers `origins`, `elements` and `string` over one scan's linked facts (indexes built lazily)."""

    graphs: LinkedGraphs
    settings_objects: frozenset[str] = (
        frozenset()
    )  # qualified names whose attributes are settings (`django.conf.settings`)
    app_labels: dict[str, str] = field(default_factory=dict)  # Django app package → label (applications product)
    _assignments: dict[str, list[tuple[str, AssignmentFact]]] | None = None
    _calls_by_name: dict[str, list[tuple[FileFacts, CallFact]]] | None = None
    _returns: dict[str, list[tuple[int, Expr]]] | None = None
    _config_sources: list[str] | None = None
    _sites: dict[str, list[Binding]] = field(default_factory=dict)
    _active: dict[str, Binding] = field(default_factory=dict)  # function → the call site being evaluated
    capped_sites: dict[str, int] = field(default_factory=dict)  # function → calls of its name left unexamined
    capped_applications: dict[str, int] = field(default_factory=dict)  # registering function → applications left
    _fixed: dict[str, Origin] = field(default_factory=dict)  # variable site → the one element it stands for
    _getting: set[tuple[str, Expr]] = field(default_factory=set)  # `d.get(...)` calls being folded (re-entry)
    _deciding: set[tuple[str, str, int]] = field(default_factory=set)  # branch tests being decided (re-entry)
    _stores: dict[str, list[Store]] | None = None
    _registrations: dict[str, list[Registration]] = field(default_factory=dict)
    _decorations: dict[str, list[tuple[FileFacts, DefinitionFact, Expr]]] | None = None
    _branches: dict[tuple[str, str], list[BranchFact]] | None = None
    _unpacked: dict[str, list[tuple[str, AssignmentFact, int]]] | None = None
    dead_call_sites: dict[str, int] = field(default_factory=dict)  # function → its calls in branches not taken
    registered_at: dict[Origin, Location] = field(default_factory=dict)  # a registration's record → its site
    _models_by_label: dict[str, list[Origin]] | None = None  # app label → its concrete model classes

    def limits(self) -> list[LimitReached]:
        """The call-site and application caps, where a function had more than are evaluated one by one."""
        found = []
        if self.capped_applications:
            hits, dropped = len(self.capped_applications), sum(self.capped_applications.values())
            found.append(
                LimitReached(
                    stage="recognize",
                    limit="call-sites-per-function",
                    cap=MAX_APPLICATIONS,
                    hits=hits,
                    dropped=dropped,
                    message=f"{hits} registering function(s) are applied more than {MAX_APPLICATIONS} times; "
                    f"{dropped} further application(s) were not read.",
                )
            )
        if not self.capped_sites:
            return found
        hits, dropped = len(self.capped_sites), sum(self.capped_sites.values())
        return [
            *found,
            LimitReached(
                stage="recognize",
                limit="call-sites-per-function",
                cap=MAX_CALL_SITES,
                hits=hits,
                dropped=dropped,
                message=f"{hits} registration helper(s) have more than {MAX_CALL_SITES} call sites; the first "
                f"{MAX_CALL_SITES} in source order were followed, {dropped} further call(s) by that name were not.",
            ),
        ]

    @contextmanager
    def bound(self, binding: Binding) -> Iterator[None]:
        """Within the block, the parameters of `binding.function` are the arguments of that one call site
        (and those of the factory that made it, for a closure a decorator factory returned)."""
        previous = self._active.get(binding.function)
        self._active[binding.function] = binding
        try:
            if binding.outer is not None:
                with self.bound(binding.outer):
                    yield
            else:
                yield
        finally:
            if previous is None:
                del self._active[binding.function]
            else:
                self._active[binding.function] = previous

    @contextmanager
    def fixed(self, site: str, origin: Origin) -> Iterator[None]:
        """Within the block, the variable `site` (a loop variable) stands for the one element `origin`."""
        previous = self._fixed.get(site)
        self._fixed[site] = origin
        try:
            yield
        finally:
            if previous is None:
                del self._fixed[site]
            else:
                self._fixed[site] = previous

    # -- indexes --------------------------------------------------------------------------------

    def assignments(self, site: str) -> list[tuple[str, AssignmentFact]]:
        """(scope, assignment) of every assignment to a variable `scope|name`, in source order."""
        if self._assignments is None:
            self._assignments = shared_index(self.graphs, "assignments", self._index_assignments)
        return self._assignments.get(site, [])

    def _index_assignments(self) -> dict[str, list[tuple[str, AssignmentFact]]]:
        index: dict[str, list[tuple[str, AssignmentFact]]] = defaultdict(list)
        for facts in self.graphs.modules.values():
            for assignment in facts.assignments:
                if len(assignment.targets) != 1 or assignment.targets[0][0] != ExprKind.NAME:
                    continue
                scope = scope_of(facts.module, assignment.scope)
                index[f"{scope}|{assignment.targets[0][1]!s}"].append((scope, assignment))
        return index

    def unpacked(self, site: str) -> list[tuple[str, AssignmentFact, int]]:
        """(scope, assignment, position) of every tuple target that binds `scope|name` (`for a, b in ...`)."""
        if self._unpacked is None:
            self._unpacked = shared_index(self.graphs, "unpacked", self._index_unpacked)
        return self._unpacked.get(site, [])

    def _index_unpacked(self) -> dict[str, list[tuple[str, AssignmentFact, int]]]:
        index: dict[str, list[tuple[str, AssignmentFact, int]]] = defaultdict(list)
        for facts in self.graphs.modules.values():
            for assignment in facts.assignments:
                target = assignment.targets[0] if len(assignment.targets) == 1 else None
                if target is None or target[0] not in (ExprKind.TUPLE, ExprKind.LIST):
                    continue
                scope = scope_of(facts.module, assignment.scope)
                for position, child in enumerate(target[2]):
                    if child[0] == ExprKind.NAME:
                        index[f"{scope}|{child[1]!s}"].append((scope, assignment, position))
        return index

    def call_sites(self, function: str) -> list[Binding]:
        """The arguments bound to `function`'s parameters at each call site the tree has (bounded)."""
        if function in self._sites:
            return self._sites[function]
        definition = self.graphs.definitions.get(function)
        found: list[Binding] = []
        if definition is not None and definition.fact.kind == "function":
            if self._calls_by_name is None:
                self._calls_by_name = shared_index(self.graphs, "calls", self._index_calls)
            candidates = self._calls_by_name.get(definition.fact.name, [])
            for index, (facts, call) in enumerate(candidates):
                scope = scope_of(facts.module, call.scope)
                values = self.graphs.resolver.values(scope, call.call[2][0])
                if f"def:{function}" not in values and f"bnd:{function}" not in values:
                    continue
                if self.is_dead(facts, call.scope, call.line):
                    self.dead_call_sites[function] = self.dead_call_sites.get(function, 0) + 1
                else:
                    found.append(_bind(definition.fact, function, scope, call.call))
                    if len(found) >= MAX_CALL_SITES:
                        self.capped_sites[function] = len(candidates) - index - 1
                        break
            if definition.fact.scope and len(found) < MAX_CALL_SITES:
                found += self._decorator_sites(function, definition.fact)[: MAX_CALL_SITES - len(found)]
        self._sites[function] = found
        return found

    def _decorator_sites(self, function: str, fact: DefinitionFact) -> list[Binding]:
        """A closure a decorator factory returns, applied by `@factory(args)` to each definition it decorates:
        its first parameter is the decorated definition, its factory's parameters that call's arguments."""
        module = function.partition(":")[0]
        factory = f"{module}:{fact.scope}"
        outer = self.graphs.definitions.get(factory)
        positional = [p.name for p in fact.parameters if p.kind == "positional"]
        if outer is None or outer.fact.kind != "function" or not positional:
            return []
        if not any(value[:2] == (ExprKind.NAME, fact.name) for value in self.returns(factory)):
            return []
        found = []
        for facts, decorated, decorator in self.decorations().get(outer.fact.name, []):
            if decorator[0] != ExprKind.CALL:
                continue
            scope = scope_of(facts.module, decorated.scope)
            if f"def:{factory}" not in self.graphs.resolver.values(scope, decorator[2][0]):
                continue
            made = _bind(outer.fact, factory, scope, decorator)
            name: Expr = (ExprKind.NAME, decorated.name, (), ())
            given: dict[str, tuple[Origin, ...]] = {positional[0]: ((scope, name),)}
            found.append(Binding(function=function, values=given, outer=made))
        return found

    def _index_calls(self) -> dict[str, list[tuple[FileFacts, CallFact]]]:
        index: dict[str, list[tuple[FileFacts, CallFact]]] = defaultdict(list)
        for facts in self.graphs.modules.values():
            for call in facts.calls:
                func = call.call[2][0]
                if func[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE):
                    index[str(func[1])].append((facts, call))
        return index

    def returns(self, function: str) -> list[Expr]:
        """The values a function of the tree returns, the last `return` first (the fall-through default)."""
        if self._returns is None:
            self._returns = shared_index(self.graphs, "returns", self._index_returns)
        return [value for _, value in sorted(self._returns.get(function, ()), reverse=True)]

    def _index_returns(self) -> dict[str, list[tuple[int, Expr]]]:
        index: dict[str, list[tuple[int, Expr]]] = defaultdict(list)
        for facts in self.graphs.modules.values():
            for returned in facts.returns:
                if not returned.is_yield:
                    index[scope_of(facts.module, returned.scope)].append((returned.line, returned.value))
        return index

    # -- origins --------------------------------------------------------------------------------

    def origins(
        self,
        scope: str,
        expr: Expr,
        depth: int = 0,
        stack: tuple[str, ...] = (),
        stop: Callable[[str], bool] | None = None,
    ) -> list[Origin]:
        """The expressions a value may come from; the expression itself when it is not a variable.

        A variable assigned in terms of itself (`blueprints = blueprints + DEFAULTS`) reads, inside
        that assignment, the value it had before: the parameter's arguments, or nothing. With
        `stop`, a variable whose binding site it accepts is an origin itself (not followed).
        """
        if depth > MAX_DEPTH:
            return []
        if expr[0] != ExprKind.NAME:
            return [(scope, expr)]
        site = self.graphs.resolver.binding_site(scope, expr)
        if site is None or (stop is not None and stop(site)):
            return [(scope, expr)]
        if site in self._fixed:
            return [self._fixed[site]]
        owner, _, name = site.rpartition("|")
        parameter = self._parameter(owner, name)
        found: list[Origin] = []
        if site not in stack:
            for where, assignment in sorted(self.assignments(site), key=lambda a: (a[1].is_conditional, a[1].line)):
                if assignment.value is None or assignment.operator not in (None, "iter"):
                    continue
                if assignment.operator == "iter":
                    for item_scope, item in self.elements(where, assignment.value, depth + 1, (*stack, site)) or ():
                        found += self.origins(item_scope, item, depth + 1, stack, stop)
                else:
                    found += self.origins(where, assignment.value, depth + 1, (*stack, site), stop)
            for where, assignment, position in self.unpacked(site):
                found += self._unpacked_origins(where, assignment, position, depth, (*stack, site), stop)
            if found and parameter is None:
                return found
        if parameter is None:
            return found or ([(scope, expr)] if site not in stack and not self.assignments(site) else [])
        given: list[Origin] = []
        active = self._active.get(owner)
        for binding in [active] if active is not None else self.call_sites(owner):
            for where, argument in binding.get(name) or ():
                given += self.origins(where, argument, depth + 1, (), stop)
        if not given and parameter.default is not None:
            module, enclosing = _split(owner)
            given = self.origins(scope_of(module, enclosing), parameter.default, depth + 1, (), stop)
        return found + given if site not in stack else given

    def _unpacked_origins(
        self,
        scope: str,
        assignment: AssignmentFact,
        position: int,
        depth: int,
        stack: tuple[str, ...],
        stop: Callable[[str], bool] | None,
    ) -> list[Origin]:
        """`for prefix, flag in (("/a", True), ("/b", False))` (or `a, b = x, y`): each element's part."""
        if assignment.value is None or assignment.operator not in (None, "iter"):
            return []
        rows = self.elements(scope, assignment.value, depth + 1, stack) if assignment.operator == "iter" else None
        rows = rows if rows is not None else ([(scope, assignment.value)] if assignment.operator is None else [])
        found: list[Origin] = []
        for where, row in rows:
            for row_scope, made in self.origins(where, row, depth + 1, stack, stop):
                if made[0] in (ExprKind.TUPLE, ExprKind.LIST) and position < len(made[2]):
                    found += self.origins(row_scope, made[2][position], depth + 1, stack, stop)
        return found

    def _parameter(self, function: str, name: str) -> ParameterFact | None:
        definition = self.graphs.definitions.get(function)
        if definition is None or definition.fact.kind != "function":
            return None
        return next((p for p in definition.fact.parameters if p.name == name), None)

    # -- sequences ------------------------------------------------------------------------------

    def elements(self, scope: str, expr: Expr, depth: int = 0, stack: tuple[str, ...] = ()) -> list[Origin] | None:
        """The elements of a sequence value, each with its scope; None when they cannot be known."""
        if depth > MAX_DEPTH:
            return None
        kind = expr[0]
        if kind in (ExprKind.LIST, ExprKind.TUPLE, ExprKind.SET):
            found: list[Origin] = []
            for child in expr[2]:
                if child[0] == ExprKind.STARRED:
                    inner = self.elements(scope, child[2][0], depth + 1, stack)
                    if inner is None:
                        return None
                    found += inner
                elif child[0] == ExprKind.TRUNCATED:
                    return None
                else:
                    found.append((scope, child))
            return found[:MAX_ELEMENTS]
        if kind == ExprKind.BINARY and expr[1] == "Add":
            left = self.elements(scope, expr[2][0], depth + 1, stack)
            right = self.elements(scope, expr[2][1], depth + 1, stack)
            if left is None and right is None:
                return None
            return ((left or []) + (right or []))[:MAX_ELEMENTS]
        if kind == ExprKind.OTHER and expr[1] in COMPREHENSIONS and len(expr[2]) >= 3:
            return self._comprehension_elements(scope, expr, depth, stack)
        if kind == ExprKind.SUBSCRIPT:
            return self.stored(scope, expr)
        if kind == ExprKind.CALL and expr[2][0][:2] in _DICT_VIEWS and len(expr[2]) == 1:
            return self._dict_view(scope, expr, depth)
        if kind == ExprKind.CALL and expr[2][0][:2] == (ExprKind.ATTRIBUTE, "get_models"):
            return self._app_models(scope)
        if kind == ExprKind.CALL and len(expr[2]) >= 2:
            return self._sequence_call(scope, expr, depth, stack)
        if kind == ExprKind.NAME:
            stored = self.stored(scope, expr) or []
            origins = self.origins(scope, expr, depth + 1, stack)
            if not origins or origins == [(scope, expr)]:
                return stored or None
            found = list(stored)
            for where, origin in origins:
                inner = self.elements(where, origin, depth + 1, stack)
                if inner is not None:
                    found += [item for item in inner if item not in found]
            return found[:MAX_ELEMENTS] if found else None
        return None

    # -- strings --------------------------------------------------------------------------------

    def string(self, scope: str, expr: Expr | None, depth: int = 0) -> str | None:
        """The one string a value folds to, or None."""
        if expr is None or depth > MAX_DEPTH:
            return None
        return self._text(scope, expr, depth)

    def strings(self, scope: str, expr: Expr | None) -> list[str]:
        """Every string a value may fold to (a loop variable over literals gives each), in order."""
        if expr is None:
            return []
        if expr[0] != ExprKind.NAME:
            text = self.string(scope, expr)
            return [] if text is None else [text]
        found: list[str] = []
        for where, origin in self.origins(scope, expr):
            if origin == expr and where == scope:
                continue
            text = self.string(where, origin)
            if text is not None and text not in found:
                found.append(text)
        return found

    def loop_rows(
        self, scope: str, exprs: list[Expr], line: int, cap: int = MAX_COMBINATIONS
    ) -> list[list[tuple[str, Origin]]]:
        """One binding of loop variables per row of the loops that the names in `exprs` iterate.

        `for name, view in (("a", a), ("b", b)): bp.add_url_rule(f"/{name}", view_func=view)` gives
        two rows, each fixing `name` and `view` to the same element's parts (never a cross
        product of one loop's variables); nested loops combine (bounded). `[[]]` when no name
        is a loop variable over elements that can be known. A name's loop is its latest `for`
        at or before `line` in the same scope.
        """
        loops: list[tuple[str, AssignmentFact]] = []
        pending = [(expr, line) for expr in exprs]
        while pending and len(loops) < 4:  # the loops around the line, and those their iterables come from
            expr, before = pending.pop()
            for leaf in _name_leaves(expr):
                site = self.graphs.resolver.binding_site(scope, leaf)
                if site is None or site in self._fixed:
                    continue
                bound = [(w, a) for w, a in self.assignments(site) if a.operator == "iter" and a.line <= before]
                bound += [(w, a) for w, a, _ in self.unpacked(site) if a.operator == "iter" and a.line <= before]
                latest = max(bound, key=lambda b: b[1].line, default=None)  # the loop around the line
                if latest is not None and latest not in loops and latest[1].value is not None:
                    loops.append(latest)
                    pending.append((latest[1].value, latest[1].line - 1))
                elif latest is None:  # `if kind == "a": prefix = "/a"`: the loop `kind` comes from decides
                    pending += self._deciding_names(site, before)
        rows: list[list[tuple[str, Origin]]] = [[]]
        unknown: set[str] = set()  # targets of a loop over what cannot be known: what they feed is not enumerated
        for where, loop in sorted(loops, key=lambda b: b[1].line):  # outer loops first
            targets = {self.graphs.resolver.binding_site(where, t) for t in _name_leaves_of_target(loop.targets[0])}
            feeds = {self.graphs.resolver.binding_site(where, leaf) for leaf in _name_leaves(loop.value or _NONE)}
            expanded = []
            for done in rows if not feeds & unknown else []:
                with self.row(done):
                    items = self._iterated(where, loop.value, loop.line) if loop.value is not None else None
                for item in (items or [])[:cap]:
                    fixes = self._row_fixes(where, loop.targets[0], item)
                    if fixes is not None:
                        expanded.append([*done, *fixes])
            if not expanded:
                unknown |= {t for t in targets if t is not None}
            rows = expanded[:cap] or rows
        start = min((loop.line for _, loop in loops), default=line)
        assigned = self._body_names(scope, exprs) if loops else []
        return [self._reassigned(row, start, line, assigned) for row in rows]

    def _deciding_names(self, site: str, before: int) -> list[tuple[Expr, int]]:
        """The names tested by the `if` statements around a name's conditional assignments before a line."""
        module, _, qualname = site.rpartition("|")[0].partition(":")
        if self._branches is None:
            self._branches = shared_index(self.graphs, "branches", self._index_branches)
        branches = self._branches.get((module, qualname), [])
        found: list[tuple[Expr, int]] = []
        for _, assignment in self.assignments(site):
            if assignment.operator is not None or not assignment.is_conditional or assignment.line > before:
                continue
            for branch in branches:
                around = branch.line < assignment.line <= branch.body_end or (
                    0 < branch.else_line <= assignment.line <= branch.else_end
                )
                if around:
                    found += [(node, branch.line) for node in subexpressions(branch.test) if node[0] == ExprKind.NAME]
        return found

    def _body_names(self, scope: str, exprs: list[Expr]) -> list[str]:
        """Binding sites of the names `exprs` read, in order."""
        sites: list[str] = []
        for expr in exprs:
            for leaf in _name_leaves(expr):
                site = self.graphs.resolver.binding_site(scope, leaf)
                if site is not None and site not in sites:
                    sites.append(site)
        return sites

    def _iterated(self, scope: str, value: Expr, line: int) -> list[Origin] | None:
        """The elements a `for` at `line` iterates. A name assigned several times in straight-line code
        (`items = chain(a, b)`, a loop, then `items = chain(c, d)`, another loop) is its latest
        assignment before the loop; a conditional latest assignment keeps every candidate."""
        site = self.graphs.resolver.binding_site(scope, value) if value[0] == ExprKind.NAME else None
        if site is None or site in self._fixed:
            return self.elements(scope, value)
        bound = self.assignments(site)
        latest = max((b for b in bound if b[1].line <= line), key=lambda b: b[1].line, default=None)
        plain = len(bound) > 1 and all(a.operator is None for _, a in bound)  # only `name = ...`, several times
        if not plain or latest is None or latest[1].is_conditional or latest[1].value is None:
            return self.elements(scope, value)
        return self.elements(latest[0], latest[1].value)

    def _reassigned(
        self, row: list[tuple[str, Origin]], start: int, line: int, names: list[str] | None = None
    ) -> list[tuple[str, Origin]]:
        """A row with each loop variable the loop body assigns again before `line` (`prefix = "/x" + prefix`,
        perhaps in an `if` on another loop variable) taken as that assignment makes it, for this row; so is
        each other name of `names` the body assigns (`if kind == "a": prefix = "/a"` / `else: prefix = "/b"`)."""
        fixed = dict(row)
        for site in [*fixed, *(n for n in names or () if n not in fixed)]:
            later = [
                (where, a)
                for where, a in self.assignments(site)
                if a.operator is None and a.value is not None and start < a.line <= line
            ]
            module, _, qualname = site.rpartition("|")[0].partition(":")
            facts = self.graphs.modules.get(module)
            with self.row(row):
                taken = [
                    (where, a)
                    for where, a in later
                    if facts is None or not a.is_conditional or not self.is_dead(facts, qualname, a.line)
                ]
                latest = max(taken, key=lambda b: b[1].line, default=None)
                text = self.string(latest[0], latest[1].value) if latest is not None else None
            if latest is not None:
                fixed.pop(site, None)
                if text is not None:
                    fixed[site] = (latest[0], _literal(text))
        return list(fixed.items())

    def _row_fixes(self, scope: str, target: Expr, item: Origin) -> list[tuple[str, Origin]] | None:
        """The loop target's names fixed to one element (its parts, for a tuple target)."""
        if target[0] == ExprKind.NAME:
            site = self.graphs.resolver.binding_site(scope, target)
            return [(site, item)] if site is not None else None
        made = next((o for o in self.origins(*item) if o[1][0] in (ExprKind.TUPLE, ExprKind.LIST)), None)
        if made is None or len(made[1][2]) != len(target[2]):
            return None
        fixes = []
        for name, part in zip(target[2], made[1][2], strict=True):
            site = self.graphs.resolver.binding_site(scope, name) if name[0] == ExprKind.NAME else None
            if site is not None:
                fixes.append((site, (made[0], part)))
        return fixes

    @contextmanager
    def row(self, fixes: list[tuple[str, Origin]]) -> Iterator[None]:
        """Within the block, each loop variable of a row stands for its element."""
        with ExitStack() as stack:
            for site, origin in fixes:
                stack.enter_context(self.fixed(site, origin))
            yield

    def _text(self, scope: str, expr: Expr, depth: int) -> str | None:
        kind, value, children, _ = expr
        if kind == ExprKind.CONSTANT:
            return _constant_text(value)
        if kind == ExprKind.FSTRING:
            parts = [self._text(scope, child, depth + 1) for child in children]
            return None if any(p is None for p in parts) else "".join(p for p in parts if p is not None)
        if kind == ExprKind.BINARY and value == "Add":
            left, right = (self._text(scope, child, depth + 1) for child in children)
            return None if left is None or right is None else left + right
        if kind == ExprKind.BINARY and value == "Mod":
            return self._percent(scope, children, depth)
        if kind in (ExprKind.NAME, ExprKind.ATTRIBUTE):
            return self._variable_text(scope, expr, depth)
        if kind == ExprKind.CALL:
            return self._call_text(scope, expr, depth)
        if kind == ExprKind.OTHER and value == "IfExp" and len(children) == 3:
            return self._branch_text(scope, children, depth)
        if kind == ExprKind.SUBSCRIPT and _is_config(children[0]):  # app.config["KEY"]
            key = self._text(scope, children[1], depth + 1)
            return self._config_text(key, depth) if key is not None else None
        if kind == ExprKind.SUBSCRIPT:  # {"name": "x", ...}["name"]: a dict literal, a record, a variable bound to one
            item = self.item(scope, expr, depth + 1)
            if item is not None:
                return self._text(item[0], item[1], depth + 1)
            return self._item_text(scope, children[0], children[1], depth)
        return None

    def _item_text(self, scope: str, container: Expr, index: Expr, depth: int) -> str | None:
        """`mapping["key"]` where the mapping is a dict literal (or the first value a variable is given)."""
        where, mapping = scope, container
        if container[0] == ExprKind.NAME:
            origins = self.origins(scope, container, depth + 1)
            if not origins:
                return None
            where, mapping = origins[0]
        if mapping[0] != ExprKind.DICT:
            return None
        key = self._text(scope, index, depth + 1)
        items = mapping[2]
        for position in range(0, len(items) - 1, 2):
            if key is not None and items[position][0] == ExprKind.CONSTANT and items[position][1] == key:
                return self._text(where, items[position + 1], depth + 1)
        return None

    def config_sources(self) -> list[str]:
        """Classes and modules given to `<app>.config.from_object(...)` (a dotted string, a class, a module)."""
        if self._config_sources is None:
            found: list[str] = []
            for facts in self.graphs.modules.values():
                for call in facts.calls:
                    func = call.call[2][0]
                    if func[0] != ExprKind.ATTRIBUTE or func[1] != "from_object" or not _is_config(func[2][0]):
                        continue
                    for source in self._config_source(scope_of(facts.module, call.scope), call.call):
                        if source not in found:
                            found.append(source)
            self._config_sources = found
        return self._config_sources

    def _config_source(self, scope: str, call: Expr) -> list[str]:
        given = call[2][1] if len(call[2]) > 1 else None
        if given is None:
            return []
        dotted = self.string(scope, given)
        if dotted is not None:
            module, _, name = dotted.rpartition(".")
            if dotted in self.graphs.modules:
                return [dotted]
            symbol = f"{module}:{name}"
            return [symbol] if symbol in self.graphs.definitions else []
        values = self.graphs.resolver.values(scope, given)
        return sorted(v[4:] for v in values if v.startswith(("cls:", "mod:")))

    def _config_text(self, key: str, depth: int) -> str | None:
        """A configuration key as the first configuration object that sets it assigns it."""
        for source in self.config_sources():
            if self.assignments(f"{source}|{key}"):
                return self._text(source, (ExprKind.NAME, key, (), ()), depth + 1)
        return None

    def _branch_text(self, scope: str, children: tuple[Expr, ...], depth: int) -> str | None:
        """`a if test else b`: the branch a folded test takes; else the one both branches agree on."""
        test, body, orelse = children
        decided = self.truth(scope, test, depth + 1)
        if decided is not None:
            return self._text(scope, body if decided else orelse, depth + 1)
        left, right = self._text(scope, body, depth + 1), self._text(scope, orelse, depth + 1)
        return left if left == right else None

    def settings_modules(self) -> list[str]:
        """Modules that set `ROOT_URLCONF` or `INSTALLED_APPS` at their top level: the settings."""
        self.assignments("")  # builds the index
        assert self._assignments is not None
        found = set()
        for site in self._assignments:
            module, _, name = site.rpartition("|")
            if name in ("ROOT_URLCONF", "INSTALLED_APPS") and ":" not in module:
                found.add(module)
        return sorted(found)

    def _settings_text(self, scope: str, expr: Expr, depth: int) -> str | None:
        """`settings.X` through a settings object: `X` as the settings modules assign it."""
        owner = expr[2][0]
        if not self.settings_objects or not set(self.graphs.resolver.qualified_names(scope, owner)) & set(
            self.settings_objects
        ):
            return None
        for module in self.settings_modules():
            if self.assignments(f"{module}|{expr[1]!s}"):
                return self._text(module, (ExprKind.NAME, expr[1], (), ()), depth + 1)
        return None

    def _variable_text(self, scope: str, expr: Expr, depth: int) -> str | None:
        if expr[0] == ExprKind.ATTRIBUTE and expr[1] in _META_NAMES and expr[2][0][:2] == (ExprKind.ATTRIBUTE, "_meta"):
            return self._meta_text(scope, expr, depth)
        if expr[0] == ExprKind.ATTRIBUTE:
            site = self.graphs.resolver.binding_site(scope, expr)
            if site is None:
                return self._settings_text(scope, expr, depth)
            owner, _, name = site.rpartition("|")
            expr, scope = (ExprKind.NAME, name, (), ()), owner
        origins = self.origins(scope, expr, depth + 1)
        if not origins or origins == [(scope, expr)]:
            return None
        # The first origin is the unconditional assignment (the default) when there is one.
        text = self._text(origins[0][0], origins[0][1], depth + 1)
        site = self.graphs.resolver.binding_site(scope, expr)
        if text is None or site is None:
            return text
        for where, assignment in self.assignments(site):  # `prefix += "/manage"` after it, in order
            if assignment.operator == "Add" and assignment.value is not None:
                more = self._text(where, assignment.value, depth + 1)
                if more is None:
                    return None
                text += more
        return text

    def field_default(self, scope: str, instance: Expr, name: str, depth: int) -> str | None:
        """`getattr(obj, "x")` on an instance of a project class: the default its field declares.

        The instance is a value made by `Cls(...)` or read through the class's manager
        (`Cls.objects.get()`, `.first()`, ...): a settings row fetched at run time, whose
        attribute takes the `default=` of the field the class declares (`x = CharField(default="")`),
        as a fresh installation has it.
        """
        if depth > MAX_DEPTH:
            return None
        for where, origin in self.origins(scope, instance, depth + 1):
            for owner in self._instance_classes(where, origin):
                for klass in (owner, *self.graphs.resolver.ancestors(owner)):
                    for _, assignment in self.assignments(f"{klass}|{name}"):
                        default = _keyword(assignment.value, "default")
                        if default is not None:
                            return self._text(klass, default, depth + 1)
        return None

    def _instance_classes(self, scope: str, made: Expr) -> list[str]:
        """The project classes whose instance `made` is: `Cls(...)`, `Cls.objects.get(...)` and the like."""
        if made[0] != ExprKind.CALL:
            return []
        func = made[2][0]
        if func[0] == ExprKind.ATTRIBUTE and func[1] in _INSTANCE_READS and func[2][0][0] == ExprKind.ATTRIBUTE:
            func = func[2][0][2][0]  # `Cls.objects.get` → `Cls`
        values = self.graphs.resolver.values(scope, func)
        return sorted(v[4:] for v in values if v.startswith("cls:") and v[4:] in self.graphs.definitions)

    def _percent(self, scope: str, children: tuple[Expr, ...], depth: int) -> str | None:
        template = self._text(scope, children[0], depth + 1)
        given = children[1]
        items = given[2] if given[0] == ExprKind.TUPLE else (given,)
        values = [self._text(scope, item, depth + 1) for item in items]
        if template is None or any(v is None for v in values):
            return None
        try:
            return template % tuple(values)
        except (TypeError, ValueError):
            return None

    def _string_method_text(self, scope: str, call: Expr, depth: int) -> str | None:
        """`settings.MEDIA_URL.strip("/")`, `name.lower()`, `path.replace("-", "_")`: a str method over folded text."""
        func = call[2][0]
        receiver = self._text(scope, func[2][0], depth + 1)
        arguments = [self._text(scope, a, depth + 1) for a in call[2][1:]]
        if receiver is None or any(a is None for a in arguments):
            return None
        try:
            result = getattr(receiver, str(func[1]))(*arguments)
        except (TypeError, ValueError):
            return None
        return result if isinstance(result, str) else None

    def _format_text(self, scope: str, call: Expr, depth: int) -> str | None:
        """`template.format(a, key=b, **mapping)`: the fields the template names, each folded to a string.

        A `**mapping` is a dict literal (or a name given one, through imports); only the keys the template
        uses are folded, as `str.format` ignores the others.
        """
        template = self._text(scope, call[2][0][2][0], depth + 1)
        if template is None:
            return None
        given: dict[str, tuple[str, Expr]] = {}
        for name, value in call[3]:
            if name:
                given[str(name)] = (scope, value)
                continue
            spread = self._dict_items(scope, value, depth + 1)
            if spread is None:
                return None
            given = {**spread, **given}
        try:
            fields = {f.partition(".")[0].partition("[")[0] for _, f, _, _ in string.Formatter().parse(template) if f}
        except ValueError:
            return None
        named = {key: self._text(where, expr, depth + 1) for key, (where, expr) in given.items() if key in fields}
        positional = [self._text(scope, a, depth + 1) for a in call[2][1:]]
        if any(v is None for v in positional) or any(v is None for v in named.values()):
            return None
        try:
            return template.format(*positional, **named)
        except (IndexError, KeyError, ValueError):
            return None

    def _dict_items(self, scope: str, expr: Expr, depth: int) -> dict[str, tuple[str, Expr]] | None:
        """The constant-keyed items of the dict literal `expr` is (or a name is first given), each with its scope."""
        where, mapping = scope, expr
        if expr[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE):
            origins = self.origins(scope, expr, depth + 1)
            if not origins:
                return None
            where, mapping = origins[0]
        if mapping[0] != ExprKind.DICT:
            return None
        items = mapping[2]
        found = {}
        for position in range(0, len(items) - 1, 2):
            key = items[position]
            if key[0] == ExprKind.CONSTANT and isinstance(key[1], str):
                found[key[1]] = (where, items[position + 1])
        return found

    def _call_text(self, scope: str, call: Expr, depth: int) -> str | None:
        func = call[2][0]
        if func[0] == ExprKind.ATTRIBUTE and func[1] == "format":
            return self._format_text(scope, call, depth)
        if func[0] == ExprKind.ATTRIBUTE and func[1] in _STRING_METHODS and not call[3]:
            return self._string_method_text(scope, call, depth)
        if func[0] == ExprKind.ATTRIBUTE and func[1] == "get" and _is_config(func[2][0]) and len(call[2]) > 1:
            key = self._text(scope, call[2][1], depth + 1)  # app.config.get("KEY", default)
            found = self._config_text(key, depth) if key is not None else None
            default = call[2][2] if len(call[2]) > 2 else None
            return found if found is not None or default is None else self._text(scope, default, depth + 1)
        if len(call[2]) in (3, 4) and "bi:getattr" in self.graphs.resolver.values(scope, func):
            name = self._text(scope, call[2][2], depth + 1)
            declared = self.field_default(scope, call[2][1], name, depth + 1) if name is not None else None
            if declared is not None or len(call[2]) == 3:
                return declared
            # `getattr(configuration, "BASE_PATH", "")`: a setting with a literal default; the default.
            return self._text(scope, call[2][3], depth + 1)
        functions = [v[4:] for v in self.graphs.resolver.values(scope, func) if v.startswith("def:")]
        if len(functions) != 1:  # `env("DD_MEDIA_URL")`, `os.environ.get("X", "/media/")`: the default
            environment = self._environment_default(scope, call, depth + 1) if not functions else None
            return self._text(environment[0], environment[1], depth + 1) if environment is not None else None
        definition = self.graphs.definitions.get(functions[0])
        if definition is None:
            return None
        returned = self.returns(functions[0])
        if not returned:
            return None
        with self.bound(_bind(definition.fact, functions[0], scope, call)):
            return self._text(functions[0], returned[0], depth + 1)

    # -- what a call hands back ------------------------------------------------------------------

    def returned(self, scope: str, call: Expr, depth: int = 0) -> frozenset[str] | None:
        """The functions and classes a call of a function of the tree hands back, for this call's arguments.

        A factory's inner closure is made anew for each call (`redirect_view("home")` gives
        `redirect_view._redirect`, `_dispatch(A, B)` its `view_func`), a parameter returned as
        given is the argument's value, a returned call is followed (bounded). A transparent
        decorator on the function (`@memoize`) is looked through to the function it wraps. None
        when the callee is not one function of the tree or something it returns cannot be named.
        """
        if depth > MAX_DEPTH or call[0] != ExprKind.CALL:
            return None
        definition = self._one_function(scope, call)
        if definition is None:
            return None
        function = f"{definition.module}:{definition.fact.qualname}"
        found: set[str] = set()
        with self.bound(_bind(definition.fact, function, scope, call)):
            for value in self.returns(function):
                named = self._returned_value(function, value, depth)
                if named is None:
                    return None
                found |= named
        return frozenset(found) or None

    def returned_origins(
        self, scope: str, call: Expr, depth: int = 0, stop: Callable[[str], bool] | None = None
    ) -> list[Origin]:
        """Where what a call of one function of the tree hands back comes from, for this call's arguments.

        Each returned expression's origins (`origins`, with `stop`), a returned call followed in turn
        (bounded): `app.register_blueprint(account.make_blueprint())` reaches the `Blueprint(...)` the
        factory builds and returns. Empty when the callee is not one function of the tree.
        """
        if depth > MAX_DEPTH or call[0] != ExprKind.CALL:
            return []
        found: list[Origin] = []
        for definition in self._functions(scope, call):
            function = f"{definition.module}:{definition.fact.qualname}"
            with self.bound(_bind(definition.fact, function, scope, call)):
                for value in self.returns(function):
                    for where, origin in self.origins(function, value, depth + 1, stop=stop):
                        further = (
                            self.returned_origins(where, origin, depth + 1, stop) if origin[0] == ExprKind.CALL else []
                        )
                        found += further or [(where, origin)]
        return found

    def _one_function(self, scope: str, call: Expr) -> Definition | None:
        """The one function of the tree a call calls (through a transparent wrapper), else None."""
        functions = self._functions(scope, call)
        return functions[0] if len(functions) == 1 else None

    def _functions(self, scope: str, call: Expr) -> list[Definition]:
        """The functions of the tree a call may call (through a transparent wrapper), in name order.

        Several when the callee is a variable bound to one of several (`for module in [main, info]:
        module.make_blueprint()`); values that are no function of the tree are left aside.
        """
        names = set()
        for callee in self.graphs.resolver.values(scope, call[2][0]):
            if callee.startswith(("def:", "bnd:")):  # a function, or a method called on an instance
                names.add(callee[4:])
            elif callee.startswith("wrap:"):
                names.add(callee.rpartition("|")[2])
        definitions = [self.graphs.definitions.get(name) for name in sorted(names)]
        functions = [d for d in definitions if d is not None and d.fact.kind == "function"]
        return functions if len(functions) == len(definitions) else []

    def _returned_value(self, function: str, value: Expr, depth: int) -> frozenset[str] | None:
        if value[0] == ExprKind.CALL:
            return self.returned(function, value, depth + 1)
        values = self.graphs.resolver.values(function, value)
        inner = {v for v in values if v.startswith(("def:", "cls:")) and v[4:].startswith(f"{function}.")}
        if value[0] == ExprKind.NAME and inner:
            return frozenset(inner)
        found: set[str] = set()
        for where, origin in self.origins(function, value, depth + 1):
            if origin[0] == ExprKind.CALL:
                made = self.returned(where, origin, depth + 1)
                if made is None:
                    return None
                found |= made
            else:
                found |= {v for v in self.graphs.resolver.values(where, origin) if v.startswith(("def:", "cls:"))}
        return frozenset(found) or None

    # -- constants and tests --------------------------------------------------------------------

    def constant(self, scope: str, expr: Expr, depth: int = 0) -> object:
        """The literal value (str, int, bool, None) an expression folds to, else `UNKNOWN`."""
        if depth > MAX_DEPTH:
            return UNKNOWN
        kind, value, children, keywords = expr
        if kind == ExprKind.CONSTANT:
            return value if not children and isinstance(value, str | int | float | bool | type(None)) else UNKNOWN
        if kind == ExprKind.OTHER and value == "Compare" and children:
            return self._compare(scope, children[0], keywords, depth)
        if kind == ExprKind.OTHER and value == "IfExp" and len(children) == 3:
            decided = self.truth(scope, children[0], depth + 1)
            if decided is None:
                return UNKNOWN
            return self.constant(scope, children[1] if decided else children[2], depth + 1)
        if kind == ExprKind.SUBSCRIPT and not _is_config(children[0]):
            item = self.item(scope, expr, depth + 1)
            return self.constant(item[0], item[1], depth + 1) if item is not None else UNKNOWN
        if kind == ExprKind.NAME:
            origins = self.origins(scope, expr, depth + 1)
            if not origins or origins == [(scope, expr)]:
                return UNKNOWN
            return self.constant(origins[0][0], origins[0][1], depth + 1)
        if kind == ExprKind.ATTRIBUTE:
            setting = self._setting(scope, expr)
            if setting is not None:
                return self.constant(setting[0], setting[1], depth + 1)
        if (
            kind == ExprKind.CALL
            and len(children) == 3
            and "bi:issubclass" in self.graphs.resolver.values(scope, children[0])
        ):
            return self._is_subclass(scope, children[1], children[2], depth)
        if kind == ExprKind.CALL:
            default = self._environment_default(scope, expr, depth + 1) or self._dict_get(scope, expr, depth + 1)
            if default is not None:
                return self.constant(default[0], default[1], depth + 1)
        text = self._text(scope, expr, depth + 1)
        return UNKNOWN if text is None else text

    def _setting(self, scope: str, expr: Expr) -> Origin | None:
        """`settings.X` through a settings object: `X` in the first settings module that assigns it."""
        owner = expr[2][0]
        if not self.settings_objects or not set(self.graphs.resolver.qualified_names(scope, owner)) & set(
            self.settings_objects
        ):
            return None
        for module in self.settings_modules():
            if self.assignments(f"{module}|{expr[1]!s}"):
                return module, (ExprKind.NAME, expr[1], (), ())
        return None

    def _dict_get(self, scope: str, call: Expr, depth: int) -> Origin | None:
        """`d.get("key", default)` on a dict literal (a setting's too, `settings.IMPORTERS.get("x", {}).get(
        "active", False)`): the value under the key, else the default (None without one)."""
        func = call[2][0]
        if depth > MAX_DEPTH or func[0] != ExprKind.ATTRIBUTE or func[1] != "get" or len(call[2]) not in (2, 3):
            return None
        if (scope, call) in self._getting:  # a branch test met again while deciding it (dead code checks)
            return None
        self._getting.add((scope, call))
        try:
            key = self.constant(scope, call[2][1], depth + 1)
            dicts = self._dicts(scope, func[2][0], depth + 1) if key is not UNKNOWN and not call[3] else None
        finally:
            self._getting.discard((scope, call))
        if not dicts:
            return None
        found = None
        for where, origin in dicts:
            children = origin[2]
            pairs = list(zip(children[::2], children[1::2], strict=False))
            if any(name[0] != ExprKind.CONSTANT for name, _ in pairs):
                return None  # `**spread` or a computed key: whether the key is there cannot be told
            value = next(((where, v) for n, v in pairs if n[1] == key and type(n[1]) is type(key)), None)
            if value is None:
                value = (scope, call[2][2]) if len(call[2]) == 3 else (scope, (ExprKind.CONSTANT, None, (), ()))
            if found is not None and found != value:
                return None
            found = value
        return found

    def _dicts(self, scope: str, expr: Expr, depth: int) -> list[Origin] | None:
        """The dict literals an expression holds (a setting, a variable, a `.get` of one), else None."""
        if expr[0] == ExprKind.ATTRIBUTE:
            setting = self._setting(scope, expr)
            if setting is None:
                return None
            scope, expr = setting
        if expr[0] == ExprKind.CALL:
            got = self._dict_get(scope, expr, depth + 1)
            if got is None:
                return None
            scope, expr = got
        origins = self.origins(scope, expr, depth + 1) if expr[0] == ExprKind.NAME else [(scope, expr)]
        return origins if origins and all(o[0] == ExprKind.DICT for _, o in origins) else None

    def _environment_default(self, scope: str, call: Expr, depth: int) -> Origin | None:
        """The default of an environment read: what the setting is on an installation that does not set it.

        `os.environ.get("X", d)`, `os.getenv("X", d)`, `env("X", default=d)` and `env.bool("X", d)` on a
        django-environ `Env`, and `env("X")` where `env = environ.Env(X=(bool, d))` declares it.
        """
        func = call[2][0]
        names = set(self.graphs.resolver.qualified_names(scope, func))
        given = call[2][1:]
        if names & _ENVIRONMENT_GETS:
            default = given[1] if len(given) > 1 else _keyword(call, "default")
            return (scope, default) if default is not None else None
        reader = func[2][0] if func[0] == ExprKind.ATTRIBUTE and func[1] in _ENVIRONMENT_CASTS else func
        declared = self._environment_declaration(scope, reader, depth)
        if declared is None:
            return None
        default = _keyword(call, "default") or (given[1] if len(given) > 1 and reader is not func else None)
        if default is not None:
            return scope, default
        key = self.string(scope, given[0]) if given else None
        where, made = declared
        scheme = _keyword(made, key) if key is not None else None
        if scheme is not None and scheme[0] == ExprKind.TUPLE and len(scheme[2]) == 2:
            return where, scheme[2][1]
        return None

    def _environment_declaration(self, scope: str, reader: Expr, depth: int) -> Origin | None:
        """`env` as made by `environ.Env(...)` (or `FileAwareEnv`): the call that made it."""
        if reader[0] not in (ExprKind.NAME, ExprKind.ATTRIBUTE):
            return None
        for where, origin in self.origins(scope, reader, depth + 1):
            if origin[0] != ExprKind.CALL:
                continue
            if set(self.graphs.resolver.qualified_names(where, origin[2][0])) & _ENVIRONMENT_CLASSES:
                return where, origin
        return None

    # -- branches ---------------------------------------------------------------------------------

    def is_dead(self, facts: FileFacts, scope: str, line: int) -> bool:
        """Whether a line sits in a branch that is not taken: the body of an `if` whose test folds
        false, or the `else` of one whose test folds true (a settings flag with a literal default)."""
        if self._branches is None:
            self._branches = shared_index(self.graphs, "branches", self._index_branches)
        branches = self._branches.get((facts.module, scope))
        if not branches:
            return False
        where = scope_of(facts.module, scope)
        for branch in branches:
            in_body = branch.line < line <= branch.body_end
            in_else = branch.else_line <= line <= branch.else_end and branch.else_line > 0
            key = (facts.module, scope, branch.line)
            if (not in_body and not in_else) or key in self._deciding:
                continue  # not around the line, or met again while being decided: undecided there
            self._deciding.add(key)
            try:
                decided = self.truth(where, branch.test)
            finally:
                self._deciding.discard(key)
            if decided is not None and decided != in_body:
                return True
        return False

    def _index_branches(self) -> dict[tuple[str, str], list[BranchFact]]:
        index: dict[tuple[str, str], list[BranchFact]] = defaultdict(list)
        for module_facts in self.graphs.modules.values():
            for branch in module_facts.branches:
                if branch.kind == "if":
                    index[(module_facts.module, branch.scope)].append(branch)
        return index

    def _is_subclass(self, scope: str, given: Expr, base: Expr, depth: int) -> object:
        """`issubclass(model, Mixin)` for one class of the tree and classes of the tree."""
        classes = self._classes(scope, given, depth)
        bases = self._classes(scope, base, depth)
        if len(classes) != 1 or not bases:
            return UNKNOWN
        lineage = {classes[0], *self.graphs.resolver.ancestors(classes[0])}
        return bool(lineage & set(bases))

    def _classes(self, scope: str, expr: Expr, depth: int) -> list[str]:
        found: list[str] = []
        for where, origin in self.origins(scope, expr, depth + 1):
            for value in sorted(self.graphs.resolver.values(where, origin)):
                if value.startswith("cls:") and value[4:] not in found:
                    found.append(value[4:])
        return found

    def truth(self, scope: str, expr: Expr, depth: int = 0) -> bool | None:
        """Whether a test holds, when its value folds (`x is not None`, `view["detail"] == detail`); else None."""
        value = self.constant(scope, expr, depth)
        return None if value is UNKNOWN else bool(value)

    def _compare(self, scope: str, left: Expr, comparisons: tuple[tuple[str | None, Expr], ...], depth: int) -> object:
        current = self.constant(scope, left, depth + 1)
        for operator, right in comparisons:
            other = self.constant(scope, right, depth + 1)
            compare = _COMPARISONS.get(operator or "")
            if current is UNKNOWN or other is UNKNOWN or compare is None:
                return UNKNOWN
            if not compare(current, other):
                return False
            current = other
        return True

    def item(self, scope: str, expr: Expr, depth: int = 0) -> Origin | None:
        """`d["key"]` where `d` holds a dict literal (a registration's record): the value under that key."""
        if depth > MAX_DEPTH or expr[0] != ExprKind.SUBSCRIPT:
            return None
        owner, index = expr[2]
        key = self.constant(scope, index, depth + 1)
        if key is UNKNOWN:
            return None
        for where, origin in self.origins(scope, owner, depth + 1):
            if origin[0] != ExprKind.DICT:
                continue
            children = origin[2]
            for name, value in zip(children[::2], children[1::2], strict=False):
                if name[0] == ExprKind.CONSTANT and name[1] == key and type(name[1]) is type(key):
                    return where, value
        return None

    def _meta_text(self, scope: str, expr: Expr, depth: int) -> str | None:
        """`Model._meta.app_label` (`model_name`, `label`...) of a Django model class of the tree."""
        owner = expr[2][0][2][0]
        classes: list[str] = []
        for where, origin in self.origins(scope, owner, depth + 1):
            for value in self.graphs.resolver.values(where, origin):
                if value.startswith("cls:") and value[4:] in self.graphs.definitions and value[4:] not in classes:
                    classes.append(value[4:])
        if len(classes) != 1:
            return None
        definition = self.graphs.definitions[classes[0]]
        declared = self.string(classes[0] + ".Meta", (ExprKind.NAME, "app_label", (), ()), depth + 1)
        label = declared if self.assignments(f"{classes[0]}.Meta|app_label") else None
        label = label or app_label_of(definition.module, self.app_labels)
        name = definition.fact.name
        return {
            "app_label": label,
            "model_name": name.lower(),
            "object_name": name,
            "label": f"{label}.{name}",
            "label_lower": f"{label}.{name.lower()}",
        }[str(expr[1])]

    # -- containers filled by registering functions ---------------------------------------------

    def _app_models(self, scope: str) -> list[Origin] | None:
        """`self.get_models()` in a method of a Django `AppConfig`: the concrete model classes of that app."""
        owner = scope.rpartition(".")[0]
        if owner not in self.graphs.definitions or not set(self.graphs.resolver.ancestors(owner)) & _APP_CONFIGS:
            return None
        label = self.string(owner, (ExprKind.NAME, "label", (), ())) if self.assignments(f"{owner}|label") else None
        name = self.string(owner, (ExprKind.NAME, "name", (), ())) if self.assignments(f"{owner}|name") else None
        label = label or (name.rpartition(".")[2] if name else None)
        if label is None:
            return None
        return self._concrete_models().get(label, [])[:MAX_ELEMENTS] or None

    def _concrete_models(self) -> dict[str, list[Origin]]:
        """App label → the concrete model classes of that app, by symbol (indexed once: every
        `get_models()` asks about one label of the same tree)."""
        if self._models_by_label is None:
            self._models_by_label = defaultdict(list)
            for symbol, definition in sorted(self.graphs.definitions.items()):
                if definition.fact.kind != "class" or definition.fact.scope:
                    continue
                if not set(self.graphs.resolver.ancestors(symbol)) & _DJANGO_MODELS or self._is_abstract(symbol):
                    continue
                label = app_label_of(definition.module, self.app_labels)
                self._models_by_label[label].append((definition.module, (ExprKind.NAME, definition.fact.name, (), ())))
        return self._models_by_label

    def _is_abstract(self, symbol: str) -> bool:
        return any(a.value == (ExprKind.CONSTANT, True, (), ()) for _, a in self.assignments(f"{symbol}.Meta|abstract"))

    def _dict_view(self, scope: str, call: Expr, depth: int) -> list[Origin] | None:
        """`d.items()`, `d.keys()`, `d.values()` of a dict literal: (key, value) pairs, keys or values."""
        view = str(call[2][0][1])
        found: list[Origin] = []
        for where, made in self.origins(scope, call[2][0][2][0], depth + 1):
            if made[0] != ExprKind.DICT or any(c[0] in (ExprKind.TRUNCATED, ExprKind.OTHER) for c in made[2][::2]):
                return None
            for key, value in zip(made[2][::2], made[2][1::2], strict=False):
                item = {"keys": key, "values": value}.get(view) or (ExprKind.TUPLE, None, (key, value), ())
                found.append((where, item))
        return found[:MAX_ELEMENTS] if found else None

    def _sequence_call(self, scope: str, call: Expr, depth: int, stack: tuple[str, ...]) -> list[Origin] | None:
        """`itertools.chain(a, b)` (a's elements, then b's) and `list(a)`, `tuple(a)`, `sorted(a)`: a's."""
        names = set(self.graphs.resolver.qualified_names(scope, call[2][0]))
        given = call[2][1:]
        if names & _CHAINS:
            parts = [self.elements(scope, part, depth + 1, stack) for part in given]
        elif names & _COPIES and len(given) == 1:
            parts = [self.elements(scope, given[0], depth + 1, stack)]
        else:
            return None
        if any(part is None for part in parts):
            return None
        return [item for part in parts for item in part or []][:MAX_ELEMENTS]

    def _comprehension_elements(
        self, scope: str, expr: Expr, depth: int, stack: tuple[str, ...]
    ) -> list[Origin] | None:
        """`[elt for x in items if test]`: each element of `items` the tests keep (a test that cannot
        be folded keeps it), as `elt` makes it."""
        element, target, iterable, *tests = expr[2]
        items = self.elements(scope, iterable, depth + 1, stack)
        site = self.graphs.resolver.binding_site(scope, target) if target[0] == ExprKind.NAME else None
        if items is None or site is None:
            return None
        found: list[Origin] = []
        for item in items:
            with self.fixed(site, item):
                if any(self.truth(scope, test, depth + 1) is False for test in tests):
                    continue
                if element[0] == ExprKind.NAME:
                    found += self.origins(scope, element, depth + 1)[:1]
                else:
                    value = self.constant(scope, element, depth + 1)
                    found.append((scope, element if value is UNKNOWN else _literal(value)))
        return found[:MAX_ELEMENTS]

    def stored(self, scope: str, expr: Expr) -> list[Origin] | None:
        """What registering functions stored into a module-level container under these keys.

        `registry["views"][label][name]` read where `label` and `name` fold gives the records that
        each application of a registering function (`@register_view(Model, "edit")`, whose inner
        wrapper appends a dict to `registry["views"][model._meta.app_label][model._meta.model_name]`)
        stored under the same keys. None when nothing stores into it or a key does not fold.
        """
        root, keys = subscripts(expr)
        if root[0] not in (ExprKind.NAME, ExprKind.ATTRIBUTE):
            return None
        site = self.graphs.resolver.binding_site(scope, root)
        if site is None or ":" in site.rpartition("|")[0] or not self.stores(site):
            return None
        wanted = tuple(self.string(scope, key) for key in keys)
        if any(key is None for key in wanted):
            return None
        return [r.record for r in self.registrations(site) if r.keys == wanted][:MAX_ELEMENTS]

    def stores(self, site: str) -> list[Store]:
        """Every `container[...].append(value)` (or `.add`) in a function body, for one container."""
        if self._stores is None:
            self._stores = shared_index(self.graphs, "stores", self._index_stores)
        return self._stores.get(site, [])

    def _index_stores(self) -> dict[str, list[Store]]:
        index: dict[str, list[Store]] = defaultdict(list)
        for facts in self.graphs.modules.values():
            for call in facts.calls:
                func = call.call[2][0]
                if func[0] != ExprKind.ATTRIBUTE or func[1] not in ("append", "add") or len(call.call[2]) != 2:
                    continue
                function = scope_of(facts.module, call.scope)
                definition = self.graphs.definitions.get(function) if call.scope else None
                root, keys = subscripts(func[2][0])
                if definition is None or definition.fact.kind != "function" or root[0] != ExprKind.NAME:
                    continue
                container = self.graphs.resolver.binding_site(function, root)
                if container is not None and ":" not in container.rpartition("|")[0]:
                    location = Location(file=facts.path, line=call.line)
                    index[container].append(Store(container, keys, call.call[2][1], function, location))
        return index

    def registrations(self, site: str) -> list[Registration]:
        """The values stored into a container, one per application of each function that stores."""
        if site in self._registrations:
            return self._registrations[site]
        found: list[Registration] = []
        self._registrations[site] = found  # a registration that reads its own container sees nothing
        for store in self.stores(site):
            for bindings, where, location, applied in self._applications(store.function):
                # `for model in models: if issubclass(model, X): register(model, "x")(View)`: once per
                # row of the loop, where the branch around the application is taken for that row.
                module, _, qualname = where.partition(":")
                facts = self.graphs.modules.get(module)
                rows = self.loop_rows(where, applied, location.line, MAX_ELEMENTS) if qualname else [[]]
                for row in rows:
                    with ExitStack() as stack:
                        stack.enter_context(self.row(row))
                        if facts is not None and self.is_dead(facts, qualname, location.line):
                            continue
                        for binding in bindings:
                            stack.enter_context(self.bound(binding))
                        keys = tuple(self.string(store.function, key) for key in store.keys)
                        record = (where, self._materialize(store.function, store.value, where))
                    found.append(Registration(keys, record, location))
                    self.registered_at.setdefault(record, location)
        return found

    def _applications(self, function: str) -> list[tuple[list[Binding], str, Location, list[Expr]]]:
        """Where a registering function receives its object: the bindings, the applying scope, the site.

        A wrapper returned by a decorator factory (`def register(model, name): def wrapper(cls): ...;
        return wrapper`) is applied as `@register(Model, "x")` on a definition or as
        `register(Model, "x")(View)`; a plain decorator as `@register` on a definition.
        """
        definition = self.graphs.definitions.get(function)
        if definition is None:
            return []
        positional = [p for p in definition.fact.parameters if p.kind == "positional"]
        if not positional:
            return []
        first = positional[0].name
        factory = scope_of(definition.module, definition.fact.scope) if definition.fact.scope else None
        outer = self.graphs.definitions.get(factory) if factory is not None else None
        returned = (ExprKind.NAME, definition.fact.name, (), ())
        is_factory = outer is not None and outer.fact.kind == "function" and returned in self.returns(str(factory))
        applied = str(factory) if is_factory else function
        found: list[tuple[list[Binding], str, Location, list[Expr]]] = []
        for where, decorator, target, location in self._decorated(applied, is_factory):
            bindings = [Binding(function, {first: ((where, target),)})]
            if is_factory and outer is not None:
                bindings.insert(0, _bind(outer.fact, str(factory), where, decorator))
            if len(found) >= MAX_APPLICATIONS:
                self.capped_applications[function] = self.capped_applications.get(function, 0) + 1
                continue
            arguments = [*decorator[2][1:], *(value for _, value in decorator[3]), target]
            found.append((bindings, where, location, arguments))
        return found

    def _decorated(self, function: str, is_factory: bool) -> Iterator[tuple[str, Expr, Expr, Location]]:
        """(scope, decorator call, decorated object, site) of each `@f(...)`/`f(...)(x)` (or `@f`)."""
        name = function.rpartition(":")[2].rpartition(".")[2]
        resolver = self.graphs.resolver
        for facts, definition, decorator in self.decorations().get(name, ()):
            where = scope_of(facts.module, definition.scope)
            func = decorator[2][0] if decorator[0] == ExprKind.CALL else decorator
            if (decorator[0] == ExprKind.CALL) != is_factory:
                continue
            if f"def:{function}" in resolver.values(where, func):
                target = (ExprKind.NAME, definition.name, (), ())
                yield where, decorator, target, Location(file=facts.path, line=definition.line)
        if not is_factory:
            return
        if self._calls_by_name is None:
            self._calls_by_name = shared_index(self.graphs, "calls", self._index_calls)
        for facts, call in self._calls_by_name.get(name, ()):
            outer = self._applied_call(facts, call, function)
            if outer is not None:
                yield outer

    def _applied_call(self, facts: FileFacts, call: CallFact, function: str) -> tuple[str, Expr, Expr, Location] | None:
        """`f(...)(x)` among the calls of `f`'s name: the factory call and `x`."""
        where = scope_of(facts.module, call.scope)
        for other in facts.calls:
            outer = other.call
            if other.line != call.line or outer[2][0] != call.call or len(outer[2]) != 2:
                continue
            if f"def:{function}" in self.graphs.resolver.values(where, call.call[2][0]):
                return where, call.call, outer[2][1], Location(file=facts.path, line=other.line)
        return None

    def decorations(self) -> dict[str, list[tuple[FileFacts, DefinitionFact, Expr]]]:
        """Decorators of every definition, by the last name of what they call (`register` for `@x.register(...)`)."""
        if self._decorations is None:
            self._decorations = shared_index(self.graphs, "decorations", self._index_decorations)
        return self._decorations

    def _index_decorations(self) -> dict[str, list[tuple[FileFacts, DefinitionFact, Expr]]]:
        index: dict[str, list[tuple[FileFacts, DefinitionFact, Expr]]] = defaultdict(list)
        for facts in self.graphs.modules.values():
            for definition in facts.definitions:
                for decorator in definition.decorators:
                    func = decorator[2][0] if decorator[0] == ExprKind.CALL else decorator
                    if func[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE):
                        index[str(func[1])].append((facts, definition, decorator))
        return index

    def _materialize(self, scope: str, value: Expr, where: str) -> Expr:
        """A stored value as one application gave it: folded parts as constants, the rest as read in `where`."""
        if value[0] != ExprKind.DICT:
            return self._materialized(scope, value, where)
        children: list[Expr] = []
        for key, item in zip(value[2][::2], value[2][1::2], strict=False):
            children += [key, self._materialized(scope, item, where)]
        return (ExprKind.DICT, None, tuple(children), ())

    def _materialized(self, scope: str, value: Expr, where: str) -> Expr:
        known = self.constant(scope, value)
        if known is not UNKNOWN:
            return _literal(known)
        origins = self.origins(scope, value)
        if len(origins) == 1 and origins[0][0] == where:
            return origins[0][1]
        return _UNKNOWN_EXPR


_ENVIRONMENT_GETS = frozenset({"os.environ.get", "os.getenv", "os.environ.setdefault"})
"""Environment reads whose second argument (or `default=`) is the value when the variable is unset."""

_ENVIRONMENT_CLASSES = frozenset({"environ.Env", "environ.FileAwareEnv", "environ.environ.Env"})
"""django-environ's readers: `env = environ.Env(NAME=(cast, default))`, then `env("NAME")` or `env.bool(...)`."""

_ENVIRONMENT_CASTS = frozenset({"bool", "str", "int", "float", "list", "tuple", "dict", "url", "json", "path"})

_APP_CONFIGS = frozenset({"django.apps.AppConfig", "django.apps.config.AppConfig"})
_DJANGO_MODELS = frozenset({"django.db.models.Model", "django.db.models.base.Model"})

_CHAINS = frozenset({"itertools.chain"})
"""Calls whose elements are their arguments' elements, one after another."""

_COPIES = frozenset({"list", "tuple", "sorted", "builtins.list", "builtins.tuple", "builtins.sorted"})
"""Calls whose elements are their one argument's (order aside, which routes do not depend on)."""

_STRING_METHODS = frozenset(
    {"strip", "lstrip", "rstrip", "lower", "upper", "replace", "removeprefix", "removesuffix", "title", "capitalize"}
)
"""The str methods folded over text static reading knows (their arguments folded too)."""
_DICT_VIEWS = frozenset({(ExprKind.ATTRIBUTE, "items"), (ExprKind.ATTRIBUTE, "keys"), (ExprKind.ATTRIBUTE, "values")})

_META_NAMES = frozenset({"app_label", "model_name", "object_name", "label", "label_lower"})
"""`Model._meta` attributes the evaluator folds for a Django model class of the tree."""


def _same(a: object, b: object) -> bool:
    """Literal equality that tells `1`, `True` and `"1"` apart (`is` on None and booleans is the same test)."""
    return a == b and type(a) is type(b)


_COMPARISONS: dict[str, Callable[[object, object], bool]] = {
    "Eq": _same,
    "NotEq": lambda a, b: not _same(a, b),
    "Is": _same,
    "IsNot": lambda a, b: not _same(a, b),
}
"""The comparisons `constant` folds, over literal values only (str, int, bool, None)."""


_NONE: Expr = (ExprKind.CONSTANT, None, (), ())


def _name_leaves_of_target(target: Expr) -> list[Expr]:
    """The names a `for` target binds (`x`, `(a, b)`)."""
    if target[0] == ExprKind.NAME:
        return [target]
    return (
        [child for child in target[2] if child[0] == ExprKind.NAME]
        if target[0] in (ExprKind.TUPLE, ExprKind.LIST)
        else []
    )


def _name_leaves(expr: Expr, depth: int = 0) -> list[Expr]:
    """The names a string expression is built from (`prefix + "/x"`, f"{a}/{b}")."""
    kind = expr[0]
    if kind == ExprKind.NAME:
        return [expr]
    if depth > 4 or kind not in (ExprKind.BINARY, ExprKind.FSTRING):
        return []
    return [leaf for child in expr[2] for leaf in _name_leaves(child, depth + 1)]


def _literal(value: object) -> Expr:
    """A folded constant as an expression (`constant` only folds to str, int, float, bool or None)."""
    return (ExprKind.CONSTANT, value, (), ())  # type: ignore[return-value]


def subscripts(expr: Expr) -> tuple[Expr, tuple[Expr, ...]]:
    """`a[k1][k2]` → (`a`, (k1, k2)); any other expression → (itself, ())."""
    keys: list[Expr] = []
    while expr[0] == ExprKind.SUBSCRIPT:
        keys.append(expr[2][1])
        expr = expr[2][0]
    return expr, tuple(reversed(keys))


_INSTANCE_READS = frozenset({"get", "first", "last", "earliest", "latest", "get_or_create", "create"})
"""Manager methods that hand back one instance of the class they hang off (`Cls.objects.get()`)."""


def _keyword(call: Expr | None, name: str) -> Expr | None:
    """The `name=` argument of a call expression, else None."""
    if call is None or call[0] != ExprKind.CALL:
        return None
    return next((value for key, value in call[3] if key == name), None)


def bind(definition: DefinitionFact, function: str, scope: str, call: Expr) -> Binding:
    """The binding of one call of a function of the tree (its arguments to its parameters)."""
    return _bind(definition, function, scope, call)


def _bind(definition: DefinitionFact, function: str, scope: str, call: Expr) -> Binding:
    """Which argument of a call goes to which parameter (methods called on an instance skip `self`)."""
    parameters = list(definition.parameters)
    positional = [p for p in parameters if p.kind == "positional"]
    is_method = bool(definition.scope) and positional and positional[0].name in ("self", "cls")
    func = call[2][0]
    values: dict[str, list[Origin]] = defaultdict(list)
    if is_method:
        receiver = func[2][0] if func[0] == ExprKind.ATTRIBUTE else None
        if receiver is not None:
            values[positional[0].name].append((scope, receiver))
        positional = positional[1:]
    vararg = next((p.name for p in parameters if p.kind == "vararg"), None)
    extra: list[Expr] = []
    for index, argument in enumerate(call[2][1:]):
        if argument[0] == ExprKind.STARRED:
            if index >= len(positional):  # `f(*items)` into `def f(*args)`: its elements are `args`
                extra.append(argument)
            break
        if index < len(positional):
            values[positional[index].name].append((scope, argument))
        else:
            extra.append(argument)
    if vararg is not None:  # `*urls`: the tuple of the extra positional arguments
        values[vararg].append((scope, (ExprKind.TUPLE, None, tuple(extra), ())))
    names = {p.name for p in parameters}
    varkw = next((p.name for p in parameters if p.kind == "varkw"), None)
    for name, argument in call[3]:
        if name in names:
            values[name].append((scope, argument))
        elif name is not None and varkw is not None:
            values[f"{varkw}[{name}]"].append((scope, argument))
    return Binding(function=function, values={k: tuple(v) for k, v in values.items()})


def _is_config(expr: Expr) -> bool:
    """`<something>.config`: a Flask application's configuration mapping, by its spelling."""
    return expr[0] == ExprKind.ATTRIBUTE and expr[1] == "config"


def _constant_text(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    return None


def _split(symbol: str) -> tuple[str, str]:
    module, _, qualname = symbol.partition(":")
    return module, qualname.rpartition(".")[0]
