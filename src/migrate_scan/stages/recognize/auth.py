"""Authentication on routes: published `routes` → the same routes, with `auth` evidence where a view checks its caller.

A route requires an authenticated (or permitted) caller when its view function
or method carries an auth decorator (a framework's `login_required`,
`permission_required`, `jwt_required`, ...; or a decorator the project defines
whose name says so or that applies one of those), when its class has an auth
mixin among its bases, lists an auth decorator in `decorators` /
`method_decorators`, or applies one with `method_decorator(...)`, or when its
DRF permission classes (the view's own, its project bases', or the settings'
`DEFAULT_PERMISSION_CLASSES` for a DRF view that sets none) are anything but
`AllowAny`. What matches is `heuristics/auth.toml` (kind `auth-check`).

Invariants: routes keep their order and every other field; `auth` is sorted
evidence (rule id, locations) and empty when no check was found. Nothing is
guessed: a permission list that cannot be read statically leaves the route
as the other checks find it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.heuristics.schema import MatchRule
from migrate_scan.model.facts import AssignmentFact, Expr, ExprKind
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Recognition
from migrate_scan.model.report import Evidence, Route
from migrate_scan.stages.recognize.evaluation import Evaluator
from migrate_scan.stages.recognize.expressions import keyword, scope_of, string_of
from migrate_scan.stages.recognize.registry import Product, Recognizer

MAX_DEPTH = 3  # project decorators applying project decorators applying a framework one

Found = dict[str, set[Location]]
"""Rule id → the places that show it."""


@dataclass
class _Context:
    """The scan's facts and the `auth-check` rules by role, with memos."""

    graphs: LinkedGraphs
    evaluator: Evaluator
    rules: dict[str, dict[str, MatchRule]]
    class_assignments: dict[tuple[str, str], list[tuple[str, AssignmentFact]]]
    nested: dict[str, list[str]]
    project_decorators: dict[str, Found | None] = field(default_factory=dict)
    default_permissions: Found | None = None
    has_default: bool = False

    def table(self, role: str) -> dict[str, MatchRule]:
        return self.rules.get(role, {})


def with_auth(graphs: LinkedGraphs, heuristics: Heuristics, published: Recognition) -> Recognition:
    """The published routes, each with the evidence of the checks its view makes on the caller."""
    context = _context(graphs, heuristics)
    routes = [_with_auth(context, route) for route in published.routes]
    return Recognition(routes=routes, limits=context.evaluator.limits())


def _context(graphs: LinkedGraphs, heuristics: Heuristics) -> _Context:
    rules: dict[str, dict[str, MatchRule]] = defaultdict(dict)
    for name, rule in heuristics.matchers("auth-check").items():
        rules[rule.role][name] = rule
    class_assignments: dict[tuple[str, str], list[tuple[str, AssignmentFact]]] = defaultdict(list)
    nested: dict[str, list[str]] = defaultdict(list)
    for facts in graphs.modules.values():
        for assignment in facts.assignments:
            if assignment.scope and len(assignment.targets) == 1 and assignment.targets[0][0] == ExprKind.NAME:
                owner = scope_of(facts.module, assignment.scope)
                class_assignments[(owner, str(assignment.targets[0][1]))].append((facts.path, assignment))
        for definition in facts.definitions:
            if definition.scope:
                nested[scope_of(facts.module, definition.scope)].append(f"{facts.module}:{definition.qualname}")
    return _Context(
        graphs=graphs,
        evaluator=Evaluator(graphs),
        rules=dict(rules),
        class_assignments=dict(class_assignments),
        nested=dict(nested),
    )


def _with_auth(context: _Context, route: Route) -> Route:
    found: Found = defaultdict(set)
    function = context.graphs.definitions.get(route.handler)
    view = route.view if route.view in context.graphs.definitions else None
    if view is None and function is not None and function.fact.scope:
        owner = f"{function.module}:{function.fact.scope}"
        owner_definition = context.graphs.definitions.get(owner)
        view = owner if owner_definition is not None and owner_definition.fact.kind == "class" else None
    permissions: Found | None = None
    is_drf_view = False
    if function is not None:
        _merge(found, _decorated(context, route.handler, 0))
        permissions, is_drf_view = _function_permissions(context, route.handler)
    if view is not None:
        _merge(found, _class_checks(context, view, route.handler.rpartition(".")[2]))
        if permissions is None:
            permissions = _class_permissions(context, view)
        is_drf_view = is_drf_view or _is_drf_view(context, view)
    # a route the DRF recognizer published (a viewset whose bases are outside, a router's root view)
    is_drf_view = is_drf_view or route.framework in {r.framework for r in context.table("permission-view").values()}
    if permissions is None and is_drf_view:
        permissions = _default_permissions(context)
    if permissions:
        _merge(found, permissions)
    if not found:
        return route if not route.auth else route.model_copy(update={"auth": []})
    auth = [
        Evidence(rule=rule, locations=sorted(places, key=lambda x: (x.file, x.line)))
        for rule, places in sorted(found.items())
    ]
    return route.model_copy(update={"auth": auth})


