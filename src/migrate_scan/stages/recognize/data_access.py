"""Data access: which models and tables each function reads and writes, and what each entry point reaches.

Direct access is read from ORM use, the same way for Django and SQLAlchemy:

- a manager or query chain rooted at a model class (`Ticket.objects.filter(...)`,
  `Order.query.filter_by(...)`): a write when the method is one of
  a write method of the heuristics (`get_or_create`/`update_or_create` also read), else a read;
- a method call on an instance of a model (`order.save()`, `ticket.delete()`);
- a session operation on an instance (`db.session.add(order)`, `session.delete(x)`);
- a model class passed to a call (`session.query(Order)`, `select(Order)`,
  `get_object_or_404(Ticket, pk=...)`): a read; to `insert`/`update`/`delete`
  of SQLAlchemy: a write;
- related managers and relation attributes of an instance (`ticket.comments.create(...)`,
  `order.items.all()`, `line.order.save()`): the model at the end of the relations
  (forward fields, Django reverse accessors by `related_name` or `<model>_set`,
  SQLAlchemy `backref`), given the data models; a relation stored in its own
  table (`through`: a many-to-many field, a `secondary` table) reads that table
  too, and its collection mutations (`user.followed.append(u)`, `note.tags.add(t)`,
  `.remove/.set/.clear`) write that table rather than the target model;
- what is known to be an instance of a model: a local variable bound to a query
  or chain of one (`user = User.query.filter_by(...).first()`, `for p in
  user.posts`), flask-login's `current_user` (an instance of what the functions
  registered with `@login_manager.user_loader`/`request_loader` return),
  Django's `request.user` and `self.request.user` (`AUTH_USER_MODEL`, by default
  `django.contrib.auth.models:User`), `self` in a model's methods, an instance of
  a model serializer, schema or form (its `Meta.model`); calling a method of the
  model on it reaches that method (`current_user.follow(user)` → `User.follow`);
- attributes set on an instance of a SQLAlchemy model (`current_user.about_me = ...`,
  `self.token = ...`, `form.populate_obj(post)`), and collections of its relations
  changed: written when the session is committed, in the same function after the
  change or anywhere else in the entry point's reach (`db.session.commit()`);
- raw SQL given as a literal (`cursor.execute("UPDATE x ...")`, `text("SELECT ...")`,
  `Model.objects.raw(...)`): the tables it names, as their model where one maps
  the table, else as `table:<name>`;
- class-based views with `queryset = Model.objects...`, `model = Model` or a
  `serializer_class` bound to a model (DRF viewsets and generic views, Django
  generic views): each standard action the class inherits reads the model, and
  create/update/destroy write it; in the class's own methods `self.get_queryset()`,
  `self.get_object()`, `self.queryset`, `self.object` denote it.

Then, for every route, job, real-time handler and signal receiver, the models
and tables it reads and writes through everything it reaches in the call graph
(edges a shared decorator wrapper makes to every function it wraps are skipped:
each call site has its own edge to the function it really reaches), with the
calls of model methods found above; and when it writes a model, what the
`pre_save`/`post_save` (when it saves it) or `pre_delete`/`post_delete` (when it
deletes it) receivers of that model (or of every sender) read and write as a
consequence. A Django delete also reads and writes what the deletion Collector
cascades into (`data_access_cascades`).

What the ORMs' methods, the frameworks' view classes and outside functions do
to tables is the `data-access` knowledge of the heuristics
(`heuristics/data_access.toml`, compiled by `data_access_knowledge`).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.model.facts import AssignmentFact, CallFact, Expr, ExprKind, FileFacts, ParameterFact
from migrate_scan.model.graphs import Definition, LinkedGraphs
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import ModelAccess, Recognition
from migrate_scan.model.report import TABLE_PREFIX, DataModel, Event, Route
from migrate_scan.stages.recognize.data_access_attribute_reads import attribute_reads, loading_relations
from migrate_scan.stages.recognize.data_access_backrefs import DirtiedRows
from migrate_scan.stages.recognize.data_access_bindings import MARK, Binder, BoundResolver
from migrate_scan.stages.recognize.data_access_callbacks import Callbacks
from migrate_scan.stages.recognize.data_access_cascades import COLLECTED, FOUND_ROWS_WRITTEN, SOFT, Cascades
from migrate_scan.stages.recognize.data_access_class_flags import ClassFlags
from migrate_scan.stages.recognize.data_access_declared import DeclaredFields
from migrate_scan.stages.recognize.data_access_deferred import deferred_callees
from migrate_scan.stages.recognize.data_access_dispatch import GRAPHENE, Dispatch, endpoint_views
from migrate_scan.stages.recognize.data_access_factory_views import FactoryViews
from migrate_scan.stages.recognize.data_access_generic import GenericParameters
from migrate_scan.stages.recognize.data_access_guards import (
    Factories,
    GuardedReceivers,
    inserted,
    inserts_of,
    merged_inserts,
    only,
)
from migrate_scan.stages.recognize.data_access_handed import handed_parameters
from migrate_scan.stages.recognize.data_access_history import history_reads
from migrate_scan.stages.recognize.data_access_instances import RoutedInstances
from migrate_scan.stages.recognize.data_access_kept import KeptRows
from migrate_scan.stages.recognize.data_access_knowledge import (
    READ,
    WRITE,
    AccessKnowledge,
    bundled_knowledge,
    knowledge_of,
)
from migrate_scan.stages.recognize.data_access_known_receivers import refuted_edges
from migrate_scan.stages.recognize.data_access_lookups import QueryLookups
from migrate_scan.stages.recognize.data_access_m2m import RELATION_CHANGE, relation_sender
from migrate_scan.stages.recognize.data_access_managers import ManagerMethods
from migrate_scan.stages.recognize.data_access_mixins import MixinRows
from migrate_scan.stages.recognize.data_access_narrowing import dead_spans
from migrate_scan.stages.recognize.data_access_parameters import parameter_row_writes
from migrate_scan.stages.recognize.data_access_permissions import permission_tables
from migrate_scan.stages.recognize.data_access_properties import AttributeNames, property_getters
from migrate_scan.stages.recognize.data_access_query_returns import ReturnedQueries
from migrate_scan.stages.recognize.data_access_querysets import QuerysetClasses
from migrate_scan.stages.recognize.data_access_receiver_rows import receiver_rows
from migrate_scan.stages.recognize.data_access_receivers import narrowed, own_class_values
from migrate_scan.stages.recognize.data_access_registry import registry_callees
from migrate_scan.stages.recognize.data_access_relations import iterated_relations
from migrate_scan.stages.recognize.data_access_request_classes import RequestClasses
from migrate_scan.stages.recognize.data_access_request_user import MARK as USER_MARK
from migrate_scan.stages.recognize.data_access_request_user import UserLoads, request_user_scopes
from migrate_scan.stages.recognize.data_access_request_user import resolved as user_read
from migrate_scan.stages.recognize.data_access_requests import RequestHooks
from migrate_scan.stages.recognize.data_access_routed import RoutedModels, as_row_of, is_stand_in, without_stand_ins
from migrate_scan.stages.recognize.data_access_scoped import UNWRAP, RequestScope, proxied
from migrate_scan.stages.recognize.data_access_selves import Selves
from migrate_scan.stages.recognize.data_access_sends import signal_sends
from migrate_scan.stages.recognize.data_access_serializer_saves import save_hooks
from migrate_scan.stages.recognize.data_access_serializers import Serializers
from migrate_scan.stages.recognize.data_access_signals import signal_instances
from migrate_scan.stages.recognize.data_access_through import through_tables
from migrate_scan.stages.recognize.data_access_tuples import TupleRows
from migrate_scan.stages.recognize.data_access_view_calls import view_method_hooks
from migrate_scan.stages.recognize.expressions import keyword, returned_expressions, scope_of, string_of, subexpressions
from migrate_scan.stages.recognize.registry import Product, Recognizer
from migrate_scan.stages.recognize.sql import tables_in_sql

REVERSE_KINDS = frozenset({"foreign-key", "one-to-one", "many-to-many"})
CLASS_METADATA_PREFIX = "_"
"""A step from a model class into its metadata (`__mapper__`, `__table__`, `_meta`): no query."""
LOAD_RESULT = "data"
"""Marshmallow 2's `schema.load(...)` gives a result whose `.data` is what was loaded."""
VARIANT_MARK = "@"
"""Joins a method and the number of its variant (`Topic.save@0`: the lines a call with a loaded topic runs)."""
MAPPED_TABLE = "__table__"
"""A SQLAlchemy model's table (`Config.__table__.select()`: a statement on the model's rows)."""
AUTH_USER_SYMBOL = "django.contrib.auth.models:User"
AUTH_USER_DOTTED = "django.contrib.auth.models.User"
_NAMED = (ExprKind.NAME, ExprKind.ATTRIBUTE)
_CHAINS = frozenset({ExprKind.ATTRIBUTE, ExprKind.CALL, ExprKind.SUBSCRIPT})
_LITERALS = frozenset(
    {ExprKind.CONSTANT, ExprKind.FSTRING, ExprKind.LIST, ExprKind.TUPLE, ExprKind.SET, ExprKind.DICT, ExprKind.LAMBDA}
)
"""Arguments whose values are never a model class or instance (a `lit:`, `seq:` or `def:` value, or none)."""
DELETED = "-"
"""Marks a model deleted (not saved) among the models a function saves: its delete signals' receivers run."""


class Site(NamedTuple):
    """Where a call is, made a `Location` only when an access is recorded there (most calls touch no model)."""

    file: str
    line: int

    def location(self) -> Location:
        return Location(file=self.file, line=self.line)


def _located(where: Location | Site) -> Location:
    return where.location() if isinstance(where, Site) else where


class Denoted(NamedTuple):
    """What an expression denotes: a model, the last relation followed to reach it, and how."""

    model: str
    via: tuple[str, str] | None  # (model, attribute) of the last relation followed
    is_last: bool  # that relation was the expression's last step (`user.followed`, not `user.followed.all()`)
    is_class: bool  # the model class itself, or a query on it (not an instance)


