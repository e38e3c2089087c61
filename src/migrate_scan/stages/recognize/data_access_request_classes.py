"""Data access: the classes a view's attributes name that run for every request it serves (DRF permission classes).

DRF's `APIView.initial` calls `has_permission` of each class `permission_classes` names, for every request;
`get_object()` calls `has_object_permission` of each (a route with a path parameter gets one object). A view
that sets no `permission_classes` (nor any base of ours) takes the settings' default
(`REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["app.permissions.IsMember"]}`). Where such a class is the
project's own, its methods run the project's code inside the request (fetching the parent object named in the
body, membership lookups): what they read is the route's. A framework's own class (`IsAuthenticated`) adds
nothing here.

Which attributes, methods and settings is the `request-class-attribute` knowledge of the heuristics: `hooks`
maps the attribute to the methods run for every request, `<attribute>:object` to those run for a request on
one object, `<attribute>:default` to the settings (`DICT.KEY`) giving the classes of a view that sets none;
`names` are the modules whose view classes take that default (a view class of ours with a base from one).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from migrate_scan.model.facts import Expr, ExprKind
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.stages.recognize.expressions import scope_of, string_of

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess

OBJECT, DEFAULT = ":object", ":default"
"""Suffixes of the hooks' keys: the methods run on one object; the settings giving a default."""
_SEQUENCES = (ExprKind.LIST, ExprKind.TUPLE, ExprKind.SET)


class RequestClasses:
    """The methods of ours that the classes a routed view's attributes name run per request (memoised)."""

    def __init__(self, access: DataAccess) -> None:
        self.access = access
        self.graphs = access.graphs
        known = access.known
        self.hooks = {a: m for a, m in known.request_class_hooks.items() if not a.endswith((OBJECT, DEFAULT))}
        self.object_hooks = {
            a.removesuffix(OBJECT): m for a, m in known.request_class_hooks.items() if a.endswith(OBJECT)
        }
        self.settings = {
            a.removesuffix(DEFAULT): m for a, m in known.request_class_hooks.items() if a.endswith(DEFAULT)
        }
        self.view_modules = tuple(known.request_class_views)
        self._defaults: dict[str, tuple[str, ...]] | None = None
        self._found: dict[tuple[str, bool], tuple[str, ...]] = {}

    def of(self, view: str | None, on_object: bool) -> tuple[str, ...]:
        """The methods of ours run for a request to the view class `view` (`on_object`: a route with a path
        parameter, which gets one object)."""
        if not self.hooks or view is None:
            return ()
        definition = self.graphs.definitions.get(view)
        if definition is None or definition.fact.kind != "class":
            return ()
        key = (view, on_object)
        known = self._found.get(key)
        if known is None:
            found: set[str] = set()
            for attribute, methods in self.hooks.items():
                names = (*methods, *(self.object_hooks.get(attribute, ()) if on_object else ()))
                for named in self._classes(view, attribute):
                    for name in names:
                        found.update(
                            v[4:]
                            for v in self.graphs.resolver.class_attribute(named, name)
                            if v.startswith(("bnd:", "def:")) and v[4:] in self.graphs.definitions
                        )
            known = self._found[key] = tuple(sorted(found))
        return known

    def _classes(self, view: str, attribute: str) -> tuple[str, ...]:
        """The classes of ours the attribute names: set on the view or its nearest base of ours, else the
        settings' default for a view of the framework."""
        resolver = self.graphs.resolver
        ancestors = resolver.ancestors(view)
        for owner in (view, *(a for a in ancestors if a in self.graphs.definitions)):
            assignment = self.access.class_assignment(owner, (attribute,))
            if assignment is None or assignment.value is None:
                continue
            definition = self.graphs.definitions[owner]
            scope = scope_of(definition.module, definition.fact.scope)
            return tuple(
                sorted(
                    {
                        v[4:]
                        for item in _items(assignment.value)
                        for v in resolver.values(scope, item)
                        if v.startswith("cls:") and v[4:] in self.graphs.definitions
                    }
                )
            )
        if not any(a.startswith(self.view_modules) for a in ancestors if a not in self.graphs.definitions):
            return ()
        return self._default(attribute)

    def _default(self, attribute: str) -> tuple[str, ...]:
        """The classes of ours the settings name for an attribute (the first assignment of the setting)."""
        if self._defaults is None:
            self._defaults = {a: _setting_classes(self.graphs, paths) for a, paths in self.settings.items()}
        return self._defaults.get(attribute, ())


def _items(value: Expr) -> Iterator[Expr]:
    """The classes a permission list names: its elements, and both sides of a composition (`A | B`, `A & B`)."""
    if value[0] in _SEQUENCES:
        for element in value[2]:
            yield from _items(element)
    elif value[0] == ExprKind.BINARY:
        for operand in value[2]:
            yield from _items(operand)
    else:
        yield value


def _setting_classes(graphs: LinkedGraphs, paths: tuple[str, ...]) -> tuple[str, ...]:
    """The classes of ours the settings' `DICT = {"KEY": ["app.module.Class", ...]}` name, for each `DICT.KEY`."""
    found: set[str] = set()
    wanted: Mapping[str, set[str]] = _by_setting(paths)
    for facts in graphs.modules.values():
        seen: set[str] = set()
        for assignment in sorted(facts.assignments, key=lambda a: a.line):
            value = assignment.value
            if assignment.scope or value is None or value[0] != ExprKind.DICT or len(assignment.targets) != 1:
                continue
            target = assignment.targets[0]
            name = str(target[1]) if target[0] == ExprKind.NAME else ""
            if name not in wanted or name in seen:
                continue
            seen.add(name)  # the first assignment: a later one is usually an override under a condition
            for index in range(0, len(value[2]) - 1, 2):
                if string_of(value[2][index]) not in wanted[name]:
                    continue
                for item in _items(value[2][index + 1]):
                    dotted = string_of(item) or ""
                    module, _, cls = dotted.rpartition(".")
                    definition = graphs.definitions.get(f"{module}:{cls}")
                    if definition is not None and definition.fact.kind == "class":
                        found.add(f"{module}:{cls}")
    return tuple(sorted(found))


def _by_setting(paths: tuple[str, ...]) -> dict[str, set[str]]:
    """`("REST_FRAMEWORK.DEFAULT_PERMISSION_CLASSES",)` → `{"REST_FRAMEWORK": {"DEFAULT_PERMISSION_CLASSES"}}`."""
    found: dict[str, set[str]] = {}
    for path in paths:
        setting, _, key = path.partition(".")
        found.setdefault(setting, set()).add(key)
    return found
