"""The CLI over the hostile corpus (`tests/hostile_corpus.py`) in every format.

Every entry is accounted for as expected (analyzed, skipped with its reason, excluded, or
ignored as not Python source), nothing crashes, nothing is written into the tree (tripwire
modules would write a file if imported or run), and the JSON is byte-identical with and
without the cache.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from hostile_corpus import TRIPWIRE_MARKER, Entry, restore_permissions, write_corpus

from conftest import CliResult, run_subprocess_cli, snapshot
from migrate_scan.render import RENDERERS

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX names, FIFOs and permissions")

_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202e]")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Entry]]:
    root = tmp_path_factory.mktemp("hostile") / "corpus"
    entries = write_corpus(root)
    yield root, entries
    restore_permissions(root)


@pytest.fixture(scope="module")
def scans(corpus: tuple[Path, list[Entry]], tmp_path_factory: pytest.TempPathFactory) -> dict[str, CliResult]:
    """The JSON report cold without cache, cold into a cache, warm from it; every other format warm."""
    root, _ = corpus
    before = snapshot(root)
    cache = tmp_path_factory.mktemp("hostile-cache")
    cwd = tmp_path_factory.mktemp("hostile-cwd")
    results = {
        "json-no-cache": run_subprocess_cli(root, "-f", "json", "--no-cache", cwd=cwd, timeout=300),
        "json-cold": run_subprocess_cli(root, "-f", "json", "--cache-dir", cache, cwd=cwd, timeout=300),
        "json": run_subprocess_cli(root, "-f", "json", "--cache-dir", cache, cwd=cwd, timeout=300),
    }
    for output_format in sorted(set(RENDERERS) - {"json"}):
        results[output_format] = run_subprocess_cli(root, "-f", output_format, "--cache-dir", cache, cwd=cwd)
    assert snapshot(root) == before, "the scan wrote into the scanned tree"
    assert list(cwd.iterdir()) == [], "the scan wrote into its working folder"
    return results


def test_every_format_completes_without_errors(scans: dict[str, CliResult]) -> None:
    for name, result in scans.items():
        assert (result.exit_code, result.stderr) == (0, ""), name
        assert result.stdout, name


def test_json_is_byte_identical_with_and_without_the_cache(scans: dict[str, CliResult]) -> None:
    assert scans["json-no-cache"].stdout == scans["json-cold"].stdout == scans["json"].stdout


def test_every_entry_is_accounted_for(corpus: tuple[Path, list[Entry]], scans: dict[str, CliResult]) -> None:
    _, entries = corpus
    report = json.loads(scans["json"].stdout)
    analyzed = {m["file"] for m in report["modules"]}
    skipped = {s["path"]: s["reason"] for s in report["files"]["skipped"]}
    excluded = [e["path"] for e in report["files"]["excluded"]]

    def is_excluded(path: str) -> bool:
        return any(path == e or (e.endswith("/") and path.startswith(e)) for e in excluded)

    outcomes = {}
    for entry in entries:
        if entry.path in analyzed:
            outcomes[entry.path] = "analyzed"
        elif entry.path in skipped:
            outcomes[entry.path] = f"skipped:{skipped[entry.path]}"
        elif is_excluded(entry.path):
            outcomes[entry.path] = "excluded"
        else:
            outcomes[entry.path] = "ignored"
    assert outcomes == {entry.path: entry.outcome for entry in entries}
    listed = analyzed | set(skipped)
    assert listed <= {entry.path for entry in entries}, "the report lists a file the corpus does not hold"
    assert report["analysis_errors"] == []
    assert report["project"]["totals"]["files"] == len(listed)


def test_nothing_ran(corpus: tuple[Path, list[Entry]], scans: dict[str, CliResult]) -> None:
    root, _ = corpus
    for name in (TRIPWIRE_MARKER, "SHELL-RAN", "EXEC-RAN", "pwned"):
        assert not list(root.rglob(name)), name


def test_no_raw_control_character_from_a_name(scans: dict[str, CliResult]) -> None:
    for output_format in ("text", "markdown", "html"):
        text = scans[output_format].stdout
        assert "new\nline" not in text, output_format
        assert not _RAW_CONTROL.search(text), output_format
    json.loads(scans["sarif"].stdout)
