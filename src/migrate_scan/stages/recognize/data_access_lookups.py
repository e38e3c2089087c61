"""The tables a Django query's lookups join: `filter(site__region=r)`, `Q(tags=None)`, `Count("devices")`.

A lookup path (`a__b__c`) walks the query model's relations, forward fields and reverse accessors
(`related_name`, `<model>_set`), and reads every table it joins:

- keyword lookups of a query call, and those of the `Q(...)`/`When(...)` objects among its arguments
  (`filter(Q(site__region=r) | Q(tenant=t))`), of a local those objects are bound to (`q = Q(...)`,
  `q.add(Q(...), Q.AND)`) or returned by a function of ours passed as the argument
  (`filter(self._filters())`), and of a dict literal unpacked into the call (`filter(**{"site__name": n})`);
- field paths of expressions (`F("site__name")`, `Count("devices")`, `Sum("lines__amount")`) among the
  call's arguments, and the string paths of `values`/`order_by`/`select_related`/... (`"-site__name"`);
- `OuterRef("site__region")` in a subquery (`Subquery`, `Exists`) built inside the call: a path of the
  query the subquery's `OuterRef` levels point at.

A relation a path ends on is compared by its key: a forward foreign key's column is in the row (no join),
a many-to-many relation joins its through table only, a reverse relation joins the related table
(`filter(tags=t)` reads the through table of `tags`, `filter(devices=None)` reads Device), and so is
one followed by `__isnull`. A relation followed by another lookup (`site__in=`) is counted as joined:
measured on traced apps, the rows it compares are read by the same entry point far more often than not.
A segment that is no relation of the model ends the walk: what cannot be resolved adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from migrate_scan.model.facts import Expr, ExprKind
from migrate_scan.model.ids import Location
from migrate_scan.model.report import DataModel
from migrate_scan.stages.recognize.expressions import keyword, string_of

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess, Site

FORWARD_KINDS = frozenset({"foreign-key", "one-to-one"})
"""Relations whose key is a column of the model's own table."""
FILTER, VALUE, RELATION = "filter", "value", "relation"
"""How a path is read: a keyword lookup (may end in a lookup name), a field path of an expression,
or a relation path loading every relation it names (`select_related`, `prefetch_related`)."""
NULL_TEST = "isnull"
"""A lookup that tests a relation's key alone (`assignee__isnull=True` reads the row's own column)."""
OUTER = "outer"
"""An `OuterRef(...)`: a path of an enclosing query."""
RELATION_LOADERS = frozenset({"select_related", "prefetch_related"})
"""Path methods whose paths load the related rows themselves (every relation named is joined)."""


