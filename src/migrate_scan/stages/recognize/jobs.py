"""Jobs: background, scheduled and command-line work, and the Celery canvases that chain it.

Handled: Celery `@shared_task` and `@app.task` (name Celery registers: `name=`
or `module.function`; `bind`, `max_retries`, time limits), beat schedules
(`conf.beat_schedule = {...}`, `CELERY_BEAT_SCHEDULE = {...}` in settings,
`beat_schedule.update({...})`, `conf.update(beat_schedule=...)`) resolved to
their task by registered name; Celery 2/3's `@task`/`@periodic_task` (from `celery.task` or
`celery.decorators`) and `celery.task.Task`/`PeriodicTask` subclasses (`run()`, `run_every`);
canvases (`chain`, `chord`, `group`, `.s()`, `.si()`, `|`) as a `celery-workflow` entry on the
function that builds them, with their shape (`canvas.py`);
RQ `queue.enqueue(f)` and `@job`; APScheduler `add_job` and `@scheduled_job`;
Django management commands; Flask CLI commands and groups (`@app.cli.command`,
`AppGroup`, click commands attached with `app.cli.add_command`, lazy groups that
serve a group named by import path, `group.command(name)(f)` in the project's own
helpers evaluated per call site); `while True`
worker loops; started threads that are daemons or run a `while True` loop
(`threading.Thread(target=f, daemon=True).start()`, `t.daemon = True; t.start()`,
a `Thread` subclass's `run`) as `thread` jobs at the `Thread(...)` call.
Decorators and calls are matched by the qualified names link resolved, so a
function merely called `task` is not a Celery task.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import timedelta

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.heuristics.schema import MatchRule
from migrate_scan.model.facts import CallFact, DefinitionFact, Expr, ExprKind, FileFacts, LoopFact, expression_text
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.ids import TEST_PACKAGES, Location
from migrate_scan.model.inventory import Recognition, UnresolvedRegistration
from migrate_scan.model.report import Evidence, Job
from migrate_scan.stages.recognize.canvas import CanvasReader
from migrate_scan.stages.recognize.evaluation import Binding, Evaluator
from migrate_scan.stages.recognize.expressions import (
    argument,
    called_names,
    constructions,
    constructor_names,
    first_match,
    functions_of,
    keyword,
    module_calls,
    number_of,
    scope_of,
    string_of,
    subclass_names,
)
from migrate_scan.stages.recognize.registry import Product, Recognizer, producer

SIGNATURE_METHODS = ("s", "si", "signature", "map", "starmap", "chunks")
COMMAND_SUFFIXES = ("_command", "_cmd", "_group", "_grp")
CRONTAB_FIELDS = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week")
TIMEDELTA_UNITS = ("days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks")


@dataclass
class _Context:
    graphs: LinkedGraphs
    decorators: dict[str, MatchRule]
    calls: dict[str, MatchRule]
    bases: dict[str, MatchRule]
    keys: dict[str, MatchRule]
    evaluator: Evaluator
    tasks: dict[str, Job] = field(default_factory=dict)  # registered name → task
    task_functions: dict[str, str] = field(default_factory=dict)  # function symbol → registered name
    found: Recognition = field(default_factory=Recognition)


def recognize(graphs: LinkedGraphs, heuristics: Heuristics) -> Recognition:
    """Find every job the application defines."""
    context = _Context(
        graphs=graphs,
        decorators=heuristics.matchers("task-decorator"),
        calls=heuristics.matchers("job-call"),
        bases=heuristics.matchers("job-base"),
        keys=heuristics.matchers("settings-key"),
        evaluator=Evaluator(graphs),
    )
    for facts in graphs.modules.values():
        _find_decorated(context, facts)
        _find_task_classes(context, facts)
    for facts in graphs.modules.values():
        _find_beat(context, facts)
        _find_calls(context, facts)
        _find_commands(context, facts)
        _find_loops(context, facts)
    _find_cli(context)
    _find_threads(context)
    # What test code defines (a task a test enqueues, a job class a test subclasses) runs only in the tests.
    context.found.jobs = [j for j in context.found.jobs if not _is_test_job(graphs, j)]
    context.found.limits = context.evaluator.limits()
    return context.found


def _is_test_job(graphs: LinkedGraphs, job: Job) -> bool:
    """A job test code defines. A management command's module is named by the command
    (`list_top_tests`): only a test package on its path makes it test code."""
    module = job.handler.partition(":")[0]
    if job.kind == "django-command":
        return any(part in TEST_PACKAGES for part in module.split("."))
    return graphs.is_test(module)


def _evidence(rule: MatchRule | str, *locations: Location) -> list[Evidence]:
    return [Evidence(rule=rule if isinstance(rule, str) else rule.id, locations=list(locations))]


# -- decorated functions: Celery, RQ, APScheduler ------------------------------------------------


def _find_decorated(context: _Context, facts: FileFacts) -> None:
    resolver = context.graphs.resolver
    for definition in facts.definitions:
        if definition.kind != "function":
            continue
        scope = scope_of(facts.module, definition.scope)
        handler = f"{facts.module}:{definition.qualname}"
        location = Location(file=facts.path, line=definition.line)
        for decorator in definition.decorators:
            func = decorator[2][0] if decorator[0] == ExprKind.CALL else decorator
            rule = first_match(resolver.qualified_names(scope, func), context.decorators) or _project_decorator(
                context, scope, func
            )
            if rule is None:
                continue
            call = decorator if decorator[0] == ExprKind.CALL else None
            if rule.role == "celery":
                _add_task(context, facts, definition, handler, rule, call, location)
            elif rule.role == "rq":
                name = f"{facts.module}.{definition.name}"
                context.found.jobs.append(
                    Job(
                        kind="rq-job", name=name, handler=handler, location=location, evidence=_evidence(rule, location)
                    )
                )
            elif rule.role == "apscheduler":
                schedule = _trigger(call) if call is not None else None
                name = (string_of(keyword(call, "id")) if call is not None else None) or definition.name
                context.found.jobs.append(
                    Job(
                        kind="scheduler",
                        name=name,
                        handler=handler,
                        schedule=schedule,
                        location=location,
                        evidence=_evidence(rule, location),
                    )
                )


_QUEUE_DECORATOR_ROLES = ("celery", "rq")


def _project_decorator(context: _Context, scope: str, func: Expr) -> MatchRule | None:
    """A task decorator the project builds from a framework's: a subclass of it, or `partial(...)` of one.

    `class StatsJob(rq.decorators.job)` then `job = partial(StatsJob, connection=...)`, used as `@job("q")`.
    """
    resolver = context.graphs.resolver
    wrapped = _wrapping_method(context, scope, func)
    if wrapped is not None:
        return wrapped
    for where, origin in context.evaluator.origins(scope, func):
        target = origin
        if origin[0] == ExprKind.CALL and "ext:functools:partial" in resolver.values(where, origin[2][0]):
            target = origin[2][1] if len(origin[2]) > 1 else origin
        for value in resolver.values(where, target):
            if not value.startswith("cls:"):
                continue
            rule = first_match(resolver.ancestors(value[4:]), context.decorators)
            if rule is not None and rule.role in _QUEUE_DECORATOR_ROLES:
                return rule
    return None


def _wrapping_method(context: _Context, scope: str, func: Expr) -> MatchRule | None:
    """`@celery.periodic_task(...)` where `periodic_task` is the project's own method (on a Celery subclass)
    whose body applies the framework's task decorator (`self.task(f, ...)`): that decorator's rule."""
    resolver = context.graphs.resolver
    for value in sorted(resolver.values(scope, func)):
        if not value.startswith(("def:", "bnd:")):
            continue
        method = value[4:]
        for called_scope, call in _calls_inside(context, method):
            rule = first_match(resolver.qualified_names(called_scope, call[2][0]), context.decorators)
            if rule is not None and rule.role in _QUEUE_DECORATOR_ROLES:
                return rule
    return None


def _calls_inside(context: _Context, function: str) -> list[tuple[str, Expr]]:
    """The calls a function of the tree makes, in its body and in the functions nested in it."""
    definition = context.graphs.definitions.get(function)
    if definition is None:
        return []
    facts = context.graphs.modules[definition.module]
    qualname = definition.fact.qualname
    return [
        (scope_of(facts.module, call.scope), call.call)
        for call in facts.calls
        if call.scope == qualname or call.scope.startswith(f"{qualname}.")
    ]


def _add_task(
    context: _Context,
    facts: FileFacts,
    definition: DefinitionFact,
    handler: str,
    rule: MatchRule,
    call: Expr | None,
    location: Location,
) -> None:
    explicit = string_of(keyword(call, "name")) if call is not None else None
    name = explicit or f"{facts.module}.{definition.name}"
    job = Job(
        kind="celery-task",
        name=name,
        handler=handler,
        location=location,
        evidence=_evidence(rule, location),
        time_limit=number_of(keyword(call, "time_limit")) if call is not None else None,
        soft_time_limit=number_of(keyword(call, "soft_time_limit")) if call is not None else None,
        max_retries=_integer(keyword(call, "max_retries")) if call is not None else None,
    )
    context.found.jobs.append(job)
    context.tasks.setdefault(name, job)
    context.task_functions.setdefault(handler, name)
    run_every = keyword(call, "run_every") if call is not None else None
    if run_every is not None:  # `@periodic_task(run_every=crontab(...))`: the task runs on a schedule too
        scope = scope_of(facts.module, definition.scope)
        _add_periodic(context, job, explicit or definition.name, _schedule(context, scope, run_every))


def _add_periodic(context: _Context, task: Job, name: str, schedule: str | None) -> None:
    """The beat entry a task declares itself (`run_every`): the task's handler, place and limits."""
    context.found.jobs.append(
        Job(
            kind="celery-periodic",
            name=name,
            handler=task.handler,
            schedule=schedule,
            task=task.name,
            location=task.location,
            evidence=task.evidence,
            time_limit=task.time_limit,
            soft_time_limit=task.soft_time_limit,
        )
    )


