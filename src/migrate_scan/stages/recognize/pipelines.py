"""Pipelines: `LinkedGraphs` + jobs → `Recognition.pipelines`, the chains of steps jobs run by hand.

A job (a task, a command, a scheduled job) that loops over a literal list of three or more of the
application's classes or functions and runs each one (`for plugin_class in plugins: plugin_class(...).run()`)
is a multi-step process written by hand: a plugin chain. The list may be a local (also `a if c else b`
of two lists: the longest counts). Its steps are the listed definitions, in order, each with where it is
defined; the modules that take part are the steps' modules and those of the project base classes two or
more steps share. The classify stage decides whether the chain is a workflow (pattern 4).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.model.facts import Expr, ExprKind, FileFacts
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Pipeline, Recognition
from migrate_scan.model.report import JobKind
from migrate_scan.stages.recognize.registry import Product, Recognizer

PIPELINE_JOB_KINDS: frozenset[JobKind] = frozenset(
    {"celery-task", "rq-job", "scheduler", "django-command", "flask-command", "click-command"}
)
"""Jobs whose body may run a hand-written chain of steps."""
MIN_PIPELINE_STEPS = 3
"""Distinct definitions a chain lists (the floor of a canvas's distinct tasks in PT401)."""
MAX_LOCAL_HOPS = 3


def recognize(graphs: LinkedGraphs, _heuristics: Heuristics, published: Recognition) -> Recognition:
    """The chains of steps the application's jobs run, one per job and loop."""
    found = Recognition()
    for job in published.jobs:
        if job.kind not in PIPELINE_JOB_KINDS:
            continue
        module, _, qualname = job.handler.partition(":")
        facts = graphs.modules.get(module)
        if facts is None or not qualname or graphs.is_test(module):
            continue
        scopes = [qualname, *(d.qualname for d in facts.definitions if d.scope == qualname)]
        for scope in scopes:
            for line, steps, methods in _chains(graphs, facts, scope):
                found.pipelines.append(
                    Pipeline(
                        job=job.handler,
                        location=Location(file=facts.path, line=line),
                        steps=steps,
                        step_locations=tuple(_definitions(graphs, steps)),
                        members=_members(graphs, steps, methods),
                    )
                )
    return found


def _chains(graphs: LinkedGraphs, facts: FileFacts, scope: str) -> list[tuple[int, tuple[str, ...], frozenset[str]]]:
    """`for step in [A, B, C]: step(...)` in `scope`: the loop's line, the definitions it runs, the methods called."""
    symbol = f"{facts.module}:{scope}"
    local: dict[str, list[Expr]] = {}
    for assignment in facts.assignments:
        if assignment.scope == scope and assignment.operator is None and assignment.value is not None:
            for target in assignment.targets:
                if target[0] == ExprKind.NAME:
                    local.setdefault(str(target[1]), []).append(assignment.value)
    called, methods = _called_names(facts, scope)
    found = []
    for assignment in facts.assignments:
        loop = assignment.targets[0] if assignment.targets else None
        if assignment.scope != scope or assignment.operator != "iter" or assignment.value is None:
            continue
        if loop is None or loop[0] != ExprKind.NAME or str(loop[1]) not in called:
            continue
        elements = _listed(assignment.value, local)
        steps: list[str] = []
        for element in elements:
            for value in sorted(graphs.resolver.values(symbol, element)):
                tag, _, definition = value.partition(":")
                if tag in ("cls", "def") and definition not in steps:
                    steps.append(definition)
        if len(steps) >= MIN_PIPELINE_STEPS:
            found.append((assignment.line, tuple(steps), frozenset(methods.get(str(loop[1]), ()))))
    return found


def _called_names(facts: FileFacts, scope: str) -> tuple[set[str], dict[str, set[str]]]:
    """Names the scope calls (`step(...)`) or calls a method of (`step.run()`), and names bound to those calls;
    and for each name, the methods called on it or on what its call made (`plugin_class` → run, setup)."""
    called: set[str] = set()
    methods: dict[str, set[str]] = {}
    made: dict[str, str] = {}  # `plugin = plugin_class(...)` → plugin: plugin_class
    for assignment in facts.assignments:
        value = assignment.value
        if assignment.scope == scope and value is not None and value[0] == ExprKind.CALL:
            func = value[2][0]
            if func[0] == ExprKind.NAME:
                for target in assignment.targets:
                    if target[0] == ExprKind.NAME:
                        made[str(target[1])] = str(func[1])
    for call in facts.calls:
        if call.scope != scope:
            continue
        func = call.call[2][0]
        if func[0] == ExprKind.NAME:
            called.add(str(func[1]))
        elif func[0] == ExprKind.ATTRIBUTE and func[2][0][0] == ExprKind.NAME:
            receiver = str(func[2][0][1])
            called.add(receiver)
            methods.setdefault(receiver, set()).add(str(func[1]))
            if receiver in made:
                called.add(made[receiver])
                methods.setdefault(made[receiver], set()).add(str(func[1]))
    return called, methods


def _listed(expr: Expr, local: Mapping[str, list[Expr]], hops: int = 0) -> list[Expr]:
    """The elements of the longest list or tuple literal `expr` is (through locals and `a if c else b`)."""
    kind, value, children, _ = expr
    if kind in (ExprKind.LIST, ExprKind.TUPLE):
        return [c for c in children if c[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE)]
    candidates: Iterable[Expr] = ()
    if kind == ExprKind.NAME and hops < MAX_LOCAL_HOPS:
        candidates = local.get(str(value), [])
    elif kind == ExprKind.OTHER and value == "IfExp":
        candidates = children[1:]
    options = [_listed(c, local, hops + 1) for c in candidates]
    return max(options, key=len, default=[])


def _definitions(graphs: LinkedGraphs, steps: tuple[str, ...]) -> list[Location]:
    """Where each step is defined: the evidence of what the chain runs."""
    found = []
    for step in steps:
        module, _, qualname = step.partition(":")
        facts = graphs.modules.get(module)
        line = next((d.line for d in facts.definitions if d.qualname == qualname), None) if facts else None
        if facts is not None and line is not None:
            found.append(Location(file=facts.path, line=line))
    return found


def _members(graphs: LinkedGraphs, steps: tuple[str, ...], methods: frozenset[str]) -> tuple[str, ...]:
    """The steps' modules and those of the project base classes two or more steps share that define what
    the chain calls on each step (the plugin interface: `run`, `setup`), not a mixin they also share."""
    modules = {_module_of(step) for step in steps}
    bases: Counter[str] = Counter()
    for step in steps:
        for ancestor in graphs.resolver.ancestors(step):
            if ":" in ancestor and _module_of(ancestor) in graphs.modules:
                bases[ancestor] += 1
    for base, count in sorted(bases.items()):
        module, _, qualname = base.partition(":")
        defined = {d.name for d in graphs.modules[module].definitions if d.scope == qualname}
        if count >= 2 and defined & methods:
            modules.add(module)
    return tuple(sorted(modules))


def _module_of(symbol: str) -> str:
    return symbol.partition(":")[0]


RECOGNIZER = Recognizer(
    name="pipelines",
    run=recognize,
    produces=frozenset({Product.PIPELINES}),
    requires=frozenset({Product.JOBS}),
)
