"""Atomic outputs and interruptions: no half-written report or cache entry, no temp file, no orphan worker."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_subprocess_cli, snapshot
from migrate_scan import atomic_files, cli

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and /proc")

APP = {
    "app/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n",
    "app/views.py": "from . import app\n\n\n@app.route('/items')\ndef items():\n    return 'x'\n",
}


def slow_tree(root: Path, files: int = 120) -> Path:
    """A tree that takes seconds to parse on an idle machine: many large generated modules."""
    body = "".join(f"def f{i}(a, b):\n    return g(a + b * {i}, [x for x in range(b)])\n\n" for i in range(4000))
    (root / "big").mkdir(parents=True)
    (root / "big" / "__init__.py").write_text("")
    for index in range(files):
        (root / "big" / f"m{index}.py").write_text(body)
    return root


def temporary_files(*folders: Path) -> list[str]:
    return [str(p) for folder in folders if folder.exists() for p in folder.rglob("*.tmp")]


def children_of(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def is_alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in status


def test_write_atomically_replaces_whole_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(target)

    atomic_files.write_atomically(link, b"new")

    assert target.read_bytes() == b"new" and link.is_symlink()
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)
    assert temporary_files(tmp_path) == []


def test_write_atomically_into_a_device_writes_in_place() -> None:
    atomic_files.write_atomically(Path(os.devnull), b"nothing")  # never renamed over /dev/null


def test_interrupted_write_leaves_the_old_report_and_no_temp_file(
    tmp_path: Path, write_tree, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_tree(tmp_path / "app", APP)
    output = tmp_path / "out" / "report.json"
    output.parent.mkdir()
    output.write_text("the previous report\n")

    def interrupted(source: object, destination: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic_files.os, "replace", interrupted)
    result = run_cli(root, "--format", "json", "--output", output, "--no-cache")

    assert result.exit_code == 130
    assert result.stderr == "migrate-scan: error: interrupted\n"
    assert output.read_text() == "the previous report\n"
    assert temporary_files(output.parent) == []


def test_failed_scan_leaves_the_old_report(tmp_path: Path, write_tree, run_cli, monkeypatch) -> None:
    root = write_tree(tmp_path / "app", APP)
    output = tmp_path / "report.json"
    output.write_text("the previous report\n")

    def crash(report: object, options: object) -> str:
        raise RuntimeError("renderer bug")

    monkeypatch.setitem(cli.RENDERERS, "json", crash)
    result = run_cli(root, "--format", "json", "--output", output, "--no-cache")

    assert result.exit_code == 3
    assert output.read_text() == "the previous report\n"
    assert temporary_files(tmp_path) == []


def _default_interrupt() -> None:
    """In the scan's process before it starts: Ctrl-C as a terminal gives it. A runner that starts the
    test suite in the background hands down SIGINT ignored, and Python then never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize(
    ("signum", "code", "line"), [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")]
)
def test_signal_stops_promptly_without_leftovers(tmp_path: Path, signum: int, code: int, line: str) -> None:
    root = slow_tree(tmp_path / "app")
    cache = tmp_path / "cache"
    output = tmp_path / "out" / "report.json"
    output.parent.mkdir()
    before = snapshot(root)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "migrate_scan",
            str(root),
            "-f",
            "json",
            "-o",
            str(output),
            "-j",
            "2",
            "--cache-dir",
            str(cache),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_interrupt,
    )
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 2 and process.poll() is None:
        workers = children_of(process.pid)
        time.sleep(0.05)
    assert workers, "the scan finished before its workers could be seen"
    time.sleep(0.5)  # let some files reach the cache
    sent = time.monotonic()
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=30)
    elapsed = time.monotonic() - sent

    assert process.returncode == code, stderr
    assert stderr == f"migrate-scan: error: {line}\n"
    assert stdout == ""
    assert elapsed < 5, f"took {elapsed:.1f} s to stop"
    assert not output.exists()
    assert temporary_files(cache, output.parent) == []
    time.sleep(0.2)
    assert [pid for pid in workers if is_alive(pid)] == []
    assert snapshot(root) == before


def test_two_scans_sharing_a_cache_folder(tmp_path: Path, write_tree) -> None:
    files = {
        f"pkg/m{index}.py": f"from pkg import m{index - 1} as prev\n\n\ndef f(x):\n    return prev.f(x)\n"
        for index in range(1, 300)
    }
    root = write_tree(
        tmp_path / "app", {**APP, "pkg/__init__.py": "", "pkg/m0.py": "def f0(x):\n    return x\n", **files}
    )
    cache = tmp_path / "cache"
    expected = run_subprocess_cli(root, "-f", "json", "--no-cache", timeout=300).stdout
    command = [sys.executable, "-m", "migrate_scan", str(root), "-f", "json", "-j", "2", "--cache-dir", str(cache)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]

    assert [run.returncode for run in runs] == [0, 0], [err for _, err in outputs]
    assert [out for out, _ in outputs] == [expected, expected]
    warm = run_subprocess_cli(root, "-f", "json", "--cache-dir", cache, timeout=300)
    assert warm.stdout == expected
    assert temporary_files(cache) == []
    assert len(list(cache.rglob("*.pickle"))) == 303
    assert json.loads(expected)["files"]["analyzed"] == 303
