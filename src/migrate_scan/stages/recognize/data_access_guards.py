"""What a model signal's receiver skips for the write that sends the signal: its guards, folded.

A receiver of `post_save`/`pre_delete` is run by every save or delete of its sender (of every model
when it has none), but most of them leave at once for most of those writes:

    @receiver(post_save)
    def log_change(sender, instance, created, raw=False, **kwargs):
        if raw or not hasattr(instance, "to_change"):
            return
        if created:
            ...

What the signal passes is known where the write is: `created` is true for a row just built and
saved (`Ticket.objects.create(...)`, a create action), false for a row loaded and saved again, and
absent from a delete's signals (`kwargs.get("created")` is None, `"created" in kwargs` false);
`raw` is false outside fixture loading; `instance` is a row of the model written, whose class
(and its ancestors of ours) does or does not define `hasattr`'s name. A top-level `if` whose test
these decide, with `not`, `and`, `or`, skips the branch not taken, and what follows a taken
branch that leaves the function (`return`, `raise`): the receiver runs as a variant without
those lines (`DataAccess.variant`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple

from migrate_scan.model.facts import AssignmentFact, BranchFact, Expr, ExprKind, FileFacts, ParameterFact
from migrate_scan.model.graphs import Definition
from migrate_scan.stages.recognize.data_access_knowledge import AccessKnowledge
from migrate_scan.stages.recognize.expressions import string_of

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess

DELETED = "-"
CREATED = "created"
RAW = "raw"
INSTANCE = "instance"
SIGNAL_ARGUMENTS = {
    "pre_save": frozenset({"sender", "instance", "raw", "using", "update_fields"}),
    "post_save": frozenset({"sender", "instance", "created", "raw", "using", "update_fields"}),
    "pre_delete": frozenset({"sender", "instance", "using", "origin"}),
    "post_delete": frozenset({"sender", "instance", "using", "origin"}),
}
"""What Django's model signals pass their receivers (a key not passed is absent from `**kwargs`)."""
MODEL_BASES = frozenset({"django.db.models.Model", "django.db.models.base.Model"})
"""Outside ancestors known to define no attribute a receiver tests with `hasattr` (Django's own model base)."""


class Sent(NamedTuple):
    """What one signal passes a receiver: its name, `created` (None: unknown or not passed), the row's model."""

    signal: str
    created: bool | None
    model: str | None


