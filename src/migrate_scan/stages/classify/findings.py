"""Warnings: the seed's anti-patterns, its over-engineering cases and Lambda blockers.

Each finder returns `Finding`s (rule id, locations, message); `warnings_of`
turns them into report `Warning`s with the rule's category, title and fix
from `heuristics/warnings.toml`, and marks the ones a user silenced (an
inline `# migrate-scan: ignore[RULE] reason` on a flagged line or the file,
or a `[[tool.migrate-scan.suppress]]` entry).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import networkx as nx

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.heuristics.schema import PackageRule
from migrate_scan.model.analysis import Clustering
from migrate_scan.model.facts import CallFact, Expr, ExprKind, FileFacts, dotted_name
from migrate_scan.model.faults import isolated
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Blocker, Recognition
from migrate_scan.model.manifests import Manifest, Requirement
from migrate_scan.model.report import Job, JobKind, Suppression, Warning
from migrate_scan.stages.classify.entries import EntryPoint, Reach, module_of
from migrate_scan.stages.classify.patterns import Decisions
from migrate_scan.stages.classify.pipelines import settings_numbers

MAX_LOCATIONS = 12


@dataclass(frozen=True)
class Finding:
    """One raised rule, before the catalogue's wording and suppressions are applied."""

    rule: str
    message: str
    locations: tuple[Location, ...]
    modules: tuple[str, ...] = ()
    contexts: tuple[str, ...] = ()
    category: str | None = None  # overrides the rule's category (a dev-only blocker is only potential)


@dataclass(frozen=True)
class ConfigSuppression:
    """A `[[tool.migrate-scan.suppress]]` entry: silence `rule` (in `path`, at `line`) with a reason."""

    rule: str
    reason: str
    path: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class FindingInputs:
    """What the finders read."""

    clustering: Clustering
    recognition: Recognition
    decisions: Decisions
    entries: list[EntryPoint]
    modules: dict[str, FileFacts]
    file_modules: dict[str, str]
    heuristics: Heuristics
    call_graph: nx.DiGraph[str]
    is_test: Callable[[str], bool]
    manifests: tuple[Manifest, ...] = ()


def find_all(inputs: FindingInputs) -> list[Finding]:
    """Every finding, from every finder, in rule order."""
    found: list[Finding] = []
    for rule, finder in FINDERS.items():
        with isolated("classify", f"rule {rule}"):
            found.extend(finder(inputs))
    with isolated("classify", "rule MS3xx (Lambda blockers)"):
        found.extend(_blockers(inputs))
    with isolated("classify", "rule MS307 (declared native packages)"):
        found.extend(_declared_native_packages(inputs))
    return found


def warnings_of(
    findings: Iterable[Finding],
    heuristics: Heuristics,
    modules: dict[str, FileFacts],
    file_modules: dict[str, str],
    config: tuple[ConfigSuppression, ...] = (),
) -> list[Warning]:
    """Report warnings, with suppressions applied, sorted by category, rule and first location."""
    rank = {"mandatory": 0, "optional": 1, "potential": 2}
    warnings = []
    for finding in findings:
        rule = heuristics.warning(finding.rule)
        locations = sorted(set(finding.locations), key=lambda loc: (loc.file, loc.line))[:MAX_LOCATIONS]
        warnings.append(
            Warning(
                rule=rule.id,
                category=finding.category or rule.category,
                kind=rule.group,
                title=rule.title,
                message=finding.message,
                fix=rule.fix,
                locations=locations,
                modules=sorted(set(finding.modules)),
                contexts=sorted(set(finding.contexts)),
                compute=rule.compute,
                suppressed=_suppression(rule.id, locations, modules, file_modules, config),
            )
        )
    unique = {w.model_dump_json(): w for w in warnings}
    return sorted(
        unique.values(),
        key=lambda w: (rank[w.category], w.rule, [(loc.file, loc.line) for loc in w.locations], w.message),
    )


def _suppression(
    rule: str,
    locations: list[Location],
    modules: dict[str, FileFacts],
    file_modules: dict[str, str],
    config: tuple[ConfigSuppression, ...],
) -> Suppression | None:
    for location in locations:
        facts = modules.get(file_modules.get(location.file, ""))
        for comment in facts.suppressions if facts else ():
            applies = not comment.rules or rule in comment.rules
            if applies and (comment.is_file_level or comment.line in (location.line, location.line - 1)):
                reason = comment.reason or "(no reason given)"
                return Suppression(reason=reason, location=Location(file=location.file, line=comment.line))
    for entry in config:
        if entry.rule != rule:
            continue
        for location in locations:
            if entry.path not in (None, location.file):
                continue
            if entry.line not in (None, location.line):
                continue
            return Suppression(reason=entry.reason, location=None)
    return None


