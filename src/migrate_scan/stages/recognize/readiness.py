"""Readiness: `LinkedGraphs` + heuristics → `Recognition.blockers` (what will not work on Lambda).

One pass over each module's facts finds local-disk writes and reads, module-
and class-level containers that functions mutate, started threads and pools,
in-process schedulers, SQLite, local sessions, heavy native imports, the
in-memory channel layer, request-size settings above Lambda's payload limit,
in-memory Celery transports and Socket.IO servers. Calls are matched by the
qualified names link resolved (`builtins.open`, `threading.Thread.start`), so
a local function called `open` is not a file. Settings are module- and
class-level assignments, `app.config[KEY] = value` and `app.config.update(...)`.
What is matched, and the rule (`MS3xx`) each match raises, is data in
`heuristics/readiness.toml`; findings needing the whole project (a container
mutated from another module, a thread started elsewhere, the default file
storage) are decided after the pass.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from migrate_scan.errors import HeuristicsError
from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.heuristics.schema import MatchRule
from migrate_scan.model.facts import (
    AssignmentFact,
    CallFact,
    Expr,
    ExprKind,
    FileFacts,
    configured_number,
    dotted_name,
    expression_text,
    number_of,
)
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Blocker, Recognition
from migrate_scan.model.report import Realtime
from migrate_scan.stages.recognize.expressions import argument, first_match, keyword, scope_of, string_of
from migrate_scan.stages.recognize.registry import Product, Recognizer

MAX_RELATED = 5
MAX_FOLLOW = 4  # how many local assignments a path is followed through
WRITE_MODE_LETTERS = frozenset("wax+")
CONTAINER_LITERALS = frozenset({ExprKind.DICT, ExprKind.LIST, ExprKind.SET})
COMPREHENSIONS = frozenset({"DictComp", "ListComp", "SetComp"})
MEBIBYTE = 1024 * 1024
_CAMEL_WORD = re.compile(r"[A-Z][a-z0-9]*|[a-z0-9]+")


@dataclass(frozen=True)
class _Tables:
    """The readiness rules compiled once: qualified name / key / value → rule, and values by role."""

    calls: dict[str, MatchRule]
    settings: dict[str, MatchRule]
    imports: dict[str, MatchRule]
    values: dict[str, tuple[str, ...]]  # role → names
    rules: dict[str, MatchRule]  # role → rule

    @staticmethod
    def of(heuristics: Heuristics) -> _Tables:
        values: dict[str, list[str]] = defaultdict(list)
        rules: dict[str, MatchRule] = {}
        for kind in ("readiness-call", "readiness-setting", "readiness-value", "readiness-import"):
            for rule in heuristics.rules:
                if isinstance(rule, MatchRule) and rule.kind == kind:
                    rules.setdefault(rule.role, rule)
                    if kind == "readiness-value":
                        values[rule.role] += rule.names
        return _Tables(
            calls=heuristics.matchers("readiness-call"),
            settings=heuristics.matchers("readiness-setting"),
            imports=heuristics.matchers("readiness-import"),
            values={role: tuple(names) for role, names in values.items()},
            rules=rules,
        )

    def words(self, role: str) -> tuple[str, ...]:
        return self.values.get(role, ())

    def warning(self, role: str) -> str:
        """The warning rule the readiness rule of `role` raises.

        Raises:
            HeuristicsError: no readiness rule declares that role.
        """
        return self._rule(role).warning

    def threshold(self, role: str) -> float:
        """The numeric limit the readiness rule of `role` declares.

        Raises:
            HeuristicsError: no readiness rule declares that role, or it has no threshold.
        """
        threshold = self._rule(role).threshold
        if threshold is None:
            raise HeuristicsError(f"heuristics: the readiness rule with role {role!r} declares no threshold")
        return threshold

    def _rule(self, role: str) -> MatchRule:
        rule = self.rules.get(role)
        if rule is None:
            raise HeuristicsError(f"heuristics: no readiness rule declares the role {role!r}")
        return rule


@dataclass
class _Thread:
    location: Location
    module: str
    symbol: str
    detail: str
    is_daemon: bool
    rule: str
    starts: list[Location] = field(default_factory=list)


_CallKey = tuple[str, int, Expr]  # file, line, call expression


@dataclass(frozen=True)
class _Start:
    """`x.start()` on a thread: matched with its constructor once every module is read."""

    constructor: _CallKey | None
    site: str | None
    location: Location
    module: str
    symbol: str
    receiver: str
    rule: str


@dataclass
class _Context:
    graphs: LinkedGraphs
    tables: _Tables
    found: list[Blocker] = field(default_factory=list)
    reads: set[tuple[str, int]] = field(default_factory=set)
    containers: dict[str, tuple[Location, str, str]] = field(default_factory=dict)  # site → where, module, detail
    class_containers: dict[tuple[str, str], tuple[Location, str, str]] = field(default_factory=dict)
    instance_attributes: set[tuple[str, str]] = field(default_factory=set)  # (class symbol, attr) set on self
    mutations: dict[str, list[Location]] = field(default_factory=lambda: defaultdict(list))
    class_mutations: dict[tuple[str, str], list[Location]] = field(default_factory=lambda: defaultdict(list))
    threads: dict[_CallKey, _Thread] = field(default_factory=dict)  # constructor call → thread
    thread_sites: dict[str, _CallKey] = field(default_factory=dict)  # variable → constructor call
    starts: list[_Start] = field(default_factory=list)
    joined: set[str] = field(default_factory=set)  # thread variables joined: the work ends with the request
    once: set[tuple[str, str]] = field(default_factory=set)  # (file, what) reported once per module
    socketio_pending: list[Blocker] = field(default_factory=list)
    has_socketio_init: bool = False
    storage_pending: list[Blocker] = field(default_factory=list)  # valid only while storage is local
    has_remote_storage: bool = False
    cache_sessions: list[tuple[Blocker, str]] = field(default_factory=list)  # (blocker, settings module)
    local_caches: dict[str, bool] = field(default_factory=dict)  # settings module → default cache is local


def recognize(graphs: LinkedGraphs, heuristics: Heuristics, published: Recognition | None = None) -> Recognition:
    """Find every Lambda blocker in the application (given its real-time handlers, those they imply)."""
    context = _Context(graphs=graphs, tables=_Tables.of(heuristics))
    realtime = published.realtime if published is not None else []
    for facts in graphs.modules.values():
        if not _is_test(context, facts.module):
            _Module(context, facts).scan()
    _conclude(context)
    if realtime:
        _streams(context, realtime)
        _in_process_subscribers(context)
    return Recognition(blockers=context.found)


class _Module:
    """The one pass over a module's facts."""

    def __init__(self, context: _Context, facts: FileFacts) -> None:
        self.context = context
        self.tables = context.tables
        self.resolver = context.graphs.resolver
        self.facts = facts
        self.module = facts.module
        self.kinds = {d.qualname: d.kind for d in facts.definitions}
        self.parameters = {d.qualname: d.parameters for d in facts.definitions}
        self.assigned: dict[tuple[str, str], list[Expr]] = defaultdict(list)
        for assignment in facts.assignments:
            if assignment.value is not None and assignment.operator is None:
                for target in assignment.targets:
                    if target[0] == ExprKind.NAME:
                        self.assigned[(assignment.scope, str(target[1]))].append(assignment.value)
                    elif target[0] == ExprKind.TUPLE and assignment.value[0] == ExprKind.CALL:
                        # `_, path = tempfile.mkstemp()`: each name comes from the call (where a path comes from)
                        for name in target[2]:
                            if name[0] == ExprKind.NAME:
                                self.assigned[(assignment.scope, str(name[1]))].append(assignment.value)
        self.call_targets: dict[tuple[str, int, Expr], Expr] = {
            (a.scope, a.line, a.value): a.targets[0]
            for a in facts.assignments
            if a.value is not None and a.value[0] == ExprKind.CALL and len(a.targets) == 1 and a.operator is None
        }
        self.has_database_config = False
        self.pools: list[Blocker] = []
        self.is_settings_module = any(
            word in self.module.rpartition(".")[2] for word in self.tables.words("settings-scope") if word.islower()
        )

    def scan(self) -> None:
        for assignment in self.facts.assignments:
            self._assignment(assignment)
        for call in self.facts.calls:
            self._call(call)
        self._imports()
        if self.has_database_config:
            self.context.found += self.pools

    # -- helpers ----------------------------------------------------------------------------------

    def location(self, line: int) -> Location:
        return Location(file=self.facts.path, line=line)

    def add(
        self,
        rule: str,
        kind: str,
        line: int,
        detail: str,
        scope: str,
        related: tuple[Location, ...] = (),
        dev_only: bool = False,
    ) -> Blocker:
        blocker = Blocker(
            rule=rule,
            kind=kind,
            module=self.module,
            location=self.location(line),
            detail=detail,
            symbol=scope_of(self.module, scope),
            related=related,
            dev_only=dev_only,
        )
        self.context.found.append(blocker)
        return blocker

    def is_function(self, scope: str) -> bool:
        return self.kinds.get(scope) in ("function", "lambda")

    def is_dev(self, scope: str) -> bool:
        """Whether the module or an enclosing class is named for development, testing or local use."""
        markers = self.tables.words("dev-marker")
        if any(part in markers for part in re.split(r"[._]", self.module.lower())):
            return True
        parts = scope.split(".") if scope else []
        classes = [".".join(parts[: i + 1]) for i in range(len(parts))]
        return any(
            word.lower() in markers
            for name in classes
            if self.kinds.get(name) == "class"
            for word in _CAMEL_WORD.findall(name.rpartition(".")[2])
        )

    def rule_of(self, scope: str, func: Expr) -> MatchRule | None:
        return first_match(self.resolver.qualified_names(scope_of(self.module, scope), func), self.tables.calls)

    def origins(self, scope: str, expr: Expr | None, depth: int = 0) -> set[str]:
        """Where a path comes from: 'tmp' (tempfile, /tmp), 'memory' (BytesIO), 'key:NAME' (a folder setting)."""
        if expr is None:
            return set()
        kind, value, children, keywords = expr
        found: set[str] = set()
        if kind == ExprKind.CONSTANT:
            if isinstance(value, str) and value.startswith(self.tables.words("temporary-prefix")):
                found.add("tmp")
            return found
        if kind == ExprKind.CALL:
            rule = self.rule_of(scope, children[0])
            if rule is not None and rule.role == "temporary":
                return {"tmp"}
            if rule is not None and rule.role == "in-memory":
                return {"memory"}
            func = children[0]
            if func[0] == ExprKind.ATTRIBUTE and func[1] == "get" and len(children) > 1:
                key = string_of(children[1])
                if key is not None and self.is_folder_key(key):
                    found.add(f"key:{key}")
            parts = list(children) + [v for _, v in keywords]
            if func[0] != ExprKind.ATTRIBUTE:
                parts = parts[1:]
        elif kind == ExprKind.NAME:
            for name in self.resolver.qualified_names(scope_of(self.module, scope), expr):
                rule = self.tables.calls.get(name)
                if rule is not None and rule.role in ("temporary", "in-memory"):
                    return {"tmp" if rule.role == "temporary" else "memory"}
            parts = []
            if depth < MAX_FOLLOW:
                for where in (scope, ""):
                    parts += self.assigned.get((where, str(value)), [])
                    if parts:
                        break
        elif kind == ExprKind.ATTRIBUTE:
            if self.is_folder_key(str(value)):
                found.add(f"key:{value!s}")
            parts = list(children)
        elif kind == ExprKind.SUBSCRIPT:
            key = string_of(children[1])
            if key is not None and self.is_folder_key(key):
                found.add(f"key:{key}")
            parts = list(children)
        elif kind in (ExprKind.BINARY, ExprKind.FSTRING, ExprKind.TUPLE, ExprKind.LIST, ExprKind.STARRED):
            parts = list(children)
        else:
            parts = []
        for part in parts:
            found |= self.origins(scope, part, depth + 1)
        return found

    def is_folder_key(self, key: str) -> bool:
        if not key.isupper():
            return False
        if key in self.tables.settings and self.tables.settings[key].role == "media-root":
            return True
        if not key.endswith(_suffixes(self.tables)):
            return False
        return not any(word in key for word in self.tables.words("folder-exclude"))

    # -- assignments ------------------------------------------------------------------------------

    def _assignment(self, assignment: AssignmentFact) -> None:
        value = assignment.value
        if value is None or len(assignment.targets) != 1 or assignment.operator == "iter":
            return
        target = assignment.targets[0]
        scope = assignment.scope
        self._database_config(target, value, assignment.line, scope)
        if self.is_function(scope):
            self._function_assignment(assignment, target)
            return
        if target[0] == ExprKind.NAME:
            name = str(target[1])
            context = "module" if not scope else ("class" if self.kinds.get(scope) == "class" else "")
            if context and assignment.operator is None:
                self._container(assignment, name)
                self._setting(name, value, assignment.line, scope, context)
        elif target[0] == ExprKind.SUBSCRIPT:
            owner = target[2][0]
            rule = self.tables.settings.get(str(owner[1])) if owner[0] == ExprKind.NAME else None
            if rule is not None and rule.role == "storage-backend" and string_of(target[2][1]) == "default":
                self._storage_backends([string_of(_dict_get(value, "BACKEND"))])
            else:
                self._config_item(target, value, assignment.line, scope)
        elif target[0] == ExprKind.ATTRIBUTE:
            self._attribute_setting(target, value, assignment.line, scope)

    def _function_assignment(self, assignment: AssignmentFact, target: Expr) -> None:
        scope = assignment.scope
        value = assignment.value
        if target[0] == ExprKind.SUBSCRIPT:
            if value is not None and self._config_item(target, value, assignment.line, scope):
                return
            self._mutation(scope, target, assignment.line)
        elif target[0] == ExprKind.ATTRIBUTE:
            owner = target[2][0]
            if owner[0] == ExprKind.NAME and owner[1] == "self":
                method = self.kinds.get(scope.rpartition(".")[0])
                if method == "class":
                    self.context.instance_attributes.add((f"{self.module}:{scope.rpartition('.')[0]}", str(target[1])))
            elif value is not None:
                self._attribute_setting(target, value, assignment.line, scope)

    def _container(self, assignment: AssignmentFact, name: str) -> None:
        value = assignment.value
        if value is None or name.startswith("__"):
            return
        scope = assignment.scope
        kind = value[0]
        is_container = kind in CONTAINER_LITERALS or (kind == ExprKind.OTHER and value[1] in COMPREHENSIONS)
        description = {"dict": "{}", "list": "[]", "set": "set literal"}.get(kind, "a comprehension")
        if kind == ExprKind.CALL:
            rule = self.rule_of(scope, value[2][0])
            if rule is None or rule.role not in ("container", "cache-object"):
                return
            description = _short(value)
            if rule.role == "cache-object":
                if not scope:
                    detail = f"module-level cache {name} = {description}: one copy per Lambda instance"
                    self.add(rule.warning, "module-state", assignment.line, detail, "")
                return
            is_container = True
        if not is_container:
            return
        entry = (self.location(assignment.line), self.module, f"{name} = {description}")
        if not scope:
            self.context.containers[f"{self.module}|{name}"] = entry
        else:
            self.context.class_containers[(f"{self.module}:{scope}", name)] = entry

    def _mutation(self, scope: str, target: Expr, line: int) -> None:
        """`target` (an item, or a receiver of a mutating method) changes inside function `scope`."""
        name = scope.rpartition(".")[2]
        if name.startswith(self.tables.words("startup-function")):
            return  # registries filled while the app starts are the same in every instance
        root = target
        while root[0] == ExprKind.SUBSCRIPT:
            root = root[2][0]
        where = self.location(line)
        symbol = scope_of(self.module, scope)
        if root[0] == ExprKind.ATTRIBUTE:
            for owner in self.resolver.values(symbol, root[2][0]):
                tag, _, class_symbol = owner.partition(":")
                if tag in ("cls", "obj"):
                    self.context.class_mutations[(class_symbol, str(root[1]))].append(where)
        if root[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE):
            site = self.resolver.binding_site(symbol, root)
            if site is not None and ":" not in site.partition("|")[0]:  # a module's variable, not a local
                self.context.mutations[site].append(where)

    def site(self, scope: str, expr: Expr) -> str | None:
        """The variable `expr` names: a binding site, or `self:<class>.<attr>` for an attribute of self."""
        if expr[0] == ExprKind.ATTRIBUTE and expr[2][0][0] == ExprKind.NAME and expr[2][0][1] == "self":
            owner = scope.rpartition(".")[0]
            return f"self:{self.module}:{owner}.{expr[1]!s}" if self.kinds.get(owner) == "class" else None
        return self.resolver.binding_site(scope_of(self.module, scope), expr)

    # -- settings ---------------------------------------------------------------------------------

    def _config_item(self, target: Expr, value: Expr, line: int, scope: str) -> bool:
        """`app.config["KEY"] = value`: a setting. Returns whether the target was a config object."""
        owner, index = target[2][0], target[2][1]
        key = string_of(index)
        if key is None:
            return False
        rule = self.rule_of(scope, owner)
        if rule is None or rule.role != "config-object":
            return False
        self._setting(key, value, line, scope, "config")
        return True

    def _attribute_setting(self, target: Expr, value: Expr, line: int, scope: str) -> None:
        """`celery.conf.broker_url = ...`: only keys the rules name exactly."""
        name = str(target[1])
        if name in self.tables.settings:
            self._setting(name, value, line, scope, "attribute")

    def _setting(self, key: str, value: Expr, line: int, scope: str, context: str) -> None:
        rule = self.tables.settings.get(key)
        if rule is None:
            self._generic_setting(key, value, line, scope, context)
            return
        role = rule.role
        strings = _strings(value)
        dev_only = self.is_dev(scope)
        if role == "media-root":
            if "tmp" in self.origins(scope, value) or string_of(value) == "":
                return
            detail = f"{key} = {_short(value)}: media files on the local disk"
            blocker = self._blocker(rule.warning, "local-folder-setting", line, detail, scope)
            self.context.storage_pending.append(blocker)
        elif role == "storage-backend":
            backends = [string_of(_dict_get(_dict_get(value, "default"), "BACKEND"))] if key == "STORAGES" else strings
            self._storage_backends(backends)
        elif role == "database":
            prefixes = self.tables.words("sqlite-value")
            sqlite = next((s for s in strings if s.startswith(prefixes)), None)
            if sqlite is not None:
                detail = f"{key}: SQLite ({sqlite})" + (" in a development/testing config" if dev_only else "")
                self.add(rule.warning, "sqlite", line, detail, scope, dev_only=dev_only)
        elif role == "session-engine":
            if any(s in self.tables.words("file-session") for s in strings):
                detail = f"{key} = {_short(value)}: sessions in local files"
                self.add(rule.warning, "file-sessions", line, detail, scope, dev_only=dev_only)
            elif any(s in self.tables.words("cache-session") for s in strings):
                detail = f"{key} = {_short(value)}: sessions in a per-process cache"
                blocker = self._blocker(rule.warning, "local-sessions", line, detail, scope, dev_only)
                self.context.cache_sessions.append((blocker, self.module))
        elif role == "caches":
            backend = string_of(_dict_get(_dict_get(value, "default"), "BACKEND"))
            self.context.local_caches[self.module] = backend is None or backend in self.tables.words("local-cache")
        elif role == "channel-layers":
            if any(s in self.tables.words("memory-layer") for s in strings):
                detail = f"{key}: channels.layers.InMemoryChannelLayer (groups live in one process)"
                self.add(rule.warning, "memory-channel-layer", line, detail, scope, dev_only=dev_only)
        elif role == "payload-size":
            self._payload(rule, key, value, line, scope)
        elif role == "broker-url":
            memory = next((s for s in strings if s.startswith(self.tables.words("memory-transport"))), None)
            if memory is not None:
                detail = f"{key}: in-memory Celery transport {memory!r}"
                self.add(rule.warning, "memory-broker", line, detail, scope, dev_only=dev_only)

    def _database_config(self, target: Expr, value: Expr, line: int, scope: str) -> None:
        """A database configuration dict wherever it is built (a settings helper too): SQLite, kept connections."""
        setting = self.tables.settings.get(str(target[1])) if target[0] == ExprKind.NAME else None
        if setting is None or setting.role != "database":
            engine = _sqlite_engine(value, self.tables.words("sqlite-value"))
            if engine is not None:
                dev_only = self.is_dev(scope)
                detail = f"a database configured with the SQLite engine ({engine})"
                self.add(self.tables.warning("database"), "sqlite", line, detail, scope, dev_only=dev_only)
        items = _dict_items(value)
        if setting is not None or any(key == "ENGINE" for key, _ in items):
            self.has_database_config = True
        for key, item in items:
            self._connection_setting(key, item, line, scope)
        if target[0] == ExprKind.SUBSCRIPT:
            index = string_of(target[2][1])
            if index is not None:
                self._connection_setting(index, value, line, scope)
        elif target[0] == ExprKind.NAME and not self.is_function(scope):
            rule = self.tables.settings.get(str(target[1]))
            if rule is not None and rule.role == "connection-age":
                self._connection_setting(str(target[1]), value, line, scope)

    def _connection_setting(self, key: str, value: Expr, line: int, scope: str) -> None:
        """`CONN_MAX_AGE` above 0 (or None: for ever) and a database `pool` option: connections kept open."""
        rule = self.tables.settings.get(key)
        if rule is None or rule.role not in ("connection-age", "connection-pool"):
            return
        if rule.role == "connection-pool":
            if value[0] == ExprKind.DICT or (value[0] == ExprKind.CONSTANT and value[1] is True):
                detail = f"database option {key!r} = {_short(value)}: a connection pool in every process"
                pool = self._blocker(rule.warning, "persistent-connection", line, detail, scope, self.is_dev(scope))
                self.pools.append(pool)  # kept only if the module configures a database
            return
        seconds = configured_number(value, lambda name: self.value_of(scope, name))
        if seconds is None or seconds <= 0:
            return
        held = "for ever" if seconds == float("inf") else f"up to {seconds:g} s"
        detail = f"{key} = {_short(value)}: every instance keeps its database connections open {held}"
        self.add(rule.warning, "persistent-connection", line, detail, scope, dev_only=self.is_dev(scope))

    def value_of(self, scope: str, name: str) -> Expr | None:
        """The value a name was last given in `scope`, else at module level (None when not a plain assignment)."""
        for where in (scope, ""):
            values = self.assigned.get((where, name))
            if values:
                return values[-1]
        return None

    def _storage_backends(self, backends: Sequence[str | None]) -> None:
        local = self.tables.words("filesystem-storage")
        if any(backend is not None and backend not in local for backend in backends):
            self.context.has_remote_storage = True

    def _generic_setting(self, key: str, value: Expr, line: int, scope: str, context: str) -> None:
        """Folder keys and MAX..SIZE keys: only where settings live (config classes, settings modules, app.config)."""
        if not key.isupper() or not self._is_settings_scope(scope, context):
            return
        if self.is_folder_key(key) and _is_path_like(value):
            origins = self.origins(scope, value)
            if "tmp" not in origins:
                rule = self.tables.rules["folder-suffix"]
                detail = f"{key} = {_short(value)}: a path on the local disk"
                self.add(rule.warning, "local-folder-setting", line, detail, scope, dev_only=self.is_dev(scope))
            return
        words = self.tables.words("payload-words")
        if "MAX" in key and any(word in key for word in words):
            self._payload(self.tables.rules["payload-words"], key, value, line, scope)

    def _is_settings_scope(self, scope: str, context: str) -> bool:
        if context == "config":
            return True
        if context == "module":
            return self.is_settings_module
        if context == "class":
            name = scope.rpartition(".")[2]
            return any(word in name for word in self.tables.words("settings-scope") if not word.islower())
        return False

    def _payload(self, rule: MatchRule, key: str, value: Expr, line: int, scope: str) -> None:
        size = number_of(value)
        limit = rule.threshold if rule.threshold is not None else self.tables.threshold("payload-size")
        if size is not None and size > limit:
            detail = f"{key} = {size / MEBIBYTE:g} MB, above Lambda's {limit / MEBIBYTE:g} MB synchronous payload"
            self.add(rule.warning, "payload-limit", line, detail, scope, dev_only=self.is_dev(scope))

    def _blocker(self, rule: str, kind: str, line: int, detail: str, scope: str, dev_only: bool = False) -> Blocker:
        """A blocker decided after the pass (not added yet)."""
        return Blocker(
            rule=rule,
            kind=kind,
            module=self.module,
            location=self.location(line),
            detail=detail,
            symbol=scope_of(self.module, scope),
            dev_only=dev_only,
        )

    # -- calls ------------------------------------------------------------------------------------

    def _call(self, call: CallFact) -> None:
        expr = call.call
        func = expr[2][0]
        scope = call.scope
        for name, value in expr[3]:
            if name is not None:
                self._connection_setting(name, value, call.line, scope)
        rule = self.rule_of(scope, func)
        if rule is None:
            if func[0] == ExprKind.ATTRIBUTE:
                self._method_call(call, func)
            return
        handler = _CALL_HANDLERS.get(rule.role)
        if handler is not None:
            handler(self, call, rule)

    def _method_call(self, call: CallFact, func: Expr) -> None:
        """A method no rule names: a container mutation, or `.save(path)` on an uploaded file."""
        name = str(func[1])
        if not self.is_function(call.scope):
            return
        if name in self.tables.words("mutator"):
            self._mutation(call.scope, func[2][0], call.line)
        elif name == "save" and self._is_upload(call.scope, func[2][0]):
            self._upload_save(call, self.tables.rules["upload-save"])

    def _is_upload(self, scope: str, receiver: Expr) -> bool:
        """`request.files[...]`/`.get(...)` assigned to a local, or a parameter named like a file or upload."""
        if receiver[0] != ExprKind.NAME:
            return False
        name = str(receiver[1])
        for value in self.assigned.get((scope, name), []):
            source = value[2][0] if value[0] in (ExprKind.SUBSCRIPT, ExprKind.CALL) else None
            if source is not None:
                rule = self.rule_of(scope, source)
                if rule is not None and rule.role == "request-files":
                    return True
        parameters = {p.name for p in self.parameters.get(scope, ())}
        return name in parameters and any(word in name.lower() for word in self.tables.words("upload-parameter"))

    def _open(self, call: CallFact, rule: MatchRule) -> None:
        expr = call.call
        path = argument(expr, 0, "file")
        if path is None:
            return
        mode_expr = argument(expr, 1, "mode")
        mode = string_of(mode_expr)
        origins = self.origins(call.scope, path)
        if "tmp" in origins:
            return
        if mode is not None and WRITE_MODE_LETTERS & set(mode):
            detail = f"open({_short(path)}, {mode!r}) writes to the local disk"
            self.add(rule.warning, "local-disk-write", call.line, detail, call.scope)
        elif mode_expr is None or mode is not None:
            keys = sorted(o[4:] for o in origins if o.startswith("key:"))
            if keys:
                self._read(rule, call, f"open({_short(path)}) reads a file under {', '.join(keys)}")

    def _path_open(self, call: CallFact, rule: MatchRule) -> None:
        """`Path(p).open("wb")`: the path is the receiver, the mode the first argument."""
        func = call.call[2][0]
        mode = string_of(argument(call.call, 0, "mode"))
        if func[0] != ExprKind.ATTRIBUTE or mode is None or not WRITE_MODE_LETTERS & set(mode):
            return
        path = func[2][0]
        if "tmp" in self.origins(call.scope, path):
            return
        detail = f"{_short(path)}.open({mode!r}) writes to the local disk"
        self.add(rule.warning, "local-disk-write", call.line, detail, call.scope)

    def _read(self, rule: MatchRule, call: CallFact, detail: str) -> None:
        key = (self.facts.path, call.line)
        if key in self.context.reads:
            return
        self.context.reads.add(key)
        self.add(rule.warning, "local-disk-read", call.line, detail, call.scope)

    def _write_path(self, call: CallFact, rule: MatchRule) -> None:
        expr = call.call
        func = expr[2][0]
        names = self.resolver.qualified_names(scope_of(self.module, call.scope), func)
        on_receiver = func[0] == ExprKind.ATTRIBUTE and any(n.startswith("pathlib.") for n in names)
        if on_receiver:
            path: Expr | None = func[2][0]
        elif rule.role == "write-second":
            path = argument(expr, 1, "dst")
        else:
            path = argument(expr, 0, "name") or argument(expr, 0, "path")
        if path is None or "tmp" in self.origins(call.scope, path):
            return
        what = _short(func) if on_receiver else dotted_name(func) or "call"
        shown = "" if on_receiver else _short(path)
        self.add(rule.warning, "local-disk-write", call.line, f"{what}({shown}) on the local disk", call.scope)

    def _upload_save(self, call: CallFact, rule: MatchRule) -> None:
        expr = call.call
        positional = expr[2][1:]
        path = argument(expr, 0, "dst")
        if path is None or len(positional) > 2 or "tmp" in self.origins(call.scope, path):
            return
        detail = f"uploaded file saved to {_short(path)} on the local disk"
        self.add(rule.warning, "local-disk-write", call.line, detail, call.scope)

    def _django_storage(self, call: CallFact, rule: MatchRule) -> None:
        func = call.call[2][0]
        if func[0] != ExprKind.ATTRIBUTE:  # FileSystemStorage(location=...)
            location = argument(call.call, 0, "location")
            if location is not None and "tmp" in self.origins(call.scope, location):
                return
            detail = "FileSystemStorage: files on the local disk"
            self.add(rule.warning, "local-disk-write", call.line, detail, call.scope)
            return
        method = str(func[1])
        kind = "local-disk-write" if method == "save" else "local-disk-read"
        detail = f"default_storage.{method}(...) with the default FileSystemStorage"
        self.context.storage_pending.append(self._blocker(rule.warning, kind, call.line, detail, call.scope))

    def _send_local(self, call: CallFact, rule: MatchRule) -> None:
        expr = call.call
        first = keyword(expr, "document_root") or argument(expr, 0, "path_or_file") or keyword(expr, "directory")
        origins = self.origins(call.scope, first) if first is not None else set()
        if "memory" in origins or "tmp" in origins:
            return
        if first is not None and first[0] == ExprKind.CALL:
            inner = self.rule_of(call.scope, first[2][0])
            if inner is not None and inner.role == "in-memory":
                return
        what = dotted_name(expr[2][0]) or "send"
        self._read(rule, call, f"{what}({_short(first) if first else ''}) serves a local file")

    def _file_response(self, call: CallFact, rule: MatchRule) -> None:
        first = argument(call.call, 0, "streaming_content")
        if first is None or first[0] != ExprKind.CALL:
            return
        inner = self.rule_of(call.scope, first[2][0])
        path = argument(first, 0, "file")
        if inner is None or inner.role != "open" or path is None or "tmp" in self.origins(call.scope, path):
            return
        self._read(rule, call, f"FileResponse(open({_short(path)})) serves a local file")

    def _thread(self, call: CallFact, rule: MatchRule) -> None:
        expr = call.call
        target = keyword(expr, "target")
        daemon = keyword(expr, "daemon")
        is_daemon = daemon is not None and daemon[0] == ExprKind.CONSTANT and daemon[1] is True
        what = dotted_name(expr[2][0]) or "Thread"
        detail = f"{what}(target={_short(target)})" if target is not None else f"{what}(...)"
        key = (self.facts.path, call.line, expr)
        self.context.threads[key] = _Thread(
            self.location(call.line), self.module, scope_of(self.module, call.scope), detail, is_daemon, rule.warning
        )
        target = self.call_targets.get((call.scope, call.line, expr))
        site = self.site(call.scope, target) if target is not None else None
        if site is not None:
            self.context.thread_sites[site] = key

    def _thread_start(self, call: CallFact, rule: MatchRule) -> None:
        receiver = call.call[2][0][2][0]
        constructor = (self.facts.path, call.line, receiver) if receiver[0] == ExprKind.CALL else None
        self.context.starts.append(
            _Start(
                constructor=constructor,
                site=self.site(call.scope, receiver) if constructor is None else None,
                location=self.location(call.line),
                module=self.module,
                symbol=scope_of(self.module, call.scope),
                receiver=_short(receiver),
                rule=rule.warning,
            )
        )

    def _thread_join(self, call: CallFact, rule: MatchRule) -> None:
        site = self.site(call.scope, call.call[2][0][2][0])
        if site is not None:
            self.context.joined.add(site)

    def _executor(self, call: CallFact, rule: MatchRule) -> None:
        if call.scope:
            return
        what = dotted_name(call.call[2][0]) or "executor"
        self.add(rule.warning, "thread", call.line, f"module-level {what}(...): work outlives the request", "")

    def _spawn(self, call: CallFact, rule: MatchRule) -> None:
        """`gevent.spawn(f)`, `eventlet.spawn(f)`: a green thread, started as it is made."""
        expr = call.call
        what = dotted_name(expr[2][0]) or "spawn"
        target = argument(expr, 0, "run")
        detail = f"{what}({_short(target) if target else ''}): a green thread started in the application process"
        self.add(rule.warning, "thread", call.line, detail, call.scope)

    def _connection(self, call: CallFact, rule: MatchRule) -> None:
        """A database, broker or mailbox connection opened at import time, or opened in a function and kept
        where it outlives the call (a module global, a class attribute, an object that never closes it, a
        cached return): held for the process's life."""
        what = dotted_name(call.call[2][0]) or "connect"
        if self.is_function(call.scope):
            kept = self._kept_by(call)
            if kept:
                detail = f"{what}(...) in `{call.scope}`, kept {kept}: a connection held open across invocations"
                self.add(rule.warning, "persistent-connection", call.line, detail, call.scope)
            return
        where = "module" if not call.scope else "class"
        detail = f"{what}(...) at {where} level: a connection held open for the life of the process"
        self.add(rule.warning, "persistent-connection", call.line, detail, call.scope)

    def _kept_by(self, call: CallFact) -> str:
        """Where a connection a function opens outlives the call, in words; "" when it ends with the call.

        Kept: assigned to a name the module also binds at module level (a `global`), to an item of such a
        name (a cache dict), to an attribute of a class (`cls.x`, `Client.x`), to `self.x` of a class that
        never closes it, or returned (directly or through a local) by a function whose result is cached
        (`functools.lru_cache`). A local that a `with` block or `close()` ends is not kept.
        """
        scope = call.scope
        target = self.call_targets.get((scope, call.line, call.call))
        if target is None:
            return "as its cached result" if self._returns_cached(scope, call.call, None) else ""
        kind, value, children, _ = target
        name = str(value)
        if kind == ExprKind.NAME:
            if ("", name) in self.assigned:
                return f"in the module global `{name}`"
            return "as its cached result" if self._returns_cached(scope, call.call, name) else ""
        container = children[0] if kind == ExprKind.SUBSCRIPT else None
        if container is not None and container[0] == ExprKind.NAME and ("", str(container[1])) in self.assigned:
            return f"in the module-level `{container[1]!s}[...]`"
        if kind != ExprKind.ATTRIBUTE or children[0][0] != ExprKind.NAME:
            return ""
        owner = str(children[0][1])
        method_class = scope.rpartition(".")[0]
        if owner == "cls" or self.kinds.get(owner) == "class":
            return f"in the class attribute `{owner}.{name}`"
        if owner == "self" and self.kinds.get(method_class) == "class" and not self._closes(method_class, name):
            return f"in `self.{name}`, which `{method_class.rpartition('.')[2]}` never closes"
        return ""

    def _closes(self, class_scope: str, attribute: str) -> bool:
        """Some method of the class ends the connection it keeps in `self.<attribute>` (`close()`, `logout()`)."""
        closers = self.tables.words("connection-close")
        for other in self.facts.calls:
            func = other.call[2][0]
            if not other.scope.startswith(class_scope + ".") or func[0] != ExprKind.ATTRIBUTE:
                continue
            receiver = func[2][0]
            if str(func[1]) in closers and receiver[0] == ExprKind.ATTRIBUTE and str(receiver[1]) == attribute:
                return True
        return False

    def _returns_cached(self, scope: str, value: Expr, local: str | None) -> bool:
        """The function returns `value` (or the local bound to it) and a caching decorator keeps its result."""
        returned = any(
            r.scope == scope and (r.value == value or (local is not None and r.value == (ExprKind.NAME, local, (), ())))
            for r in self.facts.returns
        )
        if not returned:
            return False
        caches = frozenset(self.tables.words("connection-cache"))
        definition = next((d for d in self.facts.definitions if d.qualname == scope), None)
        if definition is None:
            return False
        outer = scope_of(self.module, definition.scope)
        for decorator in definition.decorators:
            func = decorator[2][0] if decorator[0] == ExprKind.CALL else decorator
            if caches & set(self.resolver.qualified_names(outer, func)):
                return True
        return False

    def _websocket_client(self, call: CallFact, rule: MatchRule) -> None:
        what = dotted_name(call.call[2][0]) or "connect"
        detail = f"{what}(...): a WebSocket client connection kept open"
        self.add(rule.warning, "persistent-connection", call.line, detail, call.scope)

    def _scheduler_start(self, call: CallFact, rule: MatchRule) -> None:
        receiver = call.call[2][0][2][0]
        detail = f"{_short(receiver)}.start(): an in-process scheduler"
        self.add(rule.warning, "scheduler", call.line, detail, call.scope)

    def _schedule_every(self, call: CallFact, rule: MatchRule) -> None:
        what = dotted_name(call.call[2][0]) or "schedule"
        if (self.facts.path, what) in self.context.once:  # one per module and library
            return
        self.context.once.add((self.facts.path, what))
        self.add(rule.warning, "scheduler", call.line, f"{what}(...): an in-process scheduler", call.scope)

    def _sqlite_connect(self, call: CallFact, rule: MatchRule) -> None:
        path = argument(call.call, 0, "database")
        if path is not None and string_of(path) == ":memory:":
            return
        if self._is_read_only(call.scope, path):
            return  # a file shipped with the code and only queried: it works on Lambda
        dev_only = self.is_dev(call.scope)
        detail = f"sqlite3.connect({_short(path) if path else ''})"
        self.add(rule.warning, "sqlite", call.line, detail, call.scope, dev_only=dev_only)

    def _is_read_only(self, scope: str, path: Expr | None) -> bool:
        """A connection the function only reads through: opened `mode=ro`, or every SQL it runs is a query.

        Inside a function that commits nothing and whose `execute` calls all run SQL visible here
        (a literal, or a local given one) that begins with SELECT or WITH. Module-level connections,
        returned ones and SQL built elsewhere are not judged read-only.
        """
        if any("mode=ro" in text for text in _strings(path)):
            return True
        if not self.is_function(scope):
            return False
        statements: list[str] = []
        for call in self.facts.calls:
            func = call.call[2][0]
            if call.scope != scope or func[0] != ExprKind.ATTRIBUTE:
                continue
            method = str(func[1])
            if method in ("commit", "executescript"):
                return False
            if method in ("execute", "executemany"):
                sql = argument(call.call, 0, "sql")
                if sql is not None and sql[0] == ExprKind.NAME:
                    sql = self.value_of(scope, str(sql[1]))
                text = string_of(sql)
                if text is None:
                    return False
                statements.append(text.lstrip().upper())
        if any(r.scope == scope for r in self.facts.returns if not r.is_yield and r.value[0] == ExprKind.NAME):
            return False
        return bool(statements) and all(s.startswith(("SELECT", "WITH")) for s in statements)

    def _engine_url(self, call: CallFact, rule: MatchRule) -> None:
        url = argument(call.call, 0, "url")
        prefixes = self.tables.words("sqlite-value")
        sqlite = next((s for s in _strings(url) if s.startswith(prefixes)), None) if url is not None else None
        if sqlite is not None:
            dev_only = self.is_dev(call.scope)
            self.add(rule.warning, "sqlite", call.line, f"create_engine({sqlite!r})", call.scope, dev_only=dev_only)

    def _celery_app(self, call: CallFact, rule: MatchRule) -> None:
        for name in ("broker", "backend"):
            value = keyword(call.call, name)
            memory = next((s for s in _strings(value) if s.startswith(self.tables.words("memory-transport"))), None)
            if value is not None and memory is not None:
                detail = f"Celery({name}={memory!r}): in-memory transport"
                self.add(rule.warning, "memory-broker", call.line, detail, call.scope, dev_only=self.is_dev(call.scope))

    def _socketio_server(self, call: CallFact, rule: MatchRule) -> None:
        expr = call.call
        detail = f"{dotted_name(expr[2][0]) or 'SocketIO'} server" + _queue(expr)
        blocker = self._blocker(rule.warning, "socketio-server", call.line, detail, call.scope)
        if len(expr[2]) > 1 or "app" in {k for k, _ in expr[3]}:
            self.context.found.append(blocker)
        else:
            self.context.socketio_pending.append(blocker)

    def _socketio_init(self, call: CallFact, rule: MatchRule) -> None:
        self.context.has_socketio_init = True
        detail = "Flask-SocketIO server attached with init_app" + _queue(call.call)
        self.add(rule.warning, "socketio-server", call.line, detail, call.scope)

    def _config_update(self, call: CallFact, rule: MatchRule) -> None:
        expr = call.call
        for name, value in expr[3]:
            if name is not None:
                self._setting(name, value, call.line, call.scope, "config")
        for item in expr[2][1:]:
            if item[0] == ExprKind.DICT:
                children = item[2]
                for index in range(0, len(children) - 1, 2):
                    key = string_of(children[index])
                    if key is not None:
                        self._setting(key, children[index + 1], call.line, call.scope, "config")

    # -- imports ----------------------------------------------------------------------------------

    def _imports(self) -> None:
        seen: set[str] = set()
        for fact in self.facts.imports:
            if fact.level or not fact.module:
                continue
            package = fact.module.split(".")[0]
            rule = self.tables.imports.get(package)
            if rule is None or package in seen or package in self.context.graphs.modules:
                continue
            seen.add(package)
            detail = f"imports {package}: a heavy native package (250 MB package limit, cold start)"
            self.add(rule.warning, "native-dependency", fact.line, detail, fact.scope)


