"""Capture the runtime truth of a Flask application: what Flask, click, Celery, RQ, SQLAlchemy and blinker report.

Run with the *application's* interpreter (its own virtualenv), never with migrate-scan's: the capture boots the
app, so it imports the app's code and the app's dependencies. It never imports migrate-scan. The driver
(`benchmarks/realworld/capture/capture.py`) reads `apps/<app>.toml` and calls it as

    <venv>/bin/python flask_truth.py --config CONFIG.json --out truth/<app>.json

CONFIG.json holds the app's table (see `apps/*.toml`) plus `src`, the checkout. Keys used here:

- `factory`: `"module:expression"`; the module is imported and the expression evaluated in its namespace.
- `env`: environment variables set before anything is imported.
- `patches`: `[{why, code}]`, Python run in order before the factory (stubs for missing services); `code` may be
  empty when the patch is only the environment or a file written outside the checkout.
- `cli`: `["module:attr"]`, more command-line roots besides `app.cli`: a click command, or a console entry point
  (a callable that builds a group and calls it; its call is intercepted and the group read).
- `import_all`: import every own module (except `exclude_modules` prefixes) so that registries filled at import
  time (tasks, receivers, models) are complete.
- `periodic`: `"module:expression"` evaluating to a list of `{"func": f, ...}` schedule entries (RQ scheduler).
- `celery`: `["module:attr"]` Celery applications (those found in loaded modules are read anyway).
- `known_jobs`: `[{kind, function, evidence}]` jobs that no run-time registry lists (RQ work enqueued by
  function reference), each with the call site that enqueues it; resolved in the booted app.

Python 3.10 compatible (some corpus apps pin it): no tomllib here, the driver converts the TOML.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import inspect
import json
import os
import pkgutil
import re
import sys
import traceback
import types
from collections import Counter
from typing import Any

# -- naming -------------------------------------------------------------------------------------------------


def symbol_of(obj: Any) -> str | None:
    """`module:qualname` of a function or class after `inspect.unwrap`, `<locals>.` removed."""
    if isinstance(obj, types.MethodType):
        obj = obj.__func__
    if isinstance(obj, (classmethod, staticmethod)):
        obj = obj.__func__
    with contextlib.suppress(ValueError):
        obj = inspect.unwrap(obj)
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if module is None or qualname is None:
        cls = type(obj)
        module, qualname = cls.__module__, cls.__qualname__
    return f"{module}:{qualname.replace('<locals>.', '')}"


class Ownership:
    """Decides whether a module is the app's own (its file lies under the scanned folder) and names packages."""

    def __init__(self, own_dir: str, exclude: list[str]) -> None:
        self.own_dir = os.path.realpath(own_dir) + os.sep
        self.exclude = exclude
        try:
            from importlib.metadata import packages_distributions

            self.distributions = packages_distributions()
        except Exception:
            self.distributions = {}

    def own_module(self, module: str | None) -> bool:
        """True when `module` is loaded from a file under the scanned folder."""
        if not module:
            return False
        loaded = sys.modules.get(module)
        path = getattr(loaded, "__file__", None)
        if path is None:
            return False
        return os.path.realpath(path).startswith(self.own_dir)

    def own(self, symbol: str | None) -> bool:
        """True when the symbol's module is the app's own."""
        return symbol is not None and self.own_module(symbol.partition(":")[0])

    def package(self, symbol: str | None) -> str | None:
        """The distribution (or top-level package) a third-party symbol comes from."""
        if symbol is None or self.own(symbol):
            return None
        top = symbol.partition(":")[0].split(".")[0]
        names = self.distributions.get(top)
        return names[0] if names else top


# -- routes -------------------------------------------------------------------------------------------------


def canonical_path(rule: str) -> str:
    """Werkzeug's `/a/<int:id>` as `/a/{id}` (converter arguments like `<any(a,b):x>` included)."""
    path = re.sub(r"<[^<>]*?:?([A-Za-z_][A-Za-z0-9_]*)>", lambda m: "{" + m.group(1) + "}", rule)
    return path if path.startswith("/") else "/" + path