def _merge(into: Found, more: Found | None) -> None:
    for rule, places in (more or {}).items():
        into.setdefault(rule, set()).update(places)


def _here(symbol: str, context: _Context) -> Location:
    definition = context.graphs.definitions[symbol]
    return Location(file=definition.file, line=definition.fact.line)


# -- decorators ------------------------------------------------------------------------------------


def _decorated(context: _Context, symbol: str, depth: int) -> Found:
    """The auth checks among the decorators of a definition (function or class)."""
    definition = context.graphs.definitions[symbol]
    scope = scope_of(definition.module, definition.fact.scope)
    found: Found = {}
    for decorator in definition.fact.decorators:
        _merge(found, _decorator_check(context, scope, decorator, _here(symbol, context), depth))
    return found


def _decorator_check(context: _Context, scope: str, decorator: Expr, place: Location, depth: int) -> Found | None:
    """What one decorator expression contributes: a framework check, a wrapper's argument, a project decorator."""
    func = decorator[2][0] if decorator[0] == ExprKind.CALL else decorator
    names = context.graphs.resolver.qualified_names(scope, func)
    for name in names:
        rule = context.table("decorator").get(name)
        if rule is not None:
            return {rule.id: {place}}
        rule = context.table("decorator-wrapper").get(name)
        if rule is not None and decorator[0] == ExprKind.CALL and len(decorator[2]) > 1:
            inner = _decorator_check(context, scope, decorator[2][1], place, depth)
            return {**inner, rule.id: {place}} if inner else None
    for value in sorted(context.graphs.resolver.values(scope, func)):
        if value.startswith("def:") and value[4:] in context.graphs.definitions:
            own = _project_decorator(context, value[4:], depth + 1)
            if own:
                return {rule: {place, *places} for rule, places in own.items()}
    return None


def _project_decorator(context: _Context, symbol: str, depth: int) -> Found | None:
    """A decorator the project defines that checks the caller: by its name, or by the checks it applies."""
    if symbol in context.project_decorators:
        return context.project_decorators[symbol]
    if depth > MAX_DEPTH:
        return None
    context.project_decorators[symbol] = None  # a decorator that applies itself ends here
    definition = context.graphs.definitions[symbol]
    found: Found = {}
    named = context.table("decorator-name").get(definition.fact.name)
    if named is not None:
        found[named.id] = {_here(symbol, context)}
    for inner in _inner_definitions(context, symbol):
        _merge(found, _decorated(context, inner, depth))
    facts = context.graphs.modules[definition.module]
    prefix = definition.fact.qualname
    for call in facts.calls:  # `return login_required(wrapper)`
        if call.scope == prefix or call.scope.startswith(prefix + "."):
            func = call.call[2][0]
            scope = scope_of(definition.module, call.scope)
            place = Location(file=definition.file, line=call.line)
            names = context.graphs.resolver.qualified_names(scope, func)
            rule = next((context.table("decorator")[n] for n in names if n in context.table("decorator")), None)
            if rule is not None:
                found.setdefault(rule.id, set()).add(place)
    context.project_decorators[symbol] = found or None
    return found or None


def _inner_definitions(context: _Context, symbol: str) -> list[str]:
    """The definitions nested in a function, at any depth."""
    found, queue = [], [symbol]
    while queue:
        for inner in context.nested.get(queue.pop(), []):
            found.append(inner)
            queue.append(inner)
    return sorted(found)


# -- class-based views -------------------------------------------------------------------------------


def _class_checks(context: _Context, view: str, method: str) -> Found:
    """Mixins, class decorators, `decorators`/`method_decorators` lists and a decorated `dispatch`."""
    found: Found = {}
    resolver = context.graphs.resolver
    place = _here(view, context)
    for ancestor in (view, *resolver.ancestors(view)):
        dotted = ancestor.replace(":", ".")
        rule = context.table("mixin").get(dotted)
        if rule is not None:
            found.setdefault(rule.id, set()).add(place)
        if ancestor not in context.graphs.definitions:
            continue
        _merge(found, _decorated(context, ancestor, 0))
        dispatch = f"{ancestor}.dispatch"
        if dispatch in context.graphs.definitions:
            _merge(found, _decorated(context, dispatch, 0))
        for attribute, rule in context.table("view-decorators").items():
            _merge(found, _listed_decorators(context, ancestor, attribute, rule, method))
    return found


