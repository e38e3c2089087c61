"""In-process events: who receives which signal (Django, blinker, SQLAlchemy).

A signal is named by what it is: Django's built-ins by their import path
(`django.db.models.signals.post_save`), our own `Signal()`/blinker objects by
the variable holding them (`escalations.signals:ticket_escalated`). Receivers
come from `@receiver(signal or [signals], sender=...)`, `signal.connect(handler,
sender=...)` (also `@signal.connect` as a decorator), `@event.listens_for(...)`
and `event.listen(...)`.

Custom signals (`X = Signal()`, `X = ns.signal("name")`, `X = blinker.signal("name")`,
also instances of our own subclasses of a signal class) are reported as `Signal`
entries with their definition, every `.send(...)`/`.send_robust(...)` on them
(through aliases and re-exports, never a method that is merely called `send`)
and the number of receivers connected to them. `blinker.signal("name")` is one
signal per name wherever it is called, so `blinker.signal("x").send()` is a send
of the variable that holds `blinker.signal("x")`. Receivers in test code (`tests`
packages, `test_*.py`) are connected only while the tests run: not reported; nor
are connections a function makes and undoes (it, or a function nested in it,
disconnects the same signal): they stand only while it runs.
"""

from __future__ import annotations

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.heuristics.schema import MatchRule
from migrate_scan.model.facts import Expr, ExprKind, FileFacts, dotted_name
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Recognition
from migrate_scan.model.report import Event, Signal
from migrate_scan.stages.recognize.expressions import (
    argument,
    called_names,
    constructor_names,
    first_match,
    functions_of,
    keyword,
    module_calls,
    scope_of,
    string_of,
)
from migrate_scan.stages.recognize.registry import Product, Recognizer, producer


def recognize(graphs: LinkedGraphs, heuristics: Heuristics) -> Recognition:
    """Find every signal receiver and event listener, and the custom signals with their send sites."""
    found = Recognition()
    signals = _SignalNamer(graphs, heuristics)
    decorators = heuristics.matchers("signal-decorator")
    listens = heuristics.matchers("signal-listen")
    sends = {name.rpartition(".")[2] for name in heuristics.matchers("signal-send")}
    sent_at: dict[str, set[Location]] = {}
    for facts in graphs.modules.values():
        _decorated_receivers(graphs, signals, decorators, facts, found)
        _connected_receivers(graphs, signals, listens, facts, found)
        _send_sites(signals, sends, facts, sent_at)
    # Receivers connected by test code exist only while the tests run.
    found.events = [e for e in found.events if not graphs.is_test(e.receiver.partition(":")[0])]
    receivers: dict[str, set[str]] = {}
    for event in found.events:
        receivers.setdefault(event.signal, set()).add(event.model_dump_json())
    for site, (rule, location) in sorted(signals.sites.items()):
        symbol = _symbol(site)
        found.signals.append(
            Signal(
                kind=rule.framework,
                symbol=symbol,
                location=location,
                sent_at=sorted(sent_at.get(symbol, set()), key=lambda x: (x.file, x.line)),
                receivers=len(receivers.get(symbol, ())),
            )
        )
    return found


def _symbol(site: str) -> str:
    """`escalations.signals|ticket_escalated` → `escalations.signals:ticket_escalated`."""
    return site.replace("|", ":", 1)


