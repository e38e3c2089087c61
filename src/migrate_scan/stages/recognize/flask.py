"""Flask routes: app and blueprint objects, their prefixes, and every way a view is registered.

Real apps spread one route over several files: the blueprint is made in a
package `__init__`, its views decorated in `routes.py`, its `url_prefix` given
by `app.register_blueprint` inside an app factory. Objects are identified by
the variable that holds them (`binding_site`, followed through imports), so
all three meet. Handled: `@x.route` and the `.get/.post/...` shortcuts,
`add_url_rule` with functions and `View.as_view(...)`, `MethodView`/`View`
classes (one route per HTTP method the class defines), nested blueprints,
Flask-RESTful/RESTX `Api.add_resource` and namespaces. Error handlers and
request hooks are not routes. A rule that is not a string literal is reported
as unresolved, with its location.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.heuristics.schema import MatchRule
from migrate_scan.model.facts import CallFact, Expr, ExprKind, FileFacts
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Recognition, UnresolvedRegistration, ViewMount
from migrate_scan.model.report import Evidence, Route
from migrate_scan.stages.recognize.evaluation import UNKNOWN, Binding, Evaluator, bind
from migrate_scan.stages.recognize.expressions import (
    constructor_names,
    first_match,
    functions_of,
    keyword,
    scope_of,
    string_of,
    template_of,
)
from migrate_scan.stages.recognize.paths import flask_canonical, join_prefix
from migrate_scan.stages.recognize.registry import Product, Recognizer, producer

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class _Object:
    """An app, blueprint, Api or namespace, by the variable that holds it."""

    site: str
    role: str
    rule: MatchRule
    prefix: str = ""
    location: Location | None = None
    parents: list[tuple[str, str | None]] = field(default_factory=list)  # (parent site, prefix given there)


@dataclass(frozen=True)
class _Marker:
    """A rule prefix a project's `add_url_rule` override strips (`"!/x"` → `"/x"`), dropping the prefixes or not."""

    text: str
    strip: int
    is_unprefixed: bool
    location: Location


@dataclass
class _Context:
    graphs: LinkedGraphs
    objects: dict[str, _Object]
    decorators: dict[str, MatchRule]
    registrations: dict[str, MatchRule]
    object_rules: dict[str, MatchRule]
    evaluator: Evaluator
    assigned: dict[str, tuple[str, Expr]] = field(default_factory=dict)  # site → (scope, value) of its assignment
    markers: list[_Marker] = field(default_factory=list)
    found: Recognition = field(default_factory=Recognition)


def recognize(graphs: LinkedGraphs, heuristics: Heuristics) -> Recognition:
    """Find every Flask route the application registers."""
    context = _Context(
        graphs=graphs,
        objects={},
        decorators=_own_roles(heuristics.matchers("route-decorator"), "route-decorator"),
        registrations=_own_roles(heuristics.matchers("route-registration"), "route-registration"),
        object_rules=_own_roles(heuristics.matchers("app-object"), "app-object"),
        evaluator=Evaluator(graphs),
    )
    for facts in graphs.modules.values():
        _find_objects(context, facts, context.object_rules)
    if not context.objects:
        return context.found
    for facts in graphs.modules.values():
        _find_nesting(context, facts)
        context.markers += _rule_markers(context, facts)
    for facts in graphs.modules.values():
        _find_decorated_views(context, facts)
        _find_registered_views(context, facts)
    context.found.limits = context.evaluator.limits()
    return context.found


def _own_roles(table: dict[str, MatchRule], kind: str) -> dict[str, MatchRule]:
    """The rules of a kind whose role this recognizer handles (Flask-AppBuilder's have their own)."""
    roles = RECOGNIZER.handles[kind]
    return {name: rule for name, rule in table.items() if rule.role in roles}


# -- objects and where they are mounted -------------------------------------------------


