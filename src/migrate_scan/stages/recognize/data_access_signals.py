"""What the `instance` of a model-signal receiver is, for the data access of the receiver's body.

Django sends `post_save`, `pre_delete`, ... with `instance=` the row saved or deleted: in a receiver
connected with `sender=Order`, `instance` is an Order (`instance.customer.save()` writes Customer); in a
receiver connected without a sender (`@receiver(post_save)`: every model's saves), it is a row of any model,
so only the methods it calls are known to run: the methods of that name of the models that have one
(`instance.to_objectchange(action)` runs the mixin method that builds a change record).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.report import Event

INSTANCE_PARAMETER = "instance"
"""The keyword Django's model signals pass the row with."""


class SignalInstances(NamedTuple):
    """Receivers' instance parameters: typed ((scope, name) → the sender models) and untyped (any model)."""

    typed: dict[tuple[str, str], set[str]]
    untyped: set[tuple[str, str]]


def signal_instances(
    graphs: LinkedGraphs,
    events: Iterable[Event],
    signals: frozenset[str],
    sender_model: Callable[[str], str | None],
) -> SignalInstances:
    """The instance parameter of each function of the tree receiving one of the model `signals`.

    `sender_model`: the model of ours an event's sender names (None: not one of ours).
    """
    typed: dict[tuple[str, str], set[str]] = {}
    untyped: set[tuple[str, str]] = set()
    senders: dict[str, set[str | None]] = {}
    for event in events:
        if event.signal.rpartition(".")[2] in signals:
            model = sender_model(event.sender) if event.sender is not None else None
            if event.sender is None or model is not None:
                senders.setdefault(event.receiver, set()).add(model)
    for receiver, models in sorted(senders.items(), key=lambda item: item[0]):
        parameter = instance_parameter(graphs, receiver)
        if parameter is None:
            continue
        key = (receiver, parameter)
        if None in models:
            untyped.add(key)
        else:
            typed[key] = {m for m in models if m is not None}
    return SignalInstances(typed, untyped)


def instance_parameter(graphs: LinkedGraphs, receiver: str) -> str | None:
    """The receiver's parameter the row is passed to: `instance`, else the one after `sender`."""
    definition = graphs.definitions.get(receiver)
    if definition is None or definition.fact.kind != "function":
        return None
    named = [p.name for p in definition.fact.parameters if p.kind in ("positional", "keyword")]
    if named[:1] in (["self"], ["cls"]):
        named = named[1:]
    if INSTANCE_PARAMETER in named:
        return INSTANCE_PARAMETER
    if len(named) >= 2 and named[0] == "sender":
        return named[1]
    return None
