"""Request-scoped objects the app's own code sets: what `g.org`, `current_org`, `session.user` and
`request.profile` are instances of.

A view often reads the row of the request's organization, project or user through an object no
query names:

- Flask's `g`: `g.org = Organization.get_by_slug(slug)` in a `before_request` hook or a loader, then
  `g.org.name` in a view;
- a module-level `werkzeug.local.LocalProxy(fn)` (`current_org = LocalProxy(_get_current_org)`): an
  instance of what `fn` returns (`current_org._get_current_object()` too). A use is not taken to run
  `fn`: such loaders keep the row for the request (`if "org" in g: return g.org`) and are first run by
  the request machinery (a user loader, a `before_request` hook), not by the view;
- Flask's `session` when the app installs its own session interface (`session_interface =
  MySessionInterface()`, whose `session_class = MySession`): `session.user` runs the property
  getter of `MySession` and is what it returns;
- Django's `request.<name>` set by the app's own middleware, decorator or mixin
  (`request.profile = Profile.objects.for_user(request.user)`), read by views;
- a property of the view class itself (`self.current_org`, a getter returning `current_org`).

Each takes the models of what the app's code assigns to it or returns from its function; reading
its attributes, calling its methods or setting its fields in a view counts as if the view held
that row. Reading a property of the session or of the view reaches its getter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from migrate_scan.model.facts import Expr, ExprKind, FileFacts
from migrate_scan.stages.recognize.data_access_properties import PROPERTY_DECORATORS, expressions_of, last_name
from migrate_scan.stages.recognize.data_access_tuples import IF_EXPRESSION
from migrate_scan.stages.recognize.expressions import scope_of, subexpressions

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess

UNWRAP = "_get_current_object"
"""werkzeug's `proxy._get_current_object()`: the object the proxy stands for."""
SESSION_INTERFACE = "session_interface"
"""Flask's attribute (of the app or its class) holding the session interface the app installs."""
SESSION_CLASS = "session_class"
"""The session interface's attribute naming the class of the sessions it opens."""
OPEN_SESSION = "open_session"
"""The session interface's method returning the request's session."""
REQUEST_NAMES = ("request",)
"""Names a view's request goes by (`request.profile`, `self.request.profile`)."""
MAX_DEPTH = 3
"""Returned values followed through at most this many locals or functions."""


