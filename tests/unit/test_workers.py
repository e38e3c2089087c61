"""The worker pool: per-file time limit, crashed workers, results in request order.

The pool forks its workers (Linux), so a module attribute patched here before
`parse_all` is what the children run: that is how a hanging or crashing
parser is simulated without a real pathological file.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import sys
import time

import pytest

from migrate_scan import workers
from migrate_scan.model.facts import FileFacts, FileSkipped, ParseResult, SkipReason, decode_result, encode_result
from migrate_scan.stages.parse import ParseRequest, parse_file
from migrate_scan.workers import ParsePool, default_jobs

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="relies on the fork start method")


def request(path: str, source: bytes = b"x = 1\n") -> ParseRequest:
    return ParseRequest(path=path, module=path.removesuffix(".py").replace("/", "."), is_package=False, source=source)


def misbehaving_parse(request: ParseRequest) -> ParseResult:
    """parse_file, except for files whose name says how to fail."""
    if request.path == "hang.py":
        time.sleep(30)
    elif request.path == "segfault.py":
        faulthandler.disable()  # pytest's handler, inherited through fork, would print a traceback
        os.kill(os.getpid(), signal.SIGSEGV)
        time.sleep(30)  # the signal may land on another thread a moment later
    elif request.path == "exit.py":
        os._exit(3)
    return parse_file(request)


def test_hanging_and_crashing_parses_cost_one_file_each(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "parse_file", misbehaving_parse)
    paths = ["a.py", "hang.py", "b.py", "segfault.py", "c.py", "exit.py", "d.py"]
    seen: list[tuple[str, bool]] = []

    started = time.monotonic()
    results = ParsePool(jobs=2, time_limit=1.0).parse_all(
        [request(p) for p in paths], lambda result, encoded: seen.append((result.path, encoded is None))
    )
    elapsed = time.monotonic() - started

    assert [r.path for r in results] == paths  # request order, whatever the finishing order
    failures = {r.path: (r.reason, r.message) for r in results if isinstance(r, FileSkipped)}
    assert failures == {
        "hang.py": (SkipReason.TIMEOUT, "parsing took over 1 s"),
        "segfault.py": (SkipReason.PARSER_CRASH, "the parser crashed the worker process (SIGSEGV)"),
        "exit.py": (SkipReason.PARSER_CRASH, "the parser's worker process exited unexpectedly (exit code 3)"),
    }
    assert all(isinstance(r, FileFacts) for r in results if r.path not in failures)
    # Every result is reported once; time-outs and crashes come without bytes (never cached).
    assert sorted(seen) == sorted((p, p in failures) for p in paths)
    assert elapsed < 20


def test_a_worker_that_dies_between_files_costs_only_the_next_file(monkeypatch: pytest.MonkeyPatch) -> None:
    def serve_then_die(connection) -> None:
        while True:
            item = connection.recv()
            if item is None:
                return
            connection.send_bytes(encode_result(parse_file(item)))
            if item.path == "last_words.py":
                os._exit(0)  # after answering: the parent may still hand this worker a request

    monkeypatch.setattr(workers, "_serve", serve_then_die)
    paths = ["a.py", "last_words.py", "orphan.py", "b.py", "c.py"]

    results = ParsePool(jobs=1, time_limit=30).parse_all([request(p) for p in paths])

    assert [r.path for r in results] == paths
    outcome = {r.path: (r.reason, r.message) if isinstance(r, FileSkipped) else "ok" for r in results}
    assert outcome == {
        "a.py": "ok",
        "last_words.py": "ok",
        "orphan.py": (SkipReason.PARSER_CRASH, "the parser's worker process exited unexpectedly (exit code 0)"),
        "b.py": "ok",
        "c.py": "ok",
    }


def test_results_come_back_in_request_order_with_facts_and_bytes() -> None:
    sources = {f"m{i}.py": (b"def f():\n    return g()\n" * (40 - i * 4)) for i in range(10)}
    received: dict[str, bytes | None] = {}

    results = ParsePool(jobs=2, time_limit=30).parse_all(
        [request(p, s) for p, s in sources.items()], lambda result, encoded: received.update({result.path: encoded})
    )

    assert [r.path for r in results] == list(sources)
    assert [r.module for r in results] == [f"m{i}" for i in range(10)]
    for result in results:
        assert isinstance(result, FileFacts)
        assert result == parse_file(request(result.path, sources[result.path]))
        assert decode_result(received[result.path]) == result  # the bytes handed out are the result


def test_a_skip_computed_in_the_worker_is_returned_with_its_bytes() -> None:
    received: list[bytes | None] = []

    (result,) = ParsePool(jobs=1, time_limit=30).parse_all(
        [request("bad.py", b"def f(:\n")], lambda result, encoded: received.append(encoded)
    )

    assert result == FileSkipped("bad.py", "bad", SkipReason.SYNTAX_ERROR, "invalid syntax", 1)
    assert received[0] is not None and decode_result(received[0]) == result


def test_no_requests_no_workers() -> None:
    assert ParsePool(jobs=4, time_limit=1).parse_all([]) == []


def test_jobs_is_at_least_one_and_default_jobs_counts_usable_cores() -> None:
    assert ParsePool(jobs=0, time_limit=1).jobs == 1
    assert default_jobs() == len(os.sched_getaffinity(0))


def test_the_scan_pauses_cycle_collection_and_restores_it() -> None:
    """Why: collections walk every fact for nothing; the pause must not outlive the scan, nor enable a disabled GC."""
    import gc

    from migrate_scan.model.memory import cycle_collection_paused

    assert gc.isenabled()
    with cycle_collection_paused():
        assert not gc.isenabled()
        with cycle_collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with cycle_collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
