"""Data models: Django ORM and SQLAlchemy declarative classes, their tables and relations.

A class is a model when its MRO (`ancestors`, through our own abstract bases
and mixins) reaches a `model-base` name: `django.db.models.Model`, a
`declarative_base()` result, a `DeclarativeBase` subclass's subclass, or
Flask-SQLAlchemy's `db.Model`. A class that merely happens to be called
`Model` is not one. A plain class SQLAlchemy maps imperatively (classical mapping:
`mapper(Order, orders_table)`, `registry.map_imperatively(Order, orders_table,
properties={...})`) is one too. Tables: Django's `Meta.db_table` or its default
`<app_label>_<model name lower>`; SQLAlchemy's `__tablename__` (Flask-SQLAlchemy
derives snake_case when there is none) or the mapped `Table("orders", ...)`. Relation targets are resolved to model
symbols: class expressions, `'app_label.Model'`, `'self'` and
`settings.AUTH_USER_MODEL` for Django; registry class names and the model
owning a `ForeignKey('table.column')` table for SQLAlchemy. A target static
reading cannot resolve is kept as it is spelled. Models declared in test code
(`tests` packages, `test_*.py`) exist only while the tests run: not reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.heuristics.schema import MatchRule
from migrate_scan.model.facts import AssignmentFact, DefinitionFact, Expr, ExprKind, FileFacts, expression_text
from migrate_scan.model.graphs import Definition, LinkedGraphs
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Recognition, django_app_labels
from migrate_scan.model.report import TABLE_PREFIX, DataModel, Relation
from migrate_scan.stages.recognize.apps import app_label_of
from migrate_scan.stages.recognize.expressions import first_match, keyword, string_of
from migrate_scan.stages.recognize.registry import Product, Recognizer

DEFAULT_USER_MODEL = "auth.User"
DJANGO_AUTH_USER = "django.contrib.auth.models.User"
TAG_ROLES = frozenset({"tag-manager", "tag-field"})
IMPERATIVE_ROLE = "sqlalchemy-imperative"
TAGGIT_ITEMS, TAGGIT_TAGS = f"{TABLE_PREFIX}taggit_taggeditem", f"{TABLE_PREFIX}taggit_tag"
"""django-taggit's own tables, where a TaggableManager names no through model."""


@dataclass
class _Class:
    """A model class and what its body says."""

    symbol: str
    module: str
    definition: DefinitionFact
    facts: FileFacts
    rule: MatchRule
    base: str = ""  # the model-base name its MRO reaches
    body: dict[str, AssignmentFact] = field(default_factory=dict)
    meta: dict[str, Expr] = field(default_factory=dict)
    abstract: bool = False
    proxy: bool = False
    app_label: str = ""
    mapping: Expr | None = None  # the imperative `mapper(...)` / `map_imperatively(...)` call
    mapping_scope: str = ""  # the scope that call is in


@dataclass
class _Context:
    graphs: LinkedGraphs
    bases: dict[str, MatchRule]
    mappers: dict[str, MatchRule]
    fields: dict[str, MatchRule]
    settings_keys: dict[str, MatchRule]
    classes: dict[str, _Class] = field(default_factory=dict)
    user_model: str = DEFAULT_USER_MODEL


def recognize(graphs: LinkedGraphs, heuristics: Heuristics, published: Recognition) -> Recognition:
    """Find every Django and SQLAlchemy model class, with its table and relations.

    Django app labels come from the `applications` product (each app's `AppConfig.label`).
    """
    bases = heuristics.matchers("model-base")
    context = _Context(
        graphs=graphs,
        bases={name: rule for name, rule in bases.items() if rule.role != IMPERATIVE_ROLE},
        mappers={name: rule for name, rule in bases.items() if rule.role == IMPERATIVE_ROLE},
        fields=heuristics.matchers("model-field"),
        settings_keys=heuristics.matchers("settings-key"),
    )
    labels = django_app_labels(published.applications)
    for facts in graphs.modules.values():
        _find_classes(context, facts, labels)
        for assignment in facts.assignments:
            if not assignment.scope and _target_name(assignment) == "AUTH_USER_MODEL":
                text = string_of(assignment.value)
                if text is not None:
                    context.user_model = text
    for facts in graphs.modules.values():
        _find_imperative_mappings(context, facts)
    found = Recognition()
    for symbol in sorted(context.classes):
        model = context.classes[symbol]
        if graphs.is_test(symbol.partition(":")[0]):
            continue  # test models exist only while the tests run
        if model.rule.framework == "django":
            found.models.append(_django_model(context, model))
        else:
            found.models.append(_sqlalchemy_model(context, model))
    return found


