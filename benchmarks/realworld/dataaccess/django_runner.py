"""Django side of the data-access trace: a test runner that installs the tracer (``tracer.py``).

    PYTHONPATH=<this folder>:<checkout> DATAACCESS_OUT=raw.json DATAACCESS_SCAN_ROOT=<checkout> \\
    DATAACCESS_TRUTH=<truth/app.json> <app venv>/bin/python <checkout>/manage.py test \\
        --testrunner django_runner.TracingRunner --parallel 1 [labels]

(``pytest_trace.py`` calls ``install()`` for projects tested with pytest-django.)

What is patched, in the running process only:

- ``CursorWrapper._execute_with_wrappers``: every statement, ``execute`` and ``executemany``, raw cursors
  included, goes to ``TRACE.record`` before it runs;
- ``BaseHandler.get_response``: a request scope opens around the whole middleware chain; ``resolve_request``
  (URL resolution, after the outer middleware) names the route (handler, path template, method) and starts
  the view phase (``process_view``, the view call, the rendering of a ``TemplateResponse``); what ran before
  it and what runs after the view phase ends (response middleware, the session saved) is the framework's;
- GraphQL: a request to a path the corpus truth lists GraphQL fields for (``graphql: true`` routes, one per
  ``query.<field>``/``mutation.<field>`` action) is the entry of each top-level field of the operation it
  runs (fragments followed; the field name as sent, camelCase or snake_case, read as the truth's snake_case):
  one entry per field, the statements of a request with several fields counted for each (a test's operation
  has one, mostly); a request whose fields are not in the truth stays the endpoint's own route;
- ``BaseCommand.execute``: a management command run through ``call_command`` is an entry point too (its
  class's own methods are also registered from the truth file, for tests that call ``handle`` directly).

Tables are read from ``apps.get_models(include_auto_created=True)``: each table with the models stored in it
(proxies included), the concrete parents whose tables a child's query joins, and for an auto-created
many-to-many table the field it serves (``through``).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "capture"))

import tracer  # noqa: E402  (beside this file, on PYTHONPATH)
from tracer import TRACE  # noqa: E402

_INSTALLED = False


def install() -> None:
    """Patch the cursor wrapper and the request handler, read the tables, register jobs and receivers."""
    global _INSTALLED
    if _INSTALLED:
        return
    _INSTALLED = True
    _patch_cursor()
    _patch_handler(_route_index(), _graphql_fields())
    _patch_commands()
    _read_tables()
    tracer.register_truth_entries()


def _patch_cursor() -> None:
    from django.db.backends import utils

    original = utils.CursorWrapper._execute_with_wrappers

    def traced(self: Any, sql: str, params: Any, many: bool, executor: Any) -> Any:
        TRACE.record(sql)
        return original(self, sql, params, many, executor)

    utils.CursorWrapper._execute_with_wrappers = traced


def _route_index() -> dict[int, list[dict[str, Any]]]:
    """URL callbacks (by identity) -> the truth-style route items that serve them (path template, handler)."""
    import django_truth
    from django.urls import URLResolver, get_resolver

    owner = django_truth.Owner(os.environ.get("DATAACCESS_SCAN_ROOT", os.getcwd()))
    index: dict[int, list[dict[str, Any]]] = {}

    def visit(patterns: Any, pieces: list[Any], namespaces: list[str]) -> None:
        for entry in patterns:
            chain = [*pieces, entry.pattern]
            if isinstance(entry, URLResolver):
                try:
                    children = entry.url_patterns
                except Exception:
                    continue
                visit(children, chain, [*namespaces, entry.namespace] if entry.namespace else namespaces)
            else:
                item = django_truth.route_item(entry, chain, namespaces, owner)
                item["route_key"] = _route_key("".join(str(p) for p in chain))
                index.setdefault(id(entry.callback), []).append(item)

    visit(get_resolver().url_patterns, [], [])
    return index


def _route_key(route: str) -> str:
    """A resolver route string compared loosely: anchors and spaces removed."""
    return route.replace("^", "").replace("$", "").replace("\\Z", "").replace(" ", "")


def _route_of(match: Any, index: dict[int, list[dict[str, Any]]]) -> dict[str, Any] | None:
    """The route item the resolver matched: by callback identity, then by its route string."""
    candidates = index.get(id(match.func), [])
    if len(candidates) > 1:
        key = _route_key(getattr(match, "route", "") or "")
        narrowed = [c for c in candidates if c["route_key"] == key]
        candidates = narrowed or candidates
    return candidates[0] if candidates else None


def _graphql_fields() -> dict[str, dict[str, dict[str, Any]]]:
    """Path -> ``<operation>.<field as sent>`` -> the truth's GraphQL route (its ``action``, ``handler``, ``own``)."""
    truth_path = os.environ.get("DATAACCESS_TRUTH", "")
    if not truth_path:
        return {}
    with open(truth_path, encoding="utf-8") as handle:
        routes = json.load(handle).get("routes", [])
    fields: dict[str, dict[str, dict[str, Any]]] = {}
    for route in routes:
        action = route.get("action") or ""
        if not route.get("graphql") or "." not in action:
            continue
        operation, _, name = action.partition(".")
        by_name = fields.setdefault(route["path"], {})
        by_name.setdefault(f"{operation}.{name}", route)
        by_name.setdefault(f"{operation}.{_camel(name)}", route)
    return fields


