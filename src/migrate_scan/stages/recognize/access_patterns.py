"""Access patterns: published `models` → the same models, each with the query shapes the code uses on it.

A query chain rooted at a model's manager or query property
(`Ticket.objects.filter(status=..., team=...).order_by("-created")`,
`Order.query.filter_by(user_id=...).order_by(Order.created)`) or a lookup
helper given the model (`get_object_or_404(Ticket, pk=...)`) gives one
pattern: the fields compared for equality, by range, ordered by, and the
relations the query follows (`team__name=...`, `select_related("team")`,
`.join(...)`). Inner calls of a longer chain at the same place are folded
into the chain's pattern.

Invariants: models keep their order and every other field; `access` is
sorted, one entry per distinct shape with every place it appears. Only what
is written literally is read (keyword names, string field names, model
attributes); a filter built at run time (`filter(**kwargs)`, `Q(...)`) adds
nothing.
"""

from __future__ import annotations

from collections import defaultdict

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.model.facts import Expr, ExprKind
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Recognition
from migrate_scan.model.report import AccessPattern, DataModel
from migrate_scan.stages.recognize.expressions import scope_of, string_of
from migrate_scan.stages.recognize.registry import Product, Recognizer

MANAGERS = frozenset({"objects", "query"})  # Django's default manager, Flask-SQLAlchemy's query property
FILTERS = frozenset({"filter", "filter_by", "get", "exclude", "get_or_create", "update_or_create", "first_or_404"})
ORDERS = frozenset({"order_by"})
FOLLOWS = frozenset({"select_related", "prefetch_related", "join", "outerjoin"})
LOOKUP_HELPERS = frozenset({"get_object_or_404", "get_list_or_404"})
EQUALITY = frozenset({"exact", "iexact"})
RANGES = frozenset({"gt", "gte", "lt", "lte", "range", "in", "year", "month", "day", "date", "isnull"})
SCANS = frozenset({"contains", "icontains", "startswith", "istartswith", "endswith", "iendswith", "regex", "search"})
NOT_FIELDS = frozenset({"defaults", "create_defaults"})

_Shape = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def with_access_patterns(graphs: LinkedGraphs, _heuristics: Heuristics, published: Recognition) -> Recognition:
    """The published models, each with the access patterns of the query chains rooted at it."""
    by_symbol = {m.symbol: m for m in published.models}
    found: dict[str, dict[_Shape, set[Location]]] = defaultdict(lambda: defaultdict(set))
    for facts in graphs.modules.values():
        chains: dict[tuple[int, str], list[tuple[str, _Shape]]] = defaultdict(list)
        for call in facts.calls:
            scope = scope_of(facts.module, call.scope)
            read = _chain(graphs, scope, call.call, by_symbol)
            if read is not None:
                chains[(call.line, call.scope)].append(read)
        for (line, _), shapes in chains.items():
            for model, shape in _outermost(shapes):
                found[model][shape].add(Location(file=facts.path, line=line))
    models = [_with_access(model, found.get(model.symbol, {})) for model in published.models]
    return Recognition(models=models)


def _with_access(model: DataModel, shapes: dict[_Shape, set[Location]]) -> DataModel:
    if not shapes:
        return model
    access = [
        AccessPattern(
            equals=list(equals),
            ranges=list(ranges),
            orders=list(orders),
            joins=list(joins),
            locations=sorted(places, key=lambda x: (x.file, x.line)),
        )
        for (equals, ranges, orders, joins), places in sorted(shapes.items())
    ]
    return model.model_copy(update={"access": access})


def _outermost(shapes: list[tuple[str, _Shape]]) -> list[tuple[str, _Shape]]:
    """Drop a shape another shape of the same model on the same line contains (an inner call of its chain)."""
    kept = []
    for model, shape in shapes:
        covered = any(
            other_model == model and other != shape and all(set(a) <= set(b) for a, b in zip(shape, other, strict=True))
            for other_model, other in shapes
        )
        if not covered and (model, shape) not in kept:
            kept.append((model, shape))
    return kept


