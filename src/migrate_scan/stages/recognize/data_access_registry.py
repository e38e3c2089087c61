"""Functions looked up by a literal key in a registry of ours: `impl = get_filter("product.list"); impl(...)`.

A plugin registry keyed by strings: one function of a module registers a function under a key
(`register_filter("product.list", _authorized_products)`), another function of the same module gives
back what was registered under a key (`get_filter("product.list")`). A local bound to the second
call with a literal key and then called (`impl = get_filter("product.list")`, `impl(permission)`)
runs every function registered under that same literal key with a function of that module.
Both keys must be literals and equal; the registering and the looking-up functions must be ours
and in one module; what is registered must be a function of ours.
"""

from __future__ import annotations

from collections import defaultdict

from migrate_scan.model.facts import ExprKind, FileFacts
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.stages.recognize.expressions import scope_of, string_of

_OURS = ("def:", "bnd:")


def registry_callees(graphs: LinkedGraphs) -> dict[str, set[str]]:
    """Function → the functions of ours it runs by calling what a registry gave it for a literal key."""
    registered = _registrations(graphs)
    found: dict[str, set[str]] = defaultdict(set)
    if not registered:
        return found
    for facts in graphs.modules.values():
        for (scope, local), keys in _lookups(graphs, facts).items():
            functions = set().union(*(registered.get(key, ()) for key in keys))
            if functions and _is_called(facts, scope, local):
                found[scope_of(facts.module, scope)] |= functions
    return found


def _registrations(graphs: LinkedGraphs) -> dict[tuple[str, str], set[str]]:
    """(module of the registering function, key) → the functions of ours registered under the key."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    resolver = graphs.resolver
    for facts in graphs.modules.values():
        for call in facts.calls:
            arguments = call.call[2][1:]
            if len(arguments) < 2 or arguments[1][0] not in (ExprKind.NAME, ExprKind.ATTRIBUTE):
                continue
            key = string_of(arguments[0])
            if key is None:
                continue
            scope = scope_of(facts.module, call.scope)
            registering = _functions(resolver.values(scope, call.call[2][0]), graphs)
            if not registering:
                continue
            registered = _functions(resolver.values(scope, arguments[1]), graphs)
            for function in registering:
                found[(graphs.definitions[function].module, key)] |= registered
    return found


def _lookups(graphs: LinkedGraphs, facts: FileFacts) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(function, local) → every (module of a looking-up function, key) it may be: `impl = get_filter("key")`.

    All of them: the callee may resolve to several looking-up functions (in several modules).
    """
    found: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for assignment in facts.assignments:
        value = assignment.value
        if not assignment.scope or value is None or value[0] != ExprKind.CALL or len(value[2]) != 2:
            continue
        if len(assignment.targets) != 1 or assignment.targets[0][0] != ExprKind.NAME:
            continue
        key = string_of(value[2][1])
        if key is None:
            continue
        scope = scope_of(facts.module, assignment.scope)
        for function in _functions(graphs.resolver.values(scope, value[2][0]), graphs):
            found[(assignment.scope, str(assignment.targets[0][1]))].add((graphs.definitions[function].module, key))
    return found


def _is_called(facts: FileFacts, scope: str, local: str) -> bool:
    """Whether a function calls a local of its own (`impl(...)`)."""
    return any(c.scope == scope and c.call[2][0][:2] == (ExprKind.NAME, local) for c in facts.calls)


def _functions(values: frozenset[str], graphs: LinkedGraphs) -> set[str]:
    """The functions of ours among resolved values."""
    return {
        v[4:]
        for v in values
        if v.startswith(_OURS) and v[4:] in graphs.definitions and graphs.definitions[v[4:]].fact.kind == "function"
    }
