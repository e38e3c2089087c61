"""The recognizer registry: who produces what, who needs what, and the order they run in.

Each recognizer declares its name, the products it requires, the products it
produces (adds entries to) or refines (rewrites, such as giving server-sent
event handlers the paths of the routes that serve them), and the heuristics
(kind, role) pairs its code handles. The runner orders recognizers so that
every product is complete before anyone reads it: all producers of a product
run before its refiners and before the recognizers that require it; a refiner
registered earlier runs before a refiner or reader registered later (so the
registration order decides between a refiner and a reader of the same
product, and a cycle cannot arise from refinement alone). A
recognizer sees only the products it declared as required; it cannot read
one it did not ask for.

Lifecycle: the package builds one `Registry` at import time from the
recognizer modules' `RECOGNIZER` declarations; `Registry.run` is called once
per scan and publishes every product once, in one `Recognition`.
"""

from __future__ import annotations

import functools
import graphlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.model.faults import isolated
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.inventory import Recognition


class Product(StrEnum):
    """A list of `Recognition` that recognizers publish and others read."""

    ROUTES = "routes"
    VIEW_MOUNTS = "mounts"
    JOBS = "jobs"
    MODELS = "models"
    REALTIME = "realtime"
    EVENTS = "events"
    SIGNALS = "signals"
    BLOCKERS = "blockers"
    MODEL_ACCESS = "model_access"
    UNRESOLVED = "unresolved"
    LIMITS = "limits"
    PIPELINES = "pipelines"
    APPLICATIONS = "applications"


RecognizerRun = Callable[[LinkedGraphs, Heuristics, Recognition], Recognition]


@dataclass(frozen=True)
class Recognizer:
    """One recognizer and its contract with the others.

    Attributes:
        name: a stable name, used in ordering ties and in error reports.
        run: `(graphs, heuristics, required products) -> its findings`. For a
            produced product, the entries it adds; for a refined product, the
            whole new list. Any recognizer may add unresolved registrations and
            the caps it reached (`limits`).
        produces: products it adds entries to.
        requires: products it reads (complete when it runs).
        refines: products it rewrites as a whole.
        handles: the heuristics roles its code acts on, per rule kind (`""`
            for rules of a kind that has no roles).
    """

    name: str
    run: RecognizerRun
    produces: frozenset[Product] = frozenset()
    requires: frozenset[Product] = frozenset()
    refines: frozenset[Product] = frozenset()
    handles: Mapping[str, frozenset[str]] = field(default_factory=dict)


def producer(recognize: Callable[[LinkedGraphs, Heuristics], Recognition]) -> RecognizerRun:
    """A recognizer that reads no other recognizer's products, as the registry calls it."""

    @functools.wraps(recognize)
    def run(graphs: LinkedGraphs, heuristics: Heuristics, _published: Recognition) -> Recognition:
        return recognize(graphs, heuristics)

    return run


class RegistryError(Exception):
    """The declared recognizers cannot be ordered (a product nobody produces, a cycle)."""


@dataclass(frozen=True)
class Registry:
    """Recognizers in the order the runner calls them."""

    ordered: tuple[Recognizer, ...]

    @classmethod
    def of(cls, recognizers: Iterable[Recognizer]) -> Registry:
        """Order recognizers by what they produce, refine and require.

        Raises:
            RegistryError: a required product no recognizer produces, a duplicate name, or a cycle.
        """
        recognizers = tuple(recognizers)
        names = [r.name for r in recognizers]
        if len(set(names)) != len(names):
            raise RegistryError(f"duplicate recognizer names: {sorted(n for n in names if names.count(n) > 1)}")
        producers = _by_product(recognizers, lambda r: r.produces)
        refiners = _by_product(recognizers, lambda r: r.refines)
        sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
        for recognizer in recognizers:
            earlier = set(names[: names.index(recognizer.name)])
            before: set[str] = set()
            for product in recognizer.refines:
                before |= producers.get(product, set()) | (refiners.get(product, set()) & earlier)
            for product in recognizer.requires:
                if product not in producers:
                    raise RegistryError(f"{recognizer.name} requires {product}, which no recognizer produces")
                before |= producers[product] | (refiners.get(product, set()) & earlier)
            before.discard(recognizer.name)
            sorter.add(recognizer.name, *sorted(before))
        by_name = {r.name: r for r in recognizers}
        try:
            sorter.prepare()
        except graphlib.CycleError as cycle:
            raise RegistryError(f"recognizers depend on each other in a cycle: {cycle.args[1]}") from None
        ordered: list[Recognizer] = []
        while sorter.is_active():
            ready = sorted(sorter.get_ready(), key=names.index)
            ordered += [by_name[name] for name in ready]
            sorter.done(*ready)
        return cls(tuple(ordered))

    def run(self, graphs: LinkedGraphs, heuristics: Heuristics) -> Recognition:
        """Run every recognizer once, in order, and return all published products."""
        published = Recognition()
        for recognizer in self.ordered:
            with isolated("recognize", f"recognizer {recognizer.name}"):  # a failure costs its own findings
                found = recognizer.run(graphs, heuristics, _view(published, recognizer.requires, recognizer.refines))
                publish(published, recognizer, found)
        return published

    def handled_roles(self) -> dict[str, frozenset[str]]:
        """Every (kind → roles) some recognizer's code handles."""
        roles: dict[str, set[str]] = {}
        for recognizer in self.ordered:
            for kind, names in recognizer.handles.items():
                roles.setdefault(kind, set()).update(names)
        return {kind: frozenset(names) for kind, names in sorted(roles.items())}


def publish(published: Recognition, recognizer: Recognizer, found: Recognition) -> None:
    """Add a recognizer's findings to the published products, as its declaration allows."""
    for product in Product:
        entries = getattr(found, product.value)
        if product in recognizer.refines:
            setattr(published, product.value, list(entries))
        elif entries and (product in recognizer.produces or product in (Product.UNRESOLVED, Product.LIMITS)):
            getattr(published, product.value).extend(entries)
        elif entries:
            raise RegistryError(f"{recognizer.name} returned {product} without declaring it")


def _view(published: Recognition, requires: frozenset[Product], refines: frozenset[Product]) -> Recognition:
    """The published products a recognizer declared it reads or rewrites; the others empty."""
    view = Recognition()
    for product in requires | refines:
        setattr(view, product.value, list(getattr(published, product.value)))
    return view


def _by_product(
    recognizers: tuple[Recognizer, ...], chosen: Callable[[Recognizer], frozenset[Product]]
) -> dict[Product, set[str]]:
    by_product: dict[Product, set[str]] = {}
    for recognizer in recognizers:
        for product in chosen(recognizer):
            by_product.setdefault(product, set()).add(recognizer.name)
    return by_product
