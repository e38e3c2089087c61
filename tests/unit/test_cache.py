"""The parse cache: hits on a second scan, misses on any change, never the machine's failures."""

from __future__ import annotations

import pickle
import shutil
import sys
import time
from pathlib import Path
from typing import ClassVar

import pytest

from migrate_scan import pipeline, workers
from migrate_scan.cache import FactsCache
from migrate_scan.model.facts import FileSkipped, ParseResult, SkipReason, encode_result
from migrate_scan.stages.parse import ParseRequest, parse_file

TREE = {
    "app/__init__.py": "from .views import index\n",
    "app/views.py": "def index():\n    return render('x')\n",
    "app/models.py": "class Item(Base):\n    name = Column(String)\n",
    "app/broken.py": "def f(:\n",  # a syntax error is a property of the file: cached like facts
    "manage.py": "import sys\n",
}


class SpyCache(FactsCache):
    """The cache the pipeline builds, kept for inspection."""

    made: ClassVar[list[SpyCache]] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        SpyCache.made.append(self)


class SpyPool(workers.ParsePool):
    """The pool the pipeline builds, recording what it was asked to parse."""

    parsed: ClassVar[list[str]] = []

    def parse_all(self, requests, on_result=None, stop=None):
        SpyPool.parsed.extend(r.path for r in requests)
        return super().parse_all(requests, on_result, stop)


@pytest.fixture
def spies(monkeypatch: pytest.MonkeyPatch) -> tuple[type[SpyCache], type[SpyPool]]:
    SpyCache.made = []
    SpyPool.parsed = []
    monkeypatch.setattr(pipeline, "FactsCache", SpyCache)
    monkeypatch.setattr(pipeline, "ParsePool", SpyPool)
    return SpyCache, SpyPool


def scan(options):
    SpyCache.made.clear()
    SpyPool.parsed.clear()
    report = pipeline.run(options)
    return report, SpyCache.made[-1], sorted(SpyPool.parsed)


def test_second_scan_reads_every_file_from_the_cache(tmp_path: Path, write_tree, scan_options, spies) -> None:
    root = write_tree(tmp_path / "proj", TREE)
    options = scan_options(root, use_cache=True)

    cold, cold_cache, cold_parsed = scan(options)
    shutil.rmtree(options.cache_dir / "analysis-v2")  # else the whole analysis is reused, no file read from here
    warm, warm_cache, warm_parsed = scan(options)

    assert cold_parsed == sorted(TREE)
    assert (cold_cache.hits, cold_cache.misses) == (0, len(TREE))
    assert warm_parsed == []
    assert (warm_cache.hits, warm_cache.misses) == (len(TREE), 0)
    assert warm == cold


def test_a_changed_file_is_parsed_again(tmp_path: Path, write_tree, scan_options, spies) -> None:
    root = write_tree(tmp_path / "proj", TREE)
    options = scan_options(root, use_cache=True)
    scan(options)

    (root / "app" / "views.py").write_text("def index():\n    return render('x')\n\n\ndef other():\n    pass\n")
    report, cache, parsed = scan(options)

    assert parsed == ["app/views.py"]
    assert (cache.hits, cache.misses) == (len(TREE) - 1, 1)
    assert {m.file: m.lines for m in report.modules}["app/views.py"] == 6


def test_moving_a_file_is_a_miss(tmp_path: Path, write_tree, scan_options, spies) -> None:
    root = write_tree(tmp_path / "proj", TREE)
    options = scan_options(root, use_cache=True)
    scan(options)

    (root / "app" / "models.py").rename(root / "app" / "entities.py")
    report, _, parsed = scan(options)

    assert parsed == ["app/entities.py"]
    assert "app.entities" in {m.name for m in report.modules}


def test_no_cache_neither_reads_nor_writes(tmp_path: Path, write_tree, scan_options, spies) -> None:
    root = write_tree(tmp_path / "proj", TREE)
    options = scan_options(root, use_cache=False, cache_dir=tmp_path / "never")

    pipeline.run(options)
    pipeline.run(options)

    assert SpyCache.made == []
    assert sorted(SpyPool.parsed) == sorted([*TREE, *TREE])  # every file parsed both times
    assert not (tmp_path / "never").exists()


def failing_parse(request: ParseRequest) -> ParseResult:
    if request.path == "slow.py":
        time.sleep(30)
    if request.path == "crash.py":
        import os

        os._exit(9)
    return parse_file(request)


