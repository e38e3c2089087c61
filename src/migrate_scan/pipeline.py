"""The pipeline: `ScanOptions` → `Report`, calling each stage in order.

discover → parse (per file, in worker processes, through the cache) → link →
recognize → cluster → classify → plan → report assembly; each stage takes the
previous stages' typed output. The draft stage (`draft_infrastructure`) runs on
the finished report when SAM templates are asked for. This module owns the orchestration: the cache,
the worker pool and the progress callback. It never prints.
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TypeVar

from migrate_scan import __version__
from migrate_scan.cache import AnalysisCache, FactsCache, code_digest
from migrate_scan.heuristics.loader import Heuristics, load_heuristics
from migrate_scan.model.analysis import Classification, Clustering, MigrationPlan
from migrate_scan.model.facts import FACTS_FORMAT, FileFacts, FileSkipped, ParseResult, SkipReason
from migrate_scan.model.faults import collecting, guarded
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.ids import escape_name
from migrate_scan.model.infrastructure import Infrastructure
from migrate_scan.model.inventory import Recognition
from migrate_scan.model.json_text import remember, report_json
from migrate_scan.model.manifests import Manifest
from migrate_scan.model.memory import MemoryCeiling, cycle_collection_paused, memory_exceeded, watching
from migrate_scan.model.report import (
    Architecture,
    CallEdge,
    CallGraph,
    Decomposition,
    Evidence,
    ExcludedPath,
    Files,
    LimitReached,
    Module,
    Plan,
    Project,
    Report,
    SkippedFile,
    Tool,
    Totals,
    UnresolvedCallEntry,
    UnresolvedRegistration,
    parser_name,
)
from migrate_scan.options import ScanOptions
from migrate_scan.stages.classify import ClassifySettings, ConfigSuppression, classify
from migrate_scan.stages.classify.patterns import PATTERN_STAGE
from migrate_scan.stages.cluster import ClusterSettings, cluster
from migrate_scan.stages.discover import DiscoveredFile, Discovery, DiscoverySettings, discover
from migrate_scan.stages.draft import draft
from migrate_scan.stages.frameworks import detect_frameworks
from migrate_scan.stages.link import link
from migrate_scan.stages.parse import ParseRequest
from migrate_scan.stages.parse.manifests import parse_manifest
from migrate_scan.stages.plan import plan
from migrate_scan.stages.recognize import HANDLED_ROLES, recognize
from migrate_scan.workers import ParsePool

T = TypeVar("T")

ProgressCallback = Callable[[str, int, int], None]
"""Called with (stage, done, total): "parse" per file, then "link" once it starts."""


@dataclass(frozen=True)
class Analysis:
    """The outputs of cluster, classify and plan, for the report."""

    clustering: Clustering
    classification: Classification
    migration: MigrationPlan


@dataclass(frozen=True)
class ParsedTree:
    """The parse stage's output for the whole tree, in path order."""

    discovery: Discovery
    facts: tuple[FileFacts, ...]
    skipped: tuple[FileSkipped, ...]


def run(options: ScanOptions, progress: ProgressCallback | None = None) -> Report:
    """Scan `options.root` and return the report.

    Every stage after parsing runs under fault isolation (`model.faults`): a unit
    that fails (a module, a recognizer, a rule) is listed in `analysis_errors` and
    the scan goes on; a whole stage that fails yields an empty output of its type.
    With `options.debug` the first failure propagates instead.

    Raises:
        HeuristicsError: a rule file is invalid.
    """
    with cycle_collection_paused():
        return _run(options, progress)


def _run(options: ScanOptions, progress: ProgressCallback | None) -> Report:
    heuristics = load_heuristics(options.heuristics_dirs, handled_roles=HANDLED_ROLES)
    ceiling = MemoryCeiling(options.max_memory_bytes)
    tree = read_tree(options, heuristics)
    analyses = AnalysisCache(options.cache_dir) if options.use_cache else None
    key = _analysis_key(options, heuristics, tree) if analyses is not None else ""
    reused = _reuse(analyses, key, progress)
    if reused is not None:
        return reused
    with collecting(debug=options.debug) as faults, watching(ceiling):
        parsed = parse_read_tree(tree, options, progress, ceiling)
        # Second chance: the bytes changed, the parse results did not (a comment's words, quotes, spacing).
        facts_key = _facts_key(options, heuristics, tree) if analyses is not None and not faults.errors else None
        del tree  # the files' bytes: parsed now, and the analysis keys are computed
        reused = _reuse(analyses, facts_key, progress)
        if reused is not None and analyses is not None and facts_key is not None:
            analyses.alias(key, facts_key)  # the next scan of these bytes finds it without parsing
            return reused
        report = _analyze(options, heuristics, parsed, progress)
    if faults.errors:
        return report.model_copy(update={"analysis_errors": faults.errors})
    if analyses is not None and not any(s.reason in _MACHINE_DEPENDENT for s in parsed.skipped):
        text = report_json(report)
        analyses.put(facts_key or key, text.encode("utf-8"), aliases=(key,) if facts_key else ())
        remember(report, text)
    return report


