"""Call-site variants that would come out the same, made once (`data_access_bindings`).

A variant is keyed by its call site: the caller's scope and the argument's expression. Two call sites
that hand a helper arguments the recognizer knows the same things of make variants that read, write
and call the same: `to_global_id_or_none(user)` in forty payload builders, each inside the variants of
their own callers, or `get_plugins_manager(allow_replica=False)` from every mutation. What a variant
makes of a bound parameter is only what its argument denotes: the values of the argument (refined by
the rows the caller's local is known to hold), as a class or not (a literal container by what its
elements hold: each literal is a value of its own, named after its expression); for an attribute argument, the values
of what it is taken from (what a bound method handed on is called on); and whether the argument comes
from the caller's own context (`data_access_generic`). Call sites agreeing on all of these for every
parameter (and on the lines their variant does not run) share one variant: the cap on variants then
counts the different ones, not the calls.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping

from migrate_scan.model.facts import Expr, ExprKind

Values = Callable[[str, Expr], frozenset[str]]
CONTAINERS = ("seq:", "sl:")
"""A literal container (or a slice of one): one value per literal expression and scope."""
ANY_INDEX: Expr = (ExprKind.OTHER, "Unknown", (), ())
"""A subscript's index that is no constant: every element of the container."""


def equivalence_key(
    helper: str,
    binding: Mapping[str, tuple[str, Expr, bool, frozenset[str]]],
    dead: tuple[tuple[int, int], ...],
    argument: Callable[[str, Expr, bool], frozenset[str]],
    values: Values,
    rows: Mapping[tuple[str, str], set[str]],
    from_context: Callable[[str, Expr], bool],
) -> Hashable:
    """What a variant of `helper` with this binding (parameter → (scope, argument, as a class, fixed values))
    makes of its parameters: equal keys, equal variants.

    `argument`: the values a bound argument gives its parameter; `values`: the values of an expression in a
    scope; `rows`: (scope, local) → the models of the rows a caller's local holds.
    """
    parts: list[Hashable] = []
    for name, (scope, expr, as_class, fixed) in sorted(binding.items()):
        if fixed:  # keyed by a model already
            parts.append((name, scope, expr, as_class, fixed))
            continue
        local = str(expr[1]) if expr[0] == ExprKind.NAME else None
        held = frozenset(rows.get((scope, local), ())) if local is not None else frozenset()
        owner = values(scope, expr[2][0]) if expr[0] == ExprKind.ATTRIBUTE else None
        given = _contents(argument(scope, expr, as_class), scope, expr, values)
        parts.append((name, as_class, given, held, owner, from_context(scope, expr)))
    return (helper, tuple(parts), dead)


def _contents(given: frozenset[str], scope: str, expr: Expr, values: Values) -> frozenset[str]:
    """An argument's values, each literal container among them as what its elements hold (one level deep)."""
    if not any(v.startswith(CONTAINERS) for v in given):
        return given
    elements = values(scope, (ExprKind.SUBSCRIPT, None, (expr, ANY_INDEX), ()))
    held = ",".join(sorted("seq" if v.startswith(CONTAINERS) else v for v in elements))
    return frozenset({v for v in given if not v.startswith(CONTAINERS)} | {f"seq:[{held}]"})