_VIEW_METHODS = ("process", "dispatch_request", "get", "post", "put", "patch", "delete")


def _adapted_class(view: Any) -> type | None:
    """The class a view function adapts when it is a closure over exactly one view-like class.

    Indico's `make_view_func(RH)` returns `def wrapper(**kw): return obj().process()`: the route's handler is
    the class, as with Flask's `view_class`. A class counts when it defines `process`, `dispatch_request` or an
    HTTP verb method; a closure over a model or any other class is left as it is."""
    try:
        function = inspect.unwrap(view)
    except ValueError:
        function = view
    cells = getattr(function, "__closure__", None) or ()
    classes = []
    for cell in cells:
        with contextlib.suppress(ValueError):  # an empty cell
            value = cell.cell_contents
            if isinstance(value, type) and any(callable(getattr(value, m, None)) for m in _VIEW_METHODS):
                classes.append(value)
    return classes[0] if len(classes) == 1 else None


def _handler_of(view: Any) -> str | None:
    cls = getattr(view, "view_class", None) or _adapted_class(view)
    return symbol_of(cls if cls is not None else view)


def routes_of(app: Any, owner: Ownership) -> list[dict[str, Any]]:
    """Every URL rule: path, raw path, handler (class for class-based views), methods, ownership."""
    found = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        handler = _handler_of(view) if view is not None else None
        methods = sorted(m for m in (rule.methods or ()) if m not in ("HEAD", "OPTIONS"))
        found.append(
            {
                "path": canonical_path(rule.rule),
                "raw_path": rule.rule,
                "endpoint": rule.endpoint,
                "handler": handler,
                "methods": methods or None,
                "own": owner.own(handler),
                "package": owner.package(handler),
                "format_suffix": False,
            }
        )
    return sorted(found, key=lambda r: (r["path"], r["endpoint"], r["handler"] or ""))


def _blueprint_of(app: Any, endpoint: str) -> str:
    """The longest registered blueprint name that prefixes the endpoint (`app` for application-level rules)."""
    parts = endpoint.split(".")[:-1]
    while parts:
        if ".".join(parts) in app.blueprints:
            return ".".join(parts)
        parts.pop()
    return "app"


def module_blueprints(app: Any, owner: Ownership) -> dict[str, str]:
    """Own module -> the blueprint most of its view functions are served under (`app` for app-level rules)."""
    votes: dict[str, Counter[str]] = {}
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        handler = _handler_of(view) if view is not None else None
        if handler is None or not owner.own(handler):
            continue
        blueprint = _blueprint_of(app, rule.endpoint)
        votes.setdefault(handler.partition(":")[0], Counter())[blueprint] += 1
    return {m: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for m, c in sorted(votes.items())}


# -- command line -------------------------------------------------------------------------------------------


class _Captured(Exception):
    def __init__(self, command: Any) -> None:
        super().__init__("captured")
        self.command = command


def _entry_command(target: Any) -> Any:
    """A click command itself, or the one a console entry point builds and calls (its call intercepted)."""
    import click

    if isinstance(target, click.Command):
        return target
    bases = {click.core.Command}
    bases.update(c for c in (vars(click.core).get("BaseCommand"),) if isinstance(c, type))
    originals = {base: base.__dict__.get("main") for base in bases}

    def intercept(self: Any, *args: Any, **kwargs: Any) -> None:
        raise _Captured(self)

    for base in bases:
        base.main = intercept
    try:
        target()
    except _Captured as captured:
        return captured.command
    finally:
        for base, original in originals.items():
            if original is None:
                del base.main
            else:
                base.main = original
    raise RuntimeError(f"{target!r} called no click command")