# -- which classes are models -------------------------------------------------------------


def _find_classes(context: _Context, facts: FileFacts, labels: dict[str, str]) -> None:
    resolver = context.graphs.resolver
    for definition in facts.definitions:
        if definition.kind != "class":
            continue
        symbol = f"{facts.module}:{definition.qualname}"
        scope = f"{facts.module}:{definition.scope}" if definition.scope else facts.module
        direct = {name for base in definition.bases for name in resolver.qualified_names(scope, base)}
        matched = _model_rule(context, symbol, direct)
        if matched is None:
            continue
        rule, base = matched
        model = _Class(symbol=symbol, module=facts.module, definition=definition, facts=facts, rule=rule, base=base)
        for assignment in facts.assignments:
            name = _target_name(assignment)
            if name is None:
                continue
            if assignment.scope == definition.qualname:
                model.body.setdefault(name, assignment)
            elif assignment.scope == f"{definition.qualname}.Meta" and assignment.value is not None:
                model.meta.setdefault(name, assignment.value)
        if rule.framework == "django":
            model.abstract = _constant(model.meta.get("abstract")) is True
            model.proxy = _constant(model.meta.get("proxy")) is True
            model.app_label = string_of(model.meta.get("app_label")) or app_label_of(facts.module, labels)
        else:
            model.abstract = _constant(_value(model.body.get("__abstract__"))) is True
        context.classes[symbol] = model


def _model_rule(context: _Context, symbol: str, direct: set[str]) -> tuple[MatchRule, str] | None:
    """The model-base rule the class's MRO reaches; None for the declarative bases themselves."""
    for ancestor in context.graphs.resolver.ancestors(symbol):
        rule = context.bases.get(ancestor)
        if rule is None:
            continue
        if rule.role == "sqlalchemy-root" and ancestor in direct:
            return None  # `class Base(DeclarativeBase)` is the base; only its subclasses are models
        return rule, ancestor
    return None


def _find_imperative_mappings(context: _Context, facts: FileFacts) -> None:
    """Plain classes mapped by a `mapper(Class, table, ...)` or `registry.map_imperatively(...)` call."""
    if not context.mappers:
        return
    resolver = context.graphs.resolver
    for call in facts.calls:
        arguments = call.call[2][1:]
        if call.is_implicit or not arguments or arguments[0][0] not in (ExprKind.NAME, ExprKind.ATTRIBUTE):
            continue
        scope = f"{facts.module}:{call.scope}" if call.scope else facts.module
        rule = first_match(resolver.qualified_names(scope, call.call[2][0]), context.mappers)
        if rule is None:
            continue
        classes = sorted(v[4:] for v in resolver.values(scope, arguments[0]) if v.startswith("cls:"))
        if len(classes) != 1 or classes[0] in context.classes:
            continue
        model = _mapped_class(context, classes[0], rule)
        if model is not None:
            model.mapping, model.mapping_scope = call.call, scope
            context.classes[model.symbol] = model


def _mapped_class(context: _Context, symbol: str, rule: MatchRule) -> _Class | None:
    module, _, qualname = symbol.partition(":")
    facts = context.graphs.modules.get(module)
    if facts is None:
        return None
    for definition in facts.definitions:
        if definition.kind == "class" and definition.qualname == qualname:
            return _Class(
                symbol=symbol, module=module, definition=definition, facts=facts, rule=rule, base=rule.names[0]
            )
    return None


def _mapped_table(context: _Context, model: _Class) -> str | None:
    """The table an imperative mapping's second argument (or `local_table=`) names."""
    assert model.mapping is not None
    table = model.mapping[2][2] if len(model.mapping[2]) > 2 else keyword(model.mapping, "local_table")
    if table is None:
        return None
    return string_of(table) or _table_variable(context, model.mapping_scope, table)


