"""GraphQL APIs built with graphene / graphene-django: each root-type field is an entry point.

The roots are the classes passed to `graphene.Schema(query=..., mutation=...,
subscription=...)` (positionally too), followed through the symbol table, and
through the direct call sites of a builder function that passes its own
parameters on (`def build_schema(query, mutation): return graphene.Schema(query=query, ...)`).
A root type is often a union of mixins (`class Query(AccountQueries, ProductQueries)`):
every class of its MRO in the scanned tree contributes its class-level fields.

- A query field is a class attribute built by a call to something under
  graphene's packages (`graphene.Field`, `graphene.List`, `DjangoConnectionField`,
  the app's own subclasses of those): one POST route, action `query.<field>`,
  handler the `resolve_<field>` method, else the `resolver=` target, else the class.
- A mutation field is `SomeMutation.Field()`: action `mutation.<field>`, handler
  the method doing the work in the most specific class of the mutation's MRO
  in the scanned tree (`mutate`, `mutate_and_get_payload`, `perform_mutation`, ...),
  view the mutation class (what serves the operation, as a viewset serves its actions).
- A subscription field is a `graphql-subscription` real-time handler.

Every route gets the path the GraphQL view is mounted at, read from the view
mounts the Django and Flask recognizers publish (prefixes of `include()` and
blueprints applied): a GraphQL view class, or any `as_view(schema=...)`; else
`/graphql`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.heuristics.schema import MatchRule
from migrate_scan.model.facts import AssignmentFact, Expr, ExprKind, FileFacts
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Recognition, ViewMount
from migrate_scan.model.report import Evidence, Realtime, Route
from migrate_scan.stages.recognize.expressions import (
    argument,
    constructor_names,
    first_match,
    functions_of,
    keyword,
    scope_of,
    string_of,
)
from migrate_scan.stages.recognize.registry import Product, Recognizer

FRAMEWORK = "graphene"
DEFAULT_PATH = "/graphql"
ROOTS = ("query", "mutation", "subscription")


@dataclass
class _Context:
    graphs: LinkedGraphs
    schemas: dict[str, MatchRule]
    packages: tuple[str, ...]
    field_rule: MatchRule | None
    mutations: dict[str, MatchRule]
    handler_names: tuple[str, ...]
    views: dict[str, MatchRule]
    class_assignments: dict[str, dict[str, list[AssignmentFact]]] = field(default_factory=dict)
    found: Recognition = field(default_factory=Recognition)


def recognize(graphs: LinkedGraphs, heuristics: Heuristics, published: Recognition | None = None) -> Recognition:
    """Find every operation of the graphene schemas the application builds.

    Args:
        graphs: the linked facts.
        heuristics: the rules in force.
        published: the view mounts the URL-tree recognizers published; without any, `/graphql`.
    """
    fields = heuristics.matchers("graphql-field")
    handlers = heuristics.matchers("graphql-handler")
    context = _Context(
        graphs=graphs,
        schemas=heuristics.matchers("graphql-schema"),
        packages=tuple(fields),
        field_rule=next(iter(fields.values()), None),
        mutations=heuristics.matchers("graphql-mutation"),
        handler_names=tuple(handlers),
        views=heuristics.matchers("graphql-view"),
    )
    roots = _roots(context)
    if not roots:
        return context.found
    mounts = published.mounts if published is not None else []
    paths = _mount_paths(context, heuristics, mounts) or [(DEFAULT_PATH, DEFAULT_PATH)]
    seen: set[tuple[str, str]] = set()
    for kind, class_symbol, evidence in roots:
        for name, handler, view, location, rule in _operations(context, kind, class_symbol):
            if (kind, name) in seen:
                continue
            seen.add((kind, name))
            if kind == "subscription":
                context.found.realtime.append(
                    Realtime(kind="graphql-subscription", handler=handler, event=name, location=location)
                )
                continue
            for path, raw in paths:
                context.found.routes.append(
                    Route(
                        methods=["POST"],
                        path=path,
                        raw_path=raw,
                        handler=handler,
                        action=f"{kind}.{name}",
                        view=view,
                        framework=FRAMEWORK,
                        location=location,
                        evidence=[evidence, Evidence(rule=rule.id, locations=[location])],
                    )
                )
    return context.found


# -- root types ---------------------------------------------------------------------------------


def _roots(context: _Context) -> list[tuple[str, str, Evidence]]:
    """(query|mutation|subscription, class symbol, evidence) of every schema built."""
    resolver = context.graphs.resolver
    roots: dict[tuple[str, str], Evidence] = {}
    last_names = {name.rpartition(".")[2] for name in context.schemas}
    for facts in context.graphs.modules.values():
        for call in facts.calls:
            func = call.call[2][0]
            if func[0] not in (ExprKind.NAME, ExprKind.ATTRIBUTE) or func[1] not in last_names:
                continue
            scope = scope_of(facts.module, call.scope)
            rule = first_match(resolver.qualified_names(scope, func), context.schemas)
            if rule is None or context.graphs.is_test(facts.module):
                continue  # a schema built by test code is served only while the tests run
            evidence = Evidence(rule=rule.id, locations=[Location(file=facts.path, line=call.line)])
            for position, kind in enumerate(ROOTS):
                given = argument(call.call, position, kind)
                if given is None:
                    continue
                for class_symbol in _classes(context, scope, given, 0):
                    if _is_graphene(context, class_symbol):
                        roots.setdefault((kind, class_symbol), evidence)
    return [(kind, symbol, evidence) for (kind, symbol), evidence in sorted(roots.items())]


def _classes(context: _Context, scope: str, expr: Expr, depth: int) -> list[str]:
    """Classes `expr` denotes; a parameter of a builder function is followed to its call sites."""
    resolver = context.graphs.resolver
    classes = sorted(v[4:] for v in resolver.values(scope, expr) if v.startswith("cls:"))
    if classes or depth > 3 or expr[0] != ExprKind.NAME:
        return classes
    definition = context.graphs.definitions.get(scope)
    if definition is None or definition.fact.kind != "function":
        return []
    positional = [p.name for p in definition.fact.parameters if p.kind == "positional"]
    if expr[1] not in positional:
        return []
    position = positional.index(expr[1])
    found: set[str] = set()
    graph = context.graphs.call_graph
    for caller in sorted(graph.predecessors(scope)) if scope in graph else []:
        module = caller.partition(":")[0]
        qualname = caller.partition(":")[2]
        facts = context.graphs.modules.get(module)
        if facts is None:
            continue
        for call in facts.calls:
            if call.scope != qualname or call.call[2][0][0] not in (ExprKind.NAME, ExprKind.ATTRIBUTE):
                continue
            if f"def:{scope}" not in resolver.values(caller, call.call[2][0]):
                continue
            given = argument(call.call, position, expr[1])
            if given is not None:
                found.update(_classes(context, caller, given, depth + 1))
    return sorted(found)


def _is_graphene(context: _Context, class_symbol: str) -> bool:
    return any(_in_packages(context, a) for a in context.graphs.resolver.ancestors(class_symbol))


def _in_packages(context: _Context, name: str) -> bool:
    return any(name == p or name.startswith(f"{p}.") for p in context.packages)


# -- fields ---------------------------------------------------------------------------------------


def _operations(context: _Context, kind: str, root: str) -> list[tuple[str, str, str | None, Location, MatchRule]]:
    """(field name, handler, view class, location, rule) for every field of a root type, through its MRO."""
    graphs = context.graphs
    resolver = graphs.resolver
    operations: list[tuple[str, str, str | None, Location, MatchRule]] = []
    names: set[str] = set()
    for owner in (root, *resolver.ancestors(root)):
        definition = graphs.definitions.get(owner)
        if definition is None or definition.fact.kind != "class":
            continue
        facts = graphs.modules[definition.module]
        scope = scope_of(definition.module, definition.fact.qualname)
        for assignment in _class_body(context, facts).get(definition.fact.qualname, []):
            value = assignment.value
            if len(assignment.targets) != 1 or assignment.targets[0][0] != ExprKind.NAME:
                continue
            name = str(assignment.targets[0][1])  # a NAME target's value is its identifier
            if name in names or value is None or value[0] != ExprKind.CALL:
                continue
            location = Location(file=definition.file, line=assignment.line)
            mutation = _mutation_of(context, scope, value)
            if mutation is not None:
                handler, view, rule = mutation
                names.add(name)
                operations.append((name, handler, view, location, rule))
                continue
            if context.field_rule is None or not _is_field(context, scope, value):
                continue
            names.add(name)
            operations.append(
                (name, _resolver_of(context, root, owner, scope, name, value), None, location, context.field_rule)
            )
    return operations


def _class_body(context: _Context, facts: FileFacts) -> dict[str, list[AssignmentFact]]:
    """A module's class-level assignments by class qualname (built once per module)."""
    index = context.class_assignments.get(facts.module)
    if index is None:
        index = {}
        for assignment in facts.assignments:
            if assignment.scope and assignment.operator is None:
                index.setdefault(assignment.scope, []).append(assignment)
        context.class_assignments[facts.module] = index
    return index


