"""Capture the runtime truth of a booted Django project.

Run by ``capture.py`` (beside this file) with the *application's own*
interpreter, in a scratch working directory: this script imports and boots the
scanned project, which migrate-scan itself never does.

    python django_truth.py --config CONFIG.json --out OUT.json

CONFIG is the app's TOML table (``apps/<app>.toml``) as JSON plus ``src`` (the
checkout): app, repository, commit, scan_root, import_root, settings, env,
patches (why + code), celery_app, job_classes, obtained.

What is read, all from the frameworks' own registries:

- routes: ``get_resolver()`` walked recursively, include prefixes applied
  (DRF routers are ordinary included patterns); DRF format-suffix twins marked;
- models: ``apps.get_models()`` plus the project's own abstract models;
- jobs: ``get_commands()``, the Celery app's ``tasks`` and beat schedule,
  functions carrying RQ's ``@job`` decorator in loaded own modules;
- receivers: every ``django.dispatch.Signal`` reachable from ``sys.modules``
  (weak references resolved) and Celery's signals;
- modules: ``apps.get_containing_app_config`` for every own importable module.

Paths are normalised by this file's own regex walk (``re._parser``), never by
migrate-scan's code: an oracle must not share code with what it judges.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import importlib.util
import inspect
import json
import os
import sys
import types
import weakref
from pathlib import Path
from re import _parser as sre_parse  # the stdlib's regex parser (private but stable since 3.11)
from typing import Any

Item = dict[str, Any]


# ---------------------------------------------------------------- booting


def boot(cfg: dict[str, Any]) -> list[str]:
    """Set the environment, run the TOML's patches, ``django.setup()``; returns the patches' reasons.

    Each ``[[patches]]`` entry has ``why`` (recorded in the truth) and optional ``code``, run here
    in the scratch folder (the working directory, also put on ``sys.path``) before Django starts:
    a settings or configuration module written there, a stub in ``sys.modules``, an env var.
    """
    sys.dont_write_bytecode = True  # never write __pycache__ into the checkout
    os.environ.update(cfg.get("env", {}))
    os.environ["DJANGO_SETTINGS_MODULE"] = cfg["settings"]
    sys.path[:0] = [str(import_root(cfg)), os.getcwd()]
    reasons = []
    for patch in cfg.get("patches", []):
        exec(compile(patch.get("code", ""), f"<patch of {cfg['app']}>", "exec"), {"__name__": "__patch__"})
        reasons.append(patch["why"])
    import django

    django.setup()
    return reasons


def scan_root(cfg: dict[str, Any]) -> Path:
    """The folder migrate-scan is run on."""
    return (Path(cfg["src"]) / cfg.get("scan_root", ".")).resolve()


def import_root(cfg: dict[str, Any]) -> Path:
    """The ``sys.path`` entry own modules are imported from (default: the scan root)."""
    return (Path(cfg["src"]) / cfg.get("import_root", cfg.get("scan_root", "."))).resolve()


class Owner:
    """Decides whether a module is the project's own code (under the scan root)."""

    def __init__(self, scan_root: str) -> None:
        self.root = os.path.realpath(scan_root)

    def own(self, module: str | None) -> bool:
        """True when the module's file lies under the scan root."""
        mod = sys.modules.get(module or "")
        path = getattr(mod, "__file__", None)
        if not path:
            return False
        return os.path.realpath(path).startswith(self.root + os.sep)

    def mark(self, item: Item, module: str | None) -> Item:
        """Add ``own`` and ``package`` (top-level package of third-party code)."""
        own = self.own(module)
        item["own"] = own
        item["package"] = None if own or not module else module.split(".")[0]
        return item


def unwrap(obj: Any) -> Any:
    """Strip decorators (``__wrapped__``), partials and bound methods."""
    for _ in range(20):
        if hasattr(obj, "__wrapped__") and not isinstance(obj, type):
            try:
                obj = inspect.unwrap(obj)
            except ValueError:
                break
        elif hasattr(obj, "func") and type(obj).__name__ == "partial":
            obj = obj.func
        elif inspect.ismethod(obj):
            obj = obj.__func__
        else:
            break
    return obj


def namespace_items(mod: Any) -> list[tuple[str, Any]]:
    """A module's globals, without touching lazy objects (only ``type()`` is ever asked of them)."""
    try:
        return list(vars(mod).items()) if isinstance(mod, types.ModuleType) else []
    except TypeError:
        return []


