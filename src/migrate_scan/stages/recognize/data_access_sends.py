"""Signals sent in a request: `signal.send(...)` runs its receivers there and then.

A blinker or Django signal sent by a function (`certificate_issued.send(cert)`,
`identity_changed.send(app, identity=...)`) calls every receiver connected to it before the
send returns: what they read and write is done by the function that sent it. An outside
package's own receiver may send another signal in turn (Flask-Principal sets the identity and
sends `identity_loaded`): the `signal-relay` rules say which.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from migrate_scan.model.facts import ExprKind
from migrate_scan.model.report import Event
from migrate_scan.stages.recognize.expressions import scope_of

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess

SEND_METHODS = frozenset({"send", "send_robust", "send_async"})
"""Methods of a signal that call its receivers."""


def signal_sends(access: DataAccess, events: list[Event]) -> None:
    """Each function sending a signal (or one an outside receiver of it relays) calls its receivers."""
    receivers: dict[str, set[str]] = defaultdict(set)
    for event in events:
        receivers[event.signal.replace(":", ".")].add(event.receiver)
    if not receivers:
        return
    relays = access.known.signal_relays
    for facts in access.graphs.modules.values():
        for call in facts.calls:
            func = call.call[2][0]
            if func[0] != ExprKind.ATTRIBUTE or func[1] not in SEND_METHODS:
                continue
            scope = scope_of(facts.module, call.scope) if call.scope else facts.module
            sent = set(access.graphs.resolver.qualified_names(scope, func[2][0]))
            sent |= {relayed for name in sent for relayed in relays.get(name, ())}
            for name in sorted(sent):
                for receiver in sorted(receivers.get(name, ())):
                    if receiver != scope:
                        access.calls[scope].add(receiver)
