"""The shape of Celery canvases: a function's facts → the `CanvasStep` trees it composes.

Part of the jobs recognizer: for each function that builds a canvas (a
`celery-workflow` job) it reads the outermost compositions from the call
expressions the parser kept, through:

    chain(a.s(), b.s()) / a.s() | b.s()       → chain of the parts, in order
    group(a.s(), b.s()) / group([a.s(), ...])  → group
    group(a.s(x) for x in xs)                  → map (the one signature called in the comprehension)
    chord(header, body) / chord(header=..., body=...) / chord(header)(body)  → chord: header members, then the callback
    signature('name') / a.s() / a.si() / a.signature()   → task;  a.map(items) / a.starmap(items) → map
    a name bound once in the function, `.set(...)`/`.clone()` on a canvas, and a call to another
    canvas-building function of the same module (inlined)

Anything else inside a composition makes the whole canvas unknown (an empty
list for the job): a partial shape would be a wrong workflow. Deterministic:
calls are read in source order and the results sorted by line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from migrate_scan.heuristics.schema import MatchRule
from migrate_scan.model.facts import CallFact, Expr, ExprKind, FileFacts
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.report import CanvasStep
from migrate_scan.stages.recognize.expressions import first_match, scope_of, string_of

PRIMITIVES = ("chain", "group", "chord", "signature")
SIGNATURES = ("s", "si", "signature")
MAPS = ("map", "starmap")  # `task.map(items)`: the task once per item
PASS_THROUGH = ("set", "clone")
COMPREHENSIONS = ("GeneratorExp", "ListComp", "SetComp")

TaskNamer = Callable[[str, Expr], "str | None"]
"""(scope, the expression before `.s`) → the task's registered name, or None."""


class _Unknown(Exception):
    """A part of a composition static reading cannot name."""