def namespace(mod: Any) -> list[Any]:
    """Values of ``namespace_items``."""
    return [value for _name, value in namespace_items(mod)]


def symbol(obj: Any) -> tuple[str | None, str | None]:
    """``(module, "module:qualname")`` of a callable, class or instance."""
    obj = unwrap(obj)
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if not (isinstance(module, str) and isinstance(qualname, str)):
        module, qualname = type(obj).__module__, type(obj).__qualname__
    return module, f"{module}:{qualname.replace('<locals>.', '')}"


# ---------------------------------------------------------------- routes


class PathState:
    """Counters shared by the pieces of one URL while it is written out."""

    def __init__(self) -> None:
        self.unnamed = 0
        self.format_suffix = False


def regex_to_path(regex: str, flags: int, state: PathState) -> str:
    """Write one URL regex as served: groups as ``{name}``, optional parts and anchors dropped."""
    parsed = sre_parse.parse(regex, flags)
    names = {index: name for name, index in parsed.state.groupdict.items()}
    return _emit(list(parsed), names, state)


def _emit(items: list[tuple[Any, Any]], names: dict[int, str], state: PathState) -> str:
    """Render parsed regex items (see ``regex_to_path``)."""
    out: list[str] = []
    for op, arg in items:
        kind = str(op)
        if kind == "LITERAL":
            out.append(chr(arg))
        elif kind == "SUBPATTERN":
            out.append(_group(arg, names, state, "".join(out)))
        elif kind in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _high, sub = arg
            out.append(_emit(list(sub), names, state) if low > 0 else "")
        elif kind == "BRANCH":
            out.append(_emit(list(arg[1][0]), names, state))  # first alternative
        elif kind == "ATOMIC_GROUP":
            out.append(_emit(list(arg), names, state))
        elif kind == "IN" and len(arg) == 1 and str(arg[0][0]) == "LITERAL":
            out.append(chr(arg[0][1]))
        elif kind == "ANY":
            out.append(".")  # an unescaped dot (`robots.txt`) serves the literal dot
        elif kind not in ("AT", "ASSERT", "ASSERT_NOT"):
            out.append("{?}")  # a wildcard outside any group: no parameter name exists
    return "".join(out)


def _group(arg: tuple[Any, ...], names: dict[int, str], state: PathState, before: str) -> str:
    """A regex group: named -> ``{name}``, unnamed -> ``{argN}``, non-capturing -> its content."""
    group, _add, _del, sub = arg
    if group is None:
        return _emit(list(sub), names, state)
    if group in names:
        if names[group] == "format" and before.endswith("."):
            state.format_suffix = True
        return "{" + names[group] + "}"
    text = f"{{arg{state.unnamed}}}"
    state.unnamed += 1
    return text


def view_target(callback: Any) -> tuple[Any, list[str] | None]:
    """The handler object of a URL callback (view class for CBVs and viewsets) and its methods."""
    for candidate in (callback, unwrap(callback)):
        cls = getattr(candidate, "cls", None) or getattr(candidate, "view_class", None)
        if isinstance(cls, type):
            actions = getattr(candidate, "actions", None)
            if isinstance(actions, dict):
                return cls, sorted(m.upper() for m in actions)
            allowed = getattr(cls, "http_method_names", [])
            return cls, sorted(m.upper() for m in allowed if hasattr(cls, m))
    return callback, None


def graphql_schema(callback: Any) -> Any:
    """The schema a GraphQL view serves: ``as_view(schema=...)``, else the view class's ``schema``."""
    for candidate in (callback, unwrap(callback)):
        kwargs = getattr(candidate, "view_initkwargs", None)
        if isinstance(kwargs, dict) and kwargs.get("schema") is not None:
            return kwargs["schema"]
    cls = view_target(callback)[0]
    return getattr(cls, "schema", None) if isinstance(cls, type) else None


def root_fields(root: Any) -> list[tuple[str, Any, Any]]:
    """``(field, handler object, resolver)`` of a root type, graphene's or strawberry's.

    graphene: the field's ``resolver`` (a mutation's bound ``mutate``), else the type's ``resolve_<field>``;
    the handler is the mutation class for a resolver bound to a class (as a DRF viewset is its class).
    strawberry: the field's resolver function, else the class that declares the field (``origin``).
    """
    definition = getattr(root, "__strawberry_definition__", None)
    if definition is not None:
        found = []
        for field in definition.fields:
            resolver = getattr(field.base_resolver, "wrapped_func", None)
            found.append((field.python_name, resolver or field.origin, resolver))
        return found
    fields = getattr(getattr(root, "_meta", None), "fields", None) or {}
    found = []
    for name, field in fields.items():
        resolver = getattr(field, "resolver", None) or getattr(root, f"resolve_{name}", None)
        bound = getattr(resolver, "__self__", None)
        found.append((name, bound if isinstance(bound, type) else resolver or root, resolver))
    return found


