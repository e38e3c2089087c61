"""Django and Django REST framework routes: the URLconf tree from ROOT_URLCONF down.

The root is the module named by `ROOT_URLCONF = "x.urls"` in any module (the
settings); without one, every module with `urlpatterns` that no other module
includes. From the root, `urlpatterns` is read as Django builds it: list
literals, `+=`, `.append`/`.extend`, concatenations and names of other lists
(followed through imports); `path`, `re_path` and legacy `url` entries;
`include("dotted.module")`, `include(list)`, `include((patterns, app_name),
namespace=...)` with the prefixes applied down the chain; DRF routers
(`include(router.urls)`, `urlpatterns += router.urls`).

Views:
- `View.as_view()`: one route per HTTP method the class has through its MRO:
  methods the project's classes define (handler where defined), methods
  Django's or DRF's generic classes define (the `view-class` table; handler
  `module:Class.method` on the routed class), `http_method_names` honoured.
  `ViewSet.as_view({"get": "list"})` maps each method to its action.
- function views (also the inner function a project factory returns,
  `redirect_view("home")`): methods from `@require_http_methods([...])`,
  `@require_GET/POST/safe` and DRF `@api_view([...])` (several decorators
  intersect); a plain function view accepts any method: reported as `["*"]`.
- router registrations (also inside the project's helpers that take the router
  as a parameter, `def add_urls(router): router.register(path, V)`, followed to
  each call site; the prefix folded from constants): the list route `prefix/` and the detail route
  `prefix/{lookup}/` (`lookup_url_kwarg`, else `lookup_field`, else `pk`),
  one route per action the viewset has (own methods or the `viewset-action`
  table of ModelViewSet, ReadOnlyModelViewSet and the mixins), plus each
  `@action(detail=..., methods=[...], url_path=...)`. `action` in the report is
  the viewset action; for class-based views it is the method (`get`).
- a DefaultRouter's API root is reported as a framework-generated GET route,
  handler `rest_framework.routers:APIRootView.get` (evidence `drf.router.api-root`),
  or the project's own root view class when it sets one (`router.APIRootView = X`,
  or `APIRootView = X` in the body of its router subclass).
  DRF's `.{format}` suffix twins are not reported: they are the same handlers.

Not routes: `admin.site.urls` (Django's generated admin) and `static(...)`
(media/static files served in DEBUG only). What static reading cannot follow
(patterns returned by a call, a computed route string, an include of a module
outside the scanned tree, a view it cannot resolve) goes to `unresolved` with
its location.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.heuristics.schema import MatchRule
from migrate_scan.model.facts import Expr, ExprKind, FileFacts
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Recognition, UnresolvedRegistration, ViewMount, django_app_labels
from migrate_scan.model.report import Evidence, Route
from migrate_scan.stages.recognize.evaluation import Evaluator, Origin, bind
from migrate_scan.stages.recognize.expressions import (
    argument,
    called_names,
    constructions,
    constructor_names,
    first_match,
    functions_of,
    keyword,
    module_calls,
    scope_of,
    string_of,
    template_of,
)
from migrate_scan.stages.recognize.paths import django_canonical, django_piece
from migrate_scan.stages.recognize.registry import Product, Recognizer
from migrate_scan.stages.recognize.router_tables import (
    RouteTemplate,
    inner_view_classes,
    own_trailing_slash,
    route_marker,
    route_table,
    stores_registrations,
)

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
_NOT_REPORTED = {"HEAD", "OPTIONS", "TRACE"}
_ANY = ["*"]
_DJANGO = "django"
_DRF = "django-rest-framework"
_API_ROOT = "rest_framework.routers:APIRootView.get"
_ROUTE_TABLE = "drf.router.route-table"
_PARENT_LOOKUP = "parent_lookup_"  # drf-extensions' DEFAULT_PARENT_LOOKUP_KWARG_NAME_PREFIX
_MAX_DEPTH = 25


@dataclass(frozen=True)
class _Prefix:
    """What the URLconfs above an entry contribute: raw spelling, canonical form, evidence.

    `views` is the view prefix of the enclosing `patterns("app.views", ...)` (Django <= 1.9): a view
    named by a dotted string is `views + "." + string`. It applies to that call's own entries only,
    never through an `include()`.
    """

    raw: str = ""
    canonical: str = ""
    evidence: tuple[Evidence, ...] = ()
    views: str = ""

    def extend(self, raw: str, is_regex: bool, evidence: Evidence | None = None) -> _Prefix:
        return _Prefix(
            raw=self.raw + raw,
            canonical=self.canonical + django_piece(raw, is_regex),
            evidence=self.evidence + ((evidence,) if evidence else ()),
            views=self.views,
        )


@dataclass(frozen=True)
class _Mutation:
    """One statement that builds a list variable: `x = [...]`, `x += [...]`, `x.append(...)`, `x.extend(...)`."""

    line: int
    kind: str  # assign, add, append, extend
    value: Expr
    facts: FileFacts
    scope: str
    is_conditional: bool = False


@dataclass
class _Router:
    site: str
    rule: MatchRule
    trailing: str
    location: Location
    registrations: list[tuple[Expr, str, FileFacts, Location, MatchRule]] = field(default_factory=list)
    root_views: tuple[str, ...] = ()  # the project's APIRootView classes, when it sets its own
    table: tuple[RouteTemplate, ...] | None = None  # the project's own `routes` table (a vendored router)
    vendored: bool = False  # a project router class recognised by its shape, not by a DRF base
    parent: tuple[str, Expr, Expr, str | None] | None = None  # nested: (scope, parent router, parent prefix, lookup)
    chains: bool = False  # drf-extensions: `register` returns an item whose own `register` nests under it
    parents: dict[tuple[str, int, Expr], tuple[tuple[str, Expr], ...]] = field(default_factory=dict)  # by call


@dataclass
class _Context:
    graphs: LinkedGraphs
    patterns: dict[str, MatchRule]
    includes: dict[str, MatchRule]
    routers_rules: dict[str, MatchRule]
    chaining: MatchRule | None  # the routers whose registrations nest (drf-extensions), kept out of routers_rules
    view_classes: dict[str, MatchRule]
    decorators: dict[str, MatchRule]
    actions: list[MatchRule]
    evaluator: Evaluator
    sites: dict[str, list[_Mutation]] = field(default_factory=lambda: defaultdict(list))
    call_lines: dict[str, dict[Expr, int]] = field(default_factory=dict)
    routers: dict[str, _Router] = field(default_factory=dict)
    methods_of_class: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    tables: dict[str, tuple[RouteTemplate, ...] | None] = field(default_factory=dict)
    router_classes: frozenset[str] = frozenset()  # the project's router classes, by their shape
    found: Recognition = field(default_factory=Recognition)
    own_packages: frozenset[str] = frozenset()  # top-level packages of the tree (a dotted view is ours or outside)


def recognize(graphs: LinkedGraphs, heuristics: Heuristics, published: Recognition | None = None) -> Recognition:
    """Find every route the Django URLconf tree (and its DRF routers) registers.

    `published` gives the applications product (Django app labels, for `Model._meta.app_label`).
    """
    labels = django_app_labels(published.applications) if published is not None else {}
    context = _Context(
        graphs=graphs,
        patterns=heuristics.matchers("url-pattern"),
        includes=heuristics.matchers("url-include"),
        routers_rules=_router_rules(heuristics),
        chaining=next((r for r in _url_routers(heuristics) if r.role == "nested-registry"), None),
        view_classes=heuristics.matchers("view-class"),
        decorators=heuristics.matchers("view-decorator"),
        actions=[r for r in heuristics.rules if isinstance(r, MatchRule) and r.kind == "viewset-action"],
        evaluator=Evaluator(graphs, settings_objects=_settings_objects(heuristics), app_labels=labels),
        own_packages=frozenset(module.partition(".")[0] for module in graphs.modules),
    )
    if not context.patterns:
        return context.found
    for facts in graphs.modules.values():
        _index(context, facts)
    context.router_classes = _router_classes(context)
    for facts in graphs.modules.values():
        _find_routers(context, facts)
        if context.router_classes:
            _find_table_routers(context, facts)
    for facts in graphs.modules.values():
        _find_registrations(context, facts)
        _find_root_views(context, facts)
    for root, location in _roots(context):
        if root in graphs.modules:
            _walk_module(context, root, _Prefix(), ())
        elif location is not None:
            _unresolved(
                context, "django.url.include", location, f"ROOT_URLCONF {root!r} is not a module of the scanned tree"
            )
    context.found.limits = context.evaluator.limits()
    return context.found


def _url_routers(heuristics: Heuristics) -> list[MatchRule]:
    return [r for r in heuristics.rules if isinstance(r, MatchRule) and r.kind == "url-router"]


def _router_rules(heuristics: Heuristics) -> dict[str, MatchRule]:
    """Qualified name → url-router rule; the nested-registry rule (a property of routers named by other
    rules too: drf-extensions' `ExtendedDefaultRouter` is a default router whose registrations nest) left out."""
    table: dict[str, MatchRule] = {}
    for rule in _url_routers(heuristics):
        for name in rule.names if rule.role != "nested-registry" else ():
            table.setdefault(name, rule)
    return table


def _settings_objects(heuristics: Heuristics) -> frozenset[str]:
    keys = heuristics.matchers("settings-key")
    return frozenset(name for name, rule in keys.items() if rule.role == "settings-object")


# -- indexes -------------------------------------------------------------------------------


def _call_lines(context: _Context, facts: FileFacts) -> dict[Expr, int]:
    """A module's call expressions → the line of their first call, indexed when first asked
    (only URL modules are; hashing every call of the tree costs more than the rest of the walk)."""
    lines = context.call_lines.get(facts.module)
    if lines is None:
        lines = {}
        for call in facts.calls:
            lines.setdefault(call.call, call.line)
        context.call_lines[facts.module] = lines
    return lines


def _index(context: _Context, facts: FileFacts) -> None:
    for assignment in facts.assignments:
        if assignment.value is None or len(assignment.targets) != 1 or assignment.targets[0][0] != ExprKind.NAME:
            continue
        if assignment.operator not in (None, "Add"):
            continue
        scope = scope_of(facts.module, assignment.scope)
        kind = "assign" if assignment.operator is None else "add"
        context.sites[f"{scope}|{assignment.targets[0][1]!s}"].append(
            _Mutation(assignment.line, kind, assignment.value, facts, scope, assignment.is_conditional)
        )
    for call in facts.calls:
        func = call.call[2][0]
        if func[0] != ExprKind.ATTRIBUTE or func[1] not in ("append", "extend") or len(call.call[2]) != 2:
            continue
        scope = scope_of(facts.module, call.scope)
        site = context.graphs.resolver.binding_site(scope, func[2][0])
        if site is not None:
            context.sites[site].append(_Mutation(call.line, str(func[1]), call.call[2][1], facts, scope))
    for definition in facts.definitions:
        if definition.kind == "function" and definition.scope:
            context.methods_of_class[f"{facts.module}:{definition.scope}"].append(
                (definition.name, f"{facts.module}:{definition.qualname}")
            )


def _find_routers(context: _Context, facts: FileFacts) -> None:
    resolver = context.graphs.resolver
    roles = ("default-router", "simple-router", "nested-default-router", "nested-simple-router")
    for scope, assignment, value, rule in constructions(resolver, facts, context.routers_rules, roles):
        site = resolver.binding_site(scope, assignment.targets[0])
        if site is None:
            continue
        slash = keyword(value, "trailing_slash")
        trailing = "" if slash is not None and slash[0] == ExprKind.CONSTANT and not slash[1] else "/"
        location = Location(file=facts.path, line=assignment.line)
        router = context.routers.setdefault(site, _Router(site, rule, trailing, location))
        parent, parent_prefix = argument(value, 0, "parent_router"), argument(value, 1, "parent_prefix")
        if rule.role.startswith("nested-") and parent is not None and parent_prefix is not None:
            router.parent = (scope, parent, parent_prefix, string_of(keyword(value, "lookup")))
        built = constructor_names(resolver, scope, value[2][0])
        router.chains = router.chains or bool(context.chaining and set(built) & set(context.chaining.names))
        attribute = _root_view_attribute(context)
        for made in sorted(resolver.values(scope, value[2][0])):  # `class Router(DefaultRouter): APIRootView = X`
            if made.startswith("cls:") and router.table is None:  # a subclass overriding `routes`
                router.table = _table(context, made[4:])
            if made.startswith("cls:"):  # `self.trailing_slash = "/?"` in the subclass's `__init__`
                own = own_trailing_slash(context.graphs, made[4:])
                router.trailing = own if own is not None else router.trailing
            given = _class_constant(context, made[4:], attribute) if made.startswith("cls:") and attribute else None
            if given is not None and not router.root_views:
                owner = context.graphs.definitions.get(made[4:])
                where = scope_of(owner.module, owner.fact.qualname) if owner is not None else scope
                router.root_views = _own_classes(context, where, given)


def _table(context: _Context, class_symbol: str) -> tuple[RouteTemplate, ...] | None:
    if class_symbol not in context.tables:
        context.tables[class_symbol] = route_table(context.graphs, class_symbol)
    return context.tables[class_symbol]


def _router_classes(context: _Context) -> frozenset[str]:
    """The project's router classes by their shape: a `routes` table of URL templates in the class body
    (or a project base's) and a `register` method storing into the instance; none of DRF's."""
    graphs = context.graphs
    owners = {site.rpartition("|")[0] for site in context.sites if site.endswith("|routes")}
    tabled = {o for o in owners if o in graphs.definitions and graphs.definitions[o].fact.kind == "class"}
    tabled = {o for o in tabled if _table(context, o) is not None}
    if not tabled:
        return frozenset()
    found = set()
    for symbol, definition in graphs.definitions.items():
        if definition.fact.kind != "class" or not ({symbol, *graphs.resolver.ancestors(symbol)} & tabled):
            continue
        if any(a.startswith("rest_framework.") for a in graphs.resolver.ancestors(symbol)):
            continue  # a DRF router subclass: recognised by its base, its table read there
        if stores_registrations(graphs, symbol):
            found.add(symbol)
    return frozenset(found)


def _find_table_routers(context: _Context, facts: FileFacts) -> None:
    """`router = routers.DefaultRouter(trailing_slash=False)` on a router class of the project's own."""
    resolver = context.graphs.resolver
    by_role = {r.role: r for r in context.routers_rules.values()}
    for assignment in facts.assignments:
        value = assignment.value
        if value is None or value[0] != ExprKind.CALL or len(assignment.targets) != 1:
            continue
        scope = scope_of(facts.module, assignment.scope)
        made = sorted(v[4:] for v in resolver.values(scope, value[2][0]) if v[4:] in context.router_classes)
        site = resolver.binding_site(scope, assignment.targets[0]) if made else None
        if site is None or site in context.routers:
            continue
        root = _class_constant(context, made[0], "include_root_view")
        has_root = root is not None and root[0] == ExprKind.CONSTANT and bool(root[1])
        rule = by_role["default-router" if has_root else "simple-router"]
        slash = keyword(value, "trailing_slash")
        trailing = "" if slash is not None and slash[0] == ExprKind.CONSTANT and not slash[1] else "/"
        own = own_trailing_slash(context.graphs, made[0])
        trailing = own if own is not None else trailing
        router = _Router(site, rule, trailing, Location(file=facts.path, line=assignment.line))
        router.table, router.vendored = _table(context, made[0]), True
        router.root_views = inner_view_classes(context.graphs, made[0]) if has_root else ()
        attribute = _root_view_attribute(context)  # a vendored DRF 3: `APIRootView = APIRootView` in the class
        given = _class_constant(context, made[0], attribute) if has_root and attribute else None
        if given is not None and not router.root_views:
            owner = context.graphs.definitions[made[0]]
            where = scope_of(owner.module, owner.fact.qualname)
            # `APIRootView = APIRootView` reads the module's name (the class body has not bound it yet)
            router.root_views = _own_classes(context, where, given) or _own_classes(context, owner.module, given)
        context.routers[site] = router


def _root_view_attribute(context: _Context) -> str | None:
    """The router attribute naming its API root view class (`APIRootView`), from the api-root rule."""
    rule = next((r for r in context.routers_rules.values() if r.role == "api-root"), None)
    return rule.names[0].rpartition(".")[2] if rule is not None and rule.names else None


def _own_classes(context: _Context, scope: str, expr: Expr) -> tuple[str, ...]:
    return tuple(sorted(v[4:] for v in context.graphs.resolver.values(scope, expr) if v.startswith("cls:")))


def _find_root_views(context: _Context, facts: FileFacts) -> None:
    """`router.APIRootView = RootView`: that router's API root is served by the project's class."""
    attribute = _root_view_attribute(context)
    for assignment in facts.assignments:
        target = assignment.targets[0] if len(assignment.targets) == 1 else None
        if target is None or target[0] != ExprKind.ATTRIBUTE or target[1] != attribute or assignment.value is None:
            continue
        scope = scope_of(facts.module, assignment.scope)
        classes = _own_classes(context, scope, assignment.value)
        for site in _router_sites(context, scope, target[2][0]) if classes else ():
            context.routers[site].root_views = classes


def _find_registrations(context: _Context, facts: FileFacts) -> None:
    """`router.register(prefix, ViewSet, basename=...)` calls, in source order."""
    resolver = context.graphs.resolver
    for call in facts.calls:
        func = call.call[2][0]
        if func[0] != ExprKind.ATTRIBUTE or func[1] != "register":
            continue
        scope = scope_of(facts.module, call.scope)
        rule = first_match(resolver.qualified_names(scope, func), context.routers_rules)
        sites = _router_sites(context, scope, func[2][0])
        chain = _chain_of(context, scope, func[2][0], 0) if not sites and context.routers else None
        if chain is not None:  # `router.register(...).register(..., parents_query_lookups=[...])`
            sites = chain[0]
        if rule is None or rule.role != "register":
            if not sites:
                continue
            rule = next(r for r in context.routers_rules.values() if r.role == "register")
        location = Location(file=facts.path, line=call.line)
        if context.evaluator.is_dead(facts, call.scope, call.line):
            continue
        for site in sites if chain is not None else ():
            context.routers[site].parents[(location.file, location.line, call.call)] = chain[1] if chain else ()
        if not sites:
            owner = context.graphs.definitions.get(scope) if call.scope else None
            if owner is None or not context.evaluator.dead_call_sites.get(scope):  # only called where never run
                _unresolved(context, rule.id, location, "router.register on a router static reading cannot follow")
            continue
        for site in sites:
            context.routers[site].registrations.append((call.call, scope, facts, location, rule))


def _chain_of(
    context: _Context, scope: str, receiver: Expr, depth: int
) -> tuple[list[str], tuple[tuple[str, Expr], ...]] | None:
    """The router and the enclosing registrations (outermost first) of a nested registration: its receiver
    is a `register(...)` call, or a variable holding one (`projects = router.register(...)`)."""
    if depth > _MAX_DEPTH or receiver[0] not in (ExprKind.CALL, ExprKind.NAME):
        return None
    candidates = [(scope, receiver)] if receiver[0] == ExprKind.CALL else context.evaluator.origins(scope, receiver)
    for where, origin in candidates:
        if origin[0] != ExprKind.CALL or origin[2][0][:2] != (ExprKind.ATTRIBUTE, "register"):
            continue
        inner = origin[2][0][2][0]
        sites = _router_sites(context, where, inner)
        if sites:
            return sites, ((where, origin),)
        deeper = _chain_of(context, where, inner, depth + 1)
        if deeper is not None:
            return deeper[0], (*deeper[1], (where, origin))
    return None


def _is_dead(context: _Context, facts: FileFacts, scope: str, line: int) -> bool:
    """Whether a statement of `scope` (a symbol) sits in a branch whose test folds the other way."""
    return context.evaluator.is_dead(facts, scope.partition(":")[2], line)


def _router_sites(context: _Context, scope: str, receiver: Expr) -> list[str]:
    """The routers a `register` receiver denotes: its own variable, or through the helper's parameters.

    `def add_urls(router): router.register(...)` called as `add_urls(v2_api)` (and `v2_api =
    add_urls(v2_api)`) registers on `v2_api`'s router: the parameter is followed to the arguments of
    each call site (bounded partial evaluation), stopping at a variable that holds a router.
    """
    resolver = context.graphs.resolver
    site = resolver.binding_site(scope, receiver)
    if site in context.routers:
        return [site]
    found: set[str] = set()
    for where, origin in context.evaluator.origins(scope, receiver, stop=lambda s: s in context.routers):
        held = resolver.binding_site(where, origin) if origin[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE) else None
        if held in context.routers:
            found.add(held)
    return sorted(found)


def _roots(context: _Context) -> list[tuple[str, Location | None]]:
    """ROOT_URLCONF values; without any, the urls modules no other module includes."""
    roots: dict[str, Location] = {}
    for facts in context.graphs.modules.values():
        for assignment in facts.assignments:
            if (
                not assignment.scope
                and len(assignment.targets) == 1
                and assignment.targets[0][:2] == (ExprKind.NAME, "ROOT_URLCONF")
            ):
                value = string_of(assignment.value)
                if value is not None:
                    roots.setdefault(value, Location(file=facts.path, line=assignment.line))
    if roots:
        return sorted(roots.items())
    candidates = {site.split("|")[0] for site in context.sites if site.endswith("|urlpatterns") and ":" not in site}
    included = set()
    for facts in context.graphs.modules.values():
        if called_names(context.graphs.resolver, facts).isdisjoint(context.includes):
            continue
        for call, scope, qualified in module_calls(context.graphs.resolver, facts):
            rule = first_match(qualified, context.includes)
            if rule is None or rule.role != "include":
                continue
            target = argument(call.call, 0, "arg")
            if target is not None and target[0] == ExprKind.TUPLE and target[2]:
                target = target[2][0]
            name = string_of(target)
            if name is not None:
                included.add(name)
            elif target is not None:
                included.update(v[4:] for v in context.graphs.resolver.values(scope, target) if v.startswith("mod:"))
    return [(module, None) for module in sorted(candidates - included)]


# -- the URLconf tree ---------------------------------------------------------------------------


def _walk_module(context: _Context, module: str, prefix: _Prefix, stack: tuple[str, ...]) -> bool:
    """The routes of one URLconf module; False when it has no `urlpatterns`."""
    site = f"{module}|urlpatterns"
    if site not in context.sites:
        return False
    _walk_site(context, site, prefix, stack)
    return True


def _walk_site(context: _Context, site: str, prefix: _Prefix, stack: tuple[str, ...], nested: bool = False) -> None:
    """The patterns a list variable holds, through every statement building it; `nested`: a list of such lists."""
    if site in stack or len(stack) > _MAX_DEPTH:
        return
    stack = (*stack, site)
    # Another module's `.append`/`.extend` on an imported list (an `AppConfig.ready()` extending the root
    # urlpatterns) runs after the list's own module was executed: after its own statements.
    owner = site.rpartition("|")[0]
    mutations = sorted(context.sites[site], key=lambda m: (m.facts.module != owner, m.facts.module, m.line))
    # A statement in a branch not taken (`if settings.FLAG:` with the flag's default false) builds nothing.
    mutations = [m for m in mutations if not _is_dead(context, m.facts, m.scope, m.line)]
    terms = [_terms(context, m.scope, m.value) if m.kind != "append" else [m.value] for m in mutations]
    resolver = context.graphs.resolver
    pairs = zip(mutations, terms, strict=True)
    refers = [any(resolver.binding_site(m.scope, t) == site for t in ts) for m, ts in pairs]
    # An unconditional plain assignment replaces what came before it, unless it reads the list itself
    # (`urlpatterns = urlpatterns + [...]`, `urlpatterns = format_suffix_patterns(urlpatterns)`).
    start = 0
    for index, mutation in enumerate(mutations):
        if mutation.kind == "assign" and not mutation.is_conditional and not refers[index]:
            start = index
    for index in range(start, len(mutations)):
        mutation = mutations[index]
        if mutation.kind == "append":
            add_item = _entries if nested else _entry_at
            add_item(context, mutation.scope, mutation.value, mutation.facts, prefix, stack, mutation.line)
            continue
        for term in terms[index]:
            if resolver.binding_site(mutation.scope, term) != site:
                add_list = _nested_entries if nested else _entries
                add_list(context, mutation.scope, term, mutation.facts, prefix, stack, mutation.line)


def _entry_at(
    context: _Context, scope: str, expr: Expr, facts: FileFacts, prefix: _Prefix, stack: tuple[str, ...], line: int
) -> None:
    _entry(context, scope, expr, facts, prefix, stack)


def _nested_entries(
    context: _Context, scope: str, expr: Expr, facts: FileFacts, prefix: _Prefix, stack: tuple[str, ...], line: int
) -> None:
    """A list of URL pattern lists (`groups = [basic_urls, api_urls]; groups.append(admin_urls)`), flattened."""
    if expr[0] in (ExprKind.LIST, ExprKind.TUPLE):
        for child in expr[2]:
            if child[0] == ExprKind.STARRED:
                _nested_entries(context, scope, child[2][0], facts, prefix, stack, line)
            else:
                _entries(context, scope, child, facts, prefix, stack, line)
        return
    site = context.graphs.resolver.binding_site(scope, expr) if expr[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE) else None
    if site is not None and site in context.sites:
        _walk_site(context, site, prefix, stack, nested=True)
        return
    where = Location(file=facts.path, line=_call_lines(context, facts).get(expr, line))
    _unresolved(context, "django.url.include", where, "URL pattern lists built in a way static reading cannot follow")


def _returned_patterns(
    context: _Context, scope: str, call: Expr, facts: FileFacts, prefix: _Prefix, stack: tuple[str, ...], line: int
) -> bool:
    """`urlpatterns = i18n_patterns(path(...), ...)` where `i18n_patterns(*urls)` is ours and returns `list(urls)`:
    the patterns a project function hands back, read with its parameters bound to this call's arguments.

    Its `return` values are tried last first; the first one read as a list of patterns that gives routes is
    the answer (a `return [URLResolver(LocalePattern(), list(urls))]` wrapping them gives none).
    False when the call is no function of ours, or none of its returns reads."""
    functions = [v[4:] for v in context.graphs.resolver.values(scope, call[2][0]) if v.startswith("def:")]
    definition = context.graphs.definitions.get(functions[0]) if len(functions) == 1 else None
    if definition is None or definition.fact.kind != "function" or functions[0] in stack:
        return False
    function = functions[0]
    found, module = context.found, context.graphs.modules[definition.module]
    with context.evaluator.bound(bind(definition.fact, function, scope, call)):
        for returned in context.evaluator.returns(function):
            routes, unresolved, mounts = len(found.routes), len(found.unresolved), len(found.mounts)
            if (
                _entries(context, function, returned, module, prefix, (*stack, function), line)
                and len(found.routes) > routes
            ):
                return True
            del found.routes[routes:], found.unresolved[unresolved:], found.mounts[mounts:]
    return False


def _concatenated(
    context: _Context, scope: str, call: Expr, facts: FileFacts, prefix: _Prefix, stack: tuple[str, ...], line: int
) -> bool:
    """`reduce(add, groups)`, `sum(groups, [])`, `chain(a, b)`, `chain.from_iterable(groups)`, `list(a)`:
    the pattern lists a call concatenates. False when the call is none of these."""
    names = context.graphs.resolver.qualified_names(scope, call[2][0])
    arguments = call[2][1:]
    if not arguments or any(a[0] == ExprKind.STARRED for a in arguments[1:]):
        return False
    if "functools.reduce" in names and len(arguments) in (2, 3):
        joins = context.graphs.resolver.qualified_names(scope, arguments[0])
        if not set(joins) & LIST_JOINS:
            return False
        _nested_entries(context, scope, arguments[1], facts, prefix, stack, line)
        if len(arguments) == 3:
            _entries(context, scope, arguments[2], facts, prefix, stack, line)
        return True
    if "builtins.sum" in names and len(arguments) == 2:
        _nested_entries(context, scope, arguments[0], facts, prefix, stack, line)
        _entries(context, scope, arguments[1], facts, prefix, stack, line)
        return True
    if "itertools.chain.from_iterable" in names and len(arguments) == 1:
        _nested_entries(context, scope, arguments[0], facts, prefix, stack, line)
        return True
    if "itertools.chain" in names:
        if arguments[0][0] == ExprKind.STARRED:
            _nested_entries(context, scope, arguments[0][2][0], facts, prefix, stack, line)
            return True
        for argument in arguments:
            _entries(context, scope, argument, facts, prefix, stack, line)
        return True
    if names and set(names) <= {"builtins.list", "builtins.tuple"} and len(arguments) == 1:
        _entries(context, scope, arguments[0], facts, prefix, stack, line)
        return True
    return False


def _terms(context: _Context, scope: str, expr: Expr) -> list[Expr]:
    """The lists a value concatenates: `a + b + c`; through `format_suffix_patterns(a)`."""
    if expr[0] == ExprKind.BINARY and expr[1] == "Add":
        return [t for side in expr[2] for t in _terms(context, scope, side)]
    if expr[0] == ExprKind.CALL:
        rule = first_match(context.graphs.resolver.qualified_names(scope, expr[2][0]), context.includes)
        wrapped = argument(expr, 0, "urlpatterns")
        if rule is not None and rule.role == "passthrough" and wrapped is not None:
            return _terms(context, scope, wrapped)
    return [expr]


def _entries(
    context: _Context, scope: str, expr: Expr, facts: FileFacts, prefix: _Prefix, stack: tuple[str, ...], line: int
) -> bool:
    """A list of URL patterns, however it is spelled; False when static reading cannot follow it (listed)."""
    resolver = context.graphs.resolver
    kind = expr[0]
    if kind in (ExprKind.LIST, ExprKind.TUPLE):
        for child in expr[2]:
            if child[0] == ExprKind.STARRED:
                _entries(context, scope, child[2][0], facts, prefix, stack, line)
            else:
                _entry(context, scope, child, facts, prefix, stack)
        return True
    if kind == ExprKind.BINARY and expr[1] == "Add":
        for side in expr[2]:
            _entries(context, scope, side, facts, prefix, stack, line)
        return True
    if kind in (ExprKind.NAME, ExprKind.ATTRIBUTE):
        router = _router_of(context, scope, expr)
        if router is not None:
            _router_routes(context, router, prefix)
            return True
        site = resolver.binding_site(scope, expr)
        if site is not None and site in context.sites:
            _walk_site(context, site, prefix, stack)
            return True
        if first_match(resolver.qualified_names(scope, expr), context.includes) is not None:
            return True  # admin.site.urls and the like: framework-generated
        given = context.evaluator.origins(scope, expr) if site is not None and "|" in site else []
        if given and all(origin != (scope, expr) and origin[1][0] != ExprKind.NAME for origin in given):
            for origin_scope, value in given:  # a parameter of a helper we read for one call: that call's argument
                _entries(context, origin_scope, value, facts, prefix, stack, line)
            return True
    if kind == ExprKind.CALL:
        rule = first_match(resolver.qualified_names(scope, expr[2][0]), context.includes)
        if rule is not None and rule.role == "framework":
            return True  # static(...): media files in DEBUG only
        if rule is not None and rule.role == "patterns":
            _patterns(context, scope, expr, facts, prefix, stack, rule, line)
            return True
        if rule is not None and rule.role == "i18n-patterns":
            _i18n_patterns(context, scope, expr, facts, prefix, stack, rule, line)
            return True
        if _reader_routes(context, scope, expr, prefix, stack):
            return True
        if _concatenated(context, scope, expr, facts, prefix, stack, line):
            return True
        if _returned_patterns(context, scope, expr, facts, prefix, stack, line):
            return True
    where = Location(file=facts.path, line=_call_lines(context, facts).get(expr, line))
    _unresolved(context, "django.url.include", where, "URL patterns built in a way static reading cannot follow")
    return False


def _patterns(
    context: _Context,
    scope: str,
    call: Expr,
    facts: FileFacts,
    prefix: _Prefix,
    stack: tuple[str, ...],
    rule: MatchRule,
    line: int,
) -> None:
    """`patterns("app.views", url(...), (r"^x/$", "view"), ...)` (Django <= 1.9): the list of its entries.

    The first argument prefixes the views its entries name by dotted strings; an entry may be a
    `url()` call or a `(regex, view[, kwargs[, name]])` tuple, read as `url(*entry)`.
    """
    location = Location(file=facts.path, line=_call_lines(context, facts).get(call, line))
    given = argument(call, 0, "prefix")
    views = context.evaluator.string(scope, given) if given is not None else ""
    if views is None:
        _unresolved(context, rule.id, location, "patterns() with a view prefix static reading cannot follow")
    evidence = Evidence(rule=rule.id, locations=[location])
    inner = replace(prefix, evidence=(*prefix.evidence, evidence), views=views or "")
    for child in call[2][2:]:
        if child[0] == ExprKind.STARRED:
            _entries(context, scope, child[2][0], facts, inner, stack, location.line)
        elif child[0] in (ExprKind.TUPLE, ExprKind.LIST) and len(child[2]) >= 2:
            _pattern(
                context, scope, (ExprKind.CALL, None, (child, *child[2]), ()), rule, True, facts, inner, stack, location
            )
        else:
            _entry(context, scope, child, facts, inner, stack)


def _i18n_patterns(
    context: _Context,
    scope: str,
    call: Expr,
    facts: FileFacts,
    prefix: _Prefix,
    stack: tuple[str, ...],
    rule: MatchRule,
    line: int,
) -> None:
    """`i18n_patterns(path(...), ..., prefix_default_language=True)`: its entries under a language prefix.

    Each entry is served under `<language>/` for every language of `LANGUAGES`; with
    `prefix_default_language=False` the default language is served without the prefix, and that path is
    the one reported.
    """
    location = Location(file=facts.path, line=_call_lines(context, facts).get(call, line))
    evidence = Evidence(rule=rule.id, locations=[location])
    unprefixed = keyword(call, "prefix_default_language")
    if unprefixed is not None and context.evaluator.constant(scope, unprefixed) is False:
        inner = replace(prefix, evidence=(*prefix.evidence, evidence), views="")
    else:
        inner = prefix.extend("<language>/", False, evidence)
    _entries(context, scope, (ExprKind.LIST, None, call[2][1:], ()), facts, inner, stack, location.line)


def _reader_routes(
    context: _Context,
    scope: str,
    call: Expr,
    prefix: _Prefix,
    stack: tuple[str, ...],
    called_at: Location | None = None,
) -> bool:
    """`include(get_urls("app", "model"))`: the URL patterns a project function builds, evaluated for this call.

    The function's own `path()`/`re_path()` calls are read with its parameters bound to this call's
    arguments; a call inside a loop is read once per element of what the loop iterates (a literal
    list, or the records registering functions stored into a module-level container under the keys
    this call selects, filtered as a comprehension's tests select them). Each route's location is the
    registration that put its view there, when there is one, else `called_at` (an entry helper's call,
    `page("about")` inside a urlpatterns list). False when the call is no such function.
    """
    resolver = context.graphs.resolver
    functions = [v[4:] for v in resolver.values(scope, call[2][0]) if v.startswith("def:")]
    definition = context.graphs.definitions.get(functions[0]) if len(functions) == 1 else None
    if definition is None or definition.fact.kind != "function" or functions[0] in stack:
        return False
    function, facts = functions[0], context.graphs.modules[definition.module]
    patterns = [
        c
        for c in facts.calls
        if c.scope == definition.fact.qualname
        and first_match(resolver.qualified_names(function, c.call[2][0]), context.patterns) is not None
    ]
    if not patterns:
        return False
    evaluator = context.evaluator
    loops = [a for a in facts.assignments if a.scope == definition.fact.qualname and a.operator == "iter"]
    with evaluator.bound(bind(definition.fact, function, scope, call)):
        for pattern in patterns:
            loop = max((a for a in loops if a.line <= pattern.line), key=lambda a: a.line, default=None)
            site = resolver.binding_site(function, loop.targets[0]) if loop is not None else None
            if loop is None or loop.value is None or site is None:
                _entry(context, function, pattern.call, facts, prefix, (*stack, function), called_at)
                continue
            for element in evaluator.elements(function, loop.value) or ():
                with evaluator.fixed(site, element):
                    registered = evaluator.registered_at.get(element)
                    _entry(context, function, pattern.call, facts, prefix, (*stack, function), registered)
    return True


def _entry(
    context: _Context,
    scope: str,
    expr: Expr,
    facts: FileFacts,
    prefix: _Prefix,
    stack: tuple[str, ...],
    site: Location | None = None,
) -> None:
    """One element of a urlpatterns list: `path(...)`, `re_path(...)`, `url(...)`.

    `site`, when given, is where the view was registered (the route's location; the pattern stays in its evidence).
    """
    resolver = context.graphs.resolver
    line = _call_lines(context, facts).get(expr, 0)
    location = Location(file=facts.path, line=line)
    if expr[0] != ExprKind.CALL:
        _unresolved(context, "django.url.path", location, "a urlpatterns entry that is not a call")
        return
    rule = first_match(resolver.qualified_names(scope, expr[2][0]), context.patterns)
    if rule is None:
        include = first_match(resolver.qualified_names(scope, expr[2][0]), context.includes)
        if include is None and _reader_routes(context, scope, expr, prefix, stack, location):
            return  # `fireplace_route("flag", "ratings.flag")`: a project helper returning `url(...)`
        if include is None or include.role != "framework":
            _unresolved(context, "django.url.path", location, "a urlpatterns entry that is not a Django URL pattern")
        return
    _pattern(context, scope, expr, rule, rule.role == "regex", facts, prefix, stack, location, site)


def _pattern(
    context: _Context,
    scope: str,
    expr: Expr,
    rule: MatchRule,
    is_regex: bool,
    facts: FileFacts,
    prefix: _Prefix,
    stack: tuple[str, ...],
    location: Location,
    site: Location | None = None,
) -> None:
    """A URL pattern call (or a `patterns()` tuple read as one): its route string, then its view."""
    route = argument(expr, 0, "regex" if is_regex and rule.id.endswith("legacy-url") else "route")
    folded = context.evaluator.string(scope, route) if route is not None else None
    template = (folded, False) if folded is not None else template_of(route)
    view = argument(expr, 1, "view")
    if template is None or view is None:
        _unresolved(context, rule.id, location, "URL pattern with a route or view static reading cannot follow")
        return
    raw, is_computed = template
    if is_computed:  # `path(f"{BASE_PATH}", include(...))`: kept, the computed part shown as a parameter
        _unresolved(context, rule.id, location, f"route computed at run time, shown as {raw!r}")
    here = prefix.extend(raw, is_regex, Evidence(rule=rule.id, locations=[location, *([site] if site else [])]))
    own = string_of(argument(expr, 4, "prefix")) if rule.id.endswith("legacy-url") else None
    if own:  # url(regex, "view", prefix="app.views") (Django <= 1.9): inside the patterns() prefix
        here = replace(here, views=f"{prefix.views}.{own}" if prefix.views else own)
    _view(context, scope, view, facts, here, stack, rule, site or location)


def _view(
    context: _Context,
    scope: str,
    view: Expr,
    facts: FileFacts,
    prefix: _Prefix,
    stack: tuple[str, ...],
    rule: MatchRule,
    location: Location,
) -> None:
    resolver = context.graphs.resolver
    if view[0] in (ExprKind.TUPLE, ExprKind.LIST) and view[2]:  # path("x/", (patterns, app_name, namespace))
        _include_target(context, scope, view[2][0], facts, prefix, stack, location)
        return
    dotted = string_of(view)
    if dotted is not None:  # url(r"^$", "shop.views.index"): Django <= 1.9 imports the view by name
        _string_view(context, f"{prefix.views}.{dotted}" if prefix.views else dotted, prefix, rule, location)
        return
    if view[0] == ExprKind.CALL:
        func = view[2][0]
        include = first_match(resolver.qualified_names(scope, func), context.includes)
        if include is not None and include.role == "include":
            target = argument(view, 0, "arg")
            if target is None:
                _unresolved(context, include.id, location, "include() without an argument")
                return
            _include_target(context, scope, target, facts, prefix, stack, location)
            return
        if func[0] == ExprKind.ATTRIBUTE and func[1] == "as_view":
            _class_view(context, scope, view, prefix, rule, location)
            return
    router = _router_of(context, scope, view)
    if router is not None:
        _router_routes(context, router, prefix)
        return
    if first_match(resolver.qualified_names(scope, view), context.includes) is not None:
        return  # admin.site.urls: framework-generated
    if view[0] == ExprKind.CALL:
        # `csrf_exempt(views.index)`, `cache_page(60)(view)`, `login_required(V.as_view())`: a framework
        # decorator applied where the view is routed; the view is its argument.
        wrapped = argument(view, 0)
        if wrapped is not None and all(v.startswith("ext:") for v in resolver.values(scope, view[2][0]) or ("",)):
            _view(context, scope, wrapped, facts, prefix, stack, rule, location)
            return
        # `redirect_view("home")`: a project factory returning its inner view function (a closure)
        # routes that function; a project decorator applied here routes the function it wraps.
        produced = functions_of(resolver.values(scope, view))
        if wrapped is not None and produced and all(resolver.declares_wrapping(f) for f in produced):
            # `login_required("...")(ThreadView.as_view())`: a `functools.wraps` wrapper stands for its argument
            _view(context, scope, wrapped, facts, prefix, stack, rule, location)
            return
        for handler in produced:
            methods, framework = _function_methods(context, handler)
            _add(context, prefix, methods, handler, None, framework or rule.framework, location)
        if (
            not produced
            and not _callable_instances(context, resolver.values(scope, view), prefix, rule, location)
            and not _factory_class_views(context, scope, view, prefix, rule, location)
        ):
            _unresolved(context, rule.id, location, "view built by a call static reading cannot follow")
        return
    if view[0] == ExprKind.NAME and _factory_built_views(context, scope, view, prefix, rule, location):
        return
    values = resolver.values(scope, view)
    called = _callable_instances(context, values, prefix, rule, location)  # `feed = LatestFeed()` routed by name
    site = resolver.binding_site(scope, view) if view[0] == ExprKind.NAME else None
    if site is not None and ":" in site.rpartition("|")[0]:  # a local of a URL builder: evaluated
        values = _evaluated_values(context, scope, view) or values
    classes = sorted(v[4:] for v in values if v.startswith("cls:"))
    if classes:
        _class_routes(context, classes, None, prefix, rule, location)
        return
    functions = functions_of(values)
    for handler in functions:
        methods, framework = _function_methods(context, handler)
        _add(context, prefix, methods, handler, None, framework or rule.framework, location)
    for value in sorted(values):
        # a framework's own function view (`serve`); `ext:x:f()` / `ext:x:f().as_view()` are what calls return
        if value.startswith("ext:") and ":" in value[4:] and "(" not in value:
            _add(context, prefix, _ANY, value[4:], None, rule.framework, location)
            functions.append(value)
    if not functions and not called:
        _unresolved(context, rule.id, location, "view static reading cannot follow")


def _string_view(context: _Context, dotted: str, prefix: _Prefix, rule: MatchRule, location: Location) -> None:
    """A view named by its dotted path: the project's function, or an outside package's view."""
    values = _dotted_values(context, dotted)
    functions = functions_of(values)
    for handler in functions:
        methods, framework = _function_methods(context, handler)
        _add(context, prefix, methods, handler, None, framework or rule.framework, location)
    module, _, name = dotted.rpartition(".")
    if functions:
        return
    if module and not values and module.partition(".")[0] not in context.own_packages:
        _add(
            context, prefix, _ANY, f"{module}:{name}", None, rule.framework, location
        )  # `django.contrib.auth.views.login`
        return
    _unresolved(context, rule.id, location, f"view {dotted!r} names no function of the scanned tree")


def _include_target(
    context: _Context,
    scope: str,
    target: Expr,
    facts: FileFacts,
    prefix: _Prefix,
    stack: tuple[str, ...],
    location: Location,
) -> None:
    """The argument of `include(...)`: a module string, a module, a list, a (list, app_name) tuple, router.urls."""
    include_rule = "django.url.include"
    if target[0] == ExprKind.TUPLE and target[2]:  # (patterns_or_module, app_name)
        target = target[2][0]
    name = string_of(target)
    prefix = _Prefix(
        prefix.raw, prefix.canonical, (*prefix.evidence, Evidence(rule=include_rule, locations=[location]))
    )
    if name is not None:
        if name not in context.graphs.modules:
            _unresolved(context, include_rule, location, f"include of {name!r}: not a module of the scanned tree")
        elif not _walk_module(context, name, prefix, stack):
            _unresolved(context, include_rule, location, f"include of {name!r}: the module defines no urlpatterns")
        return
    if target[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE):
        modules = sorted(v[4:] for v in context.graphs.resolver.values(scope, target) if v.startswith("mod:"))
        if modules:
            for module in modules:
                if not _walk_module(context, module, prefix, stack):
                    _unresolved(context, include_rule, location, f"include of {module!r}: no urlpatterns")
            return
    _entries(context, scope, target, facts, prefix, stack, location.line)


# -- views ------------------------------------------------------------------------------------


def _factory_class_views(
    context: _Context, scope: str, call: Expr, prefix: _Prefix, rule: MatchRule, location: Location
) -> bool:
    """`redirect_doc("/Apps")`: a project factory returning `SomeView.as_view(...)` routes that class.

    What the factory hands back is followed for this call's arguments (through a local variable and a
    conditional); each `as_view(...)` it returns is routed as if written in place. False when it returns none.
    """
    evaluator = context.evaluator
    returned = [
        (where, alternative)
        for where, origin in evaluator.returned_origins(scope, call)
        for where, alternative in _alternatives(evaluator, where, origin)
    ]
    built = [o for o in returned if o[1][0] == ExprKind.CALL and o[1][2][0][:2] == (ExprKind.ATTRIBUTE, "as_view")]
    for where, origin in dict.fromkeys(built):
        _class_view(context, where, origin, prefix, rule, location)
    return bool(built)


def _factory_built_views(
    context: _Context, scope: str, view: Expr, prefix: _Prefix, rule: MatchRule, location: Location
) -> bool:
    """`login = LoginView.as_view()` or `thread_view = extensions.get(ThreadView).as_view()`, then
    `path("t/", thread_view)`: a name bound only to `as_view()` calls is routed as if each were written in
    place (the class, or the classes the call hands back). False for any other name."""
    origins = context.evaluator.origins(scope, view)
    built = [
        (where, origin)
        for where, origin in origins
        if origin[0] == ExprKind.CALL and origin[2][0][:2] == (ExprKind.ATTRIBUTE, "as_view")
    ]
    if not built or len(built) != len(origins):
        return False
    for where, origin in built:
        _class_view(context, where, origin, prefix, rule, location)
    return True


def _alternatives(evaluator: Evaluator, scope: str, expr: Expr, depth: int = 0) -> list[Origin]:
    """The values a conditional expression may take (`view(request) if request else view`), each followed."""
    if expr[0] != ExprKind.OTHER or expr[1] != "IfExp" or len(expr[2]) != 3 or depth > 3:
        return [(scope, expr)]
    return [
        found
        for branch in expr[2][1:]
        for where, origin in evaluator.origins(scope, branch)
        for found in _alternatives(evaluator, where, origin, depth + 1)
    ]


def _callable_instances(
    context: _Context, values: frozenset[str], prefix: _Prefix, rule: MatchRule, location: Location
) -> bool:
    """`path("rss/", LatestFeed())`: an instance of a callable class is the view (its `__call__` answers).

    A class is callable when it or a project base defines `__call__`, or an outside base is a known
    callable view (the `callable-instance` rules of the `view-class` table, as Django's syndication
    `Feed`). Handler: the project's own `__call__`, else `Class.__call__` on the routed class; the view
    is the class (what Django records for an instance). A plain `__call__` accepts any method.
    """
    found = False
    for value in sorted(values):
        if not value.startswith("obj:"):
            continue
        class_symbol = value[4:]
        own = _own_function(context, class_symbol, "__call__")
        known = [
            r
            for a in context.graphs.resolver.ancestors(class_symbol)
            if (r := context.view_classes.get(a)) is not None and r.role == "callable-instance"
        ]
        if own is None and not known:
            continue
        methods = list(known[0].methods) if own is None and known[0].methods else _ANY
        framework = known[0].framework if own is None else rule.framework
        handler = own or f"{class_symbol}.__call__"
        _add(context, prefix, methods, handler, "__call__", framework, location, view=class_symbol)
        found = True
    return found


def _function_methods(context: _Context, handler: str) -> tuple[list[str], str | None]:
    """Methods a function view accepts, from its decorators (intersected); `["*"]` when none restrict them."""
    definition = context.graphs.definitions.get(handler)
    if definition is None:
        return _ANY, None
    scope = scope_of(definition.module, definition.fact.scope)
    allowed: set[str] | None = None
    framework = None
    for decorator in definition.fact.decorators:
        func = decorator[2][0] if decorator[0] == ExprKind.CALL else decorator
        rule = first_match(context.graphs.resolver.qualified_names(scope, func), context.decorators)
        if rule is None or rule.role not in ("fixed", "methods-argument", "api-view"):
            continue
        if rule.role == "fixed":
            methods = set(rule.methods)
        else:
            given = (
                (argument(decorator, 0, "http_method_names") or argument(decorator, 0, "request_method_list"))
                if (decorator[0] == ExprKind.CALL)
                else None
            )
            strings = _strings(given)
            methods = {m.upper() for m in strings} if strings is not None else set(rule.methods)
        if rule.role == "api-view":
            framework = _DRF
        allowed = methods if allowed is None else allowed & methods
    if allowed is None:
        return _ANY, framework
    reported = sorted(allowed - _NOT_REPORTED) or sorted(allowed)
    return reported, framework


def _class_view(
    context: _Context, scope: str, call: Expr, prefix: _Prefix, rule: MatchRule, location: Location
) -> None:
    """`SomeView.as_view(...)`: one route per method (or per action, with an actions mapping)."""
    resolver = context.graphs.resolver
    owner = call[2][0][2][0]
    classes = _call_site_classes(context, scope, owner) if owner[0] == ExprKind.CALL else []
    classes = classes or sorted(v[4:] for v in resolver.values(scope, owner) if v.startswith("cls:"))
    context.found.mounts.append(
        ViewMount(
            path=django_canonical(prefix.canonical),
            raw_path=prefix.raw,
            views=tuple(classes) or resolver.qualified_names(scope, owner),
            keywords=tuple(sorted(str(name) for name, _ in call[3] if name)),
            framework=rule.framework,
            location=location,
        )
    )
    handled = _class_routes(context, classes, argument(call, 0, "actions"), prefix, rule, location)
    if not classes:
        external = first_match(resolver.qualified_names(scope, owner), context.view_classes)
        if external is not None and external.methods:
            module, _, name = external.names[0].rpartition(".")
            for method in external.methods:
                _add(
                    context,
                    prefix,
                    [method],
                    f"{module}:{name}.{method.lower()}",
                    method.lower(),
                    external.framework,
                    location,
                    view=f"{module}:{name}",
                )
            handled = True
    if not handled:
        _unresolved(context, rule.id, location, "as_view() on a class static reading cannot follow")


def _call_site_classes(context: _Context, scope: str, call: Expr) -> list[str]:
    """`extensions.get(ThreadView).as_view()`: the classes a function of the tree hands back for this call's
    arguments (a registry returning the class it is given, or its extended copy), not for every call of it."""
    found: set[str] = set()
    for where, origin in context.evaluator.returned_origins(scope, call):
        if origin[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE):  # a class named where it is given, not a lookup
            found.update(v[4:] for v in context.graphs.resolver.values(where, origin) if v.startswith("cls:"))
    return sorted(found)


def _evaluated_values(context: _Context, scope: str, view: Expr) -> frozenset[str]:
    """What a local variable holding the view may be, by partial evaluation (`view = record["view"]`,
    `view = import_string(record["view"])`, `view = view.as_view()`): the classes and functions."""
    found: set[str] = set()
    for where, origin in context.evaluator.origins(scope, view):
        if origin[0] == ExprKind.CALL and origin[2][0][:2] == (ExprKind.ATTRIBUTE, "as_view"):
            continue  # `view = view.as_view()`: the class is among the other origins
        if origin[0] == ExprKind.CALL and len(origin[2]) == 2:  # import_string("app.views.View")
            dotted = context.evaluator.string(where, origin[2][1])
            if dotted is not None and "." in dotted:
                found.update(_dotted_values(context, dotted))
            continue
        item = context.evaluator.item(where, origin) if origin[0] == ExprKind.SUBSCRIPT else None
        if item is not None:
            where, origin = item
        found.update(v for v in context.graphs.resolver.values(where, origin) if v.startswith(("cls:", "def:")))
    return frozenset(found)


def _dotted_values(context: _Context, dotted: str) -> set[str]:
    """A dotted path to a class or function of the tree (`app.views.View`, also re-exported by a package)."""
    module, _, name = dotted.rpartition(".")
    if module not in context.graphs.modules:
        return set()
    values = context.graphs.resolver.values(module, (ExprKind.NAME, name, (), ()))
    return {v for v in values if v.startswith(("cls:", "def:"))}


def _class_routes(
    context: _Context,
    classes: list[str],
    mapping: Expr | None,
    prefix: _Prefix,
    rule: MatchRule,
    location: Location,
) -> bool:
    """The routes of class-based views: one per method, or per action of an actions mapping."""
    for class_symbol in classes:
        framework = _class_framework(context, class_symbol)
        if mapping is not None and mapping[0] == ExprKind.DICT:
            routes = _mapped_actions(context, class_symbol, mapping)
        else:
            routes = [(m, h, m.lower()) for m, h in _class_methods(context, class_symbol)]
        dispatch = None if routes else _own_function(context, class_symbol, "dispatch")
        if dispatch is not None:  # our own `dispatch` answers every method itself
            routes = [("*", dispatch, "dispatch")]
        elif not routes and _on_unread_base(context, class_symbol):
            routes = [("*", f"{class_symbol}.dispatch", "dispatch")]
            _unresolved(
                context,
                rule.id,
                location,
                f"class-based view {class_symbol} on a base static reading cannot read: one route for any method",
            )
        elif not routes:
            _unresolved(
                context,
                rule.id,
                location,
                f"class-based view {class_symbol} with no HTTP method static reading can find",
            )
        for method, handler, action in routes:
            _add(context, prefix, [method], handler, action, framework, location, view=class_symbol)
    return bool(classes)


LIST_JOINS = frozenset({"operator.add", "operator.iadd", "operator.concat", "operator.__add__", "operator.__concat__"})
"""The functions `reduce(f, lists)` concatenates lists with."""
DJANGO_VIEWS = frozenset({"django.views.View", "django.views.generic.View", "django.views.generic.base.View"})
"""Django's base view: a subclass answers the methods it defines, nothing else."""


def _on_unread_base(context: _Context, class_symbol: str) -> bool:
    """Whether the class's MRO reaches outside classes but no view class anyone describes (a package's view).

    Its HTTP methods are the package's: the URL is routed all the same, to the class's `dispatch`.
    A class whose MRO reaches Django's `View`, a DRF class, or a view class the heuristics describe
    is read from those: no handler there means none. Outside mixins (`LoginRequiredMixin`) describe no view.
    """
    outside = [a for a in context.graphs.resolver.ancestors(class_symbol) if ":" not in a and a != "builtins.object"]
    return bool(outside) and not any(
        a in context.view_classes or a in DJANGO_VIEWS or a.startswith("rest_framework.") for a in outside
    )


def _class_framework(context: _Context, class_symbol: str) -> str:
    ancestors = context.graphs.resolver.ancestors(class_symbol)
    return _DRF if any(a.startswith("rest_framework.") for a in ancestors) else _DJANGO


def _own_function(context: _Context, class_symbol: str, name: str) -> str | None:
    """The project's own method `name` of a class through its MRO (not a framework's)."""
    values = {v for v in context.graphs.resolver.class_attribute(class_symbol, name) if not v.startswith("ext:")}
    found = functions_of(values)
    return found[0] if found else None


def _class_methods(context: _Context, class_symbol: str) -> list[tuple[str, str]]:
    """(METHOD, handler) for each HTTP method the class answers."""
    resolver = context.graphs.resolver
    inherited: set[str] = set()
    for ancestor in resolver.ancestors(class_symbol):
        rule = context.view_classes.get(ancestor)
        if rule is not None:
            inherited.update(m.lower() for m in rule.methods)
    allowed = _strings(_class_constant(context, class_symbol, "http_method_names"))
    found = []
    for method in HTTP_METHODS:
        if allowed is not None and method not in {a.lower() for a in allowed}:
            continue
        own = _own_function(context, class_symbol, method)
        if own is not None:
            found.append((method.upper(), own))
        elif method in inherited:
            found.append((method.upper(), f"{class_symbol}.{method}"))
    return found


def _mapped_actions(context: _Context, class_symbol: str, mapping: Expr) -> list[tuple[str, str, str]]:
    children = mapping[2]
    found = []
    for key, value in zip(children[::2], children[1::2], strict=False):
        method, action = string_of(key), string_of(value)
        if method is None or action is None:
            continue
        handler = _action_handler(context, class_symbol, action)
        if handler is not None:
            found.append((method.upper(), handler, action))
    return found


def _action_handler(context: _Context, class_symbol: str, action: str) -> str | None:
    own = _own_function(context, class_symbol, action)
    if own is not None:
        return own
    ancestors = set(context.graphs.resolver.ancestors(class_symbol))
    for rule in context.actions:
        if rule.role.split(":")[-1] == action and ancestors & set(rule.names):
            return f"{class_symbol}.{action}"
    return None


def _class_constant(context: _Context, class_symbol: str, name: str) -> Expr | None:
    """The value a class (or a project base class) assigns to `name` in its body."""
    for owner in (class_symbol, *context.graphs.resolver.ancestors(class_symbol)):
        for mutation in context.sites.get(f"{owner}|{name}", ()):
            if mutation.kind == "assign":
                return mutation.value
    return None


# -- DRF routers ---------------------------------------------------------------------------------


def _router_of(context: _Context, scope: str, expr: Expr) -> _Router | None:
    """`router.urls` → the router."""
    if expr[0] != ExprKind.ATTRIBUTE or expr[1] != "urls":
        return None
    site = context.graphs.resolver.binding_site(scope, expr[2][0])
    return context.routers.get(site) if site is not None else None


def _router_routes(context: _Context, router: _Router, prefix: _Prefix) -> None:
    resolver = context.graphs.resolver
    nest = _parent_regex(context, router, ())
    if nest is None:
        _unresolved(context, router.rule.id, router.location, "nested router whose parent static reading cannot follow")
        return
    if router.rule.role in ("default-router", "nested-default-router"):
        root = prefix.extend("^$", True, Evidence(rule="drf.router.api-root", locations=[router.location]))
        for view in router.root_views:
            handler = _own_function(context, view, "get") or f"{view}.get"
            _add(context, root, ["GET"], handler, "get", _DRF, router.location, view)
        if not router.root_views and not router.vendored:
            _add(context, root, ["GET"], _API_ROOT, "get", _DRF, router.location, _API_ROOT.rpartition(".")[0])
    for call, scope, _facts, location, rule in router.registrations:
        given = argument(call, 0, "prefix")
        name = string_of(given) or (context.evaluator.string(scope, given) if given is not None else None)
        viewset = argument(call, 1, "viewset")
        classes = sorted(v[4:] for v in resolver.values(scope, viewset) if v.startswith("cls:")) if viewset else []
        if name is None or not classes:
            _unresolved(
                context, rule.id, location, "router.register with a prefix or viewset static reading cannot follow"
            )
            continue
        parents = _parents_prefix(context, router, call, location)
        if parents is None:
            continue
        name = parents + name
        evidence = Evidence(rule=rule.id, locations=[location])
        for class_symbol in classes:
            _viewset_routes(context, router, prefix, nest + name, class_symbol, evidence, location)


def _parents_prefix(context: _Context, router: _Router, call: Expr, location: Location) -> str | None:
    """What a nested registration (drf-extensions) puts before its prefix: `parent/(?P<parent_lookup_x>
    [^/.]+)/` per enclosing registration, `x` from `parents_query_lookups`; "" for a plain one."""
    parents = router.parents.get((location.file, location.line, call), ())
    if not parents:
        return ""
    lookups = _strings(argument(call, 3, "parents_query_lookups"))
    prefixes = [context.evaluator.string(s, argument(c, 0, "prefix")) for s, c in parents]
    if not router.chains or lookups is None or len(lookups) != len(prefixes) or None in prefixes:
        detail = "nested registration whose parents or lookups static reading cannot follow"
        _unresolved(context, context.chaining.id if context.chaining else "drf.router.register", location, detail)
        return None
    return "".join(f"{p}/(?P<{_PARENT_LOOKUP}{lookup}>[^/.]+)/" for p, lookup in zip(prefixes, lookups, strict=True))


def _parent_regex(context: _Context, router: _Router, stack: tuple[str, ...]) -> str | None:
    """What a nested router (drf-nested-routers) puts before each prefix: `parent/(?P<lookup_pk>[^/.]+)/`,
    the parent router's own nesting first; the lookup is that of the viewset the parent registers under
    the parent prefix. "" for a router that is not nested; None when the parent cannot be read."""
    if router.parent is None:
        return ""
    scope, parent_expr, prefix_expr, lookup = router.parent
    parent = context.routers.get(context.graphs.resolver.binding_site(scope, parent_expr) or "")
    name = context.evaluator.string(scope, prefix_expr)
    if parent is None or name is None or router.site in stack:
        return None
    above = _parent_regex(context, parent, (*stack, router.site))
    classes = _registered(context, parent, name)
    if above is None or not classes:
        return None
    # drf-nested-routers' `nest_count`: the default lookup is `nested_<count>`
    count, current = 1, context.routers.get(parent.site)
    while current is not None and current.parent is not None and count < _MAX_DEPTH:
        count += 1
        current = context.routers.get(context.graphs.resolver.binding_site(*current.parent[:2]) or "")
    lookup_name = f"{lookup or f'nested_{count}'}_{_lookup_name(context, classes[0])}"
    regex = f"{name}/(?P<{lookup_name}>{_lookup_regex(context, classes[0])})/"
    return above + (regex[1:] if not name and regex.startswith("/") else regex)


def _registered(context: _Context, router: _Router, name: str) -> list[str]:
    """The viewset classes a router registers under the prefix `name`."""
    resolver = context.graphs.resolver
    for call, scope, _facts, _location, _rule in router.registrations:
        given = argument(call, 0, "prefix")
        if given is None or context.evaluator.string(scope, given) != name:
            continue
        viewset = argument(call, 1, "viewset")
        return sorted(v[4:] for v in resolver.values(scope, viewset) if v.startswith("cls:")) if viewset else []
    return []


def _viewset_routes(
    context: _Context,
    router: _Router,
    prefix: _Prefix,
    name: str,
    class_symbol: str,
    evidence: Evidence,
    location: Location,
) -> None:
    lookup = _lookup_name(context, class_symbol)
    value_regex = _lookup_regex(context, class_symbol)
    if router.table is not None:
        found = _table_routes(context, router, prefix, name, class_symbol, evidence, location)
        if not found:
            _unresolved(
                context, evidence.rule, location, f"viewset {class_symbol} with no action static reading can find"
            )
        return
    detail = f"{name}/(?P<{lookup}>{value_regex})"
    slash = router.trailing
    found = 0
    for rule in context.actions:
        route, _, action = rule.role.partition(":")
        handler = _action_handler(context, class_symbol, action)
        if handler is None:
            continue
        raw = f"^{name}{slash}$" if route == "list" else f"^{detail}{slash}$"
        for method in rule.methods:
            _add(context, prefix.extend(raw, True, evidence), [method], handler, action, _DRF, location, class_symbol)
            found += 1
    for action, handler, is_detail, url_path, methods in _extra_actions(context, class_symbol):
        raw = f"^{detail if is_detail else name}/{url_path}{slash}$"
        for method in methods:
            _add(context, prefix.extend(raw, True, evidence), [method], handler, action, _DRF, location, class_symbol)
            found += 1
    if not found:
        _unresolved(context, evidence.rule, location, f"viewset {class_symbol} with no action static reading can find")


def _lookup_name(context: _Context, class_symbol: str) -> str:
    return (
        string_of(_class_constant(context, class_symbol, "lookup_url_kwarg"))
        or string_of(_class_constant(context, class_symbol, "lookup_field"))
        or "pk"
    )


def _lookup_regex(context: _Context, class_symbol: str) -> str:
    return string_of(_class_constant(context, class_symbol, "lookup_value_regex")) or "[^/.]+"


def _table_routes(
    context: _Context,
    router: _Router,
    prefix: _Prefix,
    name: str,
    class_symbol: str,
    evidence: Evidence,
    location: Location,
) -> int:
    """A registration expanded by the project's own `routes` table: each row's URL template with the
    prefix, lookup and trailing slash put in, one route per (method, action) the viewset has; a dynamic
    row once per decorated action with its detail flag."""
    assert router.table is not None
    lookup = f"(?P<{_lookup_name(context, class_symbol)}>{_lookup_regex(context, class_symbol)})"
    extra = _extra_actions(context, class_symbol)
    found = 0

    def add(raw: str, here: Evidence, method: str, handler: str, action: str) -> None:
        nonlocal found
        path = prefix.extend(raw, True, evidence)
        where = _Prefix(path.raw, path.canonical, (*path.evidence, here))
        _add(context, where, [method], handler, action, _DRF, location, class_symbol)
        found += 1

    for row in router.table:
        here = Evidence(rule=_ROUTE_TABLE, locations=[row.location])
        if row.mapping:
            for method, action in row.mapping:
                handler = _action_handler(context, class_symbol, action)
                if handler is not None and method not in _NOT_REPORTED:
                    add(row.expand(name, lookup, router.trailing), here, method, handler, action)
            continue
        for action, handler, is_detail, url_path, methods in extra:
            if is_detail == row.detail:
                raw = row.expand(name, lookup, router.trailing, action, url_path)
                for method in methods:
                    add(raw, here, method, handler, action)
    return found


def _extra_actions(context: _Context, class_symbol: str) -> list[tuple[str, str, bool, str, list[str]]]:
    """`@action` methods of a viewset and its project base classes (a subclass's method wins)."""
    resolver = context.graphs.resolver
    seen: set[str] = set()
    found = []
    mapped: list[tuple[str, str, str, str]] = []  # `@close.mapping.delete`: (action, METHOD, method name, symbol)
    for owner in (class_symbol, *resolver.ancestors(class_symbol)):
        definition = context.graphs.definitions.get(owner)
        if definition is None:
            continue
        for name, symbol in context.methods_of_class.get(owner, ()):
            if name in seen:
                continue
            seen.add(name)
            method = context.graphs.definitions.get(symbol)
            if method is None:
                continue
            scope = scope_of(method.module, method.fact.scope)
            for decorator in method.fact.decorators:
                extra = _mapping_decorator(decorator)
                if extra is not None:
                    mapped.append((extra[0], extra[1], name, symbol))
                    continue
                func = decorator[2][0] if decorator[0] == ExprKind.CALL else decorator
                rule = first_match(resolver.qualified_names(scope, func), context.decorators)
                marker = route_marker(context.graphs, scope, decorator) if rule is None else None
                if marker is not None:  # the project's own `@detail_route(methods=[...])`
                    methods = [m for m in marker.methods if m not in _NOT_REPORTED]
                    found.append((name, symbol, marker.detail, marker.url_path or name, methods))
                    continue
                if rule is None or not rule.role.startswith("action"):
                    continue
                call = decorator if decorator[0] == ExprKind.CALL else (ExprKind.CALL, None, (func,), ())
                flag = keyword(call, "detail")
                if rule.role == "action":
                    if flag is None or flag[0] != ExprKind.CONSTANT:
                        _unresolved(
                            context,
                            rule.id,
                            Location(file=definition.file, line=method.fact.line),
                            "@action with a detail flag static reading cannot follow",
                        )
                        continue
                    is_detail = bool(flag[1])
                else:
                    is_detail = rule.role == "action-detail"
                url_path = string_of(keyword(call, "url_path")) or name
                strings = _strings(keyword(call, "methods"))
                methods = sorted({m.upper() for m in strings} if strings is not None else set(rule.methods))
                found.append((name, symbol, is_detail, url_path, [m for m in methods if m not in _NOT_REPORTED]))
    by_name = {entry[0]: entry for entry in found}
    for action, http_method, name, symbol in mapped:  # another method of the action's URL (DRF >= 3.9)
        target = by_name.get(action)
        if target is not None and http_method not in _NOT_REPORTED:
            found.append((name, symbol, target[2], target[3], [http_method]))
    return sorted(found)


def _mapping_decorator(decorator: Expr) -> tuple[str, str] | None:
    """`@close.mapping.delete` on another method: (the action it extends, `DELETE`), else None."""
    if decorator[0] != ExprKind.ATTRIBUTE or decorator[1] not in HTTP_METHODS:
        return None
    holder = decorator[2][0]
    if holder[:2] != (ExprKind.ATTRIBUTE, "mapping") or holder[2][0][0] != ExprKind.NAME:
        return None
    return str(holder[2][0][1]), str(decorator[1]).upper()


# -- helpers ---------------------------------------------------------------------------------------


def _strings(expr: Expr | None) -> list[str] | None:
    """The strings of a list/tuple/set literal of string literals, else None."""
    if expr is None or expr[0] not in (ExprKind.LIST, ExprKind.TUPLE, ExprKind.SET):
        return None
    values = [string_of(child) for child in expr[2]]
    if any(v is None for v in values):
        return None
    return [v for v in values if v is not None]


def _add(
    context: _Context,
    prefix: _Prefix,
    methods: list[str],
    handler: str,
    action: str | None,
    framework: str,
    location: Location,
    view: str | None = None,
) -> None:
    evidence = list(reversed(prefix.evidence))
    context.found.routes.append(
        Route(
            methods=sorted({m.upper() for m in methods}),
            path=django_canonical(prefix.canonical),
            raw_path=prefix.raw,
            handler=handler,
            action=action,
            view=view,
            framework=framework,
            location=location,
            evidence=evidence,
        )
    )


def _unresolved(context: _Context, rule: str, location: Location, detail: str) -> None:
    context.found.unresolved.append(UnresolvedRegistration(rule=rule, location=location, detail=detail))


RECOGNIZER = Recognizer(
    name="django",
    run=recognize,
    produces=frozenset({Product.ROUTES, Product.VIEW_MOUNTS}),
    requires=frozenset({Product.APPLICATIONS}),
    handles={
        "url-pattern": frozenset({"path", "regex"}),
        "url-include": frozenset({"framework", "i18n-patterns", "include", "passthrough", "patterns"}),
        "url-router": frozenset(
            {
                "api-root",
                "default-router",
                "nested-default-router",
                "nested-registry",
                "nested-simple-router",
                "register",
                "route-table",
                "simple-router",
            }
        ),
        "view-class": frozenset({"", "callable-instance"}),
        "view-decorator": frozenset(
            {"action", "action-detail", "action-list", "api-view", "fixed", "methods-argument"}
        ),
        "viewset-action": frozenset({"list:*", "detail:*"}),
        "settings-key": frozenset({"settings-object"}),
    },
)
