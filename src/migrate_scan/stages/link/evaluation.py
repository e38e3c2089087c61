"""Evaluation: what an expression denotes, as a set of tagged values (see `values`).

Names go through `Scopes`, attributes through modules, classes, instances,
`super()`, outside symbols and builtins; calls give what the callee returns
(an instance for a class, a generator for a generator function); literals
give their container or `lit:` type.
"""

from __future__ import annotations

from collections.abc import Iterable

from migrate_scan.model.facts import Expr, ExprKind
from migrate_scan.stages.link.containers import CONTAINER_TYPES, Containers
from migrate_scan.stages.link.outside import outside_attribute, outside_call
from migrate_scan.stages.link.values import BYTES, EMPTY, STRING, child_symbol, constant_int

_WRAPS = "ext:functools:wraps"

_COMPOUND = frozenset({ExprKind.ATTRIBUTE, ExprKind.CALL, ExprKind.SUBSCRIPT})
"""The expressions whose answers are memoised once solved (a name is one lookup: cheaper than a memo)."""


class Evaluation(Containers):
    """Expression evaluation over the symbol table's current value sets."""

    def __init__(self) -> None:
        super().__init__()
        self._outside_attributes: dict[tuple[str, str], tuple[str]] = {}  # (outside value, name) → its attribute
        # Once memoising: (scope, id of the expression, line) → (the expression, its values).
        self._evaluated: dict[tuple[str, int, int | None], tuple[Expr, frozenset[str]]] = {}
        self._distinct: dict[frozenset[str], frozenset[str]] = {}  # one copy of each memoised answer
        self.is_memoising = False
        self._wrapping_candidates: frozenset[str] | None = None  # `def:` of nested functions decorated `@wraps(...)`

    def memoise(self) -> None:
        """From now on the values are final (solved, the call graph built): memoise `values`' answers."""
        self.is_memoising = self.is_solved

    def values(self, scope: str, expr: Expr, line: int | None = None) -> frozenset[str]:
        """The tagged values `expr` may denote in `scope` (see `model.graphs`).

        With `line`, a name rebound in straight-line code of `scope` itself
        takes its latest binding before that line, not every binding.

        Once `memoise()` was called (linking done), answers are memoised by expression identity: the
        recognizers ask about the same expressions again and again. The memo holds the expression, so
        that its id stays its own.
        """
        if not self.is_memoising or expr[0] not in _COMPOUND:
            return self._evaluate(scope, expr, line)
        key = (scope, id(expr), line)
        entry = self._evaluated.get(key)
        if entry is not None and entry[0] is expr:
            return entry[1]
        answer = self._evaluate(scope, expr, line)
        answer = self._distinct.setdefault(answer, answer)  # most answers recur across the tree
        self._evaluated[key] = (expr, answer)
        return answer

    def _evaluate(self, scope: str, expr: Expr, line: int | None) -> frozenset[str]:
        """`values`, evaluated."""
        kind, value, children, _ = expr
        if kind == ExprKind.NAME:
            return self._lookup(scope, str(value), line)
        if kind == ExprKind.ATTRIBUTE:
            found: set[str] = set()
            for owner in self.values(scope, children[0], line):
                found.update(self._attribute(owner, str(value)))
            return frozenset(found)
        if kind == ExprKind.CALL:
            return self._call_result(scope, expr, line)
        if kind == ExprKind.LAMBDA:
            return frozenset({f"def:{child_symbol(scope, str(value))}"})
        if kind in (ExprKind.LIST, ExprKind.TUPLE, ExprKind.SET, ExprKind.DICT):
            return frozenset({self._sequence(scope, expr)})
        if kind == ExprKind.SUBSCRIPT:
            containers = self.values(scope, children[0], line)
            index = children[1]
            if index[0] == ExprKind.OTHER and index[1] == "Slice":  # a slice: the same elements, shifted
                start = constant_int(index[2][0]) if index[2] and constant_int(index[2][2]) in (None, 1) else None
                offset = "" if start is None or start < 0 else str(start)
                return frozenset(f"sl:{offset}:{c}" for c in containers if c.startswith("seq:"))
            return frozenset(self._elements(containers, index, scope, line))
        if kind == ExprKind.CONSTANT and isinstance(value, str | bytes):
            return STRING if isinstance(value, str) else BYTES
        return EMPTY

    def _attribute(self, owner: str, name: str) -> Iterable[str]:
        tag, _, target = owner.partition(":")
        if tag == "mod":
            return self._module_attribute(target, name, 0)
        if tag == "cls":
            return self._class_attribute(target, name, bound=False)
        if tag == "obj":
            found = set(self._instance_attribute(target, name))
            inherited = self._class_attribute(target, name, bound=True)
            if found:  # our own code sets it (`self.x = ...`): not a guess at an outside base's attribute
                inherited = {v for v in inherited if not v.startswith("ext:")}
            found.update(inherited)
            return found
        if tag == "sup":
            return self._super_attribute(target, name)
        if tag == "ext":
            if owner.endswith(":"):
                submodule = f"{target[:-1]}.{name}"
                return (f"ext:{submodule}:" if submodule in self._external_modules else f"{owner}{name}",)
            key = (owner, name)
            known = self._outside_attributes.get(key)
            if known is None:  # a pure function of the two: the same chains are read all over the tree
                known = self._outside_attributes[key] = (outside_attribute(owner, name, self.types),)
            return known
        if tag == "bi":
            return (f"ext:builtins:{target}.{name}",)
        if tag == "lit":
            return (outside_attribute(f"ext:builtins:{target}()", name, self.types),)
        if tag == "seq":
            container_type = CONTAINER_TYPES.get(self._sequence_members[owner][1][0], "object")
            return (outside_attribute(f"ext:builtins:{container_type}()", name, self.types),)
        return ()

    def _call_result(self, scope: str, call: Expr, line: int | None = None) -> frozenset[str]:
        func = call[2][0]
        if func[0] == ExprKind.NAME and func[1] == "super":
            owner = self._class_of_method(scope)
            if owner is not None:
                return frozenset({f"sup:{owner}", *(f"sup:{owner}|{r}" for r in self._receiver_classes(scope))})
        if self._is_wraps_application(scope, call, line):  # `wraps(view)(wrapper)` hands back `wrapper`
            return self.values(scope, call[2][1], line)
        found: set[str] = set()
        for callee in self.values(scope, func, line):
            tag, _, target = callee.partition(":")
            if tag == "wrap":
                found.update(self._returns(target.partition("|")[0]))
            elif tag in ("def", "bnd") and target in self.generators:
                found.add(f"gen:{target}")
            elif tag in ("def", "bnd"):
                returned = self._returns(target)
                if (
                    len(call[2]) > 1
                    and not self._wrapping_definitions().isdisjoint(returned)
                    and self._names_function(scope, call[2][1])
                ):
                    found.update(self._applied_wrappers(scope, call[2][1], returned, line))
                else:
                    found.update(returned)
            elif callee == "bi:map":
                for argument in call[2][1:]:
                    functions = self.values(scope, argument, line)
                    found.update(f"map:{f[4:]}" for f in functions if f.startswith(("def:", "bnd:")))
            elif callee == "bi:filter" and len(call[2]) > 2:
                found.update(self.values(scope, call[2][2], line))
            elif tag == "cls":
                found.add(f"obj:{target}")
            elif tag == "ext":
                found.add(outside_call(callee, self.types))
            elif tag == "obj":
                for method in self._class_attribute(target, "__call__", bound=True):
                    found.update(self._returns(method.partition(":")[2]))
        return frozenset(found)

    def _is_wraps_application(self, scope: str, call: Expr, line: int | None = None) -> bool:
        """`functools.wraps(original)(wrapper)`: the decorator form of `@wraps(original)` written as a call."""
        func = call[2][0]
        return (
            func[0] == ExprKind.CALL
            and len(call[2]) == 2
            and len(func[2]) > 1
            and func[2][0][0] in (ExprKind.NAME, ExprKind.ATTRIBUTE)
            and func[2][0][1] == "wraps"
            and _WRAPS in self.values(scope, func[2][0], line)
        )

    def _applied_wrappers(self, scope: str, wrapped: Expr, returned: Iterable[str], line: int | None) -> set[str]:
        """`login_required("Sign in")(view)`: a call handing back a `@wraps` closure wraps the function it is given.

        The same value the decorator syntax gives (`wrap:<wrapper>|<function>`, see `Propagation._wrapped`),
        so routing `decorator(view)` in place names the view, and calling it reaches that view only.
        """
        originals = [v for v in self.values(scope, wrapped, line) if v.startswith(("def:", "bnd:", "wrap:"))]
        found: set[str] = set()
        for value in returned:
            if not originals or not (value.startswith("def:") and self.declares_wrapping(value[4:])):
                found.add(value)
                continue
            found.update(f"wrap:{value[4:]}|{original.partition(':')[2]}" for original in originals)
        return found

    def _names_function(self, scope: str, expr: Expr) -> bool:
        """Whether `expr` names a function where it is written, not through a parameter of `scope`.

        A parameter holds every function its function is ever given: a wrapper specialised to it
        inside a decorator's own body would wrap them all (the decorator's application specialises).
        """
        if expr[0] not in (ExprKind.NAME, ExprKind.ATTRIBUTE):
            return False
        definition = self.definitions.get(scope) if expr[0] == ExprKind.NAME else None
        return definition is None or all(p.name != expr[1] for p in definition.fact.parameters)

    def _wrapping_definitions(self) -> frozenset[str]:
        """`def:<symbol>` of every nested function with a `wraps(...)` decorator (a syntactic first cut)."""
        if self._wrapping_candidates is None:
            decorated = {
                f"def:{symbol}"
                for symbol, definition in self.definitions.items()
                if definition.fact.scope
                and any(
                    d[0] == ExprKind.CALL and d[2][0][:2] in ((ExprKind.NAME, "wraps"), (ExprKind.ATTRIBUTE, "wraps"))
                    for d in definition.fact.decorators
                )
            }
            applied = {  # `return wraps(original)(wrapper)` in the function defining `wrapper`
                f"def:{facts.module}:{returned.scope}.{returned.value[2][1][1]!s}"
                for facts in self.modules.values()
                for returned in facts.returns
                if returned.scope
                and returned.value is not None
                and returned.value[0] == ExprKind.CALL
                and len(returned.value[2]) == 2
                and returned.value[2][1][0] == ExprKind.NAME
                and returned.value[2][0][0] == ExprKind.CALL
                and returned.value[2][0][2][0][:2] in ((ExprKind.NAME, "wraps"), (ExprKind.ATTRIBUTE, "wraps"))
            }
            self._wrapping_candidates = frozenset(decorated | applied)
        return self._wrapping_candidates

    def declares_wrapping(self, wrapper: str) -> bool:
        """Whether a nested function is decorated with `functools.wraps(...)`: it stands for what it wraps.

        So a decorator that hands back a wrapper built by a helper of its own
        (`return _make_wrapper(f, message)`, the helper's closure `@wraps(f)`)
        wraps the decorated function as much as one defining the wrapper inline.
        """
        if f"def:{wrapper}" not in self._wrapping_definitions():
            return False
        definition = self.definitions[wrapper]
        parent = f"{definition.module}:{definition.fact.scope}"
        if any(
            decorator[0] == ExprKind.CALL and _WRAPS in self.values(parent, decorator[2][0])
            for decorator in definition.fact.decorators
        ):
            return True
        facts = self.modules.get(definition.module)
        return facts is not None and any(
            returned.scope == definition.fact.scope
            and returned.value is not None
            and returned.value[0] == ExprKind.CALL
            and returned.value[2][1:] == ((ExprKind.NAME, definition.fact.name, (), ()),)
            and self._is_wraps_application(parent, returned.value)
            for returned in facts.returns
        )
