"""The static scan finds exactly the models and jobs the sample apps register at run time.

The framework's own view comes from importing each sample in a child process
(our own code; the scanner itself never imports anything): Django's
`apps.get_models()` with each model's `_meta` (table, proxy, concrete parent,
local relation fields and their `related_model`), flask_shop's SQLAlchemy
registry (`db.Model.registry.mappers`: tables, relationships, foreign keys),
each Celery app's registered tasks (without Celery's own `celery.*`) and beat
schedule, Django's management commands and the Flask CLI's command tree. The
comparison is exact, both ways. Worker loops and canvases have no run-time
registry: they are checked against the samples' EXPECTED.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from migrate_scan.model.report import Report
from migrate_scan.options import ScanOptions
from migrate_scan.pipeline import run

SAMPLES = Path(__file__).resolve().parents[2] / "sample_monoliths"
FLASK_SHOP = SAMPLES / "flask_shop"
DJANGO_HELPDESK = SAMPLES / "django_helpdesk"
PROJECT_APPS = ("accounts", "tickets", "knowledge", "notifications", "reporting", "escalations", "core")

COMMON = r"""
import inspect, json
from datetime import timedelta


def symbol(obj):
    # The report's symbols name nested functions without Python's `<locals>` marker.
    obj = inspect.unwrap(obj)
    return f"{obj.__module__}:{obj.__qualname__.replace('<locals>.', '')}"


def schedule_text(value):
    # The report's short form: `crontab(minute hour day month weekday)` or `every <seconds>s`.
    if hasattr(value, "_orig_minute"):
        fields = (value._orig_minute, value._orig_hour, value._orig_day_of_month,
                  value._orig_month_of_year, value._orig_day_of_week)
        return "crontab(" + " ".join(str(f) for f in fields) + ")"
    if hasattr(value, "run_every"):
        value = value.run_every
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    return f"every {int(seconds) if seconds.is_integer() else seconds}s"


def celery_view(app):
    tasks = {name: symbol(task.run) for name, task in app.tasks.items() if not name.startswith("celery.")}
    beat = {key: [entry["task"], schedule_text(entry["schedule"])] for key, entry in app.conf.beat_schedule.items()}
    return {"tasks": tasks, "beat": beat}
"""

DJANGO_SCRIPT = (
    COMMON
    + r"""
import django
django.setup()
from django.apps import apps
from django.core.management import get_commands
from django.db import models

PROJECT_APPS = %(apps)r
KINDS = [(models.OneToOneField, "one-to-one"), (models.ForeignKey, "foreign-key"),
         (models.ManyToManyField, "many-to-many")]


def kind_of(field):
    if getattr(field.remote_field, "parent_link", False):
        return "parent-link"
    return next(kind for cls, kind in KINDS if isinstance(field, cls))


found = {}
for model in apps.get_models():
    meta = model._meta
    if meta.app_label not in PROJECT_APPS:
        continue
    relations = sorted(
        [field.name, kind_of(field), symbol(field.related_model)]
        for field in [*meta.local_fields, *meta.local_many_to_many]
        if field.is_relation and field.related_model._meta.app_label in PROJECT_APPS
    )
    parents = [symbol(p) for p in meta.parents] if not meta.proxy else [symbol(meta.proxy_for_model)]
    found[symbol(model)] = {"table": meta.db_table, "proxy": meta.proxy, "parent": (parents or [None])[0],
                            "relations": relations}

from helpdesk.celery import app as celery_app
celery_app.loader.import_default_modules()
celery_app.autodiscover_tasks(force=True)
commands = sorted(name for name, app in get_commands().items() if app in PROJECT_APPS)
print("RESULT=" + json.dumps({"models": found, "celery": celery_view(celery_app), "commands": commands}))
"""
)

FLASK_SCRIPT = (
    COMMON
    + r"""
from shop import create_app
from shop.extensions import celery, db

app = create_app("testing")
owners = {}
for mapper in db.Model.registry.mappers:
    owners[mapper.local_table.name] = symbol(mapper.class_)
found = {}
for mapper in db.Model.registry.mappers:
    relations = [[key, "relationship", symbol(rel.mapper.class_)] for key, rel in mapper.relationships.items()]
    for prop in mapper.column_attrs:
        for column in prop.columns:
            for fk in column.foreign_keys:
                relations.append([prop.key, "foreign-key", owners[fk.column.table.name]])
    found[symbol(mapper.class_)] = {"table": mapper.local_table.name, "proxy": False, "parent": None,
                                     "relations": sorted(relations)}


def cli(group, prefix=""):
    # Every leaf command, by its full command path (groups are not jobs: their commands are).
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from cli(command, prefix + name + " ")
        else:
            yield [prefix + name, symbol(command.callback)]


