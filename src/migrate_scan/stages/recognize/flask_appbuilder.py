"""Flask-AppBuilder routes: view classes registered on an AppBuilder, their `@expose`d and inherited methods.

A Flask-AppBuilder view is a class (a subclass of `BaseView`, `ModelView`,
`BaseApi`, `ModelRestApi`..., through the project's own bases) that serves
nothing until it is registered with `appbuilder.add_view(View, "Name")`,
`add_view_no_menu(View)` or `add_api(Api)`; then every method Flask-AppBuilder
finds `@expose`d on it (`dir(view)`: its own, its project bases', the framework
base class's) becomes one route per rule, under the class's `route_base`.
What the framework's base classes serve and their default route base are
knowledge (`view-base` rules in heuristics); which names a class overrides,
its `route_base`, `resource_name`, `version` and `include_route_methods` /
`exclude_route_methods` are read from the code. A method a subclass overrides
without `@expose` is served no more, as in Flask-AppBuilder.

Input: linked graphs and heuristics. Output: routes (framework
`flask-appbuilder`), and unresolved registrations where a rule, a route base
or a route-method list does not fold to literals.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.heuristics.schema import MatchRule, ViewBaseRule
from migrate_scan.model.facts import CallFact, DefinitionFact, Expr, ExprKind, FileFacts
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Recognition, UnresolvedRegistration
from migrate_scan.model.report import Evidence, Route
from migrate_scan.stages.recognize.evaluation import Evaluator
from migrate_scan.stages.recognize.expressions import argument, constructor_names, first_match, scope_of
from migrate_scan.stages.recognize.paths import flask_canonical, join_prefix
from migrate_scan.stages.recognize.registry import Product, Recognizer, producer

_SET_KINDS = (ExprKind.LIST, ExprKind.TUPLE, ExprKind.SET)
_SET_CALLS = frozenset({"bi:set", "bi:frozenset", "bi:list", "bi:tuple"})
_MAX_DEPTH = 12


@dataclass(frozen=True)
class _Exposed:
    """One rule a method serves: its handler, where it is declared and the rule that says so."""

    name: str
    rule: str
    methods: tuple[str, ...]
    handler: str
    location: Location
    evidence: str


@dataclass
class _Context:
    graphs: LinkedGraphs
    registrations: dict[str, MatchRule]
    decorators: dict[str, MatchRule]
    bases: dict[str, ViewBaseRule]
    evaluator: Evaluator
    methods: dict[str, list[tuple[FileFacts, DefinitionFact]]] = field(default_factory=dict)  # class → its methods
    attributes: dict[tuple[str, str], Expr] = field(default_factory=dict)  # (class, name) → class-level value
    found: Recognition = field(default_factory=Recognition)


def recognize(graphs: LinkedGraphs, heuristics: Heuristics) -> Recognition:
    """Find the routes of every Flask-AppBuilder view class the application registers."""
    context = _Context(
        graphs=graphs,
        registrations=_roles(heuristics.matchers("route-registration"), {"fab-view"}),
        decorators=_roles(heuristics.matchers("route-decorator"), {"fab-expose", "fab-expose-api"}),
        bases=heuristics.view_bases(),
        evaluator=Evaluator(graphs),
    )
    if not context.registrations or not context.bases or not _imports_flask_appbuilder(graphs):
        return context.found
    _index_classes(context)
    handed = _roles(heuristics.matchers("route-registration"), {"fab-view-attribute"})
    registered: dict[str, tuple[Location, MatchRule]] = {}
    for facts in sorted(graphs.modules.values(), key=lambda f: f.path):
        for call in sorted(facts.calls, key=lambda c: c.line):
            for class_symbol, rule in _registered_classes(context, facts, call):
                registered.setdefault(class_symbol, (Location(file=facts.path, line=call.line), rule))
        for class_symbol, rule, line in sorted(_handed_classes(context, facts, handed), key=lambda f: f[2]):
            registered.setdefault(class_symbol, (Location(file=facts.path, line=line), rule))
    if not registered:
        return context.found
    for class_symbol, (location, rule) in sorted(registered.items()):
        _add_view_routes(context, class_symbol, location, rule)
    context.found.limits = context.evaluator.limits()
    return context.found


def _imports_flask_appbuilder(graphs: LinkedGraphs) -> bool:
    """Whether any module imports Flask-AppBuilder (else no class can be one of its views)."""
    return any(i.module.partition(".")[0] == "flask_appbuilder" for f in graphs.modules.values() for i in f.imports)


def _roles(table: dict[str, MatchRule], roles: set[str]) -> dict[str, MatchRule]:
    return {name: rule for name, rule in table.items() if rule.role in roles}


# -- registrations ---------------------------------------------------------------------------------


def _registered_classes(context: _Context, facts: FileFacts, call: CallFact) -> Iterator[tuple[str, MatchRule]]:
    """`appbuilder.add_view(View, ...)`: the view classes it registers, with the matching rule.

    A receiver static reading cannot type as an AppBuilder (`app.appbuilder`, `self.appbuilder` in a
    security manager, a parameter) counts when the method's name is a registration's: the first argument
    must be a Flask-AppBuilder view class either way (Flask-Admin's `admin.add_view(view)` gives none)."""
    func = call.call[2][0]
    if func[0] != ExprKind.ATTRIBUTE or len(call.call[2]) < 2:
        return
    scope = scope_of(facts.module, call.scope)
    resolver = context.graphs.resolver
    rule = first_match(resolver.qualified_names(scope, func), context.registrations)
    if rule is None:
        rule = next((r for n, r in sorted(context.registrations.items()) if n.rpartition(".")[2] == func[1]), None)
        if rule is None:
            return
    for class_symbol in _view_classes(context, scope, call.call[2][1]):
        yield class_symbol, rule


def _handed_classes(
    context: _Context, facts: FileFacts, table: dict[str, MatchRule]
) -> Iterator[tuple[str, MatchRule, int]]:
    """View classes handed to Flask-AppBuilder to register itself: `appbuilder.indexview = V`,
    `AppBuilder(indexview=V)`, a security manager subclass's `role_api = V` (class-level)."""
    resolver = context.graphs.resolver
    classes = {d.qualname for d in facts.definitions if d.kind == "class"}
    for assignment in facts.assignments:
        if len(assignment.targets) != 1 or assignment.value is None:
            continue
        scope = scope_of(facts.module, assignment.scope)
        target = assignment.targets[0]
        if assignment.scope in classes and target[0] == ExprKind.NAME:
            names = [f"{a}.{target[1]!s}" for a in resolver.ancestors(scope) if ":" not in a]
        elif target[0] == ExprKind.ATTRIBUTE:
            names = list(resolver.qualified_names(scope, target))
        else:
            continue
        rule = first_match(names, table)
        if rule is not None:
            yield from ((c, rule, assignment.line) for c in _view_classes(context, scope, assignment.value))
    for call in facts.calls:
        scope = scope_of(facts.module, call.scope)
        for name, value in call.call[3]:
            if not name:
                continue
            made = constructor_names(resolver, scope, call.call[2][0])
            rule = first_match((f"{made_name}.{name}" for made_name in made), table)
            if rule is not None:
                yield from ((c, rule, call.line) for c in _view_classes(context, scope, value))


def _view_classes(context: _Context, scope: str, expr: Expr) -> list[str]:
    return [c for c in _classes_of(context, scope, expr) if _base_rules(context, c)]


def _classes_of(context: _Context, scope: str, expr: Expr) -> list[str]:
    """The project classes an argument may be: a class, or an instance made of one (`View()`)."""
    resolver = context.graphs.resolver
    found: set[str] = set()
    for where, given in context.evaluator.origins(scope, expr) or [(scope, expr)]:
        target = given[2][0] if given[0] == ExprKind.CALL else given
        found |= {v[4:] for v in resolver.values(where, target) if v.startswith("cls:")}
    return sorted(c for c in found if c in context.graphs.definitions)


def _base_rules(context: _Context, class_symbol: str) -> list[ViewBaseRule]:
    """The Flask-AppBuilder base classes in a class's MRO, as their knowledge rules, in MRO order."""
    found: list[ViewBaseRule] = []
    for owner in context.graphs.resolver.ancestors(class_symbol):
        rule = context.bases.get(owner)
        if rule is not None and rule not in found:
            found.append(rule)
    return found


# -- view classes ----------------------------------------------------------------------------------


def _index_classes(context: _Context) -> None:
    """Methods and class-level assignments of every project class, by class symbol."""
    for facts in context.graphs.modules.values():
        classes = {d.qualname for d in facts.definitions if d.kind == "class"}
        for definition in facts.definitions:
            if definition.kind != "class" and definition.scope in classes:
                context.methods.setdefault(f"{facts.module}:{definition.scope}", []).append((facts, definition))
        for assignment in facts.assignments:
            if assignment.scope in classes and len(assignment.targets) == 1 and assignment.value is not None:
                target = assignment.targets[0]
                if target[0] == ExprKind.NAME:
                    key = (f"{facts.module}:{assignment.scope}", str(target[1]))
                    context.attributes.setdefault(key, assignment.value)


def _add_view_routes(context: _Context, class_symbol: str, location: Location, registration: MatchRule) -> None:
    """Every route a registered view class serves: its MRO's exposed methods, then the base class's."""
    bases = _base_rules(context, class_symbol)
    if not bases:
        return
    # The MRO lists outside bases without their own bases (`class V(BaseSupersetView, AuthView)` puts
    # BaseView before AuthView): the route base default is the first one's that serves routes itself.
    base = next((b for b in bases if b.routes), bases[0])
    route_base = _route_base(context, class_symbol, base)
    include = _route_methods(context, class_symbol, "include_route_methods", location, registration)
    exclude = _route_methods(context, class_symbol, "exclude_route_methods", location, registration) or set()
    if route_base is None:
        _unresolved(context, registration, location, "route_base or resource_name static reading cannot fold")
        return
    seen: set[str] = set()
    exposed: list[_Exposed] = []
    for owner in (class_symbol, *context.graphs.resolver.ancestors(class_symbol)):
        for facts, definition in context.methods.get(owner, []):
            if definition.qualname.rpartition(".")[2] not in seen:
                exposed += _exposed(context, facts, definition)
        seen |= {d.qualname.rpartition(".")[2] for _, d in context.methods.get(owner, [])}
    for known in bases:
        for inherited in known.routes:
            if inherited.handler not in seen:
                handler = f"{class_symbol}.{inherited.handler}"
                methods = tuple(inherited.methods)
                exposed.append(_Exposed(inherited.handler, inherited.rule, methods, handler, location, known.id))
        seen |= {inherited.handler for inherited in known.routes}
    registered = Evidence(rule=registration.id, locations=[location])
    for route in exposed:
        if (include is not None and route.name not in include) or route.name in exclude:
            continue
        full = join_prefix(route_base, route.rule)
        evidence = [registered, Evidence(rule=route.evidence, locations=[route.location])]
        context.found.routes.append(
            Route(
                methods=sorted(set(route.methods)),
                path=flask_canonical(full),
                raw_path=full,
                handler=route.handler,
                action=route.name,
                view=class_symbol,
                framework=base.framework,
                location=route.location,
                evidence=evidence,
            )
        )


def _exposed(context: _Context, facts: FileFacts, definition: DefinitionFact) -> list[_Exposed]:
    """The rules one method's `@expose(...)`/`@expose_api(...)` decorators give it."""
    resolver = context.graphs.resolver
    scope = scope_of(facts.module, definition.scope)
    name = definition.qualname.rpartition(".")[2]
    handler = f"{facts.module}:{definition.qualname}"
    location = Location(file=facts.path, line=definition.line)
    found: list[_Exposed] = []
    for decorator in definition.decorators:
        if decorator[0] != ExprKind.CALL:
            continue
        rule = first_match(resolver.qualified_names(scope, decorator[2][0]), context.decorators)
        if rule is None:
            continue
        if rule.role == "fab-expose-api":
            given = argument(decorator, 1, "url")
            api_name = argument(decorator, 0, "name")
            url = _string(context, scope, given, 0) if given is not None else ""
            label = _string(context, scope, api_name, 0) if api_name is not None else ""
            text = url or (f"/api/{label}" if label is not None else None)
            methods_given = argument(decorator, 2, "methods")
        else:
            given = argument(decorator, 0, "url")
            text = _string(context, scope, given, 0) if given is not None else "/"
            methods_given = argument(decorator, 1, "methods")
        methods = _strings(context, scope, methods_given, 0) if methods_given is not None else {"GET"}
        if text is None or methods is None:
            _unresolved(context, rule, location, "exposed rule or methods static reading cannot fold")
            continue
        found.append(_Exposed(name, text, tuple(sorted(m.upper() for m in methods)), handler, location, rule.id))
    return found


def _class_value(context: _Context, class_symbol: str, name: str) -> tuple[str, Expr] | None:
    """A class attribute as the first class of the MRO that assigns it at class level, with that class's scope."""
    for owner in (class_symbol, *context.graphs.resolver.ancestors(class_symbol)):
        value = context.attributes.get((owner, name))
        if value is not None:
            return owner, value
    return None


def _route_base(context: _Context, class_symbol: str, base: ViewBaseRule) -> str | None:
    """The class's own `route_base`, else the base class's default (`/{class}`, `/api/{version}/{resource}`)."""
    class_name = class_symbol.rpartition(".")[2].rpartition(":")[2]
    own = _class_string(context, class_symbol, "route_base")
    if own is not None:
        return own
    if _class_value(context, class_symbol, "route_base") is not None:
        return None  # assigned, but not to a literal static reading can fold (None keeps the default)
    resource = _class_string(context, class_symbol, "resource_name")
    version = _class_string(context, class_symbol, "version")
    if _class_value(context, class_symbol, "resource_name") is not None and resource is None:
        return None
    return (
        base.route_base.replace("{class}", class_name.lower())
        .replace("{resource}", (resource or class_name).lower())
        .replace("{version}", version or base.version)
    )


def _class_string(context: _Context, class_symbol: str, name: str) -> str | None:
    """A class attribute folded to a string (None when unassigned, assigned None or not foldable)."""
    found = _class_value(context, class_symbol, name)
    if found is None or found[1] == (ExprKind.CONSTANT, None, (), ()):
        return None
    owner, value = found
    definition = context.graphs.definitions[owner]
    return _string(context, scope_of(definition.module, definition.fact.qualname), value, 0)


def _route_methods(
    context: _Context, class_symbol: str, name: str, location: Location, registration: MatchRule
) -> set[str] | None:
    """`include_route_methods` / `exclude_route_methods` folded to a set of method names (None: not set).

    Flask-AppBuilder tests `name in include_route_methods`: a string given instead of a set (a common
    slip) includes the names that are substrings of it, so it folds to the set of its substrings."""
    found = _class_value(context, class_symbol, name)
    if found is None or found[1] == (ExprKind.CONSTANT, None, (), ()):
        return None
    owner, value = found
    definition = context.graphs.definitions[owner]
    scope = scope_of(definition.module, definition.fact.qualname)
    text = _string(context, scope, value, 0)
    if text is not None:  # `include_route_methods = RouteMethod.GET`: Python's `in` on a string
        return {text[start:end] for start in range(len(text)) for end in range(start + 1, len(text) + 1)}
    names = _strings(context, scope, value, 0)
    if names is None:
        _unresolved(context, registration, location, f"{name} static reading cannot fold: not applied")
    return names


def _strings(context: _Context, scope: str, expr: Expr, depth: int) -> set[str] | None:
    """A set of strings: literals, names of them, `set()`, `{...} | {...}`, `A - {...}`; None if it does not fold."""
    if depth > _MAX_DEPTH:
        return None
    kind, value, children, _ = expr
    if kind in _SET_KINDS:
        found: set[str] = set()
        for child in children:
            if child[0] == ExprKind.STARRED:
                inner = _strings(context, scope, child[2][0], depth + 1)
                if inner is None:
                    return None
                found |= inner
                continue
            text = _string(context, scope, child, depth + 1)
            if text is None:
                return None
            found.add(text)
        return found
    if kind == ExprKind.BINARY and value in ("BitOr", "Add", "Sub", "BitAnd") and len(children) == 2:
        left = _strings(context, scope, children[0], depth + 1)
        right = _strings(context, scope, children[1], depth + 1)
        if left is None or right is None:
            return None
        return {"BitOr": left | right, "Add": left | right, "Sub": left - right, "BitAnd": left & right}[str(value)]
    if kind == ExprKind.CALL and context.graphs.resolver.values(scope, children[0]) & _SET_CALLS:
        return _strings(context, scope, children[1], depth + 1) if len(children) > 1 else set()
    if kind in (ExprKind.NAME, ExprKind.ATTRIBUTE):
        attribute = _class_attribute(context, scope, expr)
        if attribute is not None:
            return _strings(context, attribute[0], attribute[1], depth + 1)
        origins = context.evaluator.origins(scope, expr)
        if not origins or origins == [(scope, expr)]:
            return None
        found = set()
        for where, origin in origins:
            inner = _strings(context, where, origin, depth + 1)
            if inner is None:
                return None
            found |= inner
        return found
    return None


def _string(context: _Context, scope: str, expr: Expr, depth: int) -> str | None:
    """A string the evaluator folds, or a class attribute holding one (`RouteMethod.EXPORT`)."""
    text = context.evaluator.string(scope, expr)
    if text is not None or depth > _MAX_DEPTH:
        return text
    attribute = _class_attribute(context, scope, expr)
    return _string(context, attribute[0], attribute[1], depth + 1) if attribute is not None else None


def _class_attribute(context: _Context, scope: str, expr: Expr) -> tuple[str, Expr] | None:
    """What a class-level name holds: `Holder.NAME` on a project class, or `NAME` read inside a class body."""
    if expr[0] == ExprKind.NAME and (scope, str(expr[1])) in context.attributes:
        return scope, context.attributes[(scope, str(expr[1]))]
    if expr[0] != ExprKind.ATTRIBUTE:
        return None
    holders = [v[4:] for v in context.graphs.resolver.values(scope, expr[2][0]) if v.startswith("cls:")]
    if len(holders) != 1:
        return None
    found = _class_value(context, holders[0], str(expr[1]))
    if found is None:
        return None
    definition = context.graphs.definitions[found[0]]
    return scope_of(definition.module, definition.fact.qualname), found[1]


def _unresolved(context: _Context, rule: MatchRule, location: Location, detail: str) -> None:
    context.found.unresolved.append(UnresolvedRegistration(rule=rule.id, location=location, detail=detail))


RECOGNIZER = Recognizer(
    name="flask-appbuilder",
    run=producer(recognize),
    produces=frozenset({Product.ROUTES}),
    handles={
        "route-decorator": frozenset({"fab-expose", "fab-expose-api"}),
        "route-registration": frozenset({"fab-view", "fab-view-attribute"}),
    },
)
