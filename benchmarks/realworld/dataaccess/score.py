"""Score migrate-scan's per-entry-point reads and writes against traced data access.

    MIGRATE_SCAN_CORPUS=/work/corpus python benchmarks/realworld/dataaccess/score.py [--app X] [--show-misses]
        [--report SCAN.json] [--keep-scans DIR] [--reuse-scans] [--json-out FILE] [--own-tables] [--models-only]

For each ``truth/<app>.json`` here (see README.md) whose checkout exists, run (or reuse) the JSON report of
``migrate-scan <checkout>/<scan_root>``, match the traced entry points with the report's routes, jobs and
receivers, and compare, per entry point, the tables read and written (a model stands for its table and its
concrete parents' tables; a proxy for its concrete model's table; a name with no ``:`` or prefixed
``table:`` is a table). Only entry points the trace exercised are scored (the own ones: the app's views,
commands, tasks and receivers), and only the tables each one's own code touched (the ``view`` scope; what
the framework did around it, ``framework_reads``/``framework_writes``, is not asked of the scan).

Matching: a traced route (path template, handler, method) goes to the report's routes with the same path
(parameter names erased) and owner (the view class, or the function) whose methods include the method (or
``*``); the traced methods a report route serves are pooled (the report's route is one entry point). Jobs
by family and name (as ``../score.py``), receivers by receiver symbol (the signals a receiver serves
pooled). Traced entry points the report does not list are counted (matched/all), not scored; a route
method answered only with 405 is not an entry point.

Counts are (entry point, table) pairs, micro-averaged per app and pooled. The trace under-approximates (a
branch no test ran, a user the middleware loaded and cached before the view asked), so precision comes
twice: ``raw`` counts every report-only pair as wrong; ``restricted`` counts only those on entry points
the trace exercised fully and successfully (every method the report's route serves was traced with a 2xx
or 3xx response; jobs and receivers always qualify) and whose table the framework did not touch around
the view. ``--show-misses`` lists missed pairs and report-only pairs, the latter split into those a
human should judge (``unjudged``: an entry point not fully exercised, or a table the framework touched)
and the rest.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TRUTH_DIR = HERE / "truth"
DEFAULT_CORPUS = Path(os.environ.get("MIGRATE_SCAN_CORPUS") or HERE.parents[3] / "corpus")
KINDS = ("reads", "writes")
JOB_FAMILIES = {
    "celery-task": "celery-task",
    "rq-job": "rq-job",
    "django-command": "command",
    "flask-command": "command",
    "click-command": "command",
}
_PARAMETER = re.compile(r"\{[^{}]*\}")


# -- the report's side -------------------------------------------------------------------------------------


def route_path_key(path: str) -> str:
    """A route path with its parameter names erased: ``/a/{id}/b`` -> ``/a/{}/b``."""
    return _PARAMETER.sub("{}", path)


def route_owner(route: dict[str, Any]) -> str:
    """The report route's owner: its ``view`` when it names one, else the handler without ``.action``."""
    if route.get("view"):
        return str(route["view"])
    handler, action = str(route["handler"]), route.get("action")
    if action and handler.endswith(f".{action}"):
        return handler[: -len(action) - 1]
    return handler


class TableMap:
    """Model symbols (truth's and the report's) -> the tables their reads and writes touch."""

    def __init__(self, truth_tables: dict[str, Any], report_models: list[dict[str, Any]]) -> None:
        self.known = set(truth_tables)
        self.by_symbol: dict[str, set[str]] = defaultdict(set)
        for table, info in truth_tables.items():
            for symbol in info.get("models", []):
                self.by_symbol[symbol].add(table)
                self.by_symbol[symbol].update(info.get("parents", []))
        for model in report_models:
            symbol, table = model.get("symbol"), model.get("table")
            if symbol and symbol not in self.by_symbol and table:
                self.by_symbol[symbol].add(table)
        self.unknown: set[str] = set()

    def tables(self, names: list[str]) -> set[str]:
        """The tables a report's reads or writes list names (unknown symbols remembered)."""
        found: set[str] = set()
        for name in names:
            if name.startswith("table:"):
                found.add(name[len("table:") :])
            elif ":" not in name:
                found.add(name)
            elif name in self.by_symbol:
                found |= self.by_symbol[name]
            else:
                self.unknown.add(name)
        return found


