"""Benchmark: scan speed against the `ast.parse` floor, cold and warm, with peak memory.

Usage:
    python benchmarks/bench_scan.py                 # Django's source (downloaded with pip on first use)
    python benchmarks/bench_scan.py PATH [PATH...]  # any codebases
    python benchmarks/bench_scan.py --jobs 2 PATH

For each codebase, each measurement runs in a fresh interpreter so that peak
memory (the largest process: the scan's own or one of its workers) is that
measurement's alone:

- floor: single process, read + `ast.parse` of every file the scan analyzes;
- cold: the whole pipeline with the cache off;
- warm: the whole pipeline again with a cache that a previous run filled.

Prints lines per second and the ratios to the floor. A script, not a test:
timings on a shared machine are not assertions.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
DJANGO_VERSION = "5.2.19"


def django_source() -> Path:
    """Django's source tree, downloaded as an sdist with pip on first use."""
    target = DATA / f"django-{DJANGO_VERSION}" / "django"
    if target.is_dir():
        return target
    DATA.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--no-binary",
            ":all:",
            f"django=={DJANGO_VERSION}",
            "-d",
            str(DATA),
        ],
        check=True,
    )
    with tarfile.open(DATA / f"django-{DJANGO_VERSION}.tar.gz") as archive:
        archive.extractall(DATA, filter="data")
    return target


def peak_memory_mib() -> float:
    """Largest resident set of this process or any finished child, in MiB (Linux: ru_maxrss is KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def child(mode: str, root: Path, jobs: int, cache_dir: Path) -> dict[str, float]:
    """One measurement, inside a fresh interpreter."""
    from migrate_scan.heuristics.loader import load_heuristics
    from migrate_scan.options import ScanOptions
    from migrate_scan.pipeline import Analysis, build_report, parse_tree
    from migrate_scan.render import RenderOptions
    from migrate_scan.render.json_report import render_json
    from migrate_scan.stages.classify import classify
    from migrate_scan.stages.cluster import ClusterSettings, cluster
    from migrate_scan.stages.discover import DiscoverySettings, discover
    from migrate_scan.stages.link import link
    from migrate_scan.stages.plan import plan
    from migrate_scan.stages.recognize import recognize

    options = ScanOptions(root=root, jobs=jobs, use_cache=mode == "warm", cache_dir=cache_dir)
    if mode == "floor":
        files = discover(root, DiscoverySettings()).files
        start = time.perf_counter()
        lines = 0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for file in files:
                source = (root / file.path).read_bytes()
                lines += source.count(b"\n")
                with contextlib.suppress(SyntaxError, ValueError):
                    ast.parse(source)
        elapsed = time.perf_counter() - start
        return {"seconds": elapsed, "lines": lines, "files": len(files), "peak_mib": peak_memory_mib()}
    start = time.perf_counter()
    heuristics = load_heuristics()
    parsed = parse_tree(options, heuristics)
    parsed_at = time.perf_counter()
    graphs = link(parsed.facts, heuristics.type_rules)
    linked_at = time.perf_counter()
    recognition = recognize(graphs, heuristics)
    graphs.resolver.release()
    recognized_at = time.perf_counter()
    clustering = cluster(graphs, recognition, ClusterSettings())
    classification = classify(graphs, recognition, clustering, heuristics)
    migration = plan(classification, clustering, heuristics)
    planned_at = time.perf_counter()
    analysis = Analysis(clustering=clustering, classification=classification, migration=migration)
    report = build_report(parsed, heuristics, graphs, recognition, analysis)
    render_json(report, RenderOptions())
    elapsed = time.perf_counter() - start
    return {
        "seconds": elapsed,
        "parse_seconds": parsed_at - start,
        "link_seconds": linked_at - parsed_at,
        "recognize_seconds": recognized_at - linked_at,
        "analysis_seconds": planned_at - recognized_at,
        "lines": report.project.totals.lines,
        "files": report.project.totals.analyzed,
        "peak_mib": peak_memory_mib(),
    }


def measure(mode: str, root: Path, jobs: int, cache_dir: Path) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--jobs", str(jobs), "--cache-dir", str(cache_dir), str(root)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)


def bench(root: Path, jobs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="migrate-scan-bench-") as cache:
        cache_dir = Path(cache)
        floor = measure("floor", root, jobs, cache_dir)
        cold = measure("cold", root, jobs, cache_dir)
        measure("prime", root, jobs, cache_dir)
        warm = measure("warm", root, jobs, cache_dir)
    print(f"\n{root}  ({int(cold['files'])} files, {int(cold['lines']):,} lines, --jobs {jobs})")
    print(
        f"{'run':<8}{'total s':>10}{'lines/s':>12}{'x floor':>10}{'parse s':>10}{'link s':>9}"
        f"{'recog s':>9}{'plan s':>9}{'peak MiB':>10}"
    )
    for name, result in (("floor", floor), ("cold", cold), ("warm", warm)):
        parse = result.get("parse_seconds", result["seconds"])
        rate = result["lines"] / parse
        ratio = parse / floor["seconds"]
        link = result.get("link_seconds", 0.0)
        recognize_time = result.get("recognize_seconds", 0.0)
        analysis_time = result.get("analysis_seconds", 0.0)
        print(
            f"{name:<8}{result['seconds']:>10.2f}{rate:>12,.0f}{ratio:>10.2f}{parse:>10.2f}{link:>9.2f}"
            f"{recognize_time:>9.2f}{analysis_time:>9.2f}{result['peak_mib']:>10.0f}"
        )
    print(
        "lines/s and x floor: discover + parse (through the cache); total adds link, recognize, "
        "cluster + classify + plan ('plan s') and the JSON report."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--child", choices=("floor", "cold", "prime", "warm"))
    parser.add_argument("--cache-dir", type=Path)
    arguments = parser.parse_args()
    if arguments.child:
        mode = "warm" if arguments.child == "prime" else arguments.child
        print(json.dumps(child(mode, arguments.paths[0].resolve(), arguments.jobs, arguments.cache_dir)))
        return
    for path in arguments.paths or [django_source()]:
        bench(path.resolve(), arguments.jobs)


if __name__ == "__main__":
    main()