def _chain(graphs: LinkedGraphs, scope: str, call: Expr, models: dict[str, DataModel]) -> tuple[str, _Shape] | None:
    """The model a call chain is rooted at and the shape of its filters, orders and joins; None if none."""
    equals: list[str] = []
    ranges: list[str] = []
    orders: list[str] = []
    joins: list[str] = []
    node = call
    model: DataModel | None = None
    while node[0] == ExprKind.CALL:
        func = node[2][0]
        if func[0] == ExprKind.NAME and str(func[1]) in LOOKUP_HELPERS and len(node[2]) > 1:
            model = _model_of(graphs, scope, node[2][1], models)
            if model is not None:
                _lookups(node, equals, ranges, joins)
            break
        if func[0] != ExprKind.ATTRIBUTE:
            return None
        method, owner = str(func[1]), func[2][0]
        if method in FILTERS:
            _lookups(node, equals, ranges, joins)
        elif method in ORDERS:
            orders += _ordered(node)
        elif method in FOLLOWS:
            joins += [text for text in (string_of(a) for a in node[2][1:]) if text] or [method]
        if owner[0] == ExprKind.ATTRIBUTE and str(owner[1]) in MANAGERS:
            model = _model_of(graphs, scope, owner[2][0], models)
            break
        node = owner
    if model is None or not (equals or ranges or orders or joins):
        return None
    equals = [_field(model, name) for name in equals]
    shape: _Shape = (
        tuple(dict.fromkeys(equals)),
        tuple(dict.fromkeys(ranges)),
        tuple(dict.fromkeys(orders)),
        tuple(sorted(set(joins))),
    )
    return model.symbol, shape


def _model_of(graphs: LinkedGraphs, scope: str, expr: Expr, models: dict[str, DataModel]) -> DataModel | None:
    for value in sorted(graphs.resolver.values(scope, expr)):
        if value.startswith("cls:") and value[4:] in models:
            return models[value[4:]]
    return None


def _lookups(call: Expr, equals: list[str], ranges: list[str], joins: list[str]) -> None:
    """Keyword lookups (`filter(a=..., b__gte=..., author__name=...)`) sorted into the pattern's lists."""
    for name, _ in call[3]:
        if name is None or name in NOT_FIELDS:
            continue
        field, *lookups = name.split("__")
        last = lookups[-1] if lookups else "exact"
        if last in RANGES | EQUALITY | SCANS:
            lookups = lookups[:-1]
        if lookups:  # `author__name=...`: the query follows the relation `author`
            joins.append(field)
        elif last in RANGES:
            ranges.append(field)
        elif last in EQUALITY:
            equals.append(field)


def _ordered(call: Expr) -> list[str]:
    """`order_by("-created", "id")`, `order_by(Order.created.desc())`: the field names."""
    fields = []
    for argument in call[2][1:]:
        text = string_of(argument)
        if text is not None:
            fields.append(text.lstrip("-+?").split("__")[0])
            continue
        node = argument
        if node[0] == ExprKind.CALL and node[2][0][0] == ExprKind.ATTRIBUTE:  # Model.field.desc()
            node = node[2][0][2][0]
        if node[0] == ExprKind.ATTRIBUTE:
            fields.append(str(node[1]))
    return [f for f in fields if f]


def _field(model: DataModel, name: str) -> str:
    """`pk` is the primary key; a relation compared by object is its key column (`team=` → `team_id`)."""
    if name == "pk":
        return "id"
    if any(r.field == name for r in model.relations) and not name.endswith("_id"):
        return f"{name}_id"
    return name


RECOGNIZER = Recognizer(
    name="access-patterns",
    run=with_access_patterns,
    refines=frozenset({Product.MODELS}),
)
