"""DRF serializers: the tables a serializer reads rendering a row and validating input, and writes saving it.

A serializer bound to a model (`class Meta: model = Device`) renders each row of its model; what else
that touches is in its fields:

- a nested serializer (`role = RoleSerializer()`, `tags = TagSerializer(many=True)`) renders the related
  rows: it reads its own model (or the relation's target) and, through a many-to-many relation, the
  relation's table; then what its own fields read, recursively (a cycle is cut). A nested serializer made
  with keywords DRF's serializers do not take (`RoleSerializer(nested=True)`, `fields=[...]`) has its
  fields chosen by the project's own `__init__` at run time: only its model is counted;
- a related field (`PrimaryKeyRelatedField`, `SlugRelatedField`..., the model's own relations listed in
  `Meta.fields` or left by `Meta.exclude`): rendering a to-many relation reads its target and its
  table (a foreign key renders its column: no query; a slug or string field reads the target); input
  validation reads the field's `queryset=` (or the relation's target); `save()` sets a writable
  many-to-many relation given in the input: it reads and writes the relation's table (counted for a
  required field only: an optional one, `blank=True` on the model or `required=False`, is mostly left out);
- a field of a class of ours runs its rendering methods (`to_representation`), and validating input its
  input methods (`to_internal_value`); sourced on a to-many relation of the model (`tags =
  TagListField()` on a many-to-many `tags`), it is handed the relation's manager: it renders the
  relation as a related field would (its target and table);
- a method field (`SerializerMethodField`) runs the nested serializer's `get_<field>` methods; a field whose
  source is a property or method of the model (`name = ReadOnlyField()`, a name of `Meta.fields`) runs it.

A view whose actions render with its `serializer_class` (or what its `get_serializer_class` returns)
reads what the serializer renders in every action but a delete, and what its input validation reads and
its save writes in the actions that write. A serializer made in a function (`NoteSerializer(note)`,
`NoteSerializer(data=request.data)` then `.save()`) does so in that function.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, NamedTuple

from migrate_scan.model.facts import Expr, ExprKind, FileFacts
from migrate_scan.model.ids import Location
from migrate_scan.stages.recognize.expressions import keyword, scope_of, string_of

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess

TO_MANY = frozenset({"many-to-many", "reverse"})
_TRUE = (ExprKind.CONSTANT, True, (), ())
_FALSE = (ExprKind.CONSTANT, False, (), ())
ALL_FIELDS = "__all__"
SERIALIZER_GETTER = "get_serializer_class"


class Usage(NamedTuple):
    """What a serializer touches: models or tables → where the field that touches them is declared."""

    renders: dict[str, Location]  # read rendering a row
    validates: dict[str, Location]  # read validating input
    saves: dict[str, Location]  # written (and read) by save()
    hooks: frozenset[str]  # methods of nested serializers and field classes of ours that run rendering a row
    checks: frozenset[str]  # methods of field classes of ours that run validating input


class _Field(NamedTuple):
    name: str
    call: Expr | None  # the declaration (None: a model field listed in Meta)
    scope: str  # where the declaration is evaluated
    where: Location
    read_only: bool = False  # a model field Meta's `read_only_fields` names


class Serializers:
    """The DRF serializers of the scan and what each one touches (computed once per serializer)."""

    def __init__(self, access: DataAccess) -> None:
        self.access = access
        resolver = access.graphs.resolver
        known = access.known
        self.bases = known.serializer_bases
        self.serializers: set[str] = set()
        for symbol, definition in access.graphs.definitions.items():
            if definition.fact.kind == "class" and (
                symbol in access.bound or self.bases.intersection(resolver.ancestors(symbol))
            ):
                self.serializers.add(symbol)
        self.names = frozenset(s.rpartition(".")[2].rpartition(":")[2] for s in self.serializers)
        self._usages: dict[str, Usage] = {}
        self.by_view: dict[str, list[str]] = {}  # view class → the serializers its actions render with
        self._forward: dict[str, dict[str, str]] | None = None  # model → field → relation kind

    # -- one serializer ---------------------------------------------------------------------------

    def usage(self, serializer: str, visiting: frozenset[str] = frozenset()) -> Usage:
        """What rendering, validating and saving with a serializer class touches (cycle-safe)."""
        found = self._usages.get(serializer)
        if found is not None:
            return found
        usage = Usage({}, {}, {}, frozenset(), frozenset())
        if serializer in visiting:
            return usage
        visiting = visiting | {serializer}
        hooks: set[str] = set()
        checks: set[str] = set()
        model = self.access.bound.get(serializer)
        for field in self._fields(serializer, model):
            self._field(model, field, usage, (hooks, checks), visiting)
        usage = usage._replace(hooks=frozenset(hooks), checks=frozenset(checks))
        self._usages[serializer] = usage
        return usage

    def _fields(self, serializer: str, model: str | None) -> list[_Field]:
        """Declared fields (the class's and its ancestors' of ours, nearest first), then Meta's model fields."""
        access = self.access
        graphs = access.graphs
        owners = (serializer, *(a for a in graphs.resolver.ancestors(serializer) if ":" in a))
        fields: dict[str, _Field] = {}
        for owner in owners:
            definition = graphs.definitions.get(owner)
            facts = graphs.modules.get(definition.module) if definition is not None else None
            if definition is None or facts is None:
                continue
            scope = scope_of(definition.module, definition.fact.qualname)
            for assignment in facts.assignments:
                if assignment.scope != definition.fact.qualname or assignment.value is None:
                    continue
                if assignment.value[0] != ExprKind.CALL:
                    continue
                for target in assignment.targets:
                    if target[0] == ExprKind.NAME and str(target[1]) not in fields:
                        where = Location(file=definition.file, line=assignment.line)
                        fields[str(target[1])] = _Field(str(target[1]), assignment.value, scope, where)
        if model is not None:
            read_only = self._meta_strings(owners, ("read_only_fields",))
            for name, where in self._model_fields(owners, model).items():
                fields.setdefault(name, _Field(name, None, "", where, name in read_only))
        return [fields[name] for name in sorted(fields)]

    def _meta_strings(self, owners: tuple[str, ...], names: tuple[str, ...]) -> set[str]:
        """The strings of the nearest `class Meta: <name> = (...)` among a serializer's classes."""
        for owner in owners:
            assignment = self.access.class_assignment(f"{owner}.Meta", names)
            if assignment is not None:
                return set(strings(assignment.value))
        return set()

    def _model_fields(self, owners: tuple[str, ...], model: str) -> dict[str, Location]:
        """The relations of the model a ModelSerializer's `Meta.fields` lists (`"__all__"`: the forward
        ones) or its `Meta.exclude` leaves."""
        access = self.access
        for owner in owners:
            meta = f"{owner}.Meta"
            chosen = access.class_assignment(meta, ("fields", "exclude"))
            if chosen is None or chosen.value is None:
                continue
            definition = access.graphs.definitions[owner]
            where = Location(file=definition.file, line=chosen.line)
            forward = self.forward().get(model, {})
            names = strings(chosen.value)
            is_exclude = any(t[0] == ExprKind.NAME and t[1] == "exclude" for t in chosen.targets)
            if is_exclude:
                listed = [name for name in sorted(forward) if name not in names]
            elif string_of(chosen.value) == ALL_FIELDS:
                listed = sorted(forward)
            else:  # a relation, or a property or method of the model that renders a value
                listed = [name for name in names if (model, name) in access.accessors or self._runs(model, name)]
            return {name: where for name in listed}
        return {}

    def forward(self) -> dict[str, dict[str, str]]:
        """Model → its forward relation fields (inherited from abstract and concrete parents) → their kind."""
        if self._forward is None:
            own: dict[str, dict[str, str]] = defaultdict(dict)
            for data_model in self.access.data_models:
                for relation in data_model.relations:
                    if relation.field is not None and (data_model.symbol, relation.field) in self.access.accessors:
                        own[data_model.symbol].setdefault(relation.field, relation.kind)
            forward: dict[str, dict[str, str]] = {}
            resolver = self.access.graphs.resolver
            for model in sorted(self.access.models):
                merged = dict(own.get(model, {}))
                for ancestor in resolver.ancestors(model):
                    for name, kind in own.get(ancestor, {}).items():
                        merged.setdefault(name, kind)
                if merged:
                    forward[model] = merged
            self._forward = forward
        return self._forward

    def _kind(self, model: str, name: str) -> str | None:
        """The kind of a model's relation attribute: forward field's kind, else `reverse` (None: no relation)."""
        if (model, name) not in self.access.accessors:
            return None
        return self.forward().get(model, {}).get(name, "reverse")

    # -- one field --------------------------------------------------------------------------------

    def _field(
        self, model: str | None, field: _Field, usage: Usage, runs: tuple[set[str], set[str]], visiting: frozenset[str]
    ) -> None:
        """What one field touches. `runs`: (methods run rendering, methods run validating input)."""
        access = self.access
        hooks, checks = runs
        call = field.call
        read_only = field.read_only if call is None else keyword(call, "read_only") == _TRUE
        classes: list[str] = []
        names: list[frozenset[str]] = []
        if call is not None:
            classes, names = self._callee(field.scope, call)
            if any(access.known.method_fields.intersection(n) for n in names):
                return  # its value is the serializer's own get_<field> (a hook)
            for cls in classes:  # a field class of ours: its own rendering and input methods run
                if cls not in self.serializers:
                    hooks |= self._methods_named(cls, access.known.field_render_hooks)
                    checks |= set() if read_only else self._methods_named(cls, access.known.field_input_hooks)
        source = string_of(keyword(call, "source"))
        if source == "*":
            return  # the whole row: what the field class does with it is its own methods'
        attribute = (source or field.name).partition(".")[0]
        kind = self._kind(model, attribute) if model is not None else None
        relation: tuple[str | None, str | None] = (None, None)
        if model is not None and kind is not None:
            relation = (access.accessors.get((model, attribute)), access.through.get((model, attribute)))
        elif model is not None:  # `name = ReadOnlyField()`, a name of Meta.fields: the model's property or method
            hooks |= self._runs(model, attribute)
        if call is None:  # a relation of the model listed in Meta: a related field DRF builds
            declared = access.field_call(model, attribute) if model is not None else None
            optional = keyword(declared, "blank") == _TRUE  # DRF makes it `required=False`
            self._related(kind, *relation, (), (read_only, optional), usage, field.where)
            return
        nested = sorted(c for c in classes if c in self.serializers)
        for serializer in nested:
            self._nested(serializer, call, relation, read_only, usage, runs, visiting, field.where)
        if not nested and any(access.known.related_fields.intersection(n) for n in names):
            self._declared_related(field, call, kind, relation, read_only, usage, names)
        elif not nested and kind in TO_MANY and any(c not in self.serializers for c in classes):
            # a field class of ours sourced on a to-many relation is handed its manager: rendering reads it
            optional = keyword(call, "required") == _FALSE
            self._related(kind, *relation, (), (read_only, optional), usage, field.where)
        if source and "." in source and model is not None:  # `source="product.name"`: a relation walked
            self._walked(model, source, usage, field.where)

    def _declared_related(
        self,
        field: _Field,
        call: Expr,
        kind: str | None,
        relation: tuple[str | None, str | None],
        read_only: bool,
        usage: Usage,
        names: list[frozenset[str]],
    ) -> None:
        """A related field declared on the serializer (`PrimaryKeyRelatedField(queryset=..., many=True)`)."""
        known = self.access.known
        rendered = any(known.rendered_related_fields.intersection(n) for n in names)
        queryset = keyword(call, "queryset")
        validated = tuple(sorted(self.access.denoted_models(field.scope, queryset))) if queryset is not None else ()
        if kind is None and keyword(call, "many") == _TRUE:
            kind = "reverse"
        optional = keyword(call, "required") == _FALSE
        self._related(kind, *relation, validated, (read_only, optional), usage, field.where, rendered=rendered)

    def _walked(self, model: str, source: str, usage: Usage, where: Location) -> None:
        """`source="product.name"`: the relations the dotted source walks are read."""
        current = model
        for step in source.split(".")[:-1]:
            reached = self.access.accessors.get((current, step))
            if reached is None:
                break
            usage.renders.setdefault(reached, where)
            current = reached

    def _methods_named(self, cls: str, names: frozenset[str]) -> set[str]:
        """The methods of those names a class of ours (or an ancestor of ours) defines."""
        found = set()
        for owner in (cls, *self.access.graphs.resolver.ancestors(cls)):
            found |= {m for m in self.access.class_methods(owner) if m.rpartition(".")[2] in names}
        return found

    def _runs(self, model: str, attribute: str) -> set[str]:
        """The model's own method or property getter of that name (rendering a field of that source runs it)."""
        definitions = self.access.graphs.definitions
        return {
            value[4:]
            for value in self.access.graphs.resolver.class_attribute(model, attribute)
            if value.startswith(("bnd:", "def:")) and value[4:] in definitions
            and definitions[value[4:]].fact.kind == "function"
        }  # fmt: skip

    def _callee(self, scope: str, call: Expr) -> tuple[list[str], list[frozenset[str]]]:
        """The classes of ours a field's call makes, and the names (own and ancestors') of what it makes."""
        resolver = self.access.graphs.resolver
        func = call[2][0]
        classes = sorted(v[4:] for v in resolver.values(scope, func) if v.startswith("cls:"))
        names = [frozenset(resolver.qualified_names(scope, func))]
        names += [frozenset(resolver.ancestors(c)) for c in classes]
        return classes, names

    def _related(
        self,
        kind: str | None,
        target: str | None,
        through: str | None,
        validated: tuple[str, ...],
        flags: tuple[bool, bool],
        usage: Usage,
        where: Location,
        rendered: bool = False,
    ) -> None:
        """A related field: rendered (to-many: its target and table), validated (its queryset), saved (its
        table: a many-to-many field's rows are set by save() when the input gives it, always when it is
        required; an optional one is counted as read only, as most requests leave it out).

        `flags`: (read-only, optional)."""
        read_only, optional = flags
        if target is not None and (kind in TO_MANY or rendered):
            usage.renders.setdefault(target, where)
        if through is not None:
            usage.renders.setdefault(through, where)
        if read_only or (kind == "reverse" and not validated):
            return
        for model in validated or ((target,) if target is not None else ()):
            usage.validates.setdefault(model, where)
        if through is not None:
            usage.validates.setdefault(through, where)
            if not optional:
                usage.saves.setdefault(through, where)

    def _nested(
        self,
        serializer: str,
        call: Expr,
        relation: tuple[str | None, str | None],
        read_only: bool,
        usage: Usage,
        runs: tuple[set[str], set[str]],
        visiting: frozenset[str],
        where: Location,
    ) -> None:
        """A nested serializer field: its model (or the relation's target) and table, then its own fields."""
        hooks, checks = runs
        target, through = relation
        model = self.access.bound.get(serializer) or target
        if model is not None:
            usage.renders.setdefault(model, where)
            if not read_only:
                usage.validates.setdefault(model, where)
        if through is not None:
            usage.renders.setdefault(through, where)
        keywords = self.access.known.serializer_keywords
        if any(name is None or name not in keywords for name, _ in call[3]):
            return  # fields chosen by the project's own __init__ (or **kwargs): its model only
        inner = self.usage(serializer, visiting)
        for table, place in inner.renders.items():
            usage.renders.setdefault(table, place)
        hooks |= inner.hooks | self.hooks(serializer)
        if not read_only:
            checks |= inner.checks

    def hooks(self, serializer: str) -> set[str]:
        """The methods rendering a row with the serializer runs (`to_representation`, `get_<field>`)."""
        access = self.access
        prefixes = access.known.serializer_hooks
        found = set()
        for cls in (serializer, *access.graphs.resolver.ancestors(serializer)):
            for method in access.class_methods(cls):
                name = method.rpartition(".")[2]
                if any(name == p or (p.endswith("_") and name.startswith(p)) for p in prefixes):
                    found.add(method)
        return found

    # -- where serializers are used ----------------------------------------------------------------

    def returned(self, view: str) -> list[str]:
        """The serializer classes a view's `get_serializer_class` (its own or inherited from ours) returns."""
        graphs = self.access.graphs
        for value in sorted(graphs.resolver.class_attribute(view, SERIALIZER_GETTER)):
            method = graphs.definitions.get(value[4:]) if value.startswith(("bnd:", "def:")) else None
            facts = graphs.modules.get(method.module) if method is not None else None
            if method is None or facts is None:
                continue
            scope = scope_of(method.module, method.fact.qualname)
            found = set()
            for returned in facts.returns:
                if returned.scope == method.fact.qualname:
                    found |= {v[4:] for v in graphs.resolver.values(scope, returned.value) if v.startswith("cls:")}
            return sorted(found & self.serializers)
        return []

    def rendered_by_view(self, scope: str, view: str) -> None:
        """`self.get_serializer(...)` in a view's own method: the view's serializers render there."""
        found = self.by_view.get(view)
        for serializer in found if found is not None else self._of_view(view):
            usage = self.usage(serializer)
            self.access.calls[scope] |= self.hooks(serializer)
            self._apply(scope, usage, writes=False)

    def of_view(self, view: str) -> list[str]:
        """The serializer classes of a view: those its actions render with, else its `serializer_class` and
        what its `get_serializer_class` returns."""
        found = self.by_view.get(view)
        return found if found is not None else self._of_view(view)

    def saved_by(self, scope: str, serializer: str) -> None:
        """A serializer validated and saved in `scope` (`data_access_view_serializers`): what validating its
        input reads and its save writes."""
        self._apply(scope, self.usage(serializer), writes=True)

    def _of_view(self, view: str) -> list[str]:
        """The serializer classes of a view that has no model actions: its `serializer_class`, what its
        `get_serializer_class` returns."""
        graphs = self.access.graphs
        found = set(self.returned(view))
        for owner in (view, *(a for a in graphs.resolver.ancestors(view) if ":" in a)):
            assignment = self.access.class_assignment(owner, ("serializer_class",))
            if assignment is None or assignment.value is None:
                continue
            definition = graphs.definitions[owner]
            scope = scope_of(definition.module, definition.fact.scope)
            found |= {v[4:] for v in graphs.resolver.values(scope, assignment.value) if v.startswith("cls:")}
            break
        return sorted(found & self.serializers)

    def view(self, symbol: str, serializers: list[str], actions: dict[str, str], deleting: frozenset[str]) -> None:
        """A view's actions render with its serializers; those that write validate input and save it."""
        self.by_view[symbol] = [s for s in serializers if s in self.serializers]
        for serializer in serializers:
            if serializer not in self.serializers:
                continue
            usage = self.usage(serializer)
            hooks = self.hooks(serializer)
            for action, mode in sorted(actions.items()):
                if action in deleting:
                    continue
                scope = f"{symbol}.{action}"
                self.access.calls[scope] |= hooks
                self._apply(scope, usage, writes="w" in mode)

    def _apply(self, scope: str, usage: Usage, writes: bool) -> None:
        access = self.access
        for table, where in sorted(usage.renders.items()):
            access.record_read(scope, table, where)
        access.calls[scope] |= usage.hooks
        if not writes:
            return
        access.calls[scope] |= usage.checks
        for table, where in sorted(usage.validates.items()):
            access.record_read(scope, table, where)
        for table, where in sorted(usage.saves.items()):
            access.record_relation_change(scope, table, where)  # `.set()`: m2m_changed

    def calls(self, facts: FileFacts) -> None:
        """Serializers made in a module's functions: `NoteSerializer(note)` renders a row there,
        `NoteSerializer(data=...)` validates input, and its `.save()` saves it."""
        if not self.names:
            return
        resolver = self.access.graphs.resolver
        made: dict[str, set[str]] = defaultdict(set)  # scope → serializers made with data there
        saved: set[str] = set()  # scopes calling save() on something
        for call in facts.calls:
            if not call.scope:
                continue
            func = call.call[2][0]
            name = str(func[1]) if func[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE) else ""
            if func[0] == ExprKind.ATTRIBUTE and name == "save":
                saved.add(scope_of(facts.module, call.scope))
            if name not in self.names:
                continue
            scope = scope_of(facts.module, call.scope)
            for value in sorted(resolver.values(scope, func)):
                serializer = value[4:]
                if not value.startswith("cls:") or serializer not in self.serializers:
                    continue
                usage = self.usage(serializer)
                has_data = keyword(call.call, "data") is not None
                where = Location(file=facts.path, line=call.line)
                for table in sorted(usage.renders):
                    self.access.record_read(scope, table, where)
                self.access.calls[scope] |= usage.hooks | self.hooks(serializer)
                if has_data:
                    self.access.calls[scope] |= usage.checks
                    for table in sorted(usage.validates):
                        self.access.record_read(scope, table, where)
                    made[scope].add(serializer)
        for scope in sorted(saved.intersection(made)):
            for serializer in sorted(made[scope]):
                for table, where in sorted(self.usage(serializer).saves.items()):
                    self.access.record_relation_change(scope, table, where)


def strings(expr: Expr | None) -> list[str]:
    """The literal strings of a tuple, list or set (`fields = ("id", "tags")`)."""
    if expr is None or expr[0] not in (ExprKind.TUPLE, ExprKind.LIST, ExprKind.SET):
        return []
    return [text for text in map(string_of, expr[2]) if text is not None]