def _find_objects(context: _Context, facts: FileFacts, rules: dict[str, MatchRule]) -> None:
    resolver = context.graphs.resolver
    for assignment in facts.assignments:
        value = assignment.value
        if value is None or value[0] != ExprKind.CALL:
            continue
        scope = scope_of(facts.module, assignment.scope)
        value = _handed_back(context, scope, value) or value  # `bp = timed(Blueprint("v1", __name__))`
        for target in assignment.targets:
            if target[0] == ExprKind.NAME:
                context.assigned.setdefault(f"{scope}|{target[1]!s}", (scope, value))
        rule = first_match(constructor_names(resolver, scope, value[2][0]), rules)
        if rule is None:
            continue
        # `blueprint = _bp = Blueprint(...)`: one object, whichever name registers it or its routes
        sites = [site for site in (resolver.binding_site(scope, t) for t in assignment.targets) if site is not None]
        if not sites:
            continue
        prefix = _own_prefix(context, scope, value, rule.role)
        location = Location(file=facts.path, line=assignment.line)
        obj = _Object(site=sites[0], role=rule.role, rule=rule, prefix=prefix, location=location)
        for site in sites:
            context.objects.setdefault(site, obj)
        if rule.role == "api" and len(value[2]) > 1:  # Api(app_or_blueprint)
            parent = resolver.binding_site(scope, value[2][1])
            if parent is not None:
                obj.parents.append((parent, None))
        elif rule.role == "api":
            for name, argument in value[3]:
                if name == "app":
                    parent = resolver.binding_site(scope, argument)
                    if parent is not None:
                        obj.parents.append((parent, None))


def _handed_back(context: _Context, scope: str, call: Expr) -> Expr | None:
    """The call made in the first argument of a function of ours that only ever returns that argument
    (`def timed_blueprint(bp, ...): bp.before_request(...); return bp`); None for any other call."""
    functions = [v[4:] for v in context.graphs.resolver.values(scope, call[2][0]) if v.startswith("def:")]
    definition = context.graphs.definitions.get(functions[0]) if len(functions) == 1 else None
    if definition is None or len(call[2]) < 2 or call[2][1][0] != ExprKind.CALL:
        return None
    positional = [p.name for p in definition.fact.parameters if p.kind == "positional"]
    returned = context.evaluator.returns(functions[0])
    if not positional or not returned or any(r[:2] != (ExprKind.NAME, positional[0]) for r in returned):
        return None
    return call[2][1]


def _find_nesting(context: _Context, facts: FileFacts) -> None:
    """`parent.register_blueprint(child, url_prefix=...)` and `api.add_namespace(ns, path=...)`; `api.init_app(app)`."""
    for call, scope, owner, rule, binding in _registration_calls(context, facts, ("blueprint", "namespace")):
        with context.evaluator.bound(binding) if binding is not None else nullcontext():
            _nest(context, facts, call, scope, owner, rule)
    for call in facts.calls:
        func = call.call[2][0]
        if func[0] == ExprKind.ATTRIBUTE and func[1] == "init_app" and len(call.call[2]) > 1:
            scope = scope_of(facts.module, call.scope)
            api = context.graphs.resolver.binding_site(scope, func[2][0])
            target = context.graphs.resolver.binding_site(scope, call.call[2][1])
            if api in context.objects and context.objects[api].role == "api" and target is not None:
                context.objects[api].parents.append((target, None))


def _nest(context: _Context, facts: FileFacts, call: CallFact, scope: str, owner: str, rule: MatchRule) -> None:
    """One `register_blueprint`/`add_namespace`: the child objects it may mount, under its prefix."""
    arguments = call.call[2][1:]
    if not arguments:
        return
    children = _objects_of(context, scope, arguments[0])
    if not children:
        location = Location(file=facts.path, line=call.line)
        _unresolved(context, rule, location, "registered object is not a blueprint static reading can follow")
        return
    if rule.role == "blueprint":
        given = keyword(call.call, "url_prefix")
    else:  # `api.add_namespace(ns, "/path")` or `path="/path"`
        given = keyword(call.call, "path") or (arguments[1] if len(arguments) > 1 else None)
    prefix = context.evaluator.string(scope, given) if given is not None else None
    for child in children:
        if (owner, prefix) not in context.objects[child].parents:
            context.objects[child].parents.append((owner, prefix))


def _own_prefix(context: _Context, scope: str, call: Expr, role: str) -> str:
    """The prefix an object gives its routes: `url_prefix=` (blueprint), `prefix=` (Api), a namespace's path.

    A Flask-RESTX namespace serves at `path=`, else at `/<name>`, until an `add_namespace` gives another.
    """
    evaluator = context.evaluator
    if role == "namespace":
        path = keyword(call, "path")
        if path is not None:
            return evaluator.string(scope, path) or ""
        name = call[2][1] if len(call[2]) > 1 else keyword(call, "name")
        text = evaluator.string(scope, name) if name is not None else None
        return f"/{text}" if text else ""
    for keyword_name in ("url_prefix", "prefix"):
        given = keyword(call, keyword_name)
        if given is not None:
            return evaluator.string(scope, given) or ""
    return ""