# -- matching -------------------------------------------------------------------------------------------------


@dataclass
class Scored:
    """One matched entry point: truth and report tables per kind, and what qualifies its report-only pairs."""

    label: str
    truth: dict[str, set[str]]
    report: dict[str, set[str]]
    framework: dict[str, set[str]]
    complete: bool


@dataclass
class AppScore:
    """Counts of one app (or the pool)."""

    tp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    fn: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    fp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    fp_restricted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    entries: int = 0
    matched: int = 0
    entries_all: int = 0

    def add(self, other: AppScore) -> None:
        """Pool another score into this one."""
        for kind in KINDS:
            self.tp[kind] += other.tp[kind]
            self.fn[kind] += other.fn[kind]
            self.fp[kind] += other.fp[kind]
            self.fp_restricted[kind] += other.fp_restricted[kind]
        self.entries += other.entries
        self.matched += other.matched
        self.entries_all += other.entries_all


def _successful(statuses: dict[str, int]) -> bool:
    return any(code.startswith(("2", "3")) for code in statuses)


def _filter(tables: list[str], info: dict[str, Any], own_tables: bool, models_only: bool) -> set[str]:
    """Tables kept for scoring: all, or only the app's own, or only those a model is stored in."""
    kept = set()
    for table in tables:
        meta = info.get(table, {})
        if own_tables and not meta.get("own"):
            continue
        if models_only and not meta.get("models"):
            continue
        kept.add(table)
    return kept


def match_entries(
    truth: dict[str, Any], report: dict[str, Any], args: argparse.Namespace
) -> tuple[list[Scored], int, int]:
    """Matched entry points (grouped by the report's entry point), the traced own entry points matched, and all."""
    tables = TableMap(truth.get("tables", {}), report.get("models", []))
    info = truth.get("tables", {})
    groups: dict[tuple[str, ...], dict[str, Any]] = {}
    traced = 0
    matched = 0
    routes = defaultdict(list)
    for route in report.get("routes", []):
        routes[(route_path_key(route["path"]), route_owner(route))].append(route)
    jobs = defaultdict(list)
    for job in report.get("jobs", []):
        family = JOB_FAMILIES.get(job["kind"])
        if family:
            jobs[(family, job["name"])].append(job)
    receivers = defaultdict(list)
    for event in report.get("events", []):
        receivers[event["receiver"]].append(event)
    for entry in truth.get("entries", []):
        if not entry.get("own", True) or not (entry.get("reads") or entry.get("writes") or entry.get("requests")):
            continue
        if entry["kind"] == "route" and set(entry.get("statuses", {})) == {"405"}:
            continue  # a method the route does not serve
        traced += 1
        found: list[dict[str, Any]]
        if entry["kind"] == "route":
            candidates = _route_candidates(routes, entry)
            found = [r for r in candidates if "*" in r["methods"] or entry["method"] in r["methods"]]
            key = ("route", *sorted({f"{r['path']} {r['handler']} {','.join(r['methods'])}" for r in found}))
        elif entry["kind"] == "receiver":
            found = receivers.get(entry["handler"], [])
            key = ("receiver", entry["handler"])
        else:
            family = JOB_FAMILIES.get(entry["kind"])
            found = jobs.get((family or "", entry["name"]), [])
            key = ("job", family or entry["kind"], entry["name"])
        if not found:
            continue
        matched += 1
        group = groups.setdefault(
            key,
            {
                "truth": {k: set() for k in KINDS},
                "framework": {k: set() for k in KINDS},
                "report": found,
                "methods": set(),
                "ok_methods": set(),
                "kind": entry["kind"],
                "label": _label(entry),
            },
        )
        for kind in KINDS:
            traced_tables = entry.get(kind, []) + (entry.get(f"template_{kind}", []) if args.with_templates else [])
            group["truth"][kind] |= _filter(traced_tables, info, args.own_tables, args.models_only)
            group["framework"][kind] |= set(entry.get(f"framework_{kind}", []))
            if not args.with_templates:
                group["framework"][kind] |= set(entry.get(f"template_{kind}", []))
        if entry["kind"] == "route":
            group["methods"].add(entry["method"])
            if _successful(entry.get("statuses", {})):
                group["ok_methods"].add(entry["method"])
    scored = []
    for group in groups.values():
        report_tables = {k: set() for k in KINDS}
        served: set[str] = set()
        for item in group["report"]:
            for kind in KINDS:
                report_tables[kind] |= _filter(
                    sorted(tables.tables(item.get(kind, []))), info, args.own_tables, args.models_only
                )
            served |= set(item.get("methods", []))
        complete = True
        if group["kind"] == "route":
            needed = group["methods"] if "*" in served else served | group["methods"]
            complete = needed <= group["ok_methods"]
        label = group["label"] + (f" [{','.join(sorted(group['methods']))}]" if group["methods"] else "")
        scored.append(Scored(label, group["truth"], report_tables, group["framework"], complete))
    scored.sort(key=lambda s: s.label)
    return scored, matched, traced


