"""Data access: a base class's method run for one routed class skips the branches that class's flags turn off.

A request-handler base class reads its subclasses' class attributes to decide what to do:
`if self.EVENT_FEATURE is not None: self._check_event_feature()`, `if not self.CSRF_ENABLED: return`.
Run for a routed class (`within`: a class-based view, a handler class), `self` is an instance of it,
and the flag is the literal the nearest class of its MRO assigns (`EVENT_FEATURE = None` in the base,
`"registration"` in a few subclasses): the calls the branch not taken makes are not reached.

A flag some method sets on an instance (`self.X = ...` anywhere in the tree) is not decided, nor one
assigned something other than a literal, nor a test inside another branch.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from migrate_scan.model.facts import BranchFact, Expr, ExprKind
from migrate_scan.stages.recognize.expressions import scope_of

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess

_RECEIVERS = ("self", "cls")
_UNKNOWN = object()
"""A flag no literal decides."""


class ClassFlags:
    """The methods testing a flag of `self`/`cls`, and the lines each does not run for a given class."""

    def __init__(self, access: DataAccess) -> None:
        self.access = access
        self.testing: dict[str, list[BranchFact]] = defaultdict(list)  # method → its top-level flag tests
        self._self_calls: dict[str, dict[str, set[int]]] = {}  # method → name → lines of `self.name(...)`
        self._dead: dict[tuple[str, str], tuple[tuple[int, int], ...]] = {}
        self._constants: dict[tuple[str, str], object] = {}
        instance: set[str] = set()  # attribute names a method sets on an instance: no class flag
        for facts in access.graphs.modules.values():
            for assignment in facts.assignments:
                if assignment.scope and any(_is_flag(target) for target in assignment.targets):
                    instance.update(str(t[1]) for t in assignment.targets if _is_flag(t))
        self.instance = frozenset(instance)
        for facts in access.graphs.modules.values():
            ifs = [b for b in facts.branches if b.kind == "if" and b.scope and "." in b.scope]
            for branch in ifs:
                if any(o.line < branch.line <= max(o.body_end, o.else_end) for o in ifs if o.scope == branch.scope):
                    continue  # only top-level tests: a nested one may not be reached at all
                if _flag_of(branch.test) not in (None, *self.instance):
                    self.testing[scope_of(facts.module, branch.scope)].append(branch)

    def live(self, current: str, callees: list[str], within: str, lineage: frozenset[str]) -> list[str]:
        """`callees` of `current` (a method run with `self` an instance of `within`) less those it calls only on
        the lines `within`'s flags turn off."""
        if current.rpartition(".")[0] not in lineage:
            return callees
        dead = self.dead(current, within)
        if not dead:
            return callees
        graph = self.access.graphs.call_graph
        lines: dict[str, set[int]] = defaultdict(set)
        if current in graph:
            for _, callee, data in graph.out_edges(current, data=True):
                lines[callee].add(int(data.get("line", 0)))
        for callee in callees:
            lines[callee] |= self.access.call_lines.get((current, callee), set())
            lines[callee] |= self._called_on_self(current).get(callee.rpartition(".")[2].partition("@")[0], set())
        return [c for c in callees if not lines[c] or not all(_within(n, dead) for n in lines[c])]

    def dead(self, method: str, within: str) -> tuple[tuple[int, int], ...]:
        """The line ranges of `method` a run for an instance of `within` skips."""
        key = (method, within)
        known = self._dead.get(key)
        if known is None:
            found: list[tuple[int, int]] = []
            end = self.access.graphs.definitions[method].fact.end_line
            for branch in self.testing.get(method, ()):
                value = self._decided(branch.test, within)
                if value is None:
                    continue
                skipped = (branch.else_line, branch.else_end) if value else (branch.line + 1, branch.body_end)
                if skipped[0]:
                    found.append(skipped)
                if value and branch.exits:
                    found.append((branch.body_end + 1, end))
            known = self._dead[key] = tuple(sorted(set(found)))
        return known

    def _decided(self, test: Expr, within: str) -> bool | None:
        """The truth of a flag test for an instance of `within`: `self.X`, `not self.X`, `self.X is (not) None`."""
        if test[0] == ExprKind.OTHER and test[1] == "Not" and len(test[2]) == 1:
            inner = self._decided(test[2][0], within)
            return None if inner is None else not inner
        if test[0] == ExprKind.OTHER and test[1] == "Compare":
            left, operator = test[2][0], test[3][0][0]
            value = self._constant(within, str(left[1]))
            if value is _UNKNOWN:
                return None
            return (value is None) == (operator == "Is")
        value = self._constant(within, str(test[1]))
        return None if value is _UNKNOWN else bool(value)

    def _constant(self, within: str, name: str) -> object:
        """The literal the nearest class of ours in `within`'s MRO assigns `name` (`_UNKNOWN`: none does)."""
        key = (within, name)
        if key not in self._constants:
            value: object = _UNKNOWN
            for owner in (within, *self.access.graphs.resolver.ancestors(within)):
                assignment = self.access.class_assignment(owner, (name,))
                if assignment is not None:
                    literal = assignment.value
                    if literal is not None and literal[0] == ExprKind.CONSTANT:
                        value = literal[1]
                    break
            self._constants[key] = value
        return self._constants[key]

    def _called_on_self(self, method: str) -> dict[str, set[int]]:
        """Name → the lines `method` calls `self.<name>(...)` on (where the routed class's MRO finds the callee)."""
        known = self._self_calls.get(method)
        if known is None:
            known = self._self_calls[method] = defaultdict(set)
            definition = self.access.graphs.definitions[method]
            facts = self.access.graphs.modules.get(definition.module)
            for call in facts.calls if facts is not None else ():
                func = call.call[2][0]
                if call.scope == definition.fact.qualname and func[0] == ExprKind.ATTRIBUTE and _is_flag(func):
                    known[str(func[1])].add(call.line)
        return known


def _is_flag(expr: Expr) -> bool:
    """`self.X` or `cls.X`."""
    return expr[0] == ExprKind.ATTRIBUTE and expr[2][0][0] == ExprKind.NAME and expr[2][0][1] in _RECEIVERS


def _flag_of(test: Expr) -> str | None:
    """The attribute a test reads a flag of: `self.X`, `not self.X`, `self.X is None`, `cls.X is not None`."""
    if test[0] == ExprKind.OTHER and test[1] == "Not" and len(test[2]) == 1:
        test = test[2][0]
    elif test[0] == ExprKind.OTHER and test[1] == "Compare":
        if len(test[2]) != 1 or len(test[3]) != 1 or test[3][0][0] not in ("Is", "IsNot"):
            return None
        if test[3][0][1][:2] != (ExprKind.CONSTANT, None):
            return None
        test = test[2][0]
    return str(test[1]) if _is_flag(test) else None


def _within(line: int, dead: tuple[tuple[int, int], ...]) -> bool:
    return any(first <= line <= last for first, last in dead)