class DataAccess:
    """Direct model and table access per function, and its closure over the call graph.

    Lifecycle: built once from the linked graphs and the model symbols (or data
    models), then asked `reached_from(symbol)` for each entry point.
    """

    def __init__(
        self,
        graphs: LinkedGraphs,
        models: Iterable[str] | Iterable[DataModel],
        knowledge: AccessKnowledge | None = None,
        events: Iterable[Event] = (),
    ) -> None:
        """`models`: the model symbols, or the data models themselves (which also gives their relations);
        `knowledge`: the scan's data-access heuristics (the bundled ones when not given); `events`: the
        signal receivers (what the instance a model signal passes them is; those of delete signals decide what
        a delete's cascade reads)."""
        given: list[str | DataModel] = list(models)
        bound = BoundResolver(graphs.resolver)  # call-site variants bind their parameters here
        graphs = dataclasses.replace(graphs, resolver=bound)
        self.known = knowledge if knowledge is not None else bundled_knowledge()
        data_models = [m for m in given if isinstance(m, DataModel)]
        self.graphs = graphs
        self.models: set[str] = {m.symbol if isinstance(m, DataModel) else m for m in given}
        self.reads: dict[str, set[str]] = defaultdict(set)
        self.writes: dict[str, set[str]] = defaultdict(set)
        self.direct: set[ModelAccess] = set()
        self.accessors: dict[tuple[str, str], str] = {}  # (model, attribute) → the model the relation reaches
        self.through: dict[tuple[str, str], str] = {}  # (model, attribute) → the table storing the relation
        self._outside_labels: dict[tuple[str, str], str] | None = None
        self.views: dict[str, tuple[str, dict[str, str]]] = {}  # view class → (its model, inherited actions)
        self.bound: dict[str, str] = {}  # serializer, schema or form class → its Meta.model
        self.django: set[str] = {m.symbol for m in data_models if m.orm == "django"}
        self.tables: dict[str, str] = {m.table.lower(): m.symbol for m in data_models if m.table and not m.proxy}
        self.login_models: set[str] = set()  # what flask-login's current_user is
        self.user_models: set[str] = set()  # what Django's request.user is
        self.instances: dict[tuple[str, str], set[str]] = defaultdict(set)  # (scope, local) → models
        self.loaded: set[tuple[str, str]] = set()  # (scope, local) bound to a schema's load(...)
        self.relationships: dict[str, dict[str, str]] = defaultdict(dict)  # SQLAlchemy model → field → target
        self.dumps: dict[str, set[str]] = {}  # schema class → what dumping an instance loads (its relationships)
        self.pending: dict[str, dict[str, Location]] = defaultdict(dict)  # scope → uncommitted writes
        self.commits: dict[str, int] = {}  # scope → line of its last session commit
        self.calls: dict[str, set[str]] = defaultdict(set)  # scope → model methods it calls on instances
        self.call_lines: dict[tuple[str, str], set[int]] = defaultdict(set)  # (scope, method) → lines of its calls
        self.fresh: dict[tuple[str, str], bool | None] = {}  # (scope, local) → built here (True) or loaded (False)
        self.variants: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}  # variant → (method, dead lines)
        self.specialised: set[tuple[str, str]] = set()  # (scope, callee) edges replaced (variants, callbacks)
        self.refuted: set[tuple[str, str]] = set()  # (scope, callee) edges no call runs (`data_access_known_receivers`)
        self.saves: dict[str, set[str]] = defaultdict(set)  # scope → models it saves or deletes one by one
        self.observed: dict[str, set[str]] = defaultdict(set)  # model → what its saves also write (audit logs)
        self.deletes: dict[str, dict[tuple[str, str, bool], Location | Site]] = defaultdict(dict)  # see _deleted
        self._observer_names = self.known.observer_names  # pre-filters of calls, computed once
        self._outside_names = self.known.outside_names
        self._object_tables: tuple[str, ...] | None = None  # what has_perm(perm, obj) reads, once known
        self._outside_receiver = False  # the call being read is made on another package's model manager
        self._orm_methods = self.known.orm_methods  # what the ORM gives every model (receivers not narrowed)
        self._collecting = frozenset().union(*self.known.collectors.values())
        self._loops: set[tuple[str, str]] | None = None  # (scope, local) bound by a `for` loop, indexed when asked
        self.self_calls: dict[str, frozenset[str]] = {}  # scope → the methods it calls on `self` or `super()`
        self.data_models = data_models
        self.declared = DeclaredFields(graphs)  # relations a `@declared_attr` method returns
        self.eager: dict[str, set[str]] = defaultdict(set)  # model → what its eager relationships load with it
        self.unions: dict[str, set[str]] = {}  # model with no table of its own → the tables its queries read
        self.wrappers: set[str] = set()  # what decorators wrap functions with (run on every call)
        self.memoized: frozenset[str] = frozenset()  # functions whose results a cache keeps
        self._returning: dict[str, set[str]] = {}  # function of ours → models of the rows it returns
        self._asking: dict[str, int] = {}  # functions whose rows are being found → depth of the question
        self._asked: dict[str, set[str]] = {}  # what each of them was found to return so far
        self._lowest = 0  # the shallowest question a recursion went back to (see `_function_models`)
        self._chained: set[Expr] = set()  # calls of the module being read that another call is made on
        self._chained_module = ""
        self._nested: dict[str, list[str]] | None = None  # class → its nested definitions, indexed when asked
        self._follows: dict[str, tuple[str, ...]] = {}  # caller → the call graph's callees `reach` follows
        self._subclasses: dict[str, set[str]] | None = None  # class → its subclasses of ours, indexed when asked
        self._mixins: dict[str, frozenset[str]] = {}  # class → the classes in its subclasses' MROs
        self._methods: dict[str, list[str]] = defaultdict(list)  # class → its methods (for framework hooks)
        self.managers = ManagerMethods(graphs, self.models, self._class_assignment)  # `objects = MyQuerySet...`
        self.generic = GenericParameters(graphs, self.models, bound.bindings)  # given several model classes
        self.any_instance: set[tuple[str, str]] = set()  # (receiver, parameter) → a row of any model
        self.signal_rows: dict[tuple[str, str], set[str]] = {}  # (receiver, parameter) → the senders' models
        self.receiver_rows: dict[tuple[str, str], str] = {}  # (receiver, sender key) → its variant for that row
        self.mixin_rows = MixinRows()  # `db.session.add(self)` in a mixin's method: the caller's row
        self.instance_calls: dict[str, set[str]] = defaultdict(set)  # scope → methods it calls on such a row
        self._named_methods: dict[str, set[str]] = {}  # method name → the models' methods of that name
        self._bodies: dict[str, dict[str, list[AssignmentFact]]] = {}  # module → scope → its assignments
        for symbol, definition in graphs.definitions.items():
            if definition.fact.kind == "function" and "." in definition.fact.qualname:
                self._methods[symbol.rpartition(".")[0]].append(symbol)
        self.dispatch = Dispatch(graphs)
        self.flags = ClassFlags(self)  # a base method's branches a routed class's flags turn off
        self.scoped = RequestScope(self)  # `g.org`, `current_org`, `session.user`, `request.profile`
        self.tuples = TupleRows(self)  # `user, source = get_request_user()`, `get_request_user()[0]`
        self.kept = KeptRows(self)  # `self.event = Event.get(i)` in one method, `self.event` in another
        self.lookups = QueryLookups(self, data_models)  # `filter(site__region=r)`, `Q(...)`, `Count("devices")`
        self.selves = Selves(graphs.definitions, bound, self.models)  # an inherited method's `self` per model
        self.self_bound: set[tuple[str, int, str]] = set()  # (scope, line, method) calls reaching a `self` variant
        self.self_bindings_pending: list[tuple[str, Expr, str, str, tuple[tuple[int, int], ...], int, int]] = []
        self.save_lines: dict[tuple[str, str], set[int]] = defaultdict(set)  # (scope, saved model) → lines
        self.inserts: dict[str, dict[str, set[bool | None]]] = defaultdict(lambda: defaultdict(set))  # a new row?
        self.insert_lines: dict[str, dict[str, dict[int, set[bool | None]]]] = {}  # scope → model → line → kinds
        self.factories = Factories(self)  # functions returning a row they build
        self.attribute_names = AttributeNames()  # module → the attribute names its code uses (skips walks)
        self._by_function: dict[str, list[ModelAccess]] | None = None  # direct accesses per function, once asked
        self.binder: Binder | None = None
        self.handed: dict[str, frozenset[str]] = {}  # function → parameters given the routed class's row
        self.routed = RoutedModels(self)  # the routed class's model in generic base classes' methods
        self.cascades: Cascades | None = None  # what a delete sets off, once the deletes are known
        self.returned_queries = ReturnedQueries(self)  # `def authorized_orders(u): return Order.objects...`
        if not self.models:
            return
        self.querysets = QuerysetClasses(self)  # `self` in a model's own queryset or manager class
        self._relations(data_models)
        self.unions = history_reads(self)  # `AuditEvents.objects...`: a union of every generated table
        self._bound_classes()
        self.serializers = Serializers(self)  # what DRF serializers render, validate and save
        self._views()
        self._users(data_models)
        self.scoped.build()
        self._decorator_wrappers()
        self.memoized = self._memoized()
        self._signal_instances(events)
        dirtied = DirtiedRows(self, events)  # `Snippet(org=current_org)`: the org's `before_update` listener
        for facts in graphs.modules.values():
            if self.login_models:
                self._user_uses(facts)
            self._instances(facts)
            self._chained, self._chained_module = _chained_calls(facts), facts.module
            for call in facts.calls:
                self._direct(scope_of(facts.module, call.scope), call, Site(facts.path, call.line))
                self._self_call(facts.module, call)
            self._attribute_writes(facts)
            dirtied.read(facts)
            self.serializers.calls(facts)
            self.querysets.outer_references(facts)
        parameter_row_writes(self)  # `cert.notify = flag` in a helper given a loaded row
        self.refuted = refuted_edges(graphs, graphs.modules.values(), self.instances, self.models)
        self.specialised |= self.refuted  # calls on known rows: other classes' methods of that name do not run
        view_method_hooks(self)  # `self.get_object()` in a view's own action runs its get_queryset
        for scope, model, where in self.generic.caller_reads():  # `count_related(Device, "site")`
            self._record(scope, model, False, where)
        for scope, writes in self.pending.items():  # committed in the same function, after the change
            for model, where in writes.items():
                if self.commits.get(scope, 0) > where.line:
                    self._record(scope, model, True, where)
        bound.refine = self._refined
        property_getters(self)
        self.scoped.add_calls()
        loading = loading_relations(self, data_models)  # `order.customer.name` loads the customer
        for facts in graphs.modules.values():
            iterated_relations(self, facts)
            attribute_reads(self, facts, loading)
        self.handed = handed_parameters(self)  # `self._get_dependent_objects(obj)`: a variant per call
        self.binder = Binder(self, bound)
        self.binder.run()
        self.receiver_rows = receiver_rows(self, events, self.signal_rows)  # a receiver per sender's row
        self._callbacks(Callbacks(graphs))
        self.mixin_rows.resolve(self)
        for caller, callees in deferred_callees(graphs, self.known).items():  # run later in the request
            self.calls[caller] |= callees
        for caller, callees in registry_callees(graphs).items():  # `impl = get_filter("key"); impl(...)`
            self.calls[caller] |= callees
        self._cascade_deletes(events)
        if self.variants:
            self._materialise_variants()

    def _callbacks(self, callbacks: Callbacks) -> None:
        """A function passed as an argument runs for the call passing it: unless that call reaches a
        call-site variant of the function it calls (which binds the parameter itself)."""
        for (caller, callee), passed in callbacks.passed.items():
            if (caller, callee) not in self.specialised:
                self.calls[caller] |= passed
        self.specialised |= callbacks.dropped

    def _self_call(self, module: str, call: CallFact) -> None:
        """`self.name(...)`, `super().name(...)`: a method dispatched on the instance's class."""
        func = call.call[2][0]
        if func[0] != ExprKind.ATTRIBUTE or not call.scope:
            return
        owner = func[2][0]
        if _is_self(owner) or (owner[0] == ExprKind.CALL and owner[2][0][:2] == (ExprKind.NAME, "super")):
            scope = scope_of(module, call.scope)
            self.self_calls[scope] = self.self_calls.get(scope, frozenset()) | {str(func[1])}

    def _record(self, scope: str, model: str, is_write: bool, location: Location | Site) -> None:
        if model in self.unions:  # a model with no table of its own: the tables its queries unite
            for table in sorted(self.unions[model]):
                self._record(scope, table, is_write, location)
            return
        (self.writes if is_write else self.reads)[scope].add(model)
        if is_stand_in(model):
            self.routed.scopes.add(scope)
            return
        if isinstance(location, Site):
            location = location.location()
        self.direct.add(ModelAccess(function=scope, model=model, is_write=is_write, location=location))
        if not is_write and model in self.eager:  # its eagerly loaded relations come with it
            for loaded in sorted(self.eager[model] - self.reads[scope]):
                self._record(scope, loaded, False, location)

    def record_row_write(self, scope: str, model: str, location: Location | Site, deleted: bool = False) -> None:
        """A session write (or delete) of a row by a function, found by another module of the recognizer."""
        self._record(scope, model, True, location)
        self.saves[scope].add(DELETED + model if deleted else model)
        if deleted:
            self._deleted(scope, model, location)

    def note_insert(self, scope: str, model: str, kind: bool | None, line: int) -> None:
        """Whether a save of `model` by `scope` at `line` adds a row (True), updates a loaded one (False) or either."""
        self.inserts[scope][model].add(kind)
        self.insert_lines.setdefault(scope, {}).setdefault(model, {}).setdefault(line, set()).add(kind)

    def record_read(self, scope: str, model: str, location: Location) -> None:
        """A read of a model or table by a function, found by another module of the recognizer."""
        self._record(scope, model, False, location)

    def record_write(self, scope: str, model: str, location: Location) -> None:
        """A write of a model or table by a function, found by another module of the recognizer."""
        self._record(scope, model, True, location)

    def record_relation_change(self, scope: str, through: str, location: Location) -> None:
        """A change of a many-to-many relation (its through table written by `.set()`/`.add()`), found by another
        module of the recognizer: its `m2m_changed` receivers run (`data_access_m2m`)."""
        self._record(scope, through, True, location)
        self.saves[scope].add(RELATION_CHANGE + through)
        self.save_lines[(scope, RELATION_CHANGE + through)].add(location.line)  # a variant not running it: none

    def class_methods(self, cls: str) -> list[str]:
        """The methods a class of ours defines."""
        return self._methods.get(cls, [])

    def class_assignment(self, owner: str, names: tuple[str, ...]) -> AssignmentFact | None:
        """The first assignment to one of `names` in a class body of ours."""
        return self._class_assignment(owner, names)

    def field_call(self, model: str, field: str) -> Expr | None:
        """The call that declares a model's field (in the class or its ancestors of ours)."""
        return self._field_call(model, field)

    def denoted_models(self, scope: str, expr: Expr) -> set[str]:
        """The models an expression denotes (a class, a query of one, an instance)."""
        return self._models_of(scope, expr)

    def accesses(self) -> list[ModelAccess]:
        """Every direct access, first location per (function, model, mode), sorted."""
        first: dict[tuple[str, str, bool], ModelAccess] = {}
        for access in sorted(self.direct, key=lambda a: (a.function, a.model, a.is_write, a.location.line)):
            if is_stand_in(access.model):  # the routed class's model: an entry point's, not the function's
                continue
            if MARK in access.function:  # a call-site variant's: its helper's
                access = dataclasses.replace(access, function=access.function.partition(MARK)[0])
            first.setdefault((access.function, access.model, access.is_write), access)
        return list(first.values())

    # -- one call ------------------------------------------------------------------------------

    def _direct(self, scope: str, call: CallFact, location: Location | Site) -> None:
        func = call.call[2][0]
        arguments = call.call[2][1:]
        method = str(func[1]) if func[0] == ExprKind.ATTRIBUTE else ""
        name = method or (str(func[1]) if func[0] == ExprKind.NAME else "")
        if name in self.known.sql_calls and arguments:
            self._raw_sql(scope, arguments[0], location)
        if name in self._observer_names and arguments:
            self._observer(scope, func, arguments[0])
        if method in self._collecting and arguments:  # `NestedObjects(using).collect([obj])`: a delete preview
            self._collector(scope, func[2][0], arguments[0], location)
        if self.django and (name in self._outside_names or func[0] == ExprKind.NAME):  # aliases too
            self._outside(scope, func, location)
        elif method in self.known.user_permission_methods and self.user_models and not self._is_ours(scope, func):
            on_object = len(arguments) > 1 or keyword(call.call, "obj") is not None
            for table in self._object_permission_tables() if on_object else self._user_permission_tables():
                self._record(scope, TABLE_PREFIX + table, False, location)
            return  # the user is loaded already: its permissions are what is read
        self._outside_receiver = False
        if method:
            self._on_receiver(scope, call.call, method, location)
            if method in self.known.form_hooks:
                self._form_hooks(scope, func[2][0], self.known.form_hooks[method])
            if method in self.known.schema_dumps and self.dumps:
                self._schema_dump(scope, func[2][0], location)
            if method in self.known.schema_loads and keyword(call.call, "instance") is not None:
                for model in sorted(self._models_of(scope, call.call)):  # the loaded fields are set on it
                    self.pending[scope].setdefault(model, _located(location))
            if method in self.known.session_commits and _is_session(func[2][0]):
                self.commits[scope] = max(self.commits.get(scope, 0), location.line)
        owner = func[2][0] if method else None
        is_self = owner is not None and (_is_self(owner) or (owner[0] == ExprKind.CALL and owner[2][0][1] == "super"))
        view = self.views.get(scope.rpartition(".")[0]) if is_self else None
        if view is not None and method in view[1]:  # self.list(request) in a view's own get()
            self._record_mode(scope, view[0], view[1][method], location)
        elif view is not None and method in self.known.view_accessors:  # ticket = self.get_object()
            self._record(scope, view[0], False, location)
        elif is_self and owner is not None and (passed := self.routed.passed(scope, func)) is not None:
            self._record(scope, passed, False, location)  # `self.get_object()` in a generic base's method
        self._arguments(scope, func, method, arguments, location)

    def _on_receiver(self, scope: str, call: Expr, method: str, location: Location | Site) -> None:
        """`<receiver>.<method>(...)`: a query, an instance's method, a relation's collection."""
        receiver = call[2][0][2][0]
        if method == UNWRAP:  # `current_org._get_current_object()`: the proxied row itself, no query
            return
        if receiver[0] == ExprKind.NAME and (scope, str(receiver[1])) in self.any_instance:
            self.instance_calls[scope].add(method)  # a row of any model: the saved model's method runs
            return
        if method in self.known.table_statements and receiver[0] == ExprKind.ATTRIBUTE and receiver[1] == MAPPED_TABLE:
            receiver = receiver[2][0]  # `Config.__table__.select()`: as `select(Config)`
        is_super = receiver[0] == ExprKind.CALL and receiver[2][0][:2] == (ExprKind.NAME, "super")
        denoted = narrowed(self._walk(scope, receiver), method, self._defines, self._orm_methods)
        if not denoted:
            self.querysets.unknown_receiver(scope, call, method, location)
        for model, via, is_last, is_class in denoted:
            if is_stand_in(model):  # the routed class's model: its methods (or its queryset's) once resolved
                self.routed.called(scope, model, method, is_class)
                if method not in self._orm_methods:  # `obj.snapshot()`: what the method does counts
                    continue
            if model.startswith(TABLE_PREFIX):  # a manager of another package's model
                self._outside_receiver = True  # `ContentType.objects.get_for_model(Note)` reads no Note
                if method in self.known.cached_methods.get(model[len(TABLE_PREFIX) :], ()):
                    continue  # served from the process cache once warm
            through = self.through.get(via) if via is not None else None
            if method in self.known.collection_writes and (via is None or not is_last):
                if not is_class and via is None:
                    continue  # `channels.add(c)` on a set of instances: no relation of a model
            elif via is not None and method in self.known.collection_writes:
                changed = through or model  # the association table, or the target's foreign key
                if via[0] in self.django:
                    if through is not None:  # Django sends m2m_changed
                        self.record_relation_change(scope, through, _located(location))
                    else:
                        self._record(scope, changed, True, location)
                else:  # a SQLAlchemy collection: written when the session is committed
                    self.pending[scope].setdefault(changed, _located(location))
                continue
            if method in self.known.lookup_methods and model in self.django:
                self.lookups.of_call(scope, model, call, method, location)
            if model in self.django and (via is None or not is_last):  # `Device.objects.restrict(user)`
                self.calls[scope] |= self.managers.methods(model, method)
            if is_super and not is_class and model in self.models:
                self._super_call(scope, model, method, (call, receiver, location))
            if not is_super and self._method_call(scope, model, method, is_class, (call, receiver, location)):
                if via is not None and is_last:  # `request.user.config.get(...)`: the related row is loaded first
                    self._record(scope, model, False, location)
                continue  # our own method on an instance: what its body does counts, where it does it
            if is_super and not is_class and method not in self._orm_methods and self._defines(model, method):
                continue  # `super().to_change()` in a model's method: the base's body runs (`super().save()` writes)
            if method in self.known.statement_clauses and self._builds_write(receiver):
                continue  # `user.notifications.delete().where(...)`: a clause of the write, not a read
            is_write = method in self.known.write_methods
            if not is_write and method in self.known.lazy_methods and call in self._chained:
                continue  # `check.ping_set.all().delete()`: building the query reads nothing, the call on it does
            self._record(scope, model, is_write, location)
            if method in self.known.delete_methods:  # a queryset's (or a related manager's) delete reads its rows
                query = is_class or (via is not None and not is_last) or self._iterated(scope, receiver)
                self._deleted(scope, model, location, preview=self._soft(model, method), query=query)
            if method in self.known.signalling_methods and not (via is not None and is_last):
                saved = DELETED + model if method in self.known.delete_methods else model
                self.saves[scope].add(saved)
                self.save_lines[(scope, saved)].add(location.line)
                if not (is_super and scope.partition(VARIANT_MARK)[0].rpartition(".")[2] == method):
                    kind = inserted(method, is_class, self._is_fresh(scope, receiver), self.known)
                    self.note_insert(scope, saved, kind, location.line)  # an override's `super().save()`: its caller's
            if method in self.known.read_and_write_methods:
                self._record(scope, model, False, location)
            if through is not None:
                self._record(scope, through, False, location)
                if is_write:
                    self._record(scope, through, True, location)

    def _form_hooks(self, scope: str, receiver: Expr, prefixes: tuple[str, ...]) -> None:
        """`form.validate_on_submit()`, `serializer.is_valid()`, `.save()`: the hooks the class defines run."""
        for value in self.graphs.resolver.values(scope, receiver):
            if not value.startswith("obj:") or value[4:] in self.models:
                continue
            for owner in (value[4:], *self.graphs.resolver.ancestors(value[4:])):
                definition = self.graphs.definitions.get(owner)
                if definition is None:
                    continue
                for symbol in self._methods.get(owner, ()):
                    name = symbol.rpartition(".")[2]
                    if any(name == p or (p.endswith("_") and name.startswith(p)) for p in prefixes):
                        self.calls[scope].add(symbol)

    def _schema_dump(self, scope: str, receiver: Expr, location: Location | Site) -> None:
        """`schema.dump(note)`, `NoteSchema(many=True).dump(notes)`: the relationships it serialises are loaded."""
        for value in self.graphs.resolver.values(scope, receiver):
            for loaded in sorted(self.dumps.get(value[4:], ())) if value[:4] in ("obj:", "cls:") else ():
                self._record(scope, loaded, False, location)

    def _method_call(
        self, scope: str, model: str, method: str, is_class: bool, site: tuple[Expr, Expr, Location | Site]
    ) -> bool:
        """`instance.method(...)`: whether it is a method of our model class (then not a query of it).

        The method is then reached from `scope` (the call graph may not know the instance): as a variant
        without the branches this call cannot take, when its receiver (loaded or built here) or its
        arguments decide some (`if self.id: ...; return`, `if user is None:`).
        """
        found = False
        for value in self.graphs.resolver.class_attribute(model, method):
            if value.startswith("wrap:"):  # a method our decorator wraps (`@memoize_request`): wrapper and method run
                *wrappers, value = value[5:].split("|")
                for wrapper in wrappers if not is_class and value in self.graphs.definitions else ():
                    self.calls[scope].add(wrapper)
                value = "bnd:" + value
            if value.startswith(("bnd:", "def:")) and value[4:] in self.graphs.definitions:
                found = True
                if not is_class:
                    self.mixin_rows.called(scope, model, value[4:], site[2])  # also for a variant bound to `model`
                    if self._bind_self(scope, value[4:], model, site):
                        continue
                    fresh = self._is_fresh(scope, site[1])
                    callee = self._specialised(scope, value[4:], site[0], fresh)
                    self.calls[scope].add(callee)
                    self.call_lines[(scope, callee)].add(site[2].line)
                    if method in self.known.signalling_methods:  # `change.save()`: our override, for this row
                        self.note_insert(scope, model, inserted(method, False, fresh, self.known), site[2].line)
        return found and not is_class

    def _bind_self(self, scope: str, method: str, model: str, site: tuple[Expr, Expr, Location | Site]) -> bool:
        """A call of an inherited method whose `self` the link stage gives several models
        (`data_access_selves`): `scope` reaches the method's variant for `model` (whether it does)."""
        call, receiver, where = site
        if self.selves.self_name(method) is None or model not in self.models:
            return False
        if _is_self(receiver) and MARK not in scope and self.selves.self_name(scope) is not None:
            return False  # `self.clean()` in such a method itself (not a variant): every model, as its `self`
        dead = self._dead_lines(method, call, self._is_fresh(scope, receiver))
        self.self_bound.add((scope, where.line, method))
        self.specialised.add((scope, method))
        depth = self.binder.depth if self.binder is not None else 0
        self.self_bindings_pending.append((scope, call, method, model, dead, where.line, depth))
        if self.binder is not None and self.binder.active and not depth:
            self.bind_pending_selves()
        return True

    def bind_pending_selves(self) -> None:
        """The `self` variants of the calls `_bind_self` found (made once the helpers are indexed; one at a
        time, not from inside another variant's evaluation: chains of them run deep)."""
        binder = self.binder
        assert binder is not None
        while self.self_bindings_pending:
            scope, call, method, model, dead, line, depth = self.self_bindings_pending.pop(0)
            outer, binder.depth = binder.depth, depth
            try:
                variant = binder.self_variant(scope, call, method, model, dead) or method
            finally:
                binder.depth = outer
            self.calls[scope].add(variant)
            self.call_lines[(scope, variant)].add(line)

    def _super_call(self, scope: str, model: str, method: str, site: tuple[Expr, Expr, Location | Site]) -> None:
        """`super().name(...)` on an instance of `model`: the next method of its MRO, as a `self` variant when
        it is an inherited one (`super().save()` in `ProductMedia.save` reaches `SortableModel.save` for it)."""
        base = scope.partition(VARIANT_MARK)[0]
        if MARK not in scope and self.selves.self_name(base) is not None:
            return  # in such a method itself (not a variant): the link stage's edges, every model
        after = self.selves.after(model, base.rpartition(".")[0], method)
        if after is None or _is_classmethod(self.graphs.definitions.get(after)):
            return  # a classmethod's `super(...)`: the link stage's edge, bound per call by the binder
        if not self._bind_self(scope, after, model, site):
            self.calls[scope].add(after)

    def _defines(self, model: str, method: str) -> bool:
        """Whether a model (or an ancestor of ours) defines a method, or has a relation, of that name."""
        if (model, method) in self.accessors:
            return True
        return any(
            v.startswith(("bnd:", "def:")) and v[4:] in self.graphs.definitions
            for v in self.graphs.resolver.class_attribute(model, method)
        )

    def _is_fresh(self, scope: str, receiver: Expr) -> bool | None:
        """Whether an instance was built here (`Topic(...)`: no row yet) or loaded (a query, the logged-in
        user): None when nothing says."""
        if receiver[0] == ExprKind.NAME:
            return self.fresh.get((scope, str(receiver[1])))
        if receiver[0] == ExprKind.CALL and self.factories.built(scope, receiver):
            return True  # `Change(...).save()`, `instance.to_change().save()`
        if any(self._is_login_proxy(v) for v in self.graphs.resolver.values(scope, receiver)):
            return False
        return None

    def _specialised(self, scope: str, method: str, call: Expr, fresh: bool | None) -> str:
        """`method`, or the variant of it a call with this receiver and these arguments runs."""
        dead = self._dead_lines(method, call, fresh)
        if not dead:
            return method
        variant = f"{method}{VARIANT_MARK}{len(self.variants)}"
        for known, (original, lines) in self.variants.items():
            if original == method and lines == dead:
                variant = known
                break
        self.variants[variant] = (method, dead)
        self.specialised.add((scope, method))
        return variant

    def _dead_lines(self, method: str, call: Expr, fresh: bool | None) -> tuple[tuple[int, int], ...]:
        """The line ranges of `method` this call cannot run: the branch a top-level `if` does not take, and
        what follows a branch taken that ends in `return`, where the test is decided by the receiver
        (`self.id`: a loaded row has one, a built one not) or by a parameter left to its default or
        given a literal (`if user is None:`)."""
        definition = self.graphs.definitions[method]
        facts = self.graphs.modules.get(definition.module)
        if facts is None:
            return ()
        qualname, end = definition.fact.qualname, definition.fact.end_line
        branches = [b for b in facts.branches if b.scope == qualname and b.kind == "if"]
        if not branches:
            return ()
        given = self._given(definition.fact.parameters, call)
        identities = self.known.row_identities

        def decide(test: Expr) -> bool | None:
            return _decided(test, given, fresh, identities)

        return dead_spans(branches, facts, qualname, end, decide, honours_exits=True)

    @staticmethod
    def _given(parameters: tuple[ParameterFact, ...], call: Expr) -> dict[str, Expr | None]:
        """Parameter → the expression this call gives it (its default when not given; None: unknown)."""
        named = [p for p in parameters if p.kind in ("positional", "keyword")]
        if named and named[0].name in ("self", "cls"):
            named = named[1:]
        positional = call[2][1:]
        if any(a[0] == ExprKind.STARRED for a in positional) or any(k is None for k, _ in call[3]):
            return {}
        keywords = dict(call[3])
        given: dict[str, Expr | None] = {}
        for position, parameter in enumerate(named):
            if position < len(positional) and parameter.kind == "positional":
                given[parameter.name] = positional[position]
            elif parameter.name in keywords:
                given[parameter.name] = keywords[str(parameter.name)]
            else:
                given[parameter.name] = parameter.default
        return given

    def _materialise_variants(self) -> None:
        """What each variant reads, writes and calls: its method's accesses and calls on the lines it runs."""
        by_function: dict[str, list[ModelAccess]] = defaultdict(list)
        for access in self.direct:
            by_function[access.function].append(access)
        for variant, (method, dead) in sorted(self.variants.items()):
            self._materialise(variant, method, dead, by_function.get(method, ()))

    def variant(self, method: str, dead: tuple[tuple[int, int], ...]) -> str:
        """The variant of `method` without the `dead` line ranges (made once the accesses are all known:
        a receiver as a write's signal runs it, `data_access_guards`)."""
        if not dead:
            return method
        for known, (original, lines) in self.variants.items():
            if original == method and lines == dead:
                return known
        variant = f"{method}{VARIANT_MARK}{len(self.variants)}"
        self.variants[variant] = (method, dead)
        if self._by_function is None:
            self._by_function = defaultdict(list)
            for access in self.direct:
                self._by_function[access.function].append(access)
        self._materialise(variant, method, dead, self._by_function.get(method, ()))
        return variant

    def _materialise(
        self, variant: str, method: str, dead: tuple[tuple[int, int], ...], accesses: Iterable[ModelAccess]
    ) -> None:
        """What a variant reads, writes, saves and calls: its method's, on the lines it runs."""

        def live(line: int) -> bool:
            return not any(first <= line <= last for first, last in dead)

        for access in accesses:
            if live(access.location.line):
                (self.writes if access.is_write else self.reads)[variant].add(access.model)
        self.pending[variant] = {m: w for m, w in self.pending.get(method, {}).items() if live(w.line)}
        if method in self.commits:
            self.commits[variant] = self.commits[method]
        self.saves[variant] = {  # what it saves on the lines it runs (a receiver's consequences follow)
            model
            for model in self.saves.get(method, ())
            if not self.save_lines.get((method, model)) or any(live(n) for n in self.save_lines[(method, model)])
        }
        for model, lines in self.insert_lines.get(method, {}).items():  # whether its saves there add rows
            if kinds := set().union(*(k for n, k in lines.items() if live(n))):
                self.inserts[variant][model] = kinds
        callees = {
            c for c in self.calls.get(method, ()) if not any(not live(n) for n in self.call_lines.get((method, c), ()))
        }
        graph = self.graphs.call_graph
        if method in graph:
            for _, callee, data in graph.out_edges(method, data=True):
                if live(int(data.get("line", 0))) and (method, callee) not in self.specialised:
                    callees.add(callee)
        self.calls[variant] = callees

    def _arguments(
        self, scope: str, func: Expr, method: str, arguments: tuple[Expr, ...], location: Location | Site
    ) -> None:
        """Models passed to a call: classes are read (or written by `insert`/`update`/`delete`), instances saved."""
        resolver = self.graphs.resolver
        writes_class: bool | None = None
        calls_ours: bool | None = None  # decided at the first model class passed
        is_session_write = method in self.known.session_writes and _is_session(func[2][0])
        for position, argument in enumerate(arguments):
            if (passed := self.routed.passed(scope, argument)) is not None:  # `get_table(self.queryset)`
                self._record(scope, passed, False, location)
            instances: set[str] = set()
            values = resolver.values(scope, argument) if argument[0] not in _LITERALS else ()
            values = frozenset(self.generic.filtered(scope, argument, values))
            if _is_self(argument):  # `db.session.delete(self)`: an instance of the method's class
                values = own_class_values(values, scope, self.graphs.definitions, resolver.ancestors)
                if is_session_write and self.mixin_rows.defer(self, scope, method):
                    continue  # a mixin's: the row of each call on a known instance (`category.save()`)
            for value in values:
                tag, _, target = value.partition(":")
                if tag == "cls" and target in self.bound:
                    self._record(scope, self.bound[target], False, location)
                outside = self._outside_classes(value)
                if outside:  # `get_object_or_404(Group, pk=pk)`: as a model class of ours
                    tag, target = "cls", sorted(outside)[0]
                elif target not in self.models:
                    continue
                if tag == "cls" and self._outside_receiver:
                    continue  # a class handed to another package's model manager: no query of it
                if tag == "cls":
                    if calls_ours is None:  # our own function: its body says what it does with the class;
                        calls_ours = self._is_ours(scope, func, builtins=True)  # `isinstance(x, Model)`: none
                        writes_class = not calls_ours and self._writes_classes(scope, func)
                    if not calls_ours:
                        self._record(scope, target, bool(writes_class), location)
                    else:  # a generic function of ours may query it: decided once all are read
                        self.generic.pass_class(scope, self._callees(scope, func), position, target, _located(location))
                elif tag == "obj":
                    instances.add(target)
            if is_session_write or method == "populate_obj":
                instances |= self._models_of(scope, argument)
            for model in sorted(instances):
                if is_session_write:
                    self._record(scope, model, True, location)
                    if method in self.known.delete_methods:  # `session.delete(parent)`: its delete cascade
                        self._deleted(scope, model, location)
                elif method == "populate_obj":  # WTForms sets the form's fields on the instance
                    self.pending[scope].setdefault(model, _located(location))
        for value in resolver.values(scope, func) if func[0] == ExprKind.NAME or not method else ():
            if value.startswith("cls:") and value[4:] in self.bound:  # `NoteSerializer(note)`
                self._record(scope, self.bound[value[4:]], False, location)

    def _callees(self, scope: str, func: Expr) -> list[str]:
        """The functions of ours a call reaches."""
        return [
            v[4:]
            for v in sorted(self.graphs.resolver.values(scope, func))
            if v.startswith(("def:", "bnd:")) and v[4:] in self.graphs.definitions
        ]

    def _writes_classes(self, scope: str, func: Expr) -> bool:
        """Whether the call is SQLAlchemy's `insert(Model)`, `update(Model)` or `delete(Model)`."""
        return any(
            value.startswith("ext:sqlalchemy")
            and value.rpartition(":")[2].rpartition(".")[2] in self.known.statement_writes
            for value in self.graphs.resolver.values(scope, func)
        )

    def _outside(self, scope: str, func: Expr, location: Location | Site) -> None:
        """A call of an outside function whose tables are known (`get_objects_for_user(...)`)."""
        for name in self.graphs.resolver.qualified_names(scope, func):
            known = self.known.outside.get(name)
            if known is None:
                continue
            for tables, is_write in ((known[0], False), (known[1], True)):
                for table in tables:
                    for model in self._named_tables(table):
                        self._record(scope, model, is_write, location)
            return

    def _observer(self, scope: str, func: Expr, registered: Expr) -> None:
        """`auditlog.register(Note)`: every save or delete of Note also writes the observer's tables."""
        for name in self.graphs.resolver.qualified_names(scope, func):
            tables = self.known.save_observers.get(name)
            if tables is None:
                continue
            for value in self.graphs.resolver.values(scope, registered):
                if value.startswith("cls:") and value[4:] in self.models:
                    self.observed[value[4:]].update(t for table in tables for t in self._named_tables(table))
            return

    def _named_tables(self, table: str) -> list[str]:
        """A table a heuristics rule names, as reported: `{user}` is the user model, `{user}_groups` its table's."""
        if table == "{user}":
            return sorted(self.user_models)
        users = [m.table for m in self.data_models if m.symbol in self.user_models and m.table]
        return [TABLE_PREFIX + table.replace("{user}", users[0] if users else "auth_user")]

    def _deleted(self, scope: str, model: str, where: Location | Site, preview: str = "", query: bool = False) -> None:
        """A delete of `model`'s rows (`query`: of a queryset; `preview`: only collected, or soft) in `scope`: what it
        sets off is added once every delete is known (`_cascade_deletes`)."""
        self.deletes[scope].setdefault((model, preview, query), where)
        if is_stand_in(model):  # the routed class's model: resolved per entry point
            self.routed.scopes.add(scope)

    def _iterated(self, scope: str, receiver: Expr) -> bool:
        """Whether a receiver is a loop's variable (`for f in files: f.delete()`): a row only if the query found one."""
        if receiver[0] != ExprKind.NAME:
            return False
        if self._loops is None:
            self._loops = {
                (scope_of(facts.module, a.scope), str(a.targets[0][1]))
                for facts in self.graphs.modules.values()
                for a in facts.assignments
                if a.operator == "iter" and a.scope and len(a.targets) == 1 and a.targets[0][0] == ExprKind.NAME
            }
        return (scope.partition(MARK)[0], str(receiver[1])) in self._loops

    def _soft(self, model: str, method: str) -> str:
        """`SOFT` when `model.<method>()` only marks rows deleted (a soft-delete base's `delete`), else ""."""
        ancestors = self.graphs.resolver.ancestors(model)
        return SOFT if any(method in self.known.soft_deletes.get(a, ()) for a in ancestors) else ""

    def _collector(self, scope: str, receiver: Expr, collected: Expr, location: Location | Site) -> None:
        """`collector.collect(objs)` on a deletion collector (Django's `Collector`, the admin's `NestedObjects`, a
        subclass): a preview of deleting what `objs` denotes."""
        resolver = self.graphs.resolver
        for value in resolver.values(scope, receiver):
            if value.startswith("ext:") and value.endswith("()"):
                classes: tuple[str, ...] = (value[4:-2].replace(":", "."),)
            elif value.startswith("obj:"):
                classes = resolver.ancestors(value[4:])
            else:
                continue
            if any(c in self.known.collectors for c in classes):
                items = collected[2] if collected[0] in (ExprKind.LIST, ExprKind.TUPLE, ExprKind.SET) else (collected,)
                for model in sorted({m for item in items for m in self._models_of(scope, item)}):
                    self._deleted(scope, model, location, preview=COLLECTED)
                return

    def _cascade_deletes(self, events: Iterable[Event]) -> None:
        """What each delete found sets off (`data_access_cascades`): the related tables the deletion Collector
        reads and writes, at the delete's line; the models it deletes one by one are saved (their receivers run)."""
        if not self.deletes:
            return
        senders: set[str | None] = set()
        for event in events:
            if event.signal.rpartition(".")[2] in self.known.delete_signals:
                sender = event.sender
                senders.add(sender if sender is None or sender in self.models else _labelled(sender, self.data_models))

        def listened(model: str) -> bool:
            return None in senders or model in senders or model in self.observed

        cascades = self.cascades = Cascades(self.graphs, self.data_models, self._field_call, self.known, listened)
        for scope, deletes in sorted(self.deletes.items()):
            for (model, preview, query), where in sorted(deletes.items(), key=lambda item: item[0]):
                if is_stand_in(model):  # the routed class's model: cascaded once resolved
                    continue
                found = cascades.of(model, preview, query)
                for table in found.reads:
                    self._record(scope, table, False, where)
                for table in found.writes + (found.found if FOUND_ROWS_WRITTEN else ()):
                    self._record(scope, table, True, where)
                if FOUND_ROWS_WRITTEN:
                    self.saves[scope].update(DELETED + model for model in found.deleted)

    def _builds_write(self, receiver: Expr) -> bool:
        """Whether a chain goes through a write statement (`....delete()`, `update(...)`, `insert()`)."""
        node = receiver
        while node[0] in (ExprKind.ATTRIBUTE, ExprKind.CALL, ExprKind.SUBSCRIPT):
            func = node[2][0]
            if node[0] == ExprKind.CALL and func[0] == ExprKind.ATTRIBUTE and func[1] in self.known.statement_writes:
                return True
            node = func
        return False

    def _is_user_loader(self, value: str) -> bool:
        """`@login_manager.user_loader` (or `request_loader`) of flask-login, `@auth.verify_password` (HTTPAuth)."""
        return any(
            value.startswith(f"ext:{package}") and value.endswith(ends)
            for package, ends in self.known.user_loaders.items()
        )

    def _is_login_proxy(self, value: str) -> bool:
        """flask-login's `current_user`, Flask-HTTPAuth's `auth.current_user()`: the logged-in user."""
        if value in self.known.login_proxies:
            return True
        return value.startswith("ext:") and any(
            value.startswith(f"ext:{package}") and value.endswith(ends)
            for package, ends in self.known.login_calls.items()
        )

    def _hooks(self, mode: str) -> frozenset[str]:
        """The hooks an inherited view action of this mode (`""`: every action) calls."""
        return self.known.view_hooks.get(mode, frozenset())

    def _object_permission_tables(self) -> tuple[str, ...]:
        """What `user.has_perm(perm, obj)` reads: nothing with Django's own backend (it has no object
        permissions); the tables of the object-permission backends the settings' AUTHENTICATION_BACKENDS name."""
        if self._object_tables is None:
            users = [m.table for m in self.data_models if m.symbol in self.user_models and m.table]
            base = users[0] if users else "auth_user"
            found: list[str] = []
            for facts in self.graphs.modules.values():
                for assignment in facts.assignments:
                    if assignment.scope or not any(
                        t[:2] == (ExprKind.NAME, "AUTHENTICATION_BACKENDS") for t in assignment.targets
                    ):
                        continue
                    for backend, tables in self.known.object_permission_backends.items():
                        if repr(backend) in repr(assignment.value):
                            found += [
                                t.replace("{user}", base) for t in tables if t.replace("{user}", base) not in found
                            ]
            self._object_tables = tuple(found)
        return self._object_tables

    def _user_permission_tables(self) -> tuple[str, ...]:
        """What a user's permission lookup reads: the permission tables, and the user model's
        `groups`/`user_permissions` many-to-many tables (`auth_user_groups` for Django's own User),
        as the user model's relations name them."""
        return permission_tables(self.known.user_permission_tables, self.user_models, self.data_models)

    def _is_ours(self, scope: str, func: Expr, builtins: bool = False) -> bool:
        """Whether a call reaches a function of the tree (a model's own `has_perm`), or with `builtins` a builtin."""
        tags = ("def:", "bnd:", "wrap:", "bi:") if builtins else ("def:", "bnd:", "wrap:")
        return any(v.startswith(tags) for v in self.graphs.resolver.values(scope, func))

    def _record_mode(self, scope: str, model: str, mode: str, location: Location | Site) -> None:
        if READ in mode:
            self._record(scope, model, False, location)
        if WRITE in mode:
            self._record(scope, model, True, location)
            self.saves[scope].add(model)
            self.save_lines[(scope, model)].add(location.line)

    def _raw_sql(self, scope: str, statement: Expr, location: Location | Site) -> None:
        """`cursor.execute("UPDATE post SET ...")`: the tables a literal statement names."""
        text = string_of(statement)
        if text is None and statement[0] == ExprKind.NAME:
            text = self._constant_string(scope, str(statement[1]))
        if text is None:
            return
        read, written = tables_in_sql(text)
        for table in sorted(read):
            self._record(scope, self.tables.get(table, TABLE_PREFIX + table), False, location)
        for table in sorted(written):
            self._record(scope, self.tables.get(table, TABLE_PREFIX + table), True, location)

    def _constant_string(self, scope: str, name: str) -> str | None:
        """The string a name is bound to in the function or its module (`SQL = "SELECT ..."`)."""
        module, _, qualname = scope.partition(":")
        facts = self.graphs.modules.get(module)
        if facts is None:
            return None
        for assignment in facts.assignments:
            if assignment.scope in (qualname, "") and assignment.targets == ((ExprKind.NAME, name, (), ()),):
                text = string_of(assignment.value)
                if text is not None:
                    return text
        return None

    # -- what an expression denotes ------------------------------------------------------------

    def denoted(self, scope: str, expr: Expr) -> set[Denoted]:
        """What an expression denotes (models, instances or classes, and the relation that reached them)."""
        return self._walk(scope, expr)

    def _models_of(self, scope: str, expr: Expr) -> set[str]:
        """The models an expression denotes: a model class or a chain from one, or an instance of one."""
        return {denoted[0] for denoted in self._walk(scope, expr)}

    def _walk(self, scope: str, expr: Expr) -> set[Denoted]:
        """What `expr` denotes: (model, last relation followed, whether that was the chain's last step, is a class).

        From an instance, relation attributes are followed as long as they are relations
        (`ticket.comments.filter(...)` is Comment, `line.order` is Order); in a view class's
        methods `self.get_queryset()`, `self.object`, ... are the view's model.
        """
        steps: list[str] = []
        nodes: list[Expr] = []  # nodes[i]: the expression whose last step is steps[i]
        root = expr
        while root[0] in (ExprKind.ATTRIBUTE, ExprKind.CALL, ExprKind.SUBSCRIPT):
            steps.append(str(root[1]) if root[0] == ExprKind.ATTRIBUTE else "()")
            nodes.append(root)
            root = root[2][0]
        steps.reverse()
        nodes.reverse()
        if UNWRAP in steps:  # `current_user._get_current_object()`: the object the proxy stands for
            steps, nodes = proxied(steps, nodes)
        while steps and nodes[0][0] == ExprKind.ATTRIBUTE and self._is_module(scope, root):
            root, steps, nodes = nodes[0], steps[1:], nodes[1:]  # `models.User.query`: rooted at `models.User`
        if self.login_models and "current_user" in steps:  # `basic_auth.current_user()` (Flask-HTTPAuth)
            end = steps.index("current_user") + 1
            if end < len(steps) and steps[end] == "()":
                end += 1
            if any(self._is_login_proxy(v) for v in self.graphs.resolver.values(scope, nodes[end - 1])):
                return self._follow(self.login_models, steps[end:])
        if root[0] == ExprKind.NAME and root[1] == "super" and steps[:1] == ["()"]:
            steps = steps[1:]
            root = (ExprKind.NAME, "self", (), ())
        starts: set[str] = set()
        view = self.views.get(scope.rpartition(".")[0]) if _is_self(root) else None
        if view is not None and steps[:1] and steps[0] in self.known.view_accessors:
            starts.add(view[0])
            steps = steps[1:]
            if steps[:1] == ["()"]:
                steps = steps[1:]
        elif (stand_in := self.routed.stand_in(scope, root, steps)) is not None:  # a generic base's own model
            steps = stand_in.steps
            if not stand_in.is_class or steps[:1] == ["()"]:  # `self.get_object()`, `cls._meta.model()`
                starts.add(stand_in.model)
                steps = steps[1:] if stand_in.is_class else steps
            elif any(step.startswith(CLASS_METADATA_PREFIX) for step in steps):
                return set()
            elif len(steps) >= 2 and steps[-1] == "()" and steps[-2] in self.known.row_steps:
                return {Denoted(stand_in.model, None, False, False)}
            else:
                return {Denoted(stand_in.model, None, False, True)}
        elif self.user_models and _user_step(root, steps) is not None:  # request.user, self.request.user
            starts |= self.user_models
            steps = steps[int(_user_step(root, steps) or 0) + 1 :]
        elif (scoped := self.scoped.start(scope, root, steps)) is not None:
            starts, steps = scoped
        elif (tupled := self.tuples.starts(scope, root, nodes, steps)) is not None:
            starts, steps = tupled
        elif (kept := self.kept.start(scope, root, steps)) is not None:
            starts, steps = kept
        elif (loaded := self._schema_load(scope, root, nodes, steps)) is not None:
            starts, steps = loaded
        else:
            if root[0] == ExprKind.NAME and steps[:1] == [LOAD_RESULT] and (scope, str(root[1])) in self.loaded:
                steps = steps[1:]  # `result.data` of marshmallow 2's `result = schema.load(...)`
            classes = self._root(scope, root, steps, starts)
            if classes and (tables := through_tables(self.through, classes, steps)):  # `Depot.zones.through`
                return {Denoted(table, None, False, True) for table in tables}
            first = _instance_step(steps) if classes else None
            if first is not None:  # `Note.objects.get(pk=pk).tags`: an instance's relation
                starts |= {model for model in classes if (model, steps[first]) in self.accessors}
                if starts:
                    steps = steps[first:]
                    classes = set()
            if classes and steps[:1] == [MAPPED_TABLE] and steps[1:2] and steps[1] in self.known.table_statements:
                steps = steps[1:]  # `Config.__table__.select()`: a statement on the model's table
            if classes and any(
                step.startswith(CLASS_METADATA_PREFIX) and step not in self.known.managers for step in steps
            ):
                return set()  # `model.__mapper__.has_property(f)`, `Order._meta.get_field(...)`: metadata
            if classes and len(steps) >= 2 and steps[-1] == "()" and steps[-2] in self.known.row_steps:
                return {Denoted(model, None, False, False) for model in classes}  # `User.query.get(i)`: a row
            if classes:
                return {Denoted(model, None, False, True) for model in classes}
            if not starts and (row := self._row_call(scope, root, nodes, steps)) is not None:
                starts, steps = row
            if steps[:1] == ["()"] and any(
                v.startswith("cls:") or (v.startswith("def:") and self._function_models(v[4:]))
                for v in self.graphs.resolver.values(scope, root)
            ):
                steps = steps[1:]
        return self._follow(starts, steps)

    def _refined(self, scope: str, local: str, values: frozenset[str]) -> frozenset[str]:
        """A local's values with its models as this recognizer knows them (`order = Order.query.get(i)`), when
        it knows some: the link stage's may hold every model a helper's return gave it
        (`authority = database.create(authority)`, where `create` returns any model any caller passed)."""
        known = self.instances.get((scope, local))
        if not known:
            return values
        kept = {v for v in values if v[:4] not in ("obj:", "cls:") or v[4:] not in self.models or v[4:] in known}
        return frozenset(kept | {f"obj:{model}" for model in known if model in self.models or is_stand_in(model)})

    def _is_module(self, scope: str, expr: Expr) -> bool:
        """Whether a name (or a dotted name) denotes a module of the tree only (`from app import models`)."""
        if expr[0] not in (ExprKind.NAME, ExprKind.ATTRIBUTE):
            return False
        values = self.graphs.resolver.values(scope, expr)
        return bool(values) and all(v.startswith("mod:") for v in values)

    def _schema_load(
        self, scope: str, root: Expr, nodes: list[Expr], steps: list[str]
    ) -> tuple[set[str], list[str]] | None:
        """`schema.load(data)`, `NoteSchema().load(data)` of a model-bound schema: an instance of its model,
        and the steps after the load (`.data` of a marshmallow 2 result skipped)."""
        for position in (0, 1):
            if steps[position + 1 : position + 2] != ["()"] or steps[position] not in self.known.schema_loads:
                continue
            if position == 1 and steps[0] != "()":
                continue
            loader = nodes[position - 1] if position else root
            bound = {
                self.bound[v[4:]]
                for v in self.graphs.resolver.values(scope, loader)
                if v[:4] in ("obj:", "cls:") and v[4:] in self.bound
            }
            if not bound:
                return None
            rest = steps[position + 2 :]
            return bound, rest[1:] if rest[:1] == [LOAD_RESULT] else rest
        return None

    def _row_call(
        self, scope: str, root: Expr, nodes: list[Expr], steps: list[str]
    ) -> tuple[set[str], list[str]] | None:
        """`db.session.get(User, i)`, `db.get_or_404(User, i)`, `get_object_or_404(Ticket, pk=i)`: a one-row
        step given a model class is a row of it, and the steps after that call."""
        for position in range(len(steps)):
            called = steps[position - 1] if position else (str(root[1]) if root[0] == ExprKind.NAME else "")
            if steps[position] != "()" or called not in self.known.row_steps:
                continue
            arguments = nodes[position][2][1:2]
            models = {
                v[4:]
                for argument in arguments
                for v in self.graphs.resolver.values(scope, argument)
                if v.startswith("cls:") and v[4:] in self.models
            }
            return (models, steps[position + 1 :]) if models else None
        return None

    def _follow(self, starts: set[str], steps: list[str]) -> set[Denoted]:
        """From instances of `starts`, the relations `steps` follow (up to the first step that is none)."""
        found: set[Denoted] = set()
        for start in starts:
            model, via, is_last = start, None, False
            for position, step in enumerate(steps):
                reached = self.accessors.get((model, step))
                if reached is None:
                    if (
                        step not in self.known.query_steps and step not in self.known.managers
                    ):  # `self.created_at.isoformat()`, `user.get_posts()`: not rows (`row._default_manager`: rows)
                        model = ""
                    break
                via, model, is_last = (model, step), reached, position == len(steps) - 1
            if model:
                found.add(Denoted(model, via, is_last, False))
        return found

    def _root(self, scope: str, root: Expr, steps: list[str], starts: set[str]) -> set[str]:
        """The model classes a chain's root is (returned), or the instances it may be (added to `starts`)."""
        classes: set[str] = set()  # every model the root may be: a loop over models reaches each
        queried: set[str] = set()  # the models a function of ours called returns a query of
        values = frozenset(self.generic.filtered(scope, root, self.graphs.resolver.values(scope, root), is_root=True))
        if _is_self(root):
            values = own_class_values(values, scope, self.graphs.definitions, self.graphs.resolver.ancestors)
        elif root[0] == ExprKind.NAME:
            values = self._refined(scope, str(root[1]), values)
        for value in values:
            tag, _, target = value.partition(":")
            outside = self._outside_classes(value, steps)
            if outside:
                if steps[:1] == ["()"] and value in self.known.user_model_calls:
                    starts |= outside  # `get_user_model()()`: an instance
                elif steps[:1] == ["()"] and value + "()" in self.known.user_model_calls:
                    del steps[0]  # `get_user_model().objects...`: the class the call returns
                    classes |= outside
                elif steps[:1] == ["()"]:
                    starts |= outside  # `Group(name=...)` builds one
                else:
                    classes |= outside
                continue
            if self._is_login_proxy(value):
                starts |= self.login_models
            elif tag == "obj" and is_stand_in(target):  # a row of the routed class's model, handed along
                starts.add(target)
            elif tag == "obj" and target in self.bound:
                starts.add(self.bound[target])
            if tag == "def" and steps[:1] == ["()"]:
                rows = self._function_models(target)  # `get_current_user().name`
                starts |= rows
                queried |= set() if rows else self.returned_queries.of(target)  # `authorized_orders(u).filter()`
            elif tag == "wrap" and steps[:1] == ["()"]:  # a function our decorator wraps (a request cache)
                queried |= self.returned_queries.of(target.rpartition("|")[2])
            if target not in self.models:
                continue
            if tag == "cls" and steps[:1] != ["()"]:
                classes.add(target)
            elif tag in ("cls", "obj"):  # an instance (`Order(...)` builds one)
                starts.add(target)
        if root[0] == ExprKind.NAME:
            starts |= self.instances.get((scope, str(root[1])), set())
            if root[1] == "self" and not starts and scope.rpartition(".")[0] in self.models:
                starts.add(scope.rpartition(".")[0])  # `self` in a model's own method
            elif root[1] == "self" and not starts and not classes:  # `self.get_queryset()` in a manager's method
                classes.update(self.managers.self_query(scope, steps, self.known))
        if queried and not classes and not starts:
            del steps[0]  # the call's result is the query
            classes = queried
        return classes

    def _outside_classes(self, value: str, steps: list[str] | None = None) -> set[str]:
        """A model class of another package (`Group`, guardian's `UserObjectPermission`) as the report names
        it, or the user model a `get_user_model()` call returns."""
        if not value.startswith("ext:"):
            return set()  # a class or instance of the tree, a builtin: most values (a hot path)
        table = self.known.outside_models.get(value)
        if table is not None:
            return {value[4:] if value[4:] == AUTH_USER_SYMBOL else TABLE_PREFIX + table}
        if value in self.known.user_model_calls:
            return set(self.user_models)
        if steps is not None and steps[:1] == ["()"] and value + "()" in self.known.user_model_calls:
            return set(self.user_models)
        return set()

    # -- relations, bound classes, views, users --------------------------------------------------

    def _relations(self, data_models: list[DataModel]) -> None:
        """Relation attributes: forward fields, and Django reverse accessors / SQLAlchemy backrefs."""
        for model in data_models:
            for relation in model.relations:
                target = self._relation_target(relation.target)
                if relation.field is None or target is None:
                    continue
                self.accessors.setdefault((model.symbol, relation.field), target)
                if relation.through is not None:
                    self.through.setdefault((model.symbol, relation.field), relation.through)
                if relation.kind == "relationship":
                    self.relationships[model.symbol].setdefault(relation.field, target)
                if relation.kind == "relationship" and self._is_eager(model.symbol, relation.field):
                    self.eager[model.symbol] |= {target, *([relation.through] if relation.through else [])}
                reverse = self._reverse_name(model, relation.kind, relation.field)
                if reverse and "%" not in reverse and not reverse.endswith("+"):
                    self.accessors.setdefault((target, reverse), model.symbol)
                    if relation.kind == "relationship":
                        self.relationships[target].setdefault(reverse, model.symbol)
                    if relation.through is not None:
                        self.through.setdefault((target, reverse), relation.through)
        self._inherited_relations()

    def _relation_target(self, target: str) -> str | None:
        """What a relation reaches: a model of ours, the user model, another package's model known to the
        knowledge (`auth.Group` as `table:auth_group`) or a table; None when unknown."""
        if target == AUTH_USER_DOTTED:
            return AUTH_USER_SYMBOL
        if target in self.models or target == AUTH_USER_SYMBOL or target.startswith(TABLE_PREFIX):
            return target
        module, _, name = target.rpartition(".")
        table = self.known.outside_models.get(f"ext:{module}:{name}") if module else None
        if table is None and module and "." not in module:  # `to="contenttypes.ContentType"`: an app label
            table = self._labelled_outside().get((module, name))
        return TABLE_PREFIX + table if table is not None else None

    def _labelled_outside(self) -> dict[tuple[str, str], str]:
        """(app label, class name) → table of the other packages' models the knowledge names
        (`django.contrib.contenttypes.models:ContentType` is `contenttypes.ContentType`)."""
        if self._outside_labels is None:
            found: dict[tuple[str, str], set[str]] = defaultdict(set)
            for value, table in self.known.outside_models.items():
                module, _, name = value.removeprefix("ext:").partition(":")
                parts = module.split(".")
                if len(parts) >= 2 and parts[-1] == "models":
                    found[(parts[-2], name)].add(table)
            self._outside_labels = {key: min(tables) for key, tables in found.items() if len(tables) == 1}
        return self._outside_labels

    def _inherited_relations(self) -> None:
        """A model subclassing another model (SQLAlchemy single or joined table inheritance, Django
        multi-table inheritance) has its parents' relations, and loads what their eager ones load."""
        resolver = self.graphs.resolver
        declared: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for (model, field), target in self.accessors.items():
            declared[model].append((field, target))
        for model in sorted(self.models):
            for ancestor in resolver.ancestors(model):
                if ancestor not in self.models:
                    continue
                for field, target in self.relationships.get(ancestor, {}).items():
                    self.relationships[model].setdefault(field, target)
                for field, target in declared.get(ancestor, ()):
                    self.accessors.setdefault((model, field), target)
                    if (ancestor, field) in self.through:
                        self.through.setdefault((model, field), self.through[(ancestor, field)])
                if ancestor in self.eager:
                    self.eager[model] |= self.eager[ancestor]

    def _is_eager(self, model: str, field: str) -> bool:
        """`relationship(..., lazy="joined")` (or `subquery`, `selectin`, `False`: joined): loaded with every
        query of the model."""
        lazy = keyword(self._field_call(model, field), "lazy")
        return lazy is not None and lazy[0] == ExprKind.CONSTANT and str(lazy[1]) in self.known.eager_loading

    def reverse_name(self, model: DataModel, kind: str, field: str) -> str | None:
        """The accessor a relation gives its target (Django's `related_name` or default, a SQLAlchemy backref)."""
        return self._reverse_name(model, kind, field)

    def _reverse_name(self, model: DataModel, kind: str, field: str) -> str | None:
        declared = self._field_call(model.symbol, field)
        if model.orm == "django" and kind in REVERSE_KINDS:
            reverse = string_of(keyword(declared, "related_name"))
            default = model.name.lower() + ("" if kind == "one-to-one" else "_set")
            return (reverse or default).replace("%(class)s", model.name.lower())
        if kind == "relationship":
            backref = keyword(declared, "backref")
            if backref is not None and backref[0] == ExprKind.CALL and len(backref[2]) > 1:
                backref = backref[2][1]  # backref("items", lazy=...)
            return string_of(backref)
        return None

    def _field_call(self, model: str, field: str) -> Expr | None:
        """The call that declares a class attribute, in the class or its ancestors of ours (or that a
        `@declared_attr` method of theirs returns)."""
        owners = (model, *self.graphs.resolver.ancestors(model))
        for owner in owners:
            assignment = self._class_assignment(owner, (field,))
            if assignment is not None and assignment.value is not None and assignment.value[0] == ExprKind.CALL:
                return assignment.value
        if (model, field) in self.accessors:
            return self.declared.field_call(owners, field)
        return None

    def _class_assignment(self, owner: str, names: tuple[str, ...]) -> AssignmentFact | None:
        definition = self.graphs.definitions.get(owner)
        facts = self.graphs.modules.get(definition.module) if definition is not None else None
        if definition is None or facts is None:
            return None
        bodies = self._bodies.get(facts.module)
        if bodies is None:  # each module's assignments by the scope they are made in, indexed once
            bodies = self._bodies[facts.module] = defaultdict(list)
            for assignment in facts.assignments:
                bodies[assignment.scope].append(assignment)
        for assignment in bodies.get(definition.fact.qualname, ()):
            if any(target[0] == ExprKind.NAME and target[1] in names for target in assignment.targets):
                return assignment
        return None

    def _bound_classes(self) -> None:
        """Serializers, schemas and forms bound to a model by `class Meta: model = Note` (inherited too)."""
        resolver = self.graphs.resolver
        for symbol, definition in self.graphs.definitions.items():
            if definition.fact.kind != "class" or definition.fact.name == "Meta":
                continue
            ancestors = resolver.ancestors(symbol)
            if not self.known.bound_bases.intersection(ancestors):
                continue
            for owner in (symbol, *(a for a in ancestors if ":" in a)):
                assignment = self._class_assignment(f"{owner}.Meta", ("model",))
                if assignment is None or assignment.value is None:
                    continue
                scope = scope_of(definition.module, f"{self.graphs.definitions[owner].fact.qualname}.Meta")
                models = sorted(self._models_of_class(scope, assignment))
                if models:
                    self.bound[symbol] = models[0]
                    self._dumped(symbol, ancestors, models[0])
                break

    def _dumped(self, symbol: str, ancestors: tuple[str, ...], model: str) -> None:
        """What dumping an instance with a model schema loads: the model's relationships (their targets and
        association tables) the schema serialises: all of a `ModelSchema`'s, or with `include_relationships`,
        less `Meta.exclude`, or only those `Meta.fields` names."""
        owners = (symbol, *(a for a in ancestors if ":" in a))
        included = self._meta_option(owners, "include_relationships")
        if included is None and not self.known.relationship_schemas.intersection(ancestors):
            return
        if included is not None and included[0] == ExprKind.CONSTANT and included[1] is not True:
            return
        excluded = set(_strings(self._meta_option(owners, "exclude")))
        only = self._meta_option(owners, "fields")
        named = set(_strings(only)) if only is not None else None
        loaded: set[str] = set()
        for field, target in sorted(self.relationships.get(model, {}).items()):
            if field in excluded or (named is not None and field not in named):
                continue
            loaded.add(target)
            through = self.through.get((model, field))
            if through is not None:
                loaded.add(through)
        if loaded:
            self.dumps[symbol] = loaded

    def _meta_option(self, owners: tuple[str, ...], name: str) -> Expr | None:
        """The value of `class Meta: <name> = ...` in a schema class or the nearest ancestor of ours setting it."""
        for owner in owners:
            assignment = self._class_assignment(f"{owner}.Meta", (name,))
            if assignment is not None:
                return assignment.value
        return None

    def _views(self) -> None:
        """Class-based views with a model: what their inherited actions read and write."""
        resolver = self.graphs.resolver
        for symbol, definition in self.graphs.definitions.items():
            if definition.fact.kind != "class":
                continue
            ancestors = resolver.ancestors(symbol)
            actions: dict[str, str] = {}
            for ancestor in ancestors:
                for action, mode in self.known.view_actions.get(ancestor, {}).items():
                    actions[action] = "".join(sorted(set(actions.get(action, "")) | set(mode)))
            if not actions:
                continue
            self._view_hooks(symbol, actions)
            self._attribute_hooks(symbol, ancestors, actions)
            serializers = self._serializer_hooks(symbol, ancestors, actions) + self.serializers.returned(symbol)
            deleting = frozenset().union(*(self.known.delete_actions.get(a, ()) for a in ancestors))
            self.serializers.view(symbol, serializers, actions, deleting)
            save_hooks(self, symbol, serializers, actions, deleting)  # the serializer's `create`/`update`
            for owner in (symbol, *(a for a in ancestors if ":" in a)):
                found = self._view_model(owner)
                if found is None:
                    continue
                model, location = found
                self.views[symbol] = (model, actions)
                is_unique = self._has_unique_fields(model)
                for action, mode in actions.items():  # a unique field is checked before a row is added
                    self._record_mode(f"{symbol}.{action}", model, READ + mode if is_unique else mode, location)
                    self.inserts[f"{symbol}.{action}"][model].add(READ not in mode if WRITE in mode else None)
                    if action in deleting:  # DRF's destroy, DeleteView's post: the object's delete()
                        self._deleted(f"{symbol}.{action}", model, location, preview=self._soft(model, "delete"))
                        self.saves[f"{symbol}.{action}"].discard(model)  # its delete signals, not its save's
                        self.saves[f"{symbol}.{action}"].add(DELETED + model)
                self._queryset_lookups(symbol, ancestors, model, actions)
                break

    def _has_unique_fields(self, model: str) -> bool:
        """Whether a Django model declares a unique field (`unique=True`), `unique_together` or a
        `UniqueConstraint`: a model form or serializer validating a new row looks for a duplicate."""
        if model not in self.django:
            return False
        for owner in (model, *(a for a in self.graphs.resolver.ancestors(model) if a in self.models)):
            definition = self.graphs.definitions.get(owner)
            facts = self.graphs.modules.get(definition.module) if definition is not None else None
            if definition is None or facts is None:
                continue
            body, meta = definition.fact.qualname, definition.fact.qualname + ".Meta"
            for assignment in facts.assignments:
                value = assignment.value
                if value is None or assignment.scope not in (body, meta):
                    continue
                if assignment.scope == body and value[0] == ExprKind.CALL:
                    if keyword(value, "unique") == (ExprKind.CONSTANT, True, (), ()):
                        return True
                elif assignment.scope == meta and _declares_uniqueness(assignment):
                    return True
        return False

    def _queryset_lookups(self, symbol: str, ancestors: tuple[str, ...], model: str, actions: dict[str, str]) -> None:
        """`queryset = Note.objects.select_related("owner")`: every action that reads the view's rows
        reads what its lookups and related paths join."""
        for owner in (symbol, *(a for a in ancestors if ":" in a)):
            assignment = self._class_assignment(owner, ("queryset",))
            if assignment is None or assignment.value is None:
                continue
            location = Location(file=self.graphs.definitions[owner].file, line=assignment.line)
            for action, mode in actions.items():
                if READ in mode:
                    self.lookups.chain(f"{symbol}.{action}", model, assignment.value, location)
            return

    def _attribute_hooks(self, symbol: str, ancestors: tuple[str, ...], actions: dict[str, str]) -> None:
        """`filter_backends = (OwnedFilter,)`, `pagination_class = Pages`: an action that reads the view's
        rows runs their hooks (`OwnedFilter.filter_queryset`), those of the tree's classes."""
        resolver = self.graphs.resolver
        for attribute, hooks in self.known.attribute_hooks.items():
            for owner in (symbol, *(a for a in ancestors if ":" in a)):
                assignment = self._class_assignment(owner, (attribute,))
                if assignment is None or assignment.value is None:
                    continue
                definition = self.graphs.definitions[owner]
                scope = scope_of(definition.module, definition.fact.scope)
                value = assignment.value
                items = value[2] if value[0] in (ExprKind.TUPLE, ExprKind.LIST) else (value,)
                found = set()
                for item in items:
                    for named in resolver.values(scope, item):
                        if not named.startswith("cls:"):
                            continue
                        for hook in hooks:
                            found |= {
                                v[4:]
                                for v in resolver.class_attribute(named[4:], hook)
                                if v.startswith(("bnd:", "def:")) and v[4:] in self.graphs.definitions
                            }
                for action, mode in actions.items():
                    if READ in mode:
                        self.calls[f"{symbol}.{action}"] |= found
                break

    def _serializer_hooks(self, symbol: str, ancestors: tuple[str, ...], actions: dict[str, str]) -> list[str]:
        """`serializer_class = NoteSerializer`: every action renders its response with it, running its
        `to_representation` and the `get_<field>` methods of its method fields (ours, inherited too).
        Gives the serializer classes."""
        prefixes = self.known.serializer_hooks
        resolver = self.graphs.resolver
        for owner in (symbol, *(a for a in ancestors if ":" in a)):
            assignment = self._class_assignment(owner, ("serializer_class",))
            if assignment is None or assignment.value is None:
                continue
            definition = self.graphs.definitions[owner]
            scope = scope_of(definition.module, definition.fact.scope)
            found = set()
            classes = sorted(v[4:] for v in resolver.values(scope, assignment.value) if v.startswith("cls:"))
            for value in classes:
                for cls in (value, *resolver.ancestors(value)):
                    for method in self._methods.get(cls, ()):
                        name = method.rpartition(".")[2]
                        if any(name == p or (p.endswith("_") and name.startswith(p)) for p in prefixes):
                            found.add(method)
            for action in actions:
                self.calls[f"{symbol}.{action}"] |= found
            return classes
        return []

    def _view_hooks(self, symbol: str, actions: dict[str, str]) -> None:
        """An inherited action calls the hooks the class overrides (`get_queryset`, `perform_create`...)."""
        for action, mode in actions.items():
            for hook in sorted(self._hooks("").union(*(self._hooks(m) for m in mode))):
                for value in self.graphs.resolver.class_attribute(symbol, hook):
                    if value.startswith(("bnd:", "def:")) and value[4:] in self.graphs.definitions:
                        self.calls[f"{symbol}.{action}"].add(value[4:])

    def _view_model(self, owner: str) -> tuple[str, Location] | None:
        """A view class's model: its `queryset`, `model`, or the model its `serializer_class` is bound to."""
        owner_definition = self.graphs.definitions[owner]
        scope = scope_of(owner_definition.module, owner_definition.fact.scope)
        for names in (("queryset", "model"), ("serializer_class",)):
            assignment = self._class_assignment(owner, names)
            if assignment is None or assignment.value is None:
                continue
            if names == ("serializer_class",):
                values = self.graphs.resolver.values(scope, assignment.value)
                models = sorted(self.bound[v[4:]] for v in values if v.startswith("cls:") and v[4:] in self.bound)
            else:
                models = sorted(self._models_of(scope, assignment.value) or self._models_of_class(scope, assignment))
            if models:
                return models[0], Location(file=owner_definition.file, line=assignment.line)
        return None

    def _models_of_class(self, scope: str, assignment: AssignmentFact) -> set[str]:
        """`model = Ticket`: the class itself."""
        if assignment.value is None:
            return set()
        values = self.graphs.resolver.values(scope, assignment.value)
        return {v[4:] for v in values if v.startswith("cls:") and v[4:] in self.models}

    def _users(self, data_models: list[DataModel]) -> None:
        """What flask-login's `current_user` and Django's `request.user` are instances of."""
        resolver = self.graphs.resolver
        guarded: dict[str, set[str]] = defaultdict(set)  # HTTPAuth object (binding site) → its callbacks
        for facts in self.graphs.modules.values():
            loaders = set()
            for definition in facts.definitions:
                scope = scope_of(facts.module, definition.scope)
                for decorator in definition.decorators:
                    if any(self._is_user_loader(v) for v in resolver.values(scope, decorator)):
                        loaders.add(definition.qualname)
                        site = (
                            resolver.binding_site(scope, decorator[2][0])
                            if decorator[0] == ExprKind.ATTRIBUTE
                            else None
                        )
                        if site is not None:
                            guarded[site].add(f"{facts.module}:{definition.qualname}")
            for returned in facts.returns:
                if returned.scope in loaders:
                    scope = scope_of(facts.module, returned.scope)
                    self.login_models |= self._returned_models(scope, facts, returned.value)
        if guarded:
            self._guards(guarded)
        if self.django:
            self.user_models = self._auth_user_model(data_models)

    def _user_uses(self, facts: FileFacts) -> None:
        """Where `current_user` is used (an attribute read, a method called, passed along, tested): the
        user is loaded there, or reloaded when a commit earlier in the request expired it. Setting its
        attributes loads nothing."""
        if not any(i.bound_as == "current_user" or i.module == "flask_login" for i in facts.imports):
            return
        expressions: list[tuple[str, int, Expr]] = [(c.scope, c.line, c.call) for c in facts.calls]
        expressions += [(r.scope, r.line, r.value) for r in facts.returns]
        expressions += [(b.scope, b.line, b.test) for b in facts.branches]
        expressions += [(a.scope, a.line, a.value) for a in facts.assignments if a.value is not None]
        used: set[str] = set()
        for qualname, line, expr in expressions:
            if not qualname or qualname in used or not _mentions(expr, "current_user"):
                continue
            scope = scope_of(facts.module, qualname)
            if any(self._is_login_proxy(v) for v in self.graphs.resolver.values(scope, _named(expr, "current_user"))):
                used.add(qualname)
                for model in sorted(self.login_models):
                    self._record(scope, model, False, Location(file=facts.path, line=line))

    def _decorator_wrappers(self) -> None:
        """A function decorated by a decorator of the tree runs the wrapper that decorator returns
        (`@authorize` → `authorize.wrapper`, `@cors("GET")` → `cors.decorator.wrapper`): what the
        wrapper does before calling it (load the project an API key names) is done by every call."""
        resolver = self.graphs.resolver
        nested: dict[str, list[str]] = defaultdict(list)  # decorator → the functions defined inside it
        for symbol, definition in self.graphs.definitions.items():
            if definition.fact.kind == "function" and "." in definition.fact.qualname:
                nested[symbol.rpartition(".")[0]].append(symbol)
        for symbol, scope, applied in self._decorations():
            for value in resolver.values(scope, applied):
                if value.startswith("def:"):
                    wrappers = self._wrappers(value[4:], nested)
                    self.calls[symbol].update(wrappers)
                    self.wrappers.update(wrappers)
        for symbol, wrappers in self._linked_wrappers().items():
            self.calls[symbol].update(wrappers)
            self.wrappers.update(wrappers)
        self._view_class_decorators(nested)

    def _linked_wrappers(self) -> dict[str, list[str]]:
        """The wrappers the link stage found a decorated function bound to (`wrap:<wrapper>|...|<function>`):
        those a helper builds (`return _make_wrapper(f)`) or an instance's `__call__` returns
        (`@require_permission("admin")`), which are not defined inside the decorator itself."""
        resolver = self.graphs.resolver
        found: dict[str, list[str]] = {}
        for symbol, definition in self.graphs.definitions.items():
            if definition.fact.kind != "function" or not definition.fact.decorators:
                continue
            scope = scope_of(definition.module, definition.fact.scope)
            for value in resolver.values(scope, (ExprKind.NAME, definition.fact.name, (), ())):
                chain = value[5:].split("|") if value.startswith("wrap:") else []
                if len(chain) > 1 and chain[-1] == symbol:
                    found.setdefault(symbol, []).extend(chain[:-1])
        return found

    def _decorations(self) -> Iterator[tuple[str, str, Expr]]:
        """(function, its defining scope, the decorator applied) for each decorator of each function of the tree.

        The decorator applied is `d` for both `@d` and `@d(...)`.
        """
        for symbol, definition in self.graphs.definitions.items():
            if definition.fact.kind != "function" or not definition.fact.decorators:
                continue
            scope = scope_of(definition.module, definition.fact.scope)
            for decorator in definition.fact.decorators:
                yield symbol, scope, decorator[2][0] if decorator[0] == ExprKind.CALL else decorator

    def _memoized(self) -> frozenset[str]:
        """Functions whose results a cache decorator keeps (`@cache.memoize()`, `@lru_cache`). Asked on
        every request by a decorator's wrapper (the current user's attributes, a setting), they answer
        from the cache: what their bodies read is not reached from there. Asked by a view itself, it is."""
        resolver = self.graphs.resolver
        return frozenset(
            symbol
            for symbol, scope, applied in self._decorations()
            if any(v.startswith("ext:") and v.endswith(self.known.memoizers) for v in resolver.values(scope, applied))
        )

    def _view_class_decorators(self, nested: dict[str, list[str]]) -> None:
        """The methods of a view class run the wrappers of the decorators its `decorators` (or
        `method_decorators`) list names (Flask's `MethodView`, Flask-RESTful/RESTX resources)."""
        resolver = self.graphs.resolver
        for symbol, definition in self.graphs.definitions.items():
            if definition.fact.kind != "class" or symbol not in self._methods:
                continue
            for owner in (symbol, *(a for a in resolver.ancestors(symbol) if ":" in a)):
                listed = self._class_assignment(owner, self.known.view_decorators)
                if listed is None or listed.value is None or listed.value[0] not in (ExprKind.LIST, ExprKind.TUPLE):
                    continue
                where = self.graphs.definitions[owner]
                scope = scope_of(where.module, where.fact.scope)
                wrappers: set[str] = set()
                for item in listed.value[2]:
                    applied = item[2][0] if item[0] == ExprKind.CALL else item
                    for value in resolver.values(scope, applied):
                        if value.startswith("def:"):
                            wrappers.update(self._wrappers(value[4:], nested))
                for method in self._methods[symbol]:
                    self.calls[method] |= wrappers
                self.wrappers |= wrappers
                break

    @staticmethod
    def _wrappers(decorator: str, nested: dict[str, list[str]]) -> list[str]:
        """The functions defined inside a decorator, at any depth (a factory's decorator and its wrapper)."""
        found, pending = [], [decorator]
        while pending:
            for inner in nested.get(pending.pop(), ()):
                found.append(inner)
                pending.append(inner)
        return found

    def _guards(self, guarded: dict[str, set[str]]) -> None:
        """`@basic_auth.login_required`: the view runs the callbacks registered on that auth object
        (`@basic_auth.verify_password`), which load the user."""
        resolver = self.graphs.resolver
        for symbol, definition in self.graphs.definitions.items():
            scope = scope_of(definition.module, definition.fact.scope)
            for decorator in definition.fact.decorators:
                guard = decorator[2][0] if decorator[0] == ExprKind.CALL else decorator
                if guard[0] != ExprKind.ATTRIBUTE or guard[1] != "login_required":
                    continue
                site = resolver.binding_site(scope, guard[2][0])
                if site is not None and site in guarded:
                    self.calls[symbol] |= guarded[site]

    def _returned_models(self, scope: str, facts: FileFacts, expr: Expr) -> set[str]:
        """The models a loader returns: what its returned expression mentions, or the local it returns."""
        if expr[0] != ExprKind.NAME:
            return self._mentioned_models(scope, expr)
        qualname = scope.partition(":")[2]
        found = set()
        for assignment in facts.assignments:
            if assignment.scope == qualname and assignment.value is not None and expr in assignment.targets:
                found |= self._mentioned_models(scope, assignment.value)
        return found

    def _mentioned_models(self, scope: str, expr: Expr, depth: int = 0) -> set[str]:
        """The models a chain denotes, else the model classes passed along it (`db.session.get(User, id)`,
        `get_object_or_404(Note, pk=pk)`, `session.scalar(select(User).where(...))`): what it returns."""
        found = {d.model for d in self._walk(scope, expr) if d.is_class or depth == 0}
        if found or depth > 2:
            return found
        node = expr
        while node[0] in (ExprKind.ATTRIBUTE, ExprKind.CALL, ExprKind.SUBSCRIPT):
            if node[0] == ExprKind.CALL:
                for argument in node[2][1:]:  # positional: keywords filter (`recipient=request.user`)
                    if _may_name_class(argument):
                        found |= self._mentioned_models(scope, argument, depth + 1)
            node = node[2][0]
        return found

    def mentioned_models(self, scope: str, expr: Expr) -> set[str]:
        """The models an expression denotes, or the model classes passed along its calls (what it returns)."""
        return self._mentioned_models(scope, expr)

    def called_models(self, scope: str, call: Expr) -> set[str]:
        """The models of the rows the function of ours a call reaches returns."""
        return self._called_models(scope, call)

    def _called_models(self, scope: str, call: Expr) -> set[str]:
        """`get_current_user()`: the models of the rows the function of ours called returns."""
        if call[0] != ExprKind.CALL:
            return set()
        found: set[str] = set()
        on_receiver = self.routed.rooted(call[2][0])  # `cls.get_instance(...)`: a method of the class's own
        for value in self.graphs.resolver.values(scope, call[2][0]):
            if value.startswith("def:") or (on_receiver and value.startswith("bnd:")):
                found |= self._function_models(value[4:])
        func = call[2][0]
        if func[0] == ExprKind.ATTRIBUTE:  # `instance.to_change()`: a method of the instance's model
            for method in sorted(self._instance_methods(scope, func[2][0], str(func[1]))):
                found |= self._function_models(method)
        return found

    def instance_methods(self, scope: str, receiver: Expr, name: str) -> set[str]:
        """The methods of ours a call `<receiver>.<name>(...)` on a row runs."""
        return self._instance_methods(scope, receiver, name)

    def _instance_methods(self, scope: str, receiver: Expr, name: str) -> set[str]:
        """The methods of ours a call `<receiver>.<name>(...)` on a row runs."""
        if receiver[0] == ExprKind.NAME and (scope, str(receiver[1])) in self.any_instance:
            return self._models_methods(name)
        found: set[str] = set()
        for denoted in self._walk(scope, receiver):
            if not denoted.is_class:
                found |= {
                    v[4:]
                    for v in self.graphs.resolver.class_attribute(denoted.model, name)
                    if v.startswith(("bnd:", "def:")) and v[4:] in self.graphs.definitions
                }
        return found

    def row_methods(self, reached: Iterable[str], model: str | None) -> set[str]:
        """The methods the functions `reached` call on a row of any model (a senderless receiver's
        instance): those of `model` when the row is known to be one of it, else of every model."""
        calls = self.instance_calls  # a variant (a guard's, a call site's): its function's calls on the row
        names = set().union(*(calls.get(s) or calls.get(s.partition("@")[0], set()) for s in reached))
        found: set[str] = set()
        for name in sorted(names):
            if model is None:
                found |= self._models_methods(name)
            else:
                found |= {
                    v[4:]
                    for v in self.graphs.resolver.class_attribute(model, name)
                    if v.startswith(("bnd:", "def:")) and v[4:] in self.graphs.definitions
                }
        return found

    def _models_methods(self, name: str) -> set[str]:
        """The methods named `name` of every model of ours that has one (a row of any model)."""
        known = self._named_methods.get(name)
        if known is None:
            known = self._named_methods[name] = {
                v[4:]
                for model in sorted(self.models)
                for v in self.graphs.resolver.class_attribute(model, name)
                if v.startswith(("bnd:", "def:")) and v[4:] in self.graphs.definitions
            }
        return known

    def _signal_instances(self, events: Iterable[Event]) -> None:
        """In a model-signal receiver, the instance parameter is a row of the sender (of any model without one)."""
        if not self.django:
            return

        def sender_model(sender: str) -> str | None:
            return sender if sender in self.models else _labelled(sender, self.data_models)

        found = signal_instances(self.graphs, events, self.known.model_signals, sender_model)
        for key, models in found.typed.items():
            self.instances[key] |= models
        self.any_instance = found.untyped
        self.signal_rows = found.typed

    def _function_models(self, symbol: str) -> set[str]:
        """The models of the rows a function of ours returns: a chain ending in a step that gives one row
        (`Users.query.filter_by(...).first()`, `db.session.get(User, i)`), or a local bound to one."""
        known = self._returning.get(symbol)
        if known is not None:
            return known
        depth = self._asking.get(symbol)
        if depth is not None:  # recursion: what it was found to return so far
            self._lowest = min(self._lowest, depth)
            return self._asked[symbol]
        depth = self._asking[symbol] = len(self._asking)
        self._asked[symbol] = set()
        outer, lowest = self._lowest, depth
        try:
            while True:  # to the least fixpoint of the recursive functions it heads (not by who was asked first)
                self._lowest = depth + 1
                found = self._rows_returned(symbol)
                lowest = self._lowest
                if lowest != depth or found <= self._asked[symbol]:
                    break
                self._asked[symbol] = self._asked[symbol] | found
            if lowest == depth:
                found = found | self._asked[symbol]
        finally:
            del self._asking[symbol], self._asked[symbol]
            self._lowest = min(outer, lowest)
        if lowest >= depth:  # no function asked before it took part: final
            self._returning[symbol] = found
        return found

    def _rows_returned(self, symbol: str) -> set[str]:
        """`_function_models` of one function, the functions it asks in turn as known so far."""
        values = returned_expressions(self.graphs, symbol)
        found: set[str] = set()
        for value in values:
            if (
                value[0] == ExprKind.CALL
                and value[2][0][0] == ExprKind.ATTRIBUTE
                and value[2][0][1] in self.known.row_steps
            ):
                found |= self._mentioned_models(symbol, value)
            elif value[0] == ExprKind.CALL:  # `return Change(...)`: a new row of the model
                found |= {
                    v[4:]
                    for v in self.graphs.resolver.values(symbol, value[2][0])
                    if v.startswith("cls:") and v[4:] in self.models
                }
                if self.routed.rooted(value):  # `return cls._meta.model()`: a new row of the routed class's
                    found |= {d.model for d in self._walk(symbol, value) if is_stand_in(d.model) and not d.is_class}
            elif value[0] in (ExprKind.SUBSCRIPT, ExprKind.NAME):  # `return pair[0]`, `user, _ = pair; return user`
                found |= self.tuples.returned(symbol, value)
        return found

    def _auth_user_model(self, data_models: list[DataModel]) -> set[str]:
        """`AUTH_USER_MODEL = "accounts.Member"` in the settings → that model; Django's own User without one."""
        for facts in self.graphs.modules.values():
            for assignment in facts.assignments:
                if assignment.scope or assignment.targets[:1] != ((ExprKind.NAME, "AUTH_USER_MODEL", (), ()),):
                    continue
                model = _labelled(string_of(assignment.value) or "", data_models)
                if model is not None:
                    return {model}
        return {AUTH_USER_SYMBOL}

    # -- local instances and attribute writes ------------------------------------------------------

    def _instances(self, facts: FileFacts) -> None:
        """Locals bound to a model or a chain of one (`user = User.query.get(id)`, `for post in user.posts`)."""
        for assignment in facts.assignments:
            if assignment.scope and assignment.value is not None and len(assignment.targets) == 1:
                self.bind_instance(scope_of(facts.module, assignment.scope), assignment)

    def bind_instance(self, scope: str, assignment: AssignmentFact) -> None:
        """What one assignment in `scope` binds its local to (nothing when no model)."""
        value, target = assignment.value, assignment.targets[0]
        if value is None or len(assignment.targets) != 1 or target[0] != ExprKind.NAME:
            return
        if value[0] == ExprKind.NAME:  # `for order in stale`, `user = owner`: another local's models
            models = self.instances.get((scope, str(value[1])), set())
        elif value[0] in _CHAINS:
            models = self._mentioned_models(scope, value) or self._called_models(scope, value)
        else:
            return
        if models:
            self.instances[(scope, str(target[1]))] |= models
            built = value[0] == ExprKind.CALL and (
                any(v[4:] in models for v in self.graphs.resolver.values(scope, value[2][0]) if v.startswith("cls:"))
                or self.factories.builds(scope, value)  # `change = instance.to_change()`: a row it builds
            )
            key = (scope, str(target[1]))
            self.fresh[key] = built if self.fresh.get(key, built) == built else None
            if value[0] == ExprKind.CALL and value[2][0][1] in self.known.schema_loads:
                self.loaded.add((scope, str(target[1])))

    def direct_call(self, scope: str, call: CallFact, facts: FileFacts) -> None:
        """One call of a module read again in another scope (a call-site variant of its function)."""
        if self._chained_module != facts.module:
            self._chained, self._chained_module = _chained_calls(facts), facts.module
        self._direct(scope, call, Site(facts.path, call.line))

    def _attribute_writes(self, facts: FileFacts) -> None:
        """`order.status = "paid"`, `self.token = ...`: a write of the instance's model once committed."""
        for assignment in facts.assignments:
            if not assignment.scope or assignment.operator == "iter":
                continue
            scope = scope_of(facts.module, assignment.scope)
            for target in assignment.targets:
                if target[0] != ExprKind.ATTRIBUTE:
                    continue
                for model in sorted(self._models_of(scope, target[2][0])):
                    self.pending[scope].setdefault(model, Location(file=facts.path, line=assignment.line))

    # -- closure -----------------------------------------------------------------------------------

    def _nested_definitions(self) -> dict[str, list[str]]:
        """Class → the definitions nested in it (`m:C` → `m:C.f`, `m:C.Inner.g`, ...), in definition order."""
        if self._nested is None:
            self._nested = defaultdict(list)
            for symbol in self.graphs.definitions:
                start = symbol.find(":") + 1
                dot = symbol.find(".", start)
                while dot > 0:
                    self._nested[symbol[:dot]].append(symbol)
                    dot = symbol.find(".", dot + 1)
        return self._nested

    def reach(self, symbol: str, within: str | None = None, also: tuple[str, ...] = ()) -> set[str]:
        """Every function `symbol` (and `also`) reaches through the call graph and the model methods found here.

        For a class (a Channels consumer, a resource), everything its methods reach. For a method,
        `self.method()` in the methods of its class and ancestors (mixins) is the method of that class:
        the overrides of other subclasses of a mixin are not reached (`self.get_queryset()` in a mixin
        of ten viewsets is the viewset's own, not all ten). With `within` (the class an entry point
        serves), `self.name()`/`cls.name()` in its methods and its ancestors' is the class's `name`.
        """
        specialised = self.specialised
        starts = [symbol, *also]
        definition = self.graphs.definitions.get(symbol)
        if definition is not None and definition.fact.kind == "class":
            starts += self._nested_definitions().get(symbol, [])
        lineage = self._lineage(within or symbol)
        seen = set(starts)
        wrapped: list[str] = []  # decorator wrappers, followed last
        pending = list(starts)
        for hot in (False, True):  # then from the wrappers, which run on every request
            while pending:
                current = pending.pop()
                callees = [c for c in self.calls.get(current, ()) if c not in seen]
                callees += [c for c in self._followed(current) if c not in seen and (current, c) not in specialised]
                if within is not None and lineage:
                    callees = self.dispatch.redirect(current, callees, within, lineage)
                    if current in self.flags.testing:  # `if self.EVENT_FEATURE is not None:` decided for it
                        callees = self.flags.live(current, callees, within, lineage)
                dispatched = self.self_calls.get(current) if lineage else None
                for callee in callees:
                    if callee in seen or (dispatched and self._elsewhere(current, callee, dispatched, lineage)):
                        continue
                    if hot and callee in self.memoized:
                        continue
                    if not hot and callee in self.wrappers:
                        wrapped.append(callee)
                        continue
                    seen.add(callee)
                    pending.append(callee)
            pending = [w for w in dict.fromkeys(wrapped) if w not in seen]
            seen.update(pending)
        return seen

    def _followed(self, caller: str) -> tuple[str, ...]:
        """The call graph's callees of `caller` that `reach` follows (neither outside nor a decorator's shared
        wrapper calling what it wraps), in edge order; indexed once per caller: every entry point asks again."""
        found = self._follows.get(caller)
        if found is None:
            graph = self.graphs.call_graph
            found = ()
            if caller in graph:
                nodes = graph.nodes
                found = tuple(
                    callee
                    for callee, data in graph.adj[caller].items()
                    if not data.get("via_decorator") and not nodes[callee].get("external")
                )
            self._follows[caller] = found
        return found

    def _lineage(self, symbol: str) -> frozenset[str]:
        """The class an entry point is (or is a method of) and its ancestors: where `self` dispatches."""
        definitions = self.graphs.definitions
        definition = definitions.get(symbol)
        owner = symbol if definition is not None and definition.fact.kind == "class" else symbol.rpartition(".")[0]
        owner_definition = definitions.get(owner)
        if owner_definition is None or owner_definition.fact.kind != "class":
            return frozenset()
        return frozenset({owner, *self.graphs.resolver.ancestors(owner)})

    def _elsewhere(self, caller: str, callee: str, dispatched: frozenset[str], lineage: frozenset[str]) -> bool:
        """Whether `callee` is another subclass's override of a method `caller` calls on `self`, or a
        mixin's that another subclass mixes in (`self._process()` in a base handler class)."""
        owner, _, name = callee.rpartition(".")
        if name not in dispatched or owner in lineage or caller.rpartition(".")[0] not in lineage:
            return False
        owner_definition = self.graphs.definitions.get(owner)
        if owner_definition is None or owner_definition.fact.kind != "class":
            return False
        caller_class = caller.rpartition(".")[0]
        return caller_class in self.graphs.resolver.ancestors(owner) or owner in self._mixed_into(caller_class)

    def mixed_into(self, base: str) -> frozenset[str]:
        """The classes of ours in the MROs of `base`'s subclasses (its subclasses and their mixins)."""
        return self._mixed_into(base)

    def _mixed_into(self, base: str) -> frozenset[str]:
        """The classes of ours in the MROs of `base`'s subclasses (its subclasses and their mixins)."""
        if self._subclasses is None:
            self._subclasses = defaultdict(set)
            for symbol, definition in self.graphs.definitions.items():
                if definition.fact.kind == "class":
                    for ancestor in self.graphs.resolver.ancestors(symbol):
                        self._subclasses[ancestor].add(symbol)
        known = self._mixins.get(base)
        if known is None:
            found = set()
            for subclass in self._subclasses.get(base, ()):
                found.add(subclass)
                found.update(a for a in self.graphs.resolver.ancestors(subclass) if a in self.graphs.definitions)
            known = self._mixins[base] = frozenset(found)
        return known

    def committed(self, reached: set[str]) -> dict[str, dict[str, Location]]:
        """The uncommitted writes among `reached` that a session commit in the same reach makes writes.

        A write is committed by a commit after it in its own function, or by one in another function reached.
        """
        committing = [s for s in reached if s in self.commits]
        found: dict[str, dict[str, Location]] = {}
        for scope in reached:
            writes = self.pending.get(scope)
            if not writes or not committing:
                continue
            elsewhere = any(other != scope for other in committing)
            kept = {m: where for m, where in writes.items() if elsewhere or self.commits.get(scope, 0) > where.line}
            if kept:
                found[scope] = kept
        return found

    def reached_from(self, symbol: str, view: str | None = None) -> tuple[list[str], list[str]]:
        """(reads, writes): the models and tables `symbol` touches through everything it reaches
        (as an action of the class `view` when given: see `reach`)."""
        reached = self.reach(symbol, view)
        reads = set().union(*(self.reads.get(s, set()) for s in reached))
        writes = set().union(*(self.writes.get(s, set()) for s in reached))
        for committed in self.committed(reached).values():
            writes |= set(committed)
        return sorted(without_stand_ins(reads)), sorted(without_stand_ins(writes))

    # -- for the routed class's model (data_access_routed) --------------------------------------------

    def view_model(self, owner: str) -> tuple[str, Location] | None:
        """A view class's model: its `queryset`, `model`, or the model its `serializer_class` is bound to."""
        return self._view_model(owner)

    def models_of_class(self, scope: str, assignment: AssignmentFact) -> set[str]:
        """`model = Ticket`: the model classes an assignment's value is."""
        return self._models_of_class(scope, assignment)

    def lineage(self, symbol: str) -> frozenset[str]:
        """The class an entry point is (or is a method of) and its ancestors."""
        return self._lineage(symbol)

    def stand_in_methods(self, model: str, method: str, is_class: bool) -> set[str]:
        """The functions of ours `<model row or query>.<method>(...)` runs: its manager's or queryset's method
        on a query, the model class's own method on a row (one a mixin gives many models is left out: its
        `self` would be every one of them)."""
        found = set(self.managers.methods(model, method)) if model in self.django else set()
        if not is_class:
            found |= {
                v[4:]
                for v in self.graphs.resolver.class_attribute(model, method)
                if v.startswith(("bnd:", "def:")) and v[4:] in self.graphs.definitions and v[4:].startswith(model + ".")
            }
        return found