def _route_candidates(
    routes: dict[tuple[str, str], list[dict[str, Any]]], entry: dict[str, Any]
) -> list[dict[str, Any]]:
    """The report's routes for a traced route: same path (a trailing slash aside) and owner; a GraphQL field's
    (``action``) only the report routes of that field when the report names fields."""
    path = route_path_key(entry["path"])
    candidates = routes.get((path, entry["handler"]), [])
    if not candidates and path != "/":
        other = path[:-1] if path.endswith("/") else path + "/"
        candidates = routes.get((other, entry["handler"]), [])
    action = entry.get("action")
    if action and any(r.get("action") for r in candidates):
        candidates = [r for r in candidates if r.get("action") == action]
    return candidates


def _label(entry: dict[str, Any]) -> str:
    if entry["kind"] == "route":
        return f"{entry['path']} {entry['handler']}" + (f" {entry['action']}" if entry.get("action") else "")
    return f"{entry['kind']} {entry.get('name') or ''} {entry['handler']}".replace("  ", " ")


def count(scored: list[Scored]) -> AppScore:
    """TP/FN/FP (raw and restricted) per kind over (entry point, table) pairs."""
    score = AppScore()
    for item in scored:
        score.entries += 1
        for kind in KINDS:
            truth, found = item.truth[kind], item.report[kind]
            score.tp[kind] += len(truth & found)
            score.fn[kind] += len(truth - found)
            extra = found - truth
            score.fp[kind] += len(extra)
            score.fp_restricted[kind] += len(_judged(item, kind, extra))
    return score


def _judged(item: Scored, kind: str, extra: set[str]) -> set[str]:
    """Report-only tables that count as wrong in the restricted precision."""
    if not item.complete:
        return set()
    return {t for t in extra if t not in item.framework[kind]}


# -- running the scan ----------------------------------------------------------------------------------------


def scan_command() -> list[str]:
    """The installed CLI beside the running interpreter, else on PATH."""
    beside = Path(sys.executable).with_name("migrate-scan")
    return [str(beside)] if beside.exists() else [shutil.which("migrate-scan") or "migrate-scan"]