_CALL_HANDLERS = {
    "open": _Module._open,
    "write-first": _Module._write_path,
    "write-second": _Module._write_path,
    "upload-save": _Module._upload_save,
    "django-storage": _Module._django_storage,
    "send-local": _Module._send_local,
    "file-response": _Module._file_response,
    "thread": _Module._thread,
    "thread-start": _Module._thread_start,
    "thread-join": _Module._thread_join,
    "executor": _Module._executor,
    "scheduler-start": _Module._scheduler_start,
    "schedule-every": _Module._schedule_every,
    "sqlite-connect": _Module._sqlite_connect,
    "path-open": _Module._path_open,
    "spawn": _Module._spawn,
    "connection": _Module._connection,
    "websocket-client": _Module._websocket_client,
    "engine-url": _Module._engine_url,
    "celery-app": _Module._celery_app,
    "socketio-server": _Module._socketio_server,
    "socketio-init": _Module._socketio_init,
    "config-update": _Module._config_update,
}


# -- decided after the pass -------------------------------------------------------------------------


def _conclude(context: _Context) -> None:
    state_rule = context.tables.warning("container")
    for site, (where, module, detail) in context.containers.items():
        _add_state(context, state_rule, where, module, site.replace("|", ":"), detail, context.mutations.get(site))
    class_mutations: dict[tuple[str, str], list[Location]] = defaultdict(list)
    for (class_symbol, name), locations in context.class_mutations.items():
        if (class_symbol, name) in context.instance_attributes:
            continue
        for owner in (class_symbol, *context.graphs.resolver.ancestors(class_symbol)):
            if (owner, name) in context.class_containers:
                if (owner, name) not in context.instance_attributes:
                    class_mutations[(owner, name)] += locations
                break
    for (class_symbol, name), (where, module, detail) in context.class_containers.items():
        mutations = class_mutations.get((class_symbol, name))
        _add_state(context, state_rule, where, module, f"{class_symbol}.{name}", detail, mutations)
    for start in context.starts:
        key = start.constructor if start.constructor is not None else context.thread_sites.get(start.site or "")
        thread = context.threads.get(key) if key is not None else None
        if thread is not None:
            thread.starts.append(start.location)
            continue
        context.found.append(
            Blocker(
                rule=start.rule,
                kind="thread",
                module=start.module,
                location=start.location,
                detail=f"{start.receiver}.start(): a thread or process started in the application",
                symbol=start.symbol,
            )
        )
    joined = {context.thread_sites[site] for site in context.joined if site in context.thread_sites}
    for key, thread in context.threads.items():
        if (not thread.starts and not thread.is_daemon) or key in joined:
            continue
        started = " started" if thread.starts else ""
        daemon = " (daemon)" if thread.is_daemon else ""
        context.found.append(
            Blocker(
                rule=thread.rule,
                kind="thread",
                module=thread.module,
                location=thread.location,
                detail=f"{thread.detail}{started}{daemon}: a background thread in the application process",
                symbol=thread.symbol,
                related=tuple(sorted(set(thread.starts), key=_order)[:MAX_RELATED]),
            )
        )
    if not context.has_socketio_init:
        context.found += context.socketio_pending
    if not context.has_remote_storage:
        context.found += context.storage_pending
    for blocker, module in context.cache_sessions:
        if context.local_caches.get(module, True):
            context.found.append(blocker)


