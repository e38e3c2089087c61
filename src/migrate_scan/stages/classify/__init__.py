"""Classify stage: `Clustering` + `Recognition` + linked graphs → `Classification`.

Per module and per context, the seed's decision tree as explicit rules with
stable ids (`heuristics/patterns.toml`, see `patterns.py`), a confidence and
evidence (rule id and `file:line`); each context's service checklist; the
application's overall pattern; and the warnings (`findings.py`). Nothing here
reads a file or asks the symbol table: it works on the facts, the call graph
and the inventory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.model.analysis import Classification, Clustering, ContextGroup, ShellModule
from migrate_scan.model.facts import FileFacts
from migrate_scan.model.faults import guarded
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Recognition
from migrate_scan.model.manifests import Manifest
from migrate_scan.model.report import (
    Context,
    Dependency,
    Evidence,
    LimitReached,
    Module,
    ServiceNeed,
    Warning,
    parser_name,
)
from migrate_scan.stages.classify.dispositions import disposition_of
from migrate_scan.stages.classify.entries import EntryPoint, Reach, Workflow, entry_points, module_of, workflows
from migrate_scan.stages.classify.findings import (
    ConfigSuppression,
    FindingInputs,
    find_all,
    warnings_of,
)
from migrate_scan.stages.classify.patterns import (
    PATTERN_STAGE,
    Decisions,
    DecisionTree,
    FanOut,
    ProcessVerdict,
    Verdict,
)
from migrate_scan.stages.classify.pipelines import pipelines, project_limits
from migrate_scan.stages.classify.status_flows import status_flows

ROOT_ROLES = frozenset({"wsgi", "asgi", "app-factory", "settings", "urlconf", "celery-app"})
"""App-shell roles that decide the module's disposition even when it also registers work of its own."""
TEST_SEED = "tests"
"""The cluster stage's seed for test code: not deployed, so never planned or given a compute."""

__all__ = ["ClassifySettings", "ConfigSuppression", "classify"]


@dataclass(frozen=True)
class ClassifySettings:
    """What the user configured for classification: silenced findings."""

    suppressions: tuple[ConfigSuppression, ...] = ()


def classify(
    graphs: LinkedGraphs,
    recognition: Recognition,
    clustering: Clustering,
    heuristics: Heuristics,
    settings: ClassifySettings | None = None,
    manifests: tuple[Manifest, ...] = (),
) -> Classification:
    """Decide pattern, stage and compute per module and context, and raise the warnings.

    `manifests` are the project's dependency manifests as the parse stage read them (native and heavy
    packages, the package-size estimate).
    """
    settings = settings or ClassifySettings()
    file_modules = {facts.path: module for module, facts in graphs.modules.items()}
    entries = entry_points(recognition, file_modules)
    reach = Reach(graphs.call_graph)
    model_modules = {model.symbol: module_of(model.symbol) for model in recognition.models}
    process_rule = heuristics.decision("PT401")
    limits = project_limits(graphs.modules, frozenset(heuristics.warning("MS103").words), graphs.is_test)
    chains = pipelines(recognition, limits, process_rule.threshold("long_running_seconds"))
    no_flows: list[Workflow] = []
    flows = guarded(
        "classify",
        "status flows",
        status_flows,
        graphs.modules,
        recognition,
        heuristics.decision("PT403"),
        process_rule.words,
        graphs.is_test,
        default=no_flows,
    )
    tree = DecisionTree(
        clustering,
        recognition,
        entries,
        [*workflows(recognition), *chains, *flows],
        reach,
        heuristics,
        model_modules,
        file_modules,
        graphs.import_graph,
    )
    decisions = tree.decide()
    findings = find_all(
        FindingInputs(
            clustering=clustering,
            recognition=recognition,
            decisions=decisions,
            entries=entries,
            modules=graphs.modules,
            file_modules=file_modules,
            heuristics=heuristics,
            call_graph=graphs.call_graph,
            is_test=graphs.is_test,
            manifests=manifests,
        )
    )
    warnings = warnings_of(findings, heuristics, graphs.modules, file_modules, settings.suppressions)
    computes = _module_computes(clustering, recognition, warnings)
    placement = _Placement.of(clustering)
    # A module or context whose entry fails is left out here (the report still lists the module, measured only).
    module_entries = (
        guarded(
            "classify",
            f"module {name}",
            _module_entry,
            facts,
            placement,
            decisions.modules.get(name),
            computes.get(name),
            heuristics,
            default=None,
        )
        for name, facts in sorted(graphs.modules.items(), key=lambda item: (item[1].path, item[0]))
    )
    modules = tuple(entry for entry in module_entries if entry is not None)
    context_entries = (
        guarded(
            "classify",
            f"context {group.name}",
            _context_entry,
            group,
            clustering,
            decisions,
            entries,
            modules,
            warnings,
            recognition,
            heuristics,
            default=None,
        )
        for group in clustering.contexts
    )
    contexts = tuple(entry for entry in context_entries if entry is not None)
    application = decisions.application
    return Classification(
        modules=modules,
        contexts=contexts,
        warnings=tuple(warnings),
        app_pattern=application.pattern if application else None,
        app_confidence=application.confidence if application else None,
        app_summary=application.why if application else "",
        app_evidence=((application.rule, application.locations),) if application else (),
        limits=_reach_limits(reach),
    )


