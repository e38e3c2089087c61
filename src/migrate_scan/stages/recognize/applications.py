"""Applications: where the tree assembles its application, computed once for every later stage.

Published as the `applications` product:

- app and blueprint objects being made (`Flask(__name__)`, `Blueprint(...)`, also
  through the project's own subclasses: `class CTFdFlask(Flask)`), with the
  function that makes them (an app factory) or none at module level;
- entry points (`Celery(...)`, `get_wsgi_application()`, `get_asgi_application()`,
  `execute_from_command_line(...)`);
- Django apps: each `AppConfig` subclass (its `name` and `label`) and each
  `INSTALLED_APPS` entry that names a package of the tree.

The names come from the `app-object` rules (roles `app`, `blueprint`) the Flask
recognizer also reads, and from the `entry-point` and `app-config` rules; what
is made is read from the call graph, so `return Flask(__name__)` counts as
much as `app = Flask(__name__)`. Test code is left out: it builds apps that
exist only while the tests run.
"""

from __future__ import annotations

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.heuristics.schema import MatchRule
from migrate_scan.model.facts import AssignmentFact, ExprKind, FileFacts
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Application, ApplicationRole, Recognition
from migrate_scan.stages.recognize.evaluation import Evaluator
from migrate_scan.stages.recognize.expressions import string_of
from migrate_scan.stages.recognize.registry import Product, Recognizer, producer

MADE_ROLES = frozenset({"app", "blueprint"})
"""Roles of the `app-object` rules whose objects mark the composition root or a blueprint seed."""
ENTRY_ROLES = frozenset({"celery-app", "wsgi", "asgi", "command-line"})
ROLES: dict[str, ApplicationRole] = {
    "app": "app",
    "blueprint": "blueprint",
    "celery-app": "celery-app",
    "wsgi": "wsgi",
    "asgi": "asgi",
    "command-line": "command-line",
    "django-app": "django-app",
}
"""Rule roles as the product's typed roles (the loader admits no other roles for these kinds)."""


def recognize(graphs: LinkedGraphs, heuristics: Heuristics) -> Recognition:
    """Find where apps, blueprints and entry points are made, and the Django apps of the tree."""
    made = {n: r for n, r in heuristics.matchers("app-object").items() if r.role in MADE_ROLES}
    made.update(heuristics.matchers("entry-point"))
    found = Recognition()
    found.applications += _made(graphs, made)
    configs = _app_configs(graphs, heuristics.matchers("app-config"))
    found.applications += configs
    labels = {app.module: app.name for app in configs}
    evaluator = Evaluator(graphs)  # builds its indexes only when a settings module asks it to fold a value
    keys = {r.id: r for r in heuristics.matchers("settings-key").values() if r.role == "installed-apps"}
    for _, rule in sorted(keys.items()):
        found.applications += _installed_apps(graphs, evaluator, rule, labels)
    return found


# -- objects and entry points made by a call ------------------------------------------------


def _made(graphs: LinkedGraphs, rules: dict[str, MatchRule]) -> list[Application]:
    """One entry per (caller, callee) edge of the call graph that makes an object a rule names."""
    subclasses = _subclasses_of(graphs, rules)
    call_graph = graphs.call_graph
    found: list[Application] = []
    line: int
    for caller, callee, line in call_graph.edges(data="line"):
        made = callee.removesuffix(".__init__")
        rule = subclasses.get(made) or rules.get(made.replace(":", "."))
        if rule is None:
            continue
        if made not in subclasses:
            if not call_graph.nodes[callee].get("external"):
                continue
            if callee != made and caller.rpartition(".")[0] in subclasses:
                continue  # `super().__init__(...)` in our subclass: the class is made where it is called
        module = caller.partition(":")[0]
        facts = graphs.modules.get(module)
        if facts is None or graphs.is_test(module):
            continue
        creator = caller if ":" in caller else ""
        found.append(_application(rule, module, Location(file=facts.path, line=line), creator=creator))
    return found


def _subclasses_of(graphs: LinkedGraphs, rules: dict[str, MatchRule]) -> dict[str, MatchRule]:
    """Our own classes whose ancestors include a class a rule names: building one builds that object."""
    found: dict[str, MatchRule] = {}
    for symbol, definition in graphs.definitions.items():
        if definition.fact.kind != "class":
            continue
        for ancestor in graphs.resolver.ancestors(symbol):
            rule = rules.get(ancestor.replace(":", "."))
            if rule is not None:
                found[symbol] = rule
                break
    return found


