"""Data access: the routed class's row handed to a helper of ours as an argument.

A generic view's handler loads "its" object and passes it on to a method of its own or a helper
function (`obj = self.get_object(**kwargs)`, then `self._get_dependent_objects(obj)`, whose
`Collector(using=...).collect([obj])` previews the delete). Inside the helper the parameter is
just a name: the link stage knows nothing of the row, and the binder (`data_access_bindings`)
makes call-site variants only for parameters whose callers pass different things of ours.

Here every call of the tree that hands a function of ours a stand-in for the routed class's
model (`data_access_routed`: a local known to hold such a row, or a `self.get_object()` /
`self.queryset` chain given directly) marks that parameter: the binder then gives each such call
its variant, where the parameter is the caller's row, resolved per routed class like any other
stand-in. A parameter so marked that its method hands on by name to another method on `self`
(`self._save_object(model_form)`, then `self.save_object(model_form)`) marks that one's in turn. A
parameter no caller hands such a row is left as it was.

Input: the recognizer's locals (`instances`) and the linked calls; output: function → the names of
its parameters some caller hands a stand-in (its `self` or `cls` left out, as the binder's are).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from migrate_scan.model.facts import CallFact, Expr, ExprKind
from migrate_scan.stages.recognize.data_access_routed import is_stand_in
from migrate_scan.stages.recognize.expressions import scope_of

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess

_METHOD = "bnd:"
_RECEIVERS = frozenset({"self", "cls"})


def handed_parameters(access: DataAccess) -> dict[str, frozenset[str]]:
    """Function of ours → its parameters some call of the tree hands a row of the routed class's model (a
    parameter so marked, handed on by name to another method on `self`, marks that one's too)."""
    found: dict[str, set[str]] = defaultdict(set)
    if not access.routed.scopes and not any(is_stand_in(m) for ms in access.instances.values() for m in ms):
        return {}
    graphs = access.graphs
    onward: list[tuple[str, CallFact]] = []  # calls on `self` handing a name along: maybe a marked parameter
    for facts in graphs.modules.values():
        for call in facts.calls:
            func, arguments, keywords = call.call[2][0], call.call[2][1:], call.call[3]
            if not call.scope or not (arguments or keywords) or not _on_self(func):
                continue
            caller = scope_of(facts.module, call.scope)
            positions = [i for i, argument in enumerate(arguments) if _is_row(access, caller, argument)]
            named = {str(name) for name, argument in keywords if name is not None and _is_row(access, caller, argument)}
            if positions or named:
                _mark(access, found, caller, call, positions, named)
            if any(a[0] == ExprKind.NAME for a in (*arguments, *(v for _, v in keywords))):
                onward.append((caller, call))
    changed = True
    while changed:  # `self._save_object(model_form)`, then `self.save_object(model_form)` in it
        changed = False
        for caller, call in onward:
            marked = found.get(caller)
            if not marked:
                continue
            arguments, keywords = call.call[2][1:], call.call[3]
            positions = [i for i, a in enumerate(arguments) if a[0] == ExprKind.NAME and a[1] in marked]
            named = {str(n) for n, a in keywords if n is not None and a[0] == ExprKind.NAME and a[1] in marked}
            if (positions or named) and _mark(access, found, caller, call, positions, named):
                changed = True
    return {function: frozenset(names) for function, names in found.items() if names}


def _mark(
    access: DataAccess, found: dict[str, set[str]], caller: str, call: CallFact, positions: list[int], named: set[str]
) -> bool:
    """Mark the parameters a call hands a row at `positions` and by `named`; whether any was new."""
    added = False
    for value in access.graphs.resolver.values(caller, call.call[2][0]):
        if value[:4] == _METHOD:
            more = _parameters(access, value[4:], positions, named) - found[value[4:]]
            if more:
                found[value[4:]] |= more
                added = True
    return added


def _on_self(func: Expr) -> bool:
    """Whether a call is `self.name(...)` (or `cls.name(...)`): a method the routed class inherits."""
    return func[0] == ExprKind.ATTRIBUTE and func[2][0][0] == ExprKind.NAME and func[2][0][1] in _RECEIVERS


def _is_row(access: DataAccess, scope: str, argument: Expr) -> bool:
    """Whether an argument is a row of the routed class's model: a local holding one, or a chain from `self`."""
    if argument[0] == ExprKind.NAME:
        held = access.instances.get((scope, str(argument[1])))
        return held is not None and any(is_stand_in(model) for model in held)
    if argument[0] not in (ExprKind.ATTRIBUTE, ExprKind.CALL):
        return False
    return access.routed.passed(scope, argument) is not None


def _parameters(access: DataAccess, function: str, positions: list[int], named: set[str]) -> set[str]:
    """The names of a function's parameters at `positions` (after `self`/`cls` of a method) and among `named`."""
    definition = access.graphs.definitions.get(function)
    if definition is None or definition.fact.kind != "function":
        return set()
    names = [p.name for p in definition.fact.parameters if p.kind in ("positional", "keyword")]
    owner = access.graphs.definitions.get(function.rpartition(".")[0]) if "." in definition.fact.qualname else None
    if owner is not None and owner.fact.kind == "class" and names:
        names = names[1:]  # `self` (or `cls`): what the method is called on, not an argument
    found = {names[p] for p in positions if p < len(names)}
    return found | (named & set(names))
