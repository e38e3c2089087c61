"""The Celery app's timezone: published `jobs` → the same jobs, beat entries with the timezone they run in.

Celery beat evaluates crontab entries in the app's timezone: its `timezone`
setting, spelled by configuration style as `Celery(..., timezone=...)`,
`app.conf.timezone = ...`, `app.conf.update(timezone=...)`, `CELERY_TIMEZONE`
(old style, or Django settings read with `namespace="CELERY"`), and, when the
app reads Django's settings without a namespace, Django's `TIME_ZONE`
(Celery's `Settings.timezone` is `first("timezone", "TIME_ZONE")`). Without
one, beat runs in UTC. What matches is `heuristics/schedules.toml` (kind
`settings-key`, roles `timezone` and `timezone-fallback`).

Invariants: jobs keep their order; only `celery-periodic` entries change,
and only when the scan found exactly one timezone (several apps with
different zones leave them unset, never guessed); the setting's place is
added to the job's evidence.
"""

from __future__ import annotations

from dataclasses import dataclass

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.heuristics.schema import MatchRule
from migrate_scan.model.facts import Expr, ExprKind, FileFacts
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Recognition
from migrate_scan.model.report import Evidence, Job
from migrate_scan.stages.recognize.evaluation import Evaluator
from migrate_scan.stages.recognize.expressions import keyword, scope_of
from migrate_scan.stages.recognize.registry import Product, Recognizer

CELERY_APP = "celery.Celery"
CONFIG_FROM_OBJECT = "config_from_object"


@dataclass(frozen=True)
class _Setting:
    """One place that sets the timezone, with what it says."""

    value: str
    rule: MatchRule
    location: Location


def with_timezone(graphs: LinkedGraphs, heuristics: Heuristics, published: Recognition) -> Recognition:
    """The published jobs; beat entries with the app's timezone and its evidence when the scan found one."""
    if not any(job.kind == "celery-periodic" for job in published.jobs):
        return Recognition(jobs=list(published.jobs))
    evaluator = Evaluator(graphs)
    settings = _settings(graphs, heuristics, evaluator)
    values = {s.value for s in settings}
    if len(values) != 1:
        return Recognition(jobs=list(published.jobs), limits=evaluator.limits())
    jobs = [_with_zone(job, settings) for job in published.jobs]
    return Recognition(jobs=jobs, limits=evaluator.limits())


def _with_zone(job: Job, settings: list[_Setting]) -> Job:
    if job.kind != "celery-periodic":
        return job
    evidence = list(job.evidence) + [
        Evidence(rule=s.rule.id, locations=[s.location]) for s in sorted(settings, key=lambda s: _order(s.location))
    ]
    return job.model_copy(update={"timezone": settings[0].value, "evidence": evidence})


def _order(location: Location) -> tuple[str, int]:
    return (location.file, location.line)


def _settings(graphs: LinkedGraphs, heuristics: Heuristics, evaluator: Evaluator) -> list[_Setting]:
    """Every place that sets the timezone the scan can read; the fallback only if nothing else does."""
    keys = {n: r for n, r in heuristics.matchers("settings-key").items() if r.role == "timezone"}
    fallbacks = {n: r for n, r in heuristics.matchers("settings-key").items() if r.role == "timezone-fallback"}
    found: list[_Setting] = []
    reads_django_plainly = False
    for facts in sorted(graphs.modules.values(), key=lambda f: f.path):
        found += _assigned(facts, keys, evaluator)
        for scope, call, line in _calls(facts):
            func = call[2][0]
            names = graphs.resolver.qualified_names(scope, func)
            is_update = func[0] == ExprKind.ATTRIBUTE and func[1] == "update" and _is_conf(func[2][0])
            if CELERY_APP in names or is_update:
                for name, rule in keys.items():
                    given = keyword(call, name)
                    text = evaluator.string(scope, given) if given is not None else None
                    if text:
                        found.append(_Setting(text, rule, Location(file=facts.path, line=line)))
            if func[0] == ExprKind.ATTRIBUTE and func[1] == CONFIG_FROM_OBJECT and len(call[2]) > 1:
                source = evaluator.string(scope, call[2][1])
                reads_django_plainly |= source == "django.conf:settings" and keyword(call, "namespace") is None
    if found or not reads_django_plainly:
        return found
    for module in evaluator.settings_modules():
        for name, rule in fallbacks.items():
            for _, assignment in evaluator.assignments(f"{module}|{name}"):
                text = evaluator.string(module, assignment.value)
                if text:
                    found.append(_Setting(text, rule, Location(file=graphs.modules[module].path, line=assignment.line)))
    return found


def _assigned(facts: FileFacts, keys: dict[str, MatchRule], evaluator: Evaluator) -> list[_Setting]:
    """`CELERY_TIMEZONE = "..."` at module level, `app.conf.timezone = "..."` anywhere."""
    found = []
    for assignment in facts.assignments:
        if len(assignment.targets) != 1 or assignment.value is None:
            continue
        target = assignment.targets[0]
        is_module_name = target[0] == ExprKind.NAME and not assignment.scope and str(target[1]).isupper()
        is_conf_attribute = target[0] == ExprKind.ATTRIBUTE and _is_conf(target[2][0])
        rule = keys.get(str(target[1])) if is_module_name or is_conf_attribute else None
        if rule is None:
            continue
        text = evaluator.string(scope_of(facts.module, assignment.scope), assignment.value)
        if text:
            found.append(_Setting(text, rule, Location(file=facts.path, line=assignment.line)))
    return found


def _is_conf(expr: Expr) -> bool:
    """`<something>.conf`: a Celery app's configuration."""
    return expr[0] == ExprKind.ATTRIBUTE and expr[1] == "conf"


def _calls(facts: FileFacts) -> list[tuple[str, Expr, int]]:
    return [(scope_of(facts.module, c.scope), c.call, c.line) for c in facts.calls if not c.is_implicit]


RECOGNIZER = Recognizer(
    name="celery-timezone",
    run=with_timezone,
    refines=frozenset({Product.JOBS}),
    handles={"settings-key": frozenset({"timezone", "timezone-fallback"})},
)