# --- anti-patterns ---


def _lift_and_shift(inputs: FindingInputs) -> list[Finding]:
    rule = inputs.heuristics.warning("MS101")
    business = [g for g in inputs.clustering.contexts if g.kind == "business"]
    source_lines = sum(facts.metrics.sloc for facts in inputs.modules.values())
    if len(business) < rule.threshold("min_contexts") or source_lines < rule.threshold("min_source_lines"):
        return []
    shells = {m for g in inputs.clustering.contexts if g.kind == "app-shell" and g.seed != "tests" for m in g.modules}
    locations = []
    for module in sorted(shells):
        facts = inputs.modules.get(module)
        if facts is None:
            continue
        for assignment in facts.assignments:
            if assignment.scope or assignment.value is None or assignment.value[0] != ExprKind.CALL:
                continue
            names = {dotted_name(t) for t in assignment.targets}
            callee = dotted_name(assignment.value[2][0]) or ""
            if names & {"app", "application"} or callee.endswith(("get_wsgi_application", "get_asgi_application")):
                locations.append(Location(file=facts.path, line=assignment.line))
    if not locations:
        return []
    message = (
        f"One deployable serves {len(business)} business contexts and {source_lines:,} source lines; "
        "packaged whole into one Lambda it would be a monolith function."
    )
    return [Finding("MS101", message, tuple(locations), tuple(sorted(shells)))]


def _oversized_contexts(inputs: FindingInputs) -> list[Finding]:
    """Business contexts large enough to be the monolith again: source lines and entry points past the thresholds."""
    rule = inputs.heuristics.warning("MS107")
    entries: Counter[str] = Counter()
    for distinct in sorted({(e.module, e.kind, e.symbol, e.name) for e in inputs.entries}):
        context = inputs.clustering.module_context.get(distinct[0])
        if context is not None:
            entries[context] += 1
    total = sum(entries.values())
    found = []
    for group in inputs.clustering.contexts:
        if group.kind != "business" or entries[group.name] < rule.threshold("min_entry_points"):
            continue
        held = [inputs.modules[m] for m in group.modules if m in inputs.modules]
        source_lines = sum(facts.metrics.sloc for facts in held)
        if source_lines < rule.threshold("min_source_lines"):
            continue
        share = entries[group.name] / total
        message = (
            f"`{group.name}` holds {len(group.modules)} modules, {source_lines:,} source lines and "
            f"{entries[group.name]} of the application's {total} entry points ({share:.0%}) in one context: "
            "moved as one service it stays a monolith."
        )
        locations = group.evidence or tuple(Location(file=facts.path, line=1) for facts in held[:1])
        found.append(Finding("MS107", message, tuple(locations), group.modules, (group.name,)))
    return found


def _distributed_monolith(inputs: FindingInputs) -> list[Finding]:
    kinds = {g.name: g.kind for g in inputs.clustering.contexts}
    synchronous: nx.DiGraph[str] = nx.DiGraph()
    for edge in inputs.clustering.dependencies:
        business = kinds.get(edge.source) == kinds.get(edge.target) == "business"
        if business and {"call", "import"} & set(edge.kinds):
            synchronous.add_edge(edge.source, edge.target, edge=edge)
    found = []
    for component in sorted(sorted(c) for c in nx.strongly_connected_components(synchronous) if len(c) > 1):
        inside = sorted(
            (data["edge"] for a, b, data in synchronous.edges(data=True) if a in component and b in component),
            key=lambda e: (-e.weight, e.source, e.target),
        )
        pairs = ", ".join(f"{e.source} → {e.target} ({e.weight:g})" for e in inside[:6])
        message = (
            f"{len(component)} contexts import or call each other in a cycle ({', '.join(component)}): "
            f"split as they are, they become chains of synchronous service calls. Heaviest: {pairs}."
        )
        locations = tuple(loc for e in inside[:6] for loc in e.locations[:2])
        found.append(Finding("MS102", message, locations, contexts=tuple(component)))
    owners = {m: g.name for g in inputs.clustering.contexts for m in g.models_owned}
    writes: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # writer → owner → models
    where: dict[str, list[Location]] = defaultdict(list)
    for access in inputs.recognition.model_access:
        if not access.is_write:
            continue
        writer = inputs.clustering.module_context.get(module_of(access.function))
        owner = owners.get(access.model)
        if writer and owner and writer != owner and kinds.get(writer) == kinds.get(owner) == "business":
            writes[writer][owner].add(access.model.rpartition(":")[2])
            where[writer].append(access.location)
    for writer, by_owner in sorted(writes.items()):
        tables = "; ".join(f"{owner}: {', '.join(sorted(models))}" for owner, models in sorted(by_owner.items()))
        message = f"`{writer}` writes tables other contexts own ({tables}): one database shared across services."
        found.append(Finding("MS102", message, tuple(where[writer]), contexts=(writer, *sorted(by_owner))))
    return found


