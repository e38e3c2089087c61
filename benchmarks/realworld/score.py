"""Score migrate-scan against the runtime truth of real monoliths: `python benchmarks/realworld/score.py`.

For each `truth/<app>.json` whose checkout exists (`<corpus>/<app>/src`), run the installed CLI
`migrate-scan <checkout>/<scan_root> --format json --no-cache` and print precision and recall per
category (routes, models, jobs, receivers, real-time handlers) per app and pooled, and the adjusted Rand
index of the scan's module -> context assignment against the truth's module -> Django app label / Flask
blueprint. `--show-misses` lists what the scan missed and what it reported wrongly. See README.md here.

A benchmark script, not a test: CI cannot fetch the corpus. The matching and ARI functions are unit-tested
(tests/unit/test_realworld_score.py).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# The corpus folder: $MIGRATE_SCAN_CORPUS, else `corpus/` beside the repository's checkout.
DEFAULT_CORPUS = Path(os.environ.get("MIGRATE_SCAN_CORPUS") or Path(__file__).resolve().parents[2].parent / "corpus")
CATEGORIES = ("routes", "models", "jobs", "receivers", "realtime")

# Job kinds, truth's and the scan's, mapped onto the family they are compared in. Kinds absent here
# (celery-workflow, worker-loop, thread) have no run-time registry to check them against: not scored.
JOB_FAMILIES = {
    "celery-task": "celery-task",
    "celery-periodic": "celery-periodic",
    "rq-job": "rq-job",
    "rq-periodic": "scheduled",
    "scheduler": "scheduled",
    "django-command": "command",
    "flask-command": "command",
    "click-command": "command",
}
# Real-time kinds scored even when the truth has none (a scan's claim of one is then a false positive).
REALTIME_KINDS = frozenset({"channels-consumer", "socketio-event"})
# Real-time kinds keyed by the event they answer rather than by handler: a GraphQL subscription field is the
# unit a client subscribes to, whatever resolver serves it (graphene picks a shared default resolver).
EVENT_KEYED_KINDS = frozenset({"graphql-subscription"})
# A truth route served under DRF's format-suffix converter (`<drf_format_suffix:format>`) is a format-suffix
# twin too, though the capture only marks the `\.(?P<format>...)` regex form.
_FORMAT_CONVERTER = "<drf_format_suffix:"

Key = tuple[str, ...]


# -- keys -------------------------------------------------------------------------------------------------------


_PARAMETER = re.compile(r"\{[^{}]*\}")


def route_path_key(path: str) -> str:
    """A route path with its parameter names erased: `/a/{id}/b` -> `/a/{}/b`."""
    return _PARAMETER.sub("{}", path)


def route_owner(handler: str, action: str | None) -> str:
    """The scan's handler with the trailing `.method` stripped when the route has an action (the view class)."""
    if action and handler.endswith(f".{action}"):
        return handler[: -len(action) - 1]
    return handler


def signal_short(signal: str) -> str:
    """The last name of a signal: `django.db.models.signals.post_save`, `x.Model:after_insert` -> the event name."""
    return re.split(r"[.:]", signal)[-1]


def prefixed(symbol: str | None, prefix: str) -> str | None:
    """A truth symbol in the scan's module naming (`module_prefix` prepended)."""
    if symbol is None or not prefix:
        return symbol
    return prefix + symbol


@dataclass
class Items:
    """Keys of one category on one side, each with what to show for it (a location or the truth record)."""

    keys: dict[Key, str] = field(default_factory=dict)
    handlers: dict[Key, str | None] = field(default_factory=dict)

    def add(self, key: Key, shown: str, handler: str | None = None) -> None:
        """Record a key once (the first description wins)."""
        self.keys.setdefault(key, shown)
        self.handlers.setdefault(key, handler)


def _code_symbol(category: str, item: dict[str, Any]) -> str | None:
    """The symbol whose module holds a truth item's code."""
    field_name = {"models": "symbol", "receivers": "receiver"}.get(category, "handler")
    value = item.get(field_name)
    return value if isinstance(value, str) else None