# -- Celery 2/3 task classes ----------------------------------------------------------------------

_TASK_CLASS_ROLES = ("celery-class-task", "celery-class-periodic")


def _find_task_classes(context: _Context, facts: FileFacts) -> None:
    """Old Celery's task classes: a `celery.task.Task` or `PeriodicTask` subclass registers itself.

    Celery 2/3's task metaclass registers every subclass whose own body does not set `abstract = True`,
    as its `name` or `module.ClassName`; its `run()` is the work; a `PeriodicTask`'s `run_every` (set
    on the class or a project base) is its beat schedule.
    """
    resolver = context.graphs.resolver
    for definition in facts.definitions:
        if definition.kind != "class":
            continue
        symbol = f"{facts.module}:{definition.qualname}"
        rule = first_match(resolver.ancestors(symbol), context.bases)
        if rule is None or rule.role not in _TASK_CLASS_ROLES:
            continue
        if _constant(_class_body_value(context, symbol, "abstract", inherited=False)) is True:
            continue
        location = Location(file=facts.path, line=definition.line)
        explicit = string_of(_class_body_value(context, symbol, "name"))
        name = explicit or f"{facts.module}.{definition.name}"
        runs = functions_of(v for v in resolver.class_attribute(symbol, "run") if not v.startswith("ext:"))
        handler = runs[0] if runs else symbol
        job = Job(
            kind="celery-task",
            name=name,
            handler=handler,
            location=location,
            evidence=_evidence(rule, location),
            time_limit=number_of(_class_body_value(context, symbol, "time_limit")),
            soft_time_limit=number_of(_class_body_value(context, symbol, "soft_time_limit")),
            max_retries=_integer(_class_body_value(context, symbol, "max_retries")),
        )
        context.found.jobs.append(job)
        context.tasks.setdefault(name, job)
        context.task_functions.setdefault(symbol, name)
        context.task_functions.setdefault(handler, name)
        run_every = _class_body_value(context, symbol, "run_every") if rule.role == "celery-class-periodic" else None
        if run_every is not None:
            _add_periodic(context, job, explicit or definition.name, _schedule(context, symbol, run_every))


def _class_body_value(context: _Context, class_symbol: str, name: str, *, inherited: bool = True) -> Expr | None:
    """What the body of a class (or, when `inherited`, of a project base class) assigns to `name`."""
    owners = (class_symbol, *context.graphs.resolver.ancestors(class_symbol)) if inherited else (class_symbol,)
    for owner in owners:
        definition = context.graphs.definitions.get(owner)
        if definition is None:
            continue
        value = None
        for assignment in context.graphs.modules[definition.module].assignments:
            if assignment.scope == definition.fact.qualname and assignment.targets == ((ExprKind.NAME, name, (), ()),):
                value = assignment.value if assignment.operator is None else value
        if value is not None:
            return value
    return None


# -- beat schedules ------------------------------------------------------------------------------


def _find_beat(context: _Context, facts: FileFacts) -> None:
    for assignment in facts.assignments:
        if len(assignment.targets) != 1 or assignment.value is None:
            continue
        target = assignment.targets[0]
        if target[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE) and _is_beat_key(context, str(target[1])):
            _add_beat_entries(
                context, facts, assignment.scope, assignment.value, Location(file=facts.path, line=assignment.line)
            )
        elif target[0] == ExprKind.SUBSCRIPT and _is_beat_key(context, str(target[2][0][1])):
            key = string_of(target[2][1])  # conf.beat_schedule["key"] = {...}
            if key is not None:
                _add_beat_entry(
                    context,
                    facts,
                    assignment.scope,
                    key,
                    assignment.value,
                    Location(file=facts.path, line=assignment.line),
                )
    matches = not called_names(context.graphs.resolver, facts).isdisjoint(context.calls)
    for call, _, qualified in module_calls(context.graphs.resolver, facts):
        func = call.call[2][0]
        if func[0] != ExprKind.ATTRIBUTE:
            continue
        owner = func[2][0]
        if func[1] == "update" and owner[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE) and _is_beat_key(context, owner[1]):
            for argument in call.call[2][1:]:
                _add_beat_entries(context, facts, call.scope, argument, Location(file=facts.path, line=call.line))
            continue
        rule = first_match(qualified, context.calls) if matches else None
        if (rule is not None and rule.role == "conf-update") or (func[1] == "update" and owner[1] == "conf"):
            for keyword, value in call.call[3]:
                if keyword is not None and _is_beat_key(context, keyword):
                    _add_beat_entries(context, facts, call.scope, value, Location(file=facts.path, line=call.line))


def _is_beat_key(context: _Context, name: object) -> bool:
    rule = context.keys.get(str(name))
    return rule is not None and rule.role == "beat-schedule"


def _local_value(facts: FileFacts, scope: str, expr: Expr, line: int) -> Expr:
    """A name assigned in the same scope before `line` (`entry = {...}; schedule.update(x=entry)`): its value."""
    if expr[0] != ExprKind.NAME:
        return expr
    found = expr
    for assignment in facts.assignments:
        if (
            assignment.scope == scope
            and assignment.line <= line
            and assignment.value is not None
            and assignment.targets == (expr,)
        ):
            found = assignment.value
    return found


def _add_beat_entries(context: _Context, facts: FileFacts, scope: str, value: Expr, location: Location) -> None:
    value = _local_value(facts, scope, value, location.line)
    if value[0] == ExprKind.CALL:  # CELERY_BEAT_SCHEDULE = build_schedule(): the dict the helper builds
        _add_built_beat(context, scope_of(facts.module, scope), value)
        return
    if value[0] != ExprKind.DICT:
        return
    items = value[2]
    for index in range(0, len(items) - 1, 2):
        key = string_of(items[index])
        if key is not None:
            _add_beat_entry(context, facts, scope, key, items[index + 1], location)


