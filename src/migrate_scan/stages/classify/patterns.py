"""The seed's decision tree, applied to contexts, entry points and modules.

Order of the questions (the seed's tree): real-time two-way communication →
Pattern 2; a complex multi-step process with human approval or long running →
Pattern 4; one event with several independent consumers, or background work →
Pattern 3; several business domains → Pattern 5 (the whole application);
otherwise Pattern 1.

One deliberate deviation, at context level only: a context that owns a
Pattern-4 workflow is Pattern 4 even when it also holds real-time handlers,
because the workflow is what the context is for and the real-time part is
scheduled beside stage 2 anyway (the seed's path). Modules keep the tree's
order: a socket handler module is Pattern 2 wherever it lives.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import networkx as nx

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.model.analysis import Clustering, ContextGroup
from migrate_scan.model.faults import guarded, isolated
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Recognition
from migrate_scan.model.report import Signal
from migrate_scan.stages.classify.entries import EntryPoint, Reach, Workflow, module_of

PATTERN_STAGE = {1: 1, 2: 2, 3: 2, 4: 3, 5: 4}
"""The seed's progressive path: the stage in which each pattern's work moves."""


@dataclass(frozen=True)
class Verdict:
    """A pattern with the rule that decided it, its confidence and evidence."""

    pattern: int | None
    rule: str
    confidence: float
    locations: tuple[Location, ...] = ()
    why: str = ""


UNDECIDED = Verdict(pattern=None, rule="", confidence=0.0, why="not decided: its analysis failed")
"""The verdict of a context whose decision failed (listed in `analysis_errors`)."""


@dataclass(frozen=True)
class ProcessVerdict:
    """A Pattern-4 workflow: the canvases of one module and why they are a workflow."""

    workflow: Workflow
    context: str
    is_standard: bool
    approval: tuple[Location, ...]
    long_running: tuple[Location, ...]
    participants: frozenset[str]  # entry symbols that start, resume or are steps of it
    modules: frozenset[str]  # modules that take part (builder, step modules, callers)


@dataclass(frozen=True)
class FanOut:
    """One event and its independent consumers."""

    signal: str
    sender: str | None
    producer: str | None  # context that emits it
    receivers: tuple[EntryPoint, ...]
    contexts: tuple[str, ...]
    broker: str  # sns | eventbridge


@dataclass
class Decisions:
    """Everything the decision tree concluded."""

    modules: dict[str, Verdict] = field(default_factory=dict)
    contexts: dict[str, Verdict] = field(default_factory=dict)
    processes: list[ProcessVerdict] = field(default_factory=list)
    fan_outs: list[FanOut] = field(default_factory=list)
    entry_patterns: dict[tuple[str, str, int], int] = field(default_factory=dict)
    application: Verdict | None = None


def _one_process_per_context(processes: list[ProcessVerdict]) -> list[ProcessVerdict]:
    """A status flow in a context that builds or runs a workflow already is that workflow's state, not a second
    process: its person's decisions and the modules that move it join the workflow found in code."""
    built = {p.context for p in processes if not p.workflow.is_status_flow}
    kept = [p for p in processes if not (p.workflow.is_status_flow and p.context in built)]
    for flow in processes:
        if not flow.workflow.is_status_flow or flow.context not in built:
            continue
        index = next(i for i, p in enumerate(kept) if p.context == flow.context and not p.workflow.is_status_flow)
        host = kept[index]
        kept[index] = replace(
            host,
            approval=tuple(sorted({*host.approval, *flow.approval}, key=_order)),
            modules=host.modules | (flow.modules - {flow.workflow.module}),
            participants=host.participants | flow.participants,
        )
    return kept


def _key(entry: EntryPoint) -> tuple[str, str, int]:
    return (entry.symbol, entry.module, entry.location.line)


