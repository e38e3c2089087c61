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
from migrate_scan.model.ids import aliased_module
from migrate_scan.model.inventory import Recognition
from migrate_scan.stages.frameworks import detect_frameworks
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import applications, django, events, jobs, models


@pytest.fixture(scope="module")
def heuristics() -> Heuristics:
    return load_heuristics()


def recognized_jobs(files: Mapping[str, str], heuristics: Heuristics) -> Recognition:
    return jobs.recognize(link(facts_of(files), aliases=heuristics.module_aliases), heuristics)


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
        "shop/module.py": """
            from celery import task
            from post_request_task.task import task as after_request

            @task(ignore_result=True)
            def via_module():
                pass

            @after_request
            def index_later():
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
        ("celery-task", "shop.module.via_module", "shop.module:via_module", None),
        ("celery-task", "shop.module.index_later", "shop.module:index_later", None),
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


# -- Django <= 1.9 URLconfs ---------------------------------------------------------------------------

DJANGO_SETTINGS = {"proj/__init__.py": "", "proj/settings.py": 'ROOT_URLCONF = "proj.urls"\n'}

OLD_VIEWS = """
from django.shortcuts import render_to_response
from django.views.decorators.http import require_POST

def index(request):
    return render_to_response("index.html")

def detail(request, pk):
    return render_to_response("detail.html")

@require_POST
def buy(request):
    return render_to_response("ok.html")

class Report(object):
    pass
