"""The data-access recognizer's knowledge, compiled from the `data-access` rules of the heuristics.

Heuristics → `AccessKnowledge`: lookup tables (method names, view classes, outside
functions, login proxies) the recognizer compares resolved names with. Rules of one
role are merged; the tables are immutable.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TypeVar

from migrate_scan.heuristics.loader import Heuristics, load_heuristics

_K = TypeVar("_K")
_V = TypeVar("_V")
READ, WRITE = "r", "w"
"""What an action does to a model: its mode is a string of these letters (`"rw"`)."""


@dataclass(frozen=True)
class HistoryTracker:
    """What a call tracking a model's history generates (`pghistory.track(...)(Model)`): a model named the tracked
    model's name plus `suffix` in its app, whose table the queries of the `aggregates` (and their subclasses) read
    with the `reads` tables."""

    suffix: str
    aggregates: tuple[str, ...]
    reads: tuple[str, ...]


@dataclass(frozen=True)
class AccessKnowledge:
    """What the data-access recognizer knows about ORMs and frameworks (see `heuristics/data_access.toml`).

    Attributes:
        write_methods ... model_signals: the vocabularies of method names, one per role
            (`write-method` → `save`, `delete`, ...).
        view_actions: view base class → action or HTTP method → mode (`r`, `w`, `rw`).
        view_hooks: `""` (every action), `r`, `w` → the hooks an action of that mode calls.
        form_hooks: call on a form or serializer → the methods (or `prefix_`es) it runs.
        outside: outside function → (tables read, tables written).
        user_permission_methods: user methods loading its permissions, and `user_permission_tables`
            what they read (`{user}` stands for the user model's table).
        bound_bases: bases of classes bound to a model by `Meta.model`.
        login_proxies: resolved values that are the logged-in user (`ext:flask_login:current_user`).
        login_calls, user_loaders: package → endings of resolved values that return the user or
            register its loader.
        outside_models: resolved value of a model class of another package
            (`ext:django.contrib.auth.models:Group`) → its table.
        attribute_hooks: class attribute of a view → the methods a reading action calls on the
            classes it names (`filter_backends` → `filter_queryset`).
        save_observers: dotted name of a call registering a model (`auditlog.register(Note)`) → the
            tables every save or delete of that model then writes.
        history_trackers: dotted name of a call tracking a model's history → what it generates
            (see `data_access_history`).
        cached_methods: table of an outside model → the methods of its manager a process cache serves.
        serializer_hooks: methods (a trailing `_`: a prefix) of a view's `serializer_class` that
            every action runs when it renders its response.
        serializer_bases, related_fields, rendered_related_fields, serializer_keywords: DRF's serializer
            classes, its related fields (those whose rendering reads the target), the keywords its
            serializers take, its method fields, the methods a field class of ours runs rendering a row and validating
            input (see `data_access_serializers`).
        view_method_hooks: inherited view method a view's own method calls on `self` → the hooks it runs
            on the class (`get_object` → `get_queryset`; see `data_access_view_calls`).
        object_permission_backends: dotted path of an authentication backend that checks permissions on
            objects (`has_perm(perm, obj)`) → the tables it reads (Django's own backend reads none).
        relationship_schemas ... memoizers: model schemas serialising every relationship, their dump and
            load methods, statements on a model's `__table__`, view class attributes listing decorators,
            attributes set on a loaded row only, query steps giving one row, endings of memoizing decorators.
        request_namespaces, session_proxies, local_proxies: resolved values of Flask's `g` and `session`,
            and of werkzeug's `LocalProxy` class (see `data_access_scoped`).
        signal_relays: signal (dotted name) → the signals an outside package's receiver of it sends.
        user_model_calls: resolved values of calls that return the user model class
            (`ext:django.contrib.auth:get_user_model()`).
        delete_methods ... cascade_options: what a delete sets off (see `data_access_cascades`): calls running
            Django's deletion Collector, the signals that keep it from fast deletes, `on_delete` values → mode,
            those that go on deleting, view class → its deleting actions, collector class → its
            collecting methods, GenericRelation-like field
            classes → the table of their rows when they name no model, SQLAlchemy cascade options that delete,
            model base classes → their methods that only mark rows deleted (a soft delete).
        filter_expressions, path_expressions, outer_refs: Django query expressions (by class name) whose keyword
            names are lookups (`Q`), whose string arguments are field paths (`F`, `Count`), or that point at
            an enclosing query (`OuterRef`): see `data_access_lookups`.
        relation_signals: signals sent when a many-to-many relation's through table changes (`m2m_changed`).
        request_class_hooks, request_class_views: view class attribute (`permission_classes`, with the
            `:object` and `:default` keys) → the methods run per request on the classes it names (see
            `data_access_request_classes`); the modules whose view classes take the settings' default.
    """

    write_methods: frozenset[str]
    read_and_write_methods: frozenset[str]
    signalling_methods: frozenset[str]
    collection_writes: frozenset[str]
    lookup_methods: frozenset[str]
    path_methods: frozenset[str]
    query_steps: frozenset[str]
    lazy_methods: frozenset[str]
    statement_writes: frozenset[str]
    statement_clauses: frozenset[str]
    session_writes: frozenset[str]
    session_commits: frozenset[str]
    eager_loading: frozenset[str]
    managers: frozenset[str]
    view_accessors: frozenset[str]
    sql_calls: frozenset[str]
    model_signals: frozenset[str]
    view_actions: Mapping[str, Mapping[str, str]]
    view_hooks: Mapping[str, frozenset[str]]
    form_hooks: Mapping[str, tuple[str, ...]]
    outside: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]
    user_permission_methods: frozenset[str]
    user_permission_tables: tuple[str, ...]
    bound_bases: frozenset[str]
    login_proxies: frozenset[str]
    login_calls: Mapping[str, tuple[str, ...]]
    user_loaders: Mapping[str, tuple[str, ...]]
    outside_models: Mapping[str, str]
    cached_methods: Mapping[str, frozenset[str]]
    attribute_hooks: Mapping[str, tuple[str, ...]]
    save_observers: Mapping[str, tuple[str, ...]]
    serializer_hooks: tuple[str, ...]
    serializer_bases: frozenset[str]
    related_fields: frozenset[str]
    rendered_related_fields: frozenset[str]
    serializer_keywords: frozenset[str]
    method_fields: frozenset[str]
    field_render_hooks: frozenset[str]
    field_input_hooks: frozenset[str]
    view_method_hooks: Mapping[str, tuple[str, ...]]
    object_permission_backends: Mapping[str, tuple[str, ...]]
    user_model_calls: frozenset[str]
    relationship_schemas: frozenset[str]
    schema_dumps: frozenset[str]
    schema_loads: frozenset[str]
    table_statements: frozenset[str]
    view_decorators: tuple[str, ...]
    row_identities: frozenset[str]
    row_steps: frozenset[str]
    pair_methods: frozenset[str]
    memoizers: tuple[str, ...]
    deferred_calls: frozenset[str]
    backend_calls: Mapping[str, tuple[str, ...]]
    loader_calls: frozenset[str]
    loader_bases: Mapping[str, tuple[str, ...]]
    signal_relays: Mapping[str, tuple[str, ...]]
    delete_methods: frozenset[str]
    delete_signals: frozenset[str]
    on_delete: Mapping[str, str]
    cascading: frozenset[str]
    delete_actions: Mapping[str, frozenset[str]]
    collectors: Mapping[str, frozenset[str]]
    generic_relations: Mapping[str, tuple[str, ...]]
    cascade_options: frozenset[str]
    soft_deletes: Mapping[str, frozenset[str]]
    request_namespaces: frozenset[str] = frozenset()
    session_proxies: frozenset[str] = frozenset()
    local_proxies: frozenset[str] = frozenset()
    filter_expressions: frozenset[str] = frozenset()
    path_expressions: frozenset[str] = frozenset()
    outer_refs: frozenset[str] = frozenset()
    relation_signals: frozenset[str] = frozenset()
    request_class_hooks: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    request_class_views: tuple[str, ...] = ()
    history_trackers: Mapping[str, HistoryTracker] = field(default_factory=lambda: MappingProxyType({}))

    @functools.cached_property
    def observer_names(self) -> frozenset[str]:
        """The last segment of every save observer's name: a cheap pre-filter of calls."""
        return frozenset(name.rpartition(".")[2] for name in self.save_observers)

    @functools.cached_property
    def orm_methods(self) -> frozenset[str]:
        """Every method the vocabularies name (a write, a query step, a lookup...): what the ORM gives a model."""
        return frozenset().union(
            self.write_methods,
            self.read_and_write_methods,
            self.signalling_methods,
            self.collection_writes,
            self.lookup_methods,
            self.path_methods,
            self.query_steps,
            self.lazy_methods,
            self.statement_writes,
            self.statement_clauses,
            self.session_writes,
            self.session_commits,
            self.row_steps,
            self.table_statements,
            self.user_permission_methods,
        )

    @functools.cached_property
    def outside_names(self) -> frozenset[str]:
        """The last segment of every outside function's name: a cheap pre-filter of calls."""
        return frozenset(name.rpartition(".")[2] for name in self.outside)


def knowledge_of(heuristics: Heuristics) -> AccessKnowledge:
    """Compile the `data-access` rules into lookup tables."""
    rules = heuristics.data_access_rules
    vocabulary: dict[str, set[str]] = defaultdict(set)
    view_actions: dict[str, dict[str, str]] = defaultdict(dict)
    view_hooks: dict[str, set[str]] = defaultdict(set)
    form_hooks: dict[str, set[str]] = defaultdict(set)
    outside: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    permission_methods: set[str] = set()
    outside_models: dict[str, str] = {}
    cached: dict[str, set[str]] = defaultdict(set)
    attribute_hooks: dict[str, set[str]] = defaultdict(set)
    method_hooks: dict[str, set[str]] = defaultdict(set)
    relays: dict[str, set[str]] = defaultdict(set)
    save_observers: dict[str, set[str]] = defaultdict(set)
    object_backends: dict[str, tuple[str, ...]] = {}
    permission_tables: list[str] = []
    deleting: dict[str, dict[str, set[str]]] = {
        "delete-action": defaultdict(set),
        "deletion-collector": defaultdict(set),
        "soft-delete-base": defaultdict(set),
    }
    on_delete: dict[str, str] = {}
    generic: dict[str, set[str]] = defaultdict(set)
    packages: dict[str, dict[str, set[str]]] = {"login-call": defaultdict(set), "user-loader": defaultdict(set)}
    backend_calls: dict[str, set[str]] = defaultdict(set)
    loader_calls: set[str] = set()
    loader_bases: dict[str, set[str]] = defaultdict(set)
    request_hooks: dict[str, set[str]] = defaultdict(set)
    request_views: set[str] = set()
    trackers: dict[str, HistoryTracker] = {}
    for rule in rules:
        if rule.role == "view-class":
            for name in rule.names:
                for action, mode in rule.actions.items():
                    view_actions[name][action] = _merged(view_actions[name].get(action, ""), mode)
        elif rule.role == "view-hooks":
            for key, names in rule.hooks.items():
                view_hooks["" if key == "any" else key].update(names)
        elif rule.role == "form-hooks":
            for call, names in rule.hooks.items():
                form_hooks[call].update(names)
        elif rule.role == "outside-function":
            for name in rule.names:
                outside[name][0].update(rule.reads)
                outside[name][1].update(rule.writes)
        elif rule.role == "user-permission-method":
            permission_methods.update(rule.names)
            permission_tables += [t for t in rule.reads if t not in permission_tables]
        elif rule.role == "signal-relay":
            for signal, more in rule.hooks.items():
                relays[signal].update(more)
        elif rule.role == "view-method-hooks":
            for method, names in rule.hooks.items():
                method_hooks[method].update(names)
        elif rule.role == "view-attribute-hooks":
            for attribute, names in rule.hooks.items():
                attribute_hooks[attribute].update(names)
        elif rule.role == "object-permission-backend":
            for name in rule.names:
                object_backends[name] = tuple(rule.reads)
        elif rule.role == "save-observer":
            for name in rule.names:
                save_observers[name].update(rule.writes)
        elif rule.role == "outside-model":
            for name in rule.names:
                outside_models[_resolved(name)] = rule.table
            cached[rule.table].update(rule.cached)
        elif rule.role == "batch-loader":
            loader_calls.update(rule.names)
            for base, methods in rule.hooks.items():
                loader_bases[base].update(methods)
        elif rule.role == "backend-call":
            for call, methods in rule.hooks.items():
                backend_calls[call].update(methods)
        elif rule.role == "request-class-attribute":
            request_views.update(rule.names)
            for attribute, methods in rule.hooks.items():
                request_hooks[attribute].update(methods)
        elif rule.role == "history-tracker":
            tracker = HistoryTracker(rule.hooks["suffix"][0], tuple(rule.hooks["aggregates"]), tuple(rule.reads))
            trackers.update(dict.fromkeys(rule.names, tracker))
        elif rule.role in deleting:
            for name, methods in rule.hooks.items():
                deleting[rule.role][name].update(methods)
        elif rule.role == "on-delete":
            for action, mode in rule.actions.items():
                on_delete[action] = _merged(on_delete.get(action, ""), mode)
        elif rule.role == "generic-relation":
            for name in rule.names:
                generic[name].update(rule.writes)
        elif rule.role in packages:
            for package, endings in rule.hooks.items():
                packages[rule.role][package].update(endings)
        else:
            vocabulary[rule.role].update(rule.names)
    return AccessKnowledge(
        write_methods=frozenset(vocabulary.get("write-method", ())),
        read_and_write_methods=frozenset(vocabulary.get("read-and-write-method", ())),
        signalling_methods=frozenset(vocabulary.get("signalling-method", ())),
        collection_writes=frozenset(vocabulary.get("collection-write", ())),
        lookup_methods=frozenset(vocabulary.get("lookup-method", ())),
        path_methods=frozenset(vocabulary.get("path-method", ())),
        query_steps=frozenset(vocabulary.get("query-step", ())),
        lazy_methods=frozenset(vocabulary.get("lazy-method", ())),
        statement_writes=frozenset(vocabulary.get("statement-write", ())),
        statement_clauses=frozenset(vocabulary.get("statement-clause", ())),
        session_writes=frozenset(vocabulary.get("session-write", ())),
        session_commits=frozenset(vocabulary.get("session-commit", ())),
        eager_loading=frozenset(vocabulary.get("eager-loading", ())),
        managers=frozenset(vocabulary.get("manager", ())),
        view_accessors=frozenset(vocabulary.get("view-accessor", ())),
        sql_calls=frozenset(vocabulary.get("sql-call", ())),
        model_signals=frozenset(vocabulary.get("model-signal", ())),
        view_actions=_frozen({name: _frozen(actions) for name, actions in view_actions.items()}),
        view_hooks=_frozen({key: frozenset(names) for key, names in view_hooks.items()}),
        form_hooks=_frozen({call: tuple(sorted(names)) for call, names in form_hooks.items()}),
        outside=_frozen({name: (tuple(sorted(r)), tuple(sorted(w))) for name, (r, w) in outside.items()}),
        user_permission_methods=frozenset(permission_methods),
        user_permission_tables=tuple(permission_tables),
        bound_bases=frozenset(vocabulary.get("model-bound-base", ())),
        login_proxies=frozenset(f"ext:{name}" for name in vocabulary.get("login-proxy", ())),
        login_calls=_frozen({p: tuple(sorted(e)) for p, e in packages["login-call"].items()}),
        user_loaders=_frozen({p: tuple(sorted(e)) for p, e in packages["user-loader"].items()}),
        outside_models=_frozen(outside_models),
        cached_methods=_frozen({table: frozenset(methods) for table, methods in cached.items() if methods}),
        attribute_hooks=_frozen({a: tuple(sorted(n)) for a, n in attribute_hooks.items()}),
        object_permission_backends=_frozen(object_backends),
        serializer_hooks=tuple(sorted(vocabulary.get("serializer-hooks", ()))),
        serializer_bases=frozenset(vocabulary.get("serializer-base", ())),
        related_fields=frozenset(vocabulary.get("related-field", ())),
        rendered_related_fields=frozenset(vocabulary.get("rendered-related-field", ())),
        serializer_keywords=frozenset(vocabulary.get("serializer-keyword", ())),
        method_fields=frozenset(vocabulary.get("method-field", ())),
        field_render_hooks=frozenset(vocabulary.get("field-render-hook", ())),
        field_input_hooks=frozenset(vocabulary.get("field-input-hook", ())),
        view_method_hooks=_frozen({m: tuple(sorted(n)) for m, n in method_hooks.items()}),
        save_observers=_frozen({name: tuple(sorted(t)) for name, t in save_observers.items()}),
        user_model_calls=frozenset(_resolved(name) + "()" for name in vocabulary.get("user-model-call", ())),
        relationship_schemas=frozenset(vocabulary.get("relationship-schema", ())),
        schema_dumps=frozenset(vocabulary.get("schema-dump", ())),
        schema_loads=frozenset(vocabulary.get("schema-load", ())),
        table_statements=frozenset(vocabulary.get("table-statement", ())),
        view_decorators=tuple(sorted(vocabulary.get("view-decorators", ()))),
        row_identities=frozenset(vocabulary.get("row-identity", ())),
        row_steps=frozenset(vocabulary.get("row-step", ())),
        pair_methods=frozenset(vocabulary.get("pair-method", ())),
        memoizers=tuple(sorted(vocabulary.get("memoizer", ()))),
        deferred_calls=frozenset(vocabulary.get("deferred-call", ())),
        backend_calls=_frozen({call: tuple(sorted(m)) for call, m in backend_calls.items()}),
        loader_calls=frozenset(loader_calls),
        loader_bases=_frozen({base: tuple(sorted(m)) for base, m in loader_bases.items()}),
        signal_relays=_frozen({s: tuple(sorted(more)) for s, more in relays.items()}),
        delete_methods=frozenset(vocabulary.get("delete-method", ())),
        delete_signals=frozenset(vocabulary.get("delete-signal", ())),
        on_delete=_frozen(on_delete),
        cascading=frozenset(vocabulary.get("on-delete-cascade", ())),
        delete_actions=_frozen({n: frozenset(a) for n, a in deleting["delete-action"].items()}),
        collectors=_frozen({n: frozenset(m) for n, m in deleting["deletion-collector"].items()}),
        generic_relations=_frozen({name: tuple(sorted(tables)) for name, tables in generic.items()}),
        cascade_options=frozenset(vocabulary.get("cascade-option", ())),
        soft_deletes=_frozen({n: frozenset(m) for n, m in deleting["soft-delete-base"].items()}),
        request_namespaces=frozenset(f"ext:{name}" for name in vocabulary.get("request-namespace", ())),
        session_proxies=frozenset(f"ext:{name}" for name in vocabulary.get("session-proxy", ())),
        local_proxies=frozenset(f"ext:{name}" for name in vocabulary.get("local-proxy", ())),
        filter_expressions=frozenset(vocabulary.get("filter-expression", ())),
        path_expressions=frozenset(vocabulary.get("path-expression", ())),
        outer_refs=frozenset(vocabulary.get("outer-reference", ())),
        relation_signals=frozenset(vocabulary.get("relation-signal", ())),
        request_class_hooks=_frozen({a: tuple(sorted(m)) for a, m in request_hooks.items()}),
        request_class_views=tuple(sorted(request_views)),
        history_trackers=_frozen(trackers),
    )


def _resolved(dotted: str) -> str:
    """How link names an imported outside object: `a.b.C` → `ext:a.b:C`."""
    module, _, name = dotted.rpartition(".")
    return f"ext:{module}:{name}"


@functools.cache
def bundled_knowledge() -> AccessKnowledge:
    """The knowledge of the bundled heuristics (for callers that build a `DataAccess` without a scan's)."""
    return knowledge_of(load_heuristics())


def _merged(mode: str, more: str) -> str:
    return "".join(sorted(set(mode) | set(more)))


def _frozen(table: dict[_K, _V]) -> Mapping[_K, _V]:
    """A read-only view of a table, in key order."""
    return MappingProxyType(dict(sorted(table.items(), key=lambda item: str(item[0]))))