def _reach_limits(reach: Reach) -> tuple[LimitReached, ...]:
    """The reachability cap, if any entry point reached it."""
    if not reach.capped:
        return ()
    examples = ", ".join(f"`{symbol}`" for symbol in sorted(reach.capped)[:3])
    return (
        LimitReached(
            stage="classify",
            limit="reach-per-entry-point",
            cap=reach.limit,
            hits=len(reach.capped),
            dropped=sum(reach.capped.values()),
            message=f"{len(reach.capped)} entry point(s) reach more than {reach.limit} symbols through the call "
            f"graph (e.g. {examples}); the nearest {reach.limit} were followed to decide their patterns.",
        ),
    )


def _module_computes(clustering: Clustering, recognition: Recognition, warnings: list[Warning]) -> dict[str, str]:
    """Fargate (or EC2) for the modules an over-serverlessification warning names, whatever their role."""
    computes: dict[str, str] = {}
    for warning in warnings:
        if warning.compute and warning.compute != "lambda" and warning.suppressed is None:
            for module in warning.modules:
                group = next((g for g in clustering.contexts if module in g.modules), None)
                if group is not None and group.seed != TEST_SEED:
                    computes[module] = warning.compute
    return computes


@dataclass(frozen=True)
class _Placement:
    """Where each module sits, looked up once per module: its context's group and its app-shell entry."""

    module_context: dict[str, str]
    groups: dict[str, ContextGroup]  # context name → its group (the first of that name)
    shells: dict[str, ShellModule]  # module → its app-shell entry (the first listed)

    @classmethod
    def of(cls, clustering: Clustering) -> _Placement:
        groups: dict[str, ContextGroup] = {}
        for group in clustering.contexts:
            groups.setdefault(group.name, group)
        shells: dict[str, ShellModule] = {}
        for shell in clustering.shell:
            shells.setdefault(shell.module, shell)
        return cls(clustering.module_context, groups, shells)


def _module_entry(
    facts: FileFacts,
    placement: _Placement,
    verdict: Verdict | None,
    compute: str | None,
    heuristics: Heuristics,
) -> Module:
    context = placement.module_context.get(facts.module)
    group = placement.groups.get(context) if context is not None else None
    role = group.kind if group else None
    is_test = group is not None and group.seed == TEST_SEED
    metrics = facts.metrics
    sizes = {
        "name": facts.module,
        "file": facts.path,
        "lines": metrics.loc,
        "source_lines": metrics.sloc,
        "complexity": metrics.complexity,
        "max_complexity": metrics.max_complexity,
        "parser": parser_name(facts.parser),
        "context": context,
        "role": role,
    }
    shell = placement.shells.get(facts.module)
    is_root = shell is not None and shell.role in ROOT_ROLES
    if role in ("app-shell", "tests") and (verdict is None or verdict.pattern is None or is_test or is_root):
        disposition = disposition_of(facts, shell, is_test=is_test, heuristics=heuristics)
        return Module(
            **sizes,
            compute=compute or disposition.compute,
            confidence=heuristics.disposition(disposition.rule).confidence,
            evidence=[Evidence(rule=disposition.rule, locations=list(disposition.locations))],
            disposition=disposition.value,
            note=disposition.note,
        )
    pattern = verdict.pattern if verdict else None
    evidence = []
    if verdict:
        locations = list(verdict.locations) or [Location(file=facts.path, line=1)]  # the module as a whole
        evidence = [Evidence(rule=verdict.rule, locations=locations)]
    return Module(
        **sizes,
        pattern=pattern,
        stage=PATTERN_STAGE.get(pattern) if pattern else None,
        compute=(compute or "lambda") if context else None,
        confidence=verdict.confidence if verdict else None,
        evidence=evidence,
    )


