"""Models and jobs recognizers on small snippets: each form, with positive and negative cases.

Facts are built the way the pipeline builds them (`parse_file` on dedented
snippets, module names from the paths), linked, and handed to one recognizer.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from snippets import facts_of

from migrate_scan.heuristics.loader import Heuristics, load_heuristics
from migrate_scan.model.inventory import Recognition
from migrate_scan.model.report import DataModel, Job
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import applications, jobs, models


@pytest.fixture(scope="module")
def heuristics() -> Heuristics:
    return load_heuristics()


def recognized_models(files: Mapping[str, str], heuristics: Heuristics) -> dict[str, DataModel]:
    graphs = link(facts_of(files))
    found = models.recognize(graphs, heuristics, applications.recognize(graphs, heuristics))
    return {m.symbol: m for m in found.models}


def recognized_jobs(files: Mapping[str, str], heuristics: Heuristics) -> Recognition:
    return jobs.recognize(link(facts_of(files)), heuristics)


def relations(model: DataModel) -> set[tuple[str | None, str, str]]:
    return {(r.field, r.kind, r.target) for r in model.relations}


def of_kind(found: Recognition, kind: str) -> dict[str, Job]:
    return {j.name: j for j in found.jobs if j.kind == kind}


# -- Django models --------------------------------------------------------------------------------

DJANGO_CORE = """
from django.db import models

class Stamped(models.Model):
    created = models.DateTimeField()
    owner = models.ForeignKey("self", on_delete=models.CASCADE)

    class Meta:
        abstract = True