def _reuse(analyses: AnalysisCache | None, key: str | None, progress: ProgressCallback | None) -> Report | None:
    """The stored report for `key`, printed as it was stored; None on a miss or a damaged entry."""
    stored = analyses.get(key) if analyses is not None and key else None
    if stored is None:
        return None
    if progress is not None:
        progress("reuse", 0, 1)
    with contextlib.suppress(ValueError):  # a damaged entry is a miss
        reused = Report.model_validate_json(stored)
        remember(reused, stored.decode("utf-8"))  # the entry is the report's JSON text: printed as it is
        return reused
    return None


_MACHINE_DEPENDENT = frozenset({SkipReason.TIMEOUT, SkipReason.PARSER_CRASH, SkipReason.MEMORY_LIMIT})
"""Skips that depend on the machine rather than the file: a report holding one is not reused."""


def _analysis_key(options: ScanOptions, heuristics: Heuristics, tree: ReadTree) -> str:
    """A key over every input of the report: tool version and code, heuristics, options, discovery, file keys."""
    digest = _inputs_digest(options, heuristics, tree.discovery, "files")
    for file, source, file_key in tree.sources:
        digest.update(f"{file.path}\0{file_key or repr(source)}\0".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _facts_key(options: ScanOptions, heuristics: Heuristics, tree: ReadTree) -> str | None:
    """A key over every input of the report, with each file's parse result (its cache entry's digest) in place
    of its bytes; None when a result has no entry (a time-out, a crash, a file past the memory ceiling).

    The analysis reads nothing of a Python file but its parse result (facts, or why it was skipped): equal
    keys are equal inputs, so an edit that leaves every parse result as it was reuses the report.
    """
    if tree.cache is None:
        return None
    digest = _inputs_digest(options, heuristics, tree.discovery, "facts")
    for file, source, file_key in tree.sources:
        entry = tree.cache.digest(file_key) if file_key else None
        if entry is None and not isinstance(source, FileSkipped):
            return None
        described = entry.hex() if entry is not None else repr(source)
        digest.update(f"{file.path}\0{described}\0".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _inputs_digest(options: ScanOptions, heuristics: Heuristics, discovery: Discovery, kind: str) -> hashlib.blake2b:
    """A digest of the inputs every analysis key shares (tool, heuristics, interpreter, options, discovery)."""
    digest = hashlib.blake2b(digest_size=20)
    settings = options.model_dump_json(exclude={"jobs", "use_cache", "cache_dir", "debug", "max_memory_bytes"})
    discovered = [(f.name, repr(getattr(discovery, f.name))) for f in fields(discovery) if f.name != "files"]
    for part in (kind, __version__, code_digest(), heuristics.digest, sys.version, settings, repr(discovered)):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest


def draft_infrastructure(report: Report) -> Infrastructure:
    """The draft stage: the finished report → the typed AWS infrastructure per context (for `--emit-sam`).

    Run on demand, after `run`: it reads only the report, and the JSON report does not depend on it.
    """
    return draft(report)


def _analyze(
    options: ScanOptions, heuristics: Heuristics, parsed: ParsedTree, progress: ProgressCallback | None
) -> Report:
    """Link, recognize, cluster, classify and plan the parsed tree, each stage isolated as a whole."""
    if progress is not None:
        progress("link", 0, 1)
    graphs = _stage("link", lambda: link(parsed.facts, heuristics.type_rules, heuristics.module_aliases)) or link(())
    unresolved = UnresolvedSummary.of(graphs, options.list_unresolved)
    graphs.unresolved_calls = []  # summarised: the list is large and no later stage reads it
    if progress is not None:
        progress("recognize", 0, 1)
    recognition = _stage("recognize", lambda: recognize(graphs, heuristics)) or Recognition()
    graphs.resolver.release()  # the recognizers were the last to ask
    if progress is not None:
        progress("cluster", 0, 1)
    settings = ClusterSettings(pins=options.context_pins, granularity=options.granularity)
    clustering = _stage("cluster", lambda: cluster(graphs, recognition, settings)) or Clustering((), {})
    if progress is not None:
        progress("classify", 0, 1)
    suppressions = tuple(
        ConfigSuppression(rule=s.rule, reason=s.reason, path=s.path, line=s.line) for s in options.suppressions
    )
    manifests = _stage("classify", lambda: read_manifests(parsed.discovery)) or ()  # what classify weighs
    classified = _stage(
        "classify",
        lambda: classify(graphs, recognition, clustering, heuristics, ClassifySettings(suppressions), manifests),
    )
    classification = classified or Classification(modules=(), contexts=(), warnings=())
    # Without verdicts there is nothing to plan: an empty plan, not a second error.
    migration = (classified and _stage("plan", lambda: plan(classification, clustering, heuristics))) or (
        MigrationPlan(plan=Plan())
    )
    analysis = Analysis(clustering=clustering, classification=classification, migration=migration)
    return build_report(parsed, heuristics, graphs, recognition, analysis, unresolved=unresolved)


def read_manifests(discovery: Discovery) -> tuple[Manifest, ...]:
    """The dependency manifests discovery found, read as data (an unreadable one carries its error)."""
    manifests = []
    for found in discovery.manifests:
        try:
            data = (discovery.root / found.path).read_bytes()
        except OSError as error:
            manifests.append(Manifest(found.path, "requirements", found.content_hash, error=str(error.strerror)))
            continue
        manifests.append(parse_manifest(found.path, data, found.content_hash))
    return tuple(manifests)


def _stage(name: str, run_stage: Callable[[], T]) -> T | None:
    """Run a whole stage as one isolated unit: its output, or None when it failed or the memory ceiling is reached."""
    if memory_exceeded(name, f"stage {name}", f"the {name} stage was not run"):
        return None
    return guarded(name, f"stage {name}", run_stage, default=None)


@dataclass(frozen=True)
class ReadTree:
    """The discovered files with their bytes (or why they could not be read) and their cache keys."""

    discovery: Discovery
    sources: tuple[tuple[DiscoveredFile, bytes | FileSkipped, str], ...]  # key "" without a cache
    cache: FactsCache | None


def parse_tree(
    options: ScanOptions,
    heuristics: Heuristics,
    progress: ProgressCallback | None = None,
    ceiling: MemoryCeiling | None = None,
) -> ParsedTree:
    """Discover the files under the root and parse each (through the cache)."""
    return parse_read_tree(read_tree(options, heuristics), options, progress, ceiling)


def read_tree(options: ScanOptions, heuristics: Heuristics) -> ReadTree:
    """Discover the files under the root, read each and compute its cache key."""
    discovery = discover(
        options.root,
        DiscoverySettings(
            excludes=options.excludes,
            includes=options.includes,
            use_default_excludes=options.default_excludes,
            respect_gitignore=options.respect_gitignore,
            max_file_bytes=options.max_file_bytes,
            source_roots=options.source_roots,
        ),
    )
    namespace = f"{__version__}:{code_digest()}:{FACTS_FORMAT}:{heuristics.digest}"
    cache = FactsCache(options.cache_dir, namespace) if options.use_cache else None
    sources = []
    for file in discovery.files:
        source = _read(discovery, file)
        key = ""
        if cache is not None and not isinstance(source, FileSkipped):
            key = cache.key(source, file.name_bytes, file.module, file.is_package)
        sources.append((file, source, key))
    return ReadTree(discovery, tuple(sources), cache)


def parse_read_tree(
    tree: ReadTree,
    options: ScanOptions,
    progress: ProgressCallback | None = None,
    ceiling: MemoryCeiling | None = None,
) -> ParsedTree:
    """Parse every file that was read (cached results where the cache has them).

    Past the memory ceiling, no further file is parsed: each is skipped as `memory-limit`.
    """
    ceiling = ceiling or MemoryCeiling(None)
    discovery, cache = tree.discovery, tree.cache
    total = len(discovery.files)
    results: list[ParseResult] = []
    requests: list[ParseRequest] = []
    keys: dict[str, str] = {}
    for position, (file, source, key) in enumerate(tree.sources):
        if position % 64 == 0 and ceiling.is_exceeded():
            results.extend(_over_memory(f, ceiling) for f, _, _ in tree.sources[position:])
            break
        if isinstance(source, FileSkipped):
            results.append(source)
            continue
        request = ParseRequest(path=file.path, module=file.module, is_package=file.is_package, source=source)
        cached = None
        if cache is not None:
            keys[file.path] = key
            cached = cache.get(key)
        if cached is None:
            requests.append(request)
        else:
            results.append(cached)
    done = len(results)
    if progress is not None:
        progress("parse", done, total)

    def on_result(result: ParseResult, encoded: bytes | None) -> None:
        nonlocal done
        done += 1
        if cache is not None and encoded is not None:
            cache.put(keys[result.path], encoded)
        if progress is not None:
            progress("parse", done, total)

    if requests:
        parsed = ParsePool(options.jobs, options.file_timeout).parse_all(requests, on_result, ceiling.is_exceeded)
        results.extend(parsed)
        if len(parsed) < len(requests):  # the ceiling stopped the pool
            done_paths = {r.path for r in parsed}
            results.extend(_over_memory(r, ceiling) for r in requests if r.path not in done_paths)
    facts = tuple(sorted((r for r in results if isinstance(r, FileFacts)), key=lambda f: f.path))
    skipped = tuple(
        sorted([*discovery.skipped, *(r for r in results if isinstance(r, FileSkipped))], key=lambda s: s.path)
    )
    return ParsedTree(discovery=discovery, facts=facts, skipped=skipped)


def _over_memory(file: DiscoveredFile | ParseRequest, ceiling: MemoryCeiling) -> FileSkipped:
    message = f"not parsed: {ceiling.message.partition(': ')[2]}"
    return FileSkipped(path=file.path, module=file.module, reason=SkipReason.MEMORY_LIMIT, message=message)


def _read(discovery: Discovery, file: DiscoveredFile) -> bytes | FileSkipped:
    try:
        with open(discovery.root / (file.os_path or file.path), "rb") as handle:
            return handle.read()
    except OSError as error:
        return FileSkipped(
            path=file.path,
            module=file.module,
            reason=SkipReason.UNREADABLE,
            message=f"cannot read: {error.strerror or error}",
        )


@dataclass(frozen=True)
class UnresolvedSummary:
    """What the report says of the calls link could not resolve: their count, per outside package, and the list."""

    count: int
    outside: dict[str, int]
    listed: list[UnresolvedCallEntry]  # empty unless `--list-unresolved`

    @classmethod
    def of(cls, graphs: LinkedGraphs, list_unresolved: bool) -> UnresolvedSummary:
        """The summary of `graphs.unresolved_calls` (with the list of every one when asked)."""
        calls = graphs.unresolved_calls
        outside = Counter(u.package for u in calls if u.package)
        listed = [
            UnresolvedCallEntry(caller=u.caller, callee=u.callee_text, location=u.location, package=u.package)
            for u in (calls if list_unresolved else ())
        ]
        return cls(count=len(calls), outside=dict(sorted(outside.items())), listed=listed)


def build_report(
    parsed: ParsedTree,
    heuristics: Heuristics,
    graphs: LinkedGraphs,
    recognition: Recognition,
    analysis: Analysis,
    *,
    list_unresolved: bool = False,
    unresolved: UnresolvedSummary | None = None,
) -> Report:
    """Assemble the schema-v1 report from the stages' outputs (sorted, deterministic).

    `unresolved` is the summary of the unresolved calls when the caller took it (and dropped the list)
    right after linking; without it, it is made from `graphs` (`list_unresolved` then says whether to list them).
    """
    if unresolved is None:
        unresolved = UnresolvedSummary.of(graphs, list_unresolved)
    classification = analysis.classification
    clustering = analysis.clustering
    effort = analysis.migration.effort
    facts = list(parsed.facts)
    lines = sum(f.metrics.loc for f in facts)
    source_lines = sum(f.metrics.sloc for f in facts)
    python_skips = [s for s in parsed.skipped if s.path.endswith(".py")]
    project = Project(
        name=escape_name(parsed.discovery.root.name) or "root",
        frameworks=detect_frameworks(facts, heuristics.framework_rules),
        source_roots=list(parsed.discovery.source_roots),
        totals=Totals(
            files=len(facts) + len(python_skips),
            analyzed=len(facts),
            skipped=len(python_skips),
            lines=lines,
            source_lines=source_lines,
        ),
    )
    return Report(
        tool=Tool(version=__version__),
        project=project,
        files=Files(
            analyzed=len(facts),
            skipped=[_skipped_entry(s) for s in parsed.skipped],
            excluded=[
                ExcludedPath(
                    path=e.path,
                    reason=e.reason,
                    pattern=e.pattern,
                    python_files=e.python_files,
                    is_count_complete=e.is_count_complete,
                )
                for e in parsed.discovery.excluded
            ],
        ),
        modules=_module_entries(facts, classification),
        contexts=[c.model_copy(update={"effort": effort.get(c.name)}) for c in classification.contexts],
        decomposition=Decomposition(
            method=clustering.method,
            metrics=dict(clustering.metrics),
            shared_models=list(clustering.shared_models),
        ),
        architecture=Architecture(
            pattern=classification.app_pattern,
            stage=PATTERN_STAGE.get(classification.app_pattern) if classification.app_pattern else None,
            confidence=classification.app_confidence,
            summary=classification.app_summary,
            evidence=[
                Evidence(rule=rule, locations=list(locations)) for rule, locations in classification.app_evidence
            ],
        ),
        plan=analysis.migration.plan,
        warnings=list(classification.warnings),
        signals=recognition.signals,
        call_graph=guarded("report", "call graph", _call_graph_entry, graphs, unresolved, default=CallGraph()),
        routes=recognition.routes,
        jobs=recognition.jobs,
        models=recognition.models,
        realtime=recognition.realtime,
        events=recognition.events,
        unresolved_registrations=[
            UnresolvedRegistration(rule=u.rule, detail=u.detail, location=u.location) for u in recognition.unresolved
        ],
        limits=sorted(
            [*_link_limits(graphs), *recognition.limits, *classification.limits],
            key=lambda limit: (limit.stage, limit.limit),
        ),
    )


def _link_limits(graphs: LinkedGraphs) -> list[LimitReached]:
    """The link solver's value cap and evaluation budget, where it reached them."""
    stats = graphs.solver
    found = []
    if stats.capped_sets:
        found.append(
            LimitReached(
                stage="link",
                limit="values-per-variable",
                cap=stats.value_cap,
                hits=stats.capped_sets,
                dropped=stats.refused_values,
                message=f"{stats.capped_sets} variable(s) or return(s) may hold more than {stats.value_cap} values; "
                f"each kept {stats.value_cap} of them, so calls through them may reach fewer targets.",
            )
        )
    if stats.pending:
        found.append(
            LimitReached(
                stage="link",
                limit="evaluation-budget",
                cap=stats.budget,
                hits=1,
                dropped=stats.pending,
                message=f"Name resolution stopped after {stats.evaluations} evaluations with {stats.pending} "
                "still queued; some values (and the calls they resolve) may be missing.",
            )
        )
    return found


def _call_graph_entry(graphs: LinkedGraphs, unresolved: UnresolvedSummary) -> CallGraph:
    graph = graphs.call_graph
    edges = [
        CallEdge(
            caller=caller,
            callee=callee,
            external=bool(graph.nodes[callee].get("external")),
            line=data["line"],
            via_decorator=data.get("via_decorator", False),
            wrapped_call=data.get("wrapped_call", False),
        )
        for caller, callee, data in graph.edges(data=True)
    ]
    edges.sort(key=lambda e: (e.caller, e.callee))
    return CallGraph(
        edges=edges,
        resolved=graphs.resolved_calls,
        unresolved=unresolved.count,
        unresolved_outside=dict(unresolved.outside),
        unresolved_calls=list(unresolved.listed),
    )


def _skipped_entry(skipped: FileSkipped) -> SkippedFile:
    return SkippedFile(path=skipped.path, reason=skipped.reason.value, message=skipped.message, line=skipped.line)


def _module_entries(facts: list[FileFacts], classification: Classification) -> list[Module]:
    """Every analyzed file: classified, or (a second file with an already-taken module name) only measured."""
    entries = list(classification.modules)
    classified = {m.file for m in entries}
    for file in facts:
        if file.path in classified:
            continue
        metrics = file.metrics
        entries.append(
            Module(
                name=file.module,
                file=file.path,
                lines=metrics.loc,
                source_lines=metrics.sloc,
                complexity=metrics.complexity,
                max_complexity=metrics.max_complexity,
                parser=parser_name(file.parser),
            )
        )
    return sorted(entries, key=lambda m: (m.file, m.name))