def _camel(name: str) -> str:
    """graphene's camelCase of a snake_case field name (``account_address_create`` -> ``accountAddressCreate``)."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] if part else "_" for part in rest)


def _graphql_payloads(request: Any) -> list[dict[str, Any]]:
    """The GraphQL payloads (``query``, ``operationName``) of a request: JSON body, multipart ``operations``, GET."""
    if request.method == "GET":
        return [dict(request.GET.items())] if "query" in request.GET else []
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("multipart/"):
        payload = json.loads(request.POST.get("operations") or "null")
    elif content_type.startswith("application/graphql"):
        payload = {"query": request.body.decode()}
    else:
        payload = json.loads(request.body or b"null")
    items = payload if isinstance(payload, list) else [payload]
    return [item for item in items if isinstance(item, dict) and isinstance(item.get("query"), str)]


def _operation_fields(query: str, operation_name: str | None) -> list[str]:
    """``<operation>.<top-level field>`` of the operation a GraphQL document runs (graphql-core 2 or 3)."""
    from graphql import parse

    document = parse(query)
    fragments = {d.name.value: d for d in document.definitions if type(d).__name__.startswith("FragmentDefinition")}
    operations = [d for d in document.definitions if hasattr(d, "operation") and hasattr(d, "selection_set")]
    if operation_name:
        operations = [d for d in operations if d.name is not None and d.name.value == operation_name] or operations
    if not operations:
        return []
    operation = operations[0]
    kind = str(getattr(operation.operation, "value", operation.operation)).lower()
    names: list[str] = []
    pending = list(operation.selection_set.selections)
    while pending:
        node = pending.pop(0)
        kind_name = type(node).__name__
        if kind_name.startswith("FragmentSpread"):
            fragment = fragments.get(node.name.value)
            pending[:0] = list(fragment.selection_set.selections) if fragment is not None else []
        elif kind_name.startswith("InlineFragment"):
            pending[:0] = list(node.selection_set.selections)
        elif not node.name.value.startswith("__") and f"{kind}.{node.name.value}" not in names:
            names.append(f"{kind}.{node.name.value}")
    return names


def _graphql_routes(request: Any, fields: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The truth's GraphQL routes (one per top-level field) a request to a GraphQL endpoint runs."""
    try:
        payloads = _graphql_payloads(request)
        sent = [name for p in payloads for name in _operation_fields(p["query"], p.get("operationName"))]
    except Exception:
        TRACE.counters["graphql_unparsed_requests"] += 1
        return []
    routes = [fields[name] for name in sent if name in fields]
    if len(routes) < len(sent):
        TRACE.counters["graphql_fields_not_in_truth"] += len(sent) - len(routes)
    return routes


