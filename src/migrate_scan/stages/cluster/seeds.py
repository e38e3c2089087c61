"""Seeds: the structure the authors chose, `ModuleIndex` → `Units`.

Django apps (an `apps.py` AppConfig, a models module with Django models, an `INSTALLED_APPS` entry),
Flask blueprint packages, then packages (top-level ones, or the ones below an umbrella package); the
composition root (modules creating the app, settings, `ROOT_URLCONF`); layer packages whose subpackages
mirror the domain seeds. Each module belongs to exactly one unit: the deepest seed holding it, the test
unit, or itself (a stray).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from migrate_scan.model.analysis import ShellRole
from migrate_scan.model.facts import ExprKind
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Application
from migrate_scan.stages.cluster.index import ModuleIndex, last, parent, within

ROOT_ROLES: Mapping[str, ShellRole] = {
    "app": "app-factory",
    "celery-app": "celery-app",
    "wsgi": "wsgi",
    "asgi": "asgi",
    "command-line": "command-line",
}
"""Roles of the `applications` product that make a module part of the composition root."""
TESTS_UNIT = "<tests>"
"""The unit of all test code."""
SETTINGS_NAMES = frozenset({"INSTALLED_APPS", "ROOT_URLCONF"})
LAYER_MIN_MIRRORS = 3
"""A package with this many parts named like domain seeds is a layer cut across them (an API tier)."""
LAYER_NAMES = frozenset(
    {
        "admin",
        "api",
        "commands",
        "forms",
        "handlers",
        "management",
        "models",
        "schemas",
        "serialisers",
        "serializers",
        "signals",
        "tasks",
        "templatetags",
        "urls",
        "utils",
        "views",
    }
)
"""Names of layers, not domains: never the domain a layer's part mirrors."""
VERSION_NAME = re.compile(r"v\d+(_\d+)?")
"""An API version package (`v1`, `v2_1`): its parts are the layer's parts."""


@dataclass
class Unit:
    """A seed (package or module) or a stray module, before the rules group units into contexts."""

    key: str
    kind: str  # django-app, blueprint, package, module
    modules: list[str]
    evidence: list[Location] = field(default_factory=list)
    detail: str = ""


@dataclass(frozen=True)
class Root:
    """Why a module is part of the composition root: the reason in words, its role, where it shows."""

    why: str
    role: ShellRole
    location: Location


@dataclass
class Units:
    units: dict[str, Unit]
    unit_of: dict[str, str]
    roots: dict[str, Root]  # composition-root module → why
    project_packages: list[str]
    root_packages: list[str]
    mirrors: dict[str, tuple[str, str]] = field(default_factory=dict)  # layer part → (domain seed, layer)
    kept_mirrors: dict[str, tuple[str, str]] = field(default_factory=dict)  # the same, in declared apps kept whole
    cores: dict[str, list[str]] = field(default_factory=dict)  # wide Django app → the domain seeds inside it


def find_units(facts: ModuleIndex, *, split_declared_layers: bool = False) -> Units:
    """The units of the tree; `split_declared_layers` also cuts a declared Django app that is a layer.

    A layer package (see `_layer_mirrors`) is cut along the domains it mirrors, but a Django app its
    authors declared (AppConfig, INSTALLED_APPS, models) and named like a domain, not a layer
    (`saleor.graphql`, not `api`), stays one context: the structure the authors chose wins unless asked
    otherwise (granularity "fine"); what it mirrors is kept for its rationale.
    """
    roots = _roots(facts)
    seeds: dict[str, Unit] = {}
    wide = _wide_packages(facts)
    django_apps = _django_apps(facts)
    app_keys = {unit.key for unit in django_apps}
    cores: dict[str, Unit] = {}  # wide Django apps split by their authors into domain packages
    for unit in [*django_apps, *_blueprints(facts, roots, wide)]:
        if unit.key in roots or unit.key in facts.tests:
            continue
        # A wide package is the app itself, not a part of it; but a Django app the authors declared stays
        # a seed however much of the tree it holds (the core domain of a project), unless apps nest in it:
        # then its domain packages are the seeds, and its own modules outside them (its root layers) its core.
        if unit.key in wide and (unit.kind != "django-app" or any(k.startswith(unit.key + ".") for k in app_keys)):
            if unit.kind == "django-app":
                cores.setdefault(unit.key, Unit(unit.key, "django-app", [], [], "core")).evidence += unit.evidence
            continue
        existing = seeds.get(unit.key)
        if existing is None:
            seeds[unit.key] = unit
        else:
            existing.evidence += unit.evidence
    settings_modules = [m for m, root in roots.items() if root.role == "settings"]
    project_packages = sorted({_project_package(m) for m in settings_modules} - {""})
    root_packages = sorted(
        {m if m in facts.packages else parent(m) for m, root in roots.items() if root.role != "settings"} - {""}
    )
    umbrellas = _umbrellas(facts, seeds, roots) | (wide - set(seeds))
    for module in facts.modules:
        if module in facts.tests or _deepest(module, seeds) is not None:
            continue
        package = _fallback_package(module, facts, umbrellas)
        in_core = any(within(module, core) for core in cores)
        if package is not None and package not in seeds and not (in_core and _is_layer_name(last(package))):
            seeds[package] = Unit(package, "package", [])
    nested = {core: sorted(k for k in seeds if within(k, core) and k != core) for core in cores}
    for core_key, core in cores.items():
        if core_key not in seeds:
            core.evidence = sorted(set(core.evidence), key=lambda loc: (loc.file, loc.line))
            seeds[core_key] = core
    mirrors, kept_mirrors = _split_mirrors(_layer_mirrors(facts, seeds), seeds, split_declared_layers)
    units: dict[str, Unit] = {}
    unit_of: dict[str, str] = {}
    for module in facts.modules:
        key = TESTS_UNIT if module in facts.tests else _mirrored(module, mirrors) or _deepest(module, seeds)
        if key == TESTS_UNIT:
            units.setdefault(key, Unit(key, "tests", []))
        elif key is None:
            key = module
            units.setdefault(key, Unit(key, "module", []))
        else:
            units.setdefault(key, seeds[key])
        units[key].modules.append(module)
        unit_of[module] = key
    for unit in units.values():
        unit.modules.sort()
        unit.evidence = sorted(set(unit.evidence), key=lambda loc: (loc.file, loc.line))
    return Units(
        units, unit_of, roots, project_packages, root_packages, mirrors=mirrors, cores=nested, kept_mirrors=kept_mirrors
    )