def _chained_calls(facts: FileFacts) -> set[Expr]:
    """The calls another call is made on (`X.objects.filter(...)` in `X.objects.filter(...).delete()`)."""
    found: set[Expr] = set()
    for call in facts.calls:
        func = call.call[2][0]
        node = func[2][0] if func[0] == ExprKind.ATTRIBUTE else None
        while node is not None and node[0] in (ExprKind.ATTRIBUTE, ExprKind.CALL, ExprKind.SUBSCRIPT):
            if node[0] == ExprKind.CALL:
                found.add(node)
            node = node[2][0]
    return found


def _declares_uniqueness(assignment: AssignmentFact) -> bool:
    """`unique_together = [...]`, or `constraints = [UniqueConstraint(...)]`, in a model's Meta."""
    names = {str(t[1]) for t in assignment.targets if t[0] == ExprKind.NAME}
    return "unique_together" in names or ("constraints" in names and "UniqueConstraint" in repr(assignment.value))


def _labelled(label: str, data_models: list[DataModel]) -> str | None:
    """A Django model by its `"app_label.Model"` spelling: the model of that name, in that app's package if several."""
    app, _, name = label.rpartition(".")
    candidates = sorted(m.symbol for m in data_models if m.orm == "django" and m.name == name)
    in_app = [c for c in candidates if app in c.partition(":")[0].split(".")]
    chosen = in_app or candidates
    return chosen[0] if chosen else None