@dataclass
class CanvasReader:
    """Reads the canvases of one module's functions; memoises each function's shapes (for inlining)."""

    graphs: LinkedGraphs
    calls: dict[str, MatchRule]
    task_name: TaskNamer
    facts: FileFacts
    builders: set[str]  # scopes (symbols) of this module that build canvases
    _shapes: dict[str, list[CanvasStep]] = field(default_factory=dict)
    _reading: set[str] = field(default_factory=set)

    def shapes(self, builder: str) -> list[CanvasStep]:
        """The outermost canvases `builder` composes, in source order; [] when any is unknown."""
        if builder in self._shapes:
            return self._shapes[builder]
        if builder in self._reading:
            return []  # recursion between builders: no finite shape
        self._reading.add(builder)
        try:
            found = self._read(builder)
        finally:
            self._reading.discard(builder)
        self._shapes[builder] = found
        return found

    def _read(self, builder: str) -> list[CanvasStep]:
        module = self.facts.module
        calls = [c for c in self.facts.calls if scope_of(module, c.scope) == builder]
        assignments = [a for a in self.facts.assignments if scope_of(module, a.scope) == builder and a.value]
        returns = [r for r in self.facts.returns if scope_of(module, r.scope) == builder]
        candidates: list[tuple[int, Expr]] = [(c.line, c.call) for c in calls if self._is_composition(builder, c.call)]
        candidates += [
            (line, value)
            for line, value in [(a.line, a.value) for a in assignments] + [(r.line, r.value) for r in returns]
            if value is not None and value[0] == ExprKind.BINARY and value[1] == "BitOr"
        ]
        bound = [(a.value, str(t[1])) for a in assignments for t in a.targets if t[0] == ExprKind.NAME]
        roots = []
        for line, expr in candidates:
            if any(other is not expr and (other == expr and o_line < line) for o_line, other in candidates):
                continue  # the same expression seen twice (a call fact and its assignment)
            roots.append((line, expr))
        outermost = [(line, expr) for line, expr in roots if _is_outermost(expr, roots, bound)]
        try:
            return [self._step(builder, expr, calls) for _, expr in sorted(outermost, key=lambda item: item[0])]
        except _Unknown:
            return []

    def _is_composition(self, scope: str, expr: Expr) -> bool:
        if expr[0] == ExprKind.BINARY and expr[1] == "BitOr":
            return True
        if expr[0] != ExprKind.CALL:
            return False
        func = expr[2][0]
        if func[0] == ExprKind.CALL:  # chord(header)(body)
            return self._primitive(scope, func[2][0]) == "chord"
        return self._primitive(scope, func) in ("chain", "group", "chord")

    def _primitive(self, scope: str, func: Expr) -> str | None:
        names = self.graphs.resolver.qualified_names(scope, func)
        rule = first_match(names, self.calls)
        if rule is None or rule.role != "canvas":
            return None
        for name in names:
            last = name.rpartition(".")[2]
            if name in self.calls and last in PRIMITIVES:
                return last
        return None

    def _step(self, scope: str, expr: Expr, calls: list[CallFact]) -> CanvasStep:
        kind, value, children, _ = expr
        if kind == ExprKind.BINARY and value == "BitOr":
            return _chain([self._step(scope, child, calls) for child in children])
        if kind == ExprKind.NAME:
            return self._step(scope, self._bound_once(scope, str(value)), calls)
        if kind != ExprKind.CALL:
            raise _Unknown(kind)
        func, arguments = children[0], children[1:]
        if func[0] == ExprKind.CALL and len(arguments) == 1 and self._primitive(scope, func[2][0]) == "chord":
            header = func[2][1:]
            if len(header) != 1:
                raise _Unknown("chord(header)(body) with several headers")
            return self._chord(scope, header[0], arguments[0], calls)
        primitive = self._primitive(scope, func)
        if primitive == "chain":
            return _chain([self._step(scope, a, calls) for a in self._members(scope, arguments, calls)])
        if primitive == "group":
            return self._group(scope, expr, arguments, calls)
        if primitive == "chord":
            given = dict(zip(("header", "body"), arguments, strict=False))
            given.update({name: value for name, value in expr[3] if name in ("header", "body")})
            if len(arguments) > 2 or len(given) != 2:
                raise _Unknown("chord without its body in the call")
            return self._chord(scope, given["header"], given["body"], calls)
        if primitive == "signature":
            name = string_of(arguments[0]) if arguments else None
            if name is None:
                raise _Unknown("signature of a name not written out")
            return CanvasStep(kind="task", task=name)
        if func[0] == ExprKind.ATTRIBUTE and func[1] in (*SIGNATURES, *MAPS):
            name = self.task_name(scope, func[2][0])
            if name is None:
                raise _Unknown("a signature of something not a task")
            task = CanvasStep(kind="task", task=name)
            return CanvasStep(kind="map", steps=[task]) if func[1] in MAPS else task
        if func[0] == ExprKind.ATTRIBUTE and func[1] in PASS_THROUGH:
            return self._step(scope, func[2][0], calls)
        return self._inlined(scope, func)

    def _group(self, scope: str, expr: Expr, arguments: tuple[Expr, ...], calls: list[CallFact]) -> CanvasStep:
        if len(arguments) == 1 and arguments[0][0] == ExprKind.OTHER and arguments[0][1] in COMPREHENSIONS:
            element = arguments[0][2][0] if arguments[0][2] else None  # a one-`for` comprehension keeps its parts
            if element is not None and self._is_signature(element):
                return CanvasStep(kind="map", steps=[self._step(scope, element, calls)])
            line = next(c.line for c in calls if c.call is expr)
            repeated = [
                c
                for c in calls
                if c.line == line and c.call is not expr and self._is_signature(c.call) and not _inside_other(c, calls)
            ]
            if len(repeated) != 1:
                raise _Unknown("a comprehension whose signature is not one call")
            return CanvasStep(kind="map", steps=[self._step(scope, repeated[0].call, calls)])
        members = self._members(scope, arguments, calls)
        return CanvasStep(kind="group", steps=[self._step(scope, m, calls) for m in members])

    def _chord(self, scope: str, header: Expr, body: Expr, calls: list[CallFact]) -> CanvasStep:
        if header[0] in (ExprKind.LIST, ExprKind.TUPLE):
            members = [self._step(scope, m, calls) for m in header[2]]
        else:
            step = self._step(scope, header, calls)
            members = step.steps if step.kind == "group" else [step]
        if not members:
            raise _Unknown("a chord with an empty header")
        return CanvasStep(kind="chord", steps=members, callback=self._step(scope, body, calls))

    def _members(self, scope: str, arguments: tuple[Expr, ...], calls: list[CallFact]) -> list[Expr]:
        if len(arguments) == 1 and arguments[0][0] in (ExprKind.LIST, ExprKind.TUPLE):
            return list(arguments[0][2])
        if any(a[0] in (ExprKind.STARRED, ExprKind.TRUNCATED, ExprKind.OTHER) for a in arguments):
            raise _Unknown("members not written out")
        if not arguments:
            raise _Unknown("an empty composition")
        return list(arguments)

    def _is_signature(self, expr: Expr) -> bool:
        return expr[0] == ExprKind.CALL and expr[2][0][0] == ExprKind.ATTRIBUTE and expr[2][0][1] in SIGNATURES

    def _bound_once(self, scope: str, name: str) -> Expr:
        values = [
            a.value
            for a in self.facts.assignments
            if scope_of(self.facts.module, a.scope) == scope
            and a.value is not None
            and a.operator is None
            and any(t[0] == ExprKind.NAME and t[1] == name for t in a.targets)
        ]
        if len(values) != 1:
            raise _Unknown(f"{name} is not bound exactly once")
        return values[0]

    def _inlined(self, scope: str, func: Expr) -> CanvasStep:
        targets = sorted(v.partition(":")[2] for v in self.graphs.resolver.values(scope, func) if v.startswith("def:"))
        if len(targets) != 1 or targets[0] not in self.builders:
            raise _Unknown("a call that is neither a canvas primitive nor a canvas-building function")
        shapes = self.shapes(targets[0])
        if len(shapes) != 1:
            raise _Unknown("the called function builds no single canvas")
        return shapes[0]


