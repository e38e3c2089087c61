"""Turn a raw data-access trace (``tracer.py``'s output) into ``truth/<app>.json``.

    python benchmarks/realworld/dataaccess/build_truth.py APP RAW.json [--tests "what ran"] [--note TEXT]...

Runs with migrate-scan's interpreter (not the app's): each distinct statement is parsed with sqlglot
(the app section's ``dialect``, SQLite by default, ``postgres`` for the apps traced on PostgreSQL; the
``%s`` and ``%(name)s`` placeholders of the DB-API drivers read as ``?`` and ``:name``), falling back to a
tokenizer for the statements sqlglot cannot parse. Written: the target of ``INSERT``/``UPDATE``/``DELETE``/
``REPLACE``; read: every other table named (``FROM``, ``JOIN``, subqueries, ``INSERT ... SELECT``),
common-table-expression names left out.
Only tables the application's ORM knows are kept (the trace's ``tables``); others are counted under
``unknown_tables`` (the database's own catalogue, tables of apps not installed).

The app's section of ``apps.toml`` (beside this file) gives how the trace was obtained: the command, the
tests run, the patches; the app's ``benchmarks/realworld/truth/<app>.json`` gives repository, commit, family
and scan root.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import tomllib
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TRUTH_DIR = HERE / "truth"
CORPUS_TRUTH_DIR = HERE.parent / "truth"

_WRITE_HEAD = re.compile(
    r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+"
    r"[`\"\[]?(\w+)[`\"\]]?",
    re.IGNORECASE,
)
_READ_NAME = re.compile(r"\b(?:FROM|JOIN)\s+[`\"\[]?(\w+)[`\"\]]?", re.IGNORECASE)
_STRING = re.compile(r"'(?:[^']|'')*'")
_NAMED_PARAMETER = re.compile(r"%\((\w+)\)s")
_DIALECT = {"name": "sqlite"}  # set from the app's section of apps.toml before any statement is parsed


def tables_by_tokens(sql: str) -> tuple[set[str], set[str]]:
    """Fallback: (read, written) table names by keywords, string literals removed."""
    text = _STRING.sub("''", sql)
    written = set()
    head = _WRITE_HEAD.match(text)
    start = 0
    if head:
        written.add(head.group(1))
        start = head.end()
    reads = {m.group(1) for m in _READ_NAME.finditer(text, start)}
    return reads, written


@cache
def tables_of(sql: str) -> tuple[frozenset[str], frozenset[str], bool]:
    """(read, written) table names of one statement, and whether sqlglot parsed it."""
    import sqlglot
    from sqlglot import exp

    logging.getLogger("sqlglot").setLevel(logging.ERROR)  # SAVEPOINT & co. parse as commands, with a warning

    text = _NAMED_PARAMETER.sub(r":\1", sql.replace("%s", "?"))
    try:
        tree = sqlglot.parse_one(text, read=_DIALECT["name"])
    except Exception:
        reads, written = tables_by_tokens(sql)
        return frozenset(reads), frozenset(written), False
    if tree is None:
        return frozenset(), frozenset(), True
    written_nodes: list[Any] = []
    if isinstance(tree, (exp.Insert, exp.Update, exp.Delete)):
        target = tree.this
        if isinstance(target, exp.Schema):
            target = target.this
        for node in [target] if isinstance(target, exp.Table) else []:
            written_nodes.append(node)
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    written = {node.name for node in written_nodes}
    reads = {
        node.name
        for node in tree.find_all(exp.Table)
        if not any(node is w for w in written_nodes) and node.name and node.name not in ctes
    }
    return frozenset(reads), frozenset(written), True


def summarize(
    statements: dict[str, int], known: set[str], unknown: Counter[str], stats: Counter[str]
) -> dict[str, set[str]]:
    """Tables read and written by a bag of statements (known tables only)."""
    reads: set[str] = set()
    writes: set[str] = set()
    for sql, count in statements.items():
        read, written, parsed = tables_of(sql)
        stats["statements_distinct"] += 1
        stats["statements_run"] += count
        if not parsed:
            stats["statements_tokenized"] += 1
        for name in read | written:
            if name not in known:
                unknown[name] += 1
        reads |= {t for t in read if t in known}
        writes |= {t for t in written if t in known}
    return {"reads": reads, "writes": writes}


def entry_record(entry: dict[str, Any], known: set[str], unknown: Counter[str], stats: Counter[str]) -> dict[str, Any]:
    """One entry point of the truth: its identity, requests seen, tables of its view and framework scopes."""
    scopes = entry.get("statements", {})
    view = summarize(scopes.get("view", {}), known, unknown, stats)
    framework = summarize(scopes.get("framework", {}), known, unknown, stats)
    template = summarize(scopes.get("template", {}), known, unknown, stats)
    record = {k: v for k, v in entry.items() if k not in ("statements",)}
    record["reads"] = sorted(view["reads"])
    record["writes"] = sorted(view["writes"])
    record["template_reads"] = sorted(template["reads"] - view["reads"])
    record["template_writes"] = sorted(template["writes"] - view["writes"])
    record["framework_reads"] = sorted(framework["reads"] - view["reads"] - template["reads"])
    record["framework_writes"] = sorted(framework["writes"] - view["writes"] - template["writes"])
    record["statements"] = sum(scopes.get("view", {}).values())
    return record


def build(app: str, raw: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    """The truth document of one app."""
    corpus = app_identity(app, config)
    _DIALECT["name"] = config.get("dialect", "sqlite")
    tables_of.cache_clear()
    known = set(raw["tables"])
    unknown: Counter[str] = Counter()
    stats: Counter[str] = Counter()
    entries = [entry_record(e, known, unknown, stats) for e in raw["entries"]]
    entries.sort(
        key=lambda e: (
            e["kind"],
            e.get("handler") or "",
            e.get("path") or "",
            e.get("method") or "",
            e.get("action") or "",
            e.get("name") or "",
        )
    )
    kinds = Counter(e["kind"] for e in entries)
    counts = {
        **{k: v for k, v in sorted(raw.get("counters", {}).items())},
        **{f"entries_{kind}": n for kind, n in sorted(kinds.items())},
        "entries_with_data": sum(1 for e in entries if e["reads"] or e["writes"]),
        **dict(sorted(stats.items())),
    }
    return {
        "app": app,
        "repository": corpus["repository"],
        "commit": corpus["commit"],
        "family": corpus["family"],
        "scan_root": corpus.get("scan_root", "."),
        "module_prefix": corpus.get("module_prefix", ""),
        "obtained": config.get("obtained", ""),
        "command": config.get("command", ""),
        "tests": config.get("tests", ""),
        "patches": config.get("patches", []),
        "counts": counts,
        "notes": sorted(set(raw.get("notes", []))),
        "unknown_tables": dict(sorted(unknown.items())),
        "tables": raw["tables"],
        "entries": entries,
    }


def app_identity(app: str, config: dict[str, Any]) -> dict[str, Any]:
    """Repository, commit, family and scan root: the corpus truth's, else the app's section of apps.toml."""
    path = CORPUS_TRUTH_DIR / f"{app}.json"
    if path.exists():
        return dict(json.loads(path.read_text(encoding="utf-8")))
    return {key: config[key] for key in ("repository", "commit", "family", "scan_root") if key in config}


def load_config(app: str) -> dict[str, Any]:
    """The app's section of apps.toml."""
    with open(HERE / "apps.toml", "rb") as handle:
        return dict(tomllib.load(handle).get(app, {}))


def main(argv: list[str] | None = None) -> int:
    """Build and write ``truth/<app>.json``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("app")
    parser.add_argument("raw", type=Path)
    args = parser.parse_args(argv)
    raw = json.loads(args.raw.read_text(encoding="utf-8"))
    truth = build(args.app, raw, load_config(args.app))
    TRUTH_DIR.mkdir(exist_ok=True)
    out = TRUTH_DIR / f"{args.app}.json"
    out.write_text(json.dumps(truth, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{out}: {truth['counts']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