def _add_built_beat(context: _Context, scope: str, call: Expr) -> None:
    """A beat schedule a project function builds and returns: its dict literal's entries, and the entries
    it stores with `schedule[key] = {...}`, inside a loop over literal data once per element
    (`for task in TASKS: schedule[task["name"]] = {"task": task["task"], ...}`)."""
    functions = functions_of(context.graphs.resolver.values(scope, call[2][0]))
    if len(functions) != 1 or functions[0] not in context.graphs.definitions:
        return
    function = functions[0]
    definition = context.graphs.definitions[function]
    facts = context.graphs.modules[definition.module]
    qualname = definition.fact.qualname
    returned = context.evaluator.returns(function)
    if not returned or returned[0][0] != ExprKind.NAME:
        if returned and returned[0][0] == ExprKind.DICT:  # return {"nightly": {...}}
            location = Location(file=facts.path, line=definition.fact.line)
            _add_beat_entries(context, facts, qualname, returned[0], location)
        return
    name = returned[0]
    for assignment in facts.assignments:
        if assignment.scope != qualname or assignment.value is None or len(assignment.targets) != 1:
            continue
        target, location = assignment.targets[0], Location(file=facts.path, line=assignment.line)
        if target == name and assignment.value[0] == ExprKind.DICT:
            _add_beat_entries(context, facts, qualname, assignment.value, location)
        elif target[0] == ExprKind.SUBSCRIPT and target[2][0] == name:
            for key, entry in _per_element(context, facts, function, assignment.line, target[2][1], assignment.value):
                text = context.evaluator.string(function, key)
                if text is not None:
                    _add_beat_entry(context, facts, qualname, text, entry, location)


def _per_element(
    context: _Context, facts: FileFacts, function: str, line: int, key: Expr, value: Expr
) -> list[tuple[Expr, Expr]]:
    """`(key, value)` once per element of the loops the key reads a variable of (`for task in TASKS:`),
    the variable replaced by the element; as they are when the key reads no loop variable."""
    qualname = function.partition(":")[2]
    pairs = [(key, value)]
    for loop in facts.assignments:
        if loop.scope != qualname or loop.operator != "iter" or loop.line > line or loop.value is None:
            continue
        variable = loop.targets[0] if len(loop.targets) == 1 else None
        if variable is None or variable[0] != ExprKind.NAME or not _mentions(key, variable):
            continue
        elements = context.evaluator.elements(function, loop.value) or []
        pairs = [
            (_replace(k, variable, element), _replace(v, variable, element))
            for k, v in pairs
            for _, element in elements
        ]
    return pairs


def _mentions(expr: Expr, name: Expr) -> bool:
    return expr == name or any(_mentions(child, name) for child in expr[2])


def _replace(expr: Expr, name: Expr, value: Expr) -> Expr:
    """The expression with every occurrence of the variable `name` replaced by `value`."""
    if expr == name:
        return value
    kind, constant, children, keywords = expr
    return (
        kind,
        constant,
        tuple(_replace(child, name, value) for child in children),
        tuple((key, _replace(given, name, value)) for key, given in keywords),
    )


def _add_beat_entry(context: _Context, facts: FileFacts, scope: str, key: str, entry: Expr, location: Location) -> None:
    entry = _local_value(facts, scope, entry, location.line)
    if entry[0] == ExprKind.CALL:  # dict(task=..., schedule=...)
        fields = {name: value for name, value in entry[3] if name is not None}
    elif entry[0] == ExprKind.DICT:
        items = entry[2]
        fields = {str(string_of(items[i])): items[i + 1] for i in range(0, len(items) - 1, 2)}
    else:
        return
    rule = context.keys.get("beat_schedule") or next(r for r in context.keys.values() if r.role == "beat-schedule")
    task = fields.get("task")
    name = context.evaluator.string(scope_of(facts.module, scope), task) if task is not None else None
    if name is None and task is not None:  # "task": some_task.name
        name = _task_name_of(context, scope_of(facts.module, scope), task)
    schedule = _schedule(context, scope_of(facts.module, scope), fields.get("schedule"))
    for call in facts.calls:  # the entry's own line: where its schedule call is, when it is one
        if call.call == fields.get("schedule") and call.scope == scope and call.line >= location.line:
            location = Location(file=facts.path, line=call.line)
            break
    job = context.tasks.get(name or "")
    if job is None:
        detail = f"beat entry {key!r} runs task {name!r}, which no recognised task registers"
        context.found.unresolved.append(UnresolvedRegistration(rule=rule.id, location=location, detail=detail))
    context.found.jobs.append(
        Job(
            kind="celery-periodic",
            name=key,
            handler=job.handler if job is not None else (name or "<unknown>"),
            schedule=schedule,
            task=name,
            location=location,
            evidence=_evidence(rule, location) + (job.evidence if job is not None else []),
            time_limit=job.time_limit if job is not None else None,
            soft_time_limit=job.soft_time_limit if job is not None else None,
        )
    )


def _task_name_of(context: _Context, scope: str, expr: Expr) -> str | None:
    if expr[0] == ExprKind.ATTRIBUTE and expr[1] == "name":
        expr = expr[2][0]
    for value in sorted(context.graphs.resolver.values(scope, expr)):  # sorted: the same pick in every run
        name = context.task_functions.get(value.partition(":")[2])
        if name is not None:
            return name
    return None


def _schedule(context: _Context, scope: str, expr: Expr | None) -> str | None:
    """A short schedule string: `crontab(30 2 * * *)` (minute hour day month weekday), or `every 300s`."""
    if expr is None:
        return None
    seconds = number_of(expr)
    if seconds is not None:
        return f"every {_seconds(seconds)}s"
    if expr[0] == ExprKind.CALL:
        rule = first_match(context.graphs.resolver.qualified_names(scope, expr[2][0]), context.calls)
        if rule is not None and rule.role == "crontab":
            given = dict(zip(CRONTAB_FIELDS, expr[2][1:], strict=False))
            given.update({name: value for name, value in expr[3] if name is not None})
            parts = [_cron_field(given.get(name)) for name in CRONTAB_FIELDS]
            return f"crontab({' '.join(parts)})"
        if rule is not None and rule.role == "interval":
            total = _timedelta_seconds(expr) if expr[2][0][1] == "timedelta" else None
            if total is None:
                run_every = keyword(expr, "run_every") or (expr[2][1] if len(expr[2]) > 1 else None)
                if run_every is not None:
                    return _schedule(context, scope, run_every)
            if total is not None:
                return f"every {_seconds(total)}s"
    return expression_text(expr)


def _cron_field(expr: Expr | None) -> str:
    if expr is None:
        return "*"
    value = _constant(expr)
    return str(value) if value is not None else expression_text(expr)


def _timedelta_seconds(call: Expr) -> float | None:
    given = dict(zip(TIMEDELTA_UNITS, call[2][1:], strict=False))
    given.update({name: value for name, value in call[3] if name is not None})
    numbers = {name: number_of(value) for name, value in given.items()}
    if any(value is None for value in numbers.values()) or any(name not in TIMEDELTA_UNITS for name in numbers):
        return None
    return timedelta(**{name: float(value) for name, value in numbers.items() if value is not None}).total_seconds()


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _trigger(call: Expr) -> str | None:
    """APScheduler trigger: `cron(hour=3)`, `interval(minutes=5)`."""
    trigger = string_of(call[2][2]) if len(call[2]) > 2 else string_of(keyword(call, "trigger"))
    if trigger is None:
        trigger = string_of(call[2][1]) if len(call[2]) > 1 else None
    if trigger is None:
        return None
    skip = {"id", "name", "trigger", "args", "kwargs", "replace_existing", "misfire_grace_time", "max_instances"}
    options = ", ".join(
        f"{name}={expression_text(value)}" for name, value in call[3] if name is not None and name not in skip
    )
    return f"{trigger}({options})"


# -- calls: canvases, RQ enqueue, APScheduler add_job ----------------------------------------------


