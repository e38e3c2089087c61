"""The symbol table: the resolved names of the whole tree, and what recognizers may ask it.

Its parts, bottom up: `Solver` (value sets and the worklist), `Scopes` (name
lookup), `Classes` (MRO and attributes), `Containers`, `Evaluation` (what an
expression denotes) and `Propagation` (how facts move values). This module
adds the read-only questions later stages ask (`model.graphs.Resolver`).
"""

from __future__ import annotations

from collections.abc import Iterable

from migrate_scan.model.facts import Expr, ExprKind, FileFacts
from migrate_scan.stages.link.outside import NO_TYPES, TypeTable
from migrate_scan.stages.link.propagation import Propagation
from migrate_scan.stages.link.values import dotted_value


class SymbolTable(Propagation):
    """The resolved names of the whole tree; answers what an expression denotes.

    Lifecycle: built from all `FileFacts` by `link()`, which runs `solve()`
    until the value sets stop growing; afterwards it is only read, until
    `release()` drops the resolution tables.
    """

    def __init__(self, files: Iterable[FileFacts], types: TypeTable = NO_TYPES) -> None:
        super().__init__()
        self.types = types
        self._qualified: dict[tuple[str, int], tuple[Expr, tuple[str, ...]]] = {}  # (scope, id) → (expr, answer)
        self.callee_cache: dict[str, list[str]] = {}  # value → its call-graph targets, once solved
        self._answers: dict[tuple[str, ...], tuple[str, ...]] = {}  # one copy of each distinct memoised answer
        self._declare(files)

    def binding_site(self, scope: str, expr: Expr, depth: int = 0) -> str | None:
        """The variable an expression names, followed through imports: `scope|name`.

        `bp` imported from `shop.auth` where `bp = Blueprint(...)` is assigned
        gives `shop.auth|bp` wherever it is used; a local of a function gives
        `shop:create_app|app`. None when it is not a plain variable of ours.
        """
        if depth > 10:
            return None
        kind, name, children, _ = expr
        if kind == ExprKind.ATTRIBUTE:
            owners = self.values(scope, children[0])
            modules = [v[4:] for v in owners if v.startswith("mod:")]
            if len(modules) == 1 and modules[0] in self.modules:
                return self.binding_site(modules[0], (ExprKind.NAME, name, (), ()), depth + 1)
            return None
        if kind != ExprKind.NAME:
            return None
        binding, where = self.find_binding(scope, str(name))
        if binding == "star":
            for source in reversed(self.scopes[where].star_sources):
                if source in self.modules:
                    site = self.binding_site(source, (ExprKind.NAME, name, (), ()), depth + 1)
                    if site is not None:
                        return site
            return None
        if binding != "local":
            return None
        imported = self._import_sites.get((where, str(name)))
        if imported is None:
            return f"{where}|{name!s}"
        if imported.name is None or f"{imported.module}.{imported.name}" in self.modules:
            return None
        if imported.module not in self.modules:
            return None
        return self.binding_site(imported.module, (ExprKind.NAME, imported.name, (), ()), depth + 1)

    def release(self) -> None:
        """Drop the resolution tables once no later stage will ask (they dominate peak memory)."""
        for table in (
            self.vars, self.returns, self._assigned, self._qualified, self.call_values,
            self._bindings, self._straight_lines, self._mro, self._sequences, self._sequence_members,
            self._sequence_ids, self.callee_cache, self._outside_attributes, self._answers, self._evaluated,
            self._distinct,
        ):  # fmt: skip
            table.clear()

    def qualified_names(self, scope: str, expr: Expr) -> tuple[str, ...]:
        """Dotted names `expr` may denote, sorted (`flask.Blueprint.route`, `shop.views.index`).

        Once solved, answers are memoised by expression identity: every
        recognizer asks about the same calls. The memo holds the expression
        itself, so that an expression a caller built for one question cannot be
        freed and its id reused by another (a stale answer, varying from run to run).
        """
        key = (scope, id(expr))
        entry = self._qualified.get(key) if self._unit < 0 else None
        if entry is not None and entry[0] is expr:
            return entry[1]
        answer = tuple(sorted({dotted_value(value) for value in self.values(scope, expr)} - {""}))
        if self._unit < 0:
            answer = self._answers.setdefault(answer, answer)  # most answers recur across the tree
            self._qualified[key] = (expr, answer)
        return answer