class DecisionTree:
    """Applies the tree. Lifecycle: build with the stage inputs, call `decide()` once."""

    def __init__(
        self,
        clustering: Clustering,
        recognition: Recognition,
        entries: list[EntryPoint],
        workflows: list[Workflow],
        reach: Reach,
        heuristics: Heuristics,
        model_modules: dict[str, str],
        file_modules: dict[str, str],
        import_graph: nx.DiGraph[str],
    ) -> None:
        self.clustering = clustering
        self.recognition = recognition
        self.workflows = workflows
        self.reach = reach
        self.heuristics = heuristics
        self.model_modules = model_modules  # model symbol → module
        self.file_modules = file_modules  # file path → module
        self.import_graph = import_graph
        self.kinds = {group.name: group.kind for group in clustering.contexts}
        self.test_contexts = {group.name for group in clustering.contexts if group.seed == "tests"}
        self.entries = [e for e in entries if self.context_of(e.module) not in self.test_contexts]
        self.by_module: dict[str, list[EntryPoint]] = defaultdict(list)
        self.by_context: dict[str | None, list[EntryPoint]] = defaultdict(list)
        for entry in self.entries:
            self.by_module[entry.module].append(entry)
            self.by_context[self.context_of(entry.module)].append(entry)
        self.models_of: dict[str, set[str]] = defaultdict(set)  # module → the model symbols it defines
        for symbol, owner in model_modules.items():
            self.models_of[owner].add(symbol)
        self.outbound = self._outbound_modules()
        publishers: dict[str, list[Location]] = defaultdict(list)
        for blocker in recognition.blockers:
            if blocker.kind == "in-process-subscribers":
                publishers[blocker.module].append(blocker.location)
        self.publishers = {module: _first(locations) for module, locations in publishers.items()}

    def _outbound_modules(self) -> dict[str, tuple[Location, ...]]:
        """Modules whose functions call out (PT303's callees), directly or within `depth` calls: where they do."""
        rule = self.heuristics.decision("PT303")
        exact = {c for c in rule.callees if not c.endswith("*")}
        prefixes = tuple(c[:-1] for c in rule.callees if c.endswith("*"))
        graph = self.reach.graph
        paths = {module: path for path, module in self.file_modules.items()}
        found: dict[str, set[Location]] = defaultdict(set)
        level: set[str] = set()
        for caller, callee, data in graph.edges(data=True):
            if callee in exact or callee.startswith(prefixes):
                level.add(caller)
                module = module_of(caller)
                if module in paths:
                    found[module].add(Location(file=paths[module], line=data.get("line", 1)))
        seen = set(level)
        for _ in range(int(rule.threshold("depth")) - 1):
            following: set[str] = set()
            for callee in sorted(level):
                for caller, _, data in graph.in_edges(callee, data=True):
                    if caller in seen or data.get("via_decorator"):
                        continue
                    following.add(caller)
                    module = module_of(caller)
                    if module in paths and module != module_of(callee):
                        found[module].add(Location(file=paths[module], line=data.get("line", 1)))
            seen |= following
            level = following
        return {module: _first(locations) for module, locations in found.items()}

    def context_of(self, module: str) -> str | None:
        """The context a module belongs to."""
        return self.clustering.module_context.get(module)

    def decide(self) -> Decisions:
        """Run every question of the tree."""
        decisions = Decisions()
        decisions.processes = _one_process_per_context(self._processes())
        decisions.fan_outs = self._fan_outs()
        participants = {s for p in decisions.processes for s in p.participants}
        for entry in self.entries:
            decisions.entry_patterns[_key(entry)] = self._entry_pattern(entry, participants)
        for group in self.clustering.contexts:
            decisions.contexts[group.name] = guarded(
                "classify", f"context {group.name}", self._context_verdict, group.name, decisions, default=UNDECIDED
            )
        for group in self.clustering.contexts:
            for module in group.modules:
                verdict = guarded(
                    "classify", f"module {module}", self._module_verdict, module, group.name, decisions, default=None
                )
                if verdict is not None:
                    decisions.modules[module] = verdict
        for group in self.clustering.contexts:
            for module in group.modules:
                if module not in decisions.modules:
                    with isolated("classify", f"module {module}"):
                        decisions.modules[module] = self._inherited(module, group.name, decisions)
        decisions.application = guarded("classify", "application", self._application_verdict, decisions, default=None)
        return decisions

    # --- Pattern 4: workflows ---

    def _processes(self) -> list[ProcessVerdict]:
        rule = self.heuristics.decision("PT401")
        min_steps = rule.threshold("min_steps")
        long_seconds = rule.threshold("long_running_seconds")
        step_share = self.heuristics.decision("PT402").threshold("step_share")
        found = []
        for workflow in self.workflows:
            context = self.context_of(workflow.module)
            if context is None or self.kinds.get(context) != "business" or len(workflow.steps) < min_steps:
                continue
            workflow_modules = {workflow.module} | {module_of(step) for step in workflow.steps}
            workflow_symbols = set(workflow.steps)
            approval = [job.location for job in (*workflow.builders, *workflow.step_jobs) if self._says(job.handler)]
            if workflow.is_chain and any(self._says(step) for step in workflow.steps):
                approval += workflow.chain
            approval += self._decided_by_people(workflow)
            long_running = [
                job.location
                for job in workflow.step_jobs
                if max(job.time_limit or 0, job.soft_time_limit or 0) > long_seconds
            ]
            long_running += workflow.long_running
            modules = {workflow.module} | {m for m in workflow.members if self.context_of(m) == context}
            for module in sorted(workflow_modules):
                if self.context_of(module) != context:
                    continue
                tasks = [e for e in self.by_module.get(module, []) if e.kind == "task"]
                steps = [e for e in tasks if e.symbol in workflow_symbols]
                if tasks and len(steps) / len(tasks) >= step_share:
                    modules.add(module)
            participants = {step for step in workflow_symbols if module_of(step) in modules}
            for entry in self.entries:
                if entry.kind != "route" or self.context_of(entry.module) != context:
                    continue
                reached = self.reach.from_symbol(entry.symbol)
                # a status flow has no builder: the model's module is where its state is kept, not run
                touches_builder = not workflow.is_status_flow and any(
                    module_of(symbol) == workflow.module for symbol in reached
                )
                if not touches_builder and not (reached & workflow_symbols):
                    continue
                if self._says(entry.symbol):
                    approval.append(entry.location)
                    participants.add(entry.symbol)
                elif touches_builder:
                    participants.add(entry.symbol)
            if not approval and not long_running:
                continue
            found.append(
                ProcessVerdict(
                    workflow=workflow,
                    context=context,
                    is_standard=True,
                    approval=tuple(sorted(set(approval), key=_order)),
                    long_running=tuple(sorted(set(long_running), key=_order)),
                    participants=frozenset(participants),
                    modules=frozenset(modules),
                )
            )
        return found

    def _decided_by_people(self, workflow: Workflow) -> list[Location]:
        """The moves of a status flow that speak of a decision and that a route runs: a person decides there."""
        found = []
        routes = [entry for entry in self.entries if entry.kind == "route"]
        for function, location in workflow.decisions:
            if any(self._route_runs(entry, function) for entry in routes):
                found.append(location)
        return found

    def _route_runs(self, entry: EntryPoint, function: str) -> bool:
        """The route's handler is `function` or its class holds it; or a route of the function's own context
        calls it (routes of other contexts are not followed: the walk costs a reach per route)."""
        handler = entry.symbol
        if function == handler or function.startswith(handler + "."):
            return True
        if self.context_of(entry.module) != self.context_of(module_of(function)):
            return False
        return function in self.reach.from_symbol(handler)

    def _says(self, symbol: str) -> bool:
        """The function's name speaks of a human decision (approve, reject, review...)."""
        words = self.heuristics.decision("PT401").words
        name = symbol.rpartition(":")[2].lower()
        return any(word in name for word in words)

    # --- Pattern 3: fan-out ---

    def _fan_outs(self) -> list[FanOut]:
        rule = self.heuristics.decision("PT301")
        minimum = int(rule.threshold("min_receivers"))
        bridge_subscribers = rule.threshold("eventbridge_subscribers")
        bridge_contexts = rule.threshold("eventbridge_contexts")
        grouped: dict[tuple[str, str | None], list[EntryPoint]] = defaultdict(list)
        senders: dict[tuple[str, str | None], str | None] = {}
        for event in self.recognition.events:
            sender = self._model_symbol(event.sender)
            grouped[(event.signal, sender)].append(
                EntryPoint("receiver", event.receiver, module_of(event.receiver), event.location, event.signal)
            )
            senders[(event.signal, sender)] = sender
        signals = {signal.symbol: signal for signal in self.recognition.signals}
        found = []
        for (signal, sender), receivers in sorted(grouped.items(), key=lambda item: (item[0][0], item[0][1] or "")):
            receiver_modules = {r.module for r in receivers}
            if len(receiver_modules) < minimum:
                continue
            contexts = sorted({c for r in receivers if (c := self.context_of(r.module))})
            producer = self._producer(signal, sender, signals)
            broker = (
                "eventbridge" if len(receivers) >= bridge_subscribers or len(contexts) >= bridge_contexts else "sns"
            )
            found.append(
                FanOut(
                    signal=signal,
                    sender=sender,
                    producer=producer,
                    receivers=tuple(sorted(receivers, key=lambda r: (r.location.file, r.location.line))),
                    contexts=tuple(contexts),
                    broker=broker,
                )
            )
        return found

    def _model_symbol(self, sender: str | None) -> str | None:
        """A sender as a model symbol: `tickets.Ticket` (Django's lazy form) → `tickets.models:Ticket`."""
        if sender is None or ":" in sender or sender in self.model_modules:
            return sender
        app, _, name = sender.rpartition(".")
        if not app:
            return sender
        candidates = sorted(
            symbol
            for symbol in self.model_modules
            if symbol.rpartition(":")[2] == name and (symbol.startswith(app + ".") or symbol.startswith(app + ":"))
        )
        return candidates[0] if candidates else sender

    def _producer(self, signal: str, sender: str | None, signals: dict[str, Signal]) -> str | None:
        """The business context that emits the event: where it is sent, else the sender model's owner."""
        definition = signals.get(signal)
        if definition is not None:
            for location in definition.sent_at:
                module = self._module_at(location)
                context = self.context_of(module) if module else None
                if context and self.kinds.get(context) == "business":
                    return context
        if sender and sender in self.model_modules:
            context = self.context_of(self.model_modules[sender])
            if context:
                return context
        context = self.context_of(module_of(signal))
        return context if context and self.kinds.get(context) == "business" else None

    def _module_at(self, location: Location) -> str | None:
        return self.file_modules.get(location.file)

    # --- entry points and contexts ---

    def _entry_pattern(self, entry: EntryPoint, participants: set[str]) -> int:
        if entry.kind == "realtime":
            return 2
        if entry.symbol in participants:
            return 4
        if entry.is_async:
            return 3
        return 1

    def _context_verdict(self, context: str, decisions: Decisions) -> Verdict:
        kind = self.kinds.get(context)
        if kind == "shared-kernel":
            rule = self.heuristics.decision("PT103")
            return Verdict(None, rule.id, rule.confidence, why="shared kernel: ships as a Lambda layer")
        if kind == "app-shell":
            return Verdict(None, "PT101", 0.6, why="app shell: stays on the host until stage 4")
        if kind == "tests":
            return Verdict(None, "PT103", 1.0, why="test code: not deployed")
        entries = [e for e in self.entries if self.context_of(e.module) == context]
        unique = {(_key(e)) for e in entries}
        processes = [p for p in decisions.processes if p.context == context]
        if processes:
            rule = self.heuristics.decision(min(p.workflow.rule for p in processes))
            locations = [loc for p in processes for loc in (*p.workflow.locations, *p.approval, *p.long_running)]
            steps = sorted({s for p in processes for s in p.workflow.steps})
            why = f"owns a {len(steps)}-step workflow" + (
                " that waits for a human decision" if any(p.approval for p in processes) else " that runs long"
            )
            kept = [p.workflow.label for p in processes if p.workflow.is_status_flow]
            if kept:
                why += f", kept in the status field {', '.join(kept)}"
            return Verdict(4, rule.id, rule.confidence, _first(locations), why)
        realtime = [e for e in entries if e.kind == "realtime"]
        if realtime:
            rule = self.heuristics.decision("PT201")
            group = next(g for g in self.clustering.contexts if g.name == context)
            share = len({e.module for e in realtime}) / max(len(group.modules), 1)
            handlers = len({(e.symbol, e.name) for e in realtime})
            if share >= rule.threshold("context_module_share") or handlers >= rule.threshold("context_min_handlers"):
                why = f"{handlers} real-time handlers in {len({e.module for e in realtime})} modules"
                return Verdict(2, rule.id, rule.confidence, _first(e.location for e in realtime), why)
        asynchronous = [e for e in entries if e.is_async]
        if unique:
            rule = self.heuristics.decision("PT302")
            share = len({_key(e) for e in asynchronous}) / len(unique)
            if share >= rule.threshold("context_async_share"):
                produced = [f for f in decisions.fan_outs if f.producer == context or _receives(f, context)]
                rule_id = "PT301" if produced else rule.id
                confidence = min(0.9, 0.5 + share / 2)
                why = f"{len(asynchronous)} of {len(unique)} entry points are background work"
                return Verdict(3, rule_id, round(confidence, 2), _first(e.location for e in asynchronous), why)
        rule = self.heuristics.decision("PT101")
        routes = [e for e in entries if e.kind == "route"]
        if routes:
            why = f"{len(routes)} request-response routes, {len(asynchronous)} background entry points"
            return Verdict(1, rule.id, rule.confidence, _first(e.location for e in routes), why)
        return Verdict(1, "PT102", 0.4, why="no entry points of its own")

    def _module_verdict(self, module: str, context: str, decisions: Decisions) -> Verdict | None:
        """The module's pattern from its own entry points; None when it has none (decided later)."""
        kind = self.kinds.get(context)
        if context in self.test_contexts:
            return Verdict(None, "PT103", 1.0, why="test code: not deployed")
        own = self.by_module.get(module, [])
        patterns = Counter(decisions.entry_patterns[_key(e)] for e in own)
        process_modules = {m for p in decisions.processes for m in p.modules}
        signal_locations = [
            s.location for s in self.recognition.signals if module_of(s.symbol) == module and s.receivers
        ]
        if 2 in patterns:
            return self._own(2, "PT201", [e for e in own if e.kind == "realtime"])
        publishes = self.publishers.get(module)
        if publishes and module not in process_modules and 4 not in patterns:
            publisher = self.heuristics.decision("PT202")
            return Verdict(2, publisher.id, publisher.confidence, publishes, "publishes to real-time clients")
        if module in process_modules or 4 in patterns:
            owned = sorted(p.workflow.rule for p in decisions.processes if p.workflow.module == module)
            rule = owned[0] if owned else "PT402"
            locations = [e.location for e in own if decisions.entry_patterns[_key(e)] == 4]
            locations += [
                loc for p in decisions.processes if p.workflow.module == module for loc in p.workflow.locations
            ]
            return Verdict(4, rule, self.heuristics.decision(rule).confidence, _first(locations), "workflow")
        if kind == "shared-kernel":
            kernel = self.heuristics.decision("PT103")
            if signal_locations:
                return Verdict(3, "PT301", kernel.confidence, _first(signal_locations), "event definitions")
            if module in self.outbound and not own:
                return self._outbound_verdict(module)
            return Verdict(1, kernel.id, kernel.confidence, why="shared kernel")
        if 3 in patterns or signal_locations:
            fan_out = any(r.module == module for f in decisions.fan_outs for r in f.receivers) or signal_locations
            rule = "PT301" if fan_out else "PT302"
            locations = [e.location for e in own if e.is_async] + signal_locations
            return Verdict(3, rule, self.heuristics.decision(rule).confidence, _first(locations), "background work")
        if kind == "app-shell":
            return Verdict(None, "PT101", 0.6, why="app shell")
        if 1 in patterns:
            return self._own(1, "PT101", own)
        return None

    def _own(self, pattern: int, rule_id: str, entries: list[EntryPoint]) -> Verdict:
        rule = self.heuristics.decision(rule_id)
        return Verdict(pattern, rule_id, rule.confidence, _first(e.location for e in entries))

    def _outbound_verdict(self, module: str) -> Verdict:
        rule = self.heuristics.decision("PT303")
        return Verdict(3, rule.id, rule.confidence, self.outbound[module], "outbound integration")

    def _inherited(self, module: str, context: str, decisions: Decisions) -> Verdict:
        """No entry point: the pattern of the context's entry points that use it (PT303 if it calls out)."""
        rule = self.heuristics.decision("PT102")
        context_verdict = decisions.contexts[context]
        in_context = self.by_context.get(context, [])
        models = self.models_of.get(module, set())
        if module in self.outbound and not models and context_verdict.pattern != 4:
            return self._outbound_verdict(module)
        if models:
            if context_verdict.pattern not in (3, 4):
                return Verdict(1, rule.id, rule.confidence, why="data model of a request-response context")
            writers = self._writers(models)
            votes = Counter(decisions.entry_patterns[_key(e)] for e in in_context if e.symbol in writers)
        else:
            votes = Counter(
                decisions.entry_patterns[_key(e)] for e in in_context if module in self.reach.modules_reached(e.symbol)
            )
        votes.pop(2, None)  # helpers of socket handlers are plain request code
        if not votes and not models:
            votes = self._importer_votes(module, context, decisions)
        if not votes:
            pattern = context_verdict.pattern if context_verdict.pattern in (1, 3, 4) else 1
            return Verdict(pattern, rule.id, round(rule.confidence * 0.75, 2), why="takes its context's pattern")
        best = max(votes.values())
        tied = {p for p, count in votes.items() if count == best}
        pattern = context_verdict.pattern if context_verdict.pattern in tied else min(tied)
        return Verdict(pattern, rule.id, rule.confidence, why=f"used by {sum(votes.values())} entry points")

    def _importer_votes(self, module: str, context: str, decisions: Decisions) -> Counter[int]:
        """Patterns of the modules of the same context that import it (class-level use is not a call)."""
        votes: Counter[int] = Counter()
        if module not in self.import_graph:
            return votes
        for importer in self.import_graph.predecessors(module):
            verdict = decisions.modules.get(importer)
            if self.context_of(importer) == context and verdict is not None and verdict.pattern in (1, 3, 4):
                votes[verdict.pattern] += 1
        return votes

    def _writers(self, models: set[str]) -> set[str]:
        written = set()
        for collection in (self.recognition.routes, self.recognition.jobs, self.recognition.realtime):
            for item in collection:
                if models & set(item.writes):
                    written.add(item.handler)
        for event in self.recognition.events:
            if models & set(event.writes):
                written.add(event.receiver)
        return written

    # --- Pattern 5: the application ---

    def _largest_cycle(self, business: list[ContextGroup]) -> set[str]:
        """The largest set of business contexts that import or call each other in a cycle."""
        names = {g.name for g in business}
        graph: nx.DiGraph[str] = nx.DiGraph()
        for edge in self.clustering.dependencies:
            if edge.source in names and edge.target in names and {"call", "import"} & set(edge.kinds):
                graph.add_edge(edge.source, edge.target)
        # the largest, and among equally large ones the first by name: not whichever networkx lists first
        return min(nx.strongly_connected_components(graph), key=lambda c: (-len(c), sorted(c)), default=set())

    def _application_verdict(self, decisions: Decisions) -> Verdict:
        rule = self.heuristics.decision("PT501")
        business = [g for g in self.clustering.contexts if g.kind == "business"]
        entries = len({_key(e) for e in self.entries})
        if len(business) >= rule.threshold("min_contexts") and entries >= rule.threshold("min_entry_points"):
            realtime = sorted({c for c, v in decisions.contexts.items() if v.pattern == 2})
            parts = [f"{len(business)} business contexts with {entries} entry points"]
            if decisions.processes:
                parts.append(f"{len(decisions.processes)} multi-step workflow(s)")
            if decisions.fan_outs:
                parts.append(f"{len(decisions.fan_outs)} event(s) with several consumers")
            if realtime or any(e.kind == "realtime" for e in self.entries):
                parts.append("real-time handlers")
            why = (
                ", ".join(parts)
                + " in one deployable. The seed's caveat: with a team under 5 engineers, stop after stage 3 "
                "and keep the smallest contexts together"
            )
            locations = [loc for p in decisions.processes for loc in p.workflow.locations]
            locations += [f.receivers[0].location for f in decisions.fan_outs]
            confidence = rule.confidence
            tangled = self._largest_cycle(business)
            if len(tangled) >= 3 and len(tangled) >= 0.75 * len(business):
                confidence = round(confidence * 0.6, 2)
                why += (
                    f". But {len(tangled)} of the {len(business)} contexts import or call each other in one cycle: "
                    "modularize inside the monolith first (seed anti-pattern 1), or the services become a "
                    "distributed monolith"
                )
            return Verdict(5, rule.id, confidence, _first(locations), why)
        patterns = [v.pattern for v in decisions.contexts.values() if v.pattern]
        for pattern in (2, 4, 3, 1):
            if pattern in patterns:
                return Verdict(pattern, "PT501", 0.6, why=f"{len(business)} business context(s): no service split")
        return Verdict(1, "PT101", 0.4, why="no entry points found")


def _receives(fan_out: FanOut, context: str) -> bool:
    return context in fan_out.contexts


def _order(location: Location) -> tuple[str, int]:
    return (location.file, location.line)


def _first(locations: Iterable[Location], limit: int = 6) -> tuple[Location, ...]:
    return tuple(sorted(set(locations), key=_order)[:limit])