def _objects_of(context: _Context, scope: str, expr: Expr) -> list[str]:
    """The blueprints, Apis or namespaces an expression may hold (through loops, parameters, tuples)."""
    resolver = context.graphs.resolver
    direct = resolver.binding_site(scope, expr)
    if direct is not None and direct in context.objects:
        return [direct]
    found: list[str] = []
    evaluator = context.evaluator
    for where, origin in evaluator.origins(scope, expr, stop=context.objects.__contains__):
        # a factory's product: `register_blueprint(account.make_blueprint())`
        made = (
            evaluator.returned_origins(where, origin, stop=context.objects.__contains__)
            if origin[0] == ExprKind.CALL
            else []
        )
        for made_where, made_origin in made or [(where, origin)]:
            site = resolver.binding_site(made_where, made_origin)
            if site is not None and site in context.objects and site not in found:
                found.append(site)
    return sorted(found)


def _mount_points(context: _Context, site: str, depth: int = 0) -> list[str]:
    """Every URL prefix an object's routes get, through all the places it is mounted."""
    obj = context.objects.get(site)
    if obj is None or depth > 10:
        return [""]
    if obj.role == "app":
        return [obj.prefix]
    if not obj.parents:
        return [obj.prefix]
    prefixes = []
    for parent, given in obj.parents:
        own = obj.prefix if given is None else given
        for outer in _mount_points(context, parent, depth + 1):
            prefixes.append(join_prefix(outer, own))
    return sorted(set(prefixes))


def _rule_markers(context: _Context, facts: FileFacts) -> list[_Marker]:
    """Markers a project's override of a Flask `add_url_rule` strips from the rules that start with them.

    Flask refuses a rule that does not start with `/`; a blueprint (or its setup state) whose
    `add_url_rule` tests `rule.startswith("!/")` and registers `rule[1:]` serves such rules without
    the marker, and, when that branch also clears `self.url_prefix` (itself or through a method
    of the class, as a context manager does), without any prefix.
    """
    resolver = context.graphs.resolver
    found: list[_Marker] = []
    for definition in facts.definitions:
        if definition.kind != "function" or definition.name != "add_url_rule" or not definition.scope:
            continue
        owner = f"{facts.module}:{definition.scope}"
        positional = [p.name for p in definition.parameters if p.kind == "positional"]
        if len(positional) < 2 or not any(a.startswith("flask.") for a in resolver.ancestors(owner)):
            continue
        rule = (ExprKind.NAME, positional[1], (), ())
        for branch in facts.branches:
            test = branch.test
            if branch.scope != definition.qualname or test[0] != ExprKind.CALL or len(test[2]) != 2:
                continue
            if test[2][0][:2] != (ExprKind.ATTRIBUTE, "startswith") or test[2][0][2][0] != rule:
                continue
            text = string_of(test[2][1])
            calls = [
                c for c in facts.calls if c.scope == definition.qualname and branch.line < c.line <= branch.body_end
            ]
            strip = next((n for c in calls if (n := _sliced(c.call, rule)) is not None), None)
            if not text or strip is None:
                continue
            unprefixed = any(_clears_prefix(context, facts, owner, c.call) for c in calls)
            location = Location(file=facts.path, line=branch.line)
            found.append(_Marker(text=text, strip=strip, is_unprefixed=unprefixed, location=location))
    return found


def _sliced(call: Expr, rule: Expr) -> int | None:
    """`...(rule[n:], ...)`: the n characters a call passes its rule on without."""
    arguments = call[2][1:]
    if not arguments or arguments[0][0] != ExprKind.SUBSCRIPT or arguments[0][2][0] != rule:
        return None
    index = arguments[0][2][1]
    if index[:2] != (ExprKind.OTHER, "Slice") or index[2][0][0] != ExprKind.CONSTANT:
        return None
    lower = index[2][0][1]
    return lower if isinstance(lower, int) and not isinstance(lower, bool) else None


def _clears_prefix(context: _Context, facts: FileFacts, owner: str, call: Expr) -> bool:
    """`self.m()` where the class's method `m` assigns `self.url_prefix` (for the duration of a `with`)."""
    func = call[2][0]
    if func[0] != ExprKind.ATTRIBUTE or func[2][0] != (ExprKind.NAME, "self", (), ()):
        return False
    method = context.graphs.definitions.get(f"{owner}.{func[1]!s}")
    if method is None:
        return False
    scope = method.fact.qualname
    return any(
        a.scope == scope and a.targets and a.targets[0][:2] == (ExprKind.ATTRIBUTE, "url_prefix")
        for a in context.graphs.modules[method.module].assignments
    )


