"""Benchmark: a real tree with a share of its files replaced by hostile entries, against the clean scan.

Usage:
    python benchmarks/hostile_mix.py PATH [--share 0.01] [--jobs 2]

Copies PATH three times into a temporary folder (each copy under the same folder
name, so that reports name the same project): `clean` as it is; `hostile` with
every 1/share-th analyzed module other than a package's `__init__.py` (in path
order) overwritten by a hostile entry
(binary bytes, NUL bytes, Python 2, undecodable bytes, a lying or unknown coding
cookie, 100,000 nested brackets, a module over the size cap, ...) plus a folder
of extras (a FIFO, a symlink loop, a broken symlink, a folder named `x.py`, a
binary whose name is not UTF-8 and holds a newline); `without` with those same
files deleted. Scans each with `--no-cache` and checks that the hostile scan
equals the scan without them, except that `files.skipped` lists each hostile
entry and the totals count them: a bad file costs itself, nothing else. Prints
times, the largest process's peak memory and the differences found. A script,
not a test (it scans a large tree three times).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HOSTILE: tuple[tuple[str, bytes], ...] = (
    ("binary", bytes(range(256)) * 8),
    ("nul", b"x = 1\x00\n"),
    ("python2", b"def pair((a, b)):\n    print a\n"),  # tuple parameters: Python 2 no rewrite keeps on its lines
    ("invalid-utf8", b"NAME = '\xff\xfe'\n"),
    ("lying-cookie", "# coding: ascii\nNAME = 'caf\u00e9'\n".encode()),
    ("deep-brackets", b"x = " + b"(" * 100_000 + b")" * 100_000 + b"\n"),
    ("too-large", b"x = 1\n" * 400_000),
    ("png", b"\x89PNG\r\n\x1a\n" + bytes(300)),
    ("unknown-cookie", b"# coding: klingon\nx = 1\n"),
    ("syntax", b"def f(:\n"),
)


def scan(root: Path, output: Path, jobs: int) -> dict[str, Any]:
    """Scan `root` into `output` (JSON, no cache) in a child process; return its report."""
    start = time.monotonic()
    command = [sys.executable, "-m", "migrate_scan", str(root), "-f", "json", "--no-cache", "-j", str(jobs)]
    done = subprocess.run([*command, "-o", str(output)], capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    print(f"{root.parent.name:8} exit {done.returncode}  {elapsed:6.1f} s  largest process so far {peak} MiB")
    if done.stderr:
        print("  stderr:", done.stderr.strip()[:300])
    report: dict[str, Any] = json.loads(output.read_text("utf-8"))
    return report


def add_extras(root: Path) -> None:
    """Entries no file system walk should trip on, in a folder of their own."""
    extras = root / "zz_hostile_extras"
    extras.mkdir()
    os.mkfifo(extras / "fifo.py")
    os.symlink("..", extras / "loop")
    os.symlink("nowhere.py", extras / "broken.py")
    (extras / "folder.py").mkdir()
    with open(os.path.join(os.fsencode(extras), b"caf\xe9\nbinary.py"), "wb") as handle:
        handle.write(bytes(range(256)))


def compare(hostile: dict[str, Any], without: dict[str, Any]) -> list[str]:
    """What differs once the hostile entries' own lines (skipped files, totals) are set aside."""
    kept = {s["path"] for s in without["files"]["skipped"]}
    trimmed = json.loads(json.dumps(hostile))
    trimmed["files"]["skipped"] = [s for s in hostile["files"]["skipped"] if s["path"] in kept]
    trimmed["project"]["totals"] = without["project"]["totals"]
    return sorted(key for key in set(trimmed) | set(without) if trimmed.get(key) != without.get(key))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--share", type=float, default=0.01, help="share of analyzed files to replace")
    parser.add_argument("--jobs", type=int, default=2)
    arguments = parser.parse_args()
    source = arguments.path.resolve()
    with tempfile.TemporaryDirectory(prefix="hostile-mix-") as folder:
        base = Path(folder)
        copies = {name: base / name / source.name for name in ("clean", "hostile", "without")}
        for copy in copies.values():
            shutil.copytree(source, copy, symlinks=True, ignore=shutil.ignore_patterns(".git"))
        clean = scan(copies["clean"], base / "clean.json", arguments.jobs)
        # Not a package's __init__.py: deleting one (the baseline) would also change what is a package.
        analyzed = sorted(m["file"] for m in clean["modules"] if not m["file"].endswith("__init__.py"))
        chosen = analyzed[:: max(1, round(1 / arguments.share))]
        for index, path in enumerate(chosen):
            (copies["hostile"] / path).write_bytes(HOSTILE[index % len(HOSTILE)][1])
            (copies["without"] / path).unlink()
        add_extras(copies["hostile"])
        print(f"{clean['files']['analyzed']} files analyzed; replaced {len(chosen)}; added 5 extras")
        hostile = scan(copies["hostile"], base / "hostile.json", arguments.jobs)
        without = scan(copies["without"], base / "without.json", arguments.jobs)
        added = [s for s in hostile["files"]["skipped"] if s not in without["files"]["skipped"]]
        print(f"hostile entries listed as skipped: {len(added)}")
        for entry in added:
            print(f"  {entry['path']}: {entry['reason']}")
        print(f"analysis errors: {len(hostile['analysis_errors'])}")
        differences = compare(hostile, without)
        print("differences beyond the hostile entries' own lines:", differences or "none")
        shutil.rmtree(copies["hostile"] / "zz_hostile_extras")  # the FIFO would stall a later walk


if __name__ == "__main__":
    main()