def in_excluded(symbol: str | None, excluded: tuple[str, ...]) -> bool:
    """Whether a symbol's module lies in a folder the scan left out (`excluded`: `a/migrations/` paths)."""
    if symbol is None or not excluded:
        return False
    path = "/" + symbol.partition(":")[0].replace(".", "/") + "/"
    return any(f"/{folder.strip('/')}/" in path for folder in excluded)


def truth_items(
    truth: dict[str, Any],
    category: str,
    third_party: bool,
    locate: Callable[[str | None], str] | None = None,
    dynamic: bool = False,
    excluded: tuple[str, ...] = (),
) -> Items:
    """The truth's keys for a category (own items only unless `third_party`); `locate` adds where the code is.

    Models made at run time (`dynamic: true`: history and tag models no class statement defines) are left
    out unless `dynamic`; items whose code lies in a folder the scan excluded by default (`excluded`, such
    as `app/migrations/`) are left out: the scan was told not to read them.
    """
    prefix = truth.get("module_prefix", "")
    where = locate or (lambda symbol: "")
    found = Items()
    for item in truth.get(category, []):
        if not third_party and not item.get("own", True):
            continue
        if in_excluded(_code_symbol(category, item), excluded):
            continue
        if category == "routes":
            if item.get("format_suffix") or _FORMAT_CONVERTER in (item.get("raw_path") or ""):
                continue
            handler = prefixed(item["handler"], prefix) or "?"
            found.add((route_path_key(item["path"]), handler), f"{item['path']} -> {handler}{where(handler)}")
        elif category == "models":
            if item.get("abstract") or (item.get("dynamic") and not dynamic):
                continue
            symbol = prefixed(item["symbol"], prefix) or "?"
            found.add((symbol,), f"{symbol}{where(symbol)}")
        elif category == "jobs":
            family = JOB_FAMILIES.get(item["kind"])
            if family is not None:
                handler = prefixed(item.get("handler"), prefix)
                shown = f"{item['kind']} {item['name']} -> {handler}{where(handler)}"
                found.add((family, item["name"]), shown, handler)
        elif category == "receivers":
            receiver = prefixed(item["receiver"], prefix) or "?"
            found.add((signal_short(item["signal"]), receiver), f"{item['signal']} -> {receiver}{where(receiver)}")
        elif category == "realtime":
            handler = prefixed(item["handler"], prefix) or "?"
            shown = f"{item['kind']} {handler}{where(handler)}"
            if item["kind"] in EVENT_KEYED_KINDS:
                found.add((item["kind"], item.get("event") or "?"), f"{item['kind']} {item.get('event')} ({shown})")
            else:
                found.add((item["kind"], handler), shown)
    return found


def locator(report: dict[str, Any], root: Path | None) -> Callable[[str | None], str]:
    """For `--show-misses`: ` (file:line)` of a truth symbol's definition in the scanned tree, found by reading
    the file the scan names for its module (the last name of the qualname, as `def`/`class`), else ``."""
    files = {m["name"]: m["file"] for m in report.get("modules", []) if "file" in m}

    def locate(symbol: str | None) -> str:
        if symbol is None or root is None:
            return ""
        module, _, qualname = symbol.partition(":")
        file = files.get(module)
        if file is None:
            return ""
        name = re.escape(qualname.rpartition(".")[2])
        pattern = re.compile(rf"^\s*(?:async\s+)?(?:def|class)\s+{name}\b|^{name}\s*=")
        try:
            lines = (root / file).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return f" ({file})"
        line = next((i for i, text in enumerate(lines, 1) if pattern.search(text)), None)
        return f" ({file}:{line})" if line else f" ({file})"

    return locate


def _location(item: dict[str, Any]) -> str:
    location = item.get("location") or {}
    return f"{location.get('file', '?')}:{location.get('line', '?')}"


def _module_of(symbol: str) -> str:
    return symbol.partition(":")[0]


