"""Data access: functions an outside call runs on the caller's behalf, later in the same request.

- `deferred-call` rules: `request.user = SimpleLazyObject(load_user)` loads the user where it is
  first used, `transaction.on_commit(notify)` runs `notify` when the view's transaction commits:
  the function given is reached from the function giving it;
- `batch-loader` rules: `UserByIdLoader(context).load(pk)` on a subclass of a DataLoader runs the
  subclass's batch loading methods (`batch_load_fn`, and the `batch_load` it calls on itself);
- `backend-call` rules: Django's `authenticate(request=...)` calls the `authenticate` method of every
  backend the settings' `AUTHENTICATION_BACKENDS` name, `get_backends()` gives them to the caller,
  which calls their permission methods: where such a backend is a class of the project, the
  methods the rule names that it has are reached from the caller.
"""

from __future__ import annotations

from collections import defaultdict

from migrate_scan.model.facts import ExprKind
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.stages.recognize.data_access_knowledge import AccessKnowledge
from migrate_scan.stages.recognize.expressions import module_calls, string_of

BACKENDS_SETTING = "AUTHENTICATION_BACKENDS"
_OURS = ("def:", "bnd:")


def deferred_callees(graphs: LinkedGraphs, known: AccessKnowledge) -> dict[str, set[str]]:
    """Function → the functions of ours it hands to a deferred call or reaches through a backend call."""
    found: dict[str, set[str]] = defaultdict(set)
    if known.loader_calls and known.loader_bases:
        _loaders(graphs, known, found)
    if not known.deferred_calls and not known.backend_calls:
        return found
    backends = _backends(graphs) if known.backend_calls else []
    endings = {n.rpartition(".")[2] for n in (*known.deferred_calls, *known.backend_calls)}
    for facts in graphs.modules.values():
        if not any(_ending(c.call[2][0]) in endings for c in facts.calls):
            continue
        for call, scope, qualified in module_calls(graphs.resolver, facts):
            if _ending(call.call[2][0]) not in endings:
                continue
            if known.deferred_calls.intersection(qualified):
                for argument in call.call[2][1:]:
                    found[scope].update(v[4:] for v in graphs.resolver.values(scope, argument) if v.startswith(_OURS))
            for name in qualified:
                for backend in backends:
                    for method in known.backend_calls.get(name, ()):
                        found[scope].update(
                            v[4:] for v in graphs.resolver.class_attribute(backend, method) if v.startswith(_OURS)
                        )
    return found


def _ending(func: object) -> str:
    if isinstance(func, tuple) and func[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE):
        return str(func[1])
    return ""


def _backends(graphs: LinkedGraphs) -> list[str]:
    """The project's classes the settings' `AUTHENTICATION_BACKENDS` name (`"shop.auth.TokenBackend"`): its
    first assignment in a module (a later one is usually an override under a condition)."""
    found: set[str] = set()
    for facts in graphs.modules.values():
        assignments = [
            a
            for a in facts.assignments
            if not a.scope
            and a.value is not None
            and any(t[:2] == (ExprKind.NAME, BACKENDS_SETTING) for t in a.targets)
        ]
        if not assignments:
            continue
        value = min(assignments, key=lambda a: a.line).value
        assert value is not None
        items = value[2] if value[0] in (ExprKind.LIST, ExprKind.TUPLE) else (value,)
        for item in items:
            dotted = string_of(item)
            if dotted is None:
                continue
            module, _, name = dotted.rpartition(".")
            definition = graphs.definitions.get(f"{module}:{name}")
            if definition is not None and definition.fact.kind == "class":
                found.add(f"{module}:{name}")
    return sorted(found)


def _loaders(graphs: LinkedGraphs, known: AccessKnowledge, found: dict[str, set[str]]) -> None:
    """`Loader(context).load(key)`: the batch loading methods of the loader's class (ours, found through its MRO)."""
    resolver = graphs.resolver
    methods: dict[str, tuple[str, ...]] = {}  # class of ours → the batch methods of its loader base
    for facts in graphs.modules.values():
        for call in facts.calls:
            func = call.call[2][0]
            if func[0] != ExprKind.ATTRIBUTE or func[1] not in known.loader_calls or not call.scope:
                continue
            scope = f"{facts.module}:{call.scope}"
            for value in resolver.values(scope, func[2][0]):
                if not value.startswith("obj:") or value[4:] not in graphs.definitions:
                    continue
                loader = value[4:]
                if loader not in methods:
                    bases = [b for b in resolver.ancestors(loader) if b in known.loader_bases]
                    methods[loader] = known.loader_bases[bases[0]] if bases else ()
                for method in methods[loader]:
                    found[scope].update(v[4:] for v in resolver.class_attribute(loader, method) if v.startswith(_OURS))