def test_time_outs_and_crashes_are_not_stored(
    tmp_path: Path, write_tree, scan_options, spies, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_tree(tmp_path / "proj", {"slow.py": "x = 1\n", "crash.py": "y = 2\n", "fine.py": "z = 3\n"})
    options = scan_options(root, use_cache=True, file_timeout=1.0)

    with monkeypatch.context() as patch:
        patch.setattr(workers, "parse_file", failing_parse)  # inherited by the forked workers
        first, _, _ = scan(options)
    second, cache, parsed = scan(options)

    assert {s.path: s.reason for s in first.files.skipped} == {"slow.py": "timeout", "crash.py": "parser-crash"}
    assert len(list((tmp_path / "cache").rglob("*.pickle"))) == 3  # the two retried files are now stored too
    assert parsed == ["crash.py", "slow.py"]
    assert (cache.hits, cache.misses) == (1, 2)
    assert second.files.skipped == []


# -- FactsCache itself ------------------------------------------------------------------------


def test_key_depends_on_content_path_module_kind_and_namespace(tmp_path: Path) -> None:
    cache = FactsCache(tmp_path, "0.1.0:abc")
    base = cache.key(b"x = 1\n", "a/b.py", "a.b", False)

    variants = [
        cache.key(b"x = 2\n", "a/b.py", "a.b", False),
        cache.key(b"x = 1\n", "a/c.py", "a.b", False),
        cache.key(b"x = 1\n", "a/b.py", "b", False),
        cache.key(b"x = 1\n", "a/b.py", "a.b", True),
        FactsCache(tmp_path, "0.1.1:abc").key(b"x = 1\n", "a/b.py", "a.b", False),
        FactsCache(tmp_path, "0.1.0:abd").key(b"x = 1\n", "a/b.py", "a.b", False),
        # Length-prefixed parts: moving a character from the path to the module is another key.
        cache.key(b"x = 1\n", "a/b.p", "ya.b", False),
    ]

    assert base == FactsCache(tmp_path / "elsewhere", "0.1.0:abc").key(b"x = 1\n", "a/b.py", "a.b", False)
    assert len({base, *variants}) == len(variants) + 1


def test_put_then_get_round_trips(tmp_path: Path) -> None:
    cache = FactsCache(tmp_path / "c", "ns")
    result = parse_file(ParseRequest("m.py", "m", False, b"def f():\n    return g()\n"))
    key = cache.key(b"src", "m.py", "m", False)

    assert cache.get(key) is None
    cache.put(key, encode_result(result))

    assert cache.get(key) == result
    assert (cache.hits, cache.misses) == (1, 1)
    assert list((tmp_path / "c").rglob("*.tmp")) == []  # written atomically, nothing left over


DAMAGES = [
    b"",
    b"garbage",
    "truncate",
    b"\x80\x05\x8e" + (2**63 - 1).to_bytes(8, "little"),  # a byte string longer than memory: OverflowError
    b"\x80\x05\x96" + (2**62).to_bytes(8, "little"),  # a byte array as large: MemoryError
    b"cmigrate_scan_no_such_module\nthing\n.",  # a global of a module that is not there: ModuleNotFoundError
    b"cos\ngetcwd\n)R.",  # a call of a global: never made (the wire form names no function)
    pickle.dumps(("F", "m.py", "m"), protocol=pickle.HIGHEST_PROTOCOL),  # a result of another shape
]


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_entry_is_a_miss(tmp_path: Path, damage: bytes | str) -> None:
    """Why: a damaged or foreign entry must cost a parse, never the scan (and never import or call anything)."""
    cache = FactsCache(tmp_path, "ns")
    key = cache.key(b"x", "m.py", "m", False)
    encoded = encode_result(FileSkipped("m.py", "m", SkipReason.SYNTAX_ERROR, "bad", 1))
    cache.put(key, encoded)
    (entry,) = (tmp_path / "facts-v1").rglob("*.pickle")

    entry.write_bytes(encoded[: len(encoded) // 2] if damage == "truncate" else damage)

    assert cache.get(key) is None
    assert (cache.hits, cache.misses) == (0, 1)
    assert "migrate_scan_no_such_module" not in sys.modules


def test_a_complex_literal_survives_the_wire_form(tmp_path: Path) -> None:
    """Why: `complex` is the one global the wire form names; reading it back must not count as damage."""
    cache = FactsCache(tmp_path, "ns")
    result = parse_file(ParseRequest("m.py", "m", False, b"def f():\n    return g(2j)\n"))
    key = cache.key(b"x", "m.py", "m", False)
    cache.put(key, encode_result(result))

    assert cache.get(key) == result


def test_an_unwritable_cache_folder_is_silently_skipped(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = FactsCache(blocker, "ns")

    cache.put("ab" + "0" * 38, b"data")  # must not raise

    assert cache.get("ab" + "0" * 38) is None


# -- the scanned tree is read-only ------------------------------------------------------------


def test_cli_refuses_a_cache_folder_inside_the_scanned_tree(tmp_path: Path, write_tree, run_cli) -> None:
    root = write_tree(tmp_path / "proj", TREE)

    inside = run_cli(root, "--cache-dir", root / "sub" / "cache")
    itself = run_cli(root, "--cache-dir", root)

    assert inside.exit_code == itself.exit_code == 2
    cache = (root / "sub" / "cache").resolve()
    assert inside.stderr == f"migrate-scan: error: the cache folder must be outside the scanned tree: {cache}\n"
    assert itself.stderr.startswith("migrate-scan: error: the cache folder must be outside the scanned tree")
    assert not (root / "sub").exists()


def test_a_scan_never_writes_into_the_scanned_tree(tmp_path: Path, write_tree, run_cli, tree_snapshot) -> None:
    root = write_tree(tmp_path / "proj", {**TREE, "pyproject.toml": "[tool.migrate-scan]\nexclude = []\n"})
    before = tree_snapshot(root)

    cold = run_cli(root, "--cache-dir", tmp_path / "cache", "--format", "json", "--jobs", "2")
    warm = run_cli(root, "--cache-dir", tmp_path / "cache", "--format", "json")

    assert cold.exit_code == warm.exit_code == 0
    assert cold.stdout == warm.stdout
    assert tree_snapshot(root) == before  # no __pycache__, no cache, no touched file
    assert list((tmp_path / "cache").rglob("*.pickle"))