def _decided(test: Expr, given: dict[str, Expr | None], fresh: bool | None, identities: frozenset[str]) -> bool | None:
    """The value of an `if` test where the call decides it: `self.id` (`pk`), a parameter, `x is None`."""
    kind = test[0]
    if kind == ExprKind.ATTRIBUTE and test[1] in identities and _is_self(test[2][0]):
        return None if fresh is None else not fresh
    if kind == ExprKind.NAME and test[1] in given:
        value = given[str(test[1])]
        return None if value is None or value[0] != ExprKind.CONSTANT else bool(value[1])
    if kind == ExprKind.OTHER and test[1] == "Compare" and len(test[3]) == 1 and test[3][0][0] in ("Is", "IsNot"):
        left, (operator, right) = test[2][0], test[3][0]
        if left[0] != ExprKind.NAME or left[1] not in given or right[:2] != (ExprKind.CONSTANT, None):
            return None
        value = given[str(left[1])]
        if value is None:
            return None
        is_none = value[:2] == (ExprKind.CONSTANT, None)
        if value[0] != ExprKind.CONSTANT and value[0] not in (ExprKind.CALL,):
            return None  # a name or an attribute may hold None
        return is_none if operator == "Is" else not is_none
    return None


def _mentions(expr: Expr, name: str) -> bool:
    """Whether a name (or an attribute of that name) occurs anywhere in an expression."""
    return any(node[0] in _NAMED and node[1] == name for node in subexpressions(expr))


