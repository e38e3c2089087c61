"""The pipeline: `ScanOptions` → `Report`, calling each stage in order.

discover → parse (per file, in worker processes, through the cache) →
framework detection → report assembly. Later stages (link, recognize,
cluster, classify, plan) plug in between parse and the report; each takes the
previous stage's typed output. This module owns the orchestration: the cache,
the worker pool and the progress callback. It never prints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from migrate_scan import __version__
from migrate_scan.cache import FactsCache
from migrate_scan.heuristics.loader import Heuristics, load_heuristics
from migrate_scan.model.facts import FileFacts, FileSkipped, ParseResult, SkipReason
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.inventory import Recognition
from migrate_scan.model.report import (
    CallEdge,
    CallGraph,
    Files,
    Module,
    Project,
    Report,
    SkippedFile,
    Tool,
    Totals,
    UnresolvedCallEntry,
    UnresolvedRegistration,
)
from migrate_scan.options import ScanOptions
from migrate_scan.stages.discover import DiscoveredFile, Discovery, DiscoverySettings, discover
from migrate_scan.stages.frameworks import detect_frameworks
from migrate_scan.stages.link import link
from migrate_scan.stages.parse import ParseRequest
from migrate_scan.stages.recognize import recognize
from migrate_scan.workers import ParsePool

ProgressCallback = Callable[[str, int, int], None]
"""Called with (stage, done, total): "parse" per file, then "link" once it starts."""


@dataclass(frozen=True)
class ParsedTree:
    """The parse stage's output for the whole tree, in path order."""

    discovery: Discovery
    facts: tuple[FileFacts, ...]
    skipped: tuple[FileSkipped, ...]


def run(options: ScanOptions, progress: ProgressCallback | None = None) -> Report:
    """Scan `options.root` and return the report.

    Raises:
        HeuristicsError: a rule file is invalid.
    """
    heuristics = load_heuristics(options.heuristics_dirs)
    parsed = parse_tree(options, heuristics, progress)
    if progress is not None:
        progress("link", 0, 1)
    graphs = link(parsed.facts)
    if progress is not None:
        progress("recognize", 0, 1)
    recognition = recognize(graphs, heuristics)
    graphs.resolver.release()  # the recognizers were the last to ask
    return build_report(parsed, heuristics, graphs, recognition, list_unresolved=options.list_unresolved)


def parse_tree(options: ScanOptions, heuristics: Heuristics, progress: ProgressCallback | None = None) -> ParsedTree:
    """Discover the files under the root and parse each (through the cache)."""
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
    cache = FactsCache(options.cache_dir, f"{__version__}:{heuristics.digest}") if options.use_cache else None
    total = len(discovery.files)
    results: list[ParseResult] = []
    requests: list[ParseRequest] = []
    keys: dict[str, str] = {}
    for file in discovery.files:
        source = _read(discovery, file)
        if isinstance(source, FileSkipped):
            results.append(source)
            continue
        request = ParseRequest(path=file.path, module=file.module, is_package=file.is_package, source=source)
        cached = None
        if cache is not None:
            keys[file.path] = key = cache.key(source, file.path, file.module, file.is_package)
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
        results.extend(ParsePool(options.jobs, options.file_timeout).parse_all(requests, on_result))
    facts = tuple(sorted((r for r in results if isinstance(r, FileFacts)), key=lambda f: f.path))
    skipped = tuple(
        sorted([*discovery.skipped, *(r for r in results if isinstance(r, FileSkipped))], key=lambda s: s.path)
    )
    return ParsedTree(discovery=discovery, facts=facts, skipped=skipped)


def _read(discovery: Discovery, file: DiscoveredFile) -> bytes | FileSkipped:
    try:
        with open(discovery.root / file.path, "rb") as handle:
            return handle.read()
    except OSError as error:
        return FileSkipped(
            path=file.path,
            module=file.module,
            reason=SkipReason.UNREADABLE,
            message=f"cannot read: {error.strerror or error}",
        )


def build_report(
    parsed: ParsedTree,
    heuristics: Heuristics,
    graphs: LinkedGraphs,
    recognition: Recognition,
    *,
    list_unresolved: bool = False,
) -> Report:
    """Assemble the schema-v1 report from the stages' outputs (sorted, deterministic)."""
    facts = list(parsed.facts)
    lines = sum(f.metrics.loc for f in facts)
    source_lines = sum(f.metrics.sloc for f in facts)
    python_skips = [s for s in parsed.skipped if s.path.endswith(".py")]
    project = Project(
        name=parsed.discovery.root.name or "root",
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
        files=Files(analyzed=len(facts), skipped=[_skipped_entry(s) for s in parsed.skipped]),
        modules=sorted((_module_entry(f) for f in facts), key=lambda m: (m.file, m.name)),
        call_graph=_call_graph_entry(graphs, list_unresolved),
        routes=recognition.routes,
        jobs=recognition.jobs,
        models=recognition.models,
        realtime=recognition.realtime,
        events=recognition.events,
        unresolved_registrations=[
            UnresolvedRegistration(rule=u.rule, detail=u.detail, location=u.location) for u in recognition.unresolved
        ],
    )


def _call_graph_entry(graphs: LinkedGraphs, list_unresolved: bool) -> CallGraph:
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
    unresolved = [
        UnresolvedCallEntry(caller=u.caller, callee=u.callee_text, location=u.location) for u in graphs.unresolved_calls
    ]
    return CallGraph(
        edges=edges,
        resolved=graphs.resolved_calls,
        unresolved=len(graphs.unresolved_calls),
        unresolved_calls=unresolved if list_unresolved else [],
    )


def _skipped_entry(skipped: FileSkipped) -> SkippedFile:
    return SkippedFile(path=skipped.path, reason=skipped.reason.value, message=skipped.message, line=skipped.line)


def _module_entry(facts: FileFacts) -> Module:
    metrics = facts.metrics
    return Module(
        name=facts.module,
        file=facts.path,
        lines=metrics.loc,
        source_lines=metrics.sloc,
        complexity=metrics.complexity,
        max_complexity=metrics.max_complexity,
        parser="libcst" if facts.parser == "libcst" else "ast",
    )