def _mapped_parent(context: _Context, model: _Class) -> str | None:
    """The mapped class `inherits=` names (classical mapping's inheritance)."""
    assert model.mapping is not None
    inherits = keyword(model.mapping, "inherits")
    if inherits is None:
        return None
    classes = sorted(
        v[4:] for v in context.graphs.resolver.values(model.mapping_scope, inherits) if v.startswith("cls:")
    )
    return classes[0] if len(classes) == 1 and classes[0] in context.classes else None


def _mapped_relations(context: _Context, model: _Class) -> list[Relation]:
    """The relationships of an imperative mapping's `properties={"name": relationship(...)}`."""
    assert model.mapping is not None
    properties = keyword(model.mapping, "properties")
    if properties is None or properties[0] != ExprKind.DICT:
        return []
    found = []
    for key, value in _dict_items(properties):
        name = string_of(key)
        if name is not None:
            found += _sqlalchemy_relations(context, model, name, value, scope=model.mapping_scope)
    return found


# -- Django -------------------------------------------------------------------------------


def _django_model(context: _Context, model: _Class) -> DataModel:
    parent = _concrete_parent(context, model)
    if model.abstract:
        table = None
    elif model.proxy and parent is not None:
        table = _django_table(context, context.classes[parent])
    else:
        table = _django_table(context, model)
    relations: list[Relation] = []
    if parent is not None and not model.proxy and not model.abstract:
        name = context.classes[parent].definition.name.lower()
        relations.append(Relation(kind="parent-link", target=parent, field=f"{name}_ptr"))
    for owner in _field_owners(context, model):
        for name, assignment in owner.body.items():
            relations += _django_relations(context, model, owner, name, assignment)
    return DataModel(
        name=model.definition.name,
        symbol=model.symbol,
        orm="django",
        table=table,
        relations=_sorted_relations(relations),
        location=Location(file=model.facts.path, line=model.definition.line),
        abstract=model.abstract,
        proxy=model.proxy,
        parent=parent,
    )


def _django_table(context: _Context, model: _Class) -> str:
    explicit = string_of(model.meta.get("db_table"))
    if explicit is not None:
        return explicit
    return f"{model.app_label}_{model.definition.name.lower()}"


def _concrete_parent(context: _Context, model: _Class) -> str | None:
    """The nearest concrete model in the MRO (multi-table inheritance or the proxy's concrete class)."""
    for ancestor in context.graphs.resolver.ancestors(model.symbol):
        other = context.classes.get(ancestor)
        if other is not None and not other.abstract and other.rule.framework == model.rule.framework:
            if model.proxy and other.proxy:
                continue
            return ancestor
    return None


def _field_owners(context: _Context, model: _Class) -> list[_Class]:
    """The class itself and the abstract models it inherits fields from (up to the first concrete one)."""
    owners = [model]
    for ancestor in context.graphs.resolver.ancestors(model.symbol):
        other = context.classes.get(ancestor)
        if other is None:
            continue
        if not other.abstract:
            break
        owners.append(other)
    return owners


def _django_relations(
    context: _Context, model: _Class, owner: _Class, name: str, assignment: AssignmentFact
) -> list[Relation]:
    value = assignment.value
    if value is None or value[0] != ExprKind.CALL:
        return []
    scope = _scope(owner)
    rule = first_match(_field_names(context, scope, value[2][0]), context.fields)
    if rule is None or rule.framework != "django":
        return []
    target = value[2][1] if len(value[2]) > 1 else keyword(value, "to")
    if rule.role in TAG_ROLES:
        return [_tag_relation(context, model, owner, name, value, rule.role)]
    if target is None:
        return []
    through = None
    if rule.role == "many-to-many":
        declared = keyword(value, "through")
        if declared is not None:
            through = _django_target(context, model, owner, declared)
        elif not model.abstract:  # Django's auto-created table: `<model table>_<field>`
            through = f"{TABLE_PREFIX}{_django_table(context, model)}_{name}"
    target_symbol = _django_target(context, model, owner, target)
    return [Relation(kind=rule.role, target=target_symbol, field=name, through=through)]


