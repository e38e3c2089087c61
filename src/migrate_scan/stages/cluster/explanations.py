"""Explanations: why each context is what it is (its rationale) and how the split was made (the method).

Input: the finished grouping, its dependencies and per-context metrics. Output: sentences for the report;
nothing here moves a module.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from migrate_scan.model.analysis import CrossEdge
from migrate_scan.stages.cluster.grouping import KERNEL_MIN_CONTEXTS, Group, Grouping
from migrate_scan.stages.cluster.index import within
from migrate_scan.stages.cluster.louvain import FINE_MIN_MODULES, LOUVAIN_RESOLUTION
from migrate_scan.stages.cluster.settings import ClusterSettings
from migrate_scan.stages.cluster.ties import (
    CALL_WEIGHT,
    IMPORT_WEIGHT,
    MODEL_ACCESS_WEIGHT,
    MODEL_RELATION_WEIGHT,
    ROUTE_PREFIX_WEIGHT,
    SIGNAL_WEIGHT,
)


def rationale(
    grouping: Grouping,
    group: Group,
    modules: list[str],
    metrics: Mapping[str, float],
    deps: tuple[CrossEdge, ...],
    internal_edges: int,
) -> str:
    """Why `group` is a context: its seed or rule, what it absorbed, its internal ties and what cutting it costs."""
    facts, units = grouping.facts, grouping.units
    outgoing: defaultdict[str, float] = defaultdict(float)
    tests = {g.name for g in grouping.groups.values() if g.kind == "tests"}
    for edge in deps:
        if edge.source == group.name and (edge.target not in tests or group.name in tests):
            outgoing[edge.target] += edge.weight
        elif edge.target == group.name and (edge.source not in tests or group.name in tests):
            outgoing[edge.source] += edge.weight
    neighbours = [n for n, _ in sorted(outgoing.items(), key=lambda item: (-item[1], item[0]))[:3]]
    cut = f"cutting it out crosses weight {metrics['coupling']:g}"
    cut += f" to {', '.join(neighbours)}" if neighbours else ""
    size = f"{len(modules)} module{'s' if len(modules) != 1 else ''}"
    if group.seed == "tests":
        exercised = ", ".join(neighbours) or "nothing"
        return f"Test code ({size}): never deployed, it stays with the repository; it exercises {exercised}."
    if group.kind == "app-shell":
        roots = sorted(m for m in modules if m in units.roots)
        why = "; ".join(f"`{m}` {units.roots[m].why}" for m in roots[:4])
        return f"Composition root: {why}; {size} that create, configure and start the app; {cut}."
    if group.kind == "shared-kernel":
        return _kernel_rationale(grouping, size)
    unit = units.units.get(group.anchor.split("#")[0])
    if group.seed == "pinned":
        head = "Pinned in the configuration"
    elif group.seed == "community":
        head = f"Louvain community ({'; '.join(group.notes)})"
    elif unit is not None and unit.kind == "django-app":
        head = _django_app_head(grouping, unit.key, unit.detail)
    elif unit is not None and unit.kind == "blueprint":
        where = f" at {unit.evidence[0].file}:{unit.evidence[0].line}" if unit.evidence else ""
        head = f"Flask blueprint `{unit.key}` (Blueprint(...){where})"
    elif unit is not None and unit.kind == "package":
        head = f"Package `{unit.key}`"
    else:
        entries = facts.entry_summary([group.anchor])
        head = f"Module `{group.anchor}` with entry points of its own ({entries or 'none'}) and no context calls it"
    extra = [n for n in group.notes if group.seed != "community"]
    extra += _mirror_notes(grouping, set(modules))
    joined = f"; also holds {', '.join(extra)}" if extra else ""
    return f"{head}{joined}; {size} held together by {internal_edges} import, call and data edges; {cut}."


def _django_app_head(grouping: Grouping, key: str, detail: str) -> str:
    """A Django app, or one of the domain packages a wide app's authors split it into, and why it is a context."""
    units = grouping.units
    if key in units.cores:
        domains = units.cores[key]
        owning = sum(1 for d in domains if d in units.units and units.units[d].kind == "django-app")
        return (
            f"Django app `{key}`: its own modules outside the {len(domains)} domain packages its authors split it "
            f"into ({owning} of them own models), its root layers included; the domain packages are contexts of "
            "their own"
        )
    core = next((c for c, domains in sorted(units.cores.items()) if key in domains), None)
    if core is not None:
        facts = grouping.facts
        size = sum(1 for m in facts.modules if within(m, core) and m not in facts.tests)
        held = f" of {size} modules" if size else ""
        return (
            f"Domain package `{key}` of the Django app `{core}` ({detail}): the app{held} is split along the "
            "domain packages its authors made, each owning its models, so each is a context of its own"
        )
    return f"Django app `{key}` ({detail}){_kept_layer_note(grouping, key)}"