def _listed_decorators(context: _Context, owner: str, attribute: str, rule: MatchRule, method: str) -> Found | None:
    """`decorators = [...]`, or `method_decorators = {"put": [...]}` for the routed method, on a view class."""
    found: Found = {}
    for path, assignment in context.class_assignments.get((owner, attribute), []):
        if assignment.value is None:
            continue
        place = Location(file=path, line=assignment.line)
        values = assignment.value
        items: list[Expr] = []
        if values[0] == ExprKind.DICT:
            for name, sequence in zip(values[2][::2], values[2][1::2], strict=False):
                if string_of(name) == method.lower():
                    items += [item for _, item in context.evaluator.elements(owner, sequence) or []]
        else:
            items = [item for _, item in context.evaluator.elements(owner, values) or []]
        for item in items:
            check = _decorator_check(context, owner, item, place, 0)
            if check:
                _merge(found, check)
                found.setdefault(rule.id, set()).add(place)
    return found or None


# -- DRF permission classes ------------------------------------------------------------------------------


def _function_permissions(context: _Context, symbol: str) -> tuple[Found | None, bool]:
    """The permission classes a view function or viewset method sets itself, and whether it is a DRF view."""
    definition = context.graphs.definitions[symbol]
    scope = scope_of(definition.module, definition.fact.scope)
    is_drf = False
    for decorator in definition.fact.decorators:
        func = decorator[2][0] if decorator[0] == ExprKind.CALL else decorator
        names = context.graphs.resolver.qualified_names(scope, func)
        is_drf = is_drf or any(n in context.table("permission-view") for n in names)
        rule = next(
            (context.table("permission-decorator")[n] for n in names if n in context.table("permission-decorator")),
            None,
        )
        if rule is None or decorator[0] != ExprKind.CALL:
            continue
        given = keyword(decorator, "permission_classes")
        if given is None and func[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE) and str(func[1]) == "permission_classes":
            given = decorator[2][1] if len(decorator[2]) > 1 else None
        if given is not None:
            return _permission_list(context, scope, given, rule, _here(symbol, context)), True
    return None, is_drf


def _class_permissions(context: _Context, view: str) -> Found | None:
    """`permission_classes` on the view class or the first project base that sets it (the MRO's answer)."""
    for ancestor in (view, *context.graphs.resolver.ancestors(view)):
        for attribute, rule in context.table("permission-attribute").items():
            assignments = context.class_assignments.get((ancestor, attribute), [])
            if assignments and assignments[-1][1].value is not None:
                path, assignment = assignments[-1]
                value = assignment.value
                assert value is not None
                return _permission_list(context, ancestor, value, rule, Location(file=path, line=assignment.line))
    return None


def _is_drf_view(context: _Context, view: str) -> bool:
    table = context.table("permission-view")
    return any(a.replace(":", ".") in table for a in context.graphs.resolver.ancestors(view))


def _permission_list(context: _Context, scope: str, given: Expr, rule: MatchRule, place: Location) -> Found:
    """A permission-class list: auth evidence unless every class lets everyone through ({} then)."""
    items = context.evaluator.elements(scope, given)
    if items is None:
        return {}
    names: list[tuple[str, ...]] = []
    for where, item in items:
        if item[0] == ExprKind.BINARY:  # `IsAuthenticated | IsAdminUser`: composed, so it checks
            names.append(("",))
            continue
        dotted = string_of(item)
        names.append((dotted,) if dotted else context.graphs.resolver.qualified_names(where, item))
    return _permissions(context, names, rule, place)


def _permissions(context: _Context, names: list[tuple[str, ...]], rule: MatchRule, place: Location) -> Found:
    checking = [n for n in names if not any(x in context.table("permission-open") for x in n)]
    if not checking:
        return {}
    found: Found = {rule.id: {place}}
    for candidates in checking:
        known = next((context.table("permission")[x] for x in candidates if x in context.table("permission")), None)
        if known is not None:
            found.setdefault(known.id, set()).add(place)
    return found


def _default_permissions(context: _Context) -> Found | None:
    """`DEFAULT_PERMISSION_CLASSES` in the settings' DRF dict, read once; None when not set (DRF: AllowAny)."""
    if context.has_default:
        return context.default_permissions
    context.has_default = True
    for dotted, rule in context.table("permission-setting").items():
        setting, _, key = dotted.partition(".")
        for module in context.evaluator.settings_modules():
            for _, assignment in context.evaluator.assignments(f"{module}|{setting}"):
                value = assignment.value
                if value is None or value[0] != ExprKind.DICT:
                    continue
                for index in range(0, len(value[2]) - 1, 2):
                    if string_of(value[2][index]) != key:
                        continue
                    place = Location(file=context.graphs.modules[module].path, line=assignment.line)
                    context.default_permissions = _permission_list(context, module, value[2][index + 1], rule, place)
    return context.default_permissions


RECOGNIZER = Recognizer(
    name="auth",
    run=with_auth,
    refines=frozenset({Product.ROUTES}),
    handles={
        "auth-check": frozenset(
            {
                "decorator",
                "decorator-name",
                "decorator-wrapper",
                "mixin",
                "view-decorators",
                "permission",
                "permission-open",
                "permission-decorator",
                "permission-attribute",
                "permission-setting",
                "permission-view",
            }
        )
    },
)
