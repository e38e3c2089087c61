"""Worker processes that parse files, each file under a time limit.

`ParsePool.parse_all` hands `ParseRequest`s to N worker processes (one file at
a time each) and returns one `ParseResult` per request. What no `except` can
catch costs one file, never the scan: a worker killed by a signal (libcst
segfaults on 100,000 nested brackets) or one running past the per-file time
limit (super-linear parses) is replaced, and its file is reported as skipped
with `parser-crash` or `timeout`.

Inside a worker, parsing runs on a thread with a large stack and a raised
recursion limit, so that deep but legitimate trees (long `elif` chains, SQL
built from hundreds of `+` terms) parse instead of hitting RecursionError.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from migrate_scan.model.facts import FileSkipped, ParseResult, SkipReason, decode_result, encode_result
from migrate_scan.stages.parse import ParseRequest, parse_file

WORKER_STACK_BYTES = 512 * 1024 * 1024
WORKER_RECURSION_LIMIT = 200_000
WORKER_MEMORY_BYTES = 4 * 1024 * 1024 * 1024
WORKER_COLLECT_AFTER = 100_000
"""Tracked objects a worker may accumulate between files before it collects cyclic garbage."""


def _serve(connection: Connection) -> None:
    """The worker's loop: receive a request, send its result; stop on None or EOF.

    The cyclic garbage collector is off (see `_worker_main`): a syntax tree has
    no cycles, so reference counting frees each file's objects once its result
    is sent. Should tracked objects pile up anyway (a parser that builds
    cycles), a collection runs between two files.
    """
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        connection.send_bytes(encode_result(parse_file(request)))
        if gc.get_count()[0] > WORKER_COLLECT_AFTER:
            gc.collect()


def _worker_main(connection: Connection, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited through fork
    _die_with_parent(parent)
    _limit_memory()
    gc.disable()  # collections would walk every syntax tree for nothing (a fifth of the parse's CPU time)
    gc.freeze()  # what the worker inherited is never garbage: out of any later collection's way
    sys.setrecursionlimit(WORKER_RECURSION_LIMIT)
    threading.stack_size(WORKER_STACK_BYTES)
    thread = threading.Thread(target=_serve, args=(connection,), name="parse")
    thread.start()
    thread.join()


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker when the scan's process dies, even by SIGKILL: no orphan keeps parsing."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return  # not Linux: a dead parent still closes the pipe, and the worker stops after its file
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _limit_memory() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_BYTES, WORKER_MEMORY_BYTES))
    except (ImportError, ValueError, OSError):
        pass  # not on this platform; the time limit still bounds a runaway parse


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection
    index: int | None = None
    started: float = 0.0


class ParsePool:
    """Parses requests in `jobs` worker processes with a per-file time limit.

    Lifecycle: create, call `parse_all` (workers are started and stopped
    inside it), read the results.
    """

    def __init__(self, jobs: int, time_limit: float) -> None:
        self.jobs = max(1, jobs)
        self.time_limit = time_limit
        self._stop_when: Callable[[], bool] | None = None
        fork = "fork" in multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context("fork") if fork else multiprocessing.get_context("spawn")

    def parse_all(
        self,
        requests: list[ParseRequest],
        on_result: Callable[[ParseResult, bytes | None], None] | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> list[ParseResult]:
        """Parse every request; results come back in request order.

        `on_result` gets each result as it arrives, with its encoded bytes
        (None for a time-out or a crash, which are never worth caching).
        Once `stop()` says so (the memory ceiling), no further request is
        handed out: the ones not parsed have no result in the returned list.
        """
        self._stop_when = stop
        results: list[ParseResult | None] = [None] * len(requests)
        queue = deque(range(len(requests)))
        workers = [self._start() for _ in range(min(self.jobs, len(requests)))]
        try:
            for worker in workers:
                self._assign(worker, queue, requests)
            while any(w.index is not None for w in workers):
                busy = {w.connection: w for w in workers if w.index is not None}
                ready = multiprocessing.connection.wait(list(busy), timeout=self._next_deadline(workers))
                for connection in ready:
                    worker = busy[connection]  # type: ignore[index]
                    index = worker.index
                    assert index is not None
                    result, encoded = self._receive(worker, requests[index])
                    results[index] = result
                    if on_result is not None:
                        on_result(result, encoded)
                    if worker.index is None:  # the worker died and was replaced
                        workers[workers.index(worker)] = worker = self._start()
                    self._assign(worker, queue, requests)
                for position, worker in enumerate(workers):
                    if worker.index is not None and time.monotonic() - worker.started > self.time_limit:
                        index = worker.index
                        self._stop(worker, kill=True)
                        results[index] = _skipped(
                            requests[index], SkipReason.TIMEOUT, f"parsing took over {self.time_limit:g} s"
                        )
                        if on_result is not None:
                            on_result(results[index], None)  # type: ignore[arg-type]
                        workers[position] = replacement = self._start()
                        self._assign(replacement, queue, requests)
        finally:
            for worker in workers:
                self._stop(worker, kill=worker.index is not None)
        return [r for r in results if r is not None]

    def _start(self) -> _Worker:
        parent_end, child_end = self._context.Pipe(duplex=True)
        process = self._context.Process(target=_worker_main, args=(child_end, os.getpid()), daemon=True)
        process.start()
        child_end.close()
        return _Worker(process, parent_end)

    def _assign(self, worker: _Worker, queue: deque[int], requests: list[ParseRequest]) -> None:
        if queue and self._stop_when is not None and self._stop_when():
            queue.clear()
        if not queue:
            worker.index = None
            return
        worker.index = queue.popleft()
        worker.started = time.monotonic()
        # A worker that died since its last result cannot take the request: the next wait() sees EOF
        # and reports the file as a crash.
        with contextlib.suppress(OSError):
            worker.connection.send(requests[worker.index])

    def _receive(self, worker: _Worker, request: ParseRequest) -> tuple[ParseResult, bytes | None]:
        try:
            encoded = worker.connection.recv_bytes()
            return decode_result(encoded), encoded
        except (EOFError, OSError):
            worker.process.join(timeout=5)
            code = worker.process.exitcode
            self._stop(worker, kill=True)
            worker.index = None
            return _skipped(request, SkipReason.PARSER_CRASH, _death_message(code)), None

    def _next_deadline(self, workers: list[_Worker]) -> float:
        now = time.monotonic()
        remaining = [self.time_limit - (now - w.started) for w in workers if w.index is not None]
        return max(0.0, min(remaining, default=self.time_limit)) + 0.01

    @staticmethod
    def _stop(worker: _Worker, *, kill: bool) -> None:
        if kill and worker.process.is_alive():
            worker.process.kill()
        elif worker.process.is_alive():
            try:
                worker.connection.send(None)
            except OSError:
                worker.process.kill()
        worker.process.join(timeout=5)
        worker.connection.close()


def _death_message(exit_code: int | None) -> str:
    if exit_code is not None and exit_code < 0:
        try:
            name = signal.Signals(-exit_code).name
        except ValueError:
            name = f"signal {-exit_code}"
        return f"the parser crashed the worker process ({name})"
    return f"the parser's worker process exited unexpectedly (exit code {exit_code})"


def _skipped(request: ParseRequest, reason: SkipReason, message: str) -> FileSkipped:
    return FileSkipped(path=request.path, module=request.module, reason=reason, message=message)


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
