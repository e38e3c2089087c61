"""Score migrate-scan reports against expert reviews (`benchmarks/realworld/reviews/<app>.toml`).

A review says, per module (a dotted name or a glob; the most specific entry wins), what a migration
analyst concludes: the context (a name, or `@app-shell` / `@shared-kernel` / `@tests` for those roles), the
pattern (1-5) and stage (1-4), the compute, or a disposition for the app shell; and which warnings a
report must raise (`[[must]]`) and must not raise (`[[must_not]]`), with file and line. The reviews
were written from the sources before the tool's output was read; this script never changes them.

Measures, per app and overall:

- verdict agreement: modules whose pattern (or, for the app shell, disposition) matches the review;
  stage and compute agreement likewise, over the modules where the review gives them;
- context agreement: each reviewed context is mapped to the report context holding most of its
  modules; a module agrees when it is in the mapped context (role markers compare the module's role);
  plus the adjusted Rand index (ARI) of the two partitions over the reviewed modules;
- warning recall: `[[must]]` entries matched by a warning of the rule (or one of the rules) with a
  location in the file, within LINE_TOLERANCE lines when the review gives a line;
- false alarms: `[[must_not]]` entries the report raises anyway, and how many of those are mandatory;
- ARI of the report's contexts against Django app labels, where a truth file
  (`benchmarks/realworld/truth/<app>.json`, `modules` → label) exists.

Usage:
    python benchmarks/realworld/score_reviews.py APP=REPORT.json [APP=REPORT.json ...]
    python benchmarks/realworld/score_reviews.py --scan APP=PATH [--scan APP=PATH ...]   # scans first

`--scan` runs `migrate-scan PATH --format json` (static: it never imports the scanned code).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from math import comb
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REVIEWS = HERE / "reviews"
TRUTH = HERE / "truth"
LINE_TOLERANCE = 3
ROLE_MARKERS = {"@app-shell": "app-shell", "@shared-kernel": "shared-kernel", "@tests": "tests"}


@dataclass
class Score:
    """Counts for one app (or the total)."""

    app: str
    verdict: list[bool] = field(default_factory=list)
    stage: list[bool] = field(default_factory=list)
    compute: list[bool] = field(default_factory=list)
    context: list[bool] = field(default_factory=list)
    context_ari: float | None = None
    must: list[bool] = field(default_factory=list)
    must_not_raised: int = 0
    must_not_mandatory: int = 0
    must_not_total: int = 0
    label_ari: float | None = None
    disagreements: list[str] = field(default_factory=list)


def specificity(pattern: str) -> tuple[int, int]:
    """Exact names beat globs; longer patterns beat shorter ones."""
    return (0 if any(c in pattern for c in "*?[") else 1, len(pattern))


TEST_PARTS = frozenset({"tests", "test", "testing", "conftest"})


def is_test(module: str) -> bool:
    """Test code (a tests package, test_*.py, *_test.py, conftest): globs of a review never cover it."""
    parts = module.split(".")
    return bool(TEST_PARTS & set(parts)) or parts[-1].startswith("test_") or parts[-1].endswith("_test")


def covers(pattern: str, module: str) -> bool:
    """An exact name covers its module; a glob covers the modules it matches, test code excepted."""
    if module == pattern:
        return True
    return any(c in pattern for c in "*?[") and fnmatch.fnmatchcase(module, pattern) and not is_test(module)


def review_of(module: str, entries: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The review's fields for `module`: each field from the most specific entry that gives it."""
    matching = sorted(
        (e for e in entries if covers(e["name"], module)),
        key=lambda e: specificity(e["name"]),
        reverse=True,
    )
    merged: dict[str, Any] = {}
    for entry in matching:
        for key, value in entry.items():
            merged.setdefault(key, value)
    return merged