def _field_names(context: _Context, scope: str, func: Expr) -> tuple[str, ...]:
    """The qualified names of a field's class, then its ancestors' (a project's own subclass of a field)."""
    resolver = context.graphs.resolver
    names = resolver.qualified_names(scope, func)
    for value in sorted(resolver.values(scope, func)):
        if value.startswith("cls:"):
            names += resolver.ancestors(value[4:])
    return names


def _tag_relation(context: _Context, model: _Class, owner: _Class, name: str, value: Expr, role: str) -> Relation:
    """A tagging library's field: a many-to-many relation to its tag model.

    django-taggit's `TaggableManager` (`tag-manager`): the `through=` model (by default taggit's
    `taggit_taggeditem` table) and its `tag` foreign key's target (by default the `taggit_tag` table).
    django-tagulous's `TagField` (`tag-field`): the `to=` tag model, by default the model tagulous
    creates, `<app label>_tagulous_<model>_<field>`, through Django's table `<model table>_<field>`."""
    target = value[2][1] if len(value[2]) > 1 else keyword(value, "to")
    target_symbol = _django_target(context, model, owner, target) if target is not None else None
    if role == "tag-manager":
        declared = keyword(value, "through")
        items = _django_target(context, model, owner, declared) if declared is not None else TAGGIT_ITEMS
        if target_symbol is None:
            target_symbol = _through_target(context, items, "tag") or TAGGIT_TAGS
        return Relation(kind="many-to-many", target=target_symbol, field=name, through=items)
    if target_symbol is None:
        target_symbol = f"{TABLE_PREFIX}{model.app_label}_tagulous_{model.definition.name.lower()}_{name}"
    table = None if model.abstract else f"{TABLE_PREFIX}{_django_table(context, model)}_{name}"
    return Relation(kind="many-to-many", target=target_symbol, field=name, through=table)


def _through_target(context: _Context, through: str, field_name: str) -> str | None:
    """The target of a through model's foreign key (`TaggedItem.tag`), declared in it or an abstract base."""
    through_class = context.classes.get(through)
    if through_class is None:
        return None
    for owner in _field_owners(context, through_class):
        assignment = owner.body.get(field_name)
        value = assignment.value if assignment is not None else None
        if value is None or value[0] != ExprKind.CALL:
            continue
        target = value[2][1] if len(value[2]) > 1 else keyword(value, "to")
        if target is not None:
            return _django_target(context, through_class, owner, target)
    return None


def _django_target(context: _Context, model: _Class, owner: _Class, target: Expr) -> str:
    text = string_of(target)
    if text is None:
        names = context.graphs.resolver.qualified_names(_scope(owner), target)
        for qualified in names:
            rule = context.settings_keys.get(qualified)
            if rule is not None and rule.role == "auth-user-model":
                text = context.user_model
                break
        else:
            values = context.graphs.resolver.values(_scope(owner), target)
            classes = sorted(v[4:] for v in values if v.startswith("cls:"))
            if classes:
                return classes[0]
            return names[0] if names else expression_text(target, quote_strings=False)
    if text == "self":
        return model.symbol
    label, _, class_name = text.rpartition(".")
    label = label or owner.app_label
    for symbol, other in sorted(context.classes.items()):
        if other.rule.framework == "django" and other.app_label == label and other.definition.name == class_name:
            return symbol
    if text == DEFAULT_USER_MODEL:
        return DJANGO_AUTH_USER
    return text


# -- SQLAlchemy ---------------------------------------------------------------------------


def _sqlalchemy_model(context: _Context, model: _Class) -> DataModel:
    table, parent = _sqlalchemy_table(context, model)
    relations: list[Relation] = []
    for name, assignment in model.body.items():
        relations += _sqlalchemy_relations(context, model, name, assignment)
    relations += _inherited_fields(context, model)
    if model.mapping is not None:
        relations += _mapped_relations(context, model)
    return DataModel(
        name=model.definition.name,
        symbol=model.symbol,
        orm=model.rule.framework,
        table=table,
        relations=_sorted_relations(relations),
        location=Location(file=model.facts.path, line=model.definition.line),
        abstract=model.abstract,
        parent=parent,
    )