def scan_items(report: dict[str, Any], category: str, third_party: bool, realtime_kinds: frozenset[str]) -> Items:
    """The scan's keys for a category; items whose code is not in the scanned tree only with `third_party`."""
    own_modules = {m["name"] for m in report.get("modules", [])}

    def own(symbol: str) -> bool:
        return third_party or _module_of(symbol) in own_modules

    found = Items()
    if category == "routes":
        for route in report.get("routes", []):
            owner = route.get("view") or route_owner(route["handler"], route.get("action"))
            if own(owner):
                found.add((route_path_key(route["path"]), owner), f"{route['path']} -> {owner} ({_location(route)})")
    elif category == "models":
        for model in report.get("models", []):
            if not model.get("abstract") and own(model["symbol"]):
                found.add((model["symbol"],), f"{model['symbol']} ({_location(model)})")
    elif category == "jobs":
        for job in report.get("jobs", []):
            family = JOB_FAMILIES.get(job["kind"])
            if family is not None and own(job["handler"]):
                shown = f"{job['kind']} {job['name']} -> {job['handler']} ({_location(job)})"
                found.add((family, job["name"]), shown, job["handler"])
    elif category == "receivers":
        for event in report.get("events", []):
            if own(event["receiver"]):
                key = (signal_short(event["signal"]), event["receiver"])
                found.add(key, f"{event['signal']} -> {event['receiver']} ({_location(event)})")
    elif category == "realtime":
        for handler in report.get("realtime", []):
            if handler["kind"] in realtime_kinds and own(handler["handler"]):
                shown = f"{handler['kind']} {handler['handler']} ({_location(handler)})"
                if handler["kind"] in EVENT_KEYED_KINDS:
                    found.add((handler["kind"], handler.get("event") or "?"), f"{handler.get('event')}: {shown}")
                else:
                    found.add((handler["kind"], handler["handler"]), shown)
    return found


# -- comparison ------------------------------------------------------------------------------------------------


@dataclass
class Score:
    """Counts of one category (one app, or pooled) and what was missed or wrong."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        """TP / (TP + FP), None when the scan reported nothing."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """TP / (TP + FN), None when the truth holds nothing."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def add(self, other: Score) -> None:
        """Pool another score's counts into this one."""
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn


def compare(truth: Items, scan: Items) -> Score:
    """Match keys; a match whose handlers both sides name and that differ counts as missed and wrong."""
    score = Score()
    for key, shown in sorted(truth.keys.items()):
        if key not in scan.keys:
            score.fn += 1
            score.missed.append(shown)
            continue
        expected, got = truth.handlers.get(key), scan.handlers.get(key)
        if expected and got and expected != got:
            score.fn += 1
            score.fp += 1
            score.missed.append(shown)
            score.wrong.append(f"{scan.keys[key]} [handler differs]")
        else:
            score.tp += 1
    for key, shown in sorted(scan.keys.items()):
        if key not in truth.keys:
            score.fp += 1
            score.wrong.append(shown)
    return score


def _comb2(n: int) -> float:
    return n * (n - 1) / 2


def adjusted_rand_index(first: dict[str, str], second: dict[str, str]) -> float | None:
    """Adjusted Rand index (Hubert and Arabie) of two labelings over the items both label; None below 2 items.

    1.0 when the partitions agree exactly (also when both put everything in one group), about 0 for chance.
    """
    items = sorted(set(first) & set(second))
    if len(items) < 2:
        return None
    pairs = Counter((first[i], second[i]) for i in items)
    rows = Counter(first[i] for i in items)
    columns = Counter(second[i] for i in items)
    index = sum(_comb2(n) for n in pairs.values())
    row_sum = sum(_comb2(n) for n in rows.values())
    column_sum = sum(_comb2(n) for n in columns.values())
    expected = row_sum * column_sum / _comb2(len(items))
    maximum = (row_sum + column_sum) / 2
    if math.isclose(maximum, expected):
        return 1.0 if math.isclose(index, expected) else 0.0
    return (index - expected) / (maximum - expected)


