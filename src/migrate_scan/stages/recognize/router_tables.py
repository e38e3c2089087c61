"""Routers and route markers the project defines itself, read by their shape (projects that vendor DRF).

A project may carry its own copy of Django REST framework's routers (or subclass DRF's and
override the table): a class whose `register(prefix, viewset, ...)` stores into a registry and
whose class-level `routes` list holds `Route(url=r"^{prefix}{trailing_slash}$", mapping={"get":
"list", ...})` rows and dynamic rows (`DynamicRoute(url=r"^{prefix}/{lookup}/{url_path}...")`,
DRF 2.x's `DynamicDetailRoute(url=r"^{prefix}/{lookup}/{methodname}...")`). The URL templates and
the method → action mappings are read from that table, as the router's `get_urls` builds them.

Likewise a project's own `@detail_route(methods=[...])` / `@list_route` / `@action(detail=...)`:
a decorator (or decorator factory) that marks the function it decorates with `func.detail =
...`; the HTTP methods come from its `methods` parameter (the call's argument, else its default).
"""

from __future__ import annotations

from dataclasses import dataclass

from migrate_scan.model.facts import AssignmentFact, Expr, ExprKind, FileFacts, ParameterFact
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.ids import Location
from migrate_scan.stages.recognize.expressions import argument, keyword, string_of

_DYNAMIC_PARTS = ("{methodname}", "{methodnamehyphen}", "{url_path}")
_STORE = ("append", "add", "extend", "insert")


@dataclass(frozen=True)
class RouteTemplate:
    """One row of a router's `routes` table.

    `mapping` holds (HTTP method, action) pairs; it is empty for a dynamic row, which stands for
    every decorated action of the viewset whose detail flag equals `detail`.
    """

    url: str
    mapping: tuple[tuple[str, str], ...]
    detail: bool
    location: Location

    def expand(self, prefix: str, lookup: str, trailing: str, action: str = "", url_path: str = "") -> str:
        """The URL regex for one registration (and one decorated action, for a dynamic row)."""
        url = self.url.replace("{prefix}", prefix).replace("{lookup}", lookup)
        url = url.replace("{trailing_slash}", trailing).replace("{url_path}", url_path or action)
        return url.replace("{methodnamehyphen}", action.replace("_", "-")).replace("{methodname}", action)


@dataclass(frozen=True)
class RouteMarker:
    """What a project's route-marking decorator says of the method it decorates."""

    detail: bool
    methods: tuple[str, ...]
    url_path: str | None


def lineage(graphs: LinkedGraphs, class_symbol: str) -> list[str]:
    """The class and its project ancestors (outside bases left out), in MRO order."""
    found = [class_symbol, *graphs.resolver.ancestors(class_symbol)]
    return [c for c in found if c in graphs.definitions]


def route_table(graphs: LinkedGraphs, class_symbol: str) -> tuple[RouteTemplate, ...] | None:
    """The `routes` table the class (or a project base) assigns in its body, when it has URL templates."""
    for owner in lineage(graphs, class_symbol):
        assignment, facts = _class_assignment(graphs, owner, "routes")
        if assignment is None or facts is None or assignment.value is None:
            continue
        value = assignment.value
        if value[0] not in (ExprKind.LIST, ExprKind.TUPLE):
            return None
        rows = [r for r in (_template(facts, child, assignment.line) for child in value[2]) if r is not None]
        return tuple(rows) if any("{prefix}" in r.url for r in rows) else None
    return None


def class_constant(graphs: LinkedGraphs, class_symbol: str, name: str) -> Expr | None:
    """The value the class or its nearest project base assigns to `name` in its body."""
    for owner in lineage(graphs, class_symbol):
        assignment, _facts = _class_assignment(graphs, owner, name)
        if assignment is not None:
            return assignment.value
    return None


def stores_registrations(graphs: LinkedGraphs, class_symbol: str) -> bool:
    """Whether a `register` method of the class's project lineage stores into `self.<registry>`."""
    for owner in lineage(graphs, class_symbol):
        definition = graphs.definitions[owner]
        facts = graphs.modules.get(definition.module)
        method = f"{definition.fact.qualname}.register"
        if facts is None or f"{definition.module}:{method}" not in graphs.definitions:
            continue
        for call in facts.calls:
            func = call.call[2][0]
            if call.scope != method or func[0] != ExprKind.ATTRIBUTE or func[1] not in _STORE:
                continue
            receiver = func[2][0]
            if receiver[0] == ExprKind.ATTRIBUTE and receiver[2][0][:2] == (ExprKind.NAME, "self"):
                return True
    return False


def inner_view_classes(graphs: LinkedGraphs, class_symbol: str) -> tuple[str, ...]:
    """Classes a method of the router's project lineage defines in its body (`get_api_root_view`'s
    `class APIRoot(APIView)`), that answer GET: the API root view the router builds."""
    found = []
    for owner in lineage(graphs, class_symbol):
        definition = graphs.definitions[owner]
        facts = graphs.modules.get(definition.module)
        for inner in facts.definitions if facts is not None else ():
            method = graphs.definitions.get(f"{definition.module}:{inner.scope}") if inner.scope else None
            if inner.kind != "class" or method is None or method.fact.scope != definition.fact.qualname:
                continue
            if f"{definition.module}:{inner.qualname}.get" in graphs.definitions:
                found.append(f"{definition.module}:{inner.qualname}")
        if found:
            break
    return tuple(found)