def _own_table(context: _Context, model: _Class) -> str | None:
    if model.mapping is not None:
        return _mapped_table(context, model)
    explicit = string_of(_value(model.body.get("__tablename__")))
    if explicit is not None:
        return explicit
    table = _value(model.body.get("__table__"))
    if table is not None and table[0] == ExprKind.CALL and len(table[2]) > 1:
        return string_of(table[2][1])
    return None


def _sqlalchemy_table(context: _Context, model: _Class) -> tuple[str | None, str | None]:
    """(table, parent model): own `__tablename__`; else the parent's (single-table inheritance)."""
    if model.abstract:
        return None, None
    parent = _mapped_parent(context, model) if model.mapping is not None else None
    for ancestor in context.graphs.resolver.ancestors(model.symbol) if parent is None else ():
        other = context.classes.get(ancestor)
        if other is not None and not other.abstract:
            parent = ancestor
            break
    own = _own_table(context, model)
    if own is not None:
        return own, parent
    if parent is not None:
        return _sqlalchemy_table(context, context.classes[parent])[0], parent
    for ancestor in context.graphs.resolver.ancestors(model.symbol):  # a mixin's `__tablename__`
        other = context.classes.get(ancestor)
        if other is not None and _own_table(context, other) is not None:
            return _own_table(context, other), None
    if not model.base.startswith("flask_sqlalchemy."):
        return None, None
    return _snake_case(model.definition.name), None  # Flask-SQLAlchemy's generated name


def _inherited_fields(context: _Context, model: _Class) -> list[Relation]:
    """The relations a model gets from its declarative mixins (classes of ours that are no model: their
    foreign-key columns) and from the `@declared_attr` methods of the model and of those mixins (the
    relationship or column each returns), the nearest class in the MRO first; a name the model's own
    body assigns is its own."""
    graphs = context.graphs
    seen = set(model.body)
    found: list[Relation] = []
    for owner in (model.symbol, *graphs.resolver.ancestors(model.symbol)):
        definition = graphs.definitions.get(owner)
        if (
            definition is None
            or definition.fact.kind != "class"
            or (owner != model.symbol and owner in context.classes)
        ):
            continue  # another model's fields are its own (inherited in data access)
        facts = graphs.modules.get(definition.module)
        if facts is None:
            continue
        qualname = definition.fact.qualname
        for function in facts.definitions:
            if function.kind != "function" or function.scope != qualname or function.name in seen:
                continue
            if not _is_declared_attr(context, _scope_of(definition.module, qualname), function):
                continue
            seen.add(function.name)
            scope = _scope_of(definition.module, function.qualname)
            skipped = _skipped_from(context, model, facts, function)
            for returned in facts.returns:
                if returned.scope == function.qualname and not returned.is_yield and returned.line < skipped:
                    found += _sqlalchemy_relations(context, model, function.name, returned.value, scope=scope)
        if owner == model.symbol:
            continue
        for assignment in facts.assignments:  # a mixin's plain columns (`user_id = Column(ForeignKey(...))`)
            name = _target_name(assignment)
            if assignment.scope != qualname or name is None or name in seen or assignment.value is None:
                continue
            seen.add(name)
            found += [
                r
                for r in _sqlalchemy_relations(context, model, name, assignment.value, scope=_mixin_scope(definition))
                if r.kind == "foreign-key"
            ]
    return found


def _skipped_from(context: _Context, model: _Class, facts: FileFacts, function: DefinitionFact) -> int:
    """The first line a `@declared_attr` method does not run for `model`: after a top-level `if` leaving the
    method whose test a class attribute decides (`if not cls.allow_networks: return`, the flag a literal
    in the model's body or an ancestor's); past its end when none does."""
    for branch in facts.branches:
        if branch.scope != function.qualname or branch.kind != "if" or not branch.exits:
            continue
        test, negated = branch.test, False
        if test[0] == ExprKind.OTHER and test[1] == "Not" and len(test[2]) == 1:
            test, negated = test[2][0], True
        if test[0] != ExprKind.ATTRIBUTE or test[2][0][:2] != (ExprKind.NAME, "cls"):
            continue
        value = _class_constant(context, model.symbol, str(test[1]))
        if value is not None and bool(value) != negated:
            return branch.body_end + 1
    return function.end_line + 1


