"""Status flows: `LinkedGraphs` + models → `Workflow`s kept in a status field (pattern 4's second form).

A process written without an orchestrator keeps its position in a column: a model declares a status
field (`status = models.CharField(choices=...)`, `state = db.Column(db.Enum(State))`), and views,
tasks and commands move it from state to state (`document.status = Document.Status.APPROVED`,
`Order.objects.filter(...).update(status="shipped")`). When three or more states are set by two or
more functions, and one of the moves is a decision a person makes (its function or its state speaks
of approval, rejection, review...), the flow is a workflow candidate: a Standard state machine whose
human step waits for a task token. The decision tree then checks that the person reaches the
decision through a route (PT403).

What is a status field (name tokens), which methods write fields by keyword (`update`), and the
numbers are PT403's data in `heuristics/patterns.toml`; the words of a human decision are PT401's.
Each move is evidence: the function, the state as written, where.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from migrate_scan.heuristics.schema import DecisionRule
from migrate_scan.model.facts import AssignmentFact, ConstValue, Expr, ExprKind, FileFacts, dotted_name
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Recognition
from migrate_scan.stages.classify.entries import Workflow, module_of

SELF_NAMES = frozenset({"self", "cls"})
TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class StatusField:
    """A model's field named like a status, and where it is declared."""

    model: str  # model symbol
    name: str
    location: Location


@dataclass(frozen=True)
class Move:
    """A function setting a status field to one state."""

    function: str  # symbol
    state: str  # the state as written (`Status.APPROVED`, `approved`)
    location: Location


def status_flows(
    modules: Mapping[str, FileFacts],
    recognition: Recognition,
    rule: DecisionRule,
    decision_words: Iterable[str],
    is_test: Callable[[str], bool],
) -> list[Workflow]:
    """The status fields moved through enough states by enough functions, with a person's decision among them.

    Args:
        modules: the parse facts of every module.
        recognition: the recognizers' models and data access.
        rule: PT403 (`words`: status-field name tokens; `methods`: methods that write fields by keyword;
            thresholds `min_states`, `min_functions`).
        decision_words: name fragments of a human decision (PT401's words).
        is_test: whether a module is test code (left out: its writes are fixtures, not the process).
    """
    fields = _status_fields(modules, recognition, frozenset(rule.words), is_test)
    if not fields:
        return []
    by_name: dict[str, list[StatusField]] = defaultdict(list)
    for status_field in fields:
        by_name[status_field.name].append(status_field)
    accessed: dict[str, set[str]] = defaultdict(set)
    for access in recognition.model_access:
        accessed[access.function].add(access.model)
    moves: dict[StatusField, list[Move]] = defaultdict(list)
    writers = frozenset(rule.methods)
    for module, facts in sorted(modules.items()):
        if is_test(module):
            continue
        for function, name, value, receiver, line in _writes(facts, by_name, writers):
            state = _state(value)
            if state is None:
                continue
            symbol = f"{module}:{function}"
            target = _owner(by_name[name], symbol, receiver, value, accessed)
            if target is not None:
                moves[target].append(Move(symbol, state, Location(file=facts.path, line=line)))
    words = tuple(decision_words)
    found: list[Workflow] = []
    for status, made in sorted(moves.items(), key=lambda item: (item[0].model, item[0].name)):
        flow = _flow(status, made, rule, words)
        if flow is not None:
            found.append(flow)
    return found


def _status_fields(
    modules: Mapping[str, FileFacts], recognition: Recognition, tokens: frozenset[str], is_test: Callable[[str], bool]
) -> list[StatusField]:
    """Fields of the application's models whose name has a status token (`status`, `review_state`)."""
    found = []
    for model in recognition.models:
        module, _, qualname = model.symbol.partition(":")
        facts = modules.get(module)
        if facts is None or is_test(module):
            continue
        for assignment in facts.assignments:
            if assignment.scope != qualname or len(assignment.targets) != 1 or assignment.value is None:
                continue
            kind, name, _, _ = assignment.targets[0]
            if kind != ExprKind.NAME or assignment.value[0] != ExprKind.CALL:
                continue
            if tokens & set(TOKEN.findall(str(name).lower())):
                found.append(StatusField(model.symbol, str(name), Location(file=facts.path, line=assignment.line)))
    return found