def _rule_heads(context: _Context, call: CallFact, scope: str, owner: str) -> list[str] | None:
    """What the owner's own `add_url_rule` override puts in front of each rule, where it is known.

    An override that forwards `super().add_url_rule(self.head + rule, ...)` (perhaps twice, the
    second under `if self.other:`) registers each rule once per forward, with the attributes as
    the object has them: as `__init__` sets them, or, inside `with bp.prefixed("/x", "/y"):`, as
    that context-manager method of the class sets them from its arguments. None when the owner's
    class has no such override (or an attribute does not fold): the rule as written.
    """
    resolver = context.graphs.resolver
    klass = _owner_class(context, owner)
    override = _project_method(context, klass, "add_url_rule") if klass is not None else None
    if klass is None or override is None:
        return None
    definition = context.graphs.definitions[override]
    facts = context.graphs.modules[definition.module]
    positional = [p.name for p in definition.fact.parameters if p.kind == "positional"]
    if len(positional) < 2:
        return None
    rule = (ExprKind.NAME, positional[1], (), ())
    forwards = [
        (c, head)
        for c in facts.calls
        if c.scope == definition.fact.qualname
        and c.call[2][0][:2] == (ExprKind.ATTRIBUTE, "add_url_rule")
        and len(c.call[2]) > 1
        and (head := _head_attribute(c.call[2][1], rule)) is not None
    ]
    if not any(head for _, head in forwards):
        return None
    with_calls = [
        b.test
        for b in context.graphs.modules[_module_of(scope)].branches
        if b.kind == "with" and scope_of(_module_of(scope), b.scope) == scope and b.line < call.line <= b.body_end
    ]
    managers = [
        (method, test)
        for test in with_calls
        if test[0] == ExprKind.CALL
        and test[2][0][0] == ExprKind.ATTRIBUTE
        and resolver.binding_site(scope, test[2][0][2][0]) == owner
        and (method := _project_method(context, klass, str(test[2][0][1]))) is not None
    ]
    heads: list[str] = []
    for forward, head in forwards:
        guards = [
            b.test
            for b in facts.branches
            if b.kind == "if" and b.scope == definition.fact.qualname and b.line < forward.line <= b.body_end
        ]
        decided = [_attribute_value(context, klass, managers, scope, g) for g in guards if _self_attribute(g)]
        if any(value is UNKNOWN for value in decided):
            return None
        if not all(decided):
            continue
        text = (
            _attribute_value(context, klass, managers, scope, (ExprKind.ATTRIBUTE, head, (_SELF,), ())) if head else ""
        )
        if not isinstance(text, str):
            return None
        heads.append(text)
    return heads


_SELF: Expr = (ExprKind.NAME, "self", (), ())


def _self_attribute(expr: Expr) -> bool:
    return expr[0] == ExprKind.ATTRIBUTE and expr[2][0] == _SELF


def _head_attribute(given: Expr, rule: Expr) -> str | None:
    """`self.head + rule` → "head"; `rule` → ""; anything else → None."""
    if given == rule:
        return ""
    if given[0] == ExprKind.BINARY and given[1] == "Add" and given[2][1] == rule and _self_attribute(given[2][0]):
        return str(given[2][0][1])
    return None


def _attribute_value(
    context: _Context, klass: str, managers: list[tuple[str, Expr]], scope: str, attribute: Expr
) -> object:
    """`self.x` as the innermost enclosing context-manager method sets it (bound to its arguments),
    else as the class's `__init__` sets it; UNKNOWN when neither folds."""
    name = str(attribute[1])
    evaluator = context.evaluator
    for method, with_call in reversed(managers):
        value = _first_self_assignment(context, method, name)
        if value is not None:
            definition = context.graphs.definitions[method]
            with evaluator.bound(bind(definition.fact, method, scope, with_call)):
                return evaluator.constant(method, value)
    init = _project_method(context, klass, "__init__")
    value = _first_self_assignment(context, init, name) if init is not None else None
    return evaluator.constant(str(init), value) if value is not None else UNKNOWN


def _first_self_assignment(context: _Context, method: str, name: str) -> Expr | None:
    definition = context.graphs.definitions[method]
    for assignment in context.graphs.modules[definition.module].assignments:
        target = assignment.targets[0] if assignment.targets else None
        if assignment.scope == definition.fact.qualname and target == (ExprKind.ATTRIBUTE, name, (_SELF,), ()):
            return assignment.value
    return None


def _owner_class(context: _Context, owner: str) -> str | None:
    """The project class an object was made from (`bp = AppBlueprint(...)`), if it is one."""
    made = context.assigned.get(owner)
    if made is None:
        return None
    classes = [v[4:] for v in context.graphs.resolver.values(made[0], made[1][2][0]) if v.startswith("cls:")]
    return classes[0] if len(classes) == 1 and classes[0] in context.graphs.definitions else None