def _long_running(inputs: FindingInputs) -> list[Finding]:
    limit = inputs.heuristics.warning("MS103").threshold("lambda_max_seconds")
    found = []
    for job in inputs.recognition.jobs:
        seconds = max(job.time_limit or 0, job.soft_time_limit or 0)
        if job.kind == "celery-periodic":
            continue  # the task it runs carries the same limit and is flagged where it is defined
        if seconds > limit:
            message = f"`{job.name}` may run {seconds:g} s, over Lambda's {limit:g} s maximum."
            module = module_of(job.handler)
            found.append(Finding("MS103", message, (job.location,), (module,), _contexts(inputs, module)))
    found += _long_work_run_in_process(inputs, limit)
    found += _global_time_limit(inputs, limit)
    return found


def _global_time_limit(inputs: FindingInputs, limit: float) -> list[Finding]:
    """A project-wide task time limit (`CELERY_TASK_TIME_LIMIT`, `task_time_limit`) above Lambda's maximum.

    It bounds every task that declares no limit of its own; set at module or class level, on a
    `conf` attribute, or as a keyword of `conf.update(...)`, also as the default of an environment read.
    """
    keys = frozenset(inputs.heuristics.warning("MS103").words)
    unbounded = sorted(
        job.name
        for job in inputs.recognition.jobs
        if job.kind == "celery-task" and job.time_limit is None and job.soft_time_limit is None
    )
    if not keys or not unbounded:
        return []
    found = []
    for module, facts in sorted(inputs.modules.items()):
        if inputs.is_test(module):
            continue
        for line, key, seconds in settings_numbers(facts, keys):
            if seconds <= limit:
                continue
            shown = "no limit" if seconds == float("inf") else f"{seconds:g} s"
            message = (
                f"`{key}` ({shown}) bounds the {len(unbounded)} Celery tasks that declare no limit of their own "
                f"({', '.join(unbounded[:3])}{', ...' if len(unbounded) > 3 else ''}): "
                f"over Lambda's {limit:g} s maximum."
            )
            location = Location(file=facts.path, line=line)
            # A multi-step process that runs under this limit is the work that may really take that long:
            # its modules are named too (their compute becomes the rule's), a plain short task's are not.
            chains = [p for p in inputs.decisions.processes if location in p.long_running]
            modules = sorted({m for p in chains for m in p.modules})
            if chains:
                steps = sum(len(p.workflow.steps) for p in chains)
                message += f" It bounds the {steps}-step process in `{chains[0].workflow.module}` too."
            contexts = sorted({*_contexts(inputs, module), *(p.context for p in chains)})
            found.append(Finding("MS103", message, (location,), (module, *modules), tuple(contexts)))
    return found


_COMMAND_KINDS: frozenset[JobKind] = frozenset({"django-command", "flask-command", "click-command"})