class _SignalNamer:
    """Tells whether an expression is a signal, and names it.

    `sites` holds every custom signal: binding site → (rule, where it is defined);
    `named` the global blinker signals by their name (`blinker.signal("x")`).
    """

    def __init__(self, graphs: LinkedGraphs, heuristics: Heuristics) -> None:
        self.resolver = graphs.resolver
        self.builtins = heuristics.matchers("signal-builtin")
        self.objects = heuristics.matchers("signal-object")
        self.sites: dict[str, tuple[MatchRule, Location]] = {}
        self.named: dict[str, str] = {}
        for facts in graphs.modules.values():
            for assignment in facts.assignments:
                value = assignment.value
                if value is None or value[0] != ExprKind.CALL or len(assignment.targets) != 1:
                    continue
                scope = scope_of(facts.module, assignment.scope)
                rule = first_match(constructor_names(self.resolver, scope, value[2][0]), self.objects)
                site = self.resolver.binding_site(scope, assignment.targets[0]) if rule else None
                if rule is None or site is None:
                    continue
                self.sites.setdefault(site, (rule, Location(file=facts.path, line=assignment.line)))
                given = string_of(argument(value, 0, "name"))
                if rule.role == "named" and given is not None:
                    self.named.setdefault(given, site)

    def site(self, scope: str, expr: Expr) -> str | None:
        """The binding site of the custom signal `expr` denotes, or None."""
        site = self.resolver.binding_site(scope, expr)
        if site in self.sites:
            return site
        if expr[0] == ExprKind.CALL:  # blinker.signal("x"): the one signal of that name
            rule = first_match(self.resolver.qualified_names(scope, expr[2][0]), self.objects)
            given = string_of(argument(expr, 0, "name"))
            if rule is not None and rule.role == "named" and given is not None:
                return self.named.get(given)
        return None

    def name(self, scope: str, expr: Expr) -> tuple[str, str] | None:
        """(signal name, kind) of a signal expression, or None if it is not a signal."""
        site = self.site(scope, expr)
        if site is not None:
            return _symbol(site), self.sites[site][0].framework
        for name in self.resolver.qualified_names(scope, expr):
            rule = self.builtins.get(name)
            if rule is not None:
                return name, rule.framework
        return None


def _sender(graphs: LinkedGraphs, scope: str, call: Expr) -> str | None:
    sender = keyword(call, "sender")
    if sender is None:
        return None
    text = string_of(sender)
    if text is not None:
        return text  # Django's lazy "app_label.Model" form, as written
    classes = sorted(v[4:] for v in graphs.resolver.values(scope, sender) if v.startswith("cls:"))
    if classes:
        return classes[0]
    return dotted_name(sender) or "?"


def _decorated_receivers(
    graphs: LinkedGraphs, signals: _SignalNamer, decorators: dict[str, MatchRule], facts: FileFacts, found: Recognition
) -> None:
    for definition in facts.definitions:
        scope = scope_of(facts.module, definition.scope)
        receiver = f"{facts.module}:{definition.qualname}"
        location = Location(file=facts.path, line=definition.line)
        for decorator in definition.decorators:
            if decorator[0] != ExprKind.CALL:
                continue
            func = decorator[2][0]
            rule = first_match(graphs.resolver.qualified_names(scope, func), decorators)
            if rule is not None:
                target = argument(decorator, 0, "signal")
                sender = _sender(graphs, scope, decorator)
                for signal_expr in _each(target):
                    if rule.framework == "sqlalchemy-event":
                        event_name = string_of(argument(decorator, 1, "identifier")) or "?"
                        owner = graphs.resolver.qualified_names(scope, signal_expr)
                        signal = f"{owner[0] if owner else '?'}:{event_name}"
                        found.events.append(
                            Event(kind=rule.framework, signal=signal, receiver=receiver, location=location)
                        )
                        continue
                    named = signals.name(scope, signal_expr)
                    if named is not None:
                        found.events.append(
                            Event(kind=named[1], signal=named[0], sender=sender, receiver=receiver, location=location)
                        )
            elif func[0] == ExprKind.ATTRIBUTE and func[1] in ("connect", "connect_via"):  # `@signal.connect_via(x)`
                named = signals.name(scope, func[2][0])
                if named is not None:
                    event = Event(
                        kind=named[1],
                        signal=named[0],
                        sender=_sender(graphs, scope, decorator),
                        receiver=receiver,
                        location=location,
                    )
                    found.events.append(event)
        for decorator in definition.decorators:  # bare `@signal.connect`
            if decorator[0] == ExprKind.ATTRIBUTE and decorator[1] == "connect":
                named = signals.name(scope, decorator[2][0])
                if named is not None:
                    found.events.append(Event(kind=named[1], signal=named[0], receiver=receiver, location=location))