def _find_calls(context: _Context, facts: FileFacts) -> None:
    workflows: dict[str, tuple[list[Location], set[str], list[str]]] = {}
    names = called_names(context.graphs.resolver, facts)
    matches = not names.isdisjoint(context.calls)  # else no call of the module has a rule here
    partials = "functools.partial" in names
    for call, scope, qualified in module_calls(context.graphs.resolver, facts):
        func = call.call[2][0]
        if not matches and not partials and (func[0] != ExprKind.ATTRIBUTE or func[1] not in SIGNATURE_METHODS):
            continue
        rule = first_match(qualified, context.calls) if matches else None
        partial = _partial_of(context, scope, call.call) if rule is None and partials else None
        if partial is not None:  # `partial(queue.enqueue, f, ...)`: handed on to run later, the same enqueue
            rule, expr = partial
            _add_enqueued(context, facts, expr, scope, rule, Location(file=facts.path, line=call.line))
        elif rule is not None and rule.role == "rq-enqueue":
            _add_enqueued(context, facts, call.call, scope, rule, Location(file=facts.path, line=call.line))
        elif rule is not None and rule.role == "rq-scheduler":
            _add_rq_scheduled(context, facts, call.call, scope, rule, Location(file=facts.path, line=call.line))
        elif rule is not None and rule.role == "apscheduler-add":
            _add_scheduled(context, call, scope, rule, Location(file=facts.path, line=call.line))
        elif rule is not None and rule.role == "canvas":
            _workflow(workflows, scope, Location(file=facts.path, line=call.line), rule.id)
        elif func[0] == ExprKind.ATTRIBUTE and func[1] in SIGNATURE_METHODS:
            name = _task_name_of(context, scope, func[2][0])
            if name is not None:
                steps = _workflow(workflows, scope, Location(file=facts.path, line=call.line), "jobs.celery.canvas")[2]
                if name not in steps:
                    steps.append(name)
    for expr, scope, line in _expressions(facts):
        if _has_pipe(context, scope_of(facts.module, scope), expr):
            _workflow(
                workflows, scope_of(facts.module, scope), Location(file=facts.path, line=line), "jobs.celery.canvas"
            )
    reader = CanvasReader(
        graphs=context.graphs,
        calls=context.calls,
        task_name=lambda scope, expr: _task_name_of(context, scope, expr),
        facts=facts,
        builders=set(workflows),
    )
    for builder, (locations, rules, steps) in sorted(workflows.items()):
        uses = [Evidence(rule=rule, locations=sorted(set(locations), key=lambda x: x.line)) for rule in sorted(rules)]
        context.found.jobs.append(
            Job(
                kind="celery-workflow",
                name=builder.replace(":", "."),
                handler=builder,
                location=min(locations, key=lambda x: x.line),
                evidence=uses,
                steps=steps,
                canvas=reader.shapes(builder),
            )
        )


def _workflow(
    workflows: dict[str, tuple[list[Location], set[str], list[str]]], scope: str, location: Location, rule: str
) -> tuple[list[Location], set[str], list[str]]:
    entry = workflows.setdefault(scope, ([], set(), []))
    entry[0].append(location)
    entry[1].add(rule)
    return entry


def _expressions(facts: FileFacts) -> list[tuple[Expr, str, int]]:
    found = [(a.value, a.scope, a.line) for a in facts.assignments if a.value is not None]
    found += [(r.value, r.scope, r.line) for r in facts.returns]
    found += [(c.call, c.scope, c.line) for c in facts.calls]
    return found


def _has_pipe(context: _Context, scope: str, expr: Expr) -> bool:
    """`a.s() | b.s()`: a BitOr whose operand is a task signature."""
    if expr[0] == ExprKind.BINARY and expr[1] == "BitOr":
        for operand in expr[2]:
            if operand[0] == ExprKind.CALL and operand[2][0][0] == ExprKind.ATTRIBUTE:
                func = operand[2][0]
                if func[1] in SIGNATURE_METHODS and _task_name_of(context, scope, func[2][0]) is not None:
                    return True
        return any(_has_pipe(context, scope, operand) for operand in expr[2])
    return False


def _partial_of(context: _Context, scope: str, call: Expr) -> tuple[MatchRule, Expr] | None:
    """`functools.partial(queue.enqueue, f, ...)`: the enqueue rule and the call the partial stands for."""
    arguments = call[2][1:]
    resolver = context.graphs.resolver
    if not arguments or "functools.partial" not in resolver.qualified_names(scope, call[2][0]):
        return None  # (memoised, and implied by the value below: most calls stop here)
    if "ext:functools:partial" not in resolver.values(scope, call[2][0]):
        return None
    rule = first_match(context.graphs.resolver.qualified_names(scope, arguments[0]), context.calls)
    if rule is None or rule.role != "rq-enqueue":
        return None
    return rule, (ExprKind.CALL, None, arguments, call[3])


def _add_enqueued(
    context: _Context, facts: FileFacts, expr: Expr, scope: str, rule: MatchRule, location: Location
) -> None:
    arguments = expr[2][1:]
    if expr[2][0][1] in ("enqueue_in", "enqueue_at"):
        arguments = arguments[1:]
    target = arguments[0] if arguments else keyword(expr, "f") or keyword(expr, "func")
    if target is None or target[0] == ExprKind.STARRED:
        return
    # By dotted name (`"app.tasks.export"`, an f-string or a constant that folds to one), else by reference.
    texts = context.evaluator.strings(scope, target)
    found: list[tuple[str, str]] = []  # (job name, handler)
    for text in texts:
        module, _, name = text.rpartition(".")
        if f"{module}:{name}" in context.graphs.definitions:
            found.append((text, f"{module}:{name}"))
    if not texts:
        found = _enqueued_callables(context, scope, target)
    if not found:
        detail = "enqueued function static reading cannot follow"
        context.found.unresolved.append(UnresolvedRegistration(rule=rule.id, location=location, detail=detail))
        return
    for name, handler in found:
        context.found.jobs.append(
            Job(kind="rq-job", name=name, handler=handler, location=location, evidence=_evidence(rule, location))
        )


def _enqueued_callables(context: _Context, scope: str, target: Expr) -> list[tuple[str, str]]:
    """(job name, handler) of what an enqueued reference stands for, followed through the parameters of
    the project's own wrappers (`def enqueue(func, ...): queue.enqueue(func)` at each call site).

    `cls.handle` in a classmethod (`Job.enqueue(cls.handle)`) runs the method of whichever class the
    call is made on: every class of the tree that inherits it is a job, named by its class
    (the defining one too, unless it is abstract).
    """
    resolver = context.graphs.resolver
    found: list[tuple[str, str]] = []
    for where, origin in context.evaluator.origins(scope, target):
        receiver = origin[2][0] if origin[0] == ExprKind.ATTRIBUTE else None
        if receiver is not None and receiver[0] == ExprKind.NAME and receiver[1] == "cls":
            owner = where.rpartition(".")[0]
            if owner in context.graphs.definitions and resolver.class_attribute(owner, str(origin[1])):
                found += [(klass.replace(":", "."), klass) for klass in _job_classes(context, owner)]
                continue
        for handler in functions_of(resolver.values(where, origin)):
            found.append((handler.replace(":", "."), handler))
    return sorted(set(found))


def _job_classes(context: _Context, owner: str) -> list[str]:
    """The classes of the tree that inherit from `owner`, and `owner` itself unless it is abstract."""
    resolver = context.graphs.resolver
    found = [] if _is_abstract(context, owner) else [owner]
    for symbol, definition in context.graphs.definitions.items():
        if definition.fact.kind == "class" and owner in resolver.ancestors(symbol):
            found.append(symbol)
    return sorted(found)