class RequestScope:
    """What the app's request-scoped objects are (built once; see the module's docstring)."""

    def __init__(self, access: DataAccess) -> None:
        self.access = access
        known = access.known
        self.namespaces = known.request_namespaces  # `ext:flask:g`
        self.sessions = known.session_proxies  # `ext:flask:session`
        self.proxy_classes = known.local_proxies  # `ext:werkzeug.local:LocalProxy`
        self.namespace: dict[str, set[str]] = defaultdict(set)  # `g.<name>` → models
        self.request: dict[str, set[str]] = defaultdict(set)  # `request.<name>` → models
        self.proxies: dict[str, set[str]] = {}  # binding site of a proxy → the functions it runs
        self.proxy_names: set[str] = set()
        self.session_getters: dict[str, set[str]] = defaultdict(set)  # property of the app's session → getters
        self.session_methods: dict[str, set[str]] = defaultdict(set)  # method of the app's session → its methods
        self.getters: set[str] = set()  # every property getter of ours
        self.getter_names: set[str] = set()
        self._returned: dict[str, set[str]] = {}

    def build(self) -> None:
        """Find what the app sets (once the models, relations and the logged-in user are known)."""
        self.getters = _property_getters(self.access)
        self.getter_names = {symbol.rpartition(".")[2] for symbol in self.getters}
        self._proxies()
        self._session_classes()
        for facts in self.access.graphs.modules.values():
            self._assignments(facts)

    # -- what is set -----------------------------------------------------------------------------

    def _proxies(self) -> None:
        """`current_org = LocalProxy(_get_current_org)` at a module's top level."""
        if not self.proxy_classes:
            return
        resolver = self.access.graphs.resolver
        for facts in self.access.graphs.modules.values():
            for assignment in facts.assignments:
                value = assignment.value
                if assignment.scope or value is None or value[0] != ExprKind.CALL or len(value[2]) < 2:
                    continue
                if not self.proxy_classes.intersection(resolver.values(facts.module, value[2][0])):
                    continue
                functions = {
                    v[4:]
                    for v in resolver.values(facts.module, value[2][1])
                    if v.startswith("def:") and v[4:] in self.access.graphs.definitions
                }
                for target in assignment.targets:
                    if target[0] == ExprKind.NAME and functions:
                        self.proxies[f"{facts.module}|{target[1]!s}"] = functions
                        self.proxy_names.add(str(target[1]))

    def _session_classes(self) -> None:
        """`session_interface = MySessionInterface()` (on the app's class or the app): the property getters
        of its `session_class` (or of what its `open_session` returns)."""
        if not self.sessions:
            return
        graphs = self.access.graphs
        resolver = graphs.resolver
        classes: set[str] = set()
        for facts in graphs.modules.values():
            for assignment in facts.assignments:
                if assignment.value is None or not any(
                    t[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE) and t[1] == SESSION_INTERFACE
                    for t in assignment.targets
                ):
                    continue
                scope = scope_of(facts.module, assignment.scope)
                for value in resolver.values(scope, assignment.value):
                    if value.startswith("obj:"):
                        classes |= self._opened(value[4:])
        for session_class in sorted(classes):
            for getter in self.getters:
                owner, _, name = getter.rpartition(".")
                if owner == session_class or owner in resolver.ancestors(session_class):
                    self.session_getters[name].add(getter)
        for session_class in sorted(classes):  # `session.get_session_user()`: a method of the session class
            for owner in (session_class, *resolver.ancestors(session_class)):
                for method in self.access.class_methods(owner):
                    name = method.rpartition(".")[2]
                    if method not in self.getters and name not in self.session_getters and not name.startswith("__"):
                        found = resolver.class_attribute(session_class, name)
                        self.session_methods[name] |= {v[4:] for v in found if v.startswith(("bnd:", "def:"))}

    def _opened(self, interface: str) -> set[str]:
        """The session classes a session interface of ours opens."""
        resolver = self.access.graphs.resolver
        found = {v[4:] for v in resolver.class_attribute(interface, SESSION_CLASS) if v.startswith("cls:")}
        for value in resolver.class_attribute(interface, OPEN_SESSION):
            if value.startswith(("bnd:", "def:")) and value[4:] in self.access.graphs.definitions:
                found |= {v[4:] for v in self._return_values(value[4:]) if v.startswith("obj:")}
        return found

    def _return_values(self, function: str) -> set[str]:
        definition = self.access.graphs.definitions[function]
        facts = self.access.graphs.modules.get(definition.module)
        if facts is None:
            return set()
        qualname = definition.fact.qualname
        return {
            v
            for r in facts.returns
            if r.scope == qualname and not r.is_yield
            for v in self.access.graphs.resolver.values(function, r.value)
        }

    def _assignments(self, facts: FileFacts) -> None:
        """`g.org = ...` (Flask's `g`) and `request.profile = ...` in a function of ours."""
        resolver = self.access.graphs.resolver
        for assignment in facts.assignments:
            if not assignment.scope or assignment.value is None or assignment.operator == "iter":
                continue
            for target in assignment.targets:
                if target[0] != ExprKind.ATTRIBUTE:
                    continue
                owner, name = target[2][0], str(target[1])
                scope = scope_of(facts.module, assignment.scope)
                if _is_request(owner):
                    table = self.request
                elif owner[0] == ExprKind.NAME and self.namespaces.intersection(resolver.values(scope, owner)):
                    table = self.namespace
                else:
                    continue
                models = self._value_models(scope, facts, assignment.value, 0)
                if models:
                    table[name] |= models

    def _value_models(self, scope: str, facts: FileFacts, value: Expr, depth: int) -> set[str]:
        """The models of the rows an assigned or returned expression gives (a local: what it was bound to)."""
        access = self.access
        if value[0] == ExprKind.OTHER and value[1] == IF_EXPRESSION and len(value[2]) == 3:  # `a if test else b`
            body, orelse = value[2][1], value[2][2]
            return self._value_models(scope, facts, body, depth) | self._value_models(scope, facts, orelse, depth)
        if value[0] == ExprKind.NAME and depth < MAX_DEPTH:
            qualname = scope.partition(":")[2]
            found: set[str] = set()
            for assignment in facts.assignments:
                if assignment.scope == qualname and assignment.value is not None and assignment.targets == (value,):
                    found |= self._value_models(scope, facts, assignment.value, depth + 1)
            found |= access.tuples.local_rows(scope, str(value[1]))  # `user, source = get_request_user()`
            return found | access.instances.get((scope, str(value[1])), set())
        if value[0] not in (ExprKind.ATTRIBUTE, ExprKind.CALL, ExprKind.SUBSCRIPT):
            return set()
        return access.mentioned_models(scope, value) or access.called_models(scope, value)

    def returned(self, function: str) -> set[str]:
        """The models of the rows a function of ours (a proxy's, a property getter) returns (memoised)."""
        known = self._returned.get(function)
        if known is not None:
            return known
        self._returned[function] = set()  # a recursive function returns nothing more
        definition = self.access.graphs.definitions.get(function)
        facts = self.access.graphs.modules.get(definition.module) if definition is not None else None
        found: set[str] = set()
        if definition is not None and facts is not None:
            qualname = definition.fact.qualname
            for returned in facts.returns:
                if returned.scope == qualname and not returned.is_yield:
                    found |= self._value_models(function, facts, returned.value, 0)
        self._returned[function] = found
        return found

    # -- what a chain starts with ------------------------------------------------------------------

    def start(self, scope: str, root: Expr, steps: list[str]) -> tuple[set[str], list[str]] | None:
        """The models a chain's request-scoped root stands for, and the steps after it; None when it is none."""
        if root[0] != ExprKind.NAME:
            return None
        name = str(root[1])
        resolver = self.access.graphs.resolver
        if steps and steps[0] != "()":
            if name in REQUEST_NAMES and steps[0] in self.request:
                return set(self.request[steps[0]]), steps[1:]
            if name == "self" and steps[0] == REQUEST_NAMES[0] and steps[1:2] and steps[1] in self.request:
                return set(self.request[steps[1]]), steps[2:]
            if steps[0] in self.namespace and self.namespaces.intersection(resolver.values(scope, root)):
                return set(self.namespace[steps[0]]), steps[1:]
            if steps[0] in self.session_getters and self.sessions.intersection(resolver.values(scope, root)):
                found = set().union(*(self.returned(g) for g in sorted(self.session_getters[steps[0]])))
                return found, steps[1:]
            if (
                steps[1:2] == ["()"]
                and steps[0] in self.session_methods
                and self.sessions.intersection(resolver.values(scope, root))
            ):
                found = set().union(*(self.returned(m) for m in sorted(self.session_methods[steps[0]])))
                return found, steps[2:]
            if name == "self" and steps[0] in self.getter_names:
                getters = self.own_getters(scope, steps[0])
                if getters:
                    return set().union(*(self.returned(g) for g in getters)), steps[1:]
        if name in self.proxy_names:
            functions = self.proxy_functions(scope, root)
            if functions:
                return set().union(*(self.returned(f) for f in functions)), steps
        return None

    def proxy_functions(self, scope: str, root: Expr) -> set[str]:
        """The functions of the module-level proxy a name is (none when it is no proxy of ours)."""
        site = self.access.graphs.resolver.binding_site(scope, root)
        return self.proxies.get(site, set()) if site is not None else set()

    def own_getters(self, scope: str, name: str) -> list[str]:
        """The getters of a property `name` of the class whose method `scope` is (`self.current_org`)."""
        owner = _owner(scope)
        if owner not in self.access.graphs.definitions:
            return []
        return sorted(
            v[4:]
            for v in self.access.graphs.resolver.class_attribute(owner, name)
            if v.startswith(("bnd:", "def:")) and v[4:] in self.getters
        )

    # -- what using one runs -----------------------------------------------------------------------

    def add_calls(self) -> None:
        """Reading a property of the app's session or of `self` (a non-model class: a model's are
        `data_access_properties`') runs its getter (setting a field of what it returns too)."""
        if not (self.session_getters or self.session_methods or self.getters):
            return
        access = self.access
        wanted = {*self.session_getters, *self.session_methods, *self.getter_names}
        for facts in access.graphs.modules.values():
            if wanted.isdisjoint(access.attribute_names.of(facts)):
                continue  # no attribute of these names: `_runs` finds nothing in the module
            targets = [(a.scope, a.line, t) for a in facts.assignments if a.scope for t in a.targets]
            for qualname, line, expr in (*expressions_of(facts), *targets):
                scope = scope_of(facts.module, qualname)
                for callee in sorted(self._runs(scope, expr)):
                    access.calls[scope].add(callee)
                    access.call_lines[(scope, callee)].add(line)

    def _runs(self, scope: str, expr: Expr) -> Iterator[str]:
        resolver = self.access.graphs.resolver
        models = self.access.models
        for node in subexpressions(expr):
            kind, name = node[0], node[1]
            if kind == ExprKind.ATTRIBUTE and node[2][0][0] == ExprKind.NAME:
                owner = node[2][0]
                if name in self.session_getters and self.sessions.intersection(resolver.values(scope, owner)):
                    yield from self.session_getters[str(name)]
                elif name in self.session_methods and self.sessions.intersection(resolver.values(scope, owner)):
                    yield from self.session_methods[str(name)]
                elif owner[1] == "self" and name in self.getter_names and _owner(scope) not in models:
                    yield from self.own_getters(scope, str(name))


