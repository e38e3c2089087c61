"""Call-site variants of shared helpers: a parameter bound to what each caller passes.

The link stage is context-insensitive: a helper's parameter holds every value any caller passed.
`def session_query(model): return db.session.query(model)` then reads every model some caller
names, for every caller; `def get_object_or_404(fn, *args): return fn(*args)` calls every lookup
any caller hands it; a mixin's `@classmethod def get_by_id(cls, id): return cls.query.get(id)`
queries every class that inherits it.

Here each call of such a helper (a function some of whose calls use a parameter, or a local
computed from one: its *template* lines) gets a variant of its own: the helper's accesses and
calls on its other lines, and its template lines evaluated again with each parameter bound to the
caller's argument (the receiver, for a classmethod called on a class or instance). A helper
calling another with a bound parameter (`def get(model, id): return session_query(model)...`)
binds that one in turn, a few calls deep. The caller then reaches its variant instead of the
helper; a helper reached any other way (a callback, an entry point) keeps its every value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from migrate_scan.model.facts import AssignmentFact, CallFact, Expr, ExprKind, FileFacts
from migrate_scan.model.graphs import Definition, Resolver
from migrate_scan.model.inventory import ModelAccess
from migrate_scan.stages.recognize.data_access_equivalence import equivalence_key
from migrate_scan.stages.recognize.data_access_narrowing import (
    argument_values,
    decided_test,
    narrowed_lines,
    type_tested,
)
from migrate_scan.stages.recognize.expressions import scope_of, subexpressions

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess

MAX_DEPTH = 3
"""Helpers bound through at most this many calls (a caller, a helper, the helper it hands the value on to)."""
MAX_VARIANTS = 5000
"""Past this many variants, further calls reach the helper itself (every value, as before)."""
_OURS = ("def:", "bnd:", "cls:", "obj:")
MARK = "@b"
"""Joins a helper and the number of its call-site variant (`app.db:session_query@b3`)."""


class Bound(NamedTuple):
    """What a parameter is bound to: an expression evaluated in the caller's scope (as a class: `cls`), or
    values known already (`fixed`: the model instance an inherited method's `self` is, see `data_access_selves`)."""

    scope: str
    expr: Expr
    as_class: bool
    fixed: frozenset[str] = frozenset()


class BoundResolver:
    """The link stage's resolver, with the parameters of call-site variants bound to their arguments."""

    def __init__(self, inner: Resolver) -> None:
        self.inner = inner
        self.bindings: dict[str, tuple[str, dict[str, Bound]]] = {}  # variant → (helper, parameter → argument)
        self.refine: Callable[[str, str, frozenset[str]], frozenset[str]] | None = None  # a local's known models
        self.local: Callable[[str, str], Expr | None] | None = None  # a helper's local assigned once: its value
        self.decide: Callable[[str, Expr, frozenset[str]], bool | None] | None = None  # a test the binding decides
        self._evaluating: set[tuple[str, str]] = set()

    def base(self, scope: str) -> str:
        """The helper a variant scope is of (any other scope: itself)."""
        bound = self.bindings.get(scope)
        return bound[0] if bound is not None else scope

    def values(self, scope: str, expr: Expr) -> frozenset[str]:
        """As the link stage's, with a bound parameter of a variant denoting its caller's argument."""
        bound = self.bindings.get(scope)
        if bound is None:
            return self.inner.values(scope, expr)
        function, parameters = bound
        if expr[0] == ExprKind.NAME and expr[1] in parameters:
            argument = parameters[str(expr[1])]
            return argument.fixed or self.argument(argument.scope, argument.expr, argument.as_class)
        owner = expr[2][0] if expr[0] == ExprKind.ATTRIBUTE else None
        if owner is not None and owner[0] == ExprKind.CALL and owner[2][0][:2] == (ExprKind.NAME, "super"):
            fixed = next((b.fixed for b in parameters.values() if b.fixed), None)
            if fixed is not None:  # `super().save()` with `self` bound: the next class of that model's MRO
                return frozenset(self._after(function, fixed, str(expr[1])))
        if owner is not None and owner[0] == ExprKind.NAME and owner[1] in parameters:  # `query_result.to_dict`
            return frozenset(
                attribute
                for value in self.values(scope, owner)
                if value[:4] in ("obj:", "cls:")
                for attribute in self.inner.class_attribute(value[4:], str(expr[1]))
            )
        if expr[0] == ExprKind.NAME and self.local is not None:  # `target = obj.parent if ... else obj`
            assigned = self.local(function, str(expr[1]))
            key = (scope, str(expr[1]))
            if assigned is not None and key not in self._evaluating:
                self._evaluating.add(key)
                try:
                    found = self._assigned(scope, assigned, frozenset(parameters))
                finally:
                    self._evaluating.discard(key)
                if found:
                    return found
        return self.inner.values(function, expr)

    def argument(self, scope: str, expr: Expr, as_class: bool) -> frozenset[str]:
        """What a parameter bound to a caller's argument holds: the argument's values in the caller's scope
        (a local's refined by the rows it is known to hold), as classes when `as_class`."""
        found = self.values(scope, expr)
        if self.refine is not None and expr[0] == ExprKind.NAME:
            found = self.refine(scope, str(expr[1]), found)
        if as_class:  # `obj.create()` of a classmethod passes type(obj)
            found = frozenset("cls:" + v[4:] if v.startswith("obj:") else v for v in found)
        return found

    def _assigned(self, scope: str, value: Expr, bound: frozenset[str]) -> frozenset[str]:
        """The values of a local's one assignment in a variant: another name, or a conditional expression
        whose test the binding decides (`x if isinstance(obj, Y) else obj`); none when unknown (an undecided
        test too: the link stage's values stand)."""
        if value[0] == ExprKind.NAME:
            return self.values(scope, value)
        test, body, orelse = value[2]
        decided = self.decide(scope, test, bound) if self.decide is not None else None
        return frozenset() if decided is None else self.values(scope, body if decided else orelse)

    def _after(self, function: str, selves: frozenset[str], name: str) -> set[str]:
        """`super().name` in `function` on instances of `selves`: the next method of each one's MRO."""
        owner = function.rpartition(".")[0]
        found: set[str] = set()
        for value in selves:
            lineage = (value[4:], *self.inner.ancestors(value[4:]))
            if owner not in lineage:
                continue
            for cls in lineage[lineage.index(owner) + 1 :]:
                own = {v for v in self.inner.class_attribute(cls, name) if v[4:] == f"{cls}.{name}"}
                if own:
                    found |= {"bnd:" + v[4:] for v in own}
                    break
        return found

    def qualified_names(self, scope: str, expr: Expr) -> tuple[str, ...]:
        return self.inner.qualified_names(self.base(scope), expr)

    def ancestors(self, class_symbol: str) -> tuple[str, ...]:
        return self.inner.ancestors(class_symbol)

    def binding_site(self, scope: str, expr: Expr) -> str | None:
        return self.inner.binding_site(self.base(scope), expr)

    def class_attribute(self, class_symbol: str, name: str) -> set[str]:
        return self.inner.class_attribute(class_symbol, name)

    def declares_wrapping(self, function: str) -> bool:
        return self.inner.declares_wrapping(function)

    def release(self) -> None:
        self.inner.release()


class _Template(NamedTuple):
    """A helper's calls that depend on its parameters."""

    facts: FileFacts
    parameters: tuple[str, ...]  # bindable by position (the receiver first for a classmethod), then by name
    receiver: str | None  # the classmethod's `cls`, bound to what it is called on
    lines: frozenset[int]  # lines of the calls using a parameter or a local computed from one
    tainted: frozenset[str]
    self_name: str | None = None  # an inherited method's `self`, bound per receiver model (`self_variant`)
    assigned: tuple[tuple[str, Expr], ...] = ()  # locals computed from a parameter, assigned once: their value


class Binder:
    """Makes the call-site variants of the helpers that have template lines (see the module's docstring)."""

    def __init__(self, access: DataAccess, resolver: BoundResolver) -> None:
        self.access = access
        self.resolver = resolver
        self.templates: dict[str, _Template] = {}
        self.memo: dict[tuple[str, tuple[tuple[str, Bound], ...], tuple[tuple[int, int], ...]], str] = {}
        self.equivalent: dict[Hashable, str] = {}  # `data_access_equivalence`'s key → the variant made for it
        self.by_function: dict[str, list[ModelAccess]] | None = None
        self._replacing: dict[str, set[str]] = {}  # helper → `_replaced`: the same for each of its variants
        self._lines: dict[str, tuple[list[AssignmentFact], list[CallFact]]] = {}  # helper → `_template_facts`
        self.depth = 0  # how many variants deep the variant being evaluated is (0: none)
        self.active = False  # helpers indexed: `self_variant` makes variants at once
        self.lazy = False  # making a receiver's variants: a function handed a bound value gets a template then
        self._names: set[str] = set()  # the last names of the helpers with templates
        self._own_bound: set[str] = set()  # helpers whose own calls of helpers were bound before a variant's copy
        resolver.local = self._local
        resolver.decide = self._decide

    def run(self) -> None:
        """Index the helpers, then give every call of one in the tree its variant."""
        for facts in self.access.graphs.modules.values():
            self._index(facts)
        self.active = True
        self.access.bind_pending_selves()
        if not self.templates:
            return
        names = self._names = {symbol.rpartition(":")[2].rpartition(".")[2] for symbol in self.templates}
        for facts in self.access.graphs.modules.values():
            for call in facts.calls:
                func = call.call[2][0]
                if func[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE) and func[1] in names:
                    caller = scope_of(facts.module, call.scope) if call.scope else facts.module
                    self._bind_call(caller, call, 1)
                    self.access.bind_pending_selves()  # those the variants found

    # -- which helpers have template lines ---------------------------------------------------------

    def _index(self, facts: FileFacts) -> None:
        by_scope: dict[str, list[CallFact]] = defaultdict(list)
        for call in facts.calls:
            if call.scope:
                by_scope[call.scope].append(call)
        assigned: dict[str, list[AssignmentFact]] = defaultdict(list)
        for assignment in facts.assignments:
            if assignment.scope and assignment.value is not None:
                assigned[assignment.scope].append(assignment)
        for definition in facts.definitions:
            if definition.kind != "function" or definition.qualname not in by_scope:
                continue
            symbol = scope_of(facts.module, definition.qualname)
            names = [p.name for p in definition.parameters if p.kind in ("positional", "keyword")]
            receiver = None
            self_name = self.access.selves.self_name(symbol) if "." in definition.qualname else None
            if "." in definition.qualname and names:
                owner = symbol.rpartition(".")[0]
                is_class = self.access.graphs.definitions.get(owner)
                is_classmethod = any(d[:2] == (ExprKind.NAME, "classmethod") for d in definition.decorators)
                is_static = any(d[:2] == (ExprKind.NAME, "staticmethod") for d in definition.decorators)
                if is_classmethod and is_class is not None and owner not in self.access.models:
                    receiver = names[0]  # a mixin's classmethod: `cls` is what it is called on
                elif is_class is not None and is_class.fact.kind == "class" and not is_static:
                    names = names[1:]  # `self`: the receiver, not bound here
            tested = type_tested(facts, definition.qualname, set(names), self._model_class(symbol))  # per caller
            varied = {n for n in names if n in tested or self._varies(symbol, n)}
            varied |= self.access.handed.get(symbol, frozenset()) & set(names)  # the routed class's row
            varied |= _session_written(by_scope[definition.qualname], self.access.known.session_writes) & set(names)
            if receiver is not None and len(self.access.mixed_into(symbol.rpartition(".")[0]) & self.access.models) > 1:
                varied.add(receiver)  # a mixin's classmethod of several models: `cls` is each caller's model
            if not varied and self_name is None:
                continue
            tainted = tainted_names(
                varied | ({self_name} if self_name else set()), assigned.get(definition.qualname, ())
            )
            dispatching = tainted | {"super"} if self_name else tainted  # `super().save()`: decided by `self`
            lines = frozenset(c.line for c in by_scope[definition.qualname] if uses_any(c.call, dispatching))
            if lines or tested:
                once = _assigned_once(assigned.get(definition.qualname, ()), tainted - set(names))
                self.templates[symbol] = _Template(
                    facts, tuple(names), receiver, lines, frozenset(tainted), self_name, once
                )

    def _local(self, helper: str, name: str) -> Expr | None:
        """What a helper's local computed from a parameter is assigned, when it is assigned once."""
        template = self.templates.get(helper)
        return dict(template.assigned).get(name) if template is not None and template.assigned else None

    def _decide(self, variant: str, test: Expr, bound: frozenset[str]) -> bool | None:
        """An `isinstance` test on a bound parameter, decided by what the variant binds it to."""
        return decided_test(test, variant, self.resolver.values, self.resolver.ancestors, bound)

    def _lazy(self, function: str, parameters: frozenset[str] = frozenset()) -> bool:
        """A template for a module-level function of ours whose every parameter (and `parameters`) is bound
        per call: made while a receiver's variants are (`receiver_variants`); whether it has one."""
        template = self.templates.get(function)
        if template is not None and parameters <= template.tainted:
            return True
        definition = self.access.graphs.definitions.get(function)
        facts = self.access.graphs.modules.get(definition.module) if definition is not None else None
        if definition is None or facts is None or definition.fact.kind != "function":
            return False
        if "." in definition.fact.qualname and template is None:
            return False  # a method: its `self` and dispatch are the link stage's
        qualname = definition.fact.qualname
        names = [p.name for p in definition.fact.parameters if p.kind in ("positional", "keyword")]
        if template is not None:
            names = list(template.parameters)
        assignments = [a for a in facts.assignments if a.scope == qualname and a.value is not None]
        tainted = tainted_names(set(names) | set(parameters), assignments)
        lines = frozenset(c.line for c in facts.calls if c.scope == qualname and uses_any(c.call, tainted))
        if not lines:
            return False
        once = _assigned_once(assignments, tainted - set(names))
        receiver, self_name = (template.receiver, template.self_name) if template is not None else (None, None)
        self.templates[function] = _Template(facts, tuple(names), receiver, lines, frozenset(tainted), self_name, once)
        self._lines.pop(function, None)  # what its variants evaluate again changed
        self._replacing.pop(function, None)
        return True

    def receiver_variants(self, rows: dict[tuple[str, str], set[str]]) -> dict[tuple[str, str], str]:
        """(receiver, model) → the receiver's variant with its instance parameter a row of that model.

        `rows`: (receiver, instance parameter) → the models of the rows it is sent. The functions the
        variant hands the row on to (a few calls deep) get variants of their own: the row's type decides
        their `isinstance` tests (`data_access_narrowing`).
        """
        found: dict[tuple[str, str], str] = {}
        self.lazy = True
        try:
            for (receiver, parameter), models in sorted(rows.items()):
                if not self._lazy(receiver, frozenset({parameter})):
                    continue
                for model in sorted(models):
                    fixed = frozenset({f"obj:{model}"})
                    binding = {parameter: Bound("", (ExprKind.NAME, parameter, (), ()), False, fixed)}
                    variant = self._variant(receiver, binding, 0)
                    self.access.bind_pending_selves()
                    if variant is not None:
                        found[(receiver, model)] = variant
        finally:
            self.lazy = False
        return found

    def _model_class(self, function: str) -> Callable[[Expr], bool]:
        """Whether an expression of `function` names a model class of ours."""
        models = self.access.models

        def is_model(expr: Expr) -> bool:
            return any(v[:4] == "cls:" and v[4:] in models for v in self.resolver.inner.values(function, expr))

        return is_model

    def _varies(self, function: str, parameter: str) -> bool:
        """Whether callers pass a parameter different things of ours (functions, classes, instances):
        binding it to one caller's may then tell them apart (a bound method: what it is called on).
        Numbers and strings never do."""
        values = self.resolver.inner.values(function, (ExprKind.NAME, parameter, (), ()))
        if any(v.startswith("bnd:") for v in values):
            return True  # a method handed along: called on what the caller took it from
        return sum(1 for v in values if v[:4] in _OURS) >= 2

    # -- variants ------------------------------------------------------------------------------------

    def _bind_call(self, caller: str, call: CallFact, depth: int) -> set[str]:
        """What a call of helpers reaches: a variant of each (the helper itself when it gets none).

        A call in a function of the tree is recorded as that function's call, in place of its edge to the helper.
        """
        func = call.call[2][0]
        reached: set[str] = set()
        for value in self.resolver.values(caller, func):
            callee = value[4:]
            if value[:4] not in ("def:", "bnd:"):
                continue
            if callee not in self.templates and not (self.lazy and value[:4] == "def:" and self._lazy(callee)):
                continue
            if (caller, call.line, callee) in self.access.self_bound or (caller, callee) in self.access.refuted:
                continue  # its receiver's model decides `self` (`self_variant`), or another class's method runs
            variant = self._variant(
                callee, self._binding(callee, caller, call.call, self._receiver(caller, func)), depth
            )
            reached.add(variant or callee)
            if caller not in self.resolver.bindings:
                self.access.specialised.add((caller, callee))
                self.access.calls[caller].add(variant or callee)
                self.access.call_lines[(caller, variant or callee)].add(call.line)
        return reached

    def _receiver(self, caller: str, func: Expr) -> Bound | None:
        """What a call's callee is called on: `Order.get_by_id(...)`; a bound parameter handed
        `Order.get_by_id` (`fn(*args)` in a variant), what the caller's argument was taken from."""
        if func[0] == ExprKind.ATTRIBUTE:
            owner = func[2][0]
            if owner[0] == ExprKind.CALL and owner[2][0][:2] == (ExprKind.NAME, "super"):
                return _super_receiver(caller, owner, self.access.graphs.definitions.get(caller.partition("@")[0]))
            return Bound(caller, owner, True)
        bound = self.resolver.bindings.get(caller)
        argument = bound[1].get(str(func[1])) if bound is not None and func[0] == ExprKind.NAME else None
        if argument is not None and argument.expr[0] == ExprKind.ATTRIBUTE:
            return Bound(argument.scope, argument.expr[2][0], True)
        return None

    def self_variant(
        self, caller: str, call: Expr, method: str, model: str, dead: tuple[tuple[int, int], ...]
    ) -> str | None:
        """The variant of an inherited method a call on an instance of `model` reaches: `self` that instance,
        the parameters bound to the call's arguments (a few calls deep), without the lines `dead`."""
        template = self.templates.get(method)
        if template is None or template.self_name is None:
            return None
        binding = self._binding(method, caller, call, None) if self.depth < MAX_DEPTH else {}
        binding[template.self_name] = Bound(
            "", (ExprKind.NAME, template.self_name, (), ()), False, frozenset({f"obj:{model}"})
        )
        return self._variant(method, binding, self.depth + 1, dead)

    def _binding(self, callee: str, caller: str, call: Expr, receiver: Bound | None) -> dict[str, Bound]:
        template = self.templates[callee]
        parameters = list(template.parameters)
        binding: dict[str, Bound] = {}
        if template.receiver is not None:
            parameters = parameters[1:]
            if receiver is not None:
                binding[template.receiver] = receiver
        for position, argument in enumerate(call[2][1:]):
            if argument[0] == ExprKind.STARRED or position >= len(parameters):
                break
            binding[parameters[position]] = Bound(caller, argument, False)
        for name, argument in call[3]:
            if name is not None and name in parameters:
                binding[name] = Bound(caller, argument, False)
        if binding and not any(a[0] == ExprKind.STARRED for a in call[2][1:]) and None not in dict(call[3]):
            binding.update(self._defaults(callee, [p for p in parameters if p not in binding]))
        return binding

    def _defaults(self, callee: str, left: list[str]) -> dict[str, Bound]:
        """The parameters a call leaves to their defaults, bound to them (`org_cls=None` is None for this
        call, whatever other callers pass)."""
        definition = self.access.graphs.definitions[callee]
        template = self.templates[callee]
        scope = scope_of(definition.module, definition.fact.scope)
        return {
            p.name: Bound(scope, p.default, False)
            for p in definition.fact.parameters
            if p.name in left and p.name in template.tainted and p.default is not None
        }

    def _variant(
        self, helper: str, binding: dict[str, Bound], depth: int, dead: tuple[tuple[int, int], ...] = ()
    ) -> str | None:
        fixed = any(b.fixed for b in binding.values())  # keyed by a model, not a call site: always finite
        if not binding or (depth > MAX_DEPTH and not fixed):
            return None
        key = (helper, tuple(sorted(binding.items())), dead)
        known = self.memo.get(key)
        if known is not None:
            return known
        same = self._equivalence(helper, binding, dead)  # another call site's variant that comes out the same
        known = self.equivalent.get(same)
        if known is not None:
            self.memo[key] = known
            return known
        if len(self.equivalent) >= MAX_VARIANTS:
            return None
        variant = f"{helper}{MARK}{len(self.equivalent)}"
        self.memo[key] = self.equivalent[same] = variant
        if helper in self.access.memoized:  # a cache keeps its results, whoever calls it
            self.access.memoized |= {variant}
        if helper in self.access.wrappers:
            self.access.wrappers.add(variant)
        self.resolver.bindings[variant] = (helper, binding)
        dead = self._narrowed(helper, variant, binding, dead)
        self._copy(helper, variant, dead)
        outer, self.depth = self.depth, depth
        try:
            self._evaluate(helper, variant, depth, dead)
        finally:
            self.depth = outer
        return variant

    def _equivalence(self, helper: str, binding: dict[str, Bound], dead: tuple[tuple[int, int], ...]) -> Hashable:
        """What a variant with this binding makes of its parameters (`data_access_equivalence`)."""
        resolver, access = self.resolver, self.access
        context = access.generic.from_context
        return equivalence_key(helper, binding, dead, resolver.argument, resolver.values, access.instances, context)

    def _narrowed(
        self, helper: str, variant: str, binding: dict[str, Bound], dead: tuple[tuple[int, int], ...]
    ) -> tuple[tuple[int, int], ...]:
        """`dead`, with the branches of `isinstance` tests on bound parameters this call decides
        (`data_access_narrowing`)."""
        template = self.templates[helper]
        arguments = {name: (b.scope, b.expr, b.fixed) for name, b in binding.items()}
        values = argument_values(self.resolver.values, arguments, self.access.instances, self.access.models)
        definition = self.access.graphs.definitions[helper]
        bound = frozenset(binding)
        narrowed = narrowed_lines(definition, template.facts, variant, values, self.resolver.ancestors, bound)
        return tuple(sorted({*dead, *narrowed})) if narrowed else dead

    def _copy(self, helper: str, variant: str, dead: tuple[tuple[int, int], ...] = ()) -> None:
        """The helper's accesses and calls on its other lines (not `dead`), and the calls of its template lines
        whose callee does not depend on a parameter."""
        access = self.access
        template = self.templates[helper]
        lines = template.lines | _lines_in(dead)
        self._bind_own(helper, template)
        if self.by_function is None:
            self.by_function = defaultdict(list)
            for found in access.direct:
                self.by_function[found.function].append(found)
        for found in self.by_function.get(helper, ()):
            if found.location.line not in lines:
                (access.writes if found.is_write else access.reads)[variant].add(found.model)
        access.pending[variant] = {m: w for m, w in access.pending.get(helper, {}).items() if w.line not in lines}
        if helper in access.commits:
            access.commits[variant] = access.commits[helper]
        access.saves[variant] = {
            model
            for model in access.saves.get(helper, ())
            if not access.save_lines.get((helper, model)) or access.save_lines[(helper, model)] - lines
        }
        if helper in access.self_calls:
            access.self_calls[variant] = access.self_calls[helper]
        callees = {c for c in access.calls.get(helper, ()) if not access.call_lines.get((helper, c), set()) & lines}
        replaced = self._replacing.get(helper) if not self.lazy else None  # lazily: callees bound on demand
        if replaced is None:
            replaced = self._replaced(helper, template)
            if not self.lazy:
                self._replacing[helper] = replaced
        graph = access.graphs.call_graph
        if helper in graph:
            for _, callee, data in graph.out_edges(helper, data=True):
                if dead and _within(int(data.get("line", 0)), dead):
                    continue
                if callee not in replaced and (helper, callee) not in access.specialised:
                    callees.add(callee)
        access.calls[variant] |= callees

    def _bind_own(self, helper: str, template: _Template) -> None:
        """The helper's own calls of helpers on its other lines, bound (once) before a variant copies its callees:
        the variant then reaches the variants they reach, whichever call of the tree `run` binds first."""
        if helper in self._own_bound or self.lazy or not self.active:
            return
        self._own_bound.add(helper)
        qualname = helper.partition(":")[2]
        for call in template.facts.calls:
            func = call.call[2][0]
            if (
                call.scope != qualname
                or call.line in template.lines
                or func[0] not in (ExprKind.NAME, ExprKind.ATTRIBUTE)
            ):
                continue
            if func[1] in self._names:
                self._bind_call(helper, call, 1)

    def _replaced(self, helper: str, template: _Template) -> set[str]:
        """The callees of the template lines a variant finds again: those a parameter decides, and helpers."""
        replaced: set[str] = set()
        qualname = helper.partition(":")[2]
        for call in template.facts.calls:
            if call.scope != qualname or call.line not in template.lines:
                continue
            func = call.call[2][0]
            decided = uses_any(func, template.tainted | ({"super"} if template.self_name else set()))
            handed = self.lazy and uses_any(call.call, template.tainted)  # a bound value passed on: bound there too
            for value in self.resolver.inner.values(helper, func):
                if value[:4] in ("def:", "bnd:") and (
                    decided or value[4:] in self.templates or (handed and value[:4] == "def:" and self._lazy(value[4:]))
                ):
                    replaced.add(value[4:])
        return replaced

    def _evaluate(self, helper: str, variant: str, depth: int, dead: tuple[tuple[int, int], ...] = ()) -> None:
        """The template lines again (not `dead`), in the variant's scope (its parameters bound)."""
        access = self.access
        template = self.templates[helper]
        facts = template.facts
        assignments, calls = self._template_facts(helper, template)
        for assignment in assignments:
            access.bind_instance(variant, assignment)
        for call in calls:
            if _within(call.line, dead):
                continue
            access.direct_call(variant, call, facts)
            func: Expr = call.call[2][0]
            templates = self.templates  # a helper among the callees: its own variant, below
            if uses_any(func, template.tainted):
                for value in self.resolver.values(variant, func):
                    callee = value[4:]
                    if (
                        value[:4] in ("def:", "bnd:")
                        and callee in access.graphs.definitions
                        and callee not in templates
                        and (variant, call.line, callee) not in access.self_bound
                    ):
                        access.calls[variant].add(callee)
            access.calls[variant] |= self._bind_call(variant, call, depth + 1)

    def _template_facts(self, helper: str, template: _Template) -> tuple[list[AssignmentFact], list[CallFact]]:
        """A helper's assignments whose value uses a tainted name, and its calls on template lines, in source
        order: what each of its variants evaluates again (found once per helper, not once per variant)."""
        found = self._lines.get(helper)
        if found is None:
            qualname = helper.partition(":")[2]
            facts = template.facts
            assignments = [
                a
                for a in facts.assignments
                if a.scope == qualname and a.value is not None and uses_any(a.value, template.tainted)
            ]
            calls = [c for c in facts.calls if c.scope == qualname and c.line in template.lines]
            found = self._lines[helper] = (assignments, calls)
        return found


def _super_receiver(caller: str, call: Expr, definition: Definition | None) -> Bound | None:
    """What `super(Alert, cls).get_by_id_and_org(...)` (or `super().…`) in a method of `Alert` is called on: the
    method's own class (its `cls`), not the proxy `super` gives (nor nothing, where no caller binds `cls`)."""
    if definition is None or definition.fact.kind != "function" or "." not in definition.fact.qualname:
        return None
    owner = caller.partition("@")[0].rpartition(".")[0]
    receiver = call[2][2] if len(call[2]) > 2 else (ExprKind.NAME, "cls", (), ())
    return Bound("", receiver, True, frozenset({f"cls:{owner}"}))


def _session_written(calls: list[CallFact], writes: frozenset[str]) -> set[str]:
    """The names a function hands to a session write (`db.session.delete(model)`): a parameter so used is bound
    per call (the row each caller passes), even when the link stage knows no value of it (a row a query gave)."""
    found: set[str] = set()
    for call in calls:
        func, arguments = call.call[2][0], call.call[2][1:]
        if func[0] != ExprKind.ATTRIBUTE or func[1] not in writes or not arguments or arguments[0][0] != ExprKind.NAME:
            continue
        owner = func[2][0]
        name = owner[1] if owner[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE) else None
        if isinstance(name, str) and name.lower().endswith("session"):
            found.add(str(arguments[0][1]))
    return found


def _assigned_once(assignments: Sequence[AssignmentFact], names: set[str]) -> tuple[tuple[str, Expr], ...]:
    """The locals of `names` a function assigns exactly once, to another name or a conditional expression."""
    counts: dict[str, int] = defaultdict(int)
    values: dict[str, Expr] = {}
    for assignment in assignments:
        for target in assignment.targets:
            if target[0] == ExprKind.NAME and target[1] in names:
                counts[str(target[1])] += 1
                if assignment.value is not None and len(assignment.targets) == 1 and assignment.operator != "iter":
                    values[str(target[1])] = assignment.value
    return tuple(
        (name, value)
        for name, value in sorted(values.items())
        if counts[name] == 1
        and (value[0] == ExprKind.NAME or (value[0] == ExprKind.OTHER and value[1] == "IfExp"))
        and len(value[2]) in ((0,) if value[0] == ExprKind.NAME else (3,))
    )


def _within(line: int, dead: tuple[tuple[int, int], ...]) -> bool:
    return any(first <= line <= last for first, last in dead)


def _lines_in(dead: tuple[tuple[int, int], ...]) -> frozenset[int]:
    """Every line of the `dead` ranges."""
    return frozenset(line for first, last in dead for line in range(first, last + 1))


def tainted_names(names: set[str], assignments: Sequence[AssignmentFact]) -> set[str]:
    """The parameters and the locals computed from them (`query = cls.query.filter(...)`)."""
    tainted = set(names)
    listed = [a for a in assignments if a.value is not None]
    changed = True
    while changed:
        changed = False
        for assignment in listed:
            if assignment.value is None or not uses_any(assignment.value, tainted):
                continue
            for target in assignment.targets:
                if target[0] == ExprKind.NAME and target[1] not in tainted:
                    tainted.add(str(target[1]))
                    changed = True
    return tainted


def uses_any(expr: Expr, names: set[str] | frozenset[str]) -> bool:
    """Whether a name of `names` occurs in an expression (not as an attribute's name)."""
    return any(node[0] == ExprKind.NAME and node[1] in names for node in subexpressions(expr))