def _is_abstract(context: _Context, owner: str) -> bool:
    """A class that derives from `abc.ABC` or declares an `@abstractmethod`."""
    if any(a in ("abc.ABC", "abc.ABCMeta") for a in context.graphs.resolver.ancestors(owner)):
        return True
    definition = context.graphs.definitions[owner]
    facts = context.graphs.modules[definition.module]
    inside = f"{definition.fact.qualname}."
    return any(
        d.qualname.startswith(inside) and any("abstractmethod" in expression_text(x) for x in d.decorators)
        for d in facts.definitions
    )


_SCHEDULE_KEYS = ("interval", "cron_string")


def _add_rq_scheduled(
    context: _Context, facts: FileFacts, expr: Expr, scope: str, rule: MatchRule, location: Location
) -> None:
    """rq-scheduler's `schedule(time, func, interval=...)` / `cron(cron_string, func)`: periodic jobs.

    Entries handed over whole (`scheduler.schedule(**entry)`) are the dict literals that reach the
    call; when the evaluator cannot follow them, those the module writes as data: dicts with a `func`
    key and an `interval` or `cron_string` key (`[{"func": refresh, "interval": 30}, ...]`).
    """
    target = argument(expr, 1, "func")
    is_cron = expr[2][0][1] == "cron"
    schedule = argument(expr, 0, "cron_string") if is_cron else keyword(expr, "interval")
    entries: list[tuple[str, Expr, Expr | None, bool]] = []  # (scope, func, interval or cron string, is cron)
    if target is not None and target[0] != ExprKind.STARRED:
        entries.append((scope, target, schedule, is_cron))
    for name, value in expr[3]:
        if name is None:  # **entry
            entries += _schedule_entries(context, facts, scope, value)
    if not entries:
        detail = "scheduled function static reading cannot follow"
        context.found.unresolved.append(UnresolvedRegistration(rule=rule.id, location=location, detail=detail))
        return
    seen: set[str] = set()
    for where, func, when, cron in entries:
        texts = context.evaluator.strings(where, func)
        named = [(t, f"{t.rpartition('.')[0]}:{t.rpartition('.')[2]}") for t in texts]
        found = [(t, h) for t, h in named if h in context.graphs.definitions]
        found = found or _enqueued_callables(context, where, func)
        for name, handler in found:
            if handler in seen:
                continue
            seen.add(handler)
            context.found.jobs.append(
                Job(
                    kind="scheduler",
                    name=name,
                    handler=handler,
                    schedule=_rq_schedule(context, where, when, cron),
                    location=location,
                    evidence=_evidence(rule, location),
                )
            )


def _rq_schedule(context: _Context, scope: str, when: Expr | None, is_cron: bool) -> str | None:
    """An rq-scheduler interval as `every Ns`, a cron string as `crontab(M H DoM Mon DoW)`."""
    if not is_cron:
        return _schedule(context, scope, when)
    text = context.evaluator.string(scope, when)
    return f"crontab({text})" if text is not None else None


def _schedule_entries(
    context: _Context, facts: FileFacts, scope: str, value: Expr
) -> list[tuple[str, Expr, Expr | None, bool]]:
    """(scope, func, schedule) of each entry dict that may reach `**value`: the dicts it is followed to
    (their `func`), else the module's data dicts with a `func` and an `interval` or `cron_string` key."""
    origins = context.evaluator.origins(scope, value)
    followed = [(w, o) for w, o in origins if o[0] == ExprKind.DICT and not context.graphs.is_test(w.partition(":")[0])]
    written = [(scope_of(facts.module, s), d) for expr, s, _ in _expressions(facts) for d in _dict_literals(expr)]
    entries = []
    for where, literal in followed or written:
        fields = _dict_fields(literal)
        when = next((fields[k] for k in _SCHEDULE_KEYS if k in fields), None)
        if "func" in fields and (when is not None or followed):
            entries.append((where, fields["func"], when, "cron_string" in fields))
    return entries


def _dict_literals(expr: Expr, depth: int = 0) -> list[Expr]:
    """Dict literals in an expression, also inside lists, tuples and call arguments (bounded depth)."""
    if depth > 4:
        return []
    if expr[0] == ExprKind.DICT:
        return [expr]
    if expr[0] in (ExprKind.LIST, ExprKind.TUPLE, ExprKind.CALL):
        children = expr[2][1:] if expr[0] == ExprKind.CALL else expr[2]
        return [d for child in children for d in _dict_literals(child, depth + 1)]
    return []


def _dict_fields(literal: Expr) -> dict[str, Expr]:
    items = literal[2]
    fields = {}
    for index in range(0, len(items) - 1, 2):
        key = string_of(items[index])
        if key is not None:
            fields[key] = items[index + 1]
    return fields


def _add_scheduled(context: _Context, call: CallFact, scope: str, rule: MatchRule, location: Location) -> None:
    expr = call.call
    target = expr[2][1] if len(expr[2]) > 1 else keyword(expr, "func")
    if target is None:
        return
    handlers = sorted(v.partition(":")[2] for v in context.graphs.resolver.values(scope, target) if v[:4] == "def:")
    text = string_of(target)
    if text is not None and ":" in text:  # "package.module:function"
        handlers = [text] if text in context.graphs.definitions else handlers
    if not handlers:
        detail = "scheduled function static reading cannot follow"
        context.found.unresolved.append(UnresolvedRegistration(rule=rule.id, location=location, detail=detail))
        return
    for handler in handlers:
        name = string_of(keyword(expr, "id")) or handler.rpartition(":")[2]
        context.found.jobs.append(
            Job(
                kind="scheduler",
                name=name,
                handler=handler,
                schedule=_trigger(expr),
                location=location,
                evidence=_evidence(rule, location),
            )
        )


# -- commands and loops ---------------------------------------------------------------------------


def _find_commands(context: _Context, facts: FileFacts) -> None:
    """Django management commands: a `Command` class in `<app>/management/commands/<name>.py`.

    Django lists every such module whose name does not start with `_`. The class is a command when
    it inherits a known command base, or when its lineage leaves the tree through a base the scan
    cannot read (`django_rq`'s `rqworker` Command, a package's `RichCommand`): the module's place
    vouches for it then. A `Command` whose whole lineage is read and reaches no command base is not one.
    """
    parts = facts.module.split(".")
    if len(parts) < 3 or parts[-3:-1] != ["management", "commands"] or facts.is_package or parts[-1][:1] == "_":
        return
    for definition in facts.definitions:
        if definition.kind != "class" or definition.qualname != "Command":
            continue
        symbol = f"{facts.module}:Command"
        ancestors = context.graphs.resolver.ancestors(symbol)
        rule = first_match(ancestors, context.bases)
        if rule is None and any(_is_unread_base(context, ancestor) for ancestor in ancestors):
            rule = next((r for r in context.bases.values() if r.role == "django-command-module"), None)
        if rule is None or rule.role not in ("django-command", "django-command-module"):
            continue
        location = Location(file=facts.path, line=definition.line)
        context.found.jobs.append(
            Job(
                kind="django-command",
                name=parts[-1],
                handler=symbol,
                location=location,
                evidence=_evidence(rule, location),
            )
        )


def _is_unread_base(context: _Context, ancestor: str) -> bool:
    """A base class outside the tree other than `object` and the standard library's own."""
    if ":" in ancestor or ancestor in context.graphs.definitions:
        return False
    return ancestor.partition(".")[0] not in ("builtins", "object", "abc", "typing", "collections")


def _find_loops(context: _Context, facts: FileFacts) -> None:
    """Worker loops: a `while True` that never leaves, or a loop (also a flag-controlled one) that waits.

    A `while True` that returns or breaks once it finds something (a free file name, a unique slug) and
    never waits is a search; one that waits between tries and leaves once the result is there (a poll
    for a query's status, a retry until the database answers) is a wait inside one piece of work; a loop
    that yields is a stream its consumer drives: none is a worker. A `while True` that leaves only from
    an exception handler (`except KeyboardInterrupt: break`) still is.
    """
    rule = next((r for r in context.keys.values() if r.role == "worker-loop"), None)
    rule_id = rule.id if rule is not None else "jobs.worker-loop"
    for loop in facts.loops:
        polls = not loop.is_flag and loop.settles
        if loop.yields or polls or not (_waits(context, facts, loop) or (not loop.is_flag and not loop.exits)):
            continue
        handler = scope_of(facts.module, loop.scope)
        location = Location(file=facts.path, line=loop.line)
        name = loop.scope or facts.module
        context.found.jobs.append(
            Job(
                kind="worker-loop", name=name, handler=handler, location=location, evidence=_evidence(rule_id, location)
            )
        )


