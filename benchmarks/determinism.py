"""Determinism harness: one tree must give one report, byte for byte, however it is scanned.

Usage:
    python benchmarks/determinism.py PATH [PATH...]
    python benchmarks/determinism.py --seeds 1,2,3 --max-diffs 5 PATH
    python benchmarks/determinism.py --no-edit PATH       # skip the edit-then-revert variant

For each PATH, runs `migrate-scan PATH --format json` in fresh interpreters:

- cold (no cache) with every `PYTHONHASHSEED` in `--seeds` (at least three), `--jobs 2`;
- cold with `--jobs 1` (the first seed);
- into an empty `--cache-dir`; from its parse facts with the stored report deleted (so
  the analysis is redone from cached facts); then fully cached (the report reused);
- unless `--no-edit`: on a copy of the tree (never the tree itself), a cached scan
  after appending a line to one file and then reverting it (the cache holds the
  edited file's facts too, and any incremental state of the scan sees the edit).

Every output is compared with the first one. On a difference it prints the first
differing JSON path (`$.contexts[3].coupling: 343.5 != 344.5`) and how many leaves
differ; the exit status is 1 if any variant differed. Every variant imports
migrate_scan anew: do not edit or rebase the checkout it runs from meanwhile (or
point PYTHONPATH at a frozen copy: `git archive HEAD src heuristics | tar -x -C DIR`,
then `PYTHONPATH=DIR/src`). A script, not a test: a real
codebase takes minutes per variant on a shared machine. The CI test
tests/functional/test_determinism_generated.py runs the same comparisons over a
generated tree.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Variant:
    """One way to scan the tree: its name, the CLI's extra arguments, the hash seed."""

    name: str
    arguments: tuple[str, ...]
    seed: str
    forget_analyses: Path | None = None  # a cache folder whose stored reports are deleted first


def scan(root: Path, variant: Variant) -> tuple[bytes, float]:
    """The JSON report of one scan in a fresh interpreter, and its wall time in seconds.

    Raises:
        RuntimeError: the scan exited with a status other than 0.
    """
    if variant.forget_analyses is not None:
        forget_analyses(variant.forget_analyses)
    environment = {**os.environ, "PYTHONHASHSEED": variant.seed}
    command = [sys.executable, "-m", "migrate_scan", str(root), "--format", "json", *variant.arguments]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, env=environment, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        error = result.stderr.decode(errors="replace")[-2000:]
        raise RuntimeError(f"{variant.name}: exit {result.returncode}: {error}")
    return result.stdout, elapsed


def differences(left: object, right: object, path: str = "$") -> Iterator[str]:
    """Every leaf where two JSON values differ, in document order (keys sorted), as `path: left != right`."""
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(left.keys() | right.keys()):
            child = f"{path}.{key}"
            if key not in left or key not in right:
                yield f"{child}: {_presence(key, left)} != {_presence(key, right)}"
            else:
                yield from differences(left[key], right[key], child)
    elif isinstance(left, list) and isinstance(right, list):
        for index, (first, second) in enumerate(zip(left, right, strict=False)):
            yield from differences(first, second, f"{path}[{index}]")
        if len(left) != len(right):
            yield f"{path}: length {len(left)} != {len(right)}"
    elif left != right or type(left) is not type(right):
        yield f"{path}: {_short(left)} != {_short(right)}"


def first_difference(expected: bytes, actual: bytes, limit: int = 1) -> tuple[list[str], int]:
    """The first `limit` differing JSON paths between two reports and the number of differing leaves."""
    found = list(differences(json.loads(expected), json.loads(actual)))
    if not found and expected != actual:
        found = ["$: same JSON value, different bytes (formatting)"]
    return found[:limit], len(found)


def _presence(key: str, mapping: dict[str, object]) -> str:
    return "present" if key in mapping else "missing"


def _short(value: object) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 120 else text[:117] + "..."