def module_contexts(report: dict[str, Any]) -> dict[str, str]:
    """The scan's module -> context; a module in no context is a group of its own."""
    return {m["name"]: m.get("context") or f"(none) {m['name']}" for m in report.get("modules", [])}


TEST_PACKAGES = frozenset({"tests", "testing"})


def is_test_code(module: str) -> bool:
    """A module of the test suite (`tests`/`testing` packages, `test_*`, `*_test`, `conftest`).

    Test code is never deployed, so where it is grouped says nothing about the architecture: the
    ARI leaves it out on both sides. A package named `test` is domain code in real apps (DefectDojo).
    """
    parts = module.split(".")
    last = parts[-1]
    return bool(TEST_PACKAGES & set(parts)) or last.startswith("test_") or last.endswith("_test") or last == "conftest"


def truth_modules(truth: dict[str, Any]) -> dict[str, str]:
    """The truth's module -> label, in the scan's module naming, test code left out."""
    prefix = truth.get("module_prefix", "")
    labels = {prefix + module: label for module, label in truth.get("modules", {}).items()}
    return {module: label for module, label in labels.items() if not is_test_code(module)}


# -- running -------------------------------------------------------------------------------------------------


def scanner() -> str:
    """The installed `migrate-scan` beside this interpreter, else the one on PATH."""
    beside = Path(sys.executable).with_name("migrate-scan")
    return str(beside) if beside.exists() else shutil.which("migrate-scan") or "migrate-scan"


