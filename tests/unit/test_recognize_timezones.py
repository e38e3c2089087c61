"""Celery timezone recognizer: the zone beat entries run in, with positive and negative cases.

Each test parses small snippets, runs every recognizer (the timezone one refines the jobs the
jobs recognizer publishes) and asserts {beat entry: timezone} exactly.
"""

from __future__ import annotations

from collections.abc import Mapping

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

HEURISTICS = load_heuristics()

TASKS = """
from .celery import app

@app.task
def ping():
    return 1
"""


def zones(files: Mapping[str, str]) -> dict[str, str | None]:
    found = recognize(link(facts_of(files)), HEURISTICS)
    return {j.name: j.timezone for j in found.jobs if j.kind == "celery-periodic"}


def celery_app(config: str) -> dict[str, str]:
    return {
        "proj/__init__.py": "",
        "proj/tasks.py": TASKS,
        "proj/celery.py": "from celery import Celery\n"
        + config
        + '\napp.conf.beat_schedule = {"ping": {"task": "proj.tasks.ping", "schedule": 60.0}}\n',
    }


def test_constructor_keyword() -> None:
    assert zones(celery_app('app = Celery("proj", timezone="Europe/Paris")\n')) == {"ping": "Europe/Paris"}


def test_conf_attribute_and_conf_update() -> None:
    assert zones(celery_app('app = Celery("proj")\napp.conf.timezone = "Asia/Tokyo"\n')) == {"ping": "Asia/Tokyo"}
    assert zones(celery_app('app = Celery("proj")\napp.conf.update(timezone="UTC")\n')) == {"ping": "UTC"}


def test_no_setting_leaves_it_unset() -> None:
    # Celery's default is UTC: the draft says so, the recognizer does not invent it
    assert zones(celery_app('app = Celery("proj")\n')) == {"ping": None}


def test_two_apps_with_different_zones_are_not_guessed() -> None:
    files = celery_app('app = Celery("proj", timezone="Europe/Paris")\nother = Celery("b", timezone="US/Eastern")\n')
    assert zones(files) == {"ping": None}


def django_project(config: str, settings: str) -> dict[str, str]:
    return {
        **celery_app('app = Celery("proj")\n' + config),
        "proj/settings.py": 'ROOT_URLCONF = "proj.urls"\nINSTALLED_APPS = []\n' + settings,
    }


def test_django_settings_with_the_celery_namespace() -> None:
    files = django_project(
        'app.config_from_object("django.conf:settings", namespace="CELERY")\n',
        'TIME_ZONE = "Europe/Berlin"\nCELERY_TIMEZONE = TIME_ZONE\n',
    )
    assert zones(files) == {"ping": "Europe/Berlin"}


def test_django_time_zone_only_when_read_without_a_namespace() -> None:
    plain = django_project('app.config_from_object("django.conf:settings")\n', 'TIME_ZONE = "Europe/Rome"\n')
    assert zones(plain) == {"ping": "Europe/Rome"}
    # with namespace="CELERY" Celery reads only CELERY_* keys: TIME_ZONE does not reach it
    spaced = django_project(
        'app.config_from_object("django.conf:settings", namespace="CELERY")\n', 'TIME_ZONE = "Europe/Rome"\n'
    )
    assert zones(spaced) == {"ping": None}