def _is_field(context: _Context, scope: str, call: Expr) -> bool:
    func = call[2][0]
    if func[0] not in (ExprKind.NAME, ExprKind.ATTRIBUTE):
        return False
    return any(_in_packages(context, name) for name in constructor_names(context.graphs.resolver, scope, func))


def _resolver_of(context: _Context, root: str, owner: str, scope: str, name: str, call: Expr) -> str:
    """`resolve_<name>` through the root's MRO, else the `resolver=` target, else the class declaring the field."""
    resolver = context.graphs.resolver
    own = {v for v in resolver.class_attribute(root, f"resolve_{name}") if not v.startswith("ext:")}
    functions = functions_of(own)
    if functions:
        return functions[0]
    given = keyword(call, "resolver")
    if given is not None:
        functions = functions_of(resolver.values(scope, given))
        if functions:
            return functions[0]
        text = string_of(given)
        if text is not None:
            return text
    return owner


def _mutation_of(context: _Context, scope: str, call: Expr) -> tuple[str, str, MatchRule] | None:
    """`SomeMutation.Field()`: (the handler doing the work, the mutation class, the mutation rule), else None."""
    func = call[2][0]
    if func[0] != ExprKind.ATTRIBUTE or func[1] != "Field":
        return None
    resolver = context.graphs.resolver
    for value in sorted(resolver.values(scope, func[2][0])):
        if not value.startswith("cls:"):
            continue
        mutation = value[4:]
        mro = (mutation, *resolver.ancestors(mutation))
        rule = first_match(mro, context.mutations)
        if rule is None:
            continue
        for owner in mro:
            definition = context.graphs.definitions.get(owner)
            if definition is None:
                continue
            for method in context.handler_names:
                symbol = f"{owner}.{method}"
                candidate = context.graphs.definitions.get(symbol)
                if candidate is not None and candidate.fact.kind == "function":
                    return symbol, mutation, rule
        return mutation, mutation, rule
    return None