def _context_entry(
    group: ContextGroup,
    clustering: Clustering,
    decisions: Decisions,
    entries: list[EntryPoint],
    modules: tuple[Module, ...],
    warnings: list[Warning],
    recognition: Recognition,
    heuristics: Heuristics,
) -> Context:
    verdict = decisions.contexts[group.name]
    members = set(group.modules)
    own = [e for e in entries if e.module in members]
    processes = [p for p in decisions.processes if p.context == group.name]
    fan_outs = [f for f in decisions.fan_outs if f.producer == group.name]
    dependencies = [
        Dependency(context=e.target, weight=round(e.weight, 4), kinds=list(e.kinds), locations=list(e.locations))
        for e in clustering.dependencies
        if e.source == group.name
    ]
    computes = sorted({m.compute for m in modules if m.name in members and m.compute})
    return Context(
        name=group.name,
        kind=group.kind,
        modules=sorted(group.modules),
        seed=group.seed,
        models_owned=sorted(group.models_owned),
        models_used=sorted(group.models_used),
        routes=len({(e.symbol, e.location.line) for e in own if e.kind == "route"}),
        jobs=sum(1 for j in recognition.jobs if module_of(j.handler) in members),
        realtime=len({(e.symbol, e.name) for e in own if e.kind == "realtime"}),
        events=sum(1 for e in own if e.kind == "receiver"),
        pattern=verdict.pattern,
        stage=PATTERN_STAGE.get(verdict.pattern) if verdict.pattern else None,
        workflow=("standard" if any(p.is_standard for p in processes) else "express") if processes else None,
        fan_out=("eventbridge" if any(f.broker == "eventbridge" for f in fan_outs) else "sns") if fan_outs else None,
        compute=computes,
        confidence=verdict.confidence,
        evidence=[Evidence(rule=verdict.rule, locations=list(verdict.locations))],
        services=_services(group, verdict, own, processes, fan_outs, computes, warnings, heuristics),
        depends_on=sorted({d.context for d in dependencies}),
        dependencies=sorted(dependencies, key=lambda d: (-d.weight, d.context)),
        metrics=dict(group.metrics),
        rationale=f"{group.rationale} Pattern: {verdict.why}." if verdict.why else group.rationale,
    )


def _services(
    group: ContextGroup,
    verdict: Verdict,
    entries: list[EntryPoint],
    processes: list[ProcessVerdict],
    fan_outs: list[FanOut],
    computes: Sequence[str],
    warnings: list[Warning],
    heuristics: Heuristics,
) -> list[ServiceNeed]:
    """The seed's checklist for the context's pattern, adjusted to what the context really holds."""
    if group.seed == TEST_SEED:
        return []
    if group.kind != "business" or verdict.pattern is None:
        if group.kind == "shared-kernel":
            return [ServiceNeed(service="Lambda layer", need="required", why="shared code, not a service")]
        return [ServiceNeed(service="ECS Fargate", need="required", why="strangler-fig host until stage 4")]
    checklist = heuristics.checklist(verdict.pattern)
    needs: dict[str, ServiceNeed] = {}
    for line in checklist.services if checklist else ():
        needs[line.service] = ServiceNeed(service=line.service, need=line.need, why=f"pattern {verdict.pattern}")
    kinds = Counter(e.kind for e in entries)

    def need(service: str, level: str, why: str) -> None:
        order = ["avoid", "not-needed", "optional", "recommended", "required"]
        for umbrella in _UMBRELLAS.get(service, ()):
            needs.pop(umbrella, None)  # "SQS/SNS: not needed" no longer holds once SQS is required
        current = needs.get(service)
        if current is None or order.index(level) > order.index(current.need):
            needs[service] = ServiceNeed(service=service, need=level, why=why)

    if kinds["route"]:
        need("API Gateway REST API", "required", f"{kinds['route']} routes")
        need("Cognito", "recommended", "authentication of the routes")
    if kinds["realtime"]:
        need("API Gateway WebSocket API", "required", f"{kinds['realtime']} real-time handlers")
        need("DynamoDB", "required", "connection state")
    async_count = sum(kinds[k] for k in ("task", "rq-job", "receiver"))
    if async_count:
        need("SQS", "required", f"{async_count} tasks and receivers to buffer and retry")
        need("Dead Letter Queue", "required", "failed messages")
    if kinds["periodic"] or kinds["command"] or kinds["scheduler"]:
        need("EventBridge Scheduler", "required", "periodic jobs and commands run on a schedule")
    for fan_out in fan_outs:
        if fan_out.broker == "eventbridge":
            need("EventBridge", "required", f"{fan_out.signal}: {len(fan_out.receivers)} subscribers")
        else:
            need("SNS", "required", f"{fan_out.signal}: {len(fan_out.receivers)} subscribers")
    if processes:
        need("Step Functions", "required", "Standard workflow (human approval or long steps)")
    if group.models_owned:
        need("DynamoDB", "required", f"{len(group.models_owned)} tables to own")
    if "fargate" in computes:
        need("ECS Fargate", "required", "long-running or always-on work")
    if any(w.rule == "MS301" and group.name in w.contexts for w in warnings):
        need("S3", "required", "files written to local disk today")
    return sorted(needs.values(), key=lambda s: (_NEED_ORDER[s.need], s.service))


_UMBRELLAS = {
    "SQS": ("SQS/SNS",),
    "SNS": ("SQS/SNS",),
    "API Gateway REST API": ("API Gateway",),
    "API Gateway WebSocket API": ("API Gateway",),
}
_NEED_ORDER = {"required": 0, "recommended": 1, "optional": 2, "not-needed": 3, "avoid": 4}