def _waits(context: _Context, facts: FileFacts, loop: LoopFact) -> bool:
    """The loop's body sleeps or blocks on something (`time.sleep`, `Event.wait`, `watchfiles.watch`...)."""
    resolver = context.graphs.resolver
    scope = scope_of(facts.module, loop.scope)
    for call in facts.calls:
        if call.scope != loop.scope or not loop.line <= call.line <= max(loop.end_line, loop.line):
            continue
        rule = first_match(resolver.qualified_names(scope, call.call[2][0]), context.calls)
        if rule is not None and rule.role == "loop-wait":
            return True
    return False


def _find_threads(context: _Context) -> None:
    """Threads that run as long-lived background workers: started, and a daemon or running a `while True` loop."""
    graphs = context.graphs
    resolver = graphs.resolver
    rules = {n: r for n, r in context.calls.items() if r.role == "thread"}
    starts = {n.rpartition(".")[2] for n, r in context.calls.items() if r.role == "thread-start"}
    if not rules:
        return
    looping = {scope_of(f.module, loop.scope) for f in graphs.modules.values() for loop in f.loops}
    started: set[object] = set()  # slot keys of started threads, and the Thread(...) calls started in place
    daemons: set[object] = set()
    made: list[tuple[FileFacts, CallFact, str, MatchRule]] = []
    makers = rules.keys() | subclass_names(graphs, rules)
    for facts in graphs.modules.values():
        may_make = not called_names(resolver, facts).isdisjoint(makers)
        for call in facts.calls:
            scope = scope_of(facts.module, call.scope)
            func = call.call[2][0]
            if func[0] == ExprKind.ATTRIBUTE and func[1] in starts:
                owner = func[2][0]
                started.add((scope, owner) if owner[0] == ExprKind.CALL else _slot(context, scope, owner))
            elif func[0] == ExprKind.ATTRIBUTE and func[1] == "setDaemon" and _constant(argument(call.call, 0)) is True:
                daemons.add(_slot(context, scope, func[2][0]))
            rule = first_match(constructor_names(resolver, scope, func), rules) if may_make else None
            if rule is not None:
                made.append((facts, call, scope, rule))
        for assignment in facts.assignments:
            for target in assignment.targets:
                if target[0] == ExprKind.ATTRIBUTE and target[1] == "daemon" and _constant(assignment.value) is True:
                    daemons.add(_slot(context, scope_of(facts.module, assignment.scope), target[2][0]))
    for facts, call, scope, rule in made:
        slots: set[object] = {(scope, call.call)}
        for assignment in facts.assignments:  # t = Thread(...) / self._thread = Thread(...)
            if assignment.value == call.call and assignment.scope == call.scope and len(assignment.targets) == 1:
                slots.add(_slot(context, scope, assignment.targets[0]))
        slots.discard(None)
        if not slots & started:
            continue
        is_daemon = _constant(keyword(call.call, "daemon")) is True or bool(slots & daemons)
        for handler in _thread_targets(context, scope, call.call):
            if not is_daemon and handler not in looping:
                continue
            location = Location(file=facts.path, line=call.line)
            context.found.jobs.append(
                Job(
                    kind="thread",
                    name=handler.partition(":")[2],
                    handler=handler,
                    location=location,
                    evidence=_evidence(rule, location),
                )
            )


def _thread_targets(context: _Context, scope: str, call: Expr) -> list[str]:
    """The functions a thread runs: its `target=`, else the `run` method of our own Thread subclass."""
    resolver = context.graphs.resolver
    target = argument(call, 1, "target")
    if target is not None:
        found = functions_of(resolver.values(scope, target))
    else:
        found = []
        for value in resolver.values(scope, call[2][0]):
            if value.startswith("cls:"):
                found += functions_of(resolver.class_attribute(value[4:], "run"))
    return [symbol for symbol in found if symbol in context.graphs.definitions]


def _slot(context: _Context, scope: str, expr: Expr) -> object:
    """What names the variable `expr` is: its binding site, or (class, attribute) for `self.x` in a method."""
    site = context.graphs.resolver.binding_site(scope, expr)
    if site is not None:
        return site
    if expr[0] == ExprKind.ATTRIBUTE and expr[2][0][0] == ExprKind.NAME and expr[2][0][1] == "self":
        owner = scope.rpartition(".")[0]
        definition = context.graphs.definitions.get(owner)
        if definition is not None and definition.fact.kind == "class":
            return (owner, expr[1])
    return None


_FLASK_CLI = "<the Flask CLI>"


@dataclass
class _Command:
    """A click command or group: a decorated function, or a group object (`ops = AppGroup("ops")`)."""

    name: str
    handler: str
    location: Location
    rule: MatchRule
    is_group: bool = False
    parents: list[tuple[str, str | None]] = field(default_factory=list)  # (group key, name given there)
    is_flask: bool = False  # a Flask group (AppGroup, FlaskGroup) or attached to a Flask CLI
    options: tuple[str, Expr] | None = None  # (scope, the decorator or constructor call that made it)


def _find_cli(context: _Context) -> None:
    """Every leaf of every click command tree, named by its full command path below its root.

    The trees: `app.cli` and `bp.cli` (Flask's CLI), groups made with `@click.group`,
    `AppGroup(...)`/`click.Group(...)` objects and `@x.group()`; children by `@group.command()`
    and `group.add_command(cmd, "name")`. A group nothing attaches is a root (a console entry
    point): its own name is not part of its commands' paths.
    """
    commands: dict[str, _Command] = {}  # key: function symbol or group binding site
    pending: list[tuple[FileFacts, DefinitionFact, Expr]] = []  # `@x.command()` where x may be one of our groups
    for facts in context.graphs.modules.values():
        _find_group_objects(context, facts, commands)
        pending += _find_decorated_commands(context, facts, commands)
    while pending and _attach_pending(context, pending, commands):
        pending = [p for p in pending if f"{p[0].module}:{p[1].qualname}" not in commands]
    for facts in context.graphs.modules.values():
        _find_applied_commands(context, facts, commands)
    for facts in context.graphs.modules.values():
        _find_added_commands(context, facts, commands)
    _attach_lazy_groups(context, commands)
    for key, command in sorted(commands.items()):
        if command.is_group:
            continue
        for path, is_flask in sorted(_command_paths(commands, key)):
            context.found.jobs.append(
                Job(
                    kind="flask-command" if is_flask or command.is_flask else "click-command",
                    name=path,
                    handler=command.handler,
                    location=command.location,
                    evidence=_evidence(command.rule, command.location),
                )
            )


def _find_group_objects(context: _Context, facts: FileFacts, commands: dict[str, _Command]) -> None:
    """`ops = AppGroup("ops")`, `tools = click.Group(name="tools")`."""
    resolver = context.graphs.resolver
    for scope, assignment, value, rule in constructions(resolver, facts, context.calls, ("cli-group-object",)):
        site = resolver.binding_site(scope, assignment.targets[0])
        if site is None:
            continue
        name = (string_of(value[2][1]) if len(value[2]) > 1 else None) or string_of(keyword(value, "name"))
        location = Location(file=facts.path, line=assignment.line)
        handler = f"{site.partition('|')[0]}:{site.partition('|')[2]}"
        commands[site] = _Command(
            name or site.partition("|")[2],
            handler,
            location,
            rule,
            is_group=True,
            is_flask=rule.framework == "flask",
            options=(scope, value),
        )