def _long_work_run_in_process(inputs: FindingInputs, limit: float) -> list[Finding]:
    """A command that calls a long task directly (not through the queue) runs it in its own process."""
    long_tasks = {
        job.handler: max(job.time_limit or 0, job.soft_time_limit or 0)
        for job in inputs.recognition.jobs
        if job.kind == "celery-task" and max(job.time_limit or 0, job.soft_time_limit or 0) > limit
    }
    graph = inputs.call_graph
    found = []
    for job in inputs.recognition.jobs:
        if job.kind not in _COMMAND_KINDS:
            continue
        module, _, qualname = job.handler.partition(":")
        facts = inputs.modules.get(module)
        methods = [d.qualname for d in facts.definitions if d.scope == qualname] if facts and qualname else []
        starts = [job.handler, *(f"{module}:{name}" for name in methods)]
        for start in (s for s in starts if s in graph):
            for _, callee, data in graph.out_edges(start, data=True):
                if callee in long_tasks and not data.get("via_decorator"):
                    module = module_of(job.handler)
                    location = Location(file=job.location.file, line=data.get("line") or job.location.line)
                    message = (
                        f"Command `{job.name}` runs `{callee}` in its own process "
                        f"(up to {long_tasks[callee]:g} s), over Lambda's {limit:g} s maximum."
                    )
                    found.append(Finding("MS103", message, (location,), (module,), _contexts(inputs, module)))
    return found


def _thread_targets(inputs: FindingInputs) -> set[str]:
    return {job.handler for job in inputs.recognition.jobs if job.kind == "thread"}


def _always_on(inputs: FindingInputs) -> list[Finding]:
    """Loops run as processes. A loop that is only ever a thread's target is MS303's business (the thread)."""
    threads = _thread_targets(inputs)
    graph = inputs.call_graph
    found = []
    for job in inputs.recognition.jobs:
        if job.kind != "worker-loop":
            continue
        has_caller = job.handler in graph and any(True for _ in graph.predecessors(job.handler))
        if job.handler in threads and not has_caller:
            continue
        module = module_of(job.handler)
        message = f"`{job.handler}` loops forever: a continuously running process, not an event handler."
        found.append(Finding("MS104", message, (job.location,), (module,), _contexts(inputs, module)))
    return found


JOB_ENTRY_KINDS = frozenset({"task", "periodic", "command", "scheduler", "rq-job", "job"})
"""Entry kinds whose run time is bounded by Lambda's 15 minutes once they move (loops are MS104's)."""


def _grows_with_data(inputs: FindingInputs) -> list[Finding]:
    """Jobs that loop, themselves or through what they call, over a whole table or an outside listing."""
    rule = inputs.heuristics.warning("MS106")
    managers, listings = frozenset(rule.words), frozenset(rule.listings)
    loops: dict[str, list[tuple[Location, str]]] = defaultdict(list)  # scope symbol → (loop, what it iterates)
    for facts in inputs.modules.values():
        local: dict[tuple[str, str], Expr] = {}
        for assignment in facts.assignments:
            target = assignment.targets[0] if assignment.targets else None
            if assignment.scope and assignment.operator is None and target and target[0] == ExprKind.NAME:
                local.setdefault((assignment.scope, str(target[1])), assignment.value or target)
        for assignment in facts.assignments:
            if assignment.operator != "iter" or not assignment.scope or assignment.value is None:
                continue
            what = _listing(assignment.value, managers, listings, local, assignment.scope)
            if what is not None:
                symbol = f"{facts.module}:{assignment.scope}"
                loops[symbol].append((Location(file=facts.path, line=assignment.line), what))
    if not loops:
        return []
    reach = Reach(inputs.call_graph)
    methods: dict[str, list[str]] = defaultdict(list)  # class symbol → its methods (a command's `handle`)
    for node in sorted(inputs.call_graph.nodes):
        owner, dot, _ = node.rpartition(".")
        if dot and ":" in owner:
            methods[owner].append(node)
    # One finding per job: a task and the schedule entry that runs it are two entries of one symbol.
    registrations: dict[str, list[EntryPoint]] = defaultdict(list)
    for entry in inputs.entries:
        if entry.kind in JOB_ENTRY_KINDS:
            registrations[entry.symbol].append(entry)
    found = []
    for symbol, entries in registrations.items():
        starts = [symbol, *methods.get(symbol, ())]
        reached = sorted({s for start in starts for s in reach.from_symbol(start) if s in loops})
        if not reached:
            continue
        where = [loc for s in reached for loc, _ in loops[s]][:4]
        listed = sorted({w for s in reached for _, w in loops[s]})[:3]
        message = (
            f"`{symbol}` loops over {', '.join(listed)} ({where[0].file}:{where[0].line}): its run time "
            "grows with the data and can pass Lambda's 15 minutes."
        )
        registered = tuple(dict.fromkeys(entry.location for entry in entries))
        module = entries[0].module
        found.append(Finding("MS106", message, (*registered, *where), (module,), _contexts(inputs, module)))
    return found