def variants(seeds: list[str], cache: Path) -> list[Variant]:
    """The cold, worker-count and cache variants, the first one being the reference."""
    cold = ("--no-cache", "--jobs", "2")
    found = [Variant(f"cold, PYTHONHASHSEED={seed}, --jobs 2", cold, seed) for seed in seeds]
    found.append(Variant(f"cold, PYTHONHASHSEED={seeds[0]}, --jobs 1", ("--no-cache", "--jobs", "1"), seeds[0]))
    cached = ("--cache-dir", str(cache), "--jobs", "2")
    found.append(Variant(f"filling an empty cache, PYTHONHASHSEED={seeds[1]}", cached, seeds[1]))
    found.append(
        Variant(
            f"parse facts cached, analysis redone, PYTHONHASHSEED={seeds[2]}, --jobs 1",
            ("--cache-dir", str(cache), "--jobs", "1"),
            seeds[2],
            forget_analyses=cache,
        )
    )
    found.append(Variant(f"fully cached (the stored report reused), PYTHONHASHSEED={seeds[0]}", cached, seeds[0]))
    return found


def forget_analyses(cache: Path) -> None:
    """Delete the whole-report entries of a cache folder (`analysis-v*`), keeping the parse facts."""
    for folder in cache.glob("analysis-v*"):
        shutil.rmtree(folder)


def edited_file(root: Path) -> Path:
    """The file the edit-then-revert variant changes: the largest Python file (most facts at stake)."""
    files = [p for p in root.rglob("*.py") if p.is_file() and not p.is_symlink()]
    return max(files, key=lambda p: (p.stat().st_size, str(p)))


def edit_then_revert(root: Path, seed: str, work: Path) -> bytes:
    """The cached scan of a copy of the tree after one file was edited, scanned, and restored."""
    copy = work / "edit" / root.name
    shutil.copytree(root, copy, symlinks=True, ignore=shutil.ignore_patterns("__pycache__", ".git"))
    cache = ("--cache-dir", str(work / "edit-cache"), "--jobs", "2")
    scan(copy, Variant("before the edit", cache, seed))
    target = edited_file(copy)
    original = target.read_bytes()
    target.write_bytes(original + b"\n_determinism_probe = 1\n")
    scan(copy, Variant("edited", cache, seed))
    target.write_bytes(original)
    output, _ = scan(copy, Variant("reverted", cache, seed))
    return output


def check(root: Path, seeds: list[str], max_diffs: int, with_edit: bool) -> bool:
    """Run every variant over one tree and print the verdicts; True if all gave the same bytes."""
    print(f"== {root}")
    same = True
    with tempfile.TemporaryDirectory(prefix="determinism-") as scratch:
        work = Path(scratch)
        reference: bytes | None = None
        for variant in variants(seeds, work / "cache"):
            output, elapsed = scan(root, variant)
            if reference is None:
                reference = output
                print(f"  reference   {variant.name}: {len(output):,} bytes in {elapsed:.1f} s")
                continue
            same &= report(variant.name, reference, output, max_diffs, elapsed)
        if with_edit and reference is not None:
            started = time.perf_counter()
            output = edit_then_revert(root, seeds[0], work)
            # The copy has the same folder name, so the reports are comparable byte for byte.
            same &= report(
                "cached, after editing a file and reverting it",
                reference,
                output,
                max_diffs,
                time.perf_counter() - started,
            )
    return same


def report(name: str, reference: bytes, output: bytes, max_diffs: int, elapsed: float) -> bool:
    """Print one variant's verdict; True if its bytes equal the reference's."""
    if output == reference:
        print(f"  identical   {name} ({elapsed:.1f} s)")
        return True
    paths, total = first_difference(reference, output, max_diffs)
    print(f"  DIFFERENT   {name} ({elapsed:.1f} s): {total} differing leaves; first:")
    for path in paths:
        print(f"      {path}")
    return False


def main() -> int:
    """Parse the arguments and check every path; exit 1 if any report differed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--seeds", default="1,2,3", help="comma-separated PYTHONHASHSEED values (at least three)")
    parser.add_argument("--max-diffs", type=int, default=1, help="differing JSON paths to print per variant")
    parser.add_argument("--no-edit", action="store_true", help="skip the edit-then-revert variant")
    arguments = parser.parse_args()
    seeds = [s.strip() for s in arguments.seeds.split(",") if s.strip()]
    if len(seeds) < 3:
        parser.error("--seeds needs at least three values")
    results = [check(path.resolve(), seeds, arguments.max_diffs, not arguments.no_edit) for path in arguments.paths]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
