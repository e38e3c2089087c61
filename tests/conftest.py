"""Shared fixtures: building trees in tmp_path, scan options with a private cache, the CLI in-process.

No test may touch the user's real cache folder: `_private_cache` points both
`XDG_CACHE_HOME` (for subprocesses) and the CLI's default cache folder at a
temporary one for every test.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from migrate_scan.options import ScanOptions

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def write_files(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write `files` (relative path → text or bytes) under `root`; return `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path_factory.mktemp("user-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.setattr("migrate_scan.cli.default_cache_dir", lambda: folder / "migrate-scan")
    return folder


@pytest.fixture
def write_tree() -> Callable[[Path, Mapping[str, str | bytes]], Path]:
    """`write_tree(root, {relative path: text or bytes})` builds a tree and returns its root."""
    return write_files


@pytest.fixture
def scan_options(tmp_path: Path) -> Callable[..., ScanOptions]:
    """`scan_options(root, **changes)`: one worker, no cache unless asked, cache folder in tmp_path."""

    def make(root: Path, **changes: Any) -> ScanOptions:
        settings: dict[str, Any] = {"root": root, "jobs": 1, "use_cache": False, "cache_dir": tmp_path / "cache"}
        settings.update(changes)
        return ScanOptions(**settings)

    return make


@dataclass(frozen=True)
class CliResult:
    """What one run of the command line did."""

    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run `migrate_scan.cli.main(args)` in this process, as the console script does."""
    from migrate_scan.cli import main

    def run(*args: str | os.PathLike[str]) -> CliResult:
        capsys.readouterr()
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def run_subprocess_cli(*args: str | os.PathLike[str], cwd: Path | None = None, timeout: float = 60) -> CliResult:
    """Run `python -m migrate_scan` in a child process (real exit code, real stderr)."""
    import subprocess

    completed = subprocess.run(
        [sys.executable, "-m", "migrate_scan", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        check=False,
    )
    return CliResult(completed.returncode, completed.stdout, completed.stderr)


@pytest.fixture
def cli_subprocess() -> Callable[..., CliResult]:
    """`cli_subprocess(*args, cwd=None)`: the CLI in a child process."""
    return run_subprocess_cli


@pytest.fixture
def within() -> Callable[[Callable[[], Any], float], Any]:
    """`within(fn, seconds)`: call fn on a daemon thread; fail (instead of hanging) if it takes longer."""

    def call(function: Callable[[], Any], seconds: float) -> Any:
        outcome: dict[str, Any] = {}

        def target() -> None:
            try:
                outcome["value"] = function()
            except BaseException as error:  # re-raised in the test's thread
                outcome["error"] = error

        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        thread.join(seconds)
        if thread.is_alive():
            pytest.fail(f"did not finish within {seconds} s (blocked on a FIFO or a symlink loop?)")
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")

    return call


def snapshot(root: Path) -> dict[str, tuple[int, int, bool]]:
    """Every entry under root (symlinks not followed): relative path → (mtime_ns, size, is_dir)."""
    entries: dict[str, tuple[int, int, bool]] = {}
    for directory, folders, files in os.walk(root, followlinks=False):
        for name in [*folders, *files]:
            path = os.path.join(directory, name)
            info = os.lstat(path)
            entries[os.path.relpath(path, root)] = (info.st_mtime_ns, info.st_size, os.path.isdir(path))
    return entries


@pytest.fixture
def tree_snapshot() -> Callable[[Path], dict[str, tuple[int, int, bool]]]:
    """`tree_snapshot(root)`: relative path → (mtime_ns, size, is_dir) of every entry."""
    return snapshot