def run_scan(root: Path, keep: Path | None, app: str, reuse: bool) -> dict[str, Any]:
    """The scan's JSON report of `root` (kept in `keep/<app>.json`, read from there with `reuse`)."""
    if keep is not None and reuse and (keep / f"{app}.json").exists():
        return json.loads((keep / f"{app}.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="score-") as scratch:
        out = Path(scratch) / "report.json"
        command = [scanner(), str(root), "--format", "json", "--no-cache", "--output", str(out)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        text = out.read_text(encoding="utf-8")
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        (keep / f"{app}.json").write_text(text, encoding="utf-8")
    return json.loads(text)


@dataclass
class AppScore:
    """One app's scores per category and its ARI."""

    app: str
    family: str
    scores: dict[str, Score]
    truth_counts: dict[str, int]
    ari: float | None
    ari_modules: int


def excluded_folders(report: dict[str, Any]) -> tuple[str, ...]:
    """Folders the scan's discovery left out by its default rules (migrations, ...), as `a/migrations/`."""
    excluded = report.get("files", {}).get("excluded", [])
    return tuple(sorted({e["path"] for e in excluded if e.get("reason") == "default-exclude" and e.get("path")}))


def score_app(
    truth: dict[str, Any], report: dict[str, Any], third_party: bool, root: Path | None = None, dynamic: bool = False
) -> AppScore:
    """Compare one report with one truth (`root`, the scanned folder, only to locate missed items).

    `dynamic` also scores the models the truth marks as made at run time.
    """
    locate = locator(report, root)
    realtime_kinds = REALTIME_KINDS | {r["kind"] for r in truth.get("realtime", [])}
    excluded = excluded_folders(report)
    scores, counts = {}, {}
    for category in CATEGORIES:
        expected = truth_items(truth, category, third_party, locate, dynamic, excluded)
        scores[category] = compare(expected, scan_items(report, category, third_party, realtime_kinds))
        counts[category] = len(expected.keys)
    labels, contexts = truth_modules(truth), module_contexts(report)
    shared = set(labels) & set(contexts)
    # One truth label (a Django project that is a single app): every split scores 0, no grouping to compare.
    ari = adjusted_rand_index(labels, contexts) if len({labels[m] for m in shared}) > 1 else None
    return AppScore(
        app=truth["app"],
        family=truth.get("family", "?"),
        scores=scores,
        truth_counts=counts,
        ari=ari,
        ari_modules=len(shared),
    )


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def table(results: list[AppScore]) -> tuple[str, dict[str, Any]]:
    """The printed table and its JSON form, pooled row last (micro-averaged counts, mean ARI)."""
    pooled = {c: Score() for c in CATEGORIES}
    for result in results:
        for category in CATEGORIES:
            pooled[category].add(result.scores[category])
    aris = [r.ari for r in results if r.ari is not None]
    header = ["app", *(f"{c} P/R (n)" for c in CATEGORIES), "ARI (modules)"]
    rows, data = [], {"apps": [], "pooled": {}}
    for result in results:
        cells = [f"{result.app} ({result.family})"]
        entry: dict[str, Any] = {"app": result.app, "family": result.family}
        for category in CATEGORIES:
            score = result.scores[category]
            cells.append(f"{_ratio(score.precision)}/{_ratio(score.recall)} ({result.truth_counts[category]})")
            entry[category] = _score_json(score, result.truth_counts[category])
        cells.append(f"{_ratio(result.ari)} ({result.ari_modules})")
        entry["ari"], entry["ari_modules"] = result.ari, result.ari_modules
        rows.append(cells)
        data["apps"].append(entry)
    cells = ["pooled"]
    for category in CATEGORIES:
        score = pooled[category]
        cells.append(f"{_ratio(score.precision)}/{_ratio(score.recall)} ({score.tp + score.fn})")
        data["pooled"][category] = _score_json(score, score.tp + score.fn)
    mean = sum(aris) / len(aris) if aris else None
    cells.append(f"{_ratio(mean)} (mean)")
    data["pooled"]["ari_mean"] = mean
    rows.append(cells)
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = [" | ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)) for row in [header, *rows]]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines), data


def _score_json(score: Score, truth_count: int) -> dict[str, Any]:
    return {
        "precision": score.precision,
        "recall": score.recall,
        "tp": score.tp,
        "fp": score.fp,
        "fn": score.fn,
        "truth": truth_count,
    }


def misses(results: list[AppScore]) -> str:
    """Missed and wrong items per app and category."""
    lines = []
    for result in results:
        for category in CATEGORIES:
            score = result.scores[category]
            if not score.missed and not score.wrong:
                continue
            lines.append(f"\n## {result.app} {category}: {len(score.missed)} missed, {len(score.wrong)} wrong")
            lines.extend(f"  missed  {m}" for m in score.missed)
            lines.extend(f"  wrong   {w}" for w in score.wrong)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description="Precision/recall of migrate-scan against runtime truth.")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder holding <app>/src checkouts")
    parser.add_argument("--truth-dir", type=Path, default=HERE / "truth")
    parser.add_argument("--app", action="append", help="score only this app (repeatable)")
    parser.add_argument("--third-party", action="store_true", help="also score items from third-party packages")
    parser.add_argument(
        "--dynamic-models", action="store_true", help="also score models the truth marks as made at run time"
    )
    parser.add_argument("--show-misses", action="store_true", help="list missed and wrong items")
    parser.add_argument("--json-out", type=Path, help="write the table as JSON to this file")
    parser.add_argument("--keep-scans", type=Path, help="keep each scan's JSON report in this folder")
    parser.add_argument("--reuse-scans", action="store_true", help="with --keep-scans: reuse reports already there")
    args = parser.parse_args(argv)
    results = []
    for path in sorted(args.truth_dir.glob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        if args.app and truth["app"] not in args.app:
            continue
        root = args.corpus / truth["app"] / "src" / truth.get("scan_root", ".")
        if not root.is_dir():
            print(f"skipped {truth['app']}: no checkout at {root}", file=sys.stderr)
            continue
        report = run_scan(root, args.keep_scans, truth["app"], args.reuse_scans)
        results.append(score_app(truth, report, args.third_party, root, args.dynamic_models))
    if not results:
        print("no app scored", file=sys.stderr)
        return 2
    text, data = table(results)
    print(text)
    if args.show_misses:
        print(misses(results))
    if args.json_out:
        args.json_out.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