def _writes(
    facts: FileFacts, fields: Mapping[str, list[StatusField]], writers: frozenset[str]
) -> list[tuple[str, str, Expr, str, int]]:
    """(function, field, value, receiver, line) of every write of a status field inside a function:
    `x.status = value` and `x.update(status=value)` (a receiver `<call>` when it is a query)."""
    functions = {d.qualname for d in facts.definitions if d.kind == "function"}
    found = []
    for assignment in facts.assignments:
        if assignment.scope in functions and assignment.operator is None and assignment.value is not None:
            found += _attribute_writes(assignment, fields)
    for call in facts.calls:
        if call.scope not in functions:
            continue
        func = call.call[2][0]
        if func[0] != ExprKind.ATTRIBUTE or str(func[1]) not in writers:
            continue
        receiver = dotted_name(func[2][0]) or "<call>"
        for keyword, value in call.call[3]:
            if keyword is not None and keyword in fields:
                found.append((call.scope, keyword, value, receiver, call.line))
    return found


def _attribute_writes(
    assignment: AssignmentFact, fields: Mapping[str, list[StatusField]]
) -> list[tuple[str, str, Expr, str, int]]:
    found = []
    for target in assignment.targets:
        kind, name, children, _ = target
        if kind == ExprKind.ATTRIBUTE and str(name) in fields and assignment.value is not None:
            receiver = dotted_name(children[0]) or "<expr>"
            found.append((assignment.scope, str(name), assignment.value, receiver, assignment.line))
    return found


def _state(value: Expr) -> str | None:
    """A state as written: a string or number literal, or a constant's dotted name; None for anything computed."""
    kind, literal, _, _ = value
    if kind == ExprKind.CONSTANT:
        return _literal(literal)
    dotted = dotted_name(value) if kind in (ExprKind.ATTRIBUTE, ExprKind.NAME) else None
    if dotted is None:
        return None
    *owners, name = dotted.split(".")
    # a constant (`APPROVED`) or a member of a class (`AbstractState.accepted`), not another object's value
    if name.isupper() or any(owner[:1].isupper() for owner in owners):
        return dotted
    return None


def _literal(value: ConstValue) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int):
        return str(value) if str(value) else None
    return None


def _owner(
    candidates: list[StatusField], function: str, receiver: str, value: Expr, accessed: Mapping[str, set[str]]
) -> StatusField | None:
    """The model whose field a write sets: the one the function's class is, names or accesses; else the only one."""
    _, _, qualname = function.partition(":")
    if receiver.partition(".")[0] in SELF_NAMES:
        # `self.status = ...` is a model's own method, or some other object's attribute
        own_class = f"{module_of(function)}:{qualname.rpartition('.')[0]}"
        return next((c for c in candidates if c.model == own_class), None)
    if len(candidates) == 1:
        return candidates[0]
    variable = _snake(receiver.rpartition(".")[2])
    named = [c for c in candidates if variable == _snake(_class(c)) or variable.endswith("_" + _snake(_class(c)))]
    if len(named) == 1:
        return named[0]  # `fulfillment.status = ...`, `replace_order.status = ...`
    written = (dotted_name(value) or "").partition(".")[0]
    prefixed = sorted((c for c in candidates if written.startswith(_class(c))), key=lambda c: -len(_class(c)))
    if prefixed:
        return prefixed[0]  # `Document.Status.APPROVED`, `FulfillmentStatus.FULFILLED`
    used = [c for c in candidates if c.model in accessed.get(function, ())]
    return used[0] if len(used) == 1 else None


def _class(status: StatusField) -> str:
    return status.model.rpartition(":")[2].rpartition(".")[2]


def _snake(name: str) -> str:
    """`OrderLine` → `order_line`; a name already in snake case is unchanged."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _flow(status: StatusField, moves: list[Move], rule: DecisionRule, words: tuple[str, ...]) -> Workflow | None:
    """The workflow a status field's moves make, or None below the thresholds or without a person's decision."""
    moves = sorted(set(moves), key=lambda m: (m.location.file, m.location.line, m.function, m.state))
    states = {_normal(m.state) for m in moves}
    functions = {m.function for m in moves}
    if len(states) < rule.threshold("min_states") or len(functions) < rule.threshold("min_functions"):
        return None
    decisions = tuple(
        (m.function, m.location)
        for m in moves
        if _speaks(m.function.rpartition(":")[2], words) or _speaks(_normal(m.state), words)
    )
    if not decisions:
        return None
    steps = tuple(dict.fromkeys(m.function for m in moves))
    return Workflow(
        module=module_of(status.model),
        builders=(),
        steps=steps,
        step_jobs=(),
        chain=(status.location, *(m.location for m in moves)),
        members=tuple(sorted({module_of(f) for f in functions})),
        rule=rule.id,
        decisions=decisions,
        label=f"{status.model.rpartition(':')[2]}.{status.name} ({', '.join(sorted(states))})",
    )


def _normal(state: str) -> str:
    """`Document.Status.APPROVED` → `approved`: the state's own name, lower case."""
    return state.rpartition(".")[2].lower()


def _speaks(name: str, words: tuple[str, ...]) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in words)
