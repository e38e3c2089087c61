"""Data access: Django's `request.user` is loaded where the project's own code first uses it.

Django's authentication middleware sets `request.user` to a lazy object: the user row is read from the user
model's table the first time something uses it. In a plain Django view (not DRF, whose authentication
reads it before the handler, and not one a framework guard such as `login_required` checks first), that
first use is the project's own code: a permission mixin's `dispatch` (`self.request.user.has_perms(...)`),
a queryset restricted to `request.user`, a template context built from it. So a route of such a view whose
code (anything it reaches) uses `request.user` or `self.request.user` reads the user model's table.

The recognizer marks the reads of every function using it with `MARK`; the entry points then turn the mark
into the user model (a plain Django route with no framework guard) or drop it (DRF, guarded routes, jobs,
receivers run outside a request).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from migrate_scan.model.facts import Expr, ExprKind, FileFacts
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.report import Route
from migrate_scan.stages.recognize.expressions import scope_of

MARK = "!request.user"
"""Among a function's reads: it uses `request.user` (no model: turned into the user model or dropped)."""
PLAIN_DJANGO = "django"
"""The route framework of plain Django views (DRF's are `django-rest-framework`)."""


def request_user_scopes(
    modules: Iterable[FileFacts], attributes: Callable[[FileFacts], frozenset[str]] | None = None
) -> frozenset[str]:
    """The functions whose code uses `request.user` or `self.request.user` (read, called, passed, tested);
    `attributes`: the attribute names a module uses (a module using no `.user` is skipped)."""
    found: set[str] = set()
    for facts in modules:
        if attributes is not None and "user" not in attributes(facts):
            continue
        expressions: list[tuple[str, Expr]] = [(c.scope, c.call) for c in facts.calls]
        expressions += [(r.scope, r.value) for r in facts.returns]
        expressions += [(b.scope, b.test) for b in facts.branches]
        expressions += [(a.scope, a.value) for a in facts.assignments if a.value is not None]
        for qualname, expr in expressions:
            if not qualname:
                continue
            scope = scope_of(facts.module, qualname)
            if scope not in found and _uses_request_user(expr):
                found.add(scope)
    return frozenset(found)


def _uses_request_user(expr: Expr) -> bool:
    """Whether an expression holds `request.user` or `self.request.user` (setting attributes aside)."""
    pending = [expr]
    while pending:
        node = pending.pop()
        kind, value, children, keywords = node
        if kind == ExprKind.ATTRIBUTE and value == "user":
            owner = children[0]
            if owner[:2] == (ExprKind.NAME, "request"):
                return True
            if owner[0] == ExprKind.ATTRIBUTE and owner[1] == "request" and owner[2][0][:2] == (ExprKind.NAME, "self"):
                return True
        pending.extend(children)
        pending.extend(v for _, v in keywords)
    return False


GUARDS = ("django.contrib.auth.decorators", "django.contrib.admin.views.decorators")
"""The modules of Django's own guard decorators (`login_required`, `staff_member_required`): they use
`request.user` before the view does (the framework's read)."""
GUARD_MIXINS = frozenset(
    {
        "django.contrib.auth.mixins.LoginRequiredMixin",
        "django.contrib.auth.mixins.PermissionRequiredMixin",
        "django.contrib.auth.mixins.UserPassesTestMixin",
    }
)
"""Django's mixins checking the user in `dispatch` (`AccessMixin`, their base, checks nothing itself)."""


class UserLoads:
    """Which routes load the user in their own code (memoised per decorated symbol)."""

    def __init__(self, graphs: LinkedGraphs) -> None:
        self.graphs = graphs
        self._guarded: dict[str, bool] = {}

    def loads_user(self, route: Route) -> bool:
        """Whether the first use of `request.user` in a route's own code loads the user: a plain Django view
        that no framework guard (`login_required`, a login mixin, `method_decorator(login_required)`) checks
        before."""
        if route.framework != PLAIN_DJANGO:
            return False
        definitions = self.graphs.definitions
        symbols = [route.handler]
        if route.view is not None and route.view in definitions:
            lineage = (route.view, *self.graphs.resolver.ancestors(route.view))
            if not GUARD_MIXINS.isdisjoint(lineage):
                return False
            symbols += [a for a in lineage if a in definitions]
            symbols += [f"{a}.dispatch" for a in lineage if f"{a}.dispatch" in definitions]
        return not any(self._guarded_symbol(s) for s in symbols)

    def _guarded_symbol(self, symbol: str) -> bool:
        """Whether a function or class carries a decorator that is (or applies) one of Django's guards."""
        known = self._guarded.get(symbol)
        if known is None:
            known = self._guarded[symbol] = self._decorated(symbol)
        return known

    def _decorated(self, symbol: str) -> bool:
        definition = self.graphs.definitions.get(symbol)
        if definition is None:
            return False
        scope = scope_of(definition.module, definition.fact.scope)
        for decorator in definition.fact.decorators:
            for node in (decorator, *decorator[2]):  # `@method_decorator(login_required)`: its argument too
                if any(v.startswith("ext:") and _is_guard(v[4:]) for v in self.graphs.resolver.values(scope, node)):
                    return True
        return False


def _is_guard(name: str) -> bool:
    """`django.contrib.auth.decorators:login_required` (a name in one of the guards' modules)."""
    return name.replace(":", ".").rpartition(".")[0] in GUARDS


def resolved(reads: list[str], users: set[str], loaded: bool) -> list[str]:
    """An entry point's reads with the mark turned into the user models (`loaded`) or dropped."""
    if MARK not in reads:
        return reads
    kept = {r for r in reads if r != MARK}
    if loaded:
        kept |= users
    return sorted(kept)