def walk_cli(root: Any, app: Any, owner: Ownership) -> list[dict[str, Any]]:
    """Every leaf command under `root`, named by its full command path (without the root's own name)."""
    import click
    from flask.cli import ScriptInfo

    info = ScriptInfo(create_app=lambda *a, **k: app)
    found: list[dict[str, Any]] = []

    def visit(command: Any, path: list[str], ctx: Any, depth: int) -> None:
        if isinstance(command, click.Group) and depth < 10:
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is None:
                    continue
                visit(sub, [*path, name], click.Context(sub, parent=ctx, info_name=name, obj=info), depth + 1)
            return
        handler = symbol_of(command.callback) if command.callback is not None else None
        found.append(
            {
                "kind": "click-command",
                "name": " ".join(path),
                "handler": handler,
                "own": owner.own(handler),
                "package": owner.package(handler),
            }
        )

    visit(root, [], click.Context(root, info_name="cli", obj=info), 0)
    return found


# -- jobs ---------------------------------------------------------------------------------------------------


def celery_apps(explicit: list[Any]) -> list[Any]:
    """Celery applications: the configured ones and any instance bound at module level in a loaded module."""
    try:
        from celery import Celery
    except ImportError:
        return []
    found = {id(a): a for a in explicit}
    for module in list(sys.modules.values()):
        for value in list(getattr(module, "__dict__", {}).values()):
            if issubclass(type(value), Celery):  # type(): never wake a LocalProxy
                found.setdefault(id(value), value)
    return list(found.values())


def celery_jobs(apps: list[Any], owner: Ownership) -> list[dict[str, Any]]:
    """Registered tasks (without `celery.*`) and beat entries of each Celery application."""
    found = []
    for capp in apps:
        capp.loader.import_default_modules() if hasattr(capp, "loader") else None
        for name, task in sorted(capp.tasks.items()):
            if name.startswith("celery."):
                continue
            run = getattr(type(task), "run", None)
            original = getattr(task, "__wrapped__", None) or run
            handler = symbol_of(original) if original is not None else None
            if handler is not None and handler.endswith(":Task.run"):
                handler = symbol_of(type(task))
            found.append(
                {
                    "kind": "celery-task",
                    "name": name,
                    "handler": handler,
                    "own": owner.own(handler),
                    "package": owner.package(handler),
                }
            )
        for key, entry in sorted((capp.conf.beat_schedule or {}).items()):
            task_name = entry.get("task")
            task = capp.tasks.get(task_name)
            original = getattr(task, "__wrapped__", None) if task is not None else None
            handler = symbol_of(original) if original is not None else None
            found.append(
                {
                    "kind": "celery-periodic",
                    "name": key,
                    "task": task_name,
                    "schedule": str(entry.get("schedule")),
                    "handler": handler,
                    "own": owner.own(handler) if handler else True,
                    "package": owner.package(handler),
                }
            )
    return found


def rq_jobs(owner: Ownership) -> list[dict[str, Any]]:
    """Functions decorated by `rq.decorators.job` (it sets `f.delay`, a wrapper of `f`) bound in own modules."""
    found = {}
    for name, module in list(sys.modules.items()):
        if not owner.own_module(name):
            continue
        for value in list(getattr(module, "__dict__", {}).values()):
            if type(value) is not types.FunctionType:
                continue
            delay = getattr(value, "delay", None)
            if delay is None or getattr(delay, "__wrapped__", None) is not value:
                continue
            handler = symbol_of(value)
            dotted = handler.replace(":", ".")
            own = owner.own(handler)
            found[dotted] = {"kind": "rq-job", "name": dotted, "handler": handler, "own": own, "package": None}
    return [found[k] for k in sorted(found)]


def periodic_jobs(entries: list[dict[str, Any]], owner: Ownership) -> list[dict[str, Any]]:
    """RQ-scheduler style entries `{"func": f, "interval": ...}` as `rq-periodic` jobs named by the function."""
    found = []
    for entry in entries:
        func = entry.get("func")
        handler = symbol_of(func) if func is not None else None
        found.append(
            {
                "kind": "rq-periodic",
                "name": handler.replace(":", ".") if handler else "?",
                "handler": handler,
                "schedule": str(entry.get("interval") or entry.get("cron_string") or ""),
                "own": owner.own(handler),
                "package": owner.package(handler),
            }
        )
    return found


