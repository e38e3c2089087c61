"""Link stage: the per-file facts of the whole tree → `LinkedGraphs`.

Resolves every name across modules into one symbol table (imports, aliases,
re-exports through `__init__`, star imports, relative imports, inheritance
with C3 method resolution order, `self`/`cls`/`super()`, instantiation,
decorators, nested functions and closures, lambdas), then builds the module
import graph and the call graph from it.

The resolution is a flow-insensitive points-to analysis in the manner of
PyCG: each variable, attribute, parameter and return holds the set of values
it may have (the grammar is in `values`), and values flow along assignments,
call arguments, returns and decorator applications until nothing changes.
What it cannot follow (a value computed at run time, a `getattr` dispatch)
resolves to nothing and the call is counted as unresolved; it is never guessed.

The package's parts: `values` (the value grammar), `outside` (outside
symbols and the callee rule), `solver` (the worklist), `scopes` (scopes and
lookup), `classes` (MRO and attributes), `containers`, `evaluation` (what an
expression denotes), `propagation` (how facts move values), `table` (the
symbol table recognizers query), `call_graph` and `import_graph`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from migrate_scan.heuristics.schema import TypeRule
from migrate_scan.model.facts import FileFacts
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.ids import aliased_module
from migrate_scan.model.memory import cycle_collection_paused
from migrate_scan.stages.link.call_graph import build_call_graph, callee_symbols
from migrate_scan.stages.link.import_graph import build_import_graph
from migrate_scan.stages.link.outside import TypeTable
from migrate_scan.stages.link.table import SymbolTable
from migrate_scan.stages.link.values import MAX_VALUES

__all__ = ["MAX_VALUES", "SymbolTable", "callee_symbols", "link"]


def link(
    files: Iterable[FileFacts], types: Iterable[TypeRule] = (), aliases: Mapping[str, str] | None = None
) -> LinkedGraphs:
    """Resolve names across the tree and build the import and call graphs.

    Args:
        files: the per-file facts of the tree.
        types: the knowledge table of outside types (`Heuristics.type_rules`).
        aliases: old import paths of outside modules → their modules today (`Heuristics.module_aliases`).
    """
    if aliases:
        old_paths = tuple(old.rstrip(".") for old in aliases)
        files = [
            _with_aliases(facts, aliases) if any(f.module.startswith(old_paths) for f in facts.imports) else facts
            for facts in files
        ]
    with cycle_collection_paused():  # linking allocates millions of small acyclic objects
        table = SymbolTable(files, TypeTable.compile(types))
        stats = table.solve()
        import_graph = build_import_graph(table)
        call_graph, unresolved, resolved = build_call_graph(table)
        table.call_values.clear()  # what each call denotes is in the call graph now; recognizers ask anew
        table.memoise()
    return LinkedGraphs(
        modules=table.modules,
        definitions=table.definitions,
        import_graph=import_graph,
        call_graph=call_graph,
        resolver=table,
        unresolved_calls=unresolved,
        resolved_calls=resolved,
        duplicate_modules=table.duplicate_modules,
        solver=stats,
    )


def _with_aliases(facts: FileFacts, aliases: Mapping[str, str]) -> FileFacts:
    """The file's imports of old module paths read as imports of the modules they are today.

    `from flask.ext.sqlalchemy import SQLAlchemy` is `from flask_sqlalchemy import SQLAlchemy`;
    `from flask.ext import login` is `import flask_login as login`. A plain `import flask.ext.x`
    binds `flask` itself and stays as written.
    """
    imports = []
    for fact in facts.imports:
        whole = f"{fact.module}.{fact.name}" if fact.name not in (None, "*") else fact.module
        module = aliased_module(fact.module, aliases)
        if fact.name is None and not fact.is_aliased:
            module = fact.module
        elif module == fact.module and aliased_module(whole, aliases) != whole:  # from flask.ext import login
            fact = fact._replace(name=None)
            module = aliased_module(whole, aliases)
        imports.append(fact._replace(module=module) if module != fact.module else fact)
    changed = any(new is not old for new, old in zip(imports, facts.imports, strict=True))
    return facts._replace(imports=tuple(imports)) if changed else facts