def _chain(steps: list[CanvasStep]) -> CanvasStep:
    """A chain, with nested chains flattened (`a | b | c` parses as `(a | b) | c`)."""
    flat: list[CanvasStep] = []
    for step in steps:
        flat.extend(step.steps if step.kind == "chain" else [step])
    if not flat:
        raise _Unknown("an empty chain")
    return CanvasStep(kind="chain", steps=flat)


def _contains(outer: Expr, inner: Expr) -> bool:
    """Whether `inner` is a proper part of `outer` (by identity: the parser shares the subtrees it records)."""
    for child in (*outer[2], *(value for _, value in outer[3])):
        if child is inner or child == inner or _contains(child, inner):
            return True
    return False


def _is_outermost(expr: Expr, roots: list[tuple[int, Expr]], bound: list[tuple[Expr | None, str]]) -> bool:
    """Neither part of another root, nor bound to a variable another root reads."""
    others = [other for _, other in roots if other is not expr]
    if any(_contains(other, expr) for other in others):
        return False
    names = [name for value, name in bound if value == expr]
    return not any(_names(other, name) for other in others for name in names)


def _names(expr: Expr, name: str | None) -> bool:
    """Whether `expr` reads the variable `name`."""
    if name is None:
        return False
    if expr[0] == ExprKind.NAME:
        return expr[1] == name
    return any(_names(child, name) for child in (*expr[2], *(value for _, value in expr[3])))


def _inside_other(call: CallFact, calls: list[CallFact]) -> bool:
    return any(other is not call and _contains(other.call, call.call) for other in calls)
