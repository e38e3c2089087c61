"""Data access: a helper's parameter is a row of the models its callers pass, for the attributes it sets on it.

`def update_switches(cert, notify=None): cert.notify = notify; return database.update(cert)`, called as
`update_switches(cert, ...)` by a view whose `cert = service.get(certificate_id)` is a Certificate row:
the attribute set on the parameter changes a Certificate (and, for a relationship stored in its own table,
`cert.roles = [...]`, that table), written when the session is committed. The link stage knows no model
for such a parameter (the helper that loaded the row returns what a query gave); the callers' locals are
known rows here.

A parameter some assignment already knows the models of is left as it is; only the call sites that pass a
local known to be a row count (the union over them, as the link stage's parameters are).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from migrate_scan.model.facts import ExprKind
from migrate_scan.model.ids import Location
from migrate_scan.stages.recognize.expressions import scope_of

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess


def parameter_row_writes(access: DataAccess) -> None:
    """Pending writes of the attributes functions set on parameters their callers pass rows for."""
    setters = _attribute_setters(access)
    if not setters:
        return
    passed = _passed_rows(access, setters)
    for (function, parameter), models in sorted(passed.items()):
        if access.instances.get((function, parameter)):
            continue  # known already: read with the function's own calls
        for attribute, where in setters[function].get(parameter, ()):
            for model in sorted(models):
                access.pending[function].setdefault(model, where)
                through = access.through.get((model, attribute))
                if through is not None:  # `cert.roles = [...]`: the association table is rewritten
                    access.pending[function].setdefault(through, where)


Setters = dict[str, dict[str, list[tuple[str, Location]]]]
"""Function → parameter → (attribute, where) it assigns on that parameter."""


def _attribute_setters(access: DataAccess) -> Setters:
    """Function → parameter → (attribute, where) it assigns on that parameter (`cert.notify = flag`)."""
    found: dict[str, dict[str, list[tuple[str, Location]]]] = defaultdict(lambda: defaultdict(list))
    definitions = access.graphs.definitions
    for facts in access.graphs.modules.values():
        parameters: dict[str, set[str]] = {}
        for assignment in facts.assignments:
            if not assignment.scope:
                continue
            for target in assignment.targets:
                if target[0] != ExprKind.ATTRIBUTE or target[2][0][0] != ExprKind.NAME:
                    continue
                scope = scope_of(facts.module, assignment.scope)
                if scope not in parameters:
                    definition = definitions.get(scope)
                    is_function = definition is not None and definition.fact.kind == "function"
                    parameters[scope] = (
                        {p.name for p in definition.fact.parameters} if is_function and definition else set()
                    )
                owner = str(target[2][0][1])
                if owner in parameters[scope] and owner not in ("self", "cls"):
                    found[scope][owner].append((str(target[1]), Location(file=facts.path, line=assignment.line)))
    return found


def _passed_rows(access: DataAccess, setters: Setters) -> dict[tuple[str, str], set[str]]:
    """(function, parameter) → the models of the rows call sites pass it (a caller's local known to be a row)."""
    definitions = access.graphs.definitions
    names = {symbol.rpartition(":")[2].rpartition(".")[2] for symbol in setters}
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for facts in access.graphs.modules.values():
        for call in facts.calls:
            func = call.call[2][0]
            if not call.scope or func[0] not in (ExprKind.NAME, ExprKind.ATTRIBUTE) or func[1] not in names:
                continue
            caller = scope_of(facts.module, call.scope)
            for value in access.graphs.resolver.values(caller, func):
                callee = value[4:]
                if not value.startswith("def:") or callee not in setters:
                    continue
                parameters = [p.name for p in definitions[callee].fact.parameters if p.kind == "positional"]
                positional = call.call[2][1:]
                starred = next((i for i, a in enumerate(positional) if a[0] == ExprKind.STARRED), len(positional))
                given = list(zip(parameters, positional[:starred], strict=False))
                given += [(str(name), argument) for name, argument in call.call[3] if name is not None]
                for parameter, argument in given:
                    if parameter in setters[callee] and argument[0] == ExprKind.NAME:
                        found[(callee, parameter)] |= access.instances.get((caller, str(argument[1])), set())
    return found
