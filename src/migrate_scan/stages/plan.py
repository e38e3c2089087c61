"""Plan stage: `Classification` + `Clustering` → `MigrationPlan` (the seed's progressive path).

Stage 1 moves the Pattern-1 (CRUD) modules of every context, stage 2 the
Pattern-3 (async, fan-out) modules with the Pattern-2 (real-time) ones beside
them, stage 3 the Pattern-4 workflows, stage 4 the whole application as
Pattern 5 (only when the application is classified Pattern 5). Within a
stage, contexts come in extraction order: a context whose synchronous
dependencies (calls, imports) are still in the monolith waits for them;
among the free ones the least coupled goes first (strangler fig). Model
relations alone do not hold a context back: they become ids and events.

Effort is in story points on the scale of `heuristics/patterns.toml`
(`effort.points`): 1 + weighted source lines, complexity, cross-context
weight, mandatory findings and tables of the moved modules, rounded up to the
next point of the scale.
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.heuristics.schema import StageRule
from migrate_scan.model.analysis import Classification, Clustering, MigrationPlan
from migrate_scan.model.faults import guarded, isolated
from migrate_scan.model.report import Context, Module, Plan, PlanItem, PlanStage, StaysOffLambda, Warning

SYNCHRONOUS_KINDS = frozenset({"call", "import"})
_ITEM_PATTERNS = {1: (1,), 2: (3, 2), 3: (4,)}  # stage → module patterns that move in it, in order


def plan(classification: Classification, clustering: Clustering, heuristics: Heuristics) -> MigrationPlan:
    """Build the staged plan from the verdicts."""
    contexts = {c.name: c for c in classification.contexts}
    modules = {m.name: m for m in classification.modules}
    coupling = _coupling(clustering)
    order = _extraction_order(clustering, coupling)
    stage_rules = {rule.stage: rule for rule in heuristics.stages()}
    stages: list[PlanStage] = []
    moved_data: set[str] = set()
    for stage in (1, 2, 3):
        items: list[PlanItem] = []
        for pattern in _ITEM_PATTERNS[stage]:
            for name in order:
                context = contexts.get(name)  # None: its classification failed (in `analysis_errors`)
                if context is None or context.kind == "shared-kernel" or context.seed == "tests":
                    continue
                members = [modules[m] for m in context.modules if m in modules and modules[m].pattern == pattern]
                if not members:
                    continue
                with isolated("plan", f"context {name}"):
                    items.append(
                        _item(
                            context,
                            members,
                            pattern,
                            classification.warnings,
                            clustering,
                            coupling,
                            heuristics,
                            moved_data,
                        )
                    )
        if stage == 1:
            kernel = guarded("plan", "shared kernel", _kernel_item, contexts, modules, heuristics, default=None)
            if kernel is not None:
                items.insert(0, kernel)
        if not items:
            continue
        rule = stage_rules[stage]
        stages.append(
            PlanStage(
                stage=stage,
                pattern=rule.pattern,
                title=rule.title,
                contexts=list(dict.fromkeys(item.context for item in items)),
                items=items,
                steps=list(rule.steps),
                services=sorted({s for item in items for s in item.services}),
                effort=sum(item.effort for item in items),
            )
        )
    if classification.app_pattern == 5:
        with isolated("plan", "stage 4 (the whole application)"):
            stages.append(_whole_application(contexts, modules, stage_rules[4], heuristics, clustering, coupling))
    effort_rule = heuristics.effort()
    scale = ", ".join(str(p) for p in effort_rule.scale)
    weights = ", ".join(f"{k} {v:g}" for k, v in sorted(effort_rule.weights.items()))
    result = Plan(
        stages=stages,
        effort=sum(s.effort for s in stages),
        effort_scale=f"story points {scale}: 1 + {weights}, rounded up to the scale",
        off_lambda=guarded(
            "plan", "what stays off Lambda", _off_lambda, classification, contexts, default=list[StaysOffLambda]()
        ),
    )
    effort_by_context: dict[str, int] = defaultdict(int)
    for stage_entry in stages:
        for item in stage_entry.items:
            effort_by_context[item.context] += item.effort
    return MigrationPlan(plan=result, effort=dict(sorted(effort_by_context.items())))


def _coupling(clustering: Clustering) -> dict[str, float]:
    """Total weight of the edges a business context shares with other business contexts, both directions.

    The shared kernel ships first and the app shell hosts everything until stage 4, so
    ties to them say nothing about the order in which business contexts can leave.
    """
    business = {g.name for g in clustering.contexts if g.kind == "business"}
    coupling: dict[str, float] = defaultdict(float)
    for edge in clustering.dependencies:
        if edge.source in business and edge.target in business:
            coupling[edge.source] += edge.weight
            coupling[edge.target] += edge.weight
    return coupling


def _extraction_order(clustering: Clustering, coupling: dict[str, float]) -> list[str]:
    """Contexts with their synchronous dependencies first; least coupled first among the free ones."""
    names = [group.name for group in clustering.contexts]
    business = {g.name for g in clustering.contexts if g.kind == "business"}
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(names)
    for edge in clustering.dependencies:
        if SYNCHRONOUS_KINDS & set(edge.kinds) and edge.source in business and edge.target in business:
            graph.add_edge(edge.target, edge.source)  # dependency before dependent
    condensed = nx.condensation(graph)
    members = condensed.graph["mapping"]
    groups: dict[int, list[str]] = defaultdict(list)
    for name, component in members.items():
        groups[component].append(name)

    def key(component: int) -> tuple[float, str]:
        inside = groups[component]
        return (min(coupling.get(n, 0.0) for n in inside), min(inside))

    order: list[str] = []
    for component in nx.lexicographical_topological_sort(condensed, key=key):
        order.extend(sorted(groups[component], key=lambda n: (coupling.get(n, 0.0), n)))
    return sorted(order, key=lambda name: name not in business)  # the shell's own work moves last


def _item(
    context: Context,
    members: list[Module],
    pattern: int,
    warnings: tuple[Warning, ...],
    clustering: Clustering,
    coupling: dict[str, float],
    heuristics: Heuristics,
    moved_data: set[str],
) -> PlanItem:
    names = {m.name for m in members}
    findings = [w for w in warnings if w.suppressed is None and names & set(w.modules)]
    data = [] if context.name in moved_data else list(context.models_owned)
    moved_data.add(context.name)
    services = _item_services(context, pattern, findings, heuristics)
    steps = _steps(context, members, pattern, findings, data)
    cross = sum(e.weight for e in clustering.dependencies if context.name in (e.source, e.target))
    share = len(members) / max(len(context.modules), 1)
    measures = (
        sum(m.source_lines for m in members),
        sum(m.complexity for m in members),
        cross * share,
        sum(1 for w in findings if w.category == "mandatory"),
        len(data),
    )
    effort = _points(heuristics, *measures)
    if _is_beyond_scale(heuristics, effort, measures):
        raw = _raw(heuristics, *measures)
        steps.insert(0, f"Beyond the scale (raw estimate {raw:.0f} points): split it into smaller increments first")
    business = {g.name for g in clustering.contexts if g.kind == "business"}
    waits_for = [d.context for d in context.dependencies if SYNCHRONOUS_KINDS & set(d.kinds) and d.context in business]
    why = f"coupling {coupling.get(context.name, 0.0):g}"
    if waits_for:
        why += f"; calls into {', '.join(sorted(waits_for)[:4])} (through the strangler facade until those move)"
    else:
        why += "; no synchronous dependency on other contexts"
    return PlanItem(
        context=context.name,
        modules=sorted(names),
        pattern=pattern,
        compute=sorted({m.compute for m in members if m.compute}),
        services=services,
        data=data,
        steps=steps,
        effort=effort,
        why_here=why,
    )


def _item_services(context: Context, pattern: int, findings: list[Warning], heuristics: Heuristics) -> list[str]:
    checklist = heuristics.checklist(pattern)
    wanted = {s.service for s in (checklist.services if checklist else ()) if s.need in ("required", "recommended")}
    relevant = {
        1: ("API Gateway REST API", "Cognito", "DynamoDB", "S3"),
        2: ("API Gateway WebSocket API", "DynamoDB"),
        3: ("SQS", "SNS", "EventBridge", "EventBridge Scheduler", "Dead Letter Queue", "ECS Fargate", "S3"),
        4: ("Step Functions", "DynamoDB", "ECS Fargate"),
    }.get(pattern, ())
    for need in context.services:
        if need.service in relevant and need.need in ("required", "recommended"):
            wanted.add(need.service)
    if any(w.rule == "MS301" for w in findings):
        wanted.add("S3")
    if any(w.compute == "fargate" for w in findings):
        wanted.add("ECS Fargate")
    if pattern == 3 and context.fan_out is None:
        wanted -= {"SNS", "EventBridge"}
        wanted.add("SQS")
    return sorted(wanted)


def _steps(
    context: Context, members: list[Module], pattern: int, findings: list[Warning], data: list[str]
) -> list[str]:
    steps: list[str] = []
    label = f"`{context.name}`"
    if pattern == 1:
        steps.append(
            f"Route {label}'s endpoints ({len(members)} modules) from the monolith to API Gateway REST + Lambda "
            "(strangler fig: the old routes stay until the new ones serve)"
        )
    elif pattern == 2:
        steps.append(
            f"Replace {label}'s socket handlers with API Gateway WebSocket routes ($connect, $disconnect, custom) "
            "on Lambda, connection ids in DynamoDB, pushes through postToConnection (drop connections on 410 Gone)"
        )
    elif pattern == 3:
        if context.fan_out:
            broker = "EventBridge" if context.fan_out == "eventbridge" else "SNS"
            steps.append(f"Publish {label}'s events to {broker}; each subscriber gets its own SQS queue and DLQ")
        steps.append(f"Turn {label}'s tasks and receivers into SQS-triggered Lambdas with a dead-letter queue")
        if "EventBridge Scheduler" in {s.service for s in context.services}:
            steps.append("Replace beat/cron schedules with EventBridge Scheduler rules")
    elif pattern == 4:
        kind = "Standard" if context.workflow != "express" else "Express"
        steps.append(
            f"Model {label}'s workflow as a Step Functions {kind} state machine: one state per task, "
            "Retry/Catch instead of task retries, a Parallel state instead of group/chord, compensation (saga)"
        )
        steps.append("Human approval: waitForTaskToken; the approval endpoints call SendTaskSuccess/SendTaskFailure")
    if data:
        names = ", ".join(d.rpartition(":")[2] for d in data[:6]) + ("…" if len(data) > 6 else "")
        steps.append(f"Move {label}'s tables ({names}) to DynamoDB, one table per context")
    if context.models_used and data:
        used = ", ".join(d.rpartition(":")[2] for d in context.models_used[:5])
        steps.append(f"Read other contexts' data ({used}) through their APIs or events, not their tables")
    seen: set[str] = set()
    for warning in findings:
        if warning.rule in seen:
            continue
        seen.add(warning.rule)
        where = ", ".join(f"{loc.file}:{loc.line}" for loc in warning.locations[:3])
        steps.append(f"{warning.rule} {warning.title}: {warning.fix} ({where})")
    return steps


def _kernel_item(contexts: dict[str, Context], modules: dict[str, Module], heuristics: Heuristics) -> PlanItem | None:
    kernels = [c for c in contexts.values() if c.kind == "shared-kernel"]
    if not kernels:
        return None
    members = sorted(m for c in kernels for m in c.modules if m in modules)
    effort = _points(
        heuristics,
        source_lines=sum(modules[m].source_lines for m in members),
        complexity=sum(modules[m].complexity for m in members),
        cross_weight=0,
        blockers=0,
        models=0,
    )
    return PlanItem(
        context=kernels[0].name,
        modules=members,
        pattern=1,
        compute=["lambda"],
        services=["Lambda layer"],
        steps=["Package the shared kernel as a Lambda layer (or an internal package) every function depends on"],
        effort=effort,
        why_here="every context imports it, so it ships first",
    )


def _whole_application(
    contexts: dict[str, Context],
    modules: dict[str, Module],
    rule: StageRule,
    heuristics: Heuristics,
    clustering: Clustering,
    coupling: dict[str, float],
) -> PlanStage:
    business = [c for c in contexts.values() if c.kind == "business"]
    shells = [c for c in contexts.values() if c.kind == "app-shell" and c.seed != "tests"]
    items = []
    for context in sorted(business, key=lambda c: (coupling.get(c.name, 0.0), c.name)):
        cross = sum(e.weight for e in clustering.dependencies if context.name in (e.source, e.target))
        depends = ", ".join(context.depends_on[:5]) or "none"
        items.append(
            PlanItem(
                context=context.name,
                modules=[],
                pattern=5,
                compute=context.compute,
                services=["CloudFormation/SAM stack", "EventBridge", "SSM Parameter Store", "X-Ray"],
                steps=[
                    f"One SAM/CDK stack for `{context.name}`; replace its synchronous calls to {depends} "
                    "with events on the shared EventBridge bus where they change state"
                ],
                effort=_points(heuristics, 0, 0, cross, 0, 0),
                why_here=f"coupling {coupling.get(context.name, 0.0):g}",
            )
        )
    for shell in shells:
        items.append(
            PlanItem(
                context=shell.name,
                modules=sorted(shell.modules),
                pattern=5,
                compute=["fargate"],
                steps=["Decommission the monolith host (WSGI/ASGI app, workers, beat) once no route reaches it"],
                effort=_points(
                    heuristics,
                    sum(modules[m].source_lines for m in shell.modules if m in modules),
                    sum(modules[m].complexity for m in shell.modules if m in modules),
                    0,
                    0,
                    0,
                ),
                why_here="last: it hosts what has not moved yet",
            )
        )
    return PlanStage(
        stage=4,
        pattern=5,
        title=rule.title,
        contexts=[item.context for item in items],
        items=items,
        steps=list(rule.steps),
        services=sorted({s for item in items for s in item.services}),
        effort=sum(item.effort for item in items),
    )


def _points(
    heuristics: Heuristics, source_lines: float, complexity: float, cross_weight: float, blockers: int, models: int
) -> int:
    rule = heuristics.effort()
    raw = _raw(heuristics, source_lines, complexity, cross_weight, blockers, models)
    for point in rule.scale:
        if math.ceil(raw - 1e-9) <= point:
            return point
    return rule.scale[-1]


def _raw(
    heuristics: Heuristics, source_lines: float, complexity: float, cross_weight: float, blockers: int, models: int
) -> float:
    weights = heuristics.effort().weights
    return (
        1
        + source_lines / 100 * weights.get("per_100_source_lines", 0)
        + complexity / 50 * weights.get("per_50_complexity", 0)
        + cross_weight * weights.get("per_cross_context_edge", 0)
        + blockers * weights.get("per_blocker", 0)
        + models * weights.get("per_model", 0)
    )


def _is_beyond_scale(heuristics: Heuristics, points: int, raw_measures: tuple[float, float, float, int, int]) -> bool:
    """The item scores past the top of the scale: it should be split before it is estimated."""
    return points == heuristics.effort().scale[-1] and _raw(heuristics, *raw_measures) > points


def _off_lambda(classification: Classification, contexts: dict[str, Context]) -> list[StaysOffLambda]:
    reasons: dict[str, tuple[str, str]] = {}
    for warning in classification.warnings:
        if warning.compute in ("fargate", "ec2") and warning.suppressed is None:
            for name in warning.modules:
                reasons.setdefault(name, (warning.rule, warning.message))
    found = []
    for module in classification.modules:
        if module.compute not in ("fargate", "ec2"):
            continue
        context = contexts.get(module.context or "")
        if module.name in reasons:
            rule, reason = reasons[module.name]
        elif context is not None and context.kind == "app-shell":
            rule, reason = "DS107", "app shell: the strangler-fig host until stage 4"
        else:
            continue
        found.append(StaysOffLambda(module=module.name, compute=module.compute, reason=reason, rule=rule))
    return sorted(found, key=lambda s: s.module)