_COMPREHENSIONS = frozenset({"ListComp", "SetComp", "GeneratorExp"})


def _listing(
    expr: Expr, managers: frozenset[str], listings: frozenset[str], local: dict[tuple[str, str], Expr], scope: str
) -> str | None:
    """What a loop's iterable lists: a queryset chain (`Document.objects`), or an outside listing (`listdir`)."""
    seen = 0
    stack = [expr]
    while stack and seen < 50:
        seen += 1
        kind, value, children, keywords = stack.pop()
        if kind == ExprKind.NAME and (scope, str(value)) in local:
            stack.append(local.pop((scope, str(value))))  # one step through a local variable
            continue
        if kind == ExprKind.ATTRIBUTE and str(value) in managers:
            chain = dotted_name(children[0]) if children else None
            return f"`{chain}.{value!s}`" if chain else f"`.{value!s}`"
        if kind in (ExprKind.ATTRIBUTE, ExprKind.NAME) and str(value) in listings:
            return f"`{value!s}(...)`"
        if kind == ExprKind.OTHER and value in _COMPREHENSIONS:
            stack.extend(children[2:3])  # `[f(x) for x in items if test]` lists what `items` lists
            continue
        stack.extend(children)
        stack.extend(expr for _, expr in keywords)
    return None


def _standard_workflows(inputs: FindingInputs) -> list[Finding]:
    found = []
    for process in inputs.decisions.processes:
        reasons = []
        if process.approval:
            reasons.append("waits for a human decision")
        if process.long_running:
            reasons.append("has steps longer than 5 minutes")
        workflow = process.workflow
        made = (
            f"The process kept in the status field {workflow.label}, moved by {len(workflow.steps)} functions,"
            if workflow.is_status_flow
            else f"The workflow built in `{workflow.module}` ({len(workflow.steps)} steps)"
        )
        message = f"{made} {' and '.join(reasons)}: it must be a Standard state machine."
        locations = (*process.workflow.locations, *process.approval, *process.long_running)
        found.append(Finding("MS105", message, locations, (process.workflow.module,), (process.context,)))
    return found


# --- over-engineering ---


def _single_step_canvas(inputs: FindingInputs) -> list[Finding]:
    found = []
    for job in inputs.recognition.jobs:
        if job.kind == "celery-workflow" and len(set(job.steps)) == 1 and not _is_map(inputs, job):
            module = module_of(job.handler)
            message = f"The canvas in `{job.handler}` composes a single task ({job.steps[0]})."
            found.append(Finding("MS201", message, (job.location,), (module,), _contexts(inputs, module)))
    return found


def _is_map(inputs: FindingInputs, job: Job) -> bool:
    """A `group(task.s(x) for x in items)`: one task over many inputs is a fan-out, not a one-step process."""
    facts = inputs.modules.get(module_of(job.handler))
    for call in facts.calls if facts else ():
        if call.line == job.location.line and (dotted_name(call.call[2][0]) or "").rpartition(".")[2] == "group":
            return True
    return False


def _lonely_signals(inputs: FindingInputs) -> list[Finding]:
    found = []
    for signal in inputs.recognition.signals:
        if signal.receivers > 1:
            continue
        module = module_of(signal.symbol)
        if signal.receivers == 0:
            message = f"`{signal.symbol}` is sent but nothing receives it."
        else:
            message = f"`{signal.symbol}` has one receiver: a direct call or SNS is enough, not an event bus."
        locations = (signal.location, *signal.sent_at)
        found.append(Finding("MS202", message, locations, (module,), _contexts(inputs, module)))
    return found


_ENQUEUE = frozenset({"delay", "apply_async", "enqueue"})


def _queue_in_sync_path(inputs: FindingInputs) -> list[Finding]:
    handlers = {e.symbol for e in inputs.entries if e.kind == "route"}
    found = []
    for module, facts in sorted(inputs.modules.items()):
        enqueued: dict[str, set[str]] = defaultdict(set)  # scope → names bound to an enqueue result
        for assignment in facts.assignments:
            if assignment.value is not None and _is_enqueue(assignment.value):
                for target in assignment.targets:
                    if target[0] == ExprKind.NAME:
                        enqueued[assignment.scope].add(str(target[1]))
        for call in facts.calls:
            if f"{module}:{call.scope}" not in handlers or not _waits(call, enqueued[call.scope]):
                continue
            location = Location(file=facts.path, line=call.line)
            message = f"`{module}:{call.scope}` enqueues a task and waits for its result inside the request."
            found.append(Finding("MS203", message, (location,), (module,), _contexts(inputs, module)))
    return found