class Guards:
    """Folds a receiver's `if` tests for what a signal passes it.

    `branches(module, qualname)`: a function's `if` statements; `assigned(module, qualname)`: its
    assignments; `has(model, name)`: whether rows of a model have an attribute (None: not known).
    """

    def __init__(
        self,
        branches: Callable[[str, str], list[BranchFact]],
        assigned: Callable[[str, str], list[AssignmentFact]],
        has: Callable[[str, str], bool | None],
    ) -> None:
        self.branches = branches
        self.assigned = assigned
        self.has = has

    def dead_lines(self, definition: Definition, sent: Sent) -> tuple[tuple[int, int], ...]:
        """The line ranges of the receiver this signal does not run: a test is read where every `if` around
        it is decided and it lies on their taken side (an `elif` after a test decided false)."""
        module, qualname, end = definition.module, definition.fact.qualname, definition.fact.end_line
        branches = sorted(self.branches(module, qualname), key=lambda b: b.line)
        if not branches:
            return ()
        names = _parameter_roles(definition.fact.parameters)
        dead: list[tuple[int, int]] = []
        decided: dict[int, bool] = {}
        for branch in branches:
            if _within(branch.line, dead):
                continue
            around = [o for o in branches if o.line < branch.line <= max(o.body_end, o.else_end)]
            if not all(_on_taken_side(o, branch.line, decided) for o in around):
                continue  # a test nested in an undecided one may not be reached at all
            value = self._value(branch.test, names, sent, (module, qualname, dead))
            if value is None:
                continue
            decided[branch.line] = value
            if value:
                if branch.else_line:
                    dead.append((branch.else_line, branch.else_end))
                if branch.exits:
                    dead.append((branch.body_end + 1, end))
            else:
                dead.append((branch.line + 1, branch.body_end))
        return tuple(sorted(set(dead)))

    def _value(self, test: Expr, names: dict[str, str], sent: Sent, where: _Where) -> bool | None:
        """The value of a test for this signal (None: not decided here)."""
        kind, value, children, keywords = test
        if kind == ExprKind.OTHER and value == "Not" and children:
            inner = self._value(children[0], names, sent, where)
            return None if inner is None else not inner
        if kind == ExprKind.OTHER and value in ("And", "Or"):
            return _combined([self._value(c, names, sent, where) for c in children], value == "And")
        if kind == ExprKind.NAME and str(value) not in names:
            return self._flag(str(value), where)
        argument = _argument(test, names)
        if argument is not None:
            return _passed(argument, sent)
        if kind == ExprKind.OTHER and value == "Compare" and len(keywords) == 1:
            left = _argument(children[0], names)
            if left is not None and left[0] == "get" and left[1] not in SIGNAL_ARGUMENTS.get(sent.signal, ()):
                return _compared_to_none(keywords[0])  # `kwargs.get("action") in (...)`: None, for this signal
            return None
        if kind == ExprKind.CALL:
            return self._has_attribute(test, names, sent)
        return None

    def _flag(self, name: str, where: _Where) -> bool | None:
        """A local only ever set to literals of one truth value (`m2m_changed = False`) on the lines run."""
        module, qualname, dead = where
        target = (ExprKind.NAME, name, (), ())
        values = [a for a in self.assigned(module, qualname) if a.targets == (target,) and not _within(a.line, dead)]
        truths = {
            bool(a.value[1]) if a.value is not None and a.value[0] == ExprKind.CONSTANT and a.operator is None else None
            for a in values
        }
        return truths.pop() if len(truths) == 1 else None

    def _has_attribute(self, call: Expr, names: dict[str, str], sent: Sent) -> bool | None:
        """`hasattr(instance, "name")`: whether the row's model defines it, when all its ancestors are known."""
        func, *arguments = call[2]
        if func[:2] != (ExprKind.NAME, "hasattr") or len(arguments) != 2 or sent.model is None:
            return None
        if arguments[0][0] != ExprKind.NAME or names.get(str(arguments[0][1])) != INSTANCE:
            return None
        name = string_of(arguments[1])
        if name is None:
            return None
        return self.has(sent.model, name)


_Where = tuple[str, str, list[tuple[int, int]]]
"""(module, function's qualname, the line ranges found dead so far)."""


def _within(line: int, ranges: list[tuple[int, int]]) -> bool:
    return any(first <= line <= last for first, last in ranges)


def _on_taken_side(branch: BranchFact, line: int, decided: dict[int, bool]) -> bool:
    """Whether a line inside an `if` is on the side its decided test takes."""
    value = decided.get(branch.line)
    if value is None:
        return False
    return branch.line < line <= branch.body_end if value else branch.else_line <= line <= branch.else_end


def _argument(test: Expr, names: dict[str, str]) -> tuple[str, str] | None:
    """A signal argument a test reads: `created` (a parameter), `kwargs.get("created")`, `kwargs["raw"]`
    (`("get", key)`), `"created" in kwargs` (`("in", key)`)."""
    kind, value, children, keywords = test
    if kind == ExprKind.NAME:
        role = names.get(str(value))
        return ("get", role) if role in (CREATED, RAW) else None
    key: str | None = None
    form = "get"
    if kind == ExprKind.CALL and children[0][:2] == (ExprKind.ATTRIBUTE, "get") and len(children) >= 2:
        owner, key = children[0][2][0], string_of(children[1])
    elif kind == ExprKind.SUBSCRIPT:
        owner, key = children[0], string_of(children[1])
    elif kind == ExprKind.OTHER and value == "Compare" and len(keywords) == 1 and keywords[0][0] == "In":
        owner, key, form = keywords[0][1], string_of(children[0]), "in"
    else:
        return None
    if owner[0] != ExprKind.NAME or names.get(str(owner[1])) != "**" or key is None:
        return None
    return form, key