def _streams(context: _Context, realtime: Sequence[Realtime]) -> None:
    """Server-sent-event streams: each client holds an HTTP connection open for as long as it listens."""
    rule = context.tables.warning("stream")
    for handler in realtime:
        if handler.kind != "sse":
            continue
        served = f" ({handler.path})" if handler.path else ""
        detail = (
            f"`{handler.handler}`{served} streams server-sent events: every client holds an HTTP connection "
            "open while it listens"
        )
        module = handler.handler.partition(":")[0]
        context.found.append(
            Blocker(
                rule=rule,
                kind="persistent-connection",
                module=module,
                location=handler.location,
                detail=detail,
                symbol=handler.handler,
            )
        )


def _in_process_subscribers(context: _Context) -> None:
    """A publish that loops over subscribers kept in the process (`for q in self.clients.values(): q.put(m)`).

    Only in an application that serves real-time clients (SSE, WebSocket, Socket.IO): there the loop is
    how an event reaches the connections this process holds, and clients of other instances miss it.
    """
    rule = context.tables.rules["subscriber-delivery"]
    deliveries = frozenset(rule.names)
    views = frozenset(context.tables.words("collection-view"))
    for facts in context.graphs.modules.values():
        if _is_test(context, facts.module):
            continue
        module_names = {str(t[1]) for a in facts.assignments if not a.scope for t in a.targets if t[0] == ExprKind.NAME}
        loops: set[tuple[str, str]] = set()  # (scope, loop variable)
        for assignment in facts.assignments:
            target = assignment.targets[0] if assignment.targets else None
            if assignment.operator != "iter" or target is None or target[0] != ExprKind.NAME or not assignment.scope:
                continue
            if assignment.value is not None and _is_held_collection(assignment.value, module_names, views):
                loops.add((assignment.scope, str(target[1])))
        for call in facts.calls:
            func = call.call[2][0]
            if func[0] != ExprKind.ATTRIBUTE or str(func[1]) not in deliveries:
                continue
            receiver = func[2][0]
            while receiver[0] == ExprKind.SUBSCRIPT:
                receiver = receiver[2][0]
            if receiver[0] == ExprKind.NAME and (call.scope, str(receiver[1])) in loops:
                symbol = scope_of(facts.module, call.scope)
                detail = f"`{symbol}` delivers each event to subscribers kept in this process's memory"
                context.found.append(
                    Blocker(
                        rule=rule.warning,
                        kind="in-process-subscribers",
                        module=facts.module,
                        location=Location(file=facts.path, line=call.line),
                        detail=detail,
                        symbol=symbol,
                    )
                )