def _named(expr: Expr, name: str) -> Expr:
    """The first node of an expression that is that name (or attribute)."""
    return next((node for node in subexpressions(expr) if node[0] in _NAMED and node[1] == name), expr)


def _strings(expr: Expr | None) -> list[str]:
    """The literal strings of a tuple, list or set (`exclude = ("user", "team")`)."""
    if expr is None or expr[0] not in (ExprKind.TUPLE, ExprKind.LIST, ExprKind.SET):
        return []
    return [text for text in map(string_of, expr[2]) if text is not None]


def _may_name_class(expr: Expr) -> bool:
    """A capitalised name or attribute (`User`, `models.User`), or a call (`select(User)`): may give a model class."""
    kind, name = expr[0], expr[1]
    return kind == ExprKind.CALL or (kind in (ExprKind.NAME, ExprKind.ATTRIBUTE) and str(name)[:1].isupper())


def _instance_step(steps: list[str]) -> int | None:
    """In a chain from a model class, the first attribute after a call (`objects.get(...).tags` → `tags`)."""
    for position in range(1, len(steps)):
        if steps[position - 1] == "()" and steps[position] != "()":
            return position
    return None


def _user_step(root: Expr, steps: list[str]) -> int | None:
    """Where `user` is in `request.user`, `self.request.user` (class-based views) or `info.context.user` (GraphQL)."""
    if root[0] != ExprKind.NAME:
        return None
    if root[1] == "request" and steps[:1] == ["user"]:
        return 0
    if (root[1], *steps[:2]) in (("self", "request", "user"), ("info", "context", "user")):
        return 1
    return None