def _passed(argument: tuple[str, str], sent: Sent) -> bool | None:
    """The truth of a signal argument read as `form` (`get`: its value; `in`: whether it is passed)."""
    form, key = argument
    passed = key in SIGNAL_ARGUMENTS.get(sent.signal, frozenset({key}))
    if form == "in":
        return passed
    if not passed:
        return False  # `kwargs.get("created")` in a delete's receiver: None
    if key == CREATED:
        return sent.created
    return False if key == RAW else None


def _compared_to_none(comparison: tuple[str | None, Expr]) -> bool | None:
    """`None <op> right` where the right side is literal: `in ("a", "b")` false, `== "a"` false, `is None` true."""
    operator, right = comparison
    if right[0] in (ExprKind.LIST, ExprKind.TUPLE, ExprKind.SET):
        if not right[2] or not all(r[0] == ExprKind.CONSTANT and r[1] is not None for r in right[2]):
            return None
        return {"In": False, "NotIn": True}.get(str(operator))
    if right[0] != ExprKind.CONSTANT:
        return None
    if right[1] is None:
        return {"Is": True, "IsNot": False, "Eq": True, "NotEq": False}.get(str(operator))
    return {"Eq": False, "NotEq": True, "Is": False, "IsNot": True}.get(str(operator))


def inserted(method: str, is_class: bool, fresh: bool | None, known: AccessKnowledge) -> bool | None:
    """Whether a signalling write adds a new row (`created` true), updates a loaded one (false), or either (None).

    On a model class, a query or a related manager, a write that reads nothing first (`objects.create(...)`)
    adds a row; on an instance (`save()`), what the instance is decides: built here, or loaded.
    """
    if method in known.delete_methods or method in known.read_and_write_methods:
        return None
    return True if is_class else fresh


def _parameter_roles(parameters: tuple[ParameterFact, ...]) -> dict[str, str]:
    """Parameter name → its role (`instance`, `created`, `raw`, `**kwargs`): by name, or by position."""
    roles: dict[str, str] = {}
    positional = [p for p in parameters if p.kind == "positional"]
    for position, parameter in enumerate(positional):
        if parameter.name in (INSTANCE, CREATED, RAW):
            roles[parameter.name] = parameter.name
        elif position == 1 and INSTANCE not in (p.name for p in positional):  # `(sender, obj, **kwargs)`
            roles[parameter.name] = INSTANCE
    for parameter in parameters:
        if parameter.kind == "keyword" and parameter.name in (INSTANCE, CREATED, RAW):
            roles[parameter.name] = parameter.name
        elif parameter.kind == "varkw":
            roles[parameter.name] = "**"
    return roles


def _combined(values: list[bool | None], is_and: bool) -> bool | None:
    """Three-valued `and`/`or`: decided by one operand that decides it, else by all operands known."""
    if is_and and False in values:
        return False
    if not is_and and True in values:
        return True
    return None if None in values else is_and


