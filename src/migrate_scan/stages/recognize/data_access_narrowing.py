"""Type tests a call-site variant decides: `if isinstance(obj, Product):` where the caller passes a `Product`.

A permission helper often branches on the type of the object it is handed
(`def can_view(user, obj): if isinstance(obj, Product): ...; if isinstance(obj, Invoice): ...`).
The link stage is context-insensitive, so every branch counts for every caller. A call-site
variant (`data_access_bindings`) knows what its caller passes: when every value the bound
parameter may hold is an instance of a model class of ours, a top-level `if isinstance(param, X)`
(X a class, `X | Y` or a tuple of classes) is decided for that call. Its body is dead when no
possible value is an instance of X, its `else` when every one is; and when the body it takes ends
in `return`, the lines after it are dead too. Anything unknown (a value that is not a known
instance, a class that does not resolve to one of ours) leaves the test undecided: every branch
counts, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Set

from migrate_scan.model.facts import BranchFact, Expr, ExprKind, FileFacts
from migrate_scan.model.graphs import Definition

ISINSTANCE = "isinstance"
UNION = "BitOr"
"""`X | Y` as a class argument of `isinstance` (Python 3.10+)."""

Values = Callable[[str, Expr], frozenset[str]]


def narrowed_lines(
    definition: Definition,
    facts: FileFacts,
    variant: str,
    values: Values,
    ancestors: Callable[[str], tuple[str, ...]],
    bound: frozenset[str],
) -> tuple[tuple[int, int], ...]:
    """The line ranges of a helper its call-site variant `variant` cannot run, by the `isinstance` tests
    on its bound parameters (`bound`) the caller's argument decides.

    `values(scope, expr)`: the values an expression may hold in a scope (the variant's: the bound
    parameter is the caller's argument); `ancestors(cls)`: a class's ancestors.
    """
    qualname, end = definition.fact.qualname, definition.fact.end_line
    branches = [b for b in facts.branches if b.scope == qualname and b.kind == "if"]
    if not branches or not bound:
        return ()
    return dead_spans(
        branches, facts, qualname, end, lambda test: decided_test(test, variant, values, ancestors, bound)
    )


def dead_spans(
    branches: list[BranchFact],
    facts: FileFacts,
    qualname: str,
    end: int,
    decide: Callable[[Expr], bool | None],
    honours_exits: bool = False,
) -> tuple[tuple[int, int], ...]:
    """The line ranges a function cannot run, given what `decide` says of its top-level `if` tests: the
    branch not taken, and what follows a taken branch that ends in `return` (or, with `honours_exits`,
    a true branch the parse stage saw leave the function)."""
    returns = sorted(r.line for r in facts.returns if r.scope == qualname and not r.is_yield)
    dead: list[tuple[int, int]] = []
    for branch in branches:
        if any(o.line < branch.line <= max(o.body_end, o.else_end) for o in branches if o is not branch):
            continue  # only top-level tests: a nested one may not be reached at all
        value = decide(branch.test)
        if value is None:
            continue
        taken = (branch.line + 1, branch.body_end) if value else (branch.else_line, branch.else_end)
        skipped = (branch.else_line, branch.else_end) if value else (branch.line + 1, branch.body_end)
        if skipped[0]:
            dead.append(skipped)
        exits = honours_exits and value and branch.exits
        if taken[0] and (exits or ends_in_return(taken, returns, facts, qualname)):
            dead.append((taken[1] + 1, end))
    return tuple(sorted(set(dead)))


def type_tested(facts: FileFacts, qualname: str, names: Set[str], is_model: Callable[[Expr], bool]) -> set[str]:
    """The parameters (of `names`) a function tests with `isinstance` against a model class of ours
    (`is_model(expr)`): binding them to each caller's argument may decide the test."""
    tested: set[str] = set()
    for branch in facts.branches:
        test = branch.test
        if branch.scope == qualname and branch.kind == "if" and _is_type_test(test):
            subject = test[2][1]
            if (
                subject[0] == ExprKind.NAME
                and subject[1] in names
                and subject[1] not in tested
                and any(is_model(expr) for expr in _class_expressions(test[2][2]))
            ):
                tested.add(str(subject[1]))
    return tested


def argument_values(
    values: Values,
    arguments: Mapping[str, tuple[str, Expr, frozenset[str]]],
    rows: Mapping[tuple[str, str], set[str]],
    models: Set[str],
) -> Values:
    """`values`, with a bound parameter whose argument is a caller's local holding rows of known models
    (`item = Product.objects.get(...)`) the instances of those models: the link stage gives such a local
    the outside call that made it (`ext:...get()`), the data-access recognizer the model.

    `arguments`: parameter → (caller's scope, argument, fixed values); `rows`: (scope, local) → models.
    """

    def found(scope: str, expr: Expr) -> frozenset[str]:
        given = values(scope, expr)
        argument = arguments.get(str(expr[1])) if expr[0] == ExprKind.NAME else None
        if argument is None or argument[2] or argument[1][0] != ExprKind.NAME:
            return given
        known = rows.get((argument[0], str(argument[1][1])))
        if not known or not all(_is_row(v, models) for v in given):
            return given
        return frozenset(f"obj:{model}" for model in known)

    return found


def _is_row(value: str, models: Set[str]) -> bool:
    """A value a local bound to a query's row may hold: a model instance, or an outside call's result."""
    return (value.startswith("obj:") and value[4:] in models) or (value.startswith("ext:") and value.endswith("()"))


def _is_type_test(test: Expr) -> bool:
    return test[0] == ExprKind.CALL and test[2][0][:2] == (ExprKind.NAME, ISINSTANCE) and len(test[2]) == 3


def decided_test(
    test: Expr,
    variant: str,
    values: Values,
    ancestors: Callable[[str], tuple[str, ...]],
    bound: frozenset[str],
) -> bool | None:
    """`isinstance(param, classes)`: True when every value of `param` is an instance of one of the classes,
    False when none is, None when unknown."""
    if not _is_type_test(test):
        return None
    subject, classes = test[2][1], test[2][2]
    if subject[0] != ExprKind.NAME or subject[1] not in bound:
        return None
    instances = values(variant, subject)
    if not instances or any(not v.startswith("obj:") for v in instances):
        return None
    wanted: set[str] = set()
    for expr in _class_expressions(classes):
        found = values(variant, expr)
        if not found or any(not v.startswith("cls:") for v in found):
            return None  # a class we cannot name: undecided
        wanted |= {v[4:] for v in found}
    matches = {bool(wanted.intersection((v[4:], *ancestors(v[4:])))) for v in instances}
    return matches.pop() if len(matches) == 1 else None


def _class_expressions(classes: Expr) -> Iterator[Expr]:
    """The class expressions of `isinstance`'s second argument: `X`, `(X, Y)`, `X | Y`."""
    if classes[0] == ExprKind.TUPLE or (classes[0] == ExprKind.BINARY and classes[1] == UNION):
        for item in classes[2]:
            yield from _class_expressions(item)
    else:
        yield classes


def ends_in_return(lines: tuple[int, int], returns: list[int], facts: FileFacts, qualname: str) -> bool:
    """Whether a block's last statement is a `return` (no assignment or `if` of the function after it)."""
    inside = [line for line in returns if lines[0] <= line <= lines[1]]
    if not inside:
        return False
    last = inside[-1]
    later = [a.line for a in facts.assignments if a.scope == qualname and last < a.line <= lines[1]]
    later += [b.line for b in facts.branches if b.scope == qualname and last < b.line <= lines[1]]
    return not later