def _is_held_collection(expr: Expr, module_names: set[str], views: frozenset[str]) -> bool:
    """`self.clients`, `list(self.clients.values())`, a module-level `SUBSCRIBERS`: it outlives a call."""
    kind, value, children, _ = expr
    while kind == ExprKind.CALL and children:
        func = children[0]
        if func[0] == ExprKind.NAME and str(func[1]) in views and len(children) > 1:
            kind, value, children, _ = children[1]
        elif func[0] == ExprKind.ATTRIBUTE and str(func[1]) in views:
            kind, value, children, _ = func[2][0]
        else:
            return False
    if kind == ExprKind.ATTRIBUTE:
        owner = children[0]
        return owner[0] == ExprKind.NAME and str(owner[1]) in ("self", "cls")
    return kind == ExprKind.NAME and str(value) in module_names


def _is_test(context: _Context, module: str) -> bool:
    """Test code, which never runs on Lambda: not scanned for blockers."""
    return context.graphs.is_test(module)


def _add_state(
    context: _Context,
    rule: str,
    where: Location,
    module: str,
    symbol: str,
    detail: str,
    mutations: list[Location] | None,
) -> None:
    if not mutations:
        return
    related = tuple(sorted(set(mutations), key=_order)[:MAX_RELATED])
    context.found.append(
        Blocker(
            rule=rule,
            kind="module-state",
            module=module,
            location=where,
            detail=f"{detail}, mutated in functions: one copy per Lambda instance",
            symbol=symbol,
            related=related,
        )
    )