class GuardedReceivers:
    """The variant of each model-signal receiver a write runs, given what its signal passes."""

    def __init__(self, access: DataAccess) -> None:
        self.access = access
        self.signals: dict[tuple[str | None, str], set[str]] = defaultdict(set)  # (sender key, receiver) → signals
        self._branches: dict[str, dict[str, list[BranchFact]]] = {}  # module → scope → its `if` statements
        self._assigned: frozenset[str] | None = None  # attribute names some code sets on an object
        self._assignments: dict[str, dict[str, list[AssignmentFact]]] = {}  # module → scope → its assignments
        self.guards = Guards(self.branches, self.assignments, self._has)
        self._runs: dict[tuple[str, str | None, str, bool | None], list[str]] = {}  # `runs`' answers

    def connect(self, key: str | None, receiver: str, signal: str) -> None:
        """A receiver run for the writes of `key` (a sender model, DELETED + it, None: any) by a signal."""
        self.signals[(key, receiver)].add(signal.rpartition(".")[2])

    def runs(self, receiver: str, key: str | None, model: str, created: bool | None) -> list[str]:
        """What runs of `receiver` for one write of `model` (bare name) under sender key `key`.

        `hasattr(instance, ...)` is decided by the model of the row the write sends, for a receiver of one
        sender or of every sender (each run is for one row; a save this analysis does not see runs none)."""
        known = self._runs.get((receiver, key, model, created))
        if known is not None:  # every write of the model asks again: the tests fold the same way
            return known
        definition = self.access.graphs.definitions.get(receiver)
        signals = self.signals.get((key, receiver))
        if definition is None or not signals or definition.fact.kind != "function":
            return [receiver]
        row = model
        dead = {self.guards.dead_lines(definition, Sent(signal, created, row)) for signal in signals}
        known = self._runs[(receiver, key, model, created)] = sorted({self.access.variant(receiver, d) for d in dead})
        return known

    def branches(self, module: str, qualname: str) -> list[BranchFact]:
        """The `if` statements of a function."""
        index = self._branches.get(module)
        if index is None:
            index = self._branches[module] = defaultdict(list)
            facts = self.access.graphs.modules.get(module)
            for branch in facts.branches if facts is not None else ():
                if branch.kind == "if":
                    index[branch.scope].append(branch)
        return index.get(qualname, [])

    def assignments(self, module: str, qualname: str) -> list[AssignmentFact]:
        """The assignments of a function."""
        index = self._assignments.get(module)
        if index is None:
            index = self._assignments[module] = defaultdict(list)
            facts = self.access.graphs.modules.get(module)
            for assignment in facts.assignments if facts is not None else ():
                index[assignment.scope].append(assignment)
        return index.get(qualname, [])

    def _has(self, model: str, name: str) -> bool | None:
        """Whether rows of a model have an attribute: defined by its class or an ancestor of ours; not, when
        no outside ancestor (Django's model base aside) may define it and no code sets it on an object
        (`instance._snapshot = ...`, `setattr(...)`; a test's mock aside)."""
        resolver = self.access.graphs.resolver
        found = resolver.class_attribute(model, name)  # `ext:` values: what an outside base might hold
        if any(not value.startswith("ext:") for value in found) or (model, name) in self.access.accessors:
            return True
        if self._assigned is None:
            graphs = self.access.graphs
            self._assigned = _assigned_attributes(f for f in graphs.modules.values() if not graphs.is_test(f.module))
        if name in self._assigned or any(":" not in a and a not in MODEL_BASES for a in resolver.ancestors(model)):
            return None
        return False


def _assigned_attributes(modules: Iterable[FileFacts]) -> frozenset[str]:
    """Attribute names assigned on an object (`x.name = ...`) or with `setattr(x, "name", ...)` anywhere."""
    names: set[str] = set()
    for facts in modules:
        for assignment in facts.assignments:
            names.update(str(t[1]) for t in assignment.targets if t[0] == ExprKind.ATTRIBUTE)
        for call in facts.calls:
            func = call.call[2][0]
            if func[:2] == (ExprKind.NAME, "setattr") and len(call.call[2]) > 2:
                name = string_of(call.call[2][2])
                if name is not None:
                    names.add(name)
    return frozenset(names)