def graphql_operations(route: Item, callback: Any, owner: Owner, realtime: list[Item]) -> list[Item]:
    """Root fields of a GraphQL schema (graphene or strawberry) served by the route: one POST route per
    query and mutation field (``action`` = ``query.<field>``), one ``graphql-subscription`` real-time
    handler per subscription field; ``resolver`` keeps the resolver function where there is one.
    """
    schema = graphql_schema(callback)
    found = []
    for kind in ("query", "mutation", "subscription") if schema is not None else ():
        root = getattr(schema, kind, None) or getattr(schema, f"_{kind}", None)
        for name, target, resolver in root_fields(root) if root is not None else ():
            module, handler = symbol(target)
            base = {"handler": handler, "resolver": symbol(resolver)[1] if resolver else None}
            if kind == "subscription":
                item = {**base, "kind": "graphql-subscription", "event": name, "path": route["path"]}
                realtime.append(owner.mark(item, module))
                continue
            item = {**route, **base, "methods": ["POST"], "action": f"{kind}.{name}", "graphql": True}
            found.append(owner.mark(item, module))
    return found


def walk_urls(owner: Owner, errors: list[str], realtime: list[Item]) -> list[Item]:
    """Every URL pattern of the root resolver, with include prefixes applied (and GraphQL operations)."""
    from django.urls import URLResolver, get_resolver

    routes: list[Item] = []

    def visit(patterns: Any, pieces: list[Any], namespaces: list[str]) -> None:
        for entry in patterns:
            chain = [*pieces, entry.pattern]
            if isinstance(entry, URLResolver):
                try:
                    children = entry.url_patterns
                except Exception as exc:  # an include that cannot be imported
                    errors.append(f"urls: include {' '.join(map(str, chain))}: {exc!r}")
                    continue
                visit(children, chain, [*namespaces, entry.namespace] if entry.namespace else namespaces)
            else:
                routes.append(route_item(entry, chain, namespaces, owner))
                routes.extend(graphql_operations(routes[-1], entry.callback, owner, realtime))

    visit(get_resolver().url_patterns, [], [])
    return routes


def route_item(entry: Any, chain: list[Any], namespaces: list[str], owner: Owner) -> Item:
    """One route of the truth file."""
    state = PathState()
    path = "/" + "".join(regex_to_path(p.regex.pattern, p.regex.flags, state) for p in chain)
    target, methods = view_target(entry.callback)
    module, handler = symbol(target)
    name = ":".join([*namespaces, entry.name]) if entry.name else None
    item = {
        "path": path,
        "raw_path": " ".join(str(p) for p in chain if str(p)),
        "handler": handler,
        "methods": methods,
        "name": name,
        "format_suffix": state.format_suffix,
    }
    return owner.mark(item, module)


def collect_channels(owner: Owner, errors: list[str]) -> list[Item]:
    """Channels consumers reachable from ``settings.ASGI_APPLICATION`` (routers and middleware followed)."""
    from django.conf import settings

    spec = getattr(settings, "ASGI_APPLICATION", None)
    if not spec or importlib.util.find_spec("channels") is None:
        return []
    try:
        module, _, attr = spec.rpartition(".")
        application = getattr(importlib.import_module(module), attr)
    except Exception as exc:
        errors.append(f"channels: {spec}: {exc!r}")
        return []
    found: list[Item] = []
    visit_asgi(application, [], owner, found, 0)
    return found