def known_jobs(entries: list[dict[str, Any]], owner: Ownership, namespace: dict[str, Any]) -> list[dict[str, Any]]:
    """Jobs no registry lists (RQ work enqueued by function reference): each `{kind, function, evidence}` is
    resolved in the booted app (so it must exist) and kept with the call site that enqueues it."""
    found = []
    for entry in entries:
        handler = symbol_of(resolve(entry["function"], namespace))
        found.append(
            {
                "kind": entry["kind"],
                "name": handler.replace(":", "."),
                "handler": handler,
                "own": owner.own(handler),
                "package": owner.package(handler),
                "evidence": entry["evidence"],
            }
        )
    return found


# -- models -------------------------------------------------------------------------------------------------


def all_mappers() -> list[Any]:
    """Every SQLAlchemy mapper: the registries of 1.4+, or the global mapper registry of 1.3."""
    mappers: dict[int, Any] = {}
    try:
        from sqlalchemy.orm import mapperlib

        for registry in list(getattr(mapperlib, "_mapper_registries", {})):
            for mapper in registry.mappers:
                mappers[id(mapper)] = mapper
        for mapper in list(getattr(mapperlib, "_mapper_registry", {})):  # SQLAlchemy 1.3
            mappers[id(mapper)] = mapper
    except ImportError:
        pass
    return list(mappers.values())


def models_of(owner: Ownership) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Mapped classes with their tables, and the tables of those metadata that no class maps (association tables)."""
    models = []
    metadatas: dict[int, Any] = {}
    mapped_tables: set[int] = set()
    for mapper in all_mappers():
        cls = mapper.class_
        symbol = symbol_of(cls)
        table = getattr(mapper, "local_table", None)
        if table is not None:
            mapped_tables.add(id(table))
            if getattr(table, "metadata", None) is not None:
                metadatas[id(table.metadata)] = table.metadata
        inherits = getattr(mapper, "inherits", None)
        models.append(
            {
                "symbol": symbol,
                "table": getattr(table, "name", None),
                "own": owner.own(symbol),
                "package": owner.package(symbol),
                "abstract": False,
                "parent": symbol_of(inherits.class_) if inherits is not None else None,
                "single_table_child": inherits is not None and table is getattr(inherits, "local_table", None),
            }
        )
    tables = []
    bindings = _module_level_tables(owner)
    for metadata in metadatas.values():
        for table in metadata.sorted_tables:
            if id(table) in mapped_tables:
                continue
            symbol = bindings.get(id(table))
            tables.append({"table": table.name, "symbol": symbol, "own": symbol is None or owner.own(symbol)})
    models.sort(key=lambda m: m["symbol"])
    tables.sort(key=lambda t: (t["table"], t["symbol"] or ""))
    return models, tables


def _module_level_tables(owner: Ownership) -> dict[int, str]:
    """id(Table) -> `module:name` where an own module binds it (first module in sorted order)."""
    try:
        from sqlalchemy import Table
    except ImportError:
        return {}
    found: dict[int, str] = {}
    for name in sorted(sys.modules):
        if not owner.own_module(name):
            continue
        for attr, value in sorted(getattr(sys.modules[name], "__dict__", {}).items()):
            if issubclass(type(value), Table) and id(value) not in found:
                found[id(value)] = f"{name}:{attr}"
    return found


# -- receivers ----------------------------------------------------------------------------------------------

SQLALCHEMY_EVENTS: list[tuple[Any, str, Any]] = []


def instrument_sqlalchemy_events() -> None:
    """Record every `event.listen`/`listens_for` from now on: target, event name, function."""
    try:
        import sqlalchemy.event as event
        import sqlalchemy.event.api as api
    except ImportError:
        return
    original = api.listen

    def listen(target: Any, identifier: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        SQLALCHEMY_EVENTS.append((target, identifier, fn))
        return original(target, identifier, fn, *args, **kwargs)

    api.listen = listen
    event.listen = listen


def _module_part(dotted: str) -> str:
    return dotted.rpartition(".")[0]


def _signals_module(dotted: str) -> bool:
    return dotted.rpartition(".")[0].rpartition(".")[2] in ("signals", "signal")


def _signal_names(owner: Ownership) -> dict[int, tuple[str, Any]]:
    """id(signal) -> (dotted name, signal) for blinker and Celery signals bound at module level.

    A signal bound in several modules is named after the likeliest definition: a third-party module before
    the app's own (which import it), a `signals` module first, then the shortest name."""
    kinds: list[type] = []
    try:
        import blinker

        kinds.append(blinker.Signal)
    except ImportError:
        pass
    try:
        from celery.utils.dispatch import Signal as CelerySignal

        kinds.append(CelerySignal)
    except ImportError:
        pass
    if not kinds:
        return {}
    found: dict[int, list[tuple[str, Any]]] = {}
    for name in sorted(sys.modules):
        module = sys.modules[name]
        for attr, value in list(getattr(module, "__dict__", {}).items()):
            if issubclass(type(value), tuple(kinds)):
                found.setdefault(id(value), []).append((f"{name}.{attr}", value))
    named = {}
    for key, names in found.items():
        names.sort(key=lambda n: (owner.own_module(_module_part(n[0])), not _signals_module(n[0]), len(n[0]), n[0]))
        named[key] = names[0]
    return named


