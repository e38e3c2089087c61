"""Draft: the finished `Report` → `Infrastructure`, a typed model of the AWS resources per context.

Runs after plan, on the report (routes, jobs, events, realtime, modules,
contexts, plan), and decides what each business context deploys by the seed's
patterns: Lambda functions behind a REST API (pattern 1), SQS queues with
dead-letter queues, consumers and EventBridge Scheduler schedules, SNS topics
or EventBridge rules for events with several receivers (pattern 3), Step
Functions state machines for Celery canvases (pattern 4), a WebSocket API
(pattern 2), ECS Fargate placeholders for what stays off Lambda, and the
seed's alarms. Every resource carries evidence: the recognizer's rule and
locations, under a `draft.*` rule naming why the draft made it.

Invariants: pure (no IO), deterministic (inputs are iterated in sorted order,
names handed out in that order), and it never invents a value: what cannot be
converted exactly (a schedule, a path) is left out of the resources and
written in `decisions`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TypeVar

from migrate_scan.model.ids import Location
from migrate_scan.model.infrastructure import (
    Alarm,
    Authorizer,
    ContextInfrastructure,
    Database,
    Dispatch,
    Drafted,
    EntryPoint,
    FargateTask,
    Function,
    HttpRoute,
    Infrastructure,
    LogQuery,
    MapState,
    ParallelState,
    Queue,
    Schedule,
    SharedInfrastructure,
    State,
    StateMachine,
    Table,
    TableIndex,
    TaskState,
    Topic,
    WebSocketApi,
    WebSocketRoute,
)
from migrate_scan.model.report import (
    AccessPattern,
    Context,
    DataModel,
    Event,
    Evidence,
    Job,
    Module,
    Realtime,
    Report,
    Route,
)
from migrate_scan.stages.draft.api_paths import api_path, unify_parameters
from migrate_scan.stages.draft.names import NameBook, camel
from migrate_scan.stages.draft.schedules import ScheduleError, schedule_expression
from migrate_scan.stages.draft.workflows import workflow_states

LAMBDA_MAX_TIMEOUT = 900
API_TIMEOUT = 30  # API Gateway REST stops waiting at 29 s
DEFAULT_TASK_TIMEOUT = 300
DEFAULT_DELIVERIES = 4  # Celery's default max_retries (3) plus the first delivery
SNS_MAX_RECEIVERS = 4  # the seed: SNS under 5 subscribers, EventBridge from 5
QUEUE_JOBS = ("celery-task", "rq-job")
SCHEDULED_JOBS = ("celery-periodic", "scheduler")
API_LATENCY_P99_MS = 1000.0  # the seed's slow-request query: requestTime > 1000 ms
HUMAN_RULES = ("PT401", "MS105")  # classify's workflow that waits for a human decision, and its warning
MAX_INDEXES = 20  # DynamoDB's global secondary indexes per table

__all__ = ["draft"]

_R = TypeVar("_R", bound=Drafted)


@dataclass
class _Draft:
    """The context templates as they fill, and the lookups the report gives."""

    report: Report
    module_by_name: dict[str, Module]
    module_by_file: dict[str, Module]
    contexts: dict[str, Context]
    books: dict[str, NameBook] = field(default_factory=lambda: defaultdict(NameBook))
    parts: dict[str, dict[str, list[Drafted]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    decisions: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    task_queue: dict[str, tuple[str, str, Queue, Job]] = field(default_factory=dict)  # task → (ctx, fn|"", queue)

    def add(self, context: str, kind: str, resource: Drafted) -> None:
        self.parts[context][kind].append(resource)


def draft(report: Report) -> Infrastructure:
    """Draft the target infrastructure of every context from the finished report."""
    state = _Draft(
        report=report,
        module_by_name={m.name: m for m in report.modules},
        module_by_file={m.file: m for m in report.modules},
        contexts={c.name: c for c in report.contexts},
    )
    _draft_routes(state)
    _draft_queues(state)
    _draft_schedules(state)
    topics = _draft_fan_out(state)
    _draft_websockets(state)
    _draft_workflows(state)
    _draft_off_lambda(state)
    _draft_data(state)
    contexts = [_context_entry(state, name) for name in sorted(set(state.parts) | set(state.decisions))]
    shared = SharedInfrastructure(
        topics=topics,
        event_bus="EventBus" if any(t.kind == "eventbridge" for t in topics) else None,
        layer_modules=sorted(m for c in report.contexts if c.kind == "shared-kernel" for m in c.modules),
        decisions=state.decisions.pop("", []),
    )
    name = report.project.name
    return Infrastructure(
        project=name,
        prefix=camel(name).lower()[:40] or "app",
        contexts=[c for c in contexts if c],
        shared=shared,
        entry=_entry_point(report),
    )


def _entry_point(report: Report) -> EntryPoint | None:
    """The entry module the HTTP functions serve routes through: a WSGI one (`wsgi`, `x.wsgi`) first, else ASGI."""
    entries = [m for m in report.modules if m.disposition == "entry-adapter"]

    def preference(module: Module) -> tuple[int, str]:
        last = module.name.rpartition(".")[2]
        return ({"wsgi": 0, "asgi": 2}.get(last, 1), module.name)

    if not entries:
        return None
    chosen = min(entries, key=preference)
    kind = "asgi" if chosen.name.rpartition(".")[2] == "asgi" else "wsgi"
    return EntryPoint(
        name=camel(chosen.name) or "Entry",
        module=chosen.name,
        kind=kind,
        evidence=_evidence("draft.entry", [Location(file=chosen.file, line=1)], chosen.evidence),
        note=f"The {kind.upper()} entry module classification found; the HTTP adapters import it.",
    )


# -- where things belong ----------------------------------------------------------------------------


def _module_of(state: _Draft, symbol: str, location: Location | None = None) -> Module | None:
    """The analyzed module a symbol lives in; for outside code (a framework's view), the module that registers it."""
    module = state.module_by_name.get(symbol.partition(":")[0])
    if module is None and location is not None:
        module = state.module_by_file.get(location.file)
    return module


def _deployable(state: _Draft, module: Module | None) -> str | None:
    """The business context whose Lambda functions run this module's code, or None (host, Fargate, shared)."""
    if module is None or module.context is None:
        return None
    context = state.contexts.get(module.context)
    if context is None or context.kind != "business":
        return None
    return module.context


def _evidence(rule: str, locations: list[Location], *found: list[Evidence]) -> list[Evidence]:
    """The draft's own rule over these locations, then the recognizers' evidence, merged and sorted."""
    merged: dict[str, set[tuple[str, int]]] = defaultdict(set)
    merged[rule].update((x.file, x.line) for x in locations)
    for entries in found:
        for entry in entries:
            merged[entry.rule].update((x.file, x.line) for x in entry.locations)
    return [
        Evidence(rule=name, locations=[Location(file=f, line=n) for f, n in sorted(places)])
        for name, places in sorted(merged.items())
    ]


# -- pattern 1: HTTP routes ---------------------------------------------------------------------------


def _draft_routes(state: _Draft) -> None:
    grouped: dict[tuple[str, str], list[Route]] = defaultdict(list)
    for route in state.report.routes:
        module = _module_of(state, route.owner, route.location)
        context = _deployable(state, module)
        if context is None or module is None:
            continue
        if module.compute in ("fargate", "ec2"):
            state.decisions[context].append(
                f"Routes of `{module.name}` stay on {module.compute} with their module (no function drafted)."
            )
            continue
        grouped[(context, module.name)].append(route)
    by_context: dict[str, list[tuple[str, list[Route]]]] = defaultdict(list)
    for (context, module_name), routes in sorted(grouped.items()):
        by_context[context].append((module_name, routes))
    for context, modules in sorted(by_context.items()):
        _draft_api(state, context, modules)


def _draft_api(state: _Draft, context: str, modules: list[tuple[str, list[Route]]]) -> None:
    """One REST API per context; one function per views module; one method per (path, HTTP method)."""
    book = state.books[context]
    converted: dict[int, str] = {}
    for _, routes in modules:
        for route in routes:
            try:
                converted[id(route)] = api_path(route.path)
            except ValueError as error:
                state.decisions[context].append(
                    f"Route `{route.path}` ({route.location.file}:{route.location.line}) has no API Gateway "
                    f"path: {error}; route it by hand or through a `{{proxy+}}` resource."
                )
    unified = unify_parameters(sorted(set(converted.values())))
    taken: dict[tuple[str, str], str] = {}
    for module_name, routes in modules:
        api_routes: list[HttpRoute] = []
        used: list[Route] = []
        for route in sorted(routes, key=lambda r: (r.path, r.methods, r.handler)):
            if id(route) not in converted:
                continue
            path = unified[converted[id(route)]]
            for method in sorted({"ANY" if m == "*" else m for m in route.methods}) or ["ANY"]:
                if (path, method) in taken:
                    continue  # API Gateway has one integration per method; the first route in order keeps it
                taken[(path, method)] = route.handler
                api_routes.append(
                    HttpRoute(
                        method=method,
                        path=path,
                        source_path=route.path,
                        handler=route.handler,
                        authorized=bool(route.auth),
                    )
                )
            used.append(route)
        if not api_routes:
            continue
        renamed = sorted({r.source_path for r in api_routes if api_path(r.source_path) != r.path})
        note = "Serves the routes of this views module through a WSGI/ASGI adapter."
        if renamed:
            note += " Path parameters renamed to share one name per API Gateway resource: " + ", ".join(renamed) + "."
        state.add(
            context,
            "functions",
            Function(
                name=book.name(module_name, "Http"),
                role="http",
                module=module_name,
                targets=sorted({r.handler for r in used}),
                timeout=API_TIMEOUT,
                routes=sorted(set(api_routes), key=lambda r: (r.path, r.method)),
                evidence=_evidence(
                    "draft.route", [r.location for r in used], *(r.evidence for r in used), *(r.auth for r in used)
                ),
                note=note,
            ),
        )


# -- pattern 3: task queues, schedules, fan-out --------------------------------------------------------


def _draft_queues(state: _Draft) -> None:
    """One queue + dead-letter queue per task group: tasks of one module with the same limits share them."""
    groups: dict[tuple[str, str, int | None, float | None], list[Job]] = defaultdict(list)
    for job in state.report.jobs:
        if job.kind not in QUEUE_JOBS:
            continue
        module = _module_of(state, job.handler, job.location)
        context = _deployable(state, module)
        if context is None or module is None:
            continue
        groups[(context, module.name, job.max_retries, job.time_limit)].append(job)
    for (context, module_name, retries, limit), jobs in sorted(groups.items(), key=_group_order):
        _draft_queue(state, context, module_name, retries, limit, sorted(jobs, key=lambda j: j.name))


def _group_order(item: tuple[tuple[str, str, int | None, float | None], list[Job]]) -> tuple[object, ...]:
    (context, module, retries, limit), _ = item
    return (context, module, retries is not None, retries or 0, limit is not None, limit or 0.0)


def _draft_queue(
    state: _Draft, context: str, module_name: str, retries: int | None, limit: float | None, jobs: list[Job]
) -> None:
    book = state.books[context]
    module = state.module_by_name[module_name]
    suffix = "" if retries is None and limit is None else f"R{retries if retries is not None else 'd'}"
    suffix += f"T{int(limit)}" if limit is not None else ""
    base = f"{module_name} {suffix}".strip()
    on_fargate = module.compute in ("fargate", "ec2") or (limit is not None and limit > LAMBDA_MAX_TIMEOUT)
    timeout = DEFAULT_TASK_TIMEOUT if limit is None else min(LAMBDA_MAX_TIMEOUT, math.ceil(limit))
    deliveries = DEFAULT_DELIVERIES if retries is None else retries + 1
    notes = [
        f"Tasks of `{module_name}`"
        + (f" with max_retries={retries}" if retries is not None else "")
        + (f" and time_limit={limit:g} s" if limit is not None else "")
        + "."
    ]
    if retries is None:
        notes.append(f"No max_retries declared: {DEFAULT_DELIVERIES} deliveries (Celery's default 3 retries).")
    if limit is None:
        notes.append(f"No time_limit declared: {DEFAULT_TASK_TIMEOUT} s assumed; measure it.")
    if on_fargate:
        notes.append("Consumed by a Fargate worker (longer than Lambda allows or off Lambda by classification).")
    queue_name = book.name(base, "Queue")
    evidence = _evidence("draft.task-queue", [j.location for j in jobs], *(j.evidence for j in jobs))
    queue = Queue(
        name=queue_name,
        tasks=[j.name for j in jobs],
        dead_letter=book.name(base, "DeadLetterQueue"),
        max_receive_count=deliveries,
        visibility_timeout=min(43200, 6 * timeout),
        consumer="fargate" if on_fargate else "lambda",
        evidence=evidence,
        note=" ".join(notes),
    )
    state.add(context, "queues", queue)
    function_name = ""
    if not on_fargate:
        function_name = book.name(base, "Consumer")
        state.add(
            context,
            "functions",
            Function(
                name=function_name,
                role="consumer",
                module=module_name,
                targets=sorted(j.handler for j in jobs),
                timeout=timeout,
                queue=queue_name,
                dispatch=[Dispatch(key=j.name, target=j.handler) for j in jobs],
                evidence=evidence,
                note="Reads the queue one message at a time and runs the named task; a failure is retried by SQS.",
            ),
        )
    for job in jobs:
        state.task_queue.setdefault(job.name, (context, function_name, queue, job))


def _draft_schedules(state: _Draft) -> None:
    for job in sorted(state.report.jobs, key=lambda j: (j.name, j.location.file, j.location.line)):
        if job.kind not in SCHEDULED_JOBS or job.schedule is None:
            continue
        target = state.task_queue.get(job.task or job.name)
        context = target[0] if target else _deployable(state, _module_of(state, job.handler, job.location))
        if context is None:
            continue
        task = job.task or job.name
        try:
            expression: str | None = schedule_expression(job.schedule)
            reason = ""
        except ScheduleError as error:
            expression, reason = None, str(error)
        if target is None or expression is None:
            why = reason or f"its task `{task}` has no drafted queue"
            state.decisions[context].append(f"Schedule `{job.name}` ({job.schedule}) not drafted: {why}.")
            continue
        state.add(
            context,
            "schedules",
            Schedule(
                name=state.books[context].name(job.name, "Schedule"),
                expression=expression,
                source=job.schedule,
                task=task,
                queue=target[2].name,
                timezone=job.timezone or "UTC",
                evidence=_evidence("draft.schedule", [job.location], job.evidence),
                note=f"In {job.timezone}, the Celery app's timezone (its setting is in the evidence)."
                if job.timezone
                else "No Celery timezone setting found: UTC, Celery's default; set ScheduleExpressionTimezone "
                "if beat ran in local time.",
            ),
        )


def _draft_fan_out(state: _Draft) -> list[Topic]:
    """A topic or EventBridge rule per event with several receivers; receiver functions subscribe to it."""
    by_event: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for event in state.report.events:
        by_event[(event.signal, event.sender or "")].append(event)
    topics: list[Topic] = []
    book = state.books[""]
    subscriptions: dict[tuple[str, str], list[tuple[str, Event]]] = defaultdict(list)
    for (signal, sender), events in sorted(by_event.items()):
        receivers = sorted({e.receiver for e in events})
        homes = {e.receiver: _deployable(state, _module_of(state, e.receiver, e.location)) for e in events}
        if len(receivers) < 2:
            continue
        kind = _fan_out_kind(state, signal, sender, events)
        name = book.name(f"{signal.rpartition(':')[2] or signal} {sender.rpartition(':')[2]}", "Topic")
        topic = Topic(
            name=name,
            kind=kind,
            signal=signal,
            sender=sender or None,
            receivers=receivers,
            contexts=sorted({c for c in homes.values() if c}),
            detail_type=f"{signal}" + (f"/{sender}" if sender else ""),
            evidence=_evidence("draft.fan-out", [e.location for e in events]),
            note=f"{len(receivers)} receivers: {'EventBridge' if kind == 'eventbridge' else 'SNS'} as classified. "
            "The sender publishes instead of calling them in process.",
        )
        topics.append(topic)
        for event in events:
            module = _module_of(state, event.receiver, event.location)
            context = homes[event.receiver]
            if context is None or module is None:
                continue
            subscriptions[(context, module.name)].append((name, event))
    kinds = {t.name: t.kind for t in topics}
    details = {t.name: t.detail_type for t in topics}
    for (context, module_name), entries in sorted(subscriptions.items()):
        events = [e for _, e in entries]
        book = state.books[context]
        function = book.name(module_name, "Receiver")
        evidence = _evidence("draft.fan-out", [e.location for e in events])
        inboxes = []
        for topic_name in sorted({t for t, _ in entries if kinds[t] == "sns"}):
            inbox = _inbox(state, context, function, topic_name, evidence)
            state.add(context, "queues", inbox)
            inboxes.append(inbox.name)
        state.add(
            context,
            "functions",
            Function(
                name=function,
                role="receiver",
                module=module_name,
                targets=sorted({e.receiver for e in events}),
                timeout=DEFAULT_TASK_TIMEOUT,
                subscriptions=sorted({t for t, _ in entries}),
                inboxes=inboxes,
                dispatch=sorted(
                    {Dispatch(key=details[t], target=e.receiver) for t, e in entries},
                    key=lambda d: (d.key, d.target),
                ),
                evidence=evidence,
                note="Runs the module's receivers for the events it subscribes to.",
            ),
        )
    return topics


def _inbox(state: _Draft, context: str, function: str, topic: str, evidence: list[Evidence]) -> Queue:
    """The SQS queue between an SNS topic and a receiver function (the seed: SQS buffers SNS, with a DLQ)."""
    book = state.books[context]
    return Queue(
        name=book.name(f"{function} {topic}", "Inbox"),
        tasks=[],
        topic=topic,
        dead_letter=book.name(f"{function} {topic}", "InboxDeadLetterQueue"),
        max_receive_count=DEFAULT_DELIVERIES,
        visibility_timeout=6 * DEFAULT_TASK_TIMEOUT,
        consumer="lambda",
        evidence=evidence,
        note=f"Subscribes {function} to the topic {topic} through SQS (buffering and retries, a dead-letter queue).",
    )


def _fan_out_kind(state: _Draft, signal: str, sender: str, events: list[Event]) -> str:
    """The owning context's classification (signal's module, else sender's), else the receivers', else the seed."""
    for symbol in (signal, sender):
        module = state.module_by_name.get(symbol.partition(":")[0]) if symbol else None
        context = state.contexts.get(module.context or "") if module else None
        if context is not None and context.fan_out is not None:
            return context.fan_out
    kinds = set()
    for event in events:
        module = _module_of(state, event.receiver, event.location)
        context = state.contexts.get(module.context or "") if module else None
        if context is not None and context.fan_out is not None:
            kinds.add(context.fan_out)
    if kinds:
        return "eventbridge" if "eventbridge" in kinds else "sns"
    return "sns" if len({e.receiver for e in events}) <= SNS_MAX_RECEIVERS else "eventbridge"


# -- pattern 2: WebSocket APIs -----------------------------------------------------------------------------


def _draft_websockets(state: _Draft) -> None:
    by_context: dict[str, list[Realtime]] = defaultdict(list)
    for entry in state.report.realtime:
        context = _deployable(state, _module_of(state, entry.handler, entry.location))
        if context is not None:
            by_context[context].append(entry)
    for context, entries in sorted(by_context.items()):
        routes: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
        for entry in entries:
            for key in _route_keys(entry):
                routes[key][0].add(entry.handler)
                if entry.path:
                    routes[key][1].add(entry.path)
        book = state.books[context]
        function = book.name(f"{context} websocket", "Handler")
        modules = sorted({e.handler.partition(":")[0] for e in entries})
        evidence = _evidence("draft.websocket", [e.location for e in entries])
        state.add(
            context,
            "functions",
            Function(
                name=function,
                role="websocket",
                module=modules[0],
                targets=sorted({e.handler for e in entries}),
                timeout=API_TIMEOUT,
                dispatch=[
                    Dispatch(key=key, target=handler)
                    for key, (handlers, _) in sorted(routes.items())
                    for handler in sorted(handlers)
                ],
                evidence=evidence,
                note="Handles every route of the context's WebSocket API; connection ids live in the table.",
            ),
        )
        state.add(
            context,
            "websockets",
            WebSocketApi(
                name=book.name(f"{context} websocket", "Api"),
                function=function,
                table=book.name(f"{context} connections", "Table"),
                routes=[
                    WebSocketRoute(route_key=key, handlers=sorted(handlers), paths=sorted(paths))
                    for key, (handlers, paths) in sorted(routes.items())
                ],
                evidence=evidence,
                note="Socket.IO namespaces and Channels paths share one API: the client names the path on "
                "$connect (a query parameter) and the handler dispatches on it.",
            ),
        )


def _route_keys(entry: Realtime) -> list[str]:
    """Socket.IO's connect/disconnect events are $connect/$disconnect; a Channels consumer handles all three."""
    if entry.event is None:
        return ["$connect", "$default", "$disconnect"]
    return {"connect": ["$connect"], "disconnect": ["$disconnect"], "message": ["$default"]}.get(
        entry.event, [entry.event]
    )


# -- pattern 4: workflows ------------------------------------------------------------------------------------


def _draft_workflows(state: _Draft) -> None:
    builders = {j.handler for j in state.report.jobs if j.kind == "celery-workflow"}
    human = _human_steps(state)
    inlined = {
        e.callee: e.caller for e in state.report.call_graph.edges if e.caller in builders and e.callee in builders
    }
    for job in sorted(state.report.jobs, key=lambda j: j.handler):
        if job.kind != "celery-workflow" or job.handler in inlined:
            continue  # a helper that composes part of another canvas is drafted inside that one
        module = _module_of(state, job.handler, job.location)
        context = _deployable(state, module)
        if context is None:
            continue
        states = workflow_states(job, context, state.task_queue, human)
        if states is None:
            state.decisions[context].append(
                f"Workflow `{job.handler}` ({job.location.file}:{job.location.line}): the scan could not read "
                "the canvas's shape statically (members built at run time, a `link=` callback, several canvases in "
                "one function, or a task it did not recognise), so no state machine was drafted."
            )
            continue
        classified = state.contexts[context].workflow
        state.add(
            context,
            "state_machines",
            StateMachine(
                name=state.books[context].name(job.handler.partition(":")[2] or job.name, "StateMachine"),
                workflow=job.handler,
                type="EXPRESS" if classified == "express" else "STANDARD",
                states=states,
                evidence=_evidence("draft.workflow", [job.location], job.evidence),
                note=f"{'Express' if classified == 'express' else 'Standard'} workflow"
                + (" as classified." if classified else " (the default: audit trail, exactly once).")
                + (
                    " It pauses where a person decides (.waitForTaskToken): the code that approves must return "
                    "the task token with states:SendTaskSuccess instead of starting the rest of the canvas."
                    if _waits(states)
                    else ""
                ),
            ),
        )


def _waits(states: list[State]) -> bool:
    """Whether any Task state, at any depth, waits for a task token from a person."""
    for entry in states:
        if isinstance(entry, TaskState) and entry.wait_for_token:
            return True
        if isinstance(entry, ParallelState) and any(_waits(branch) for branch in entry.branches):
            return True
        if isinstance(entry, MapState) and _waits(entry.iterator):
            return True
    return False


def _human_steps(state: _Draft) -> frozenset[str]:
    """Tasks classification found waiting for a person: defined at a location of a human-wait finding."""
    places = {
        (x.file, x.line)
        for c in state.report.contexts
        for e in c.evidence
        if e.rule in HUMAN_RULES
        for x in e.locations
    }
    places |= {(x.file, x.line) for w in state.report.warnings if w.rule in HUMAN_RULES for x in w.locations}
    return frozenset(
        j.name for j in state.report.jobs if j.kind in QUEUE_JOBS and (j.location.file, j.location.line) in places
    )


# -- what stays off Lambda --------------------------------------------------------------------------------------


def _draft_off_lambda(state: _Draft) -> None:
    by_context: dict[str, list[tuple[Module, str, str]]] = defaultdict(list)
    for entry in state.report.plan.off_lambda:
        module = state.module_by_name.get(entry.module)
        if module is None or module.context is None:
            continue
        by_context[module.context].append((module, entry.reason, entry.rule))
    for context, entries in sorted(by_context.items()):
        locations: list[Location] = []
        found: list[list[Evidence]] = []
        for module, _, rule in entries:
            places = [x for e in module.evidence if e.rule == rule for x in e.locations]
            places += [
                x for w in state.report.warnings if w.rule == rule and module.name in w.modules for x in w.locations
            ]
            locations += places or [Location(file=module.file, line=0)]
            found.append([Evidence(rule=rule, locations=places or [Location(file=module.file, line=0)])])
        state.add(
            context,
            "fargate",
            FargateTask(
                name=state.books[context].name(f"{context} fargate", "TaskDefinition"),
                modules=sorted({m.name for m, _, _ in entries}),
                reasons=sorted({f"{m.name}: {reason} ({rule})" for m, reason, rule in entries}),
                evidence=_evidence("draft.off-lambda", locations, *found),
                note="Placeholder: image, command, CPU and memory, and the service or scheduled task that runs it "
                "are for a human to decide.",
            ),
        )


# -- data ------------------------------------------------------------------------------------------------


def _draft_data(state: _Draft) -> None:
    """Per business context, its models' store: DynamoDB tables from the access patterns, or Aurora where its
    queries join across models (a relational store keeps the joins; DynamoDB would need each one denormalised)."""
    models = {m.symbol: m for m in state.report.models if not m.abstract and not m.proxy}
    for context in sorted(state.report.contexts, key=lambda c: c.name):
        owned = [models[s] for s in sorted(context.models_owned) if s in models]
        if context.kind != "business" or not owned:
            continue
        joins = [(m, a) for m in owned for a in m.access if a.joins]
        if joins:
            _draft_database(state, context.name, owned, joins)
        else:
            for model in owned:
                state.add(context.name, "tables", _table(state, context.name, model))
            state.decisions[context.name].append(
                f"Data: DynamoDB, one table per model it owns ({len(owned)}), keyed and indexed by the lookups "
                "its code makes; no query joins its models."
            )


def _draft_database(
    state: _Draft, context: str, owned: list[DataModel], joins: list[tuple[DataModel, AccessPattern]]
) -> None:
    described = [
        f"{model.name}: {', '.join(pattern.joins)} ({pattern.locations[0].file}:{pattern.locations[0].line})"
        for model, pattern in joins
    ]
    state.add(
        context,
        "database",
        Database(
            name=state.books[context].name(f"{context} database", "Cluster"),
            models=[m.symbol for m in owned],
            joins=described,
            evidence=_evidence("draft.data-relational", [x for _, p in joins for x in p.locations]),
            note=f"Aurora Serverless v2 (PostgreSQL) behind RDS Proxy: the context's queries follow relations at "
            f"{len(joins)} place(s), which a relational store keeps as they are; its "
            f"{len(owned)} model(s) keep their tables. Check the engine against the monolith's database.",
        ),
    )
    state.decisions[context].append(
        f"Data: Aurora Serverless v2 behind RDS Proxy rather than DynamoDB, because its queries join across its "
        f"models ({'; '.join(described[:3])}{'; ...' if len(described) > 3 else ''})."
    )


def _table(state: _Draft, context: str, model: DataModel) -> Table:
    """A table keyed by the model's primary key, with an index per other equality lookup (sorted as queried)."""
    indexes: dict[tuple[str, str | None], TableIndex] = {}
    patterns: list[str] = []
    for pattern in model.access:
        keys = [f for f in pattern.equals if f != "id"]
        sort = next(iter(pattern.orders or pattern.ranges or keys[1:2]), None)
        patterns.append(_pattern_text(pattern))
        if not keys:
            continue
        key = (keys[0], sort if sort != keys[0] else None)
        if key not in indexes and len(indexes) < MAX_INDEXES:
            name = "By" + camel(key[0]) + (f"And{camel(key[1])}" if key[1] else "")
            indexes[key] = TableIndex(name=name[:255], partition_key=key[0], sort_key=key[1])
    unserved = [p for p in model.access if not [f for f in p.equals if f != "id"] and (p.orders or p.ranges)]
    if unserved:
        state.decisions[context].append(
            f"Data: {model.name} is also listed without an equality lookup ({_pattern_text(unserved[0])}): a scan, "
            "or an index on a constant partition key, or keep that listing on a relational store."
        )
    return Table(
        name=state.books[context].name(model.name, "Table"),
        model=model.symbol,
        indexes=sorted(indexes.values(), key=lambda i: i.name),
        patterns=patterns,
        evidence=_evidence("draft.data-table", [model.location, *(x for p in model.access for x in p.locations)]),
        note="Keyed by the primary key; one index per other field the code looks it up by, sorted by what that "
        "query orders by."
        if model.access
        else "No query on it was read statically: keyed by the primary key only.",
    )


def _pattern_text(pattern: AccessPattern) -> str:
    parts = []
    if pattern.equals:
        parts.append("by " + ", ".join(pattern.equals))
    if pattern.ranges:
        parts.append("range on " + ", ".join(pattern.ranges))
    if pattern.orders:
        parts.append("ordered by " + ", ".join(pattern.orders))
    place = pattern.locations[0]
    return f"{' '.join(parts) or 'all rows'} ({place.file}:{place.line})"


# -- assembly -----------------------------------------------------------------------------------------------------


def _by_name(resources: list[Drafted], kind: type[_R]) -> list[_R]:
    """The resources of one kind (all of the list, by construction), sorted by logical id."""
    return sorted((r for r in resources if isinstance(r, kind)), key=lambda r: r.name)


def _context_entry(state: _Draft, name: str) -> ContextInfrastructure | None:
    if not name:
        return None
    parts = state.parts[name]
    context = state.contexts.get(name)
    functions = _by_name(parts["functions"], Function)
    queues = _by_name(parts["queues"], Queue)
    machines = _by_name(parts["state_machines"], StateMachine)
    book = state.books[name]
    alarms = [
        Alarm(
            name=book.name(f.name, "ErrorRateAlarm"),
            kind="lambda-error-rate",
            target=f.name,
            threshold=1.0,
            evidence=f.evidence,
        )
        for f in functions
    ]
    alarms += [
        Alarm(name=book.name(q.dead_letter, "DepthAlarm"), kind="dlq-depth", target=q.dead_letter, threshold=0.0)
        for q in queues
    ]
    alarms += [
        Alarm(
            name=book.name(m.name, "FailureRateAlarm"),
            kind="state-machine-failure-rate",
            target=m.name,
            threshold=5.0,
            evidence=m.evidence,
        )
        for m in machines
    ]
    alarms += [
        Alarm(
            name=book.name(w.table, "ThrottleAlarm"),
            kind="dynamodb-throttles",
            target=w.table,
            threshold=0.0,
            evidence=w.evidence,
        )
        for w in parts["websockets"]
        if isinstance(w, WebSocketApi)  # all of them, by construction
    ]
    tables = _by_name(parts["tables"], Table)
    alarms += [
        Alarm(
            name=book.name(t.name, "ThrottleAlarm"),
            kind="dynamodb-throttles",
            target=t.name,
            threshold=0.0,
            evidence=t.evidence,
        )
        for t in tables
    ]
    databases = _by_name(parts["database"], Database)
    has_http = any(f.role == "http" for f in functions)
    protected = [r for f in functions for r in f.routes if r.authorized]
    api = book.name(name, "RestApi") if has_http else None
    if api is not None:
        alarms.append(
            Alarm(
                name=book.name(api, "LatencyP99Alarm"),
                kind="api-latency-p99",
                target=api,
                threshold=API_LATENCY_P99_MS,
                note="p99 latency above the seed's slow-request line (1 s); tune it to the routes' own targets.",
            )
        )
    queries = _queries(book, name, functions, api, machines)
    return ContextInfrastructure(
        context=name,
        kind=context.kind if context else "business",
        pattern=context.pattern if context else None,
        stage=context.stage if context else None,
        api=api,
        authorizer=_authorizer(state, name, protected) if protected else None,
        functions=functions,
        queues=queues,
        schedules=_by_name(parts["schedules"], Schedule),
        websockets=_by_name(parts["websockets"], WebSocketApi),
        state_machines=machines,
        fargate=_by_name(parts["fargate"], FargateTask),
        alarms=sorted(alarms, key=lambda a: a.name),
        tables=tables,
        database=databases[0] if databases else None,
        dashboard=book.name(name, "Dashboard") if functions or queues or machines else None,
        queries=queries,
        decisions=sorted(set(state.decisions.get(name, []))),
    )


def _authorizer(state: _Draft, context: str, protected: list[HttpRoute]) -> Authorizer:
    """The authorizer placeholder of a context's API: the auth evidence of the views it protects."""
    handlers = {r.handler for r in protected}
    routes = [r for r in state.report.routes if r.handler in handlers and r.auth]
    return Authorizer(
        name="MonolithAuthorizer",
        methods=len(protected),
        evidence=_evidence("draft.authorizer", [r.location for r in routes], *(r.auth for r in routes)),
        note="Placeholder: a Cognito user pool authorizer on every method whose view checks its caller. The "
        "monolith's own sessions or tokens do not carry over: choose the user pool (or a Lambda authorizer that "
        "reads the existing session) and map the views' permission checks onto scopes or groups.",
    )


def _queries(
    book: NameBook, context: str, functions: list[Function], api: str | None, machines: list[StateMachine]
) -> list[LogQuery]:
    """The seed's Logs Insights queries, over the log groups this context has."""
    queries = []
    if functions:
        queries.append(
            LogQuery(
                name=book.name(f"{context} lambda errors", "Query"),
                kind="lambda-errors",
                targets=[f.name for f in functions],
            )
        )
    if api is not None:
        queries.append(
            LogQuery(name=book.name(f"{context} slow requests", "Query"), kind="api-slow-requests", targets=[api])
        )
    if machines:
        queries.append(
            LogQuery(
                name=book.name(f"{context} failed executions", "Query"),
                kind="state-machine-failures",
                targets=[m.name for m in machines],
            )
        )
    return queries
