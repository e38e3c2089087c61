"""What a class-based view runs around every request it serves: its `dispatch`, `setup` and `initial`.

Django's `View.as_view()` calls `setup` then `dispatch`, which calls the method handler; DRF's `dispatch`
calls `initial` (permission and throttle checks) before it. A view class of the tree that overrides one of
them, or inherits a mixin of ours that does (`ObjectPermissionRequiredMixin.dispatch` checking
`user.has_perms(...)`), runs that code for every route of the class: what it reads is the route's.
"""

from __future__ import annotations

from migrate_scan.model.graphs import LinkedGraphs

REQUEST_HOOKS = ("setup", "dispatch", "initial")
"""The methods a framework's view machinery calls on the view instance for every request."""


class RequestHooks:
    """The request hooks of ours each routed view class runs (memoised)."""

    def __init__(self, graphs: LinkedGraphs) -> None:
        self.graphs = graphs
        self._found: dict[str, tuple[str, ...]] = {}

    def of(self, view: str | None) -> tuple[str, ...]:
        """The methods of ours the view class `view` has for the request hooks (none for anything else)."""
        if view is None or view not in self.graphs.definitions:
            return ()
        known = self._found.get(view)
        if known is None:
            found = {
                value[4:]
                for hook in REQUEST_HOOKS
                for value in self.graphs.resolver.class_attribute(view, hook)
                if value.startswith(("bnd:", "def:")) and value[4:] in self.graphs.definitions
            }
            known = self._found[view] = tuple(sorted(found))
        return known