# -- Django apps ---------------------------------------------------------------------------


def _app_configs(graphs: LinkedGraphs, rules: dict[str, MatchRule]) -> list[Application]:
    """Each `AppConfig` subclass: the app package it configures (`name`, else its own package) and label."""
    found: list[Application] = []
    for facts in graphs.modules.values():
        if graphs.is_test(facts.module):
            continue
        for definition in facts.definitions:
            if definition.kind != "class" or definition.scope:
                continue
            rule = next(
                (
                    rules[a.replace(":", ".")]
                    for a in graphs.resolver.ancestors(f"{facts.module}:{definition.qualname}")
                    if a.replace(":", ".") in rules
                ),
                None,
            )
            if rule is None:
                continue
            body = _class_attributes(facts, definition.qualname)
            package = _package_named(graphs, body.get("name")) or _package_of(graphs, facts.module)
            if package is None:
                continue
            label = body.get("label") or package.rpartition(".")[2]
            location = Location(file=facts.path, line=definition.line)
            found.append(_application(rule, package, location, name=label, detail=f"{_last(facts.module)}.py"))
    return found


def _installed_apps(
    graphs: LinkedGraphs, evaluator: Evaluator, rule: MatchRule, labels: dict[str, str]
) -> list[Application]:
    """`INSTALLED_APPS` entries of the settings modules that name a package of the tree."""
    found: list[Application] = []
    for module, facts in sorted(graphs.modules.items()):
        if graphs.is_test(module):
            continue
        for assignment in facts.assignments:
            if assignment.scope or assignment.value is None or not any(_assigns(assignment, n) for n in rule.names):
                continue
            location = Location(file=facts.path, line=assignment.line)
            for scope, item in evaluator.elements(module, assignment.value) or ():
                entry = evaluator.string(scope, item)
                package = _installed_package(graphs, entry) if entry else None
                if package is not None:
                    label = labels.get(package, package.rpartition(".")[2])
                    found.append(
                        _application(rule, package, location, name=label, detail="INSTALLED_APPS", role="django-app")
                    )
    return found


def _installed_package(graphs: LinkedGraphs, entry: str) -> str | None:
    """The package an `INSTALLED_APPS` entry names (`shop.orders`, `shop.orders.apps.OrdersConfig`)."""
    candidate = entry
    while candidate and candidate not in graphs.modules:
        candidate = candidate.rpartition(".")[0]
    if not candidate:
        return None
    if graphs.modules[candidate].is_package:
        return candidate
    owner = candidate.rpartition(".")[0]
    if _last(candidate) == "apps" and owner in graphs.modules and graphs.modules[owner].is_package:
        return owner
    return None


def _package_named(graphs: LinkedGraphs, name: str | None) -> str | None:
    if name and name in graphs.modules and graphs.modules[name].is_package:
        return name
    return None


def _package_of(graphs: LinkedGraphs, module: str) -> str | None:
    owner = module if graphs.modules[module].is_package else module.rpartition(".")[0]
    return owner if owner in graphs.modules else None


def _class_attributes(facts: FileFacts, qualname: str) -> dict[str, str]:
    """String constants a class body assigns (`name = "shop.orders"`)."""
    found: dict[str, str] = {}
    for assignment in facts.assignments:
        if assignment.scope != qualname or len(assignment.targets) != 1:
            continue
        target = assignment.targets[0]
        text = string_of(assignment.value)
        if target[0] == ExprKind.NAME and text is not None:
            found.setdefault(str(target[1]), text)
    return found


def _assigns(assignment: AssignmentFact, name: str) -> bool:
    return any(t[0] == ExprKind.NAME and t[1] == name for t in assignment.targets)


def _application(
    rule: MatchRule,
    module: str,
    location: Location,
    *,
    creator: str = "",
    name: str = "",
    detail: str = "",
    role: ApplicationRole | None = None,
) -> Application:
    return Application(
        role=role or ROLES[rule.role],
        framework=rule.framework,
        rule=rule.id,
        module=module,
        creator=creator,
        name=name,
        location=location,
        detail=detail,
    )


def _last(module: str) -> str:
    return module.rpartition(".")[2]


RECOGNIZER = Recognizer(
    name="applications",
    run=producer(recognize),
    produces=frozenset({Product.APPLICATIONS}),
    handles={
        "app-object": MADE_ROLES,
        "entry-point": ENTRY_ROLES,
        "app-config": frozenset({"django-app"}),
        "settings-key": frozenset({"installed-apps"}),
    },
)
