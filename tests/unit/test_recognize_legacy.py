"""Old framework spellings (Celery 2/3, Django <= 1.9, Flask-Script, `flask.ext`): each form, positive and negative.

Ten-year-old monoliths spell the same registrations differently: `from celery.task import task`,
`celery.task.PeriodicTask` subclasses, `patterns('app.views', url(r'^$', 'index'))` with views named
by dotted strings. Each test parses small snippets, links them and runs one recognizer.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from snippets import facts_of

from migrate_scan.heuristics.loader import Heuristics, load_heuristics
from migrate_scan.model.inventory import Recognition
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import jobs


@pytest.fixture(scope="module")
def heuristics() -> Heuristics:
    return load_heuristics()


def recognized_jobs(files: Mapping[str, str], heuristics: Heuristics) -> Recognition:
    return jobs.recognize(link(facts_of(files)), heuristics)


def job_rows(found: Recognition) -> set[tuple[str, str, str, str | None]]:
    return {(j.kind, j.name, j.handler, j.schedule) for j in found.jobs}


# -- Celery 2/3 -----------------------------------------------------------------------------------


def test_celery_task_module_decorators_and_their_schedules(heuristics: Heuristics) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/tasks.py": """
            from datetime import timedelta
            from celery.task import task, periodic_task
            from celery.task.schedules import crontab

            @task
            def cleanup():
                pass

            @task(name="shop.mail", max_retries=5)
            def send_mail(to):
                pass

            @periodic_task(run_every=crontab(minute=0, hour=3))
            def nightly():
                pass

            @periodic_task(run_every=timedelta(minutes=5))
            def poll():
                pass
        """,
        "shop/old.py": """
            from celery.decorators import task as old_task, periodic_task

            @old_task()
            def legacy():
                pass

            @periodic_task(run_every=60)
            def ping():
                pass
        """,
        "shop/helpers.py": """
            # Why: a project function merely named `task` is not Celery's decorator
            def task(f):
                return f

            @task
            def not_a_task():
                pass
        """,
    }
    found = recognized_jobs(files, heuristics)
    assert job_rows(found) == {
        ("celery-task", "shop.tasks.cleanup", "shop.tasks:cleanup", None),
        ("celery-task", "shop.mail", "shop.tasks:send_mail", None),
        ("celery-task", "shop.tasks.nightly", "shop.tasks:nightly", None),
        ("celery-periodic", "nightly", "shop.tasks:nightly", "crontab(0 3 * * *)"),
        ("celery-task", "shop.tasks.poll", "shop.tasks:poll", None),
        ("celery-periodic", "poll", "shop.tasks:poll", "every 300s"),
        ("celery-task", "shop.old.legacy", "shop.old:legacy", None),
        ("celery-task", "shop.old.ping", "shop.old:ping", None),
        ("celery-periodic", "ping", "shop.old:ping", "every 60s"),
    }
    assert {j.max_retries for j in found.jobs if j.name == "shop.mail"} == {5}


def test_celery_task_classes_and_the_old_beat_setting(heuristics: Heuristics) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/tasks.py": """
            from datetime import timedelta
            from celery.task import Task, PeriodicTask
            from celery.schedules import crontab

            class ResizeImage(Task):
                max_retries = 3
                def run(self, image_id):
                    pass

            class BaseReport(PeriodicTask):
                abstract = True          # Why: an abstract base registers nothing
                run_every = timedelta(hours=1)
                def run(self):
                    self.build()

            class HourlyReport(BaseReport):
                name = "reports.hourly"
                def build(self):
                    pass

            class Nightly(PeriodicTask):
                run_every = crontab(minute=30, hour=2)
                def run(self):
                    pass
        """,
        "shop/modern.py": """
            import celery

            # Why: a Celery 4+ base class for `@app.task(base=...)`, not a task of its own
            class LoggedTask(celery.Task):
                def run(self, *args):
                    pass

            # Why: an ordinary class that only has a `run` method
            class Runner:
                run_every = 5
                def run(self):
                    pass
        """,
        "proj/__init__.py": "",
        "proj/settings.py": """
            from datetime import timedelta
            CELERYBEAT_SCHEDULE = {
                "resize": {"task": "shop.tasks.ResizeImage", "schedule": timedelta(minutes=10)},
            }
        """,
    }
    found = recognized_jobs(files, heuristics)
    assert job_rows(found) == {
        ("celery-task", "shop.tasks.ResizeImage", "shop.tasks:ResizeImage.run", None),
        ("celery-periodic", "resize", "shop.tasks:ResizeImage.run", "every 600s"),
        ("celery-task", "reports.hourly", "shop.tasks:BaseReport.run", None),
        ("celery-periodic", "reports.hourly", "shop.tasks:BaseReport.run", "every 3600s"),
        ("celery-task", "shop.tasks.Nightly", "shop.tasks:Nightly.run", None),
        ("celery-periodic", "Nightly", "shop.tasks:Nightly.run", "crontab(30 2 * * *)"),
    }
    assert not found.unresolved
    resize = next(j for j in found.jobs if j.name == "shop.tasks.ResizeImage")
    assert resize.max_retries == 3
    assert [e.rule for e in resize.evidence] == ["jobs.celery.class-task"]