def _class_constant(context: _Context, symbol: str, name: str) -> object:
    """The literal a class attribute is assigned in the nearest class of ours in `symbol`'s MRO (None: unknown)."""
    graphs = context.graphs
    for owner in (symbol, *graphs.resolver.ancestors(symbol)):
        definition = graphs.definitions.get(owner)
        facts = graphs.modules.get(definition.module) if definition is not None else None
        if definition is None or facts is None:
            continue
        for assignment in facts.assignments:
            if assignment.scope == definition.fact.qualname and _target_name(assignment) == name:
                return _constant(assignment.value)
    return None


def _is_declared_attr(context: _Context, scope: str, function: DefinitionFact) -> bool:
    """Whether a method is decorated with SQLAlchemy's `declared_attr` (also `declared_attr.cascading`)."""
    for decorator in function.decorators:
        applied = decorator[2][0] if decorator[0] == ExprKind.CALL else decorator
        rule = first_match(context.graphs.resolver.qualified_names(scope, applied), context.fields)
        if rule is not None and rule.role == "declared-attr":
            return True
    return False


def _mixin_scope(definition: Definition) -> str:
    return _scope_of(definition.module, definition.fact.scope)


def _scope_of(module: str, qualname: str) -> str:
    return f"{module}:{qualname}" if qualname else module


def _sqlalchemy_relations(
    context: _Context,
    model: _Class,
    name: str,
    assignment: AssignmentFact | Expr,
    scope: str | None = None,
) -> list[Relation]:
    """The relations one field declares: `assignment` (its value and annotation), or the value alone, read in
    `scope` (by default the model's)."""
    value, annotation = (
        (assignment.value, assignment.annotation)
        if isinstance(assignment, AssignmentFact)
        else (
            assignment,
            None,
        )
    )
    if value is None:
        return []
    found = []
    scope = scope or _scope(model)
    for call in _calls(value):
        rule = first_match(context.graphs.resolver.qualified_names(scope, call[2][0]), context.fields)
        if rule is None or rule.framework != "sqlalchemy" or rule.role not in ("foreign-key", "relationship"):
            continue
        arguments = call[2][1:]
        if rule.role == "foreign-key":
            text = string_of(arguments[0]) if arguments else string_of(keyword(call, "column"))
            if text is not None:
                found.append(Relation(kind="foreign-key", target=_table_owner(context, text), field=name))
            continue
        target = arguments[0] if arguments else keyword(call, "argument")
        if target is None and annotation is not None:
            target = _annotated_target(annotation)
        if target is not None:
            through = _secondary(context, model, keyword(call, "secondary"), scope)
            target_symbol = _sqlalchemy_target(context, model, target, scope)
            found.append(Relation(kind="relationship", target=target_symbol, field=name, through=through))
    return found


def _secondary(context: _Context, model: _Class, secondary: Expr | None, scope: str | None = None) -> str | None:
    """A relationship's `secondary`: the model whose table it is, else `table:<name>`.

    Given as the table's name (`secondary="followers"`), as the variable holding
    a `Table("followers", ...)` (followed through imports), or as `Model.__table__`.
    """
    if secondary is None:
        return None
    scope = scope or _scope(model)
    if secondary[0] == ExprKind.ATTRIBUTE and secondary[1] == "__table__":
        classes = sorted(v[4:] for v in context.graphs.resolver.values(scope, secondary[2][0]) if v.startswith("cls:"))
        return classes[0] if classes else None
    name = string_of(secondary)
    if name is None:
        name = _table_variable(context, scope, secondary)
    if name is None:
        return None
    owner = _table_owner(context, name)
    return owner if owner != name else f"{TABLE_PREFIX}{name}"