def _is_classmethod(definition: Definition | None) -> bool:
    return definition is not None and any(d[:2] == (ExprKind.NAME, "classmethod") for d in definition.fact.decorators)


def _is_self(expr: Expr) -> bool:
    return expr[0] == ExprKind.NAME and expr[1] == "self"


def _is_session(expr: Expr) -> bool:
    """`session`, `db.session`, `self.session`, `Session` (a SQLAlchemy session, by its usual names)."""
    name = expr[1] if expr[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE) else None
    return isinstance(name, str) and name.lower().endswith("session")


def with_data_access(graphs: LinkedGraphs, heuristics: Heuristics, published: Recognition) -> Recognition:
    """Every entry point with the models and tables it reads and writes through all it reaches."""
    access = DataAccess(graphs, published.models, knowledge_of(heuristics), published.events)
    signal_sends(access, published.events)
    consequences = _Consequences(access, published.events)

    def touched(
        symbol: str, within: str | None = None, also: tuple[str, ...] = (), route: Route | None = None
    ) -> dict[str, list[str]]:
        reads, writes = consequences.reached_from(symbol, within, also)
        loaded = route is not None and user_loads.loads_user(route)  # `request.user` first used by our code
        return {"reads": user_read(reads, access.user_models, loaded), "writes": writes}

    endpoints = endpoint_views(graphs, published.mounts)
    user_loads = UserLoads(graphs)
    hooks = RequestHooks(graphs)
    guards = RequestClasses(access)  # DRF permission classes of ours

    factory_views = FactoryViews(access)  # `page = make_dispatcher(EventPage, CategoryPage)` routed

    def route_touched(route: Route) -> dict[str, list[str]]:
        if (made := factory_views.of(route)) is not None:  # each class and function the factory was given
            parts = [touched(made.closure, None, made.functions, route)]
            parts += [route_touched(route.model_copy(update={"handler": h, "view": v})) for h, v in made.classes]
            return {mode: sorted(set().union(*(part[mode] for part in parts))) for mode in ("reads", "writes")}
        entry = access.dispatch.mutation_entry(route.view, route.action, route.framework)
        within = route.view if route.view is not None and route.view in graphs.definitions else None
        also = tuple(start for start in (entry, _inherited_action(route)) if start is not None)
        also += tuple(hook for hook in hooks.of(within) if hook != route.handler)  # `dispatch`, `setup`
        also += guards.of(within, "{" in route.path)  # `has_permission` (`has_object_permission`: one object)
        if route.framework == GRAPHENE:  # the endpoint's own view runs for every operation
            also += endpoints.get(route.path, ())
        own = f"{route.view}.{route.action}" if within is not None and route.action else ""
        if own and own != route.handler and own in graphs.definitions:  # a wrapper stands for the view's method
            also += (own,)
        return touched(route.handler, within, also, route)

    found = Recognition(
        routes=[r.model_copy(update=route_touched(r)) for r in published.routes],
        jobs=[j.model_copy(update=touched(j.handler)) for j in published.jobs],
        realtime=[r.model_copy(update=touched(r.handler)) for r in published.realtime],
        events=[e.model_copy(update=touched(e.receiver)) for e in published.events],
    )
    access.direct |= consequences.committed
    found.model_access = access.accesses()
    return found


