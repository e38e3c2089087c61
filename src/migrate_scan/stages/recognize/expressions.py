"""Reading call expressions and rule tables: what every recognizer needs from the facts."""

from __future__ import annotations

import string
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar, cast

from migrate_scan.heuristics.schema import MatchRule
from migrate_scan.model.facts import AssignmentFact, CallFact, Expr, ExprKind, FileFacts, dotted_name
from migrate_scan.model.facts import number_of as number_of  # re-exported: recognizers read numbers through here
from migrate_scan.model.graphs import LinkedGraphs, Resolver

T = TypeVar("T")


def scope_of(module: str, qualname: str) -> str:
    """The symbol of the scope a fact sits in ('' qualname = the module body)."""
    return f"{module}:{qualname}" if qualname else module


def subexpressions(expr: Expr) -> Iterator[Expr]:
    """Every node of an expression, itself first, then depth-first (keyword values included)."""
    pending = [expr]
    while pending:
        node = pending.pop()
        yield node
        pending += node[2]
        if node[3]:  # keywords: calls only (most nodes have none)
            pending += [value for _, value in node[3]]


def first_match(names: Iterable[str], table: dict[str, MatchRule]) -> MatchRule | None:
    """The rule of the first qualified name found in a compiled table."""
    for name in names:
        rule = table.get(name)
        if rule is not None:
            return rule
    return None


def keyword(call: Expr | None, name: str) -> Expr | None:
    """A call's keyword argument, if given."""
    if call is None:
        return None
    for given, value in call[3]:
        if given == name:
            return value
    return None


def argument(call: Expr, position: int, name: str | None = None) -> Expr | None:
    """A call's argument by position (0 = first after the function) or, failing that, by keyword."""
    arguments = call[2][1:]
    if position < len(arguments) and arguments[position][0] != ExprKind.STARRED:
        return arguments[position]
    return keyword(call, name) if name else None


def string_of(expr: Expr | None) -> str | None:
    """The value of a string literal, else None."""
    if expr is not None and expr[0] == ExprKind.CONSTANT and isinstance(expr[1], str):
        return expr[1]
    return None


def functions_of(values: Iterable[str]) -> list[str]:
    """The functions among symbol-table values; behind our own decorators' wrappers, the function itself."""
    found = set()
    for value in values:
        if value.startswith(("def:", "bnd:")):
            found.add(value[4:])
        elif value.startswith("wrap:"):
            found.add(value[5:].split("|")[-1])
    return sorted(found)


def constructor_names(resolver: Resolver, scope: str, func: Expr) -> tuple[str, ...]:
    """What a constructor call builds: its qualified names, and for a class of ours its ancestors'.

    So `api = ExternalApi(app)` with `class ExternalApi(flask_restful.Api)` is an Api,
    and `router = NetBoxRouter()` a DRF router.
    """
    memo = _memos(resolver)
    key = (scope, id(func))
    entry = memo.constructors.get(key) if memo is not None else None
    if entry is not None and entry[0] is func:
        return entry[1]
    names = list(resolver.qualified_names(scope, func))
    for value in sorted(resolver.values(scope, func)):
        if value.startswith("cls:"):
            names += [a.replace(":", ".") for a in resolver.ancestors(value[4:])]
    answer = tuple(names)
    if memo is not None:
        memo.constructors[key] = (func, answer)
    return answer


ModuleCall = tuple[CallFact, str, tuple[str, ...]]
"""A call of a module, the scope it is made in and the qualified names its function may denote."""


def module_calls(resolver: Resolver, facts: FileFacts) -> tuple[ModuleCall, ...]:
    """Every call of a module with its scope and its function's `qualified_names`, in source order.

    Asked once per module and shared by every recognizer that walks a module's
    calls against a rule table: the scope strings and the answers are built once.
    """
    return _module_calls(resolver, facts)[1]


def called_names(resolver: Resolver, facts: FileFacts) -> frozenset[str]:
    """Every qualified name the function of some call in a module may denote.

    A walk over a module's calls that acts only on calls whose function's
    `qualified_names` meet a rule table can skip a module whose set is disjoint
    from the table: the same answers, asked once per module instead of once
    per recognizer and call.
    """
    return _module_calls(resolver, facts)[0]


def _module_calls(resolver: Resolver, facts: FileFacts) -> tuple[frozenset[str], tuple[ModuleCall, ...]]:
    memo = _memos(resolver)
    entry = memo.called.get(facts.module) if memo is not None else None
    if entry is not None and entry[0] is facts:
        return entry[1], entry[2]
    names: set[str] = set()
    calls: list[ModuleCall] = []
    module = facts.module
    for call in facts.calls:
        scope = f"{module}:{call.scope}" if call.scope else module
        qualified = resolver.qualified_names(scope, call.call[2][0])
        names.update(qualified)
        calls.append((call, scope, qualified))
    answer = frozenset(names), tuple(calls)
    if memo is not None:
        memo.called[facts.module] = (facts, *answer)
    return answer


def subclass_names(graphs: LinkedGraphs, table: Mapping[str, object]) -> frozenset[str]:
    """Dotted names of the project's classes with an ancestor a rule table names.

    `constructor_names` of a call meets `table` only if its `qualified_names` meet
    `table` or this set (a class the call may build is among its qualified names).
    """
    resolver = graphs.resolver
    return frozenset(
        symbol.replace(":", ".")
        for symbol, definition in graphs.definitions.items()
        if definition.fact.kind == "class" and any(a.replace(":", ".") in table for a in resolver.ancestors(symbol))
    )