# -- expressions ----------------------------------------------------------------------------------


def _order(location: Location) -> tuple[str, int]:
    return location.file, location.line


def _suffixes(tables: _Tables) -> tuple[str, ...]:
    rule = tables.rules.get("folder-suffix")
    return tuple(rule.names) if rule is not None else ()


def _strings(expr: Expr | None) -> list[str]:
    """Every string literal in an expression tree (dict values, call arguments, `+` operands)."""
    if expr is None:
        return []
    kind, value, children, keywords = expr
    if kind == ExprKind.CONSTANT:
        return [value] if isinstance(value, str) else []
    found: list[str] = []
    for child in children:
        found += _strings(child)
    for _, child in keywords:
        found += _strings(child)
    return found


def _dict_items(expr: Expr, depth: int = 0) -> list[tuple[str, Expr]]:
    """The string-keyed items of a dict literal and of the dicts nested in it (a few levels deep)."""
    if expr[0] != ExprKind.DICT or depth > 3:
        return []
    children = expr[2]
    found: list[tuple[str, Expr]] = []
    for index in range(0, len(children) - 1, 2):
        key, value = string_of(children[index]), children[index + 1]
        if key is not None:
            found.append((key, value))
        found += _dict_items(value, depth + 1)
    return found


def _sqlite_engine(expr: Expr, prefixes: tuple[str, ...]) -> str | None:
    """The SQLite engine a database dict (`{"ENGINE": "django.db.backends.sqlite3", ...}`) names, if any."""
    for key, value in _dict_items(expr):
        engine = string_of(value) if key == "ENGINE" else None
        if engine is not None and engine.startswith(prefixes):
            return engine
    return None


