"""What deleting a row sets off: the tables Django's deletion Collector (and SQLAlchemy's delete cascade) touch.

`instance.delete()`, `queryset.delete()`, DRF's destroy and Django's DeleteView run Django's
`Collector` on the deleted model. For every relation pointing at that model (a ForeignKey or
OneToOneField of another model, a multi-table child's parent link), by its `on_delete`:

- CASCADE reads the related rows and deletes them, then goes on into what points at *them*;
  when nothing can follow (no signal receivers on the related model, nothing pointing at it
  but DO_NOTHING, no parent, no generic relation) Django deletes them with one DELETE, unread
  (a "fast delete");
- PROTECT and RESTRICT read them (to refuse); SET_NULL updates them; SET_DEFAULT and SET(...)
  read and update them; DO_NOTHING does nothing (the heuristics' `on-delete` rule says which);
- the auto-created many-to-many tables of the model (its own fields' and those of other
  models pointing at it) are deleted from (and read, when something listens to deletions);
- the parents of a multi-table child lose their row too, and what points at a parent is
  collected as for the child;
- a GenericRelation (or django-taggit's TaggableManager) cascades to its related model.

What Django always runs is a write: a fast delete, SET_NULL's single UPDATE, the delete from a
many-to-many table of a row that is there (an instance's `delete()`, not a queryset's: its rows are
found first). What it runs only on the rows a SELECT found (a cascaded model's rows, what points at
them, their delete receivers) is a read only (`FOUND_ROWS_WRITTEN`): whether it writes depends on
the data, which a static reading does not know.

A "delete preview" that runs a `Collector` or `NestedObjects` itself (`collect(objs)`) reads what a
delete would read, with no fast delete and no write.

SQLAlchemy: `session.delete(parent)` loads and deletes the children of a relationship whose
`cascade=` deletes (`all`, `delete`), unless `passive_deletes=True` leaves them to the database.

Lifecycle: built once per scan from the data models, their field declarations and which models
have delete receivers; asked `of(model, ...)` for each delete found (memoised).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import NamedTuple

from migrate_scan.model.facts import Expr, ExprKind
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.report import TABLE_PREFIX, DataModel
from migrate_scan.stages.recognize.data_access_knowledge import READ, WRITE, AccessKnowledge
from migrate_scan.stages.recognize.expressions import keyword, scope_of, string_of

DO_NOTHING = "DO_NOTHING"
DEFAULT_ON_DELETE = "CASCADE"
"""Django before 2.0 let `on_delete` out: it meant CASCADE."""
POINTING = frozenset({"foreign-key", "one-to-one"})
PARENT_LINK = "parent-link"
AUTH_USER_SYMBOL = "django.contrib.auth.models:User"
AUTH_USER_DOTTED = "django.contrib.auth.models.User"
COLLECTED, SOFT = "collected", "soft"
"""Deletes that delete nothing: a collector run to list what a delete would touch; a soft delete's marking."""
FOUND_ROWS_WRITTEN = False
"""Whether the deletes and updates a cascade makes only on the related rows it found (and the delete receivers
of those rows) are reported: they depend on the data (traced runs on test data mostly find no such rows)."""


class Deletion(NamedTuple):
    """What deleting a model's rows reads and writes besides the model itself: `writes` Django always
    makes (a fast delete, SET_NULL's one UPDATE), `found` only when the rows it read exist (a cascaded
    delete); `deleted` the models whose rows are deleted one by one (their delete receivers run)."""

    reads: tuple[str, ...]
    writes: tuple[str, ...]
    found: tuple[str, ...]
    deleted: tuple[str, ...]


class _Incoming(NamedTuple):
    source: str  # the model whose field points at the deleted one
    field: str
    on_delete: str  # the last segment of its `on_delete` (`CASCADE`, `SET`), `parent-link` for a child's


Declaration = Callable[[str, str], Expr | None]