def _split_mirrors(
    mirrors: Mapping[str, tuple[str, str]], seeds: Mapping[str, Unit], split_declared: bool
) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """The mirrors to apply, and those of declared Django apps named like a domain, kept whole."""
    applied: dict[str, tuple[str, str]] = {}
    kept: dict[str, tuple[str, str]] = {}
    for part, (target, layer) in mirrors.items():
        declared = seeds[layer].kind == "django-app" and not _is_layer_name(last(layer))
        (kept if declared and not split_declared else applied)[part] = (target, layer)
    return applied, kept


def _is_layer_name(name: str) -> bool:
    """`management`, `templatetags`, `api_v2`: a layer's name (a version suffix aside), not a domain's."""
    stem = re.sub(r"_?v\d+(_\d+)?$", "", name)
    return name in LAYER_NAMES or stem in LAYER_NAMES


def _layer_mirrors(facts: ModuleIndex, seeds: Mapping[str, Unit]) -> dict[str, tuple[str, str]]:
    """Parts of a layer package that mirror the domain seeds: `saleor.graphql.order` → `saleor.order`.

    A package is a layer (an API, admin, forms or serializer tier cut across
    the domain) when at least LAYER_MIN_MIRRORS of its parts are named like
    other seeds; each such part then belongs to the seed it mirrors. Parts are
    its direct subpackages and modules, and those one version-like level
    further down (`CTFd.api.v1.challenges` mirrors `CTFd.challenges`). A seed
    named after a layer (`views`, `models`) is never the target of a mirror.
    """
    by_name: dict[str, list[str]] = defaultdict(list)
    for key in seeds:
        if last(key) not in LAYER_NAMES:
            by_name[last(key)].append(key)
    mirrors: dict[str, tuple[str, str]] = {}
    for layer in sorted(seeds):
        matched = {}
        for part in _layer_parts(facts, layer):
            targets = [t for t in by_name.get(last(part), []) if t != layer and not within(t, layer)]
            shallowest = [t for t in targets if t.count(".") == min(t.count(".") for t in targets)]
            if len(shallowest) == 1:  # `challenges` is `CTFd.challenges` rather than `CTFd.plugins.challenges`
                matched[part] = (shallowest[0], layer)
        if len(matched) >= LAYER_MIN_MIRRORS:
            mirrors.update(matched)
    return mirrors


def _layer_parts(facts: ModuleIndex, layer: str) -> list[str]:
    """Direct subpackages and modules of `layer`, and those of its direct subpackages named like a version."""
    children = sorted(m for m in facts.module_set if parent(m) == layer)
    parts = list(children)
    for child in children:
        if child in facts.packages and VERSION_NAME.fullmatch(last(child)):
            parts += sorted(m for m in facts.module_set if parent(m) == child)
    return parts


def _mirrored(module: str, mirrors: Mapping[str, tuple[str, str]]) -> str | None:
    for package, (target, _) in mirrors.items():
        if within(module, package):
            return target
    return None


