"""Hostile file names: analyzed like any other file and written with one escaping in every format."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from migrate_scan.cache import FactsCache
from migrate_scan.render import RENDERERS

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names are bytes")

VIEW = b"from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/x')\ndef x():\n    return 'x'\n"
NAMES = {
    # raw name (bytes) -> the escaped spelling every format must use
    b"caf\xe9.py": "caf\\xe9.py",  # latin-1, not UTF-8: the crash of issue 12
    b"new\nline.py": "new\\nline.py",
    b"bell\x07.py": "bell\\x07.py",
    b"-rf.py": "-rf.py",
    b"$(touch pwned).py": "$(touch pwned).py",
    b"\xe2\x80\xaeyp.py": "\\u202eyp.py",  # right-to-left override
    b"back\\slash.py": "back\\\\slash.py",
    "名前.py".encode(): "名前.py",
}
_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202e]")


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    root = tmp_path / "hostile"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_bytes(b"")
    for raw in NAMES:
        with open(os.path.join(os.fsencode(root / "pkg"), raw), "wb") as handle:
            handle.write(VIEW)
    return root


def test_non_utf8_name_scans_and_writes_the_report(hostile: Path, tmp_path: Path, run_cli) -> None:
    output = tmp_path / "out" / "report.json"
    output.parent.mkdir()
    result = run_cli(hostile, "--format", "json", "--output", output)

    assert result.exit_code == 0, result.stderr
    report = json.loads(output.read_text(encoding="utf-8"))
    files = {m["file"] for m in report["modules"]}
    assert {f"pkg/{escaped}" for escaped in NAMES.values()} <= files
    assert report["files"]["skipped"] == []
    assert len(report["routes"]) == len(NAMES)


@pytest.mark.parametrize("output_format", sorted(RENDERERS))
def test_every_format_uses_the_escaped_name(hostile: Path, run_cli, output_format: str) -> None:
    result = run_cli(hostile, "--format", output_format, "--no-cache")

    assert result.exit_code == 0, result.stderr
    text = result.stdout
    text.encode("utf-8")
    assert not _RAW_CONTROL.search(text)
    if output_format == "json":
        assert "pkg/caf\\\\xe9.py" in text  # JSON escapes the backslash once more
    elif output_format == "sarif":
        assert "pkg/caf%E9.py" in text or "caf" not in text  # a URI: the real bytes, percent-encoded
    elif output_format in ("markdown", "html"):
        assert "caf\\xe9" in text or "caf\\\\xe9" in text  # Markdown prose escapes a backslash as \\
    if output_format in ("markdown", "html"):
        assert "new\nline" not in text


def test_cache_is_keyed_by_the_name_bytes(tmp_path: Path) -> None:
    cache = FactsCache(tmp_path, "v")
    latin = cache.key(b"x = 1\n", b"caf\xe9.py", "caf\\xe9", False)
    utf8 = cache.key(b"x = 1\n", "café.py".encode(), "caf\\xe9", False)
    literal = cache.key(b"x = 1\n", b"caf\\xe9.py", "caf\\xe9", False)

    assert len({latin, utf8, literal}) == 3
    assert latin == cache.key(b"x = 1\n", os.fsdecode(b"caf\xe9.py"), "caf\\xe9", False)


def test_second_scan_reads_hostile_names_from_the_cache(hostile: Path, tmp_path: Path, run_cli) -> None:
    cache = tmp_path / "cache"
    first = run_cli(hostile, "--format", "json", "--cache-dir", cache)
    second = run_cli(hostile, "--format", "json", "--cache-dir", cache)

    assert first.exit_code == second.exit_code == 0
    assert first.stdout == second.stdout


def test_surrogates_in_string_literals_do_not_break_the_report(tmp_path: Path, write_tree, run_cli) -> None:
    root = write_tree(
        tmp_path / "app",
        {
            "views.py": "from flask import Flask\napp = Flask(__name__)\n\n"
            '@app.route("/caf\\udce9")\ndef v():\n    """\\ud800"""\n'
        },
    )
    result = run_cli(root, "--format", "json", "--no-cache")

    assert result.exit_code == 0, result.stderr
    routes = json.loads(result.stdout)["routes"]
    assert [r["raw_path"] for r in routes] == ["/caf\\udce9"]
