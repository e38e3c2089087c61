"""Data access: `self.name(...)` and `cls.name(...)` in an inherited method run the entry point's class's `name`.

A GraphQL mutation class inherits `mutate` from a base class of the project, which calls
`cls.check_permissions(...)` then `cls.perform_mutation(...)`; the symbol table resolves
`cls` in the base class to the base class, whose `perform_mutation` raises
`NotImplementedError`. Run for one mutation, `cls` is that mutation: each such call made
in a method of the class or of an ancestor is the method the class's MRO finds.

And the entry of a graphene mutation field is what graphene calls, the class's `mutate`
(found through its MRO), with its handler (`perform_mutation`): the permission checks a
base class's `mutate` makes run before the work.

Such a call that has a call-site variant of its own (`cls.save(info, instance)` in a generic base's
`perform_mutation`, the parameter bound to the row of the routed class's model: `data_access_bindings`)
reaches that variant, not the method with every value any caller passed; when the class overrides the
method, the override runs instead.

Every operation of a GraphQL endpoint runs through the view serving it: a project's own view
class mounted at the endpoint's path (`GraphQLView.as_view(schema=schema)`) builds the request's
context (the site, the app or user the token names) for each operation; a graphene field's
route reaches that class's methods too.
"""

from __future__ import annotations

from collections import defaultdict

from migrate_scan.model.facts import ExprKind
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.inventory import ViewMount
from migrate_scan.stages.recognize.expressions import scope_of

SCHEMA_KEYWORD = "schema"
RECEIVERS = frozenset({"self", "cls"})
MUTATION_ENTRY = "mutate"
VARIANT = "@"
"""Joins a method and the mark of one of its variants (`data_access_bindings`, `data_access_selves`)."""
MUTATION_PREFIX = "mutation."
GRAPHENE = "graphene"


class Dispatch:
    """The methods each function calls on `self`/`cls`, resolved on a given class when asked."""

    def __init__(self, graphs: LinkedGraphs) -> None:
        self.graphs = graphs
        self.names: dict[str, set[str]] = defaultdict(set)  # function → names it calls on self/cls
        self.supers: dict[str, set[str]] = defaultdict(set)  # function → names it calls on super()
        self._resolved: dict[tuple[str, str], frozenset[str]] = {}
        self._next: dict[tuple[str, str, str], tuple[str, ...]] = {}
        for facts in graphs.modules.values():
            for call in facts.calls:
                func = call.call[2][0]
                if not call.scope or func[0] != ExprKind.ATTRIBUTE:
                    continue
                owner = func[2][0]
                if owner[0] == ExprKind.NAME and owner[1] in RECEIVERS:
                    self.names[scope_of(facts.module, call.scope)].add(str(func[1]))
                elif owner[0] == ExprKind.CALL and owner[2][0][:2] == (ExprKind.NAME, "super"):
                    self.supers[scope_of(facts.module, call.scope)].add(str(func[1]))

    def resolve(self, cls: str, name: str) -> frozenset[str]:
        """The functions of ours `cls.name` finds through the MRO of `cls`."""
        key = (cls, name)
        found = self._resolved.get(key)
        if found is None:
            values = self.graphs.resolver.class_attribute(cls, name)
            found = frozenset(
                v[4:] for v in values if v.startswith(("bnd:", "def:")) and v[4:] in self.graphs.definitions
            )
            self._resolved[key] = found
        return found

    def after(self, cls: str, method: str, name: str) -> tuple[str, ...]:
        """`super().<name>()` in `method` (of a class in `cls`'s MRO), run for `cls`: the `<name>` of the next
        class of ours after the method's class in that MRO that defines one (a mixin's cooperative `__init__`
        calls the next mixin's, not its own base's)."""
        key = (cls, method, name)
        found = self._next.get(key)
        if found is None:
            owner = method.rpartition(".")[0]
            order = (cls, *self.graphs.resolver.ancestors(cls))
            found = ()
            if owner in order:
                definitions = self.graphs.definitions
                following = (f"{k}.{name}" for k in order[order.index(owner) + 1 :])
                found = next(((f,) for f in following if f in definitions), ())
            self._next[key] = found
        return found

    def redirect(self, current: str, callees: list[str], cls: str, lineage: frozenset[str]) -> list[str]:
        """`callees` of `current` with its `self`/`cls` calls resolved on `cls` (when `current` is a method
        of `cls` or of an ancestor): the method found, instead of the one of the class that defines it."""
        names = self.names.get(current)
        supers = self.supers.get(current, set())
        if supers and current.rpartition(".")[0] in lineage:  # `super().name()`: the next in `cls`'s MRO
            graph = self.graphs.call_graph  # where the link stage found that one, its edge (or variant) stands
            following = [n for name in sorted(supers) for n in self.after(cls, current, name)]
            callees = callees + [n for n in following if n not in callees and not graph.has_edge(current, n)]
        if not names or current.rpartition(".")[0] not in lineage:
            return callees
        kept = []
        found: list[str] = []
        for name in sorted(names):
            found += sorted(self.resolve(cls, name))
        redirected = {n for n in names if n not in supers}
        varied: set[str] = set()  # methods found that a call-site variant already stands for
        for callee in callees:
            owner, _, name = callee.rpartition(".")
            method = callee.partition(VARIANT)[0]  # `save@b12`: the variant of `save` bound at a call here
            if name in redirected and owner in lineage and callee not in found:
                continue
            if method != callee and owner in lineage and name.partition(VARIANT)[0] in redirected:
                if method not in found and any(f.rpartition(".")[2] == method.rpartition(".")[2] for f in found):
                    continue  # the routed class overrides it: its own method runs instead
                varied.add(method)
            kept.append(callee)
        return kept + [f for f in found if f not in kept and f not in varied]

    def mutation_entry(self, view: str | None, action: str | None, framework: str) -> str | None:
        """A graphene mutation field's `mutate`, as the mutation class's MRO finds it (one of ours), else None."""
        if framework != GRAPHENE or view is None or not (action or "").startswith(MUTATION_PREFIX):
            return None
        found = sorted(self.resolve(view, MUTATION_ENTRY))
        return found[0] if found else None


def endpoint_views(graphs: LinkedGraphs, mounts: list[ViewMount]) -> dict[str, tuple[str, ...]]:
    """Path → the methods of the project's view classes mounted there with a schema (`as_view(schema=...)`)."""
    found: dict[str, set[str]] = defaultdict(set)
    for mount in mounts:
        if SCHEMA_KEYWORD not in mount.keywords:
            continue
        for view in mount.views:
            definition = graphs.definitions.get(view)
            if definition is None or definition.fact.kind != "class":
                continue
            prefix = view + "."
            found[mount.path].update(
                s for s, d in graphs.definitions.items() if s.startswith(prefix) and d.fact.kind == "function"
            )
    return {path: tuple(sorted(methods)) for path, methods in sorted(found.items())}