@dataclass
class _Memos:
    """What recognizers asked of one resolver, kept while recognition runs.

    Entries hold the object they are keyed by (the expression, the module's
    facts), so that an id cannot be reused by another object while the entry
    lives (as the resolver's own `qualified_names` memo does).
    """

    constructors: dict[tuple[str, int], tuple[Expr, tuple[str, ...]]] = field(default_factory=dict)
    called: dict[str, tuple[FileFacts, frozenset[str], tuple[ModuleCall, ...]]] = field(default_factory=dict)
    indexes: dict[str, tuple[LinkedGraphs, object]] = field(default_factory=dict)


_MEMOS: weakref.WeakKeyDictionary[Resolver, _Memos] = weakref.WeakKeyDictionary()


_LAST: list[tuple[weakref.ref[Resolver], _Memos]] = []
"""The resolver asked last and its memos: most questions in a row are about one resolver."""


def _memos(resolver: Resolver) -> _Memos | None:
    """The memos of one resolver, or None for a resolver that cannot key them (a test double)."""
    if _LAST and _LAST[0][0]() is resolver:
        return _LAST[0][1]
    try:
        memos = _MEMOS.setdefault(resolver, _Memos())
        _LAST[:] = [(weakref.ref(resolver), memos)]
    except TypeError:  # unhashable or not weakly referenceable
        return None
    return memos


def shared_index(graphs: LinkedGraphs, name: str, build: Callable[[], T]) -> T:
    """An index over the whole tree (`build()`), built once per scan for every recognizer that asks by `name`.

    The index must depend on the linked graphs alone (not on a recognizer's
    rules): each evaluator and recognizer that needs the assignments, calls or
    decorators of the tree by name then shares one copy.
    """
    memo = _memos(graphs.resolver)
    entry = memo.indexes.get(name) if memo is not None else None
    if entry is not None and entry[0] is graphs:
        return cast(T, entry[1])
    built = build()
    if memo is not None:
        memo.indexes[name] = (graphs, built)
    return built


def forget(resolver: Resolver) -> None:
    """Drop what was memoised about a resolver's answers (once recognition is over)."""
    _LAST.clear()
    try:
        _MEMOS.pop(resolver, None)
    except TypeError:
        return


def constructions(
    resolver: Resolver, facts: FileFacts, rules: dict[str, MatchRule], roles: tuple[str, ...]
) -> Iterator[tuple[str, AssignmentFact, Expr, MatchRule]]:
    """`x = Something(...)` assignments (one target) whose call builds what a rule of one of `roles`
    names, through the project's subclasses too: (scope, assignment, the call, the rule)."""
    for assignment in facts.assignments:
        value = assignment.value
        if value is None or value[0] != ExprKind.CALL or len(assignment.targets) != 1:
            continue
        scope = scope_of(facts.module, assignment.scope)
        rule = first_match(constructor_names(resolver, scope, value[2][0]), rules)
        if rule is not None and rule.role in roles:
            yield scope, assignment, value, rule


def _format_fields_shown(template: str) -> str:
    """A `str.format` template with each field shown as `{name}` (`{value}` for a positional one)."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        return template
    shown = []
    for literal, named, _, _ in parts:
        shown.append(literal)
        if named is not None:
            name = named.partition(".")[0].partition("[")[0]
            shown.append("{" + (name if name and not name.isdigit() else "value") + "}")
    return "".join(shown)


def template_of(expr: Expr | None) -> tuple[str, bool] | None:
    """A string literal, or an f-string, `str.format` call or variable with each computed part shown as `{name}`.

    Returns the text and whether any part was computed (`f"{BASE_PATH}api/"` →
    `("{BASE_PATH}api/", True)`); None for anything else.
    """
    text = string_of(expr)
    if text is not None:
        return text, False
    if expr is None:
        return None
    if expr[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE):  # `path(settings.BASE_PATH, ...)`
        name = dotted_name(expr)
        return ("{" + name.rpartition(".")[2] + "}", True) if name else None
    if expr[0] == ExprKind.CALL and expr[2][0][0] == ExprKind.ATTRIBUTE and expr[2][0][1] == "format":
        template = string_of(expr[2][0][2][0])  # `"^{prefix}downloads/".format(**opts)`: its fields shown
        return (_format_fields_shown(template), True) if template is not None else None
    if expr[0] != ExprKind.FSTRING:
        return None
    pieces = []
    for part in expr[2]:
        literal = string_of(part)
        if literal is not None:
            pieces.append(literal)
        else:
            name = dotted_name(part)
            pieces.append("{" + (name.rpartition(".")[2] if name else "value") + "}")
    return "".join(pieces), True


def returned_expressions(graphs: LinkedGraphs, function: str) -> list[Expr]:
    """What a function of the tree returns: each `return` value, then the values assigned to a returned
    local (`query = ...; return query`); empty for anything that is no function of the tree."""
    definition = graphs.definitions.get(function)
    facts = graphs.modules.get(definition.module) if definition is not None else None
    if definition is None or facts is None or definition.fact.kind != "function":
        return []
    qualname = definition.fact.qualname
    values = [r.value for r in facts.returns if r.scope == qualname and not r.is_yield]
    names = {value for value in values if value[0] == ExprKind.NAME}
    if names:
        values += [
            a.value
            for a in facts.assignments
            if a.scope == qualname and a.value is not None and len(a.targets) == 1 and a.targets[0] in names
        ]
    return values