def visit_asgi(node: Any, chain: list[Any], owner: Owner, found: list[Item], depth: int) -> None:
    """Follow ProtocolTypeRouter/ChannelNameRouter mappings, URLRouter routes and middleware ``inner``."""
    if depth > 30:
        return
    consumer = getattr(node, "consumer_class", None)
    if isinstance(consumer, type):
        state = PathState()
        path = "/" + "".join(regex_to_path(p.regex.pattern, p.regex.flags, state) for p in chain) if chain else None
        module, handler = symbol(consumer)
        found.append(owner.mark({"kind": "channels-consumer", "handler": handler, "path": path, "event": None}, module))
        return
    mapping = getattr(node, "application_mapping", None)
    for sub in mapping.values() if isinstance(mapping, dict) else ():
        visit_asgi(sub, chain, owner, found, depth + 1)
    routes = getattr(node, "routes", None)
    for route in routes if isinstance(routes, list) else ():
        visit_asgi(getattr(route, "callback", None), [*chain, route.pattern], owner, found, depth + 1)
    inner = getattr(node, "inner", None) or getattr(node, "app", None)
    if inner is not None and inner is not node:
        visit_asgi(inner, chain, owner, found, depth + 1)


# ---------------------------------------------------------------- models


_CLASS_DEFS: dict[str, set[str]] = {}


def declared_classes(module: str) -> set[str]:
    """Qualnames of the ``class`` statements in a module's source file."""
    if module not in _CLASS_DEFS:
        found: set[str] = set()
        path = getattr(sys.modules.get(module), "__file__", None)
        if path and path.endswith(".py"):
            tree = ast.parse(Path(path).read_text(encoding="utf-8", errors="replace"))
            _collect_classes(tree, "", found)
        _CLASS_DEFS[module] = found
    return _CLASS_DEFS[module]


def _collect_classes(node: ast.AST, prefix: str, found: set[str]) -> None:
    """Walk class and function bodies collecting class qualnames (``<locals>`` dropped)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.ClassDef):
            found.add(prefix + child.name)
            _collect_classes(child, prefix + child.name + ".", found)
        elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            _collect_classes(child, prefix + child.name + ".", found)
        else:
            _collect_classes(child, prefix, found)


def model_item(model: Any, owner: Owner) -> Item:
    """One model of the truth file; ``dynamic`` when no class statement defines it."""
    meta = model._meta
    module, sym = symbol(model)
    item = {
        "symbol": sym,
        "app_label": meta.app_label,
        "table": None if meta.abstract else meta.db_table,
        "abstract": meta.abstract,
        "proxy": meta.proxy,
        "dynamic": model.__qualname__.replace("<locals>.", "") not in declared_classes(model.__module__),
    }
    return owner.mark(item, module)


def collect_models(owner: Owner) -> list[Item]:
    """Registered concrete models, and the project's own abstract models."""
    from django.apps import apps
    from django.db import models

    found = [model_item(m, owner) for m in apps.get_models()]
    seen: set[type] = set()
    stack = list(models.Model.__subclasses__())
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        stack.extend(cls.__subclasses__())
        if getattr(cls._meta, "abstract", False) and owner.own(cls.__module__):
            found.append(model_item(cls, owner))
    return found


# ---------------------------------------------------------------- jobs


def collect_commands(owner: Owner, errors: list[str]) -> list[Item]:
    """``manage.py`` commands as Django lists them."""
    from django.core.management import get_commands, load_command_class

    jobs = []
    for name, app_name in get_commands().items():
        module, handler = None, None
        try:
            module, handler = symbol(type(load_command_class(app_name, name)))
        except AttributeError as exc:  # a helper module in commands/ without a Command: not a command
            errors.append(f"not a command: {name} ({app_name}): {exc!r}")
            continue
        except Exception as exc:  # a command whose module cannot be imported here: listed, handler unknown
            errors.append(f"command {name} ({app_name}): {exc!r}")
            module = f"{app_name}.management.commands.{name}"
        jobs.append(owner.mark({"kind": "django-command", "name": name, "handler": handler}, module))
    return jobs


def find_celery_app(spec: str | None) -> Any:
    """The Celery app named in the config (``module:attr``), else the first one in own modules."""
    if spec:
        module, _, attr = spec.partition(":")
        return getattr(importlib.import_module(module), attr)
    celery = sys.modules.get("celery")
    if celery is None:
        return None
    for name in sorted(sys.modules):
        for value in namespace(sys.modules[name]):
            if issubclass(type(value), celery.Celery):
                return value
    return None


def task_symbol(task: Any) -> tuple[str | None, str | None]:
    """Function of a decorated task, else the task class."""
    wrapped = type(task).__dict__.get("__wrapped__")
    return symbol(wrapped if wrapped is not None else type(task))