print("RESULT=" + json.dumps({"models": found, "celery": celery_view(celery), "commands": sorted(cli(app.cli))}))
"""
)


def run_child(root: Path, script: str, tmp_path: Path, env_extra: dict[str, str]) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "HELPDESK_", "FLASK_"))}
    env.update({"PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(root), **env_extra})
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    lines = [line for line in completed.stdout.splitlines() if line.startswith("RESULT=")]
    assert lines, completed.stdout[-2000:] + completed.stderr[-2000:]
    return json.loads(lines[-1][len("RESULT=") :])


def static_models(report: Report) -> dict[str, dict]:
    symbols = {m.symbol for m in report.models}
    return {
        m.symbol: {
            "table": m.table,
            "proxy": m.proxy,
            "parent": m.parent,
            "relations": sorted([r.field, r.kind, r.target] for r in m.relations if r.target in symbols),
        }
        for m in report.models
        if not m.abstract
    }


def static_celery(report: Report) -> dict:
    tasks = {j.name: j.handler for j in report.jobs if j.kind == "celery-task"}
    beat = {j.name: [j.task, j.schedule] for j in report.jobs if j.kind == "celery-periodic"}
    return {"tasks": tasks, "beat": beat}


def jobs_of(report: Report, kind: str) -> set[tuple[str, str]]:
    return {(j.name, j.handler) for j in report.jobs if j.kind == kind}


@pytest.fixture(scope="module")
def helpdesk(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, dict]:
    tmp = tmp_path_factory.mktemp("helpdesk")
    report = run(ScanOptions(root=DJANGO_HELPDESK, jobs=2, use_cache=False, cache_dir=tmp / "cache"))
    runtime = run_child(
        DJANGO_HELPDESK,
        DJANGO_SCRIPT % {"apps": PROJECT_APPS},
        tmp,
        {
            "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
            "CELERY_TASK_ALWAYS_EAGER": "1",
            "HELPDESK_DB_PATH": str(tmp / "db.sqlite3"),
            "HELPDESK_MEDIA_ROOT": str(tmp / "media"),
            "HELPDESK_SESSION_DIR": str(tmp),
        },
    )
    return report, runtime


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, dict]:
    tmp = tmp_path_factory.mktemp("shop")
    report = run(ScanOptions(root=FLASK_SHOP, jobs=2, use_cache=False, cache_dir=tmp / "cache"))
    return report, run_child(FLASK_SHOP, FLASK_SCRIPT, tmp, {})


# -- django_helpdesk ------------------------------------------------------------------------------


def test_helpdesk_models_equal_the_app_registry(helpdesk: tuple[Report, dict]) -> None:
    report, runtime = helpdesk
    static = static_models(report)
    assert len(runtime["models"]) == 25
    assert static == runtime["models"]


def test_helpdesk_abstract_base_is_flagged_without_a_table(helpdesk: tuple[Report, dict]) -> None:
    report, _ = helpdesk
    abstract = [(m.symbol, m.table) for m in report.models if m.abstract]
    assert abstract == [("core.models:TimeStampedModel", None)]


def test_helpdesk_celery_tasks_and_beat_equal_the_celery_app(helpdesk: tuple[Report, dict]) -> None:
    report, runtime = helpdesk
    assert len(runtime["celery"]["tasks"]) == 27
    assert len(runtime["celery"]["beat"]) == 6
    assert static_celery(report) == runtime["celery"]


def test_helpdesk_commands_loops_and_workflows(helpdesk: tuple[Report, dict]) -> None:
    report, runtime = helpdesk
    assert sorted(name for name, _ in jobs_of(report, "django-command")) == runtime["commands"]
    assert jobs_of(report, "worker-loop") == {
        ("Command.handle", "tickets.management.commands.run_mail_poller:Command.handle")
    }
    assert {handler for _, handler in jobs_of(report, "celery-workflow")} == {
        "escalations.tasks:start_escalation",
        "escalations.tasks:resume_after_approval",
    }


def test_helpdesk_time_limits_are_reported(helpdesk: tuple[Report, dict]) -> None:
    report, _ = helpdesk
    limits = {j.handler: j.time_limit for j in report.jobs if j.kind == "celery-task" and j.time_limit}
    assert limits == {
        "reporting.tasks:generate_daily_report": 1800,
        "reporting.tasks:generate_weekly_report": 3600,
        "reporting.tasks:export_tickets_csv": 1200,
    }


# -- flask_shop -----------------------------------------------------------------------------------


def test_shop_models_equal_the_sqlalchemy_registry(shop: tuple[Report, dict]) -> None:
    report, runtime = shop
    assert len(runtime["models"]) == 10
    assert static_models(report) == runtime["models"]


def test_shop_celery_tasks_and_beat_equal_the_celery_app(shop: tuple[Report, dict]) -> None:
    report, runtime = shop
    assert len(runtime["celery"]["tasks"]) == 24
    assert len(runtime["celery"]["beat"]) == 5
    assert static_celery(report) == runtime["celery"]


def test_shop_flask_commands_equal_the_cli(shop: tuple[Report, dict]) -> None:
    report, runtime = shop
    commands = {j.name: j.handler for j in report.jobs if j.kind == "flask-command"}
    assert sorted(commands) == sorted(name for name, _ in runtime["commands"])
    for name, callback in runtime["commands"]:
        assert commands[name] == callback, name


def test_shop_loops_and_workflows(shop: tuple[Report, dict]) -> None:
    report, _ = shop
    assert {handler for _, handler in jobs_of(report, "worker-loop")} == {
        "shop.catalog.stock_watcher:watch_stock_levels",
        "shop.utils.metrics:_flush_forever",
    }
    assert {handler for _, handler in jobs_of(report, "celery-workflow")} == {
        "shop.orders.workflow:_shipping_steps",
        "shop.orders.workflow:build_fulfilment_workflow",
        "shop.orders.workflow:build_approval_workflow",
        "shop.orders.workflow:build_post_approval_workflow",
        "shop.notifications.tasks:queue_weekly_digests",
    }