def _kept_layer_note(grouping: Grouping, key: str) -> str:
    """Why a declared app whose parts mirror the domains stays one context, and how to cut it."""
    mirrored = sorted({(target, part) for part, (target, layer) in grouping.units.kept_mirrors.items() if layer == key})
    if not mirrored:
        return ""
    facts = grouping.facts
    held = [m for m in facts.modules if within(m, key) and m not in facts.tests]
    entries = facts.entry_summary(held)
    shown = ", ".join(f"`{part}` → `{target}`" for target, part in mirrored[:5])
    more = f" and {len(mirrored) - 5} more" if len(mirrored) > 5 else ""
    return (
        f", kept whole: its parts mirror {len(mirrored)} domain contexts ({shown}{more}), a layer cut across "
        f"them, but its authors declared it one app and it serves its own entry points ({entries or 'none'}); "
        "moving each part to its domain means splitting that API per domain (granularity fine proposes it)"
    )


def _mirror_notes(grouping: Grouping, modules: set[str]) -> list[str]:
    """Parts of a layer that mirror this context's domain, and why they move with it."""
    notes = []
    for part, (target, layer) in sorted(grouping.units.mirrors.items()):
        held = [m for m in modules if within(m, part)]
        if not held:
            continue
        layer_unit = grouping.units.units.get(layer)
        kind = "Django app" if layer_unit is not None and layer_unit.kind == "django-app" else "package"
        mirrored = len({t for t, where in grouping.units.mirrors.values() if where == layer})
        notes.append(
            f"`{part}` ({len(held)} module{'s' if len(held) != 1 else ''}), the part of the {kind} `{layer}` "
            f"that mirrors `{target}`: `{layer}` is a layer whose parts mirror {mirrored} domains, so each part "
            "moves with the domain it serves"
        )
    return notes


def _kernel_rationale(grouping: Grouping, size: str) -> str:
    """The shared kernel: which contexts use it."""
    units, groups = grouping.units, grouping.groups
    users = sorted({u for users in grouping.kernel_users.values() for u in users})
    used_by = sorted({grouping.context_of.get(m, "") for u in users for m in units.units[u].modules} - {""})
    named = sorted({groups[a].name for a in used_by if a in groups and a not in ("<shared-kernel>",)})
    return (
        f"No entry points of its own; {size} used by {len(named)} contexts "
        f"({', '.join(named[:6])}): a library (Lambda layer or internal package), not a service."
    )


def method(settings: ClusterSettings) -> str:
    """How contexts were found: seeds, rules, granularity, pins and the edge weights."""
    text = (
        "Seeds: Django apps (apps.py AppConfig, Django models module, INSTALLED_APPS), Flask blueprint "
        "packages, then packages below the umbrella package; app shell = composition root; shared kernel = "
        f"no entry points and used by >= {KERNEL_MIN_CONTEXTS} contexts; strays joined to their strongest "
        f"context; granularity {settings.granularity}"
    )
    if settings.granularity == "fine":
        text += (
            f"; Louvain communities (networkx, resolution {LOUVAIN_RESOLUTION:g}, seed {settings.seed}) "
            f"inside contexts of >= {FINE_MIN_MODULES} modules"
        )
    if settings.pins:
        text += f"; {len(settings.pins)} pinned context(s)"
    weights = (
        f"weights: import {IMPORT_WEIGHT:g}, call site {CALL_WEIGHT:g}, model access {MODEL_ACCESS_WEIGHT:g}, "
        f"model relation {MODEL_RELATION_WEIGHT:g}, signal {SIGNAL_WEIGHT:g}, route prefix {ROUTE_PREFIX_WEIGHT:g}"
    )
    return f"{text}; {weights}."