def _inherited_action(route: Route) -> str | None:
    """The action a routed view class inherits from a base class of ours (the handler `BaseViewSet.destroy`
    of the route of `DeviceViewSet`): `DeviceViewSet.destroy`, where what the inherited action does to the
    view's model, and the hooks it calls, are recorded."""
    if route.view is None or route.action is None or not route.handler.endswith(f".{route.action}"):
        return None
    return f"{route.view}.{route.action}" if route.handler.rpartition(".")[0] != route.view else None


class _Consequences:
    """An entry point's reach, with what saving or deleting a model sets off in its signal receivers."""

    def __init__(self, access: DataAccess, events: list[Event]) -> None:
        self.access = access
        self.receivers: dict[str | None, list[str]] = defaultdict(list)  # sender model (None: any) → receivers
        self.guarded = GuardedReceivers(access)  # the variant of a receiver a write's signal runs
        for event in events:
            relation = relation_sender(access, event)  # `m2m_changed` of `Note.tags.through`
            if relation is not None:
                self.receivers[relation].append(event.receiver)
            elif event.signal.rpartition(".")[2] in access.known.model_signals:
                sender = event.sender
                if sender is not None and sender not in access.models:  # `sender="tickets.Ticket"`
                    sender = _labelled(sender, access.data_models) or sender
                if event.signal.rpartition(".")[2] in access.known.delete_signals:  # a delete's, not a save's
                    sender = DELETED + (sender or "")
                self.receivers[sender].append(event.receiver)
                self.guarded.connect(sender, event.receiver, event.signal)
        self.memo: dict[tuple[str, str | None, tuple[str, ...], str | None], tuple[set[str], set[str], set[str]]] = {}
        self.inserts: dict[tuple[str, str | None, tuple[str, ...], str | None], dict[str, set[bool | None]]] = {}
        self.committed: set[ModelAccess] = set()  # uncommitted writes an entry point commits
        self.instances = RoutedInstances(access)  # `self.form(...)` in a generic base: the routed class's form
        self._making: set[tuple[str, str]] = set()
        self.user_scopes = (
            request_user_scopes(access.graphs.modules.values(), access.attribute_names.of)
            if access.django and access.user_models
            else frozenset()
        )

    def _own(
        self, symbol: str, within: str | None = None, also: tuple[str, ...] = (), row: str | None = None
    ) -> tuple[set[str], set[str], set[str]]:
        """What `symbol` reads, writes and saves one by one through what it reaches (memoised); `row`: the
        model of the row a senderless receiver is run for (that model's methods it calls on the row run)."""
        known = self.memo.get((symbol, within, also, row))
        if known is None:
            access = self.access
            reached = access.reach(symbol, within, also)
            for method in sorted(access.row_methods(reached, row) - reached):
                reached |= access.reach(method)
            reads = set().union(*(access.reads.get(s, set()) for s in reached))
            writes = set().union(*(access.writes.get(s, set()) for s in reached))
            saves = set().union(*(access.saves.get(s, set()) for s in reached))
            if within is not None and within in access.models:  # run for a row of `within`: `self` is it
                reads = set().union(*(as_row_of(access, within, s, access.reads.get(s, set())) for s in reached))
                writes = set().union(*(as_row_of(access, within, s, access.writes.get(s, set())) for s in reached))
                saves = set().union(*(as_row_of(access, within, s, access.saves.get(s, set())) for s in reached))
            for scope, committed in sorted(access.committed(reached).items()):
                writes |= set(committed)
                function = scope.partition(VARIANT_MARK)[0]  # a variant's writes are its method's
                self.committed.update(ModelAccess(function, model, True, where) for model, where in committed.items())
            if access.routed.scopes and not access.routed.scopes.isdisjoint(reached):
                reads, writes, saves = self._routed(reached, within, reads, writes, saves)
            if within is not None and not self.instances.scopes().isdisjoint(reached):
                self._made(self.instances.functions(reached, within), reached, (reads, writes, saves))
            if not self.user_scopes.isdisjoint(reached):  # `request.user` used: loaded there in a plain view
                reads.add(USER_MARK)
            known = self.memo[(symbol, within, also, row)] = (reads, writes, saves)
            self.inserts[(symbol, within, also, row)] = inserts_of(access.inserts, access.saves, reached)
        return known

    def _made(self, functions: set[tuple[str, str]], reached: set[str], into: tuple[set[str], ...]) -> None:
        """What the methods of the helpers a routed class names run read, write and save (each for its class)."""
        for function, cls in sorted(functions):
            if function in reached or (function, cls) in self._making:
                continue
            self._making.add((function, cls))
            for found, more in zip(into, self._own(function, cls), strict=True):
                found |= more
            self._making.discard((function, cls))

    def _routed(
        self, reached: set[str], within: str | None, reads: set[str], writes: set[str], saves: set[str]
    ) -> tuple[set[str], set[str], set[str]]:
        """The stand-ins of the routed class's model as the models `within` binds (dropped without one), with
        what the methods of ours called on them read, write and save."""
        reads, writes, saves = without_stand_ins(reads), without_stand_ins(writes), without_stand_ins(saves)
        if within is None:
            return reads, writes, saves
        found = self.access.routed.resolved(reached, within)
        reads |= found.reads
        writes |= found.writes
        saves |= found.saves
        for function, model in sorted(found.functions):
            if function in reached:
                continue
            more_reads, more_writes, more_saves = self._own(function, model)  # run for a row of `model`
            reads |= more_reads
            writes |= more_writes
            saves |= more_saves
        return reads, writes, saves

    def reached_from(
        self, symbol: str, within: str | None = None, also: tuple[str, ...] = ()
    ) -> tuple[list[str], list[str]]:
        """(reads, writes) of `symbol`, with those of the receivers of every model it saves or deletes."""
        own_reads, own_writes, saves = self._own(symbol, within, also)
        reads, writes = set(own_reads), set(own_writes)
        inserts = merged_inserts({}, self.inserts.get((symbol, within, also, None), {}))
        done: set[tuple[str, str | None]] = {(symbol, None)}
        pending = sorted(saves)
        while pending:
            model = pending.pop()
            bare = model.removeprefix(DELETED)  # a deleted model's: its delete receivers
            writes |= self.access.observed.get(bare, set())
            anyone = DELETED if model.startswith(DELETED) else None
            if model.startswith(RELATION_CHANGE):  # a relation's through table changed: its m2m_changed
                anyone, bare = RELATION_CHANGE, ""
            created = only(inserts.get(model))
            rows = self.access.receiver_rows  # a receiver's variant for this sender's row, where it has one
            runs = [(r, model, None) for r in self.receivers.get(model, ())]  # a senderless one: for this row
            for receiver, key, row in (*runs, *((r, anyone, bare or None) for r in self.receivers.get(anyone, ()))):
                for guarded in self.guarded.runs(receiver, key, bare, created) if bare else (receiver,):
                    run = guarded  # unguarded and sent this row: the receiver's variant for it (if any)
                    if guarded == receiver and key == model:
                        run = rows.get((receiver, model.removeprefix(DELETED)), receiver)
                    if (run, row) in done:
                        continue
                    done.add((run, row))
                    more_reads, more_writes, more_saves = self._own(run, row=row)
                    reads |= more_reads
                    writes |= more_writes
                    inserts = merged_inserts(inserts, self.inserts.get((run, None, (), row), {}))
                    pending += sorted(more_saves)
        return sorted(reads), sorted(writes)


RECOGNIZER = Recognizer(
    name="data-access",
    run=with_data_access,
    requires=frozenset({Product.MODELS, Product.VIEW_MOUNTS}),
    refines=frozenset({Product.ROUTES, Product.JOBS, Product.REALTIME, Product.EVENTS}),
    produces=frozenset({Product.MODEL_ACCESS}),
)