"""


def test_django_models_through_an_abstract_base(heuristics: Heuristics) -> None:
    files = {
        "core/__init__.py": "",
        "core/models.py": DJANGO_CORE,
        "shop/__init__.py": "",
        "shop/models.py": """
            from django.conf import settings
            from django.db import models as m
            from core.models import Stamped

            class Customer(Stamped):
                user = m.OneToOneField(settings.AUTH_USER_MODEL, on_delete=m.CASCADE)

            class Order(Stamped):
                customer = m.ForeignKey(Customer, on_delete=m.CASCADE)
                parent = m.ForeignKey("self", null=True, on_delete=m.CASCADE)
                lines = m.ManyToManyField("billing.Line")
                note = m.CharField(max_length=10)

                class Meta:
                    db_table = "orders"
        """,
        "billing/__init__.py": "",
        "billing/models.py": """
            from django.db import models
            class Line(models.Model):
                order = models.ForeignKey("shop.Order", on_delete=models.CASCADE)
                other = models.ForeignKey("Line", on_delete=models.CASCADE)
        """,
    }
    found = recognized_models(files, heuristics)
    assert set(found) == {"core.models:Stamped", "shop.models:Customer", "shop.models:Order", "billing.models:Line"}
    assert found["core.models:Stamped"].abstract and found["core.models:Stamped"].table is None
    customer = found["shop.models:Customer"]
    assert (customer.table, customer.abstract, customer.orm) == ("shop_customer", False, "django")
    # AUTH_USER_MODEL not set anywhere: Django's default user model; the inherited 'self' is the child.
    assert relations(customer) == {
        ("user", "one-to-one", "django.contrib.auth.models.User"),
        ("owner", "foreign-key", "shop.models:Customer"),
    }
    order = found["shop.models:Order"]
    assert order.table == "orders"
    assert relations(order) == {
        ("owner", "foreign-key", "shop.models:Order"),
        ("customer", "foreign-key", "shop.models:Customer"),
        ("parent", "foreign-key", "shop.models:Order"),
        ("lines", "many-to-many", "billing.models:Line"),
    }
    assert relations(found["billing.models:Line"]) == {
        ("order", "foreign-key", "shop.models:Order"),
        ("other", "foreign-key", "billing.models:Line"),
    }


def test_auth_user_model_setting_proxy_and_multi_table(heuristics: Heuristics) -> None:
    files = {
        "site/settings.py": 'AUTH_USER_MODEL = "people.Person"\n',
        "people/models.py": """
            from django.conf import settings
            from django.contrib.auth.models import AbstractUser
            from django.db import models

            class Person(AbstractUser):
                pass

            class Note(models.Model):
                author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

            class Pinned(Note):
                rank = models.IntegerField()

            class RecentNote(Note):
                class Meta:
                    proxy = True
        """,
    }
    found = recognized_models(files, heuristics)
    assert found["people.models:Person"].table == "people_person"
    assert relations(found["people.models:Note"]) == {("author", "foreign-key", "people.models:Person")}
    pinned = found["people.models:Pinned"]
    assert (pinned.parent, pinned.proxy, pinned.table) == ("people.models:Note", False, "people_pinned")
    assert relations(pinned) == {("note_ptr", "parent-link", "people.models:Note")}
    proxy = found["people.models:RecentNote"]
    assert (proxy.parent, proxy.proxy, proxy.table, proxy.relations) == ("people.models:Note", True, "people_note", [])


def test_a_class_called_model_that_is_not_djangos_is_not_a_model(heuristics: Heuristics) -> None:
    files = {
        "lib/base.py": "class Model:\n    pass\n",
        "app/models.py": """
            from lib.base import Model
            from django.db import models

            class Thing(Model):
                other = models.ForeignKey("x.Y", on_delete=None)

            class Choice(models.TextChoices):
                A = "a"
        """,
    }
    assert recognized_models(files, heuristics) == {}


# -- SQLAlchemy models ----------------------------------------------------------------------------


def test_models_through_package_bases_the_scan_cannot_read(heuristics: Heuristics) -> None:
    files = {
        "survey/__init__.py": "",
        "survey/models.py": """
            from django.contrib.contenttypes.models import ContentType
            from django_extensions.db.models import TimeStampedModel
            from polymorphic.models import PolymorphicModel
            from taggit.models import GenericTaggedItemBase
            from django_softdelete.models import SoftDeleteModel
            from somewhere.models import Unknown

            class Note(SoftDeleteModel):
                pass

            class Question(PolymorphicModel, TimeStampedModel):
                pass

            class Tagged(GenericTaggedItemBase):
                pass

            class ObjectType(ContentType):
                pass

            class Plain(Unknown):
                pass
        """,
    }
    assert set(recognized_models(files, heuristics)) == {
        "survey.models:Question",
        "survey.models:Tagged",
        "survey.models:ObjectType",
        "survey.models:Note",
    }


def test_sqlalchemy_declarative_base_and_relations(heuristics: Heuristics) -> None:
    files = {
        "app/db.py": "from sqlalchemy.orm import declarative_base\nBase = declarative_base()\n",
        "app/models.py": """
            from sqlalchemy import Column, ForeignKey, Integer
            from sqlalchemy.orm import relationship
            from app.db import Base

            class User(Base):
                __tablename__ = "users"
                id = Column(Integer, primary_key=True)
                orders = relationship("Order", back_populates="user")

            class Order(Base):
                __tablename__ = "orders"
                id = Column(Integer, primary_key=True)
                user_id = Column(Integer, ForeignKey("users.id"))
                user = relationship(User, back_populates="orders")

            class Mixin:
                __abstract__ = True
        """,
    }
    found = recognized_models(files, heuristics)
    assert set(found) == {"app.models:User", "app.models:Order"}
    assert found["app.models:User"].orm == "sqlalchemy"
    assert found["app.models:User"].table == "users"
    assert relations(found["app.models:User"]) == {("orders", "relationship", "app.models:Order")}
    assert relations(found["app.models:Order"]) == {
        ("user_id", "foreign-key", "app.models:User"),
        ("user", "relationship", "app.models:User"),
    }


def test_sqlalchemy_imperative_mappings_are_models(heuristics: Heuristics) -> None:
    files = {
        "shop/meta.py": """
            from sqlalchemy import MetaData
            import sqlalchemy.orm as orm

            metadata = MetaData()
            registry = orm.registry(metadata=metadata)
            mapper = orm.mapper
        """,
        "shop/tables.py": """
            from sqlalchemy import Column, ForeignKey, Integer, Table
            from shop.meta import metadata

            users = Table("users", metadata, Column("id", Integer, primary_key=True))
            orders = Table("orders", metadata, Column("id", Integer), Column("user_id", ForeignKey("users.id")))
            order_tags = Table("order_tags", metadata, Column("order_id", Integer), Column("tag", Integer))
        """,
        "shop/model.py": """
            from sqlalchemy import orm
            from shop import meta
            from shop.tables import order_tags, orders, users

            class User(object):
                def __init__(self, name):
                    self.name = name

            class Order:
                pass

            class Tag:
                pass

            meta.registry.map_imperatively(User, users)
            meta.registry.map_imperatively(Order, orders, properties={
                "user": orm.relationship(User, backref="orders"),
                "tags": orm.relationship(Tag, secondary=order_tags),
            })
        """,
        "legacy/model.py": """
            from sqlalchemy.orm import mapper, relation
            from shop.tables import users

            class Account(object):
                pass

            class Admin(Account):
                pass

            mapper(Account, users, properties={"friends": relation("Account")})
            mapper(Admin, None, inherits=Account)
        """,
    }
    found = recognized_models(files, heuristics)
    assert set(found) == {"shop.model:User", "shop.model:Order", "legacy.model:Account", "legacy.model:Admin"}
    assert found["shop.model:User"].table == "users"
    assert found["shop.model:User"].orm == "sqlalchemy"
    assert found["shop.model:User"].location.line == 6  # the class, where a reader looks for the model
    assert found["shop.model:Order"].table == "orders"
    assert relations(found["shop.model:Order"]) == {
        ("user", "relationship", "shop.model:User"),
        ("tags", "relationship", "shop.model:Tag"),
    }
    assert {r.through for r in found["shop.model:Order"].relations} == {None, "table:order_tags"}
    assert found["legacy.model:Account"].table == "users"
    assert relations(found["legacy.model:Account"]) == {("friends", "relationship", "legacy.model:Account")}
    assert (found["legacy.model:Admin"].table, found["legacy.model:Admin"].parent) == ("users", "legacy.model:Account")


def test_calls_that_merely_look_like_mappings_are_not_models(heuristics: Heuristics) -> None:
    files = {
        "app/util.py": """
            from sqlalchemy.orm import class_mapper

            def mapper(cls, table):  # our own function, called like SQLAlchemy's
                return {"cls": cls, "table": table}

            class Report:
                pass

            class Summary:
                pass

            mapper(Report, "reports")
            columns = class_mapper(Summary).columns  # inspects a mapping, makes none
            Summary.map_imperatively = staticmethod(mapper)
        """,
    }
    assert recognized_models(files, heuristics) == {}


def test_sqlalchemy_2_declarative_base_class_and_mapped_annotations(heuristics: Heuristics) -> None:
    files = {
        "app/models.py": """
            from typing import List
            from sqlalchemy import ForeignKey
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

            class Base(DeclarativeBase):
                pass

            class Parent(Base):
                __tablename__ = "parents"
                children: Mapped[List["Child"]] = relationship(back_populates="parent")

            class Child(Base):
                __tablename__ = "children"
                parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id"))
                parent: Mapped["Parent"] = relationship(back_populates="children")

            class Abstract(Base):
                __abstract__ = True
        """,
    }
    found = recognized_models(files, heuristics)
    assert "app.models:Base" not in found  # the declarative base itself is not a model
    assert relations(found["app.models:Parent"]) == {("children", "relationship", "app.models:Child")}
    assert relations(found["app.models:Child"]) == {
        ("parent_id", "foreign-key", "app.models:Parent"),
        ("parent", "relationship", "app.models:Parent"),
    }
    assert found["app.models:Abstract"].abstract and found["app.models:Abstract"].table is None


def test_flask_sqlalchemy_db_model_and_generated_table_name(heuristics: Heuristics) -> None:
    files = {
        "app/ext.py": "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n",
        "app/models.py": """
            from app.ext import db

            class OrderLine(db.Model):
                id = db.Column(db.Integer, primary_key=True)
                product_id = db.Column(db.Integer, db.ForeignKey("products.id"))

            class Product(db.Model):
                __tablename__ = "products"
                lines = db.relationship("OrderLine")

            class NotAModel:
                __tablename__ = "nope"
        """,
    }
    found = recognized_models(files, heuristics)
    assert set(found) == {"app.models:OrderLine", "app.models:Product"}
    assert found["app.models:OrderLine"].table == "order_line"
    assert relations(found["app.models:OrderLine"]) == {("product_id", "foreign-key", "app.models:Product")}
    assert relations(found["app.models:Product"]) == {("lines", "relationship", "app.models:OrderLine")}


# -- Celery tasks ---------------------------------------------------------------------------------


def test_celery_tasks_with_aliases_options_and_names(heuristics: Heuristics) -> None:
    files = {
        "proj/celery_app.py": "from celery import Celery\napp = Celery('proj')\n",
        "proj/tasks.py": """
            from celery import shared_task as st
            from proj.celery_app import app

            @st
            def plain():
                pass

            @st(bind=True, name="custom.name", max_retries=4, time_limit=30 * 60, soft_time_limit=1700)
            def named(self):
                pass

            @app.task
            def bare():
                pass

            @app.task(ignore_result=True)
            def called():
                pass
        """,
        "other/things.py": """
            def task(f):
                return f

            @task
            def not_celery():
                pass

            class Worker:
                def task(self, f):
                    return f
        """,
    }
    found = of_kind(recognized_jobs(files, heuristics), "celery-task")
    assert {name: job.handler for name, job in found.items()} == {
        "proj.tasks.plain": "proj.tasks:plain",
        "custom.name": "proj.tasks:named",
        "proj.tasks.bare": "proj.tasks:bare",
        "proj.tasks.called": "proj.tasks:called",
    }
    named = found["custom.name"]
    assert (named.max_retries, named.time_limit, named.soft_time_limit) == (4, 1800, 1700)
    assert found["proj.tasks.plain"].time_limit is None


def test_beat_schedules_in_settings_conf_and_updates(heuristics: Heuristics) -> None:
    files = {
        "proj/tasks.py": """
            from celery import shared_task

            @shared_task
            def a():
                pass

            @shared_task(name="b.named")
            def b():
                pass
        """,
        "proj/settings.py": """
            from datetime import timedelta
            from celery.schedules import crontab
            CELERY_BEAT_SCHEDULE = {
                "every-five": {"task": "proj.tasks.a", "schedule": timedelta(minutes=5)},
                "nightly": {"task": "b.named", "schedule": crontab(hour=2, minute=30)},
                "ghost": {"task": "proj.tasks.missing", "schedule": 60},
            }
        """,
        "proj/factory.py": """
            from celery import Celery
            from celery.schedules import crontab
            celery = Celery("proj")

            def configure():
                celery.conf.beat_schedule = {"weekly": {"task": "proj.tasks.a", "schedule": 300.0}}
                monday = {"task": "b.named", "schedule": crontab(0, 8, day_of_week="mon")}
                celery.conf.beat_schedule.update({"monday": monday})
        """,
    }
    recognition = recognized_jobs(files, heuristics)
    found = of_kind(recognition, "celery-periodic")
    assert {name: (job.task, job.handler, job.schedule) for name, job in found.items()} == {
        "every-five": ("proj.tasks.a", "proj.tasks:a", "every 300s"),
        "nightly": ("b.named", "proj.tasks:b", "crontab(30 2 * * *)"),
        "ghost": ("proj.tasks.missing", "proj.tasks.missing", "every 60s"),
        "weekly": ("proj.tasks.a", "proj.tasks:a", "every 300s"),
        "monday": ("b.named", "proj.tasks:b", "crontab(0 8 * * mon)"),
    }
    assert [u.detail for u in recognition.unresolved] == [
        "beat entry 'ghost' runs task 'proj.tasks.missing', which no recognised task registers"
    ]


def test_canvas_is_workflow_evidence_on_the_function_that_builds_it(heuristics: Heuristics) -> None:
    files = {
        "proj/tasks.py": """
            from celery import shared_task, chain, chord, group

            @shared_task
            def a(x):
                pass

            @shared_task
            def b(x):
                pass

            def build(x):
                return chain(a.s(x), chord(group(b.si(x)), a.s()))

            def piped(x):
                flow = a.s(x) | b.s()
                return flow

            def not_a_workflow(x):
                a.delay(x)
                "text".s()
        """,
    }
    found = {j.handler: j for j in recognized_jobs(files, heuristics).jobs if j.kind == "celery-workflow"}
    assert set(found) == {"proj.tasks:build", "proj.tasks:piped"}
    assert found["proj.tasks:build"].steps == ["proj.tasks.a", "proj.tasks.b"]
    assert {e.rule for e in found["proj.tasks:build"].evidence} == {"jobs.celery.canvas"}


# -- RQ, APScheduler, commands, loops -------------------------------------------------------------


def test_rq_enqueue_and_job_decorator(heuristics: Heuristics) -> None:
    files = {
        "proj/work.py": """
            from redis import Redis
            from rq import Queue
            from rq.decorators import job

            q = Queue(connection=Redis())

            def resize(path):
                pass

            @job("default")
            def decorated():
                pass

            def view():
                q.enqueue(resize, "a.png")
                q.enqueue("proj.work.resize", "b.png")

            class Fake:
                def enqueue(self, f):
                    pass

            def not_rq():
                Fake().enqueue(resize)
        """,
    }
    found = {(j.name, j.handler, j.location.line) for j in recognized_jobs(files, heuristics).jobs}
    assert found == {
        ("proj.work.decorated", "proj.work:decorated", 12),
        ("proj.work.resize", "proj.work:resize", 16),
        ("proj.work.resize", "proj.work:resize", 17),
    }


def test_apscheduler_add_job_and_scheduled_job(heuristics: Heuristics) -> None:
    files = {
        "proj/sched.py": """
            from apscheduler.schedulers.background import BackgroundScheduler

            scheduler = BackgroundScheduler()

            def cleanup():
                pass

            @scheduler.scheduled_job("cron", hour=3, id="nightly")
            def nightly():
                pass

            scheduler.add_job(cleanup, "interval", minutes=5)
        """,
    }
    found = of_kind(recognized_jobs(files, heuristics), "scheduler")
    assert {name: (j.handler, j.schedule) for name, j in found.items()} == {
        "nightly": ("proj.sched:nightly", "cron(hour=3)"),
        "cleanup": ("proj.sched:cleanup", "interval(minutes=5)"),
    }


def test_django_management_commands(heuristics: Heuristics) -> None:
    base = "from django.core.management.base import BaseCommand\nclass Command(BaseCommand):\n    pass\n"
    files = {
        "app/management/__init__.py": "",
        "app/management/commands/__init__.py": "",
        "app/management/commands/close_stale.py": base,
        "app/management/commands/_helpers.py": "class Command:\n    pass\n",
        "app/commands.py": base,
    }
    found = of_kind(recognized_jobs(files, heuristics), "django-command")
    assert {name: j.handler for name, j in found.items()} == {
        "close_stale": "app.management.commands.close_stale:Command"
    }


def test_flask_cli_commands_groups_and_attached_click_commands(heuristics: Heuristics) -> None:
    files = {
        "proj/__init__.py": """
            from flask import Flask
            from proj.cli import register

            def create_app():
                app = Flask(__name__)
                register(app)
                return app
        """,
        "proj/cli.py": """
            import click
            from flask.cli import AppGroup

            ops = AppGroup("ops")

            @click.command("seed-db")
            def seed():
                pass

            @click.command()
            def never_attached():
                pass

            @ops.command()
            def rebuild_index_command():
                pass

            def register(app):
                app.cli.add_command(seed)
                app.cli.add_command(ops)

                @app.cli.command("create-admin")
                def create_admin():
                    pass
        """,
    }
    # Why: groups are not jobs, their leaf commands are; a click command nothing attaches is its own entry point.
    assert {n: j.handler for n, j in of_kind(recognized_jobs(files, heuristics), "click-command").items()} == {
        "never-attached": "proj.cli:never_attached"
    }
    found = of_kind(recognized_jobs(files, heuristics), "flask-command")
    assert {name: j.handler for name, j in found.items()} == {
        "seed-db": "proj.cli:seed",
        "ops rebuild-index": "proj.cli:rebuild_index_command",
        "create-admin": "proj.cli:register.create_admin",
    }


def test_worker_loops(heuristics: Heuristics) -> None:
    files = {
        "proj/worker.py": """
            import time

            def poll():
                while True:
                    time.sleep(1)

            def bounded(n):
                while n:
                    n -= 1
        """,
    }
    found = of_kind(recognized_jobs(files, heuristics), "worker-loop")
    assert {name: (j.handler, j.location.line) for name, j in found.items()} == {"poll": ("proj.worker:poll", 5)}


def test_polls_and_retries_that_end_with_their_work_are_not_workers(heuristics: Heuristics) -> None:
    files = {
        "proj/waits.py": """
            import select
            import time

            def query_result(client, query_id):
                while True:
                    result = client.get(query_id)
                    if result["status"] == "Complete":
                        break
                    time.sleep(2)
                return result

            def wait_for_db(db):
                retried = False
                while not retried:
                    try:
                        db.execute("SELECT 1")
                        return
                    except OSError:
                        time.sleep(30)
                    retried = True

            def wait_ready(conn):
                while 1:
                    try:
                        if conn.poll() == 0:
                            break
                        select.select([conn], [], [], 1)
                    except select.error:
                        raise

            def serve(queue):
                while True:
                    try:
                        queue.handle()
                        time.sleep(1)
                    except KeyboardInterrupt:
                        break

            class Consumer:
                def run(self):
                    while not self.stop.is_set():
                        self.consume()
                        time.sleep(5)

                def poll_forever(self, options):
                    while True:
                        self.consume()
                        if options["once"] or self.stopping or self.stop.is_set():
                            break
                        time.sleep(5)
        """,
    }
    found = of_kind(recognized_jobs(files, heuristics), "worker-loop")
    # Why: a poll or a retry ends when its result is there; a worker ends only on an error, a signal or a
    # stop request set from outside the loop.
    assert {name: j.location.line for name, j in found.items()} == {
        "serve": 33,
        "Consumer.run": 42,
        "Consumer.poll_forever": 47,
    }


def test_models_declared_in_test_code_are_not_the_apps(heuristics: Heuristics) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/models.py": "from django.db import models\n\nclass Order(models.Model):\n    pass\n",
        "shop/tests/__init__.py": "",
        "shop/tests/models.py": "from django.db import models\n\nclass Book(models.Model):\n    pass\n",
        "shop/test_filters.py": "from shop.models import Order\n\nclass DummyOrder(Order):\n    pass\n",
        "shop/testimonials.py": "from django.db import models\n\nclass Testimonial(models.Model):\n    pass\n",
    }
    assert set(recognized_models(files, heuristics)) == {"shop.models:Order", "shop.testimonials:Testimonial"}


def test_task_decorators_the_project_builds_from_a_frameworks(heuristics: Heuristics) -> None:
    files = {
        "proj/worker.py": """
            from functools import partial
            from rq.decorators import job as rq_job
            from celery import shared_task

            class RecordingJob(rq_job):
                queue_class = None

            job = partial(RecordingJob, connection=None)

            class NotAJob:
                def __init__(self, queue):
                    pass
        """,
        "proj/tasks.py": """
            from proj.worker import RecordingJob, NotAJob, job

            @job("emails", timeout=60)
            def send_mail(to):
                pass

            @RecordingJob("default")
            def record_event(event):
                pass

            @NotAJob("x")   # Why: a project decorator that derives from no task decorator
            def not_a_job():
                pass
        """,
    }
    found = of_kind(recognized_jobs(files, heuristics), "rq-job")
    assert {name: j.handler for name, j in found.items()} == {
        "proj.tasks.send_mail": "proj.tasks:send_mail",
        "proj.tasks.record_event": "proj.tasks:record_event",
    }


def test_models_of_a_flask_sqlalchemy_with_a_custom_model_class(heuristics: Heuristics) -> None:
    files = {
        "idx/core.py": """
            from flask_sqlalchemy import SQLAlchemy
            from flask_sqlalchemy.model import Model
            from sqlalchemy.orm import declarative_base

            class AppModel(Model):   # Why: the model class given to SQLAlchemy, a base of models, not a model
                pass

            class AppSQLAlchemy(SQLAlchemy):
                Model: type[AppModel]   # Why: `type[X]` says the attribute holds the class X itself

            db = AppSQLAlchemy(model_class=declarative_base(cls=AppModel, name="Model"))
        """,
        "idx/models.py": """
            from idx.core import db

            class Event(db.Model):
                __tablename__ = "events"
                id = db.Column(db.Integer, primary_key=True)
        """,
    }
    assert set(recognized_models(files, heuristics)) == {"idx.models:Event"}


def test_rq_work_enqueued_by_dotted_name(heuristics: Heuristics) -> None:
    files = {
        "app/tasks.py": """
            def export_posts(user_id):
                pass

            def rebuild_index():
                pass
        """,
        "app/views.py": """
            from rq import Queue

            TASKS = "app.tasks"
            queue = Queue("default")

            def export(user_id):
                queue.enqueue("app.tasks.export_posts", user_id)
                queue.enqueue(f"{TASKS}.rebuild_index")
                queue.enqueue("elsewhere.tasks.unknown")   # Why: not a function of the tree: unresolved
        """,
    }
    found = recognized_jobs(files, heuristics)
    assert {(j.name, j.handler) for j in found.jobs if j.kind == "rq-job"} == {
        ("app.tasks.export_posts", "app.tasks:export_posts"),
        ("app.tasks.rebuild_index", "app.tasks:rebuild_index"),
    }
    assert [u.location.line for u in found.unresolved] == [10]


def test_tasks_of_a_celery_subclass_method_that_wraps_task(heuristics: Heuristics) -> None:
    files = {
        "proj/core.py": """
            from celery import Celery
            from celery.schedules import crontab

            class AppCelery(Celery):
                def periodic_task(self, *args, **kwargs):
                    def decorator(f):
                        entry = {"schedule": kwargs.pop("run_every")}
                        return self.task(f, *args, **kwargs)
                    return decorator

                def describe(self, *args):   # Why: a method that applies no task decorator
                    return args

            celery = AppCelery("proj")
        """,
        "proj/tasks.py": """
            from celery.schedules import crontab
            from proj.core import celery

            @celery.periodic_task(name="cleanup", run_every=crontab(minute="0", hour="3"))
            def cleanup():
                pass

            @celery.task
            def send_mail():
                pass

            @celery.describe("x")
            def not_a_task():
                pass
        """,
    }
    found = recognized_jobs(files, heuristics)
    assert {(j.kind, j.name, j.handler) for j in found.jobs} == {
        ("celery-task", "cleanup", "proj.tasks:cleanup"),
        ("celery-periodic", "cleanup", "proj.tasks:cleanup"),
        ("celery-task", "proj.tasks.send_mail", "proj.tasks:send_mail"),
    }


def test_a_django_app_label_comes_from_its_app_config(heuristics: Heuristics) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/orders/__init__.py": "",
        "shop/orders/apps.py": """
            from django.apps import AppConfig

            class OrdersConfig(AppConfig):
                name = "shop.orders"
                label = "shop_orders"
        """,
        "shop/orders/models.py": """
            from django.db import models

            class Order(models.Model):
                number = models.CharField(max_length=10)
        """,
        "shop/stock/__init__.py": "",
        "shop/stock/models.py": """
            from django.db import models

            class Item(models.Model):
                sku = models.CharField(max_length=10)
        """,
    }
    found = recognized_models(files, heuristics)
    # Why: Django names the table `<app label>_<model>`; the label is the AppConfig's, else the package's name
    assert found["shop.orders.models:Order"].table == "shop_orders_order"
    assert found["shop.stock.models:Item"].table == "stock_item"


def test_click_lazy_groups_decorator_factories_and_helper_made_commands(heuristics: Heuristics) -> None:
    files = {
        "tool/__init__.py": "",
        "tool/core.py": """
            import click
            from flask.cli import AppGroup, FlaskGroup
            from tool.util import LazyGroup

            _factory = AppGroup()
            cli_group = _factory.group
            cli_command = _factory.command

            @click.group(cls=FlaskGroup)
            def cli():
                pass

            @cli.group(cls=LazyGroup, import_name="tool.users:cli")
            def user():
                pass

            @cli.group(cls=LazyGroup, lazy_subcommands={"dump": "tool.data.dump_cmd"})
            def data():
                pass

            @cli.group(cls=LazyGroup, import_name="tool.nowhere:cli", help="tool.users:cli")
            def broken():
                pass
        """,
        "tool/util.py": """
            import click

            class LazyGroup(click.Group):
                def __init__(self, import_name=None, lazy_subcommands=None, **kwargs):
                    super().__init__(**kwargs)
        """,
        "tool/users.py": """
            from tool.core import cli_command, cli_group

            @cli_group()
            def cli():
                pass

            @cli.command()
            def create():
                pass

            @cli_command()
            def standalone():
                pass
        """,
        "tool/data.py": """
            import click

            @click.command()
            def dump_cmd():
                pass
        """,
        "tool/i18n.py": """
            import click

            @click.group()
            def cli():
                pass

            @cli.group("compile")
            def compile_catalog():
                pass

            def _make_command(group, cmd_name, babel_cmd):
                make = group.command(cmd_name, short_help=babel_cmd)

                def wrapper(**kwargs):
                    pass

                return make(wrapper)

            def _unknown(group, cmd_name):
                def other():
                    pass
                return group.command(cmd_name)(other)

            _make_command(compile_catalog, "indico", "CompileCatalog")
            _make_command(compile_catalog, "plugin", "CompileCatalog")
            _unknown(compile_catalog, NAMES[0])
        """,
    }
    found = recognized_jobs(files, heuristics)
    commands = {j.name: j.handler for j in found.jobs if j.kind in ("click-command", "flask-command")}
    assert commands == {
        # Why: a lazy group serves the group its import path names; `lazy_subcommands` names each child.
        "user create": "tool.users:create",
        "data dump": "tool.data:dump_cmd",
        # Why: a group's bound `command` taken as a value is a decorator factory, attached to no CLI.
        "standalone": "tool.users:standalone",
        # Why: a helper called with concrete arguments registers one command per call site.
        "compile indico": "tool.i18n:_make_command.wrapper",
        "compile plugin": "tool.i18n:_make_command.wrapper",
    }
    # Why (negative): an import path naming nothing in the tree, a name that does not fold, and a
    # group's help text are no commands; `user`'s implementation is not also a command `cli create`.


def test_django_commands_on_bases_the_scan_cannot_read(heuristics: Heuristics) -> None:
    files = {
        "app/__init__.py": "",
        "app/management/__init__.py": "",
        "app/management/commands/__init__.py": "",
        "app/management/commands/base.py": """
            from django_rich.management import RichCommand

            class ProjectCommand(RichCommand):
                pass
        """,
        "app/management/commands/reindex.py": """
            from app.management.commands.base import ProjectCommand

            class Command(ProjectCommand):
                pass
        """,
        "app/management/commands/rqworker.py": """
            from django_rq.management.commands.rqworker import Command as _Command

            class Command(_Command):
                pass
        """,
        "app/management/commands/export.py": """
            from some_package.commands import ExportBase

            class Command(ExportBase):
                pass
        """,
        "app/management/commands/_shared.py": """
            from some_package.commands import ExportBase

            class Command(ExportBase):
                pass
        """,
        "app/management/commands/list_top_tests.py": """
            from django.core.management.base import BaseCommand

            class Command(BaseCommand):
                pass
        """,
        "app/management/commands/plain.py": """
            class Helper:
                pass

            class Command(Helper):
                pass
        """,
    }
    found = of_kind(recognized_jobs(files, heuristics), "django-command")
    assert {name: j.evidence[0].rule for name, j in found.items()} == {
        # Why: a package's command base from the knowledge table.
        "reindex": "jobs.django.command",
        # Why: a command module extending a package's own command.
        "rqworker": "jobs.django.command-module",
        # Why: an unread outside base; the module's place in management/commands vouches for it.
        "export": "jobs.django.command-module",
        # Why: a command named like test code (`list_top_tests`) is still a command of the app.
        "list_top_tests": "jobs.django.command",
        # Why (negative): `_shared` is a private module Django does not list; `base` has no `Command`;
        # `plain`'s lineage is read whole and reaches no command base.
    }


def test_rq_work_through_django_rq_partials_wrappers_and_job_classes(heuristics: Heuristics) -> None:
    files = {
        "proj/__init__.py": "",
        "proj/models.py": """
            from functools import partial
            import django_rq

            class Job:
                @classmethod
                def enqueue(cls, func, name=None, *args, **kwargs):
                    queue = django_rq.get_queue("default")
                    callback = partial(queue.enqueue, func, name=name)
                    return callback
        """,
        "proj/jobs.py": """
            from abc import ABC, abstractmethod
            from proj.models import Job

            class JobRunner(ABC):
                @abstractmethod
                def run(self):
                    pass

                @classmethod
                def handle(cls, job):
                    pass

                @classmethod
                def enqueue(cls, *args, **kwargs):
                    return Job.enqueue(cls.handle, *args, **kwargs)

            class SyncJob(JobRunner):
                def run(self):
                    pass

            class Unrelated:
                pass
        """,
        "proj/events.py": """
            from django_rq import get_queue

            def send():
                get_queue("low").enqueue("proj.hooks.deliver", url="x")
        """,
        "proj/hooks.py": """
            def deliver(url):
                pass
        """,
        "proj/tests/__init__.py": "",
        "proj/tests/test_jobs.py": """
            from proj.jobs import JobRunner

            class DummyJob(JobRunner):
                def run(self):
                    pass
        """,
    }
    found = of_kind(recognized_jobs(files, heuristics), "rq-job")
    assert {name: j.handler for name, j in found.items()} == {
        # Why: `cls.handle` enqueued from a classmethod runs on each concrete class that inherits it.
        "proj.jobs.SyncJob": "proj.jobs:SyncJob",
        # Why: `django_rq.get_queue(...)` is an RQ queue; the job is named by its dotted path.
        "proj.hooks.deliver": "proj.hooks:deliver",
        # Why (negative): the abstract base, an unrelated class and a job class of test code are none.
    }


def test_rq_scheduler_calls_and_entries_given_as_data(heuristics: Heuristics) -> None:
    files = {
        "proj/__init__.py": "",
        "proj/tasks.py": """
            def refresh():
                pass

            def cleanup():
                pass

            def nightly():
                pass

            def helper():
                pass
        """,
        "proj/schedule.py": """
            from datetime import datetime, timedelta
            from rq_scheduler import Scheduler
            from proj.tasks import cleanup, helper, nightly, refresh

            class Recording(Scheduler):
                pass

            scheduler = Recording(queue_name="periodic")

            def schedule(kwargs):
                scheduler.schedule(scheduled_time=datetime.utcnow(), **kwargs)

            def definitions():
                jobs = [
                    {"func": refresh, "interval": 30},
                    {"func": cleanup, "interval": timedelta(minutes=5)},
                ]
                options = {"func": helper, "timeout": 10}
                return jobs

            def register():
                scheduler.cron("0 3 * * *", func=nightly)
        """,
    }
    found = of_kind(recognized_jobs(files, heuristics), "scheduler")
    assert {name: (j.handler, j.schedule) for name, j in found.items()} == {
        # Why: entries handed over as `**kwargs` are the module's dicts with `func` and a schedule.
        "proj.tasks.refresh": ("proj.tasks:refresh", "every 30s"),
        "proj.tasks.cleanup": ("proj.tasks:cleanup", "every 300s"),
        # Why: `cron(cron_string, func=...)` given directly.
        "proj.tasks.nightly": ("proj.tasks:nightly", "crontab(0 3 * * *)"),
        # Why (negative): a dict with `func` but no schedule is not an entry.
    }


def test_beat_schedules_a_settings_helper_builds(heuristics: Heuristics) -> None:
    files = {
        "proj/__init__.py": "",
        "proj/tasks.py": """
            from celery import shared_task

            @shared_task
            def index():
                pass

            @shared_task
            def purge():
                pass
        """,
        "proj/schedules.py": """
            import os
            from celery.schedules import crontab

            def build():
                schedule = {}
                tasks = [
                    {"name": "Optimize the index", "task": "proj.tasks.index", "cron": "0 0 * * *"},
                    {"name": "Purge", "task": "proj.tasks.purge", "cron": "0 1 * * *"},
                ]
                for task in tasks:
                    value = os.getenv("CRON", task["cron"])
                    minute, hour, day_month, month, day_week = value.split(" ")
                    schedule[task["name"]] = {"task": task["task"], "schedule": crontab(minute, hour)}
                for key in os.environ:
                    schedule[key] = {"task": "proj.tasks.index"}
                return schedule

            def fixed():
                return {"hourly": {"task": "proj.tasks.purge", "schedule": 3600}}

            def unused():
                schedule = {}
                schedule["never"] = {"task": "proj.tasks.purge", "schedule": 60}
                return schedule
        """,
        "proj/settings.py": """
            from proj.schedules import build, fixed

            CELERY_BEAT_SCHEDULE = build()
            CELERYBEAT_SCHEDULE = fixed()
        """,
    }
    found = of_kind(recognized_jobs(files, heuristics), "celery-periodic")
    assert {name: (job.task, job.handler) for name, job in found.items()} == {
        # Why: `schedule[task["name"]] = {...}` in a loop over literal data gives one entry per element.
        "Optimize the index": ("proj.tasks.index", "proj.tasks:index"),
        "Purge": ("proj.tasks.purge", "proj.tasks:purge"),
        # Why: a helper that returns a dict literal.
        "hourly": ("proj.tasks.purge", "proj.tasks:purge"),
        # Why (negative): keys read from the environment do not fold; `unused` builds a schedule no
        # setting is given.
    }


def test_the_evaluator_folds_items_of_dict_literals() -> None:
    from migrate_scan.stages.recognize.evaluation import Evaluator

    graphs = link(
        facts_of(
            {
                "proj/paths.py": """
                    import os
                    PATHS = {"api": "/api/", "admin": "/admin/"}
                    API = PATHS["api"]
                    INLINE = {"k": "v" + "1"}["k"]
                    MISSING = PATHS["other"]
                    DYNAMIC = os.environ["X"]
                """
            }
        )
    )
    evaluator = Evaluator(graphs)
    values = {a.targets[0][1]: a.value for a in graphs.modules["proj.paths"].assignments if a.value is not None}
    folded = {name: evaluator.string("proj.paths", values[name]) for name in ("API", "INLINE", "MISSING", "DYNAMIC")}
    # Why: a key of a dict literal, directly or through the variable bound to it; (negative) a key the
    # dict lacks and a mapping that is no literal fold to nothing.
    assert folded == {"API": "/api/", "INLINE": "v1", "MISSING": None, "DYNAMIC": None}


def test_commands_added_to_a_packages_flask_cli_group(heuristics: Heuristics) -> None:
    files = {
        "proj/__init__.py": "",
        "proj/manage.py": """
            import click
            from flask.cli import FlaskGroup
            from flask_migrate.cli import db
            from other_package.cli import tools

            @click.group(cls=FlaskGroup)
            def cli():
                pass

            @db.command("create", help="Create all tables")
            def create():
                pass

            @db.command()
            def drop_all():
                pass

            @tools.command()
            def unknown():
                pass
        """,
    }
    found = recognized_jobs(files, heuristics)
    commands = {j.name: j.handler for j in found.jobs if j.kind in ("click-command", "flask-command")}
    # Why: Flask-Migrate's `db` group is served on the Flask CLI as `db`; (negative) a group of a package
    # the knowledge table does not name is not taken for one.
    assert commands == {"db create": "proj.manage:create", "db drop-all": "proj.manage:drop_all"}


def test_subclasses_of_the_user_model_and_of_package_models_are_models(heuristics: Heuristics) -> None:
    files = {
        "dojo/__init__.py": "",
        "dojo/models.py": """
            from django.contrib.auth import get_user_model
            from django_celery_beat import models as beat_models

            User = get_user_model()

            class StaffUser(User):
                class Meta:
                    proxy = True

            class CustomPeriodicTask(beat_models.PeriodicTask):
                pass

            def get_profile_model():
                return None

            class NotAModel(object):
                pass
        """,
    }
    found = recognized_models(files, heuristics)
    # Why: `get_user_model()` returns the user model class; a package's model class is a model base.
    assert set(found) == {"dojo.models:StaffUser", "dojo.models:CustomPeriodicTask"}
    assert found["dojo.models:StaffUser"].proxy


def test_a_test_package_is_judged_from_the_tree_by_every_recognizer(heuristics: Heuristics) -> None:
    model = "from django.db import models\n\nclass {name}(models.Model):\n    pass\n"
    files = {
        "shop/__init__.py": "",
        "shop/test/__init__.py": "",
        "shop/test/models.py": model.format(name="Fixture"),
        "shop/test/test_views.py": "def test_index():\n    pass\n",
        "dojo/__init__.py": "",
        "dojo/test/__init__.py": "",
        "dojo/test/models.py": model.format(name="Test"),
    }
    # Why: `shop.test` holds test files (test code); DefectDojo's `dojo.test` is a feature named so.
    assert set(recognized_models(files, heuristics)) == {"dojo.test.models:Test"}
