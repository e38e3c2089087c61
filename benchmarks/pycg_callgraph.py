"""Call-graph accuracy on PyCG's micro-benchmark (precision and recall per category).

Usage:
    python benchmarks/pycg_callgraph.py PATH/TO/PyCG/micro-benchmark/snippets [--verbose]

Each snippet folder holds a small program and PyCG's ground truth
(`callgraph.json`). We scan the folder as a project, link it, convert our
call graph to PyCG's naming (`main` for module code, `main.Cls.meth`,
`<builtin>.len`, lambdas numbered `<lambdaN>` per scope in source order) and
pool edges over each category. The benchmark is not vendored: fetch the
repository yourself (vitsalis/PyCG).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.options import ScanOptions
from migrate_scan.pipeline import parse_tree
from migrate_scan.stages.link import link

_PYCG_TYPES = {"str": "PyStr", "dict": "PyDict", "list": "PyList", "set": "PySet", "tuple": "PyTuple"}
_LAMBDA = re.compile(r"<lambda@(\d+):(\d+)>")


def pycg_name(symbol: str, lambda_numbers: dict[str, str]) -> str:
    """Our symbol (`main:Cls.meth`, `builtins:len`, `ext:Cls.fun`) in PyCG's spelling."""
    module, _, qualname = symbol.partition(":")
    if module == "builtins":
        owner, _, method = qualname.partition(".")
        if method and owner in _PYCG_TYPES:
            return f"<**{_PYCG_TYPES[owner]}**>.{method}"
        return f"<builtin>.{qualname}"
    name = f"{module}.{qualname}" if qualname else module
    return _LAMBDA.sub(lambda m: lambda_numbers.get(m.group(0), m.group(0)), name)


def number_lambdas(definitions: dict[str, object]) -> dict[str, str]:
    """`<lambda@L:C>` → `<lambdaN>`, numbered per enclosing scope in source order."""
    per_scope: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for symbol in definitions:
        match = _LAMBDA.search(symbol.rpartition(".")[2] if "." in symbol.partition(":")[2] else symbol)
        if match:
            parent = symbol[: symbol.rfind(match.group(0))]
            per_scope[parent].append((int(match.group(1)), int(match.group(2)), match.group(0)))
    numbers = {}
    for entries in per_scope.values():
        for index, (_, _, name) in enumerate(sorted(entries), start=1):
            numbers[name] = f"<lambda{index}>"
    return numbers


def our_edges(snippet: Path, cache: Path) -> set[tuple[str, str]]:
    options = ScanOptions(root=snippet, jobs=1, use_cache=False, cache_dir=cache)
    parsed = parse_tree(options, load_heuristics())
    graphs = link(parsed.facts, load_heuristics().type_rules)
    numbers = number_lambdas(graphs.definitions)
    # Edges marked wrapped_call summarise "reached through a decorator's wrapper": PyCG's truth holds only
    # the calls themselves (caller → wrapper → function), which the graph also has.
    return {
        (pycg_name(caller, numbers), pycg_name(callee, numbers))
        for caller, callee, data in graphs.call_graph.edges(data=True)
        if not data.get("wrapped_call")
    }


def truth_edges(snippet: Path) -> set[tuple[str, str]]:
    truth = json.loads((snippet / "callgraph.json").read_text())
    return {(caller, callee) for caller, callees in truth.items() for callee in callees}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("snippets", type=Path)
    parser.add_argument("--verbose", action="store_true", help="print each case's missing and extra edges")
    arguments = parser.parse_args()
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # true positives, found, expected
    with tempfile.TemporaryDirectory() as cache:
        for truth_file in sorted(arguments.snippets.glob("*/*/callgraph.json")):
            snippet = truth_file.parent
            category = snippet.parent.name
            found, expected = our_edges(snippet, Path(cache)), truth_edges(snippet)
            hits = found & expected
            for key in (category, "ALL"):
                totals[key][0] += len(hits)
                totals[key][1] += len(found)
                totals[key][2] += len(expected)
            if arguments.verbose and found != expected:
                print(f"{category}/{snippet.name}: missing {sorted(expected - found)} extra {sorted(found - expected)}")
    print(f"{'category':<14}{'precision':>10}{'recall':>10}{'edges':>8}")
    for category, (hits, found, expected) in sorted(totals.items(), key=lambda item: (item[0] == "ALL", item[0])):
        precision = hits / found if found else 1.0
        recall = hits / expected if expected else 1.0
        print(f"{category:<14}{precision:>10.1%}{recall:>10.1%}{expected:>8}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