def _dict_get(expr: Expr | None, key: str) -> Expr | None:
    if expr is None or expr[0] != ExprKind.DICT:
        return None
    children = expr[2]
    for index in range(0, len(children) - 1, 2):
        if string_of(children[index]) == key:
            return children[index + 1]
    return None


def _is_path_like(expr: Expr) -> bool:
    """A path construct: `os.path.join(...)`, `Path(...)`, `a / b`, `'/var/x'`, or one of them as a default."""
    kind, value, children, keywords = expr
    if kind == ExprKind.CONSTANT:
        return isinstance(value, str) and ("/" in value or "\\" in value) and "://" not in value
    if kind == ExprKind.BINARY:
        return value == "Div" or any(_is_path_like(c) for c in children)
    if kind == ExprKind.CALL:
        name = dotted_name(children[0]) or ""
        if name.startswith(("os.path.", "path.")) or name.endswith("Path"):
            return True
        return any(_is_path_like(c) for c in children[1:]) or any(_is_path_like(v) for _, v in keywords)
    if kind == ExprKind.FSTRING:
        return any(_is_path_like(c) for c in children)
    return False


def _queue(call: Expr) -> str:
    queue = keyword(call, "message_queue")
    return f" (message_queue={_short(queue)})" if queue is not None else ""


