"""The static scan finds exactly the routes django_helpdesk registers at run time.

The framework's own view comes from a child process (our own code: the scanner
itself never imports anything; cwd = the sample root,
`DJANGO_SETTINGS_MODULE=helpdesk.settings`, `DJANGO_DEBUG=0`) that calls
`django.setup()` and walks `get_resolver()` recursively, joining the pattern
strings of every `URLResolver` above a `URLPattern`, and expands each pattern
into (canonical path, method, handler, action) rows as the report does:

- DRF viewset routes (`callback.actions`, {"get": "list", ...}): one row per
  method, the action is the viewset action;
- class-based views (`callback.view_class`, DRF `callback.cls`): one row per
  method in `http_method_names` the class has (HEAD and OPTIONS, which every
  view answers, left out), the action is the method name;
- DRF `@api_view` functions (a generated `WrappedAPIView`): the function, the
  methods given to the decorator;
- function views: the unwrapped function; the methods of
  `require_http_methods`/`require_GET`/`require_POST`/`require_safe`, read from
  the decorator's closure along the `__wrapped__` chain (intersected), else
  any method (`*`, as the report says).

A handler is the method where the project's code defines it
(`tickets.api:TicketViewSet.assign`); a method Django's or DRF's generic
classes provide is named on the routed class (`tickets.views:TicketListView.get`,
`django.views.generic.base:RedirectView.get`).

Excluded from the comparison, each not an application route static reading
should report:
- `/admin/...`: Django's generated admin (`admin.site.urls`);
- DRF's format-suffix twins (`.{format}`) of every router route: the same
  handlers again;
- `/api/v1/auth/login/` and `/logout/` from `include("rest_framework.urls")`,
  a URLconf outside the scanned tree: the scan reports that include as
  unresolved (asserted below);
- `/media/...` from `static(...)`, DEBUG only (the child runs with DEBUG off).
The DefaultRouter API root `/api/v1/` is compared: the scan reports it as a
framework-generated route (`rest_framework.routers:APIRootView.get`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.options import ScanOptions
from migrate_scan.pipeline import parse_tree, run
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize
from migrate_scan.stages.recognize.paths import django_canonical

SAMPLE_ROOT = Path(__file__).resolve().parents[2] / "sample_monoliths" / "django_helpdesk"

PROJECT_PACKAGES = ("accounts", "core", "escalations", "helpdesk", "knowledge", "notifications", "reporting", "tickets")

CHILD_SCRIPT = r"""
import inspect, json, re
import django

django.setup()
from django.urls import URLPattern, URLResolver, get_resolver

PROJECT = %(project)r
IGNORED = {"head", "options", "trace"}


def is_project(module):
    return module.split(".")[0] in PROJECT


def method_handler(cls, name):
    function = getattr(cls, name)
    if is_project(function.__module__):
        return f"{function.__module__}:{function.__qualname__}"
    return f"{cls.__module__}:{cls.__qualname__}.{name}"


def decorator_methods(view):
    allowed = None
    while view is not None:
        code = getattr(view, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = view.__closure__[code.co_freevars.index("request_method_list")]
            methods = {m.upper() for m in cell.cell_contents} - {"HEAD", "OPTIONS"}
            allowed = methods if allowed is None else allowed & methods
        view = getattr(view, "__wrapped__", None)
    return sorted(allowed) if allowed is not None else ["*"]


def rows(pattern, callback):
    actions = getattr(callback, "actions", None)
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if actions:
        for method, action in actions.items():
            yield [pattern, method.upper(), method_handler(cls, action), action]
    elif cls is not None and cls.__qualname__.endswith("WrappedAPIView"):
        for method in cls.http_method_names:
            if method not in IGNORED:
                yield [pattern, method.upper(), f"{cls.__module__}:{cls.__name__}", None]
    elif cls is not None:
        for method in cls.http_method_names:
            if method not in IGNORED and hasattr(cls, method):
                yield [pattern, method.upper(), method_handler(cls, method), method]
    else:
        function = inspect.unwrap(callback)
        for method in decorator_methods(callback):
            yield [pattern, method, f"{function.__module__}:{function.__qualname__}", None]


def walk(patterns, prefix, regex):
    for entry in patterns:
        pattern = str(entry.pattern)
        is_regex = regex + [entry.pattern.__class__.__name__ == "RegexPattern"]
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + [pattern], is_regex)
        elif isinstance(entry, URLPattern):
            for row in rows(list(zip(prefix + [pattern], is_regex)), entry.callback):
                yield row


print(json.dumps(list(walk(get_resolver().url_patterns, [], []))))
"""


def canonical(pieces: list[tuple[str, bool]]) -> str:
    """The canonical path of a chain of Django patterns, each piece read as its own kind."""
    return django_canonical("/".join(django_canonical(raw, is_regex) for raw, is_regex in pieces))


def runtime_routes() -> set[tuple[str, str, str, str | None]]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SAMPLE_ROOT), env.get("PYTHONPATH")]))
    env["DJANGO_SETTINGS_MODULE"] = "helpdesk.settings"
    env["DJANGO_DEBUG"] = "0"
    script = CHILD_SCRIPT % {"project": PROJECT_PACKAGES}
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=SAMPLE_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    found = set()
    for pieces, method, handler, action in json.loads(completed.stdout):
        path = canonical(pieces)
        if path.startswith(("/admin", "/media", "/api/v1/auth/")) or "{format}" in path:
            continue
        found.add((path, method, handler, action))
    return found


def test_static_routes_equal_the_resolver(tmp_path: Path) -> None:
    report = run(ScanOptions(root=SAMPLE_ROOT, jobs=2, use_cache=False, cache_dir=tmp_path))
    static = {
        (route.path, method, route.handler, route.action)
        for route in report.routes
        if route.framework in ("django", "django-rest-framework")
        for method in route.methods
    }
    runtime = runtime_routes()
    assert len(runtime) > 70
    assert static - runtime == set(), "routes the app does not register"
    assert runtime - static == set(), "routes the scan missed"


def test_framework_urlconf_include_is_unresolved(tmp_path: Path) -> None:
    heuristics = load_heuristics()
    parsed = parse_tree(ScanOptions(root=SAMPLE_ROOT, jobs=1, use_cache=False, cache_dir=tmp_path), heuristics)
    found = recognize(link(parsed.facts), heuristics)
    unresolved = {(u.location.file, u.location.line) for u in found.unresolved if u.rule.startswith("django.")}
    assert unresolved == {("helpdesk/urls.py", 34)}