def _is_request(owner: Expr) -> bool:
    """`request` or `self.request` (a Django view's request)."""
    if owner[0] == ExprKind.NAME:
        return owner[1] in REQUEST_NAMES
    return owner[0] == ExprKind.ATTRIBUTE and owner[1] in REQUEST_NAMES and owner[2][0][:2] == (ExprKind.NAME, "self")


def _owner(scope: str) -> str:
    """The class whose method a scope is (a call-site variant's: its method's)."""
    return scope.partition("@")[0].rpartition(".")[0]


def proxied(steps: list[str], nodes: list[Expr]) -> tuple[list[str], list[Expr]]:
    """A chain's steps (and their nodes) with every `._get_current_object()` dropped: a proxy's object itself."""
    dropped = {i for i in range(len(steps) - 1) if steps[i] == UNWRAP and steps[i + 1] == "()"}
    dropped |= {i + 1 for i in dropped}
    kept = [i for i in range(len(steps)) if i not in dropped]
    return [steps[i] for i in kept], [nodes[i] for i in kept]


def _property_getters(access: DataAccess) -> set[str]:
    """The property getters of the tree's classes."""
    return {
        symbol
        for symbol, definition in access.graphs.definitions.items()
        if definition.fact.kind == "function"
        and "." in definition.fact.qualname
        and any(last_name(d) in PROPERTY_DECORATORS for d in definition.fact.decorators)
    }