def ari(first: Mapping[str, str], second: Mapping[str, str]) -> float | None:
    """Adjusted Rand index of two labellings over their common keys (None when undefined)."""
    keys = sorted(set(first) & set(second))
    if len(keys) < 2:
        return None
    table = Counter((first[k], second[k]) for k in keys)
    rows = Counter(first[k] for k in keys)
    cols = Counter(second[k] for k in keys)
    index = sum(comb(n, 2) for n in table.values())
    row_sum = sum(comb(n, 2) for n in rows.values())
    col_sum = sum(comb(n, 2) for n in cols.values())
    expected = row_sum * col_sum / comb(len(keys), 2)
    maximum = (row_sum + col_sum) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)


def warning_hits(report: Mapping[str, Any], entry: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Report warnings of the entry's rule(s) with a location in its file (near its line, if given)."""
    rules = entry["rule"] if isinstance(entry["rule"], list) else [entry["rule"]]
    hits = []
    for warning in report.get("warnings", []):
        if warning["rule"] not in rules or warning.get("suppressed"):
            continue
        for location in warning.get("locations", []):
            if location["file"] != entry["file"]:
                continue
            if "line" in entry and abs(location["line"] - entry["line"]) > LINE_TOLERANCE:
                continue
            hits.append(warning)
            break
    return hits


def score_app(app: str, report: Mapping[str, Any]) -> Score:
    """Compare one report with its review."""
    review = tomllib.loads((REVIEWS / f"{app}.toml").read_text())
    entries = review.get("module", [])
    score = Score(app)
    modules = {m["name"]: m for m in report["modules"]}
    reviewed: dict[str, dict[str, Any]] = {}
    for name in sorted(modules):
        fields = review_of(name, entries)
        if fields:
            reviewed[name] = fields
    unmatched = [e["name"] for e in entries if not any(covers(e["name"], m) for m in modules)]
    score.disagreements += [f"review entry matches no module: {name}" for name in unmatched]
    for name, fields in reviewed.items():
        _score_verdict(score, name, fields, modules[name])
    _score_contexts(score, reviewed, modules)
    for entry in review.get("must", []):
        hit = bool(warning_hits(report, entry))
        score.must.append(hit)
        if not hit:
            score.disagreements.append(f"missing {entry['rule']} at {entry['file']}:{entry.get('line', '*')}")
    for entry in review.get("must_not", []):
        hits = warning_hits(report, entry)
        score.must_not_total += 1
        if hits:
            score.must_not_raised += 1
            mandatory = any(w["category"] == "mandatory" for w in hits)
            score.must_not_mandatory += mandatory
            category = "mandatory" if mandatory else hits[0]["category"]
            score.disagreements.append(
                f"false alarm {entry['rule']} ({category}) at {entry['file']}:{entry.get('line', '*')}"
            )
    truth_file = TRUTH / f"{app}.json"
    if truth_file.exists():
        labels = json.loads(truth_file.read_text()).get("modules", {})
        # the app shell and test code are set apart by design: they say nothing about the domain split
        kept = {name: m for name, m in modules.items() if m.get("role") not in ("app-shell", "tests")}
        contexts = {name: m.get("context") or "" for name, m in kept.items()}
        score.label_ari = ari({k: v for k, v in labels.items() if k in contexts}, contexts)
    return score


def _score_verdict(score: Score, name: str, fields: Mapping[str, Any], module: Mapping[str, Any]) -> None:
    if "disposition" in fields:
        ok = module.get("disposition") == fields["disposition"]
        score.verdict.append(ok)
        if not ok:
            score.disagreements.append(
                f"{name}: disposition {module.get('disposition')} (review {fields['disposition']})"
            )
    elif "pattern" in fields:
        ok = module.get("pattern") == fields["pattern"]
        score.verdict.append(ok)
        if not ok:
            score.disagreements.append(f"{name}: pattern {module.get('pattern')} (review {fields['pattern']})")
    for key, bucket in (("stage", score.stage), ("compute", score.compute)):
        if key in fields:
            ok = module.get(key) == fields[key]
            bucket.append(ok)
            if not ok:
                score.disagreements.append(f"{name}: {key} {module.get(key)} (review {fields[key]})")


def _score_contexts(score: Score, reviewed: Mapping[str, Mapping[str, Any]], modules: Mapping[str, Any]) -> None:
    expected = {name: f["context"] for name, f in reviewed.items() if "context" in f}
    actual: dict[str, str] = {}
    for name in expected:
        module = modules[name]
        role = module.get("role")
        actual[name] = f"@{role}" if role in ("app-shell", "shared-kernel", "tests") else (module.get("context") or "")
    members: dict[str, list[str]] = defaultdict(list)
    for name, context in expected.items():
        members[context].append(name)
    mapped: dict[str, str] = {}
    for context, names in members.items():
        if context in ROLE_MARKERS:
            mapped[context] = context
            continue
        counts = Counter(actual[n] for n in names)
        mapped[context] = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]
    for name, context in sorted(expected.items()):
        ok = actual[name] == mapped[context]
        score.context.append(ok)
        if not ok:
            score.disagreements.append(f"{name}: context {actual[name]} (review {context} → {mapped[context]})")
    score.context_ari = ari(expected, actual)


