"""Trace the SQL an application runs, attributed to the entry point that runs it (run-time side).

Imported with the *application's own* interpreter by a test-runner hook beside this file
(``django_runner.py`` for Django's test runner, ``pytest_trace.py`` for pytest, ``drive_flask.py`` for apps
driven route by route). Nothing here is migrate-scan code, and nothing is written into the checkout.

Configuration comes from the environment:

- ``DATAACCESS_OUT``: the raw trace written at the end (JSON);
- ``DATAACCESS_SCAN_ROOT``: the folder migrate-scan scans (decides which code is the app's own);
- ``DATAACCESS_TRUTH``: the app's ``benchmarks/realworld/truth/<app>.json`` (jobs and receivers whose code
  marks an entry point when it is on the stack).

Attribution of one statement (``record``):

- the *request* in flight, if any: the resolved view (Django: ``request.resolver_match``; Flask:
  ``request.url_rule`` -> ``app.view_functions``), with the path template and method. A statement runs in
  the request's ``view`` scope when it runs inside the view phase (Django: after URL resolution, in
  ``BaseHandler._get_response``, which also renders a ``TemplateResponse``; Flask: inside
  ``Flask.dispatch_request``), else in its ``framework`` scope (middleware, ``before_request`` hooks, the
  session saved after the response). Inside the view phase, a statement made by the authentication or
  session machinery (Django's ``contrib.auth``/``contrib.sessions``, DRF's authentication, Flask-Login) is
  the view's only when the code that asked for the user is the app's own (the view reading
  ``request.user.profile``), and the framework's when a decorator, a permission class or a template asked;
- a statement of the view phase made by the app's own code that a template called (``{{
  current_user.unread_message_count() }}``) is the route's ``template`` scope; a lazy query the view built
  and the template only iterates stays the view's;
- every job and receiver of the truth file whose code is on the stack (a Celery task's function, a command
  class's own methods, a signal receiver), in its ``view`` scope: a statement run by a receiver inside a view
  counts for both.

Statements outside any entry point are counted (``unattributed``), not kept.
"""

from __future__ import annotations

import atexit
import contextlib
import contextvars
import importlib
import inspect
import json
import os
import sys
import threading
import types
from collections import defaultdict
from typing import Any

Entry = tuple[str, ...]

_OUT = os.environ.get("DATAACCESS_OUT", "")
_SCAN_ROOT = os.path.realpath(os.environ.get("DATAACCESS_SCAN_ROOT", os.getcwd())) + os.sep
_TRUTH = os.environ.get("DATAACCESS_TRUTH", "")

# The session store (always the framework's) and the user loaders and permission checkers of the auth
# machinery (the view's when its own code asks, the framework's when a decorator or permission class does):
# module prefix -> function names (empty: every function of the module).
_SESSION_MACHINERY = {"django.contrib.sessions": frozenset()}
_USER_LOADERS = {
    "django.contrib.auth": frozenset({"get_user", "aget_user", "_get_user", "auser"}),
    "django.contrib.auth.middleware": frozenset(),
    "django.contrib.auth.backends": frozenset(),
    "django.contrib.auth.models": frozenset(
        {
            "has_perm",
            "has_perms",
            "has_module_perms",
            "get_all_permissions",
            "get_user_permissions",
            "get_group_permissions",
            "_user_has_perm",
            "_user_has_module_perms",
            "_user_get_permissions",
        }
    ),
    "guardian.backends": frozenset(),
    "guardian.core": frozenset(),
    "rest_framework.authentication": frozenset(),
    "rest_framework.request": frozenset({"_authenticate", "user", "auth", "_not_authenticated"}),
    "flask_login": frozenset(
        {
            "_get_user",
            "_load_user",
            "_load_user_from_request",
            "_load_user_from_header",
            "_load_user_from_cookie",
            "_load_user_from_remember_cookie",
            "_user_context_processor",
        }
    ),
}
_TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "PRAGMA")
_GLUE_MODULES = ("django.utils.functional", "werkzeug.local")
_TEST_PARTS = frozenset({"tests", "testing"})  # anywhere; a ``test`` folder only at the top (dojo/test/ is an app)