def collect_celery(spec: str | None, owner: Owner, errors: list[str]) -> list[Item]:
    """Registered tasks (without ``celery.*``) and the beat schedule."""
    try:
        app = find_celery_app(spec)
        if app is None:
            return []
        app.loader.import_default_modules()
        tasks = dict(app.tasks)
    except Exception as exc:
        errors.append(f"celery: {exc!r}")
        return []
    jobs = []
    for name, task in tasks.items():
        if not name.startswith("celery."):
            module, handler = task_symbol(task)
            jobs.append(owner.mark({"kind": "celery-task", "name": name, "handler": handler}, module))
    for key, entry in (app.conf.beat_schedule or {}).items():
        task = tasks.get(entry.get("task"))
        module, handler = task_symbol(task) if task is not None else (None, None)
        item = {"kind": "celery-periodic", "name": key, "handler": handler, "task": entry.get("task")}
        jobs.append(owner.mark(item, module))
    return jobs


def import_own_modules(cfg: dict[str, Any], errors: list[str]) -> None:
    """Import every own module but tests and migrations: RQ work is often enqueued by dotted name."""
    skip = {"tests", "test", "migrations", "conftest", "__main__"}  # __main__ may start a server
    for name in own_modules(import_root(cfg), scan_root(cfg)):
        parts = name.split(".")
        if skip & set(parts) or any(p.startswith("test_") for p in parts) or name in sys.modules:
            continue
        try:
            importlib.import_module(name)
        except BaseException as exc:  # SystemExit from scripts, missing optional deps, ...
            errors.append(f"import {name}: {exc!r}")


def collect_rq(owner: Owner) -> list[Item]:
    """Functions decorated with RQ's ``@job`` (they carry an RQ ``delay``) in loaded own modules."""
    jobs = []
    for name, mod in sorted(sys.modules.items()):
        if mod is None or not owner.own(name):
            continue
        for value in namespace(mod):
            delay = getattr(value, "delay", None) if type(value) is types.FunctionType else None
            code = getattr(delay, "__code__", None)  # rq's delay is functools.wraps'ed: only its code tells
            if code is not None and f"{os.sep}rq{os.sep}" in code.co_filename and value.__module__ == name:
                module, handler = symbol(value)
                item = {"kind": "rq-job", "name": f"{name}.{value.__name__}", "handler": handler}
                jobs.append(owner.mark(item, module))
    return jobs


def collect_job_classes(specs: list[dict[str, str]], owner: Owner) -> list[Item]:
    """Subclasses of an app's own job base class (config ``job_classes``: base ``module:Class``, kind)."""
    jobs = []
    for spec in specs:
        module, _, attr = spec["base"].partition(":")
        stack = list(getattr(importlib.import_module(module), attr).__subclasses__())
        while stack:
            cls = stack.pop()
            stack.extend(cls.__subclasses__())
            mod, handler = symbol(cls)
            item = {"kind": spec["kind"], "name": f"{mod}.{cls.__qualname__}", "handler": handler}
            jobs.append(owner.mark(item, mod))
    return jobs


# ---------------------------------------------------------------- receivers


def signal_objects() -> dict[int, tuple[str, Any]]:
    """Every Django/Celery Signal instance in loaded modules, by id, with its defining dotted name."""
    from django.dispatch import Signal

    classes: tuple[type, ...] = (Signal,)
    if "celery.utils.dispatch.signal" in sys.modules:
        classes += (sys.modules["celery.utils.dispatch.signal"].Signal,)
    holders: dict[int, list[tuple[str, str]]] = {}
    objects: dict[int, Any] = {}
    for modname, mod in list(sys.modules.items()):
        for attr, value in namespace_items(mod):
            if issubclass(type(value), classes):
                holders.setdefault(id(value), []).append((modname, attr))
                objects[id(value)] = value
    return {key: (defining_name(places), objects[key]) for key, places in holders.items()}


def defining_name(places: list[tuple[str, str]]) -> str:
    """The ``module.attr`` where a signal is created (an assignment from a call), else the shortest."""
    for modname, attr in sorted(places):
        path = getattr(sys.modules.get(modname), "__file__", None) or ""
        if path.endswith(".py") and _assigns_call(Path(path), attr):
            return f"{modname}.{attr}"
    modname, attr = min(places, key=lambda p: (len(p[0]), p))
    return f"{modname}.{attr}"


def _assigns_call(path: Path, name: str) -> bool:
    """True when the file assigns ``name = <call>(...)`` at module level."""
    tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        value = getattr(node, "value", None)
        if isinstance(value, ast.Call) and any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return True
    return False


