"""Grouping rules: `ModuleIndex` + `Ties` + `Units` + `ClusterSettings` → groups of modules (contexts to be).

The rules, applied in order: the app shell (composition root and what only it imports), the shared
kernel (no entry points, used by many contexts), one business group per seed, libraries and strays
joined to the context that uses them, the one-table merge (and the coarse merges), the Louvain split
(granularity "fine"), then pins from the configuration, which win over everything.
"""

from __future__ import annotations

import fnmatch
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from migrate_scan.model.analysis import ContextKind, ShellRole
from migrate_scan.model.faults import isolated
from migrate_scan.model.ids import Location
from migrate_scan.stages.cluster.index import ModuleIndex, last, parent, within
from migrate_scan.stages.cluster.louvain import FINE_MIN_MODULES, communities
from migrate_scan.stages.cluster.naming import name_groups
from migrate_scan.stages.cluster.seeds import TESTS_UNIT, Unit, Units
from migrate_scan.stages.cluster.settings import ClusterSettings
from migrate_scan.stages.cluster.ties import Ties

KERNEL_MIN_CONTEXTS = 3
"""A module group with no entry points used by this many business contexts is a shared kernel."""
KERNEL_NAMED_MIN_CONTEXTS = 2
"""The same for a package named like a library (`KERNEL_PACKAGE_NAMES`)."""
KERNEL_PACKAGE_NAMES = frozenset({"common", "commons", "core", "helpers", "lib", "libs", "shared", "util", "utils"})
STRAY_ATTACH_SHARE = 0.5
"""A stray with entry points joins its strongest context only if that tie is at least this share of all its ties."""
SMALL_SEED_MODULES = 2
"""The one-table rule applies to seeds of at most this many modules."""
ONE_TABLE = 1
"""...that own at most this many tables."""


@dataclass
class Group:
    """A context under construction."""

    anchor: str  # the unit that named it
    kind: ContextKind
    seed: str
    modules: set[str]
    evidence: list[Location] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    name: str = ""