class QueryLookups:
    """Records, for a query call on a Django model, the tables its lookups join."""

    def __init__(self, access: DataAccess, data_models: list[DataModel]) -> None:
        self.access = access
        self.forward = {(m.symbol, r.field) for m in data_models for r in m.relations if r.kind in FORWARD_KINDS}
        self._forward_memo: dict[tuple[str, str], bool] = {}
        known = access.known
        self.filters, self.expressions, self.outer = known.filter_expressions, known.path_expressions, known.outer_refs
        self._named = self.filters | self.expressions | self.outer  # a cheap pre-filter of calls

    # -- one query call ------------------------------------------------------------------------

    def of_call(self, scope: str, model: str, call: Expr, method: str, location: Location | Site) -> None:
        """The joins of `<query of model>.<method>(...)`: its lookups, expressions and subqueries' OuterRefs."""
        paths: list[tuple[str, str, Expr | None]] = []
        for name, value in call[3]:
            if name is not None:
                paths.append((name, FILTER, None))
            else:  # `filter(**lookups)`
                paths += [(key, FILTER, None) for key in self._unpacked(scope, value)]
        arguments = call[2][1:]
        if method in self.access.known.path_methods:
            mode = RELATION if method in RELATION_LOADERS else VALUE
            for argument in arguments:
                inner = None
                if argument[0] == ExprKind.CALL and argument[2][1:]:  # `Prefetch("channel_set", queryset=...)`
                    inner = keyword(argument, "queryset")
                    argument = argument[2][1]
                text = string_of(argument)
                if text is not None:
                    paths.append((text.lstrip("-"), mode, inner))
        values = [*arguments, *(value for _, value in call[3])]
        for node in values:
            paths += self._expression_paths(scope, node)
        for argument in arguments:
            if argument[0] == ExprKind.NAME or (argument[0] == ExprKind.CALL and not self._is_named(argument)):
                paths += [(p, FILTER, None) for p in self._indirect_filters(scope, argument)]
        for node in values:
            paths += [(path, VALUE, None) for path in self._outer_refs(scope, node)]
        for path, mode, inner in paths:
            self.path(scope, model, path, mode, location, inner)

    def path(
        self, scope: str, model: str, path: str, mode: str, location: Location | Site, inner: Expr | None = None
    ) -> str:
        """Record the tables a path from `model` joins; the model it ends on ("" when it leaves the relations)."""
        access = self.access
        segments = path.split("__")
        current = model
        for position, segment in enumerate(segments):
            reached = access.accessors.get((current, segment))
            if reached is None:
                current = ""
                break
            rest = segments[position + 1 :]
            through = access.through.get((current, segment))
            if through is not None:
                access.record_read(scope, through, _location(location))
            compared = not rest or (mode == FILTER and rest == [NULL_TEST])
            if compared and mode != RELATION and (through is not None or self._is_forward(current, segment)):
                current = ""  # compared by its key: the column, or the through table's
                break
            access.record_read(scope, reached, _location(location))
            current = reached
        if inner is not None and current:
            self.chain(scope, current, inner, location)
        return current

    def chain(self, scope: str, model: str, chain: Expr, location: Location | Site) -> None:
        """The lookups of every call along a query chain of `model` (a view's `queryset`, a `Prefetch`'s)."""
        node = chain
        while node[0] in (ExprKind.ATTRIBUTE, ExprKind.CALL, ExprKind.SUBSCRIPT):
            func = node[2][0] if node[0] == ExprKind.CALL else None
            if func is not None and func[0] == ExprKind.ATTRIBUTE and func[1] in self.access.known.lookup_methods:
                self.of_call(scope, model, node, str(func[1]), location)
            node = node[2][0]

    def _is_forward(self, model: str, field: str) -> bool:
        """Whether `model.field` is a foreign key or one-to-one field of the model (or of a base of ours)."""
        known = self._forward_memo.get((model, field))
        if known is None:
            owners = (model, *self.access.graphs.resolver.ancestors(model))
            known = self._forward_memo[(model, field)] = any((owner, field) in self.forward for owner in owners)
        return known

    # -- what the arguments hold ---------------------------------------------------------------

    def _expression_paths(self, scope: str, expr: Expr) -> list[tuple[str, str, Expr | None]]:
        """`Q(a__b=1)`, `When(a__b=1, ...)`: keyword lookups; `F("a__b")`, `Count("a")`: field paths; not
        inside a nested query (its own call reads them)."""
        found: list[tuple[str, str, Expr | None]] = []
        for node in self._outside_queries(expr):
            kind = self.kind(scope, node)
            if kind == FILTER:
                found += [(name, FILTER, None) for name, _ in node[3] if name is not None]
            elif kind == VALUE:
                found += [(text, VALUE, None) for text in map(string_of, node[2][1:]) if text is not None]
        return found

    def _outside_queries(self, expr: Expr) -> Iterator[Expr]:
        """The calls of an expression, not descending into a nested query (`Exists(Other.objects.filter(...))`)."""
        pending = [expr]
        lookups = self.access.known.lookup_methods
        while pending:
            node = pending.pop()
            if node[0] == ExprKind.CALL:
                func = node[2][0]
                if func[0] == ExprKind.ATTRIBUTE and func[1] in lookups:
                    continue
                yield node
            pending += node[2]
            if node[3]:
                pending += [value for _, value in node[3]]

    def _outer_refs(self, scope: str, expr: Expr) -> list[str]:
        """The paths of the `OuterRef(...)`s of the subqueries in `expr` that point at the call's own query."""
        found: list[str] = []
        pending: list[tuple[Expr, int]] = [(expr, 0)]  # node, how many queries deep
        lookups = self.access.known.lookup_methods
        while pending:
            node, depth = pending.pop()
            if node[0] == ExprKind.CALL:
                func = node[2][0]
                if func[0] == ExprKind.ATTRIBUTE and func[1] in lookups:  # a nested query: its chain's arguments
                    chain: Expr = node
                    while chain[0] in (ExprKind.ATTRIBUTE, ExprKind.CALL, ExprKind.SUBSCRIPT):
                        if chain[0] == ExprKind.CALL:
                            pending += [(a, depth + 1) for a in chain[2][1:]]
                            pending += [(v, depth + 1) for _, v in chain[3]]
                        chain = chain[2][0]
                    continue
                if depth and self.kind(scope, node) == OUTER:
                    levels, inner = 1, node[2][1:2]
                    while inner and inner[0][0] == ExprKind.CALL and self.kind(scope, inner[0]) == OUTER:
                        levels, inner = levels + 1, inner[0][2][1:2]
                    text = string_of(inner[0]) if inner else None
                    if text is not None and levels == depth:
                        found.append(text)
                    continue
            pending += [(child, depth) for child in node[2]]
            pending += [(value, depth) for _, value in node[3]]
        return found

    def _indirect_filters(self, scope: str, argument: Expr) -> list[str]:
        """Keyword lookups of the `Q(...)` objects a local holds or a function of ours returns."""
        if argument[0] == ExprKind.NAME:
            return self._local_filters(scope, str(argument[1]))
        found: list[str] = []
        for value in self.access.graphs.resolver.values(scope, argument[2][0]):
            if not value.startswith(("def:", "bnd:")) or value[4:] not in self.access.graphs.definitions:
                continue
            definition = self.access.graphs.definitions[value[4:]]
            facts = self.access.graphs.modules.get(definition.module)
            if facts is None or definition.fact.kind != "function":
                continue
            callee = value[4:]
            for returned in facts.returns:
                if returned.scope != definition.fact.qualname:
                    continue
                if returned.value[0] == ExprKind.NAME:
                    found += self._local_filters(callee, str(returned.value[1]))
                else:
                    found += [p for p, mode, _ in self._expression_paths(callee, returned.value) if mode == FILTER]
        return found

    def _local_filters(self, scope: str, local: str) -> list[str]:
        """`q = Q(...)`, `q |= Q(...)`, `q.add(Q(...), Q.AND)`: the keyword lookups of what a local holds."""
        module, _, qualname = scope.partition(":")
        facts = self.access.graphs.modules.get(module)
        if facts is None or not qualname:
            return []
        target = (ExprKind.NAME, local, (), ())
        held: list[Expr] = [
            a.value for a in facts.assignments if a.scope == qualname and a.value is not None and target in a.targets
        ]
        for call in facts.calls:
            func = call.call[2][0]
            if call.scope == qualname and func[0] == ExprKind.ATTRIBUTE and func[2][0] == target:
                held += call.call[2][1:]  # `q.add(Q(...), Q.AND)`
        return [p for expr in held for p, mode, _ in self._expression_paths(scope, expr) if mode == FILTER]

    def _unpacked(self, scope: str, value: Expr) -> list[str]:
        """The literal keys of a dict unpacked into a call (`**{"site__name": n}`, or a local bound to one)."""
        held = [value]
        if value[0] == ExprKind.NAME:
            module, _, qualname = scope.partition(":")
            facts = self.access.graphs.modules.get(module)
            target = (ExprKind.NAME, value[1], (), ())
            held = [
                a.value
                for a in (facts.assignments if facts is not None and qualname else ())
                if a.scope == qualname and a.value is not None and target in a.targets
            ]
        keys: list[str] = []
        for expr in held:
            if expr[0] == ExprKind.DICT:
                keys += [k for k in map(string_of, expr[2][0::2]) if k is not None]
        return keys

    def _is_named(self, node: Expr) -> bool:
        """Whether a call's function is spelled as one of the expression classes (`Q`, `models.Q`, `Count`)."""
        func = node[2][0]
        return func[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE) and func[1] in self._named

    def kind(self, scope: str, node: Expr) -> str:
        """FILTER for a `Q`/`When`, VALUE for a field expression (`F`, `Count`...), "outer" for an `OuterRef`,
        "" otherwise: by the name it is spelled with, confirmed by what it resolves to (Django's)."""
        if not self._is_named(node):
            return ""
        for value in self.access.graphs.resolver.values(scope, node[2][0]):
            if not value.startswith("ext:django"):
                continue
            name = value.rpartition(":")[2].rpartition(".")[2]
            if name in self.filters:
                return FILTER
            if name in self.expressions:
                return VALUE
            if name in self.outer:
                return OUTER
        return ""


def _location(where: Location | Site) -> Location:
    return where if isinstance(where, Location) else where.location()
