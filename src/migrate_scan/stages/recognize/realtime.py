"""Real-time handlers: Channels consumers (and their WebSocket routes) and Flask-SocketIO events.

A consumer is a class whose MRO reaches a Channels consumer base; its paths
come from `path(...)`/`re_path(...)` entries whose view is `Consumer.as_asgi()`
(in `websocket_urlpatterns` or any list a `URLRouter` takes). A consumer no
route mentions is still reported, without a path. Socket.IO handlers come
from `@socketio.on(event, namespace=...)` and `socketio.on_event(...)`.

Server-sent events: a function that builds a response (Flask `Response`,
Django `StreamingHttpResponse`, ...) with `mimetype=`/`content_type=` (or a
`Content-Type` header) of `text/event-stream` is an `sse` handler, located at
that call. Its `path` is filled once the routes are published, from the routes whose
handler it is (`with_sse_paths`, a refiner of the real-time product).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.heuristics.schema import MatchRule
from migrate_scan.model.facts import Expr, ExprKind, FileFacts
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Recognition
from migrate_scan.model.report import Realtime, Route
from migrate_scan.stages.recognize.expressions import (
    argument,
    called_names,
    constructor_names,
    first_match,
    functions_of,
    keyword,
    module_calls,
    scope_of,
    string_of,
)
from migrate_scan.stages.recognize.paths import django_canonical
from migrate_scan.stages.recognize.registry import Product, Recognizer, producer


def recognize(graphs: LinkedGraphs, heuristics: Heuristics) -> Recognition:
    """Find Channels consumers with their paths, and Socket.IO event handlers."""
    found = Recognition()
    bases = heuristics.matchers("realtime-base")
    consumers = _consumers(graphs, bases)
    tables = _Tables.of(heuristics)
    routed: set[str] = set()
    for facts in graphs.modules.values():
        routed |= _consumer_routes(graphs, tables, facts, consumers, found)
        _socketio_handlers(graphs, tables, facts, found)
        _sse_handlers(graphs, tables, facts, found)
    for symbol, location in sorted(consumers.items()):
        if symbol not in routed:
            found.realtime.append(Realtime(kind="channels-consumer", handler=symbol, location=location))
    return found


@dataclass(frozen=True)
class _Tables:
    """The rule tables the per-module walks read, compiled once per scan."""

    routes: dict[str, MatchRule]
    patterns: dict[str, MatchRule]
    decorators: dict[str, MatchRule]
    events: dict[str, MatchRule]
    responses: dict[str, MatchRule]

    @classmethod
    def of(cls, heuristics: Heuristics) -> _Tables:
        registrations = heuristics.matchers("realtime-registration")
        return cls(
            routes={n: r for n, r in registrations.items() if r.role == "route"},
            patterns=heuristics.matchers("url-pattern"),
            decorators=heuristics.matchers("realtime-decorator"),
            events={n: r for n, r in registrations.items() if r.role == "event"},
            responses=heuristics.matchers("realtime-response"),
        )


def _consumers(graphs: LinkedGraphs, bases: Mapping[str, object]) -> dict[str, Location]:
    consumers = {}
    for symbol, definition in graphs.definitions.items():
        if definition.fact.kind == "class" and any(a in bases for a in graphs.resolver.ancestors(symbol)):
            consumers[symbol] = Location(file=definition.file, line=definition.fact.line)
    return consumers


def _consumer_routes(
    graphs: LinkedGraphs, tables: _Tables, facts: FileFacts, consumers: dict[str, Location], found: Recognition
) -> set[str]:
    routes, patterns = tables.routes, tables.patterns
    routed: set[str] = set()
    if called_names(graphs.resolver, facts).isdisjoint(routes):
        return routed
    for call, scope, qualified in module_calls(graphs.resolver, facts):
        if first_match(qualified, routes) is None:
            continue
        raw = string_of(argument(call.call, 0, "route"))
        view = argument(call.call, 1, "view")
        if raw is None or view is None or view[0] != ExprKind.CALL or view[2][0][0] != ExprKind.ATTRIBUTE:
            continue
        if view[2][0][1] not in ("as_asgi", "as_view"):
            continue
        for value in graphs.resolver.values(scope, view[2][0][2][0]):
            symbol = value[4:]
            if value.startswith("cls:") and symbol in consumers:
                pattern = first_match(qualified, patterns)
                path = django_canonical(raw, is_regex=pattern is not None and pattern.role == "regex")
                location = Location(file=facts.path, line=call.line)
                found.realtime.append(Realtime(kind="channels-consumer", handler=symbol, path=path, location=location))
                routed.add(symbol)
    return routed


def _socketio_handlers(graphs: LinkedGraphs, tables: _Tables, facts: FileFacts, found: Recognition) -> None:
    decorators, registrations = tables.decorators, tables.events
    resolver = graphs.resolver
    for definition in facts.definitions:
        scope = scope_of(facts.module, definition.scope)
        for decorator in definition.decorators:
            func = decorator[2][0] if decorator[0] == ExprKind.CALL else decorator
            if first_match(resolver.qualified_names(scope, func), decorators) is None:
                continue
            event = string_of(argument(decorator, 0, "message")) if decorator[0] == ExprKind.CALL else None
            namespace = string_of(keyword(decorator, "namespace")) if decorator[0] == ExprKind.CALL else None
            found.realtime.append(
                Realtime(
                    kind="socketio-event",
                    handler=f"{facts.module}:{definition.qualname}",
                    event=event or definition.name,
                    path=namespace or "/",
                    location=Location(file=facts.path, line=definition.line),
                )
            )
    if called_names(resolver, facts).isdisjoint(registrations):
        return
    for call, scope, qualified in module_calls(resolver, facts):
        if first_match(qualified, registrations) is None:
            continue
        event = string_of(argument(call.call, 0, "message"))
        handler = argument(call.call, 1, "handler")
        namespace = string_of(keyword(call.call, "namespace"))
        for symbol in functions_of(resolver.values(scope, handler)) if handler is not None else []:
            location = Location(file=facts.path, line=call.line)
            found.realtime.append(
                Realtime(kind="socketio-event", handler=symbol, event=event, path=namespace or "/", location=location)
            )


SSE_TYPE = "text/event-stream"


def _sse_handlers(graphs: LinkedGraphs, tables: _Tables, facts: FileFacts, found: Recognition) -> None:
    responses = tables.responses
    for call in facts.calls:
        if not call.scope or not _is_event_stream(call.call):
            continue
        scope = scope_of(facts.module, call.scope)
        if scope not in graphs.definitions or graphs.definitions[scope].fact.kind != "function":
            continue
        if first_match(constructor_names(graphs.resolver, scope, call.call[2][0]), responses) is None:
            continue
        location = Location(file=facts.path, line=call.line)
        found.realtime.append(Realtime(kind="sse", handler=scope, location=location))


def _is_event_stream(call: Expr) -> bool:
    """`mimetype=`/`content_type=` (or a `Content-Type` header) of `text/event-stream`."""
    given = [keyword(call, "mimetype"), keyword(call, "content_type")]
    headers = keyword(call, "headers")
    if headers is not None and headers[0] == ExprKind.DICT:
        items = headers[2]
        for index in range(0, len(items) - 1, 2):
            if (string_of(items[index]) or "").lower() == "content-type":
                given.append(items[index + 1])
    for value in given:
        text = string_of(value)
        if text is not None and text.split(";")[0].strip().lower() == SSE_TYPE:
            return True
    return False


def with_sse_paths(_graphs: LinkedGraphs, _heuristics: Heuristics, published: Recognition) -> Recognition:
    """The real-time handlers, each `sse` handler given the path of every route it handles (one entry per path)."""
    paths: dict[str, list[Route]] = {}
    for route in published.routes:
        paths.setdefault(route.handler, []).append(route)
    realtime: list[Realtime] = []
    for handler in published.realtime:
        routes = paths.get(handler.handler, []) if handler.kind == "sse" and handler.path is None else []
        if not routes:
            realtime.append(handler)
        for path in sorted({route.path for route in routes}):
            realtime.append(handler.model_copy(update={"path": path}))
    return Recognition(realtime=realtime)


RECOGNIZER = Recognizer(
    name="realtime",
    run=producer(recognize),
    produces=frozenset({Product.REALTIME}),
    handles={
        "realtime-base": frozenset({""}),
        "realtime-decorator": frozenset({""}),
        "realtime-registration": frozenset({"event", "route"}),
        "realtime-response": frozenset({""}),
        "url-pattern": frozenset({"path", "regex"}),
    },
)

SSE_PATHS = Recognizer(
    name="sse-paths",
    run=with_sse_paths,
    requires=frozenset({Product.ROUTES}),
    refines=frozenset({Product.REALTIME}),
)