class Grouping:
    """The rules, applied in order, from units to contexts.

    Lifecycle: built from the units, `run()` applies shell, kernel, stray, merge, split and pin rules
    (each moves whole units or modules between groups); the package's `cluster()` then names the groups
    (`explanations`) and measures them (`metrics`, `dependencies`).
    """

    def __init__(self, facts: ModuleIndex, ties: Ties, units: Units, settings: ClusterSettings) -> None:
        self.facts = facts
        self.ties = ties
        self.units = units
        self.settings = settings
        self.context_of: dict[str, str] = {}  # module → group anchor
        self.groups: dict[str, Group] = {}
        self.shell: set[str] = set()
        self.kernel: set[str] = set()

    # ---- rules

    def run(self) -> None:
        self._find_shell()
        business_units = sorted(k for k in self.units.units if k != TESTS_UNIT and not self._is_shell_unit(k))
        self._find_kernel(business_units)
        for key in business_units:
            unit = self.units.units[key]
            modules = [m for m in unit.modules if m not in self.shell and m not in self.kernel]
            if not modules:
                continue
            if unit.kind == "module":
                continue
            self._new_group(key, "business", unit.kind, modules, unit.evidence)
        # A rule that fails is skipped (model.faults); whatever it left unplaced gets a context of its own below.
        with isolated("cluster", "rule libraries"):
            self._attach_libraries(business_units)
        with isolated("cluster", "rule strays"):
            self._attach_strays(business_units)
        with isolated("cluster", "rule one-table merge"):
            self._merge_small()
        if self.settings.granularity == "fine":
            with isolated("cluster", "rule louvain split"):
                self._split_large()
        if self.shell:
            self._new_group("<app-shell>", "app-shell", "composition-root", sorted(self.shell), [])
        if TESTS_UNIT in self.units.units:
            self._new_group(TESTS_UNIT, "tests", "tests", self.units.units[TESTS_UNIT].modules, [])
            self.groups[TESTS_UNIT].name = "tests"
        if self.kernel:
            self._new_group("<shared-kernel>", "shared-kernel", "library", sorted(self.kernel), [])
        with isolated("cluster", "rule pins"):
            self._apply_pins()
        for module in sorted(set(self.facts.modules) - set(self.context_of)):
            if module in self.groups:
                self._move([module], module)
            else:
                self._new_group(module, "business", "module", [module], [])

    def _is_shell_unit(self, key: str) -> bool:
        return all(m in self.shell for m in self.units.units[key].modules)

    def _find_shell(self) -> None:
        facts, units = self.facts, self.units
        roles: dict[str, tuple[ShellRole, Location]] = {m: (r.role, r.location) for m, r in units.roots.items()}

        def add(module: str, role: ShellRole) -> None:
            roles.setdefault(module, (role, Location(file=facts.files[module].path, line=1)))

        for root, found in units.roots.items():
            if found.role == "settings" and root in facts.packages:  # a settings package: all of it is configuration
                for module in facts.modules:
                    if within(module, root) and module not in facts.tests:
                        add(module, "settings")
        for package in units.project_packages:
            for module in facts.modules:
                if parent(module) != package and module != package:
                    continue
                plain = units.units[units.unit_of[module]].kind in ("module", "package")
                if plain and (module == package or not facts.has_entries([module])):
                    add(module, "shell-import")
        for package in units.root_packages:
            if package in facts.module_set:
                add(package, "shell-import")
        factory_callers = self._factory_callers()
        # A top-level script nothing imports (manage.py, wsgi.py, a worker's bootstrap) starts the app.
        scripts = [
            m
            for m in facts.modules
            if "." not in m
            and m not in facts.packages
            and m not in facts.tests
            and not any(i in facts.module_set and i not in facts.tests for i in facts.import_graph.predecessors(m))
        ]
        celery_roots = {m for m, r in units.roots.items() if r.role == "celery-app"}
        for module in [*factory_callers, *scripts]:
            unit = units.units[units.unit_of[module]]
            if unit.kind == "module" and not facts.has_entries([module]):
                if self._imports_celery_app(module, celery_roots):
                    add(module, "celery-worker")  # `celery -A module worker` looks the app up here
                else:
                    add(module, "entry-script" if module in factory_callers else "command-line")
        changed = True
        while changed:  # modules (and plain packages) only the shell imports are the shell's configuration
            changed = False
            for key in sorted(units.units):
                unit = units.units[key]
                if unit.kind not in ("module", "package") or all(m in roles for m in unit.modules):
                    continue
                if facts.has_entries(unit.modules) or facts.table_count(unit.modules):
                    continue
                importers = {
                    i
                    for m in unit.modules
                    for i in facts.import_graph.predecessors(m)
                    if i in facts.module_set and not within(i, key) and i not in facts.tests
                }
                if importers and importers <= set(roles):
                    for module in unit.modules:
                        add(module, "shell-import")
                    changed = True
        self.shell = set(roles)
        self.shell_roles = roles

    def _imports_celery_app(self, module: str, celery_roots: set[str]) -> bool:
        """The module imports the Celery app from the module that creates it (a worker's bootstrap)."""
        for fact in self.facts.files[module].imports:
            source = fact.module
            if any(within(source, root) for root in celery_roots) and (
                "celery" in (fact.name or "") or "celery" in last(source)
            ):
                return True
        return False

    def _factory_callers(self) -> list[str]:
        """Modules (not tests) calling an app factory: entry scripts (`wsgi.py`, a worker's bootstrap)."""
        callers = {c for f in self.facts.factories for c in self.ties.called.get(f, ())}
        return sorted(callers - self.facts.tests)

    def _users(self, key: str, candidates: set[str]) -> set[str]:
        """Units (outside the shell and `candidates`) whose modules import, call or receive from unit `key`."""
        unit_of = self.units.unit_of
        modules = set(self.units.units[key].modules) - self.shell
        users: set[str] = set()
        for (source, target), tie in self.ties.directed.items():
            if (
                target in modules
                and source not in modules
                and source not in self.shell
                and tie.kinds & {"import", "call"}
            ):
                users.add(unit_of[source])
            if target in modules and "signal" in tie.kinds and source not in modules and source not in self.shell:
                users.add(unit_of[source])  # a receiver of a signal defined here depends on it
        return users - candidates - {key, TESTS_UNIT}

    def _find_kernel(self, business_units: list[str]) -> None:
        facts = self.facts
        libraries = {
            k
            for k in business_units
            if not facts.has_entries(self.units.units[k].modules)
            and not facts.table_count(self.units.units[k].modules)
            and self.units.units[k].kind != "blueprint"
        }
        self.kernel_users: dict[str, set[str]] = {}
        for key in sorted(libraries):
            users = self._users(key, libraries)
            named = last(key) in KERNEL_PACKAGE_NAMES and self.units.units[key].kind != "module"
            if len(users) >= KERNEL_MIN_CONTEXTS or (named and len(users) >= KERNEL_NAMED_MIN_CONTEXTS):
                self.kernel.update(m for m in self.units.units[key].modules if m not in self.shell)
                self.kernel_users[key] = users
        self.libraries = libraries - set(self.kernel_users)

    def _new_group(
        self, anchor: str, kind: ContextKind, seed: str, modules: Iterable[str], evidence: list[Location]
    ) -> None:
        group = Group(anchor=anchor, kind=kind, seed=seed, modules=set(modules), evidence=list(evidence))
        self.groups[anchor] = group
        for module in group.modules:
            self.context_of[module] = anchor

    def _move(self, modules: Iterable[str], anchor: str) -> None:
        group = self.groups[anchor]
        for module in sorted(modules):
            old = self.context_of.get(module)
            if old is not None and old != anchor:
                self.groups[old].modules.discard(module)
                if not self.groups[old].modules:
                    del self.groups[old]
            group.modules.add(module)
            self.context_of[module] = anchor

    def _tie_to_groups(self, modules: set[str], *, inbound_only: bool = False) -> dict[str, float]:
        """Weight between `modules` and each business group (kernel counted under '<shared-kernel>')."""
        weights: defaultdict[str, float] = defaultdict(float)
        for module in sorted(modules):
            for neighbour, data in self.ties.graph[module].items():
                if neighbour in modules:
                    continue
                if neighbour in self.kernel:
                    target = "<shared-kernel>"
                elif neighbour in self.context_of and self.groups[self.context_of[neighbour]].kind == "business":
                    target = self.context_of[neighbour]
                else:
                    continue
                if inbound_only:
                    tie = self.ties.directed.get((neighbour, module))
                    weight = tie.weight if tie is not None and tie.kinds & {"import", "call"} else 0.0
                else:
                    weight = data["weight"]
                weights[target] += weight
        return dict(weights)

    @staticmethod
    def _strongest(weights: Mapping[str, float]) -> str | None:
        best = sorted(((-w, k) for k, w in weights.items() if w > 0))
        return best[0][1] if best else None

    def _attach_libraries(self, business_units: list[str]) -> None:
        """Seeds and strays without entry points and not shared widely: into the context that uses them most."""
        for key in sorted(self.libraries, key=lambda k: (len(self.units.units[k].modules), k)):
            unit = self.units.units[key]
            if unit.kind in ("django-app", "blueprint"):
                continue  # an author's seed: only the one-table rule may merge it
            if self._is_domain_package(unit):
                continue  # a top-level domain package is a context of its own, entry points or not
            if key in self.groups:
                modules = set(self.groups[key].modules)  # with what it absorbed already
            else:
                modules = {m for m in unit.modules if m not in self.shell and m not in self.kernel}
            if not modules:
                continue
            weights = self._tie_to_groups(modules)
            target = self._strongest(weights)
            if target is None or target == "<shared-kernel>":
                # used by no context (a script, a tool) or only by the kernel: goes with it
                (self.shell if target is None else self.kernel).update(modules)
                for module in modules:
                    self._drop(module)
                continue
            if key not in self.groups:
                self._new_group(key, "business", unit.kind, modules, unit.evidence)
            self._move(modules, target)
            self.groups[target].notes.append(f"`{key}` (a library it uses most)")

    def _is_domain_package(self, unit: Unit) -> bool:
        """A package seed the authors made for a domain: not named like a library, more than a small seed."""
        return (
            unit.kind == "package"
            and last(unit.key) not in KERNEL_PACKAGE_NAMES
            and len([m for m in unit.modules if m not in self.shell]) > SMALL_SEED_MODULES
        )

    def _drop(self, module: str) -> None:
        old = self.context_of.pop(module, None)
        if old is not None:
            self.groups[old].modules.discard(module)
            if not self.groups[old].modules:
                del self.groups[old]

    def _attach_strays(self, business_units: list[str]) -> None:
        """Stray modules with entry points: into their strongest context if it calls into them, else their own."""
        strays = [
            k
            for k in business_units
            if self.units.units[k].kind == "module"
            and k not in self.shell
            and k not in self.kernel
            and k not in self.context_of
        ]
        own: list[str] = []
        for key in strays:
            modules = {key}
            weights = self._tie_to_groups(modules)
            weights.pop("<shared-kernel>", None)
            target = self._strongest(weights)
            total = sum(weights.values())
            has_entries = self.facts.has_entries(modules)
            if target is not None and has_entries:
                inbound = self._tie_to_groups(modules, inbound_only=True).get(target, 0.0)
                if inbound <= 0 or weights[target] < STRAY_ATTACH_SHARE * total:
                    target = None
            if target is None:
                own.append(key)
                continue
            self._move(modules, target)
            self.groups[target].notes.append(f"`{key}` (tied by weight {weights[target]:g})")
        for key in own:
            self._new_group(key, "business", "module", [key], [])

    def _merge_small(self) -> None:
        """The seed's "no one-table services": small seeds merge into the neighbour they are most tied to."""
        coarse = self.settings.granularity == "coarse"
        pinned = set(self._pinned())
        for anchor in sorted(self.groups, key=lambda a: (len(self.groups[a].modules), a)):
            group = self.groups.get(anchor)
            if group is None or group.kind != "business" or group.modules & pinned:
                continue
            modules = group.modules
            small = len(modules) <= SMALL_SEED_MODULES and self.facts.table_count(modules) <= ONE_TABLE
            if not small or (not coarse and self.facts.has_entries(modules)):
                if not coarse or len(modules) > SMALL_SEED_MODULES + 1:
                    continue
                weights = self._tie_to_groups(modules)
                weights.pop("<shared-kernel>", None)
                target = self._strongest(weights)
                internal = self._internal_weight(modules)
                if target is None or weights[target] <= internal:
                    continue
            weights = self._tie_to_groups(modules)
            weights.pop("<shared-kernel>", None)
            target = self._strongest(weights)
            if target is None:
                continue
            reason = "one-table seed" if small else "small seed more tied to it than to itself"
            self.groups[target].notes.append(f"`{group.anchor}` ({reason}, merged)")
            self.groups[target].evidence += group.evidence
            self._move(set(modules), target)

    def _internal_weight(self, modules: set[str]) -> float:
        graph = self.ties.graph
        return float(sum(d["weight"] for a, b, d in graph.subgraph(sorted(modules)).edges(data=True)))

    def _split_large(self) -> None:
        """granularity "fine": Louvain communities of a large context become contexts of their own."""
        pinned = set(self._pinned())
        for anchor in sorted(self.groups):
            group = self.groups[anchor]
            if group.kind != "business" or len(group.modules) < FINE_MIN_MODULES:
                continue
            parts = communities(self.ties.graph, sorted(group.modules - pinned), self.settings.seed)
            if len(parts) < 2:
                continue
            for index, (community, hub) in enumerate(parts[1:], start=2):
                new_anchor = f"{anchor}#{index}"
                self._new_group(new_anchor, "business", "community", [], [])
                self.groups[new_anchor].notes.append(f"split from `{anchor}` around `{hub}`")
                self.groups[new_anchor].name = f"{last(anchor)}.{last(hub)}"
                self._move(community, new_anchor)

    def _pinned(self) -> dict[str, str]:
        """Module → pinned context name; the most specific pattern wins, then the first pin."""
        chosen: dict[str, tuple[int, int, str]] = {}
        for order, (name, patterns) in enumerate(self.settings.pins):
            for pattern in patterns:
                for module in self.facts.modules:
                    if not matches_pattern(module, pattern):
                        continue
                    rank = (-len(pattern.rstrip("*.")), order, name)
                    if module not in chosen or rank < chosen[module]:
                        chosen[module] = rank
        return {module: rank[2] for module, rank in chosen.items()}

    def _apply_pins(self) -> None:
        pinned = self._pinned()
        if not pinned:
            return
        name_groups(self.groups, self.units, self.facts)
        by_name = {g.name: a for a, g in self.groups.items()}
        for module, name in sorted(pinned.items()):
            anchor = by_name.get(name)
            if anchor is None:
                anchor = f"<pinned:{name}>"
                self._new_group(anchor, "business", "pinned", [], [])
                self.groups[anchor].name = name
                by_name[name] = anchor
            self._move([module], anchor)
            if module in self.kernel and self.groups[anchor].kind != "shared-kernel":
                self.kernel.discard(module)
            if module in self.shell and self.groups[anchor].kind != "app-shell":
                self.shell.discard(module)
        for group in self.groups.values():
            moved_in = sorted(m for m in group.modules if pinned.get(m) == group.name)
            if moved_in and group.seed != "pinned":
                group.notes.append(f"pinned: {', '.join(f'`{m}`' for m in moved_in)}")


def matches_pattern(module: str, pattern: str) -> bool:
    """A pin pattern: a dotted module name, `pkg.*` (the package and below) or a glob."""
    if pattern.endswith(".*"):
        return within(module, pattern[:-2])
    if any(c in pattern for c in "*?["):
        return fnmatch.fnmatchcase(module, pattern)
    return module == pattern