def route_marker(graphs: LinkedGraphs, scope: str, decorator: Expr) -> RouteMarker | None:
    """A project decorator marking a viewset method as a routed action (`func.detail = ...`), else None.

    `@detail_route(methods=["post"])` with `def detail_route(methods=["get"], **kw): def decorator(func):
    func.detail = True ...`; `@action(detail=False)` with `func.detail = detail` (the factory's parameter,
    bound to the call's argument). None when the flag cannot be read as a constant.
    """
    is_call = decorator[0] == ExprKind.CALL
    func = decorator[2][0] if is_call else decorator
    functions = [v[4:] for v in graphs.resolver.values(scope, func) if v.startswith("def:")]
    definition = graphs.definitions.get(functions[0]) if len(functions) == 1 else None
    facts = graphs.modules.get(definition.module) if definition is not None else None
    if definition is None or facts is None:
        return None
    qualname = definition.fact.qualname
    flag = next(
        (
            a.value
            for a in facts.assignments
            if (a.scope == qualname or a.scope.startswith(f"{qualname}."))
            and len(a.targets) == 1
            and a.targets[0][:2] == (ExprKind.ATTRIBUTE, "detail")
            and a.targets[0][2][0][0] == ExprKind.NAME
            and a.value is not None
        ),
        None,
    )
    if flag is None:
        return None
    call = decorator if is_call else None
    if flag[0] == ExprKind.NAME:
        flag = _parameter_value(definition.fact.parameters, call, str(flag[1]))
    if flag is None or flag[0] != ExprKind.CONSTANT or not isinstance(flag[1], bool):
        return None
    given = _parameter_value(definition.fact.parameters, call, "methods")
    methods = _strings(given) if given is not None else None
    url_path = string_of(keyword(call, "url_path")) if call is not None else None
    return RouteMarker(flag[1], tuple(sorted({m.upper() for m in methods or ["get"]})), url_path)


# -- helpers ------------------------------------------------------------------------------------------


def _class_assignment(graphs: LinkedGraphs, owner: str, name: str) -> tuple[AssignmentFact | None, FileFacts | None]:
    definition = graphs.definitions[owner]
    facts = graphs.modules.get(definition.module)
    if facts is None:
        return None, None
    for assignment in facts.assignments:
        if (
            assignment.scope == definition.fact.qualname
            and assignment.operator is None
            and len(assignment.targets) == 1
            and assignment.targets[0][:2] == (ExprKind.NAME, name)
        ):
            return assignment, facts
    return None, facts


def _template(facts: FileFacts, row: Expr, line: int) -> RouteTemplate | None:
    """One `Route(url=..., mapping={...})` / dynamic route row of a table, else None."""
    if row[0] != ExprKind.CALL:
        return None
    url = string_of(argument(row, 0, "url"))
    if url is None:
        return None
    mapping = keyword(row, "mapping")
    if mapping is None and len(row[2]) > 2 and row[2][2][0] == ExprKind.DICT:
        mapping = row[2][2]
    location = Location(file=facts.path, line=next((c.line for c in facts.calls if c.call == row), line))
    if mapping is not None and mapping[0] == ExprKind.DICT:
        children = mapping[2]
        pairs = [(string_of(k), string_of(v)) for k, v in zip(children[::2], children[1::2], strict=False)]
        found = tuple((m.upper(), a) for m, a in pairs if m is not None and a is not None)
        return RouteTemplate(url, found, "{lookup}" in url, location)
    if not any(part in url for part in _DYNAMIC_PARTS):
        return None
    flag = keyword(row, "detail")
    detail = bool(flag[1]) if flag is not None and flag[0] == ExprKind.CONSTANT else "{lookup}" in url
    return RouteTemplate(url, (), detail, location)


def _parameter_value(parameters: tuple[ParameterFact, ...], call: Expr | None, name: str) -> Expr | None:
    """The value a decorator factory's parameter `name` takes for this call: the argument, else the default."""
    for index, parameter in enumerate(parameters):
        if parameter.name != name:
            continue
        if call is None:
            given = None
        else:
            given = argument(call, index, name) if parameter.kind == "positional" else keyword(call, name)
        return given if given is not None else parameter.default
    return None


def _strings(expr: Expr) -> list[str] | None:
    if expr[0] not in (ExprKind.LIST, ExprKind.TUPLE, ExprKind.SET):
        return None
    values = [string_of(child) for child in expr[2]]
    return [v for v in values if v is not None] if all(v is not None for v in values) else None


def own_trailing_slash(graphs: LinkedGraphs, class_symbol: str) -> str | None:
    """The trailing slash a router class of the project sets in its `__init__` (`self.trailing_slash =
    "/?"` after `super().__init__()`, an optional slash), else None (the constructor's argument decides)."""
    for owner in lineage(graphs, class_symbol):
        definition = graphs.definitions[owner]
        facts = graphs.modules.get(definition.module)
        method = f"{definition.fact.qualname}.__init__"
        if facts is None or f"{definition.module}:{method}" not in graphs.definitions:
            continue
        supers = [
            c.line for c in facts.calls if c.scope == method and c.call[2][0][:2] == (ExprKind.ATTRIBUTE, "__init__")
        ]
        for assignment in facts.assignments:
            target = assignment.targets[0] if assignment.scope == method and len(assignment.targets) == 1 else None
            if target is None or target[:2] != (ExprKind.ATTRIBUTE, "trailing_slash"):
                continue
            value = string_of(assignment.value)
            if (
                value is not None
                and target[2][0][:2] == (ExprKind.NAME, "self")
                and not any(line > assignment.line for line in supers)
            ):
                return value
        return None  # the nearest `__init__` decides
    return None