"""


def django_found(files: Mapping[str, str], heuristics: Heuristics) -> Recognition:
    return django.recognize(
        link(facts_of({**DJANGO_SETTINGS, **files}), aliases=heuristics.module_aliases), heuristics
    ).sorted()


def route_rows(found: Recognition) -> set[tuple[str, str, str]]:
    return {(r.path, ",".join(r.methods), r.handler) for r in found.routes}


def test_patterns_with_a_view_prefix_string_views_tuples_and_includes(heuristics: Heuristics) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/views.py": OLD_VIEWS,
        "proj/urls.py": """
            from django.conf.urls import patterns, include, url
            from django.contrib import admin
            admin.autodiscover()

            urlpatterns = patterns('',
                url(r'^admin/', include(admin.site.urls)),
                url(r'^shop/', include('shop.urls')),
                (r'^api/', include(patterns('shop.views', (r'^items/$', 'index')))),
                url(r'^login/$', 'django.contrib.auth.views.login', name='login'),
            )
        """,
        "shop/urls.py": """
            from django.conf.urls.defaults import *

            urlpatterns = patterns('shop.views',
                url(r'^$', 'index', name='index'),
                url(r'^item/(?P<pk>\\d+)/$', 'detail', name='detail'),
                (r'^again/$', 'index', {}, 'again'),
            )
            urlpatterns += patterns('',
                url(r'^buy/$', 'shop.views.buy'),
            )
        """,
    }
    found = django_found(files, heuristics)
    assert route_rows(found) == {
        ("/shop/", "*", "shop.views:index"),
        ("/shop/item/{pk}/", "*", "shop.views:detail"),
        ("/shop/again/", "*", "shop.views:index"),
        ("/shop/buy/", "POST", "shop.views:buy"),
        ("/api/items/", "*", "shop.views:index"),
        ("/login/", "*", "django.contrib.auth.views:login"),
    }
    assert not found.unresolved
    buy = next(r for r in found.routes if r.path == "/shop/buy/")
    assert [e.rule for e in buy.evidence] == [  # innermost first
        "django.url.legacy-url",
        "django.url.patterns",
        "django.url.include",
        "django.url.legacy-url",
        "django.url.patterns",
    ]


def test_string_views_that_name_nothing_are_unresolved_not_invented(heuristics: Heuristics) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/views.py": OLD_VIEWS,
        "proj/urls.py": """
            from django.conf.urls import patterns, url

            urlpatterns = patterns('shop.views',
                url(r'^gone/$', 'missing'),            # Why: no such function in shop.views
                url(r'^report/$', 'Report'),           # Why: a class, not a view function
                url(r'^bare/$', 'index', prefix=''),  # the patterns() prefix names it
            )
            urlpatterns += patterns('shop',
                url(r'^own/$', 'detail', prefix='views'),   # url()'s own prefix, inside the patterns() one
            )
            urlpatterns += patterns('',
                url(r'^full/$', 'detail', None, None, 'shop.views'),
            )
            urlpatterns += patterns('',
                url(r'^typo/$', 'shop.view.index'),    # Why: our package, but no such module
                url(r'^plain/$', 'index'),             # Why: no prefix: a bare name is no dotted path
            )
        """,
    }
    found = django_found(files, heuristics)
    assert route_rows(found) == {
        ("/bare/", "*", "shop.views:index"),
        ("/own/", "*", "shop.views:detail"),
        ("/full/", "*", "shop.views:detail"),
    }
    assert {(u.location.file, u.location.line) for u in found.unresolved} == {
        ("proj/urls.py", 5),
        ("proj/urls.py", 6),
        ("proj/urls.py", 16),
        ("proj/urls.py", 17),
    }


def test_a_project_function_named_patterns_is_not_djangos(heuristics: Heuristics) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/views.py": OLD_VIEWS,
        "proj/urls.py": """
            from django.conf.urls import url
            from shop import views

            def patterns(prefix, *urls):   # Why: the project's own helper, not django.conf.urls.patterns
                return list(urls)

            urlpatterns = [url(r'^$', views.index)] + patterns('shop.views', url(r'^x/$', views.detail))
        """,
    }
    found = django_found(files, heuristics)
    assert ("/", "*", "shop.views:index") in route_rows(found)
    assert all(e.rule != "django.url.patterns" for r in found.routes for e in r.evidence)


# -- Flask-Script ---------------------------------------------------------------------------------


def test_flask_script_commands_options_sub_managers_and_command_classes(heuristics: Heuristics) -> None:
    files = {
        "app/__init__.py": """
            from flask import Flask
            app = Flask(__name__)
        """,
        "app/commands.py": """
            from flask_script import Command, Option

            class SeedCommand(Command):
                option_list = (Option("--count", dest="count"),)
                def run(self, count):
                    pass

            class Report(Command):
                name = "report"
                def run(self):
                    pass

            # Why: a command class nobody adds to a manager is no command
            class Unused(Command):
                def run(self):
                    pass
        """,
        "manage.py": """
            from flask_script import Manager, Server
            from app import app
            from app.commands import SeedCommand, Report

            manager = Manager(app)
            db_manager = Manager(usage="Database commands")

            @manager.command
            def create_admin():
                pass

            @manager.option("-d", "--days", dest="days")
            @manager.option("-q", "--quiet", dest="quiet")
            def purge_old(days, quiet):
                pass

            @db_manager.command
            def init():
                pass

            manager.add_command("db", db_manager)
            manager.add_command("seed", SeedCommand())
            manager.add_command(Report())
            manager.add_command("seed-class", SeedCommand)   # the class itself: Flask-Script instantiates it
            manager.add_command("runserver", Server())   # Why: Flask-Script's own command, not a project job

            # Why: a function merely named `command` on another object is no command
            class Registry:
                def command(self, f):
                    return f

            registry = Registry()

            @registry.command
            def not_a_command():
                pass

            if __name__ == "__main__":
                manager.run()
        """,
    }
    found = recognized_jobs(files, heuristics)
    assert {(j.kind, j.name, j.handler) for j in found.jobs} == {
        ("flask-command", "create_admin", "manage:create_admin"),
        ("flask-command", "purge_old", "manage:purge_old"),
        ("flask-command", "db init", "manage:init"),
        ("flask-command", "seed", "app.commands:SeedCommand.run"),
        ("flask-command", "report", "app.commands:Report.run"),
        ("flask-command", "seed-class", "app.commands:SeedCommand.run"),
    }


# -- flask.ext and other old module paths ---------------------------------------------------------------


def test_flask_ext_imports_are_the_extension_packages(heuristics: Heuristics) -> None:
    files = {
        "app/__init__.py": """
            from flask import Flask
            from flask.ext.sqlalchemy import SQLAlchemy
            from flask.ext import script
            app = Flask(__name__)
            db = SQLAlchemy(app)
            manager = script.Manager(app)
        """,
        "app/models.py": """
            from app import db

            class User(db.Model):
                id = db.Column(db.Integer, primary_key=True)
        """,
        "app/other.py": """
            import flask.extensions as extensions   # Why: `flask.extensions` is not under `flask.ext.`
            from flaskext.cache import Cache        # the pre-0.8 spelling of flask_cache
        """,
        "manage.py": """
            from app import manager

            @manager.command
            def sync():
                pass
        """,
    }
    graphs = link(facts_of(files), heuristics.type_rules, heuristics.module_aliases)
    found = models.recognize(graphs, heuristics, applications.recognize(graphs, heuristics))
    assert [m.symbol for m in found.models] == ["app.models:User"]
    assert {(j.kind, j.name, j.handler) for j in jobs.recognize(graphs, heuristics).jobs} == {
        ("flask-command", "sync", "manage:sync")
    }
    other = graphs.modules["app.other"]
    assert {f.module for f in other.imports} == {"flask.extensions", "flask_cache"}
    # Without the aliases the same code is read literally: no model, no command.
    plain = link(facts_of(files), heuristics.type_rules)
    assert not models.recognize(plain, heuristics, applications.recognize(plain, heuristics)).models


def test_framework_detection_reads_old_module_paths(heuristics: Heuristics) -> None:
    files = facts_of(
        {
            "app/__init__.py": "from flask.ext.sqlalchemy import SQLAlchemy\nimport djcelery\n",
            "app/views.py": "from flask import Flask\nimport flask.extensions\n",
        }
    )
    detected = {f.name: f.evidence.rule for f in detect_frameworks(files, heuristics.framework_rules)}
    assert detected == {"celery": "framework.celery", "flask": "framework.flask", "sqlalchemy": "framework.sqlalchemy"}


def test_module_aliases_replace_a_prefix_or_a_whole_module() -> None:
    aliases = {"flask.ext.": "flask_", "django.conf.urls.defaults": "django.conf.urls"}
    assert aliased_module("flask.ext.login", aliases) == "flask_login"
    assert aliased_module("flask.ext", aliases) == "flask.ext"
    assert aliased_module("flask.extensions", aliases) == "flask.extensions"
    assert aliased_module("django.conf.urls.defaults", aliases) == "django.conf.urls"
    assert aliased_module("django.conf.urls.defaults_extra", aliases) == "django.conf.urls.defaults_extra"


def test_an_entry_built_by_a_project_helper_returning_url(heuristics: Heuristics) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/views.py": OLD_VIEWS,
        "proj/urls.py": """
            from django.conf.urls import patterns, url
            from shop import views

            def page(path, name=None):
                return url('^%s$' % path, views.index, {'repo': 'web'}, name=name)

            def unrelated(path):   # Why: builds no URL pattern: the entry stays unresolved
                return path

            urlpatterns = patterns('',
                page('about', 'about'),
                page('help/', 'help'),
                unrelated('x'),
            )
        """,
    }
    found = django_found(files, heuristics)
    assert route_rows(found) == {("/about", "*", "shop.views:index"), ("/help/", "*", "shop.views:index")}
    assert {(u.location.file, u.location.line) for u in found.unresolved} == {("proj/urls.py", 14)}
    assert {(r.path, r.location.line) for r in found.routes} == {("/about", 12), ("/help/", 13)}


def test_django_1_x_syncdb_signals_are_builtin_signals(heuristics: Heuristics) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/management.py": """
            from django.db.models.signals import post_syncdb
            from shop import models

            def create_defaults(sender, **kwargs):
                pass

            post_syncdb.connect(create_defaults, sender=models)
        """,
        "shop/models.py": "",
        "shop/other.py": """
            # Why: a project object merely named post_syncdb is not Django's signal
            class Hook:
                def connect(self, f, **kwargs):
                    pass

            post_syncdb = Hook()

            def noop(sender, **kwargs):
                pass

            post_syncdb.connect(noop)
        """,
    }
    found = events.recognize(link(facts_of(files)), heuristics)
    assert {(e.signal, e.receiver) for e in found.events} == {
        ("django.db.models.signals.post_syncdb", "shop.management:create_defaults")
    }