def _dereference(ref: Any) -> Any:
    """The object behind a weak reference (weakref, WeakMethod, old blinker's BoundMethodWeakref), else itself."""
    import weakref

    if isinstance(ref, weakref.ref) or type(ref).__name__ == "BoundMethodWeakref":
        return ref()
    return ref


def _receivers_of(signal: Any) -> list[Any]:
    """Receivers of a blinker signal (dict of refs) or a Celery signal (list of (key, ref)), references resolved."""
    receivers = getattr(signal, "receivers", None)
    if isinstance(receivers, dict):
        refs = list(receivers.values())
    elif isinstance(receivers, list):
        refs = [entry[1] if isinstance(entry, tuple) else entry for entry in receivers]
    else:
        refs = []
    return [target for target in map(_dereference, refs) if target is not None]


def receivers_of(owner: Ownership) -> list[dict[str, Any]]:
    """blinker and Celery signal receivers, and recorded SQLAlchemy event listeners."""
    found = []
    for name, signal in _signal_names(owner).values():
        kind = "celery-signal" if type(signal).__module__.startswith("celery") else "blinker"
        for receiver in _receivers_of(signal):
            symbol = symbol_of(receiver)
            found.append({"kind": kind, "signal": name, "receiver": symbol, "sender": None, "own": owner.own(symbol)})
    for target, identifier, fn in SQLALCHEMY_EVENTS:
        symbol = symbol_of(fn)
        if symbol is not None and symbol.startswith("sqlalchemy.") and not owner.own(symbol):
            continue  # the ORM's own bookkeeping (backrefs, cascades, pool hooks), not an application listener
        sender = symbol_of(target) if isinstance(target, type) or callable(target) else symbol_of(type(target))
        found.append(
            {
                "kind": "sqlalchemy-event",
                "signal": identifier,
                "receiver": symbol,
                "sender": sender,
                "own": owner.own(symbol),
            }
        )
    unique = {json.dumps(r, sort_keys=True): r for r in found}
    return [unique[k] for k in sorted(unique)]


# -- boot ---------------------------------------------------------------------------------------------------


def resolve(spec: str, namespace: dict[str, Any] | None = None) -> Any:
    """`module:expression` -> the value (the module imported, the expression evaluated in it)."""
    module_name, _, expression = spec.partition(":")
    module = importlib.import_module(module_name)
    scope = dict(vars(module))
    scope.update(namespace or {})
    return eval(expression or module_name.rpartition(".")[2], scope)