def _table_variable(context: _Context, scope: str, expr: Expr) -> str | None:
    """The name given to `Table("name", ...)` in the assignment of the variable `expr` names."""
    site = context.graphs.resolver.binding_site(scope, expr)
    if site is None:
        return None
    module, _, variable = site.partition("|")
    facts = context.graphs.modules.get(module.partition(":")[0])
    if facts is None:
        return None
    for assignment in facts.assignments:
        value = assignment.value
        if assignment.scope or _target_name(assignment) != variable or value is None or value[0] != ExprKind.CALL:
            continue
        func = value[2][0]
        if func[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE) and func[1] == "Table" and len(value[2]) > 1:
            return string_of(value[2][1])
    return None


def _sqlalchemy_target(context: _Context, model: _Class, target: Expr, scope: str | None = None) -> str:
    if target[0] == ExprKind.LAMBDA:
        return expression_text(target, quote_strings=False)
    text = string_of(target)
    if text is None:
        where = scope or _scope(model)
        classes = sorted(v[4:] for v in context.graphs.resolver.values(where, target) if v.startswith("cls:"))
        return classes[0] if classes else expression_text(target, quote_strings=False)
    if "." in text:
        symbol = text.rpartition(".")[0] + ":" + text.rpartition(".")[2]
        if symbol in context.classes:
            return symbol
    candidates = [
        s
        for s, other in sorted(context.classes.items())
        if other.rule.framework != "django" and other.definition.name == text.rpartition(".")[2]
    ]
    same_module = [s for s in candidates if context.classes[s].module == model.module]
    chosen = same_module or candidates
    return chosen[0] if len(chosen) == 1 else text


def _table_owner(context: _Context, column: str) -> str:
    """`"users.id"` → the model whose table is `users` (the spelling when none is)."""
    table = column.rpartition(".")[0] or column
    for symbol, model in sorted(context.classes.items()):
        if model.rule.framework != "django" and not model.abstract and _own_table(context, model) == table:
            return symbol
    return column


def _annotated_target(annotation: Expr) -> Expr | None:
    """`Mapped["Child"]`, `Mapped[list["Child"]]`, `Mapped[Optional[Child]]` → the innermost class expression."""
    while annotation[0] == ExprKind.SUBSCRIPT:
        annotation = annotation[2][1]
    if annotation[0] == ExprKind.TUPLE and annotation[2]:
        annotation = annotation[2][0]
    return annotation if annotation[0] in (ExprKind.CONSTANT, ExprKind.NAME, ExprKind.ATTRIBUTE) else None


# -- expressions --------------------------------------------------------------------------


def _calls(expr: Expr) -> Iterator[Expr]:
    if expr[0] == ExprKind.CALL:
        yield expr
    for child in expr[2]:
        yield from _calls(child)
    for _, value in expr[3]:
        yield from _calls(value)


def _dict_items(expr: Expr) -> Iterator[tuple[Expr, Expr]]:
    """The (key, value) pairs of a dict literal, in order (a `**spread` has a key that is no string)."""
    children = expr[2]
    for index in range(0, len(children) - 1, 2):
        yield children[index], children[index + 1]


def _scope(model: _Class) -> str:
    return f"{model.module}:{model.definition.scope}" if model.definition.scope else model.module


def _target_name(assignment: AssignmentFact) -> str | None:
    if len(assignment.targets) != 1 or assignment.targets[0][0] != ExprKind.NAME:
        return None
    return str(assignment.targets[0][1])


def _value(assignment: AssignmentFact | None) -> Expr | None:
    return None if assignment is None else assignment.value


def _constant(expr: Expr | None) -> object:
    return expr[1] if expr is not None and expr[0] == ExprKind.CONSTANT else None


def _snake_case(name: str) -> str:
    return re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name).lower()


def _sorted_relations(relations: list[Relation]) -> list[Relation]:
    return sorted(set(relations), key=lambda r: (r.field or "", r.kind, r.target))


RECOGNIZER = Recognizer(
    name="models",
    run=recognize,
    requires=frozenset({Product.APPLICATIONS}),
    produces=frozenset({Product.MODELS}),
    handles={
        "model-base": frozenset({"django", "sqlalchemy", "sqlalchemy-root", IMPERATIVE_ROLE}),
        "model-field": frozenset(
            {"foreign-key", "many-to-many", "one-to-one", "relationship", "tag-manager", "tag-field", "declared-attr"}
        ),
        "settings-key": frozenset({"auth-user-model"}),
    },
)