def _is_enqueue(expr: Expr) -> bool:
    return expr[0] == ExprKind.CALL and expr[2][0][0] == ExprKind.ATTRIBUTE and expr[2][0][1] in _ENQUEUE


def _waits(call: CallFact, enqueued: set[str]) -> bool:
    func = call.call[2][0]
    if func[0] != ExprKind.ATTRIBUTE or func[1] not in ("get", "wait", "join"):
        return False
    receiver = func[2][0]
    return _is_enqueue(receiver) or (receiver[0] == ExprKind.NAME and str(receiver[1]) in enqueued)


def _structured_data_in_s3(inputs: FindingInputs) -> list[Finding]:
    found = []
    for module, facts in sorted(inputs.modules.items()):
        for call in facts.calls:
            func = call.call[2][0]
            if func[0] != ExprKind.ATTRIBUTE or func[1] not in ("put_object", "get_object"):
                continue
            keywords = dict(call.call[3])
            key = keywords.get("Key")
            body = keywords.get("Body")
            is_json_key = key is not None and key[0] == ExprKind.CONSTANT and str(key[1]).endswith(".json")
            is_json_body = (
                body is not None
                and body[0] == ExprKind.CALL
                and ((dotted_name(body[2][0]) or "").endswith("json.dumps"))
            )
            if is_json_key or is_json_body:
                location = Location(file=facts.path, line=call.line)
                message = f"`{module}` keeps JSON records in S3 objects ({func[1]})."
                found.append(Finding("MS204", message, (location,), (module,), _contexts(inputs, module)))
    return found


def _over_split(inputs: FindingInputs) -> list[Finding]:
    rule = inputs.heuristics.warning("MS205")
    found = []
    for group in inputs.clustering.contexts:
        if group.kind != "business" or not group.models_owned:
            continue
        has_entries = any(inputs.clustering.module_context.get(e.module) == group.name for e in inputs.entries)
        if has_entries:
            continue
        is_small = len(group.models_owned) <= rule.threshold("max_models") and len(group.modules) <= (
            rule.threshold("max_modules")
        )
        partner = max(
            (e for e in inputs.clustering.dependencies if e.source == group.name),
            key=lambda e: (e.weight, e.target),
            default=None,
        )
        hint = f"; it is most coupled to `{partner.target}`" if partner else ""
        if is_small:
            message = f"`{group.name}` holds one table and no entry points of its own{hint}."
        else:
            message = (
                f"`{group.name}` holds {len(group.models_owned)} tables and no entry points: a data layer, not a "
                f"business capability{hint}. Give each table to the context that writes it."
            )
        locations = tuple(Location(file=inputs.modules[m].path, line=1) for m in group.modules if m in inputs.modules)
        found.append(Finding("MS205", message, locations, group.modules, (group.name,)))
    return found


# --- blockers (found by the readiness recognizer) ---


def _blockers(inputs: FindingInputs) -> list[Finding]:
    grouped: dict[tuple[str, str], list[Blocker]] = defaultdict(list)
    for blocker in inputs.recognition.blockers:
        grouped[(blocker.rule, blocker.module)].append(blocker)
    found = []
    for (rule_id, module), blockers in sorted(grouped.items()):
        if not inputs.heuristics.has_warning(rule_id):
            continue  # a user's readiness rule without a warning entry: nothing to word it with
        details = sorted({b.detail for b in blockers if b.detail})
        dev_only = all(getattr(b, "dev_only", False) for b in blockers)
        message = "; ".join(details[:4]) + (f" (+{len(details) - 4} more)" if len(details) > 4 else "")
        if dev_only:
            message += " — only in a development or test configuration"
        locations = tuple(loc for b in blockers for loc in (b.location, *b.related))
        category = "potential" if dev_only else None
        found.append(Finding(rule_id, message, locations, (module,), _contexts(inputs, module), category))
    return found


RUNTIME_GROUPS = ("main", "extra:")
"""Requirement groups that are installed where the application runs (not dev, test or lint groups)."""