def _project_method(context: _Context, klass: str | None, name: str) -> str | None:
    """The project's own method `name` of a class, through its MRO."""
    if klass is None:
        return None
    found = functions_of({v for v in context.graphs.resolver.class_attribute(klass, name) if not v.startswith("ext:")})
    return found[0] if found and found[0] in context.graphs.definitions else None


def _module_of(scope: str) -> str:
    return scope.partition(":")[0]


# -- views --------------------------------------------------------------------------------


def _find_decorated_views(context: _Context, facts: FileFacts) -> None:
    resolver = context.graphs.resolver
    for definition in facts.definitions:
        if definition.kind == "lambda":
            continue
        scope = scope_of(facts.module, definition.scope)
        handler = f"{facts.module}:{definition.qualname}"
        for decorator in definition.decorators:
            if decorator[0] != ExprKind.CALL or decorator[2][0][0] != ExprKind.ATTRIBUTE:
                continue
            func = decorator[2][0]
            rule = first_match(resolver.qualified_names(scope, func), context.decorators)
            if rule is None:
                continue
            owner = _owner(context, scope, func[2][0])
            raw = _rule_argument(context, scope, decorator)
            location = Location(file=facts.path, line=definition.line)
            if raw is None or owner is None:
                _unresolved(context, rule, location, "route rule or owner is computed at run time")
                continue
            if definition.kind == "class":  # Flask-RESTX `@ns.route("/x")` on a Resource
                _add_class_routes(context, owner, raw, handler, rule, location)
                continue
            methods = rule.methods or _methods_argument(decorator) or ["GET"]
            _add_routes(context, owner, raw, methods, handler, None, rule, location)


def _find_registered_views(context: _Context, facts: FileFacts) -> None:
    evaluator = context.evaluator
    for call, scope, owner, rule, binding in _registration_calls(context, facts, ("url-rule", "resource")):
        location = Location(file=facts.path, line=call.line)
        with evaluator.bound(binding) if binding is not None else nullcontext():
            # `for prefix, view in TABLE: bp.add_url_rule(prefix + "/x", view_func=view)`: once per row.
            arguments = [*call.call[2][1:], *(value for _, value in call.call[3])]
            for row in evaluator.loop_rows(scope, arguments, call.line) if binding is None else [[]]:
                with evaluator.row(row):
                    if row and evaluator.is_dead(facts, scope.partition(":")[2], call.line):
                        continue  # `if kind != "category":` around the call, false for this row
                    if rule.role == "url-rule":
                        _add_url_rule(context, call, scope, owner, rule, location, shows_computed=binding is None)
                    else:
                        _add_resource(context, call, scope, owner, rule, location)


def _add_url_rule(
    context: _Context,
    call: CallFact,
    scope: str,
    owner: str,
    rule: MatchRule,
    location: Location,
    shows_computed: bool = True,
) -> None:
    """One `add_url_rule` call (read once per call site of the helper it is in, when it is in one).

    A rule of run-time values (`f"/{locale}/"`) is kept with those parts shown as parameters when the
    call is the tree's own statement; inside a helper (`shows_computed` false) every call site would
    add the same placeholder route for each view it is given: left unresolved instead.
    """
    expr = call.call
    rules = _rule_arguments(context, scope, expr)
    if not rules and shows_computed:  # `add_url_rule(f"/{locale}/", ...)`: its computed parts shown
        computed = _computed_rule(expr)
        if computed is not None:
            rules = [computed]
            _unresolved(context, rule, location, f"route computed at run time, shown as {computed!r}")
    heads = _rule_heads(context, call, scope, owner)
    rules = [head + raw for head in heads for raw in rules] if heads is not None else rules
    view = keyword(expr, "view_func")
    if view is None and len(expr[2]) > 3:
        view = expr[2][3]
    if not rules or view is None:
        _unresolved(context, rule, location, "add_url_rule without a literal rule or a view function")
        return
    resolver = context.graphs.resolver
    methods = _methods_argument(expr)
    for view_scope, given in context.evaluator.origins(scope, view) or [(scope, view)]:
        if given[0] == ExprKind.CALL and given[2][0][0] == ExprKind.ATTRIBUTE and given[2][0][1] == "as_view":
            owner_class = given[2][0][2][0]
            classes = [v[4:] for v in resolver.values(view_scope, owner_class) if v.startswith("cls:")]
            views = tuple(classes) or resolver.qualified_names(view_scope, owner_class)
            for raw in rules:
                _add_mounts(context, owner, raw, given, views, location)
            if not classes:
                _unresolved(context, rule, location, "as_view() on a class static reading cannot follow")
            for class_symbol in classes:
                for raw in rules:
                    _add_class_routes(context, owner, raw, class_symbol, rule, location, methods)
            continue
        values = resolver.values(view_scope, given)
        if given[0] == ExprKind.CALL:  # `redirect_view("home")`: what this call of a factory returns
            values = context.evaluator.returned(view_scope, given) or values
        functions = functions_of(values)
        classes = sorted(v[4:] for v in values if v.startswith("cls:"))
        if not functions and not classes:
            _unresolved(context, rule, location, "view function static reading cannot follow")
        for handler in functions:
            for raw in rules:
                _add_routes(context, owner, raw, methods or ["GET"], handler, None, rule, location)
        for class_symbol in classes:  # a class given as the view (an override of add_url_rule wraps it)
            handler = _class_entry(context, class_symbol)
            for raw in rules:
                _add_routes(context, owner, raw, methods or ["GET"], handler, None, rule, location, class_symbol)