def load_report(app: str, truth: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """The app's migrate-scan JSON report: given, kept from an earlier run, or made now."""
    if args.report is not None:
        return dict(json.loads(Path(args.report).read_text(encoding="utf-8")))
    kept = args.keep_scans / f"{app}.json" if args.keep_scans else None
    if kept is not None and args.reuse_scans and kept.exists():
        return dict(json.loads(kept.read_text(encoding="utf-8")))
    root = args.corpus / app / "src" / truth.get("scan_root", ".")
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "scan.json"
        with open(out, "w", encoding="utf-8") as handle:
            subprocess.run([*scan_command(), str(root), "--format", "json", "--no-cache"], stdout=handle, check=False)
        text = out.read_text(encoding="utf-8")
    if kept is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_text(text, encoding="utf-8")
    return dict(json.loads(text))


# -- output ----------------------------------------------------------------------------------------------------


def ratio(num: int, den: int) -> str:
    """A two-decimal ratio, ``-`` when there is nothing to measure."""
    return f"{num / den:.2f}" if den else "-"


def row(name: str, score: AppScore) -> str:
    """One table row: entry points, then per kind recall, raw precision, restricted precision."""
    cells = [name, f"{score.matched}/{score.entries_all} ({score.entries})"]
    for kind in KINDS:
        tp, fn, fp, fpr = score.tp[kind], score.fn[kind], score.fp[kind], score.fp_restricted[kind]
        cells += [ratio(tp, tp + fn), ratio(tp, tp + fp), ratio(tp, tp + fpr), f"{tp}/{tp + fn}/{tp + fp}"]
    return "| " + " | ".join(cells) + " |"


HEADER = (
    "| app | traced entry points matched/all (report entry points) "
    "| reads R | reads P raw | reads P restr. | reads TP/truth/report "
    "| writes R | writes P raw | writes P restr. | writes TP/truth/report |\n"
    "|---|---|---|---|---|---|---|---|---|---|"
)


def table_kind(table: str, info: dict[str, Any]) -> str:
    """``model`` (an own model's table), ``association`` (no model: many-to-many, association table) or
    ``third-party`` (a model of a package: ``auth_user``)."""
    meta = info.get(table, {})
    if not meta.get("models"):
        return "association"
    return "model" if meta.get("own") else "third-party"


def miss_summary(scored: list[Scored], info: dict[str, Any]) -> str:
    """Missed pairs per kind of table, reads and writes."""
    parts = []
    for kind in KINDS:
        counts: dict[str, int] = defaultdict(int)
        for item in scored:
            for table in item.truth[kind] - item.report[kind]:
                counts[table_kind(table, info)] += 1
        parts.append(
            f"{kind} " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) if counts else f"{kind} none"
        )
    return "missed " + "; ".join(parts)


def show_misses(app: str, scored: list[Scored]) -> None:
    """Missed pairs and report-only pairs (judged and unjudged) per entry point."""
    print(f"\n## {app}: misses")
    for item in scored:
        lines = []
        for kind in KINDS:
            missed = sorted(item.truth[kind] - item.report[kind])
            extra = item.report[kind] - item.truth[kind]
            judged = _judged(item, kind, extra)
            if missed:
                lines.append(f"  missed {kind}: {', '.join(missed)}")
            if judged:
                lines.append(f"  report-only {kind}: {', '.join(sorted(judged))}")
            if extra - judged:
                lines.append(f"  report-only {kind} (unjudged): {', '.join(sorted(extra - judged))}")
        if lines:
            flag = "" if item.complete else "  [not fully exercised]"
            print(f"- {item.label}{flag}")
            print("\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    """Score every truth file (or ``--app``)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--app", action="append")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--report", help="a migrate-scan JSON report to use (one --app)")
    parser.add_argument("--keep-scans", type=Path)
    parser.add_argument("--reuse-scans", action="store_true")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--own-tables", action="store_true", help="only tables of the app's own models")
    parser.add_argument("--models-only", action="store_true", help="only tables a model is stored in")
    parser.add_argument(
        "--with-templates", action="store_true", help="count tables the app's code touched when a template called it"
    )
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args(argv)
    apps = args.app or sorted(p.stem for p in TRUTH_DIR.glob("*.json"))
    pooled = AppScore()
    lines = [HEADER]
    details: dict[str, Any] = {}
    summaries: list[str] = []
    for app in apps:
        truth = json.loads((TRUTH_DIR / f"{app}.json").read_text(encoding="utf-8"))
        if args.report is None and not (args.corpus / app / "src").exists():
            print(f"{app}: no checkout under {args.corpus}; skipped", file=sys.stderr)
            continue
        report = load_report(app, truth, args)
        scored, matched, traced = match_entries(truth, report, args)
        score = count(scored)
        score.matched, score.entries_all = matched, traced
        pooled.add(score)
        lines.append(row(app, score))
        details[app] = {
            "tp": score.tp,
            "fn": score.fn,
            "fp": score.fp,
            "fp_restricted": score.fp_restricted,
            "entries": score.entries,
            "matched": matched,
            "traced": traced,
        }
        summaries.append(f"{app}: {miss_summary(scored, truth.get('tables', {}))}")
        if args.show_misses:
            show_misses(app, scored)
    lines.append(row("pooled", pooled))
    print("\n" + "\n".join(lines))
    print("\n" + "\n".join(summaries))
    print(
        "\nR = recall, P = precision over (entry point, table) pairs; restr. = report-only pairs counted only on "
        "fully exercised entry points and tables the framework did not touch (see the docstring)."
    )
    if args.json_out:
        args.json_out.write_text(json.dumps(details, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