def _find_decorated_commands(
    context: _Context, facts: FileFacts, commands: dict[str, _Command]
) -> list[tuple[FileFacts, DefinitionFact, Expr]]:
    """`@click.command()`, `@click.group(cls=FlaskGroup)`, `@group.command("name")`, `@app.cli.command()`.

    Returns the `@x.command()`/`@x.group()` decorators whose `x` static reading knows only as one of
    our functions: they are commands once `x` turns out to be a group (`_attach_pending`).
    """
    resolver = context.graphs.resolver
    pending = []
    for definition in facts.definitions:
        if definition.kind != "function":
            continue
        scope = scope_of(facts.module, definition.scope)
        for decorator in definition.decorators:
            func = decorator[2][0] if decorator[0] == ExprKind.CALL else decorator
            rule = first_match(resolver.qualified_names(scope, func), context.decorators)
            if rule is None or rule.role not in _COMMAND_ROLES:
                if func[0] == ExprKind.ATTRIBUTE and func[1] in ("command", "group"):
                    pending.append((facts, definition, decorator))
                continue
            _add_command(context, facts, definition, decorator, rule, commands)
            break
    return pending


_COMMAND_ROLES = ("cli-command", "cli-group", "click-command", "click-group", "script-command")


def _attach_pending(
    context: _Context, pending: list[tuple[FileFacts, DefinitionFact, Expr]], commands: dict[str, _Command]
) -> bool:
    """`@cli.command()` where `cli` is a group we know: a command of that group. True if any was added."""
    added = False
    for facts, definition, decorator in pending:
        func = decorator[2][0] if decorator[0] == ExprKind.CALL else decorator
        scope = scope_of(facts.module, definition.scope)
        if _group_of(context, scope, func, commands) is None:
            continue
        role = "click-group" if func[1] == "group" else "click-command"
        rule = next((r for r in context.decorators.values() if r.role == role), None)
        if rule is not None:
            _add_command(context, facts, definition, decorator, rule, commands)
            added = True
    return added


def _add_command(
    context: _Context,
    facts: FileFacts,
    definition: DefinitionFact,
    decorator: Expr,
    rule: MatchRule,
    commands: dict[str, _Command],
) -> None:
    """Record one decorated command or group, attached to its group (or to Flask's CLI)."""
    scope = scope_of(facts.module, definition.scope)
    symbol = f"{facts.module}:{definition.qualname}"
    func = decorator[2][0] if decorator[0] == ExprKind.CALL else decorator
    call = decorator if decorator[0] == ExprKind.CALL else None
    is_group = rule.role.endswith("group")
    if rule.role == "script-command":  # Flask-Script: the function's own name; the arguments are options
        name = definition.name
    else:
        given = (string_of(call[2][1]) if call is not None and len(call[2]) > 1 else None) or (
            string_of(keyword(call, "name")) if call is not None else None
        )
        name = given or _click_name(definition.name, is_group)
    command = _Command(
        name=name,
        handler=symbol,
        location=Location(file=facts.path, line=definition.line),
        rule=rule,
        is_group=is_group,
        is_flask=_is_flask_group(context, scope, call),
        options=(scope, call) if call is not None else None,
    )
    parent = _group_of(context, scope, func, commands) or _group_of(context, scope, func)
    if parent is not None:
        command.parents.append((parent, None))
    elif rule.role in ("cli-command", "cli-group") and _is_on_flask_cli(func):  # @app.cli.command()
        command.parents.append((_FLASK_CLI, None))
    commands[symbol] = command


def _is_on_flask_cli(func: Expr) -> bool:
    """`@app.cli.command()`, `@bp.cli.group()`: a decorator spelled on an application's `cli`.

    A group's `command` method taken as a value (`cli_command = AppGroup().command`, then
    `@cli_command()`) is a decorator factory: what it makes is attached to no CLI by that.
    """
    return func[0] == ExprKind.ATTRIBUTE and func[2][0][0] == ExprKind.ATTRIBUTE and func[2][0][1] == "cli"


def _find_applied_commands(context: _Context, facts: FileFacts, commands: dict[str, _Command]) -> None:
    """`group.command("name")(function)`, also through a variable (`make = group.command(name); make(f)`),
    in the module or in the application's own helper (`def add(group, name): ... group.command(name)(f)`),
    read once per call site of the helper with its parameters bound to that call's arguments.
    """
    resolver = context.graphs.resolver
    for call in facts.calls:
        if len(call.call[2]) != 2 or call.call[3]:
            continue
        scope = scope_of(facts.module, call.scope)
        makers = [(scope, call.call[2][0])] if call.call[2][0][0] == ExprKind.CALL else []
        if call.call[2][0][0] == ExprKind.NAME:
            makers = context.evaluator.origins(scope, call.call[2][0])
        makers = [(s, m) for s, m in makers if m[0] == ExprKind.CALL and _is_command_maker(m[2][0])]
        if not makers:
            continue
        applied = functions_of(resolver.values(scope, call.call[2][1]))
        functions = [f for f in applied if f in context.graphs.definitions]
        if len(functions) != 1:
            continue
        sites = context.evaluator.call_sites(scope) if scope in context.graphs.definitions else []
        bindings: list[Binding | None] = [*sites] if sites else [None]
        for binding in bindings:
            with context.evaluator.bound(binding) if binding is not None else nullcontext():
                for where, maker in makers:
                    _apply_maker(context, facts, call, where, maker, functions[0], commands)


def _is_command_maker(func: Expr) -> bool:
    return func[0] == ExprKind.ATTRIBUTE and func[1] in ("command", "group")


def _apply_maker(
    context: _Context,
    facts: FileFacts,
    call: CallFact,
    scope: str,
    maker: Expr,
    function: str,
    commands: dict[str, _Command],
) -> None:
    """One `group.command(name)` applied to `function`: the command, attached to the group it is made on."""
    func = maker[2][0]
    parents = []
    for where, owner in context.evaluator.origins(scope, func[2][0]):
        parent = _group_of(context, where, (ExprKind.ATTRIBUTE, func[1], (owner,), ()), commands)
        if parent is not None and parent not in parents:
            parents.append(parent)
    if not parents:
        return
    given = argument(maker, 0, "name")
    name = context.evaluator.string(scope, given) if given is not None else None
    role = "click-group" if func[1] == "group" else "click-command"
    rule = next((r for r in context.decorators.values() if r.role == role), None)
    if rule is None or (given is not None and name is None):
        return
    definition = context.graphs.definitions[function].fact
    command = commands.get(function)
    if command is None:
        location = Location(file=facts.path, line=call.line)
        command = _Command(_click_name(definition.name, role == "click-group"), function, location, rule)
        command.is_group = role == "click-group"
        commands[function] = command
    for parent in parents:
        if (parent, name) not in command.parents:
            command.parents.append((parent, name))


def _attach_lazy_groups(context: _Context, commands: dict[str, _Command]) -> None:
    """Groups that serve another group's commands, named by import path in their options: click's lazy
    group idioms, `@cli.group(cls=LazyGroup, import_name="app.cli.users:cli")` (the named group's commands
    are this group's) and `LazyGroup(lazy_subcommands={"users": "app.cli.users.cli"})` (each named
    command or group is this group's child under the key given)."""
    for key, command in sorted(commands.items()):
        if not command.is_group or command.options is None:
            continue
        scope, call = command.options
        values = [value for name, value in call[3] if name not in (None, "name", "help", "short_help")]
        for value in values:
            if value[0] == ExprKind.DICT:
                items = value[2]
                for index in range(0, len(items) - 1, 2):
                    name = context.evaluator.string(scope, items[index])
                    target = _command_named(context, commands, context.evaluator.string(scope, items[index + 1]))
                    if name is not None and target is not None and target != key:
                        commands[target].parents.append((key, name))
                continue
            target = _command_named(context, commands, context.evaluator.string(scope, value))
            if target is not None and target != key:
                commands[target].parents.append((key, ""))