def _test_module(name: str) -> bool:
    """Test code by the usual file conventions (`test_x`, `x_test`, `conftest`, `tests`/`testing` packages)."""
    parts = name.split(".")
    last = parts[-1]
    return (
        last.startswith("test_")
        or last.endswith("_test")
        or last == "conftest"
        or any(p in ("tests", "testing") for p in parts[1:])
    )


def import_everything(package: str, exclude: list[str], notes: list[str]) -> None:
    """Import every submodule of `package` (except the excluded prefixes), noting failures."""
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(getattr(root, "__path__", []), prefix=f"{package}."):
        if any(info.name == e or info.name.startswith(e + ".") for e in exclude) or _test_module(info.name):
            continue
        try:
            importlib.import_module(info.name)
        except BaseException as error:
            notes.append(f"import {info.name} failed: {type(error).__name__}: {str(error)[:160]}")


def capture(config: dict[str, Any]) -> dict[str, Any]:
    """Boot the app as configured and read every registry."""
    src = os.path.realpath(config["src"])
    for key, value in (config.get("env") or {}).items():
        os.environ[key] = str(value)
    sys.dont_write_bytecode = True
    sys.path.insert(0, src)
    for extra in config.get("sys_path") or []:
        sys.path.insert(1, os.path.join(src, extra))
    instrument_sqlalchemy_events()
    notes: list[str] = []
    namespace: dict[str, Any] = {}
    for patch in config.get("patches") or []:
        if patch.get("code"):
            exec(compile(patch["code"], f"<patch: {patch['why'][:40]}>", "exec"), namespace)
    owner = Ownership(os.path.join(src, config.get("scan_root", ".")), config.get("exclude_modules") or [])
    app = resolve(config["factory"], namespace)
    context = app.app_context()
    context.push()
    for package in config.get("import_all") or []:
        import_everything(package, config.get("exclude_modules") or [], notes)
    routes = routes_of(app, owner)
    jobs = walk_cli(app.cli, app, owner)
    for spec in config.get("cli") or []:
        jobs.extend(walk_cli(_entry_command(resolve(spec, namespace)), app, owner))
    jobs.extend(celery_jobs(celery_apps([resolve(s, namespace) for s in config.get("celery") or []]), owner))
    jobs.extend(rq_jobs(owner))
    if config.get("periodic"):
        jobs.extend(periodic_jobs(resolve(config["periodic"], namespace), owner))
    jobs.extend(known_jobs(config.get("known_jobs") or [], owner, namespace))
    unique_jobs = {(j["kind"], j["name"], j["handler"] or ""): j for j in jobs}
    models, tables = models_of(owner)
    return {
        "app": config["app"],
        "repository": config["repository"],
        "commit": config["commit"],
        "family": "flask",
        "scan_root": config.get("scan_root", "."),
        "module_prefix": config.get("module_prefix", ""),
        "obtained": config.get("obtained", "")
        + f" Python {sys.version.split()[0]}; captured by benchmarks/realworld/capture/flask_truth.py.",
        "patches": [p["why"] for p in config.get("patches") or []],
        "capture_notes": notes,
        "routes": routes,
        "models": models,
        "tables": tables,
        "jobs": [unique_jobs[k] for k in sorted(unique_jobs)],
        "receivers": receivers_of(owner),
        "realtime": [],
        "modules": module_blueprints(app, owner),
    }


def main() -> int:
    """Command line: --config CONFIG.json --out TRUTH.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.config, encoding="utf-8") as handle:
        config = json.load(handle)
    try:
        truth = capture(config)
    except BaseException:
        traceback.print_exc()
        return 1
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(truth, handle, indent=1, sort_keys=True)
        handle.write("\n")
    counts = {k: len(truth[k]) for k in ("routes", "models", "tables", "jobs", "receivers", "modules")}
    print(f"{config['app']}: {counts}; notes: {len(truth['capture_notes'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