def inserts_of(
    inserts: dict[str, dict[str, set[bool | None]]], saves: dict[str, set[str]], reached: Iterable[str]
) -> dict[str, set[bool | None]]:
    """Saved model → whether its writes among the functions `reached` add rows (True), update loaded ones
    (False) or either (None): what each save, or each call of a model's own `save()`, says (a variant's
    are its function's when it has none of its own); None for a save that says nothing."""
    found: dict[str, set[bool | None]] = defaultdict(set)
    for scope in reached:
        kinds = inserts.get(scope) or inserts.get(scope.partition("@")[0]) or {}
        for model, said in kinds.items():
            found[model] |= said
    for scope in reached:
        for saved in saves.get(scope, ()):
            if not found.get(saved):
                found[saved] = {None}
    return found


def merged_inserts(into: dict[str, set[bool | None]], more: dict[str, set[bool | None]]) -> dict[str, set[bool | None]]:
    """`into` with `more`'s kinds added (a new dict when anything is added)."""
    if not more:
        return into
    merged = {model: set(kinds) for model, kinds in into.items()}
    for model, kinds in more.items():
        merged.setdefault(model, set()).update(kinds)
    return merged


def only(kinds: set[bool | None] | None) -> bool | None:
    """The one kind of a model's writes (None: unknown or mixed)."""
    return next(iter(kinds)) if kinds is not None and len(kinds) == 1 else None


class Factories:
    """Functions of ours that return a row they build (`def to_change(self): change = Change(...);
    return change`): what a call of one gives is a new row, which saving inserts."""

    def __init__(self, access: DataAccess) -> None:
        self.access = access
        self._known: dict[str, bool] = {}

    def built(self, scope: str, call: Expr) -> bool:
        """Whether a call gives a new row: a model class of ours called, or a function that `builds`."""
        return call[0] == ExprKind.CALL and (self._constructs(scope, call) or self.builds(scope, call))

    def builds(self, scope: str, call: Expr) -> bool:
        """Whether every function a call may reach returns only rows it builds."""
        func = call[2][0]
        values = self.access.graphs.resolver.values(scope, func)
        functions = {v[4:] for v in values if v[:4] in ("def:", "bnd:") and v[4:] in self.access.graphs.definitions}
        if any(v[:4] not in ("def:", "bnd:", "ext:") for v in values) or len(functions) < len(
            [v for v in values if v[:4] != "ext:"]
        ):
            return False  # an outside object (`ext:`, a test's mock) is no row of ours: left aside
        if not functions and func[0] == ExprKind.ATTRIBUTE:  # `instance.to_change()` on a row of a model
            functions = self.access.instance_methods(scope, func[2][0], str(func[1]))
        return bool(functions) and all(map(self._returns_new, sorted(functions)))

    def _returns_new(self, symbol: str) -> bool:
        known = self._known.get(symbol)
        if known is None:
            self._known[symbol] = False  # recursion: not a factory
            known = self._known[symbol] = self._only_built(symbol)
        return known

    def _only_built(self, symbol: str) -> bool:
        """Each `return` of the function gives a constructor call of a model or of a factory (an override's
        `super().to_change()`), or a local only bound to one."""
        definition = self.access.graphs.definitions[symbol]
        facts = self.access.graphs.modules.get(definition.module)
        if facts is None or definition.fact.kind != "function":
            return False
        qualname = definition.fact.qualname
        returned = [r for r in facts.returns if r.scope == qualname]
        if not returned or any(r.is_yield for r in returned):
            return False
        for value in (r.value for r in returned):
            if value[0] == ExprKind.NAME:
                bound = [a.value for a in facts.assignments if a.scope == qualname and a.targets == (value,)]
                if not bound or not all(b is not None and self.built(symbol, b) for b in bound):
                    return False
            elif not self.built(symbol, value):
                return False
        return True

    def _constructs(self, scope: str, value: Expr) -> bool:
        """`Change(...)`: a call of a model class of ours."""
        if value[0] != ExprKind.CALL:
            return False
        values = self.access.graphs.resolver.values(scope, value[2][0])
        return bool(values) and all(v[:4] == "cls:" and v[4:] in self.access.models for v in values)