def _command_named(context: _Context, commands: dict[str, _Command], path: str | None) -> str | None:
    """The command or group an import path names (`pkg.cli:group`, `pkg.cli.group`), if it is one of ours."""
    if not path:
        return None
    module, _, name = path.rpartition(":") if ":" in path else path.rpartition(".")
    for key in (f"{module}:{name}", f"{module}|{name}"):
        if key in commands:
            return key
    return None


def _find_added_commands(context: _Context, facts: FileFacts, commands: dict[str, _Command]) -> None:
    """`app.cli.add_command(cmd)`, `group.add_command(cmd, "name")`; Flask-Script's `manager.add_command("name",
    cmd)`, where `cmd` may also be an instance of a project `Command` class (its `run()` is the command)."""
    resolver = context.graphs.resolver
    for call in facts.calls:
        scope = scope_of(facts.module, call.scope)
        func = call.call[2][0]
        if func[0] != ExprKind.ATTRIBUTE or func[1] != "add_command" or len(call.call[2]) < 2:
            continue
        rule = first_match(resolver.qualified_names(scope, func), context.calls)
        parent = _group_of(context, scope, func, commands)
        if parent is None and rule is not None and rule.role == "cli-add-command" and rule.framework == "flask":
            parent = _FLASK_CLI
        if parent is None:
            continue
        given = string_of(call.call[2][2]) if len(call.call[2]) > 2 else string_of(keyword(call.call, "name"))
        argument = call.call[2][1]
        if rule is not None and rule.role == "script-add-command" and len(call.call[2]) > 2:
            given, argument = string_of(call.call[2][1]), call.call[2][2]
        site = resolver.binding_site(scope, argument)
        children = [site] if site is not None and site in commands else []
        if rule is not None and rule.role == "script-add-command":
            location = Location(file=facts.path, line=call.line)
            children += _script_command_classes(context, scope, argument, given, location, commands)
        functions = resolver.values(scope, argument)
        children += sorted(v[4:] for v in functions if v.startswith("def:") and v[4:] in commands)
        for child in children:
            commands[child].parents.append((parent, given))


def _script_command_classes(
    context: _Context, scope: str, argument: Expr, given: str | None, location: Location, commands: dict[str, _Command]
) -> list[str]:
    """`Seed()` handed to `manager.add_command`: a command per project class inheriting Flask-Script's `Command`.

    Named as given, else as Flask-Script names it: the class's `name`, else its lower-cased class name
    without a `command` suffix.
    """
    resolver = context.graphs.resolver
    found = []
    for value in sorted(resolver.values(scope, argument)):
        if not value.startswith(("obj:", "cls:")):
            continue
        symbol = value[4:]
        rule = first_match(resolver.ancestors(symbol), context.bases)
        if rule is None or rule.role != "script-command-class":
            continue
        runs = functions_of(v for v in resolver.class_attribute(symbol, "run") if not v.startswith("ext:"))
        class_name = symbol.rpartition(".")[2].rpartition(":")[2]
        name = given or string_of(_class_body_value(context, symbol, "name")) or class_name.lower()
        if not given and name.endswith("command") and name != "command":
            name = name.removesuffix("command")
        key = f"<command object {symbol}>"
        commands.setdefault(key, _Command(name, runs[0] if runs else symbol, location, rule, is_flask=True))
        found.append(key)
    return found


def _group_of(context: _Context, scope: str, func: Expr, commands: dict[str, _Command] | None = None) -> str | None:
    """The group a `@grp.command()` decorator or a `grp.add_command(...)` call is made on, if it is one of ours."""
    if func[0] != ExprKind.ATTRIBUTE or func[2][0][0] == ExprKind.ATTRIBUTE:  # app.cli.command: no group of ours
        return None
    owner = func[2][0]
    resolver = context.graphs.resolver
    site = resolver.binding_site(scope, owner)
    functions = sorted(v[4:] for v in resolver.values(scope, owner) if v.startswith("def:"))
    if commands is not None:
        if site is not None and site in commands:
            return site
        return next((f for f in functions if f in commands), None) or _package_group(context, scope, owner, commands)
    return site if site is not None and not functions else (functions[0] if functions else site)


def _package_group(context: _Context, scope: str, owner: Expr, commands: dict[str, _Command]) -> str | None:
    """A package's Flask CLI group (`flask_migrate.cli.db`): recorded once, on the Flask CLI under its name."""
    rule = first_match(context.graphs.resolver.qualified_names(scope, owner), context.calls)
    if rule is None or rule.role != "cli-package-group":
        return None
    dotted = next(n for n in rule.names if n in context.graphs.resolver.qualified_names(scope, owner))
    key = f"<package group {dotted}>"
    if key not in commands:
        module, _, name = dotted.rpartition(".")
        location = Location(file="", line=0)
        group = _Command(name, f"{module}:{name}", location, rule, is_group=True, is_flask=True)
        group.parents.append((_FLASK_CLI, None))
        commands[key] = group
    return key


def _is_flask_group(context: _Context, scope: str, call: Expr | None) -> bool:
    """`@click.group(cls=FlaskGroup)`: a group whose class is a Flask CLI group."""
    given = keyword(call, "cls") if call is not None else None
    if given is None:
        return False
    rule = first_match(context.graphs.resolver.qualified_names(scope, given), context.calls)
    return rule is not None and rule.role == "cli-group-object" and rule.framework == "flask"


def _command_paths(
    commands: dict[str, _Command], key: str, depth: int = 0, seen: tuple[str, ...] = ()
) -> set[tuple[str, bool]]:
    """(full command path below its root, whether the root is Flask's) for every place a command is attached."""
    command = commands.get(key)
    if command is None or depth > 10 or key in seen:
        return set()
    if not command.parents:
        # A root group is the entry point itself; a lone command is its own whole path.
        return {("", command.is_flask)} if command.is_group else {(command.name, command.is_flask)}
    paths: set[tuple[str, bool]] = set()
    for parent, given in command.parents:
        name = command.name if given is None else given  # "": a lazy group's implementation, served as the group
        if parent == _FLASK_CLI:
            paths.add((name, True))
            continue
        for prefix, is_flask in _command_paths(commands, parent, depth + 1, (*seen, key)):
            paths.add((f"{prefix} {name}".strip(), is_flask or command.is_flask))
    return paths


def _click_name(function: str, is_group: bool) -> str:
    """Click 8.2's default command name: lower case, dashes, `_command`/`_cmd`/`_group`/`_grp` dropped."""
    name = function.lower()
    for suffix in COMMAND_SUFFIXES:
        if name.endswith(suffix) and name != suffix.lstrip("_"):
            name = name[: -len(suffix)]
            break
    return name.replace("_", "-")


# -- expressions ----------------------------------------------------------------------------------


def _constant(expr: Expr | None) -> object:
    return expr[1] if expr is not None and expr[0] == ExprKind.CONSTANT else None


def _integer(expr: Expr | None) -> int | None:
    value = number_of(expr)
    return int(value) if value is not None and float(value).is_integer() else None


RECOGNIZER = Recognizer(
    name="jobs",
    run=producer(recognize),
    produces=frozenset({Product.JOBS}),
    handles={
        "task-decorator": frozenset(
            {
                "apscheduler",
                "celery",
                "cli-command",
                "cli-group",
                "click-command",
                "click-group",
                "rq",
                "script-command",
            }
        ),
        "job-base": frozenset(
            {
                "celery-class-periodic",
                "celery-class-task",
                "django-command",
                "django-command-module",
                "script-command-class",
            }
        ),
        "job-call": frozenset(
            {
                "apscheduler-add",
                "canvas",
                "cli-add-command",
                "cli-group-object",
                "cli-package-group",
                "conf-update",
                "crontab",
                "interval",
                "loop-wait",
                "rq-enqueue",
                "rq-scheduler",
                "script-add-command",
                "thread",
                "thread-start",
            }
        ),
        "settings-key": frozenset({"beat-schedule", "worker-loop"}),
    },
)