def _roots(facts: ModuleIndex) -> dict[str, Root]:
    """Modules of the composition root, each with the reason, its role and where it shows."""
    roots: dict[str, Root] = {}
    modules = [m for m in facts.modules if m not in facts.tests]
    for module in modules:
        made = sorted(
            (_root_reason(a), ROOT_ROLES[a.role], a.creator, a.location.line, a.location)
            for a in facts.applications.get(module, ())
            if a.role in ROOT_ROLES
        )
        if made:
            why, role, _, _, location = made[0]
            roots[module] = Root(why, role, location)
    for module in modules:
        top_level = [a for a in facts.files[module].assignments if not a.scope and a.targets]
        named = [a for a in top_level if a.targets[0][0] == ExprKind.NAME and a.targets[0][1] in SETTINGS_NAMES]
        if not named:
            continue
        path = facts.files[module].path
        roots[module] = Root("settings", "settings", Location(file=path, line=min(a.line for a in named)))
        for assignment in top_level:
            target, value = assignment.targets[0], assignment.value
            if (
                target[1] == "ROOT_URLCONF"
                and value is not None
                and value[0] == ExprKind.CONSTANT
                and value[1] in facts.module_set
            ):
                where = Location(file=path, line=assignment.line)
                roots.setdefault(str(value[1]), Root("ROOT_URLCONF", "urlconf", where))
    return roots


def _root_reason(application: Application) -> str:
    """Why making this puts a module in the composition root, in words (`creates the Flask app`)."""
    framework = application.framework.capitalize()
    if application.role in ("app", "celery-app"):
        return f"creates the {framework} app"
    if application.role == "command-line":
        return f"{framework} command-line entry point"
    return f"{application.role.upper()} entry point"


def _project_package(settings_module: str) -> str:
    package = parent(settings_module)
    return parent(package) if last(package) == "settings" else package


def _django_apps(facts: ModuleIndex) -> list[Unit]:
    found: list[Unit] = []
    configured = sorted((a for a in facts.django_apps if a.detail != "INSTALLED_APPS"), key=_application_key)
    installed = sorted((a for a in facts.django_apps if a.detail == "INSTALLED_APPS"), key=_application_key)
    for app in configured:
        if app.module in facts.packages:
            found.append(Unit(app.module, "django-app", [], [app.location], app.detail))
    for module, symbols in sorted(facts.models.items()):
        parts = module.split(".")
        if "models" not in parts[1:] or not symbols:
            continue
        package = ".".join(parts[: parts.index("models", 1)])  # the outermost `models` (`a.models.models` is a's)
        if package not in facts.packages:
            continue
        location = Location(file=facts.files[module].path, line=1)
        found.append(Unit(package, "django-app", [], [location], "models module"))
    for app in installed:
        if app.module in facts.packages:
            found.append(Unit(app.module, "django-app", [], [app.location], app.detail))
    # Only Django projects have Django apps: a `models` module of SQLAlchemy classes is not one.
    return [u for u in found if u.detail != "models module" or _has_django_models(facts, u.key)]


def _has_django_models(facts: ModuleIndex, package: str) -> bool:
    return any(
        within(module, f"{package}.models") and any(i.module.startswith("django.") for i in facts.files[module].imports)
        for module in facts.models
    )


def _application_key(application: Application) -> tuple[str, str, int]:
    return (application.module, application.location.file, application.location.line)


def _blueprints(facts: ModuleIndex, roots: Mapping[str, Root], wide: set[str]) -> list[Unit]:
    creators: dict[str, list[Location]] = {}
    for module in facts.modules:
        made = sorted({a.location for a in facts.applications.get(module, ()) if a.role == "blueprint"}, key=_line_of)
        if made:
            creators[module] = made
    found: list[Unit] = []
    for module, locations in sorted(creators.items()):
        package = module if module in facts.packages else parent(module)
        # A package holding the composition root or most of the tree is the whole app, not a blueprint
        # of it: each blueprint module is then a seed of its own.
        if not package or package in wide or any(within(root, package) for root in roots):
            package = module
        found.append(Unit(package, "blueprint", [], locations, "Blueprint(...)"))
    return found


def _line_of(location: Location) -> tuple[str, int]:
    return (location.file, location.line)


def _wide_packages(facts: ModuleIndex) -> set[str]:
    """Top-level packages holding more than half of the (non-test) tree: the app itself, not a part of it."""
    packaged = [m for m in facts.modules if ("." in m or m in facts.packages) and m not in facts.tests]
    tops = Counter(m.partition(".")[0] for m in packaged)
    return {top for top, count in tops.items() if count * 2 > len(packaged) and count > 1}


def _deepest(module: str, seeds: Mapping[str, Unit]) -> str | None:
    candidate = module
    while candidate:
        if candidate in seeds:
            return candidate
        candidate = parent(candidate)
    return None


def _umbrellas(facts: ModuleIndex, seeds: Mapping[str, Unit], roots: Mapping[str, Root]) -> set[str]:
    """Packages too wide to be a context: they hold the composition root, a seed, or most of the tree."""
    umbrellas: set[str] = set()
    for name in [*seeds, *roots]:
        package = parent(name)
        while package:
            umbrellas.add(package)
            package = parent(package)
    for root in roots:
        if root in facts.packages:
            umbrellas.add(root)
    return umbrellas


def _fallback_package(module: str, facts: ModuleIndex, umbrellas: set[str]) -> str | None:
    """The widest package holding `module` that is not an umbrella; None for a stray module."""
    parts = module.split(".")
    for depth in range(1, len(parts) + 1):
        package = ".".join(parts[:depth])
        if package not in facts.packages:
            return None
        if package not in umbrellas:
            return package
    return None