def _runtime_requirements(manifest: Manifest) -> list[Requirement]:
    return [r for r in manifest.requirements if r.group.startswith(RUNTIME_GROUPS)]


def _declared_native_packages(inputs: FindingInputs) -> list[Finding]:
    """Native or heavy packages a (non-lock) manifest declares for the running application: the rule they name."""
    table = inputs.heuristics.packages()
    found = []
    for manifest in inputs.manifests:
        if manifest.is_lock or manifest.error:
            continue
        by_warning: dict[str, list[tuple[Requirement, PackageRule, float]]] = defaultdict(list)
        for requirement in _runtime_requirements(manifest):
            known = table.get(requirement.name)
            if known is not None and known[0].native:
                by_warning[known[0].warning].append((requirement, *known))
        for rule_id, packages in sorted(by_warning.items()):
            if not inputs.heuristics.has_warning(rule_id):
                continue
            packages.sort(key=lambda item: (-item[2], item[0].name))
            named = [
                f"{r.name} (~{size:g} MB{'; needs ' + rule.system if rule.system else ''})"
                for r, rule, size in packages
            ]
            message = f"{manifest.path} declares native or heavy packages: " + "; ".join(named[:6])
            if len(named) > 6:
                message += f" (+{len(named) - 6} more)"
            locations = tuple(Location(file=manifest.path, line=r.line) for r, _, _ in packages)
            found.append(Finding(rule_id, message, locations))
    return found


def _package_size(inputs: FindingInputs) -> list[Finding]:
    """The runtime dependencies add up past Lambda's zip limit: located at the manifest that declares them.

    Each manifest is estimated on its own (a lock file with every transitive package, the others with
    their runtime groups); the finding points at the declaring manifest with the largest estimate when
    that alone is over the limit, else at the lock file.
    """
    rule = inputs.heuristics.warning("MS312")
    limit, unknown = rule.threshold("lambda_zip_mb"), rule.threshold("unknown_package_mb")
    table = inputs.heuristics.packages()
    estimates: list[tuple[float, bool, str, Manifest, list[tuple[float, Requirement]]]] = []
    for manifest in inputs.manifests:
        if manifest.error:
            continue
        requirements = manifest.requirements if manifest.is_lock else _runtime_requirements(manifest)
        sized = [(table[r.name][1] if r.name in table else unknown, r) for r in requirements]
        estimates.append((sum(size for size, _ in sized), manifest.is_lock, manifest.path, manifest, sized))
    over = [e for e in estimates if e[0] > limit]
    if not over:
        return []
    declared = [e for e in over if not e[1]]
    total, _, _, manifest, sized = max(declared or over, key=lambda e: (e[0], e[2]))
    largest = sorted(sized, key=lambda item: (-item[0], item[1].name))[:5]
    listed = ", ".join(f"{r.name} ~{size:g} MB" for size, r in largest)
    message = f"The dependencies {manifest.path} declares come to about {total:.0f} MB unzipped ({listed})"
    locked = max((e for e in over if e[1]), key=lambda e: (e[0], e[2]), default=None)
    if locked is not None and locked[3] is not manifest:
        message += f"; with every transitive package {locked[2]} pins, about {locked[0]:.0f} MB"
    message += (
        f"; over Lambda's {limit:g} MB for a zip package with its layers: container images (up to 10 GB) "
        "for the functions that need them"
    )
    return [Finding("MS312", message, tuple(Location(file=manifest.path, line=r.line) for _, r in largest))]


def _contexts(inputs: FindingInputs, module: str) -> tuple[str, ...]:
    context = inputs.clustering.module_context.get(module)
    return (context,) if context else ()


Finder = Callable[[FindingInputs], list[Finding]]

FINDERS: dict[str, Finder] = {
    "MS101": _lift_and_shift,
    "MS102": _distributed_monolith,
    "MS103": _long_running,
    "MS104": _always_on,
    "MS105": _standard_workflows,
    "MS106": _grows_with_data,
    "MS107": _oversized_contexts,
    "MS201": _single_step_canvas,
    "MS202": _lonely_signals,
    "MS203": _queue_in_sync_path,
    "MS204": _structured_data_in_s3,
    "MS205": _over_split,
    "MS312": _package_size,
}
"""Warning rule → the one finder that raises it. Lambda blockers (MS3xx) are raised from the
readiness rules that name them (`warning = "MS3xx"` in `heuristics/readiness.toml`)."""