def _short(expr: Expr | None, limit: int = 60) -> str:
    """A short source-like text of an expression, for details."""
    text = expression_text(expr) if expr is not None else ""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _run(graphs: LinkedGraphs, heuristics: Heuristics, published: Recognition) -> Recognition:
    return recognize(graphs, heuristics, published)


RECOGNIZER = Recognizer(
    name="readiness",
    run=_run,
    produces=frozenset({Product.BLOCKERS}),
    requires=frozenset({Product.REALTIME}),
    handles={
        "readiness-call": frozenset(
            {
                "cache-object",
                "celery-app",
                "connection",
                "config-object",
                "config-update",
                "container",
                "django-storage",
                "engine-url",
                "executor",
                "file-response",
                "in-memory",
                "open",
                "path-open",
                "request-files",
                "schedule-every",
                "scheduler-start",
                "send-local",
                "socketio-init",
                "socketio-server",
                "spawn",
                "sqlite-connect",
                "temporary",
                "thread",
                "thread-join",
                "thread-start",
                "upload-save",
                "websocket-client",
                "write-first",
                "write-second",
            }
        ),
        "readiness-import": frozenset(
            {
                "native",
            }
        ),
        "readiness-setting": frozenset(
            {
                "broker-url",
                "caches",
                "channel-layers",
                "connection-age",
                "connection-pool",
                "database",
                "folder-suffix",
                "media-root",
                "payload-size",
                "session-engine",
                "storage-backend",
            }
        ),
        "readiness-value": frozenset(
            {
                "cache-session",
                "collection-view",
                "connection-cache",
                "connection-close",
                "dev-marker",
                "file-session",
                "filesystem-storage",
                "folder-exclude",
                "local-cache",
                "memory-layer",
                "memory-transport",
                "mutator",
                "payload-words",
                "settings-scope",
                "sqlite-value",
                "startup-function",
                "stream",
                "subscriber-delivery",
                "temporary-prefix",
                "upload-parameter",
            }
        ),
    },
)
