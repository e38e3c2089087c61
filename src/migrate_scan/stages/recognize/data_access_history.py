"""Data access: the history tables a tracking call generates (django-pghistory's `pghistory.track(...)(Model)`).

A history tracker applied to a model class (`pghistory.track(InsertEvent())(Finding)`, or the tracker as the
class's decorator) makes a model in the tracked model's app: named the tracked model's name plus the tracker's
suffix (`FindingEvent`) unless `model_name=` names it, in the app `app_label=` names if given, stored in Django's
default table for it (`dojo_findingevent`) unless `meta={"db_table": ...}` names one. A query of the tracker's
aggregate model (`pghistory.models.Events`, or a subclass or proxy of ours) reads every generated table at once
(one union), with the tracker's own tables (`pghistory_context`): reading the aggregate reads those tables.

Generated rows are written by database triggers, not by the application's code: no write is added. A tracker
applied to a class built at run time (`type(name, (through,), {...})` in a loop) names no model: its table is
found only when `meta` names it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from migrate_scan.model.facts import Expr, ExprKind, FileFacts
from migrate_scan.model.report import TABLE_PREFIX, DataModel
from migrate_scan.stages.recognize.expressions import keyword, scope_of, string_of

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess
    from migrate_scan.stages.recognize.data_access_knowledge import HistoryTracker

TABLE_KEY = "db_table"


def history_reads(access: DataAccess) -> dict[str, set[str]]:
    """Each aggregate model of ours (a subclass or proxy of a tracker's aggregate) → the tables its queries read."""
    trackers = access.known.history_trackers
    if not trackers:
        return {}
    generated: dict[HistoryTracker, set[str]] = defaultdict(set)
    endings = frozenset(name.rpartition(".")[2] for name in trackers)
    models = {model.symbol: model for model in access.data_models}
    for facts in access.graphs.modules.values():
        for tracker, table in _tracked(access, facts, endings, models):
            generated[tracker].add(table)
    found: dict[str, set[str]] = {}
    for model in sorted(access.models):
        ancestors = set(access.graphs.resolver.ancestors(model))
        for tracker, tables in generated.items():
            if ancestors.intersection(tracker.aggregates):
                reads = {TABLE_PREFIX + table for table in (*tables, *tracker.reads)}
                found.setdefault(model, set()).update(reads)
    return found


def _tracked(
    access: DataAccess, facts: FileFacts, endings: frozenset[str], models: dict[str, DataModel]
) -> list[tuple[HistoryTracker, str]]:
    """The (tracker, generated table) pairs of one module: `track(...)(Model)` calls and `@track(...)` classes."""
    found: list[tuple[HistoryTracker, str]] = []
    for call in facts.calls:
        func, arguments = call.call[2][0], call.call[2][1:]
        if func[0] == ExprKind.CALL and arguments and _ending(func) in endings:
            scope = scope_of(facts.module, call.scope)
            found += _generated(access, scope, func, arguments[0], models)
    for definition in facts.definitions:
        if definition.kind != "class":
            continue
        scope = scope_of(facts.module, definition.scope)
        for decorator in definition.decorators:
            if decorator[0] == ExprKind.CALL and _ending(decorator) in endings:
                name: Expr = (ExprKind.NAME, definition.name, (), ())
                found += _generated(access, scope, decorator, name, models)
    return found


def _ending(call: Expr) -> str:
    """The last name of what a call calls (`track` of `pghistory.track(...)`)."""
    func = call[2][0]
    return str(func[1]) if func[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE) else ""


def _generated(
    access: DataAccess, scope: str, tracking: Expr, tracked: Expr, models: dict[str, DataModel]
) -> list[tuple[HistoryTracker, str]]:
    """The table `tracking` (a tracker's call) generates for the class `tracked` denotes, per tracker it may be."""
    resolver = access.graphs.resolver
    known = access.known.history_trackers
    trackers = [known[name] for name in sorted(resolver.qualified_names(scope, tracking[2][0])) if name in known]
    if not trackers:
        return []
    table = _meta_table(keyword(tracking, "meta"))
    if table is None:
        classes = sorted(v[4:] for v in resolver.values(scope, tracked) if v.startswith("cls:") and v[4:] in models)
        tables = {_default_table(models[symbol], tracking, trackers[0].suffix, models) for symbol in classes}
        return [(tracker, t) for tracker in trackers for t in sorted(tables) if t]
    return [(tracker, table) for tracker in trackers]


def _meta_table(meta: Expr | None) -> str | None:
    """The `db_table` a literal `meta={...}` dictionary names."""
    if meta is None or meta[0] != ExprKind.DICT:
        return None
    items = meta[2]
    for key, value in zip(items[::2], items[1::2], strict=False):
        if string_of(key) == TABLE_KEY:
            return string_of(value)
    return None


def _default_table(model: DataModel, tracking: Expr, suffix: str, models: dict[str, DataModel]) -> str:
    """Django's default table of the generated model: `<app label>_<generated model name, lower case>`."""
    name = string_of(keyword(tracking, "model_name")) or model.name + suffix
    label = string_of(keyword(tracking, "app_label")) or _app_label(model, models)
    return f"{label}_{name.lower()}" if label else ""


def _app_label(model: DataModel, models: dict[str, DataModel]) -> str:
    """A model's app label, read back from its default table (or a default table of its module's models)."""
    module = model.symbol.partition(":")[0]
    for other in (model, *(m for s, m in sorted(models.items()) if s.partition(":")[0] == module)):
        suffix = "_" + other.name.lower()
        if other.table and other.table.endswith(suffix) and len(other.table) > len(suffix):
            return other.table.removesuffix(suffix)
    return ""