def _add_resource(
    context: _Context, call: CallFact, scope: str, owner: str, rule: MatchRule, location: Location
) -> None:
    expr = call.call
    arguments = expr[2][1:]
    if not arguments:
        return
    classes = sorted(
        {
            v[4:]
            for where, given in context.evaluator.origins(scope, arguments[0]) or [(scope, arguments[0])]
            for v in context.graphs.resolver.values(where, given)
            if v.startswith("cls:")
        }
    )
    paths = [
        text
        for where, given in _arguments(context, scope, arguments[1:])
        if (text := context.evaluator.string(where, given)) is not None
    ]
    if not classes or not paths:
        _unresolved(context, rule, location, "add_resource with a resource or path static reading cannot follow")
        return
    for class_symbol in classes:
        for raw in paths:
            _add_class_routes(context, owner, raw, class_symbol, rule, location)


def _add_class_routes(
    context: _Context,
    owner: str,
    raw: str,
    class_symbol: str,
    rule: MatchRule,
    location: Location,
    methods: list[str] | None = None,
) -> None:
    """One route per HTTP method a class-based view or resource defines (through its MRO)."""
    resolver = context.graphs.resolver
    methods = methods or _declared_methods(context, class_symbol)
    handled = []
    for method in HTTP_METHODS:
        if methods and method.upper() not in methods:
            continue
        handled += [(method, handler) for handler in functions_of(resolver.class_attribute(class_symbol, method))]
    if not handled:  # a plain View: dispatch_request serves the methods it declares
        for handler in functions_of(resolver.class_attribute(class_symbol, "dispatch_request")):
            handled += [(method.lower(), handler) for method in methods or ["GET"]]
    for method, handler in handled:
        _add_routes(context, owner, raw, [method.upper()], handler, method, rule, location, view=class_symbol)


def _add_mounts(
    context: _Context, owner: str, raw: str, view: Expr, views: tuple[str, ...], location: Location
) -> None:
    """Publish where a class-based view is served, at every mount point of its owner."""
    obj = context.objects.get(owner)
    if obj is None:
        return
    keywords = tuple(sorted(str(name) for name, _ in view[3] if name))
    for prefix in _mount_points(context, owner):
        full = join_prefix(prefix, raw)
        context.found.mounts.append(
            ViewMount(
                path=flask_canonical(full),
                raw_path=full,
                views=views,
                keywords=keywords,
                framework=obj.rule.framework,
                location=location,
            )
        )


_CLASS_ENTRY_METHODS = ("dispatch_request", "__call__", "dispatch", "process")


def _class_entry(context: _Context, class_symbol: str) -> str:
    """The method a class given as a view runs requests through, else the class itself."""
    for name in _CLASS_ENTRY_METHODS:
        found = functions_of(context.graphs.resolver.class_attribute(class_symbol, name))
        if found:
            return found[0]
    return class_symbol


def _declared_methods(context: _Context, class_symbol: str) -> list[str]:
    """A view class's own `methods = [...]` (Flask's `View.methods`), through its MRO."""
    graphs = context.graphs
    for owner in (class_symbol, *graphs.resolver.ancestors(class_symbol)):
        definition = graphs.definitions.get(owner)
        if definition is None:
            continue
        for assignment in graphs.modules[definition.module].assignments:
            target = assignment.targets[0] if assignment.targets else None
            if assignment.scope == definition.fact.qualname and target == (ExprKind.NAME, "methods", (), ()):
                value = assignment.value
                if value is not None and value[0] in (ExprKind.LIST, ExprKind.TUPLE, ExprKind.SET):
                    return [str(c[1]).upper() for c in value[2] if string_of(c) is not None]
    return []