class _Request:
    """The request in flight: its entry key, and whether the view phase has begun."""

    def __init__(self) -> None:
        self.entry: Entry | None = None
        self.also: list[Entry] = []  # further entries the request serves (the other fields of a GraphQL operation)
        self.view_phase = False
        self.pending: list[str] = []  # statements run before the route was known (outer middleware)


_current: contextvars.ContextVar[_Request | None] = contextvars.ContextVar("dataaccess_request", default=None)


class Trace:
    """Statements per entry point and scope (counted), tables known, counters."""

    def __init__(self) -> None:
        self.statements: dict[Entry, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
        self.entries: dict[Entry, dict[str, Any]] = {}
        self.code_entries: dict[types.CodeType, Entry] = {}
        self.tables: dict[str, dict[str, Any]] = {}
        self.counters: dict[str, int] = defaultdict(int)
        self.requests: dict[Entry, int] = defaultdict(int)
        self.statuses: dict[Entry, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.notes: list[str] = []
        self.lock = threading.Lock()
        self._own_cache: dict[str, bool] = {}

    # -- code ownership

    def own_file(self, filename: str) -> bool:
        """True when a frame's file is the app's own code (under the scan root), tests excluded."""
        known = self._own_cache.get(filename)
        if known is None:
            real = os.path.realpath(filename)
            known = real.startswith(_SCAN_ROOT) and not _is_test_path(real[len(_SCAN_ROOT) :])
            self._own_cache[filename] = known
        return known

    # -- recording

    def record(self, sql: str) -> None:
        """Attribute one statement to the request in flight and to the jobs/receivers on the stack."""
        if sql.lstrip()[:9].upper().startswith(_TRANSACTION_CONTROL):
            self.counters["transaction_control"] += 1
            return
        frames = _stack()
        request = _current.get()
        targets: list[tuple[Entry, str]] = []
        if request is not None and request.entry is not None:
            scope = "view" if request.view_phase and not self._framework_auth(frames) else "framework"
            if scope == "view" and self._called_from_template(frames):
                scope = "template"
            targets.append((request.entry, scope))
            targets.extend((other, scope) for other in request.also)
        elif request is not None:
            with self.lock:
                request.pending.append(sql)
        seen: set[Entry] = set()
        for frame in frames:
            entry = self.code_entries.get(frame.f_code)
            if entry is not None and entry not in seen:
                seen.add(entry)
                targets.append((entry, "view"))
        with self.lock:
            self.counters["statements"] += 1
            if not targets and request is None:
                self.counters["unattributed"] += 1
            for entry, scope in targets:
                bucket = self.statements[entry][scope]
                bucket[sql] = bucket.get(sql, 0) + 1

    def _framework_auth(self, frames: list[types.FrameType]) -> bool:
        """True when the statement is the session's, or a user load that code not the app's own asked for.

        ``frames`` go from the outermost to the innermost. The innermost frame of the machinery decides:
        the session store is always the framework's; for a user loader, the first frame outside the loader
        and the glue (lazy objects, proxies) is the one that asked: the app's own code (the view reading
        ``request.user.profile``), or a decorator, mixin, permission class or template.
        """
        for index in range(len(frames) - 1, -1, -1):
            kind = _machinery(frames[index])
            if kind is None:
                continue
            if kind == "session":
                return True
            for caller in reversed(frames[:index]):
                if _machinery(caller) is not None or _module(caller).startswith(_GLUE_MODULES):
                    continue
                return not self.own_file(caller.f_code.co_filename)
            return True
        return False

    def _called_from_template(self, frames: list[types.FrameType]) -> bool:
        """True when a template calls the app's own code that makes the statement (``{{ user.unread() }}``).

        Walking out from the statement: own Python code first, then a template frame. A lazy query the view
        built and the template only iterates has no own frame in between: it stays the view's.
        """
        seen_own = False
        for frame in reversed(frames):
            if _is_template_frame(frame):
                return seen_own
            if self.own_file(frame.f_code.co_filename):
                seen_own = True
        return False

    # -- entry points

    def route_entry(
        self, handler: str | None, path: str, raw_path: str, method: str, own: bool, action: str | None = None
    ) -> Entry:
        """The key of a route entry point, registered with its description (``action``: a GraphQL field)."""
        entry: Entry = ("route", handler or "?", path, method, *([action] if action else []))
        if entry not in self.entries:
            self.entries[entry] = {
                "kind": "route",
                "handler": handler,
                "path": path,
                "raw_path": raw_path,
                "method": method,
                "own": own,
                **({"action": action} if action else {}),
            }
        self.requests[entry] += 1
        return entry

    def status(self, request: _Request, code: int) -> None:
        """Count the status code a request's response had."""
        if request.entry is not None:
            with self.lock:
                for entry in (request.entry, *request.also):
                    self.statuses[entry][str(code)] += 1

    def start_view(self, request: _Request, entry: Entry, also: list[Entry] | None = None) -> None:
        """The route is known: statements run before it (outer middleware) are its framework's."""
        request.entry = entry
        request.also = list(also or [])
        request.view_phase = True
        with self.lock:
            for served in (entry, *request.also):
                bucket = self.statements[served]["framework"]
                for sql in request.pending:
                    bucket[sql] = bucket.get(sql, 0) + 1
            request.pending.clear()

    def register_code(self, kind: str, name: str, handler: str, obj: Any, extra: dict[str, Any]) -> None:
        """Mark the code of a job or receiver: each own function of it, when on the stack, is that entry."""
        entry: Entry = (kind, handler) if kind == "receiver" else (kind, name, handler)
        if entry in self.entries:  # a receiver connected to several signals: one entry, every signal listed
            self.entries[entry].setdefault("signals", []).extend(extra.get("signals", []))
            return
        codes = list(_codes_of(obj, self.own_file))
        if not codes:
            return
        self.entries[entry] = {"kind": kind, "name": name, "handler": handler, **extra}
        for code in codes:
            self.code_entries.setdefault(code, entry)

    # -- output

    def dump(self) -> None:
        """Write the raw trace (``DATAACCESS_OUT``)."""
        if not _OUT:
            return
        entries = []
        for entry, scopes in self.statements.items():
            described = dict(self.entries.get(entry, {"kind": entry[0], "key": list(entry)}))
            described["requests"] = self.requests.get(entry, 0)
            described["statuses"] = dict(sorted(self.statuses.get(entry, {}).items()))
            described["statements"] = {scope: dict(sorted(sqls.items())) for scope, sqls in sorted(scopes.items())}
            entries.append(described)
        for entry, described in self.entries.items():
            if entry not in self.statements and described["kind"] == "route":
                statuses = dict(sorted(self.statuses.get(entry, {}).items()))
                entries.append(
                    {**described, "requests": self.requests.get(entry, 0), "statuses": statuses, "statements": {}}
                )
        entries.sort(key=lambda e: json.dumps(e.get("handler") or e.get("name"), default=str) + e.get("path", ""))
        payload = {
            "entries": entries,
            "tables": dict(sorted(self.tables.items())),
            "counters": dict(sorted(self.counters.items())),
            "notes": self.notes,
        }
        with open(_OUT, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, indent=1, sort_keys=True)


TRACE = Trace()
atexit.register(TRACE.dump)


def _stack() -> list[types.FrameType]:
    """The Python stack, outermost first (this module's frames left out)."""
    frames = []
    frame: types.FrameType | None = sys._getframe(2)
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    frames.reverse()
    return frames


def _module(frame: types.FrameType) -> str:
    """The module a frame's code belongs to."""
    name = frame.f_globals.get("__name__", "")
    return name if isinstance(name, str) else ""


def _matches(frame: types.FrameType, table: dict[str, frozenset[str]]) -> bool:
    """Whether a frame runs one of the functions a machinery table names."""
    module = _module(frame)
    for prefix, functions in table.items():
        if (module == prefix or module.startswith(prefix + ".")) and (
            not functions or frame.f_code.co_name in functions
        ):
            return True
    return False


def _machinery(frame: types.FrameType) -> str | None:
    """``session`` for the session store, ``user`` for a user loader, else ``None``."""
    if _matches(frame, _SESSION_MACHINERY):
        return "session"
    if _matches(frame, _USER_LOADERS):
        return "user"
    return None


_TEMPLATE_SUFFIXES = (".html", ".htm", ".jinja", ".jinja2", ".j2", ".txt", ".xml", ".svg")


def _is_template_frame(frame: types.FrameType) -> bool:
    """A frame of template code: a compiled Jinja template (its file is the template) or Django's engine."""
    filename = frame.f_code.co_filename
    module = _module(frame)
    return filename.endswith(_TEMPLATE_SUFFIXES) or module.startswith(("django.template", "jinja2.runtime"))


def _is_test_path(relative: str) -> bool:
    """A test file: under a tests/testing folder (or a top-level test folder), test_*.py, *_test.py, conftest.py.

    A ``test`` package inside the code is the app's own (DefectDojo's ``dojo/test/``: the Test entity's views).
    """
    parts = relative.split(os.sep)
    name = parts[-1]
    return (
        bool(_TEST_PARTS.intersection(parts[:-1]))
        or (len(parts) > 1 and parts[0] == "test")
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )


def _codes_of(obj: Any, own_file: Any) -> list[types.CodeType]:
    """Code objects of a function, a bound method, or every own function defined in a class and its bases."""
    with contextlib.suppress(Exception):
        obj = inspect.unwrap(obj)
    if isinstance(obj, types.MethodType):
        obj = obj.__func__
    if isinstance(obj, type):
        codes = []
        for klass in obj.__mro__:
            for value in vars(klass).values():
                func = getattr(value, "__func__", value)
                with contextlib.suppress(Exception):
                    func = inspect.unwrap(func)
                code = getattr(func, "__code__", None)
                if code is not None and own_file(code.co_filename):
                    codes.append(code)
        return codes
    run = getattr(obj, "run", None)  # a Celery task object: its function
    if run is not None and not isinstance(obj, types.FunctionType):
        return _codes_of(run, own_file)
    code = getattr(obj, "__code__", None)
    return [code] if code is not None and own_file(code.co_filename) else []


def resolve_symbol(symbol: str) -> Any:
    """The object a ``module:qualname`` names (``None`` when it cannot be reached)."""
    module_name, _, qualname = symbol.partition(":")
    try:
        obj: Any = importlib.import_module(module_name)
    except Exception:
        return None
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def register_truth_entries(extra_resolver: Any = None) -> None:
    """Jobs and receivers of the truth file whose code can be found: their code marks entry points."""
    if not _TRUTH:
        return
    with open(_TRUTH, encoding="utf-8") as handle:
        truth = json.load(handle)
    for job in truth.get("jobs", []):
        if not job.get("own") or not job.get("handler") or job["kind"].endswith("periodic"):
            continue
        obj = resolve_symbol(job["handler"])
        if obj is None and extra_resolver is not None:
            obj = extra_resolver(job)
        if obj is None:
            TRACE.notes.append(f"job {job['kind']} {job['name']}: {job['handler']} not found")
            continue
        TRACE.register_code(job["kind"], job["name"], job["handler"], obj, {})
    for receiver in truth.get("receivers", []):
        if not receiver.get("own"):
            continue
        obj = resolve_symbol(receiver["receiver"])
        if obj is None:
            TRACE.notes.append(f"receiver {receiver['receiver']} not found")
            continue
        TRACE.register_code(
            "receiver",
            receiver["signal"],
            receiver["receiver"],
            obj,
            {"signals": [receiver["signal"]]},
        )


@contextlib.contextmanager
def request_scope() -> Any:
    """Open a request: statements until it closes belong to it (its entry is set once the route is known)."""
    state = _Request()
    token = _current.set(state)
    try:
        yield state
    finally:
        _current.reset(token)
        if state.pending:
            TRACE.counters["unattributed"] += len(state.pending)
            TRACE.counters["unrouted_request_statements"] += len(state.pending)


def current_request() -> _Request | None:
    """The request in flight in this context, if any."""
    return _current.get()