def _disconnected(signals: _SignalNamer, facts: FileFacts) -> set[tuple[str, str]]:
    """(function qualname, signal) for every `signal.disconnect(...)` a function of the module makes."""
    found = set()
    for call in facts.calls:
        func = call.call[2][0]
        if call.scope and func[0] == ExprKind.ATTRIBUTE and func[1] == "disconnect":
            named = signals.name(scope_of(facts.module, call.scope), func[2][0])
            if named is not None:
                found.add((call.scope, named[0]))
    return found


def _is_temporary(disconnected: set[tuple[str, str]], scope: str, signal: str) -> bool:
    """A connection made inside a function that (or a function nested in which) disconnects the same
    signal: connected for a while at run time (`connect(h)` ... `finally: disconnect(h)`, a handler
    that disconnects itself, a context manager that disables a receiver), not a standing receiver."""
    return bool(scope) and any(
        signal == name and (where == scope or where.startswith(f"{scope}.")) for where, name in disconnected
    )


def _connected_receivers(
    graphs: LinkedGraphs, signals: _SignalNamer, listens: dict[str, MatchRule], facts: FileFacts, found: Recognition
) -> None:
    resolver = graphs.resolver
    disconnected = _disconnected(signals, facts)
    listened = not called_names(resolver, facts).isdisjoint(listens)  # else no call of the module listens
    for call, scope, qualified in module_calls(resolver, facts):
        func = call.call[2][0]
        listen = first_match(qualified, listens) if listened else None
        if listen is not None:  # event.listen(target, "after_insert", handler)
            target, name, handler = (argument(call.call, i) for i in range(3))
            owner = resolver.qualified_names(scope, target) if target is not None else ()
            signal = f"{owner[0] if owner else '?'}:{string_of(name) or '?'}"
            for receiver in functions_of(resolver.values(scope, handler)) if handler is not None else []:
                found.events.append(
                    Event(
                        kind=listen.framework,
                        signal=signal,
                        receiver=receiver,
                        location=Location(file=facts.path, line=call.line),
                    )
                )
            continue
        if func[0] != ExprKind.ATTRIBUTE or func[1] not in ("connect", "connect_via"):
            continue
        named = signals.name(scope, func[2][0])
        handler = argument(call.call, 0, "receiver")
        if named is None or handler is None or _is_temporary(disconnected, call.scope, named[0]):
            continue
        sender = _sender(graphs, scope, call.call)
        for receiver in functions_of(resolver.values(scope, handler)):
            found.events.append(
                Event(
                    kind=named[1],
                    signal=named[0],
                    sender=sender,
                    receiver=receiver,
                    location=Location(file=facts.path, line=call.line),
                )
            )


def _each(expr: Expr | None) -> list[Expr]:
    """A receiver's signal argument: one expression, or each of a list/tuple of them."""
    if expr is None:
        return []
    if expr[0] in (ExprKind.LIST, ExprKind.TUPLE):
        return [child for child in expr[2] if child[0] != ExprKind.TRUNCATED]
    return [expr]


def _send_sites(signals: _SignalNamer, sends: set[str], facts: FileFacts, sent_at: dict[str, set[Location]]) -> None:
    """`signal.send(...)` / `.send_robust(...)` on a custom signal: a method of that name on anything else is not."""
    for call in facts.calls:
        func = call.call[2][0]
        if func[0] != ExprKind.ATTRIBUTE or func[1] not in sends:
            continue
        site = signals.site(scope_of(facts.module, call.scope), func[2][0])
        if site is not None:
            sent_at.setdefault(_symbol(site), set()).add(Location(file=facts.path, line=call.line))


RECOGNIZER = Recognizer(
    name="events",
    run=producer(recognize),
    produces=frozenset({Product.EVENTS, Product.SIGNALS}),
    handles={
        "signal-decorator": frozenset({""}),
        "signal-object": frozenset({"", "named"}),
        "signal-builtin": frozenset({""}),
        "signal-listen": frozenset({""}),
        "signal-send": frozenset({""}),
    },
)