def _add_routes(
    context: _Context,
    owner: str,
    raw: str,
    methods: list[str],
    handler: str,
    action: str | None,
    rule: MatchRule,
    location: Location,
    view: str | None = None,
) -> None:
    obj = context.objects.get(owner)
    if obj is None:
        return
    framework = "flask-restful" if obj.role in ("api", "namespace") else rule.framework
    evidence = [Evidence(rule=rule.id, locations=[location])]
    if obj.location is not None:
        evidence.append(Evidence(rule=obj.rule.id, locations=[obj.location]))
    prefixes = _mount_points(context, owner)
    marker = next((m for m in context.markers if raw.startswith(m.text)), None) if obj.role == "blueprint" else None
    if marker is not None:  # `"!/x"` through the project's add_url_rule override
        raw = raw[marker.strip :]
        prefixes = [""] if marker.is_unprefixed else prefixes
        evidence.append(Evidence(rule=rule.id, locations=[marker.location]))
    for prefix in prefixes:
        full = join_prefix(prefix, raw)
        context.found.routes.append(
            Route(
                methods=sorted({m.upper() for m in methods}),
                path=flask_canonical(full),
                raw_path=full,
                handler=handler,
                action=action,
                view=view,
                framework=framework,
                location=location,
                evidence=evidence,
            )
        )


# -- expressions ----------------------------------------------------------------------------


def _registration_calls(
    context: _Context, facts: FileFacts, roles: tuple[str, ...]
) -> Iterator[tuple[CallFact, str, str, MatchRule, Binding | None]]:
    """Registration calls with their owner object; inside the application's own helper functions
    (`def register_view(bp, routes, view): for r in routes: bp.add_url_rule(r, view_func=view)`),
    once per call site of the helper, with its parameters bound to that call's arguments."""
    resolver = context.graphs.resolver
    for call in facts.calls:
        func = call.call[2][0]
        if func[0] != ExprKind.ATTRIBUTE:
            continue
        scope = scope_of(facts.module, call.scope)
        rule = first_match(resolver.qualified_names(scope, func), context.registrations)
        if rule is None:
            rule = _overridden_registration(context, scope, func)
        if rule is None and "blueprint" in roles:
            rule = _untyped_blueprint_registration(context, scope, call.call)
        if rule is None or rule.role not in roles or _is_override_of(context, scope, str(func[1])):
            continue
        owner = _owner(context, scope, func[2][0])
        bindings = context.evaluator.call_sites(scope) if _reads_locals(context, scope, call.call) else []
        if owner is None and not bindings and call.scope:
            bindings = context.evaluator.call_sites(scope)
        if not bindings:
            if owner is None and rule.role == "blueprint":
                # `app.register_blueprint(bp)` in a hook nothing in the tree calls (a plugin hook, a
                # callback): a blueprint is registered on the application (or its routes are not served).
                owner = _any_app(context, rule)
            if owner is None:
                location = Location(file=facts.path, line=call.line)
                _unresolved(context, rule, location, "registered on an object static reading cannot follow")
                continue
            yield call, scope, owner, rule, None
            continue
        for binding in bindings:
            with context.evaluator.bound(binding):
                owners = [owner] if owner is not None else _objects_of(context, scope, func[2][0])
            for found in owners:
                yield call, scope, found, rule, binding


def _overridden_registration(context: _Context, scope: str, func: Expr) -> MatchRule | None:
    """`bp.add_url_rule(...)` where the project's Blueprint subclass overrides `add_url_rule`: the
    framework method it overrides (an override registers, then calls the original)."""
    resolver = context.graphs.resolver
    for value in sorted(resolver.values(scope, func)):
        if not value.startswith(("bnd:", "def:")):
            continue
        owner, _, name = value[4:].rpartition(".")
        if ":" not in owner:
            continue
        for ancestor in resolver.ancestors(owner):
            rule = context.registrations.get(f"{ancestor}.{name}")
            if rule is not None:
                return rule
    return None


def _is_override_of(context: _Context, scope: str, name: str) -> bool:
    """Whether `scope` is a method named `name` overriding a framework registration method: the call
    it makes to the original forwards its caller's registration (counted at the caller), it is none."""
    owner, _, method = scope.rpartition(".")
    if method != name or ":" not in owner:
        return False
    ancestors = context.graphs.resolver.ancestors(owner)
    return any(f"{ancestor}.{name}" in context.registrations for ancestor in ancestors)