def sender_index() -> dict[int, Any]:
    """id -> object for every class reachable from loaded modules (senders are looked up by id)."""
    from django.apps import apps

    index: dict[int, Any] = {id(m): m for m in apps.get_models(include_auto_created=True, include_swapped=True)}
    for mod in list(sys.modules.values()):
        for value in namespace(mod):
            if issubclass(type(value), type):
                index.setdefault(id(value), value)
    return index


def collect_receivers(owner: Owner) -> list[Item]:
    """Connected receivers of every signal, with the sender when one was given."""
    senders = sender_index()
    found = []
    for name, signal in signal_objects().values():
        kind = "celery-signal" if type(signal).__module__.startswith("celery.") else "django-signal"
        for entry in list(signal.receivers):
            receiver = entry[1]
            if isinstance(receiver, weakref.ReferenceType):
                receiver = receiver()
            if receiver is None:
                continue
            sender = None
            if len(entry) >= 4 and isinstance(entry[2], weakref.ReferenceType):
                sender = entry[2]()
            elif isinstance(entry[0][1], int):
                sender = senders.get(entry[0][1])
            module, handler = symbol(receiver)
            item = {"kind": kind, "signal": name, "receiver": handler, "sender": symbol(sender)[1] if sender else None}
            found.append(owner.mark(item, module))
    return found


# ---------------------------------------------------------------- modules


def own_modules(import_root: Path, scan_root: Path) -> list[str]:
    """Dotted names of the importable .py files under the scan root (packages need ``__init__.py``)."""
    names = []
    for path in sorted(scan_root.rglob("*.py")):
        rel = path.relative_to(import_root)
        parts = list(rel.with_suffix("").parts)
        if any(p.startswith(".") or not p.isidentifier() for p in parts):
            continue
        packages = [import_root.joinpath(*parts[:i]) for i in range(1, len(parts))]
        if all((pkg / "__init__.py").is_file() for pkg in packages):
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def collect_modules(cfg: dict[str, Any]) -> dict[str, str]:
    """Own module -> label of its containing Django app (modules outside every app are left out)."""
    from django.apps import apps

    labels = {}
    for name in own_modules(import_root(cfg), scan_root(cfg)):
        config = apps.get_containing_app_config(name)
        if config is not None:
            labels[name] = config.label
    return labels


# ---------------------------------------------------------------- main


def _sorted(items: list[Item]) -> list[Item]:
    """Deduplicated, in a stable order."""
    unique = {json.dumps(i, sort_keys=True): i for i in items}
    return [unique[k] for k in sorted(unique)]


def capture(cfg: dict[str, Any]) -> dict[str, Any]:
    """Boot the project and read every registry."""
    reasons = boot(cfg)
    owner = Owner(str(scan_root(cfg)))
    errors: list[str] = []
    realtime: list[Item] = []
    routes = walk_urls(owner, errors, realtime)
    realtime += collect_channels(owner, errors)
    jobs = collect_commands(owner, errors) + collect_celery(cfg.get("celery_app"), owner, errors)
    models = collect_models(owner)
    receivers = collect_receivers(owner)
    modules = collect_modules(cfg)
    import_own_modules(cfg, errors)  # only now: routes, models and receivers are those of the booted app
    jobs += collect_rq(owner) + collect_job_classes(cfg.get("job_classes", []), owner)
    return {
        "app": cfg["app"],
        "repository": cfg["repository"],
        "commit": cfg["commit"],
        "family": "django",
        "scan_root": cfg.get("scan_root", "."),
        "module_prefix": cfg.get("module_prefix", ""),
        "obtained": f"{cfg['obtained']} Python {sys.version.split()[0]}.",
        "patches": reasons,
        "routes": _sorted(routes),
        "models": _sorted(models),
        "jobs": _sorted(jobs),
        "receivers": _sorted(receivers),
        "realtime": _sorted(realtime),
        "modules": modules,
        "capture_notes": sorted(errors),
    }


def main() -> None:
    """Entry point: ``django_truth.py --config CONFIG.json --out OUT.json`` (run by ``capture.py``)."""
    parser = argparse.ArgumentParser(description="Capture the runtime truth of a Django project.")
    parser.add_argument("--config", type=Path, required=True, help="the app's TOML table as JSON, plus src")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    truth = capture(json.loads(args.config.read_text(encoding="utf-8")))
    args.out.write_text(json.dumps(truth, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