# -- where the GraphQL view is mounted -------------------------------------------------------------


def graphql_views(graphs: LinkedGraphs, heuristics: Heuristics) -> set[str]:
    """The project's classes whose MRO reaches a GraphQL view class."""
    views = heuristics.matchers("graphql-view")
    return {
        symbol
        for symbol, definition in graphs.definitions.items()
        if definition.fact.kind == "class" and any(a in views for a in graphs.resolver.ancestors(symbol))
    }


def _mount_paths(context: _Context, heuristics: Heuristics, mounts: list[ViewMount]) -> list[tuple[str, str]]:
    """(canonical, raw) paths where the URL trees serve a GraphQL view (or any `as_view(schema=...)`)."""
    internal = graphql_views(context.graphs, heuristics)
    paths = {
        (mount.path, mount.raw_path)
        for mount in mounts
        if "schema" in mount.keywords or any(v in internal or v in context.views for v in mount.views)
    }
    return sorted(paths)


RECOGNIZER = Recognizer(
    name="graphql",
    run=recognize,
    requires=frozenset({Product.VIEW_MOUNTS}),
    produces=frozenset({Product.ROUTES, Product.REALTIME}),
    handles={
        "graphql-schema": frozenset({""}),
        "graphql-field": frozenset({""}),
        "graphql-mutation": frozenset({""}),
        "graphql-handler": frozenset({""}),
        "graphql-view": frozenset({""}),
    },
)