class Cascades:
    """Relations pointing at each model, and what deleting its rows does through them."""

    def __init__(
        self,
        graphs: LinkedGraphs,
        models: Iterable[DataModel],
        declaration: Declaration,
        knowledge: AccessKnowledge,
        listened: Callable[[str], bool],
    ) -> None:
        """`declaration(model, field)`: the call declaring a field (in the class or its ancestors);
        `listened(model)`: whether a delete receiver (or an observer) listens to the model's deletions."""
        self.graphs = graphs
        self.known = knowledge
        self.listened = listened
        self.declaration = declaration
        self.django: dict[str, DataModel] = {}
        self.alchemy: dict[str, DataModel] = {}
        for model in models:
            if model.orm == "django" and not model.abstract:
                self.django[model.symbol] = model
            elif model.orm != "django":
                self.alchemy[model.symbol] = model
        self.incoming: dict[str, list[_Incoming]] = defaultdict(list)
        self.tables: dict[str, set[str]] = defaultdict(set)  # model → auto-created many-to-many tables
        self.parents: dict[str, str] = {}  # multi-table child → its concrete parent
        self.generic: dict[str, list[str]] = {}  # model → models or tables its generic relations cascade to
        self.memo: dict[tuple[str, str, bool], Deletion] = {}
        for model in sorted(self.django.values(), key=lambda m: m.symbol):
            if not model.proxy:
                self._index(model)

    # -- the index ---------------------------------------------------------------------------------

    def _index(self, model: DataModel) -> None:
        for relation in model.relations:
            target = self._concrete(_user(relation.target))
            if relation.field is None:
                continue
            if relation.kind == PARENT_LINK:
                self.parents[model.symbol] = target
                self.incoming[target].append(_Incoming(model.symbol, relation.field, PARENT_LINK))
            elif relation.kind in POINTING:
                action = self._on_delete(model.symbol, relation.field)
                if action != DO_NOTHING:
                    self.incoming[target].append(_Incoming(model.symbol, relation.field, action))
            elif relation.through is not None and relation.through.startswith(TABLE_PREFIX):
                self.tables[model.symbol].add(relation.through)
                self.tables[target].add(relation.through)

    def _concrete(self, symbol: str) -> str:
        """A proxy model's rows are its concrete model's."""
        model = self.django.get(symbol)
        while model is not None and model.proxy and model.parent is not None:
            symbol, model = model.parent, self.django.get(model.parent)
        return symbol

    def _on_delete(self, model: str, field: str) -> str:
        """The last segment of a field's `on_delete` (`models.SET_NULL` → `SET_NULL`, `SET(x)` → `SET`)."""
        declared = self.declaration(model, field)
        if declared is None:
            return ""
        given = keyword(declared, "on_delete")
        if given is None and len(declared[2]) > 2:
            given = declared[2][2]  # ForeignKey(Target, models.CASCADE)
        if given is None:
            return DEFAULT_ON_DELETE
        if given[0] == ExprKind.CALL:
            given = given[2][0]
        return str(given[1]) if given[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE) else ""

    def _generic(self, model: str) -> list[str]:
        """What a model's GenericRelation-like fields (its own and inherited) cascade to: models, or tables."""
        known = self.generic.get(model)
        if known is not None:
            return known
        found: list[str] = []
        resolver = self.graphs.resolver
        for owner in (model, *resolver.ancestors(model)):
            definition = self.graphs.definitions.get(owner)
            facts = self.graphs.modules.get(definition.module) if definition is not None else None
            if definition is None or facts is None:
                continue
            scope = scope_of(definition.module, definition.fact.scope)
            for assignment in facts.assignments:
                value = assignment.value
                if assignment.scope != definition.fact.qualname or value is None or value[0] != ExprKind.CALL:
                    continue
                rule = self._generic_rule(scope, value[2][0])
                if rule is None:
                    continue
                named = (
                    keyword(value, "through") or keyword(value, "to") or (value[2][1] if len(value[2]) > 1 else None)
                )
                targets = self._target(scope, named) if named is not None else []
                found += targets or [TABLE_PREFIX + table for table in rule]
        self.generic[model] = sorted(set(found))
        return self.generic[model]

    def _generic_rule(self, scope: str, field: Expr) -> tuple[str, ...] | None:
        """The generic-relation rule of a field class: named by the heuristics, or a subclass of ours of one
        (`class TagsField(TaggableManager)`); None for any other class."""
        resolver, known = self.graphs.resolver, self.known.generic_relations
        names = resolver.qualified_names(scope, field)
        rule = next((known[n] for n in names if n in known), None)
        if rule is not None or field[0] not in (ExprKind.NAME, ExprKind.ATTRIBUTE):
            return rule
        for value in sorted(resolver.values(scope, field)):
            if value.startswith("cls:") and value[4:] in self.graphs.definitions:
                rule = next((known[a] for a in resolver.ancestors(value[4:]) if a in known), None)
                if rule is not None:
                    return rule
        return None

    def _target(self, scope: str, named: Expr) -> list[str]:
        """The model a field names: a class, or an `"app_label.Model"` string."""
        label = string_of(named)
        if label is None:
            values = self.graphs.resolver.values(scope, named)
            return sorted(v[4:] for v in values if v.startswith("cls:") and v[4:] in self.django)
        app, _, name = label.rpartition(".")
        candidates = sorted(s for s, m in self.django.items() if m.name == name)
        in_app = [c for c in candidates if app in c.partition(":")[0].split(".")]
        return (in_app or candidates)[:1]

    # -- a delete ------------------------------------------------------------------------------------

    def fast(self, model: str) -> bool:
        """Whether Django deletes a cascaded model's rows with one DELETE, unread: nothing listens to its
        deletions, nothing points at it (but DO_NOTHING), it has no parent and no generic relation."""
        return not (
            self.listened(model)
            or self.incoming.get(model)
            or self.tables.get(model)
            or model in self.parents
            or self._generic(model)
        )

    def of(self, model: str, preview: str = "", query: bool = False) -> Deletion:
        """What deleting rows of `model` reads and writes besides them (`query`: a queryset's delete, which
        reads the rows first unless they can be fast deleted); `preview`: `COLLECTED` for a collector run only to list
        them, `SOFT` for a soft delete (it looks at what points at the rows, not at many-to-many tables)."""
        model = self._concrete(_user(model))
        key = (model, preview, query)
        known = self.memo.get(key)
        if known is None:
            if model in self.django:
                known = self._collected(model, preview, query)
            elif model in self.alchemy and not preview:
                known = self._alchemy(model)
            else:
                known = Deletion((), (), (), ())
            self.memo[key] = known
        return known

    def _collected(self, root: str, preview: str, query: bool) -> Deletion:
        reads: set[str] = set()
        writes: set[str] = set()  # statements Django always runs (a fast delete, a lazy SET_NULL update)
        found: set[str] = set()  # deletes and updates of the rows a read found
        deleted: set[str] = set()
        if query and (preview or not self.fast(root)):
            reads.add(root)
        seen = {root}
        pending = [root]
        while pending:
            model = pending.pop()
            always = writes if model == root and not query else found  # a row of ours is there: its relations' go
            for owner in self._lineage(model)[1:]:  # a multi-table child's parent rows go too
                always.add(owner)
            for owner in self._lineage(model):
                for source, _, action in self.incoming.get(owner, ()):
                    if action == PARENT_LINK and source in self._lineage(model):
                        continue  # the child's own link to its parent
                    if action == PARENT_LINK or action in self.known.cascading:
                        if action != PARENT_LINK and self.fast(source):
                            (reads if preview else always).add(source)
                            continue
                        reads.add(source)
                        found.add(source)
                        deleted.add(source)
                        if source not in seen:
                            seen.add(source)
                            pending.append(source)
                        continue
                    mode = self.known.on_delete.get(action, "")
                    if READ in mode:
                        reads.add(source)
                    if WRITE in mode:  # a mode that reads first updates only the rows it found
                        (found if READ in mode else always).add(source)
                for table in sorted(self.tables.get(owner, ())) if preview != SOFT else ():
                    if preview or self._listened_anywhere():
                        reads.add(table)
                        found.add(table)
                    else:
                        always.add(table)
                for target in self._generic(owner) if preview != SOFT else ():
                    reads.add(target)
                    found.add(target)
                    if not target.startswith(TABLE_PREFIX):
                        deleted.add(target)
                    if target not in seen and not target.startswith(TABLE_PREFIX):
                        seen.add(target)
                        pending.append(target)
        if preview:
            return Deletion(tuple(sorted(reads)), (), (), ())
        return Deletion(tuple(sorted(reads)), tuple(sorted(writes)), tuple(sorted(found)), tuple(sorted(deleted)))

    def _lineage(self, model: str) -> list[str]:
        """A model and its concrete parents (multi-table inheritance), nearest first."""
        found = [model]
        while found[-1] in self.parents and self.parents[found[-1]] not in found:
            found.append(self.parents[found[-1]])
        return found

    def _listened_anywhere(self) -> bool:
        """Whether a receiver listens to every model's deletions (then no auto-created table is fast deleted)."""
        return self.listened("")

    def _alchemy(self, root: str) -> Deletion:
        """`session.delete(parent)`: the children of its deleting relationships, loaded and deleted, and theirs."""
        reads: set[str] = set()
        seen = {root}
        pending = [root]
        while pending:
            model = self.alchemy.get(pending.pop())
            if model is None:
                continue
            for relation in model.relations:
                if relation.kind != "relationship" or relation.field is None or relation.target not in self.alchemy:
                    continue
                declared = self.declaration(model.symbol, relation.field)
                options = {o.strip() for o in (string_of(keyword(declared, "cascade")) or "").split(",")}
                passive = keyword(declared, "passive_deletes")
                if not options & self.known.cascade_options or (passive is not None and passive[1] is not False):
                    continue
                reads.add(relation.target)
                if relation.target not in seen:
                    seen.add(relation.target)
                    pending.append(relation.target)
        return Deletion(tuple(sorted(reads)), (), tuple(sorted(reads)), ())


def _user(target: str) -> str:
    return AUTH_USER_SYMBOL if target == AUTH_USER_DOTTED else target