def _patch_handler(index: dict[int, list[dict[str, Any]]], graphql: dict[str, dict[str, dict[str, Any]]]) -> None:
    from django.core.handlers.base import BaseHandler

    get_response = BaseHandler.get_response
    inner_get_response = BaseHandler._get_response
    resolve_request = BaseHandler.resolve_request

    def traced_inner(self: Any, request: Any) -> Any:
        try:
            return inner_get_response(self, request)
        finally:
            state = tracer.current_request()
            if state is not None:
                state.view_phase = False

    def traced_get_response(self: Any, request: Any) -> Any:
        with tracer.request_scope() as state:
            response = get_response(self, request)
            TRACE.status(state, getattr(response, "status_code", 0))
            return response

    async def traced_get_response_async(self: Any, request: Any) -> Any:
        with tracer.request_scope() as state:
            response = await get_response_async(self, request)
            TRACE.status(state, getattr(response, "status_code", 0))
            return response

    def traced_resolve(self: Any, request: Any) -> Any:
        match = resolve_request(self, request)
        state = tracer.current_request()
        if state is not None:
            route = _route_of(request.resolver_match, index)
            fields = _graphql_routes(request, graphql[route["path"]]) if route and route["path"] in graphql else []
            if route is None:
                TRACE.counters["requests_unmatched_route"] += 1
            elif fields:
                entries = [
                    TRACE.route_entry(f["handler"], f["path"], route["raw_path"], request.method, f["own"], f["action"])
                    for f in fields
                ]
                TRACE.start_view(state, entries[0], entries[1:])
            else:
                entry = TRACE.route_entry(
                    route["handler"], route["path"], route["raw_path"], request.method, route["own"]
                )
                TRACE.start_view(state, entry)
        return match

    BaseHandler.get_response = traced_get_response
    BaseHandler._get_response = traced_inner
    get_response_async = getattr(BaseHandler, "get_response_async", None)
    if get_response_async is not None:
        BaseHandler.get_response_async = traced_get_response_async
    BaseHandler.resolve_request = traced_resolve


def _patch_commands() -> None:
    from django.core.management.base import BaseCommand

    execute = BaseCommand.execute

    def traced_execute(self: Any, *args: Any, **options: Any) -> Any:
        cls = type(self)
        handler = f"{cls.__module__}:{cls.__qualname__}"
        name = cls.__module__.rpartition(".")[2]
        own = TRACE.own_file(getattr(sys.modules.get(cls.__module__), "__file__", "") or "")
        TRACE.register_code("django-command", name, handler, cls, {"own": own})
        return execute(self, *args, **options)

    BaseCommand.execute = traced_execute


def _read_tables() -> None:
    from django.apps import apps

    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        symbol = f"{model.__module__}:{model.__qualname__}"
        table = TRACE.tables.setdefault(meta.db_table, {"models": [], "through": None, "parents": []})
        module = sys.modules.get(model.__module__)
        own = TRACE.own_file(getattr(module, "__file__", "") or "")
        if meta.auto_created:
            owner_model = meta.auto_created
            for field in owner_model._meta.local_many_to_many:
                if field.remote_field.through is model:
                    table["through"] = f"{owner_model.__module__}:{owner_model.__qualname__}.{field.name}"
                    own = TRACE.own_file(getattr(sys.modules.get(owner_model.__module__), "__file__", "") or "")
        else:
            table["models"].append(symbol)
            table["parents"] = sorted({p._meta.db_table for p in meta.get_parent_list()} - {meta.db_table})
            if meta.proxy:
                table["proxies"] = sorted({*table.get("proxies", []), symbol})
        table["own"] = bool(table.get("own")) or own
    for table in TRACE.tables.values():
        table["models"].sort()


try:
    from django.test.runner import DiscoverRunner
except ImportError:  # imported outside a Django project
    DiscoverRunner = object  # type: ignore[misc,assignment]


class TracingRunner(DiscoverRunner):  # type: ignore[misc,valid-type]
    """Django's test runner with the tracer installed before the test databases are set up."""

    def setup_test_environment(self, **kwargs: Any) -> None:
        """Install the tracer, then Django's own set-up."""
        install()
        super().setup_test_environment(**kwargs)

    def run_tests(self, *args: Any, **kwargs: Any) -> Any:
        """Run the suite; record the number of tests and failures; write the trace."""
        result = super().run_tests(*args, **kwargs)
        TRACE.counters["failed_tests"] = int(result)
        TRACE.dump()
        return result

    def run_suite(self, suite: Any, **kwargs: Any) -> Any:
        """Count the tests run."""
        TRACE.counters["tests"] = suite.countTestCases()
        return super().run_suite(suite, **kwargs)
