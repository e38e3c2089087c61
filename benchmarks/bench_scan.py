"""Benchmark: scan speed against the `ast.parse` floor, cold and warm, with peak memory.

Usage:
    python benchmarks/bench_scan.py                 # Django's source (downloaded with pip on first use)
    python benchmarks/bench_scan.py PATH [PATH...]  # any codebases
    python benchmarks/bench_scan.py --jobs 2 PATH

For each codebase, each measurement runs in a fresh interpreter so that peak
memory (the largest process: the scan's own or one of its workers) is that
measurement's alone:

- floor: single process, read + `ast.parse` of every file the scan analyzes;
- cold: the whole pipeline (`pipeline.run`) and the JSON report, with an empty cache;
- unchanged: the same again, the cache now full (the previous analysis is reused);
- edited: after appending a function to one file (the file of median size);
- retouched: after changing the words of one comment (the edit leaves every parse result as it was).

The tree is scanned from a temporary copy (the edit is never made in the
scanned tree). Prints every stage's seconds per run, the ratios to the floor,
the CPU time of the run (the scan and its workers) against the floor's, and of
each stage, the load average, peak memory and MiB per 100k lines; each figure is the median of `--repeat`
runs. A script, not a test: timings on a shared machine are not assertions.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import resource
import shutil
import statistics
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


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children (the parse workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_memory_mib() -> float:
    """Largest resident set of this process or any finished child, in MiB (Linux: ru_maxrss is KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


RUNS = ("cold", "unchanged", "edited", "retouched")
"""The measured runs (see the module's docstring)."""
STAGES = ("read", "parse", "link", "recognize", "cluster", "classify", "reuse", "render")
"""Columns of the table: `read` is discovery plus reading and hashing every file (and, when the
analysis is reused, loading it); `parse` the per-file parse through the cache; `classify` includes plan."""


def child(mode: str, root: Path, jobs: int, cache_dir: Path) -> dict[str, float]:
    """One measurement, inside a fresh interpreter."""
    from migrate_scan.options import ScanOptions
    from migrate_scan.pipeline import run
    from migrate_scan.render import RenderOptions
    from migrate_scan.render.json_report import render_json
    from migrate_scan.stages.discover import DiscoverySettings, discover

    if mode == "floor":
        files = discover(root, DiscoverySettings()).files
        start = time.perf_counter()
        cpu = cpu_seconds()
        lines = 0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for file in files:
                source = (root / file.path).read_bytes()
                lines += source.count(b"\n")
                with contextlib.suppress(SyntaxError, ValueError):
                    ast.parse(source)
        elapsed = time.perf_counter() - start
        return {
            "seconds": elapsed,
            "cpu_seconds": cpu_seconds() - cpu,
            "lines": lines,
            "files": len(files),
            "peak_mib": peak_memory_mib(),
        }
    options = ScanOptions(root=root, jobs=jobs, use_cache=True, cache_dir=cache_dir)
    marks: dict[str, tuple[float, float]] = {}  # stage → (wall clock, CPU time) when it began

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in marks:
            marks[stage] = (time.perf_counter(), cpu_seconds())

    start = (time.perf_counter(), cpu_seconds())
    report = run(options, progress)
    ran = (time.perf_counter(), cpu_seconds())
    render_json(report, RenderOptions())
    rendered = (time.perf_counter(), cpu_seconds())
    order = [("read", start), *sorted(marks.items(), key=lambda item: item[1]), ("render", ran)]
    result = {f"{stage}_{unit}": 0.0 for stage in STAGES for unit in ("seconds", "cpu")}
    for (stage, began), (_, ended) in zip(order, [*order[1:], ("end", rendered)], strict=True):
        result[f"{stage}_seconds"] += ended[0] - began[0]
        result[f"{stage}_cpu"] += ended[1] - began[1]  # the parse workers' CPU counts once they are reaped
    result.update(
        seconds=rendered[0] - start[0],
        cpu_seconds=rendered[1] - start[1],
        lines=float(report.project.totals.lines),
        files=float(report.project.totals.analyzed),
        peak_mib=peak_memory_mib(),
    )
    return result


def measure(mode: str, root: Path, jobs: int, cache_dir: Path) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--jobs", str(jobs), "--cache-dir", str(cache_dir), str(root)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)


def edit_one_file(root: Path) -> Path:
    """Append a function to the analyzed file of median size (deterministic): a real edit, new facts."""
    from migrate_scan.stages.discover import DiscoverySettings, discover

    files = sorted(discover(root, DiscoverySettings()).files, key=lambda f: (f.size, f.path))
    target = root / files[len(files) // 2].path
    with open(target, "a", encoding="utf-8") as handle:
        handle.write("\n\ndef _bench_edit(value):\n    return str(value).strip()\n")
    return target


def retouch_one_file(root: Path) -> Path:
    """Reword one full-line comment (past the lines a coding cookie may use) in the analyzed file of median size
    or the next larger one having such a comment (deterministic): new bytes, the same parse results."""
    from migrate_scan.stages.discover import DiscoverySettings, discover

    files = sorted(discover(root, DiscoverySettings()).files, key=lambda f: (f.size, f.path))
    for file in files[len(files) // 2 :]:
        target = root / file.path
        lines = target.read_text(encoding="utf-8", errors="surrogateescape").splitlines(keepends=True)
        for number, line in enumerate(lines[2:], start=2):
            text = line.strip()
            if text.startswith("#") and "coding" not in text and "migrate-scan" not in text and text != "#":
                lines[number] = line[: len(line) - len(line.lstrip())] + "# (reworded by the benchmark)\n"
                target.write_text("".join(lines), encoding="utf-8", errors="surrogateescape")
                return target
    raise SystemExit(f"no comment to reword under {root}")


def bench(root: Path, jobs: int, repeat: int) -> None:
    load_before = f"{os.getloadavg()[0]:.1f}"
    with tempfile.TemporaryDirectory(prefix="migrate-scan-bench-") as scratch:
        tree = Path(scratch) / root.name  # a copy: the benchmark edits a file, never in the scanned tree
        shutil.copytree(root, tree, ignore=shutil.ignore_patterns(".git", "__pycache__", "node_modules"))
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in ("floor", *RUNS)}
        for attempt in range(repeat):
            cache_dir = Path(scratch) / f"cache{attempt}"
            runs["floor"].append(measure("floor", tree, jobs, cache_dir))
            runs["cold"].append(measure("run", tree, jobs, cache_dir))
            runs["unchanged"].append(measure("run", tree, jobs, cache_dir))
            edited = edit_one_file(tree)
            runs["edited"].append(measure("run", tree, jobs, cache_dir))
            shutil.copy2(root / edited.relative_to(tree), edited)
            retouched = retouch_one_file(tree)
            runs["retouched"].append(measure("run", tree, jobs, cache_dir))
            shutil.copy2(root / retouched.relative_to(tree), retouched)
    results = {name: median_run(values) for name, values in runs.items()}
    floor = results["floor"]["seconds"]
    cold = results["cold"]
    print(f"\n{root}  ({int(cold['files'])} files, {int(cold['lines']):,} lines, --jobs {jobs}, median of {repeat})")
    print(f"floor (read + ast.parse, 1 core): {floor:.2f} s ({results['floor']['cpu_seconds']:.2f} s CPU)")
    print(f"load average before / after: {load_before} / {os.getloadavg()[0]:.1f}")
    header = "".join(f"{stage:>10}" for stage in STAGES)
    print(
        f"{'run':<10}{header}{'total':>10}{'x floor':>9}{'link+rec':>10}{'CPU s':>8}{'x floor':>9}"
        f"{'peak MiB':>10}{'MiB/100k':>10}"
    )
    for name in RUNS:
        result = results[name]
        cells = "".join(f"{result[f'{stage}_seconds']:>10.2f}" for stage in STAGES)
        analysis = (result["link_seconds"] + result["recognize_seconds"]) / floor
        per_lines = result["peak_mib"] / result["lines"] * 100_000
        cpu_ratio = result["cpu_seconds"] / results["floor"]["cpu_seconds"]
        print(
            f"{name:<10}{cells}{result['seconds']:>10.2f}{result['seconds'] / floor:>9.2f}"
            f"{analysis:>9.2f}x{result['cpu_seconds']:>8.2f}{cpu_ratio:>9.2f}{result['peak_mib']:>10.0f}{per_lines:>10.0f}"
        )
    floor_cpu = results["floor"]["cpu_seconds"]
    print("\nCPU seconds per stage (the scan and its parse workers):")
    print(f"{'run':<10}{header}{'total':>10}{'x floor':>9}{'link+rec':>10}")
    for name in RUNS:
        result = results[name]
        cells = "".join(f"{result[f'{stage}_cpu']:>10.2f}" for stage in STAGES)
        analysis = (result["link_cpu"] + result["recognize_cpu"]) / floor_cpu
        print(
            f"{name:<10}{cells}{result['cpu_seconds']:>10.2f}{result['cpu_seconds'] / floor_cpu:>9.2f}{analysis:>9.2f}x"
        )
    print(
        "Seconds per stage (wall) in the first table, CPU seconds in the second; 'x floor' is the whole run over the\n"
        "floor (wall over wall, CPU over the floor's CPU time: steadier on a loaded machine), 'link+rec' link and\n"
        "recognize over it."
    )


def median_run(values: list[dict[str, float]]) -> dict[str, float]:
    """Each figure's median over the repeated runs."""
    return {key: statistics.median(v[key] for v in values) for key in values[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; medians are printed")
    parser.add_argument("--child", choices=("floor", "run"))
    parser.add_argument("--cache-dir", type=Path)
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(child(arguments.child, arguments.paths[0].resolve(), arguments.jobs, arguments.cache_dir)))
        return
    for path in arguments.paths or [django_source()]:
        bench(path.resolve(), arguments.jobs, arguments.repeat)


if __name__ == "__main__":
    main()