def _untyped_blueprint_registration(context: _Context, scope: str, call: Expr) -> MatchRule | None:
    """`app.register_blueprint(bp, ...)` on a receiver static reading cannot type (a hook's parameter),
    recognised by the method's name and by its first argument being one of the blueprints."""
    func = call[2][0]
    rules = [r for n, r in context.registrations.items() if r.role == "blueprint" and n.rpartition(".")[2] == func[1]]
    arguments = call[2][1:]
    if not rules or not arguments or context.graphs.resolver.qualified_names(scope, func[2][0]):
        return None
    children = _objects_of(context, scope, arguments[0])
    return rules[0] if any(context.objects[c].role == "blueprint" for c in children) else None


def _reads_locals(context: _Context, scope: str, call: Expr) -> bool:
    """Whether a call inside a function passes it one of the function's own variables or parameters."""
    if scope not in context.graphs.definitions:
        return False
    arguments = [a[2][0] if a[0] == ExprKind.STARRED else a for a in call[2][1:]]
    arguments += [value for _, value in call[3]]
    for argument in arguments:
        if argument[0] == ExprKind.NAME:
            site = context.graphs.resolver.binding_site(scope, argument)
            if site is not None and site.startswith(f"{scope}|"):
                return True
    return False


_ANY_APP = "<the Flask application>"


def _owner(context: _Context, scope: str, expr: Expr) -> str | None:
    """The object a registration or decorator is made on.

    A variable we saw assigned; else, when all static reading knows is that
    it is a Flask application (`def register_blueprints(app): app.register_blueprint(...)`),
    the application: routes on it take no prefix.
    """
    resolver = context.graphs.resolver
    site = resolver.binding_site(scope, expr)
    if site is not None and site in context.objects:
        return site
    for name in resolver.qualified_names(scope, expr):
        rule = context.object_rules.get(name)
        if rule is not None and rule.role == "app":
            context.objects.setdefault(_ANY_APP, _Object(site=_ANY_APP, role="app", rule=rule))
            return _ANY_APP
    return None


def _any_app(context: _Context, registration: MatchRule) -> str | None:
    """The application as an owner, known only by what is registered on it."""
    rule = next((r for r in context.object_rules.values() if r.role == "app"), None)
    if rule is None:
        return None
    context.objects.setdefault(_ANY_APP, _Object(site=_ANY_APP, role="app", rule=rule))
    return _ANY_APP


def _rule_argument(context: _Context, scope: str, call: Expr) -> str | None:
    """The URL rule: first positional argument or `rule=`, folded to a string (constants, helpers)."""
    arguments = call[2][1:]
    return context.evaluator.string(scope, arguments[0] if arguments else keyword(call, "rule"))


def _computed_rule(call: Expr) -> str | None:
    """The URL rule of an f-string or `str.format` call, each computed part shown as `{name}`."""
    arguments = call[2][1:]
    given = arguments[0] if arguments else keyword(call, "rule")
    if given is None or given[0] not in (ExprKind.FSTRING, ExprKind.CALL):
        return None
    template = template_of(given)
    return template[0] if template is not None and template[0].startswith("/") else None


def _rule_arguments(context: _Context, scope: str, call: Expr) -> list[str]:
    """Every URL rule the first argument (or `rule=`) may be: one per value of a loop over literals."""
    arguments = call[2][1:]
    return context.evaluator.strings(scope, arguments[0] if arguments else keyword(call, "rule"))


def _arguments(context: _Context, scope: str, arguments: tuple[Expr, ...]) -> list[tuple[str, Expr]]:
    """Positional arguments, a starred sequence unpacked into its elements where they can be known."""
    found: list[tuple[str, Expr]] = []
    for argument in arguments:
        if argument[0] == ExprKind.STARRED:
            found += context.evaluator.elements(scope, argument[2][0]) or []
        else:
            found.append((scope, argument))
    return found


def _methods_argument(call: Expr) -> list[str]:
    value = keyword(call, "methods")
    if value is None or value[0] not in (ExprKind.LIST, ExprKind.TUPLE, ExprKind.SET):
        return []
    return [str(c[1]).upper() for c in value[2] if c[0] == ExprKind.CONSTANT and isinstance(c[1], str)]


def _unresolved(context: _Context, rule: MatchRule, location: Location, detail: str) -> None:
    context.found.unresolved.append(UnresolvedRegistration(rule=rule.id, location=location, detail=detail))


RECOGNIZER = Recognizer(
    name="flask",
    run=producer(recognize),
    produces=frozenset({Product.ROUTES, Product.VIEW_MOUNTS}),
    handles={
        "app-object": frozenset({"api", "app", "blueprint", "namespace"}),
        "route-decorator": frozenset({""}),
        "route-registration": frozenset({"blueprint", "namespace", "resource", "url-rule"}),
    },
)