def share(values: Iterable[bool]) -> str:
    items = list(values)
    return f"{sum(items) / len(items):.2f} ({sum(items)}/{len(items)})" if items else "-"


def table(scores: Sequence[Score]) -> str:
    """A Markdown table of the scores, one row per app and a total."""
    total = Score("total")
    for score in scores:
        for key in ("verdict", "stage", "compute", "context", "must"):
            getattr(total, key).extend(getattr(score, key))
        total.must_not_raised += score.must_not_raised
        total.must_not_mandatory += score.must_not_mandatory
        total.must_not_total += score.must_not_total
    aris = [s.context_ari for s in scores if s.context_ari is not None]
    total.context_ari = sum(aris) / len(aris) if aris else None
    labels = [s.label_ari for s in scores if s.label_ari is not None]
    total.label_ari = sum(labels) / len(labels) if labels else None
    rows = [
        "| app | verdict (pattern/disposition) | stage | compute | context | context ARI | warning recall "
        "| must-not raised | of which mandatory | ARI vs app labels |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for score in [*scores, total]:
        rows.append(
            f"| {score.app} | {share(score.verdict)} | {share(score.stage)} | {share(score.compute)} "
            f"| {share(score.context)} | {_number(score.context_ari)} | {share(score.must)} "
            f"| {score.must_not_raised}/{score.must_not_total} | {score.must_not_mandatory}/{score.must_not_total} "
            f"| {_number(score.label_ari)} |"
        )
    return "\n".join(rows)


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def scan(path: str, output: Path) -> None:
    """Run migrate-scan on `path` into `output` (JSON)."""
    command = ["migrate-scan", path, "--format", "json", "--output", str(output), "--no-config"]
    subprocess.run(command, check=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reports", nargs="*", metavar="APP=REPORT.json")
    parser.add_argument("--scan", action="append", default=[], metavar="APP=PATH")
    parser.add_argument("--details", action="store_true", help="list every disagreement")
    args = parser.parse_args(argv)
    pairs = [item.split("=", 1) for item in args.reports]
    with tempfile.TemporaryDirectory() as scratch:
        for item in args.scan:
            app, path = item.split("=", 1)
            output = Path(scratch) / f"{app}.json"
            scan(path, output)
            pairs.append([app, str(output)])
        if not pairs:
            parser.error("give APP=REPORT.json or --scan APP=PATH")
        scores = [score_app(app, json.loads(Path(report).read_text())) for app, report in pairs]
    print(table(scores))
    if args.details:
        for score in scores:
            print(f"\n## {score.app}")
            for line in score.disagreements:
                print(f"- {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
