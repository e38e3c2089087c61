"""Data models and data access: relations a SQLAlchemy declarative mixin declares with `@declared_attr`.

A small Flask-SQLAlchemy app whose principal model inherits its `user` and `local_group` relationships
(joined with every query: `lazy=False`) and its foreign-key columns from a mixin's `@declared_attr`
methods, one of them returning nothing when a class flag says so; and a plain column in another mixin.
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.model.inventory import Recognition
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

APP = {
    "app/__init__.py": "",
    "app/db.py": """
        from flask_sqlalchemy import SQLAlchemy
        db = SQLAlchemy()
    """,
    "app/principals.py": """
        from sqlalchemy.ext.declarative import declared_attr
        from app.db import db

        class PrincipalMixin:
            allow_groups = True

            @declared_attr
            def user_id(cls):
                return db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

            @declared_attr
            def user(cls):
                return db.relationship("User", lazy=False)

            @declared_attr
            def local_group(cls):
                if not cls.allow_groups:
                    return
                return db.relationship("Group", lazy=False)

            @declared_attr
            def label(cls):
                return db.Column(db.String)

        class EventLinkMixin:
            event_id = db.Column(db.Integer, db.ForeignKey("events.id"))

            @declared_attr
            def event(cls):
                return db.relationship("Event", lazy=True)
    """,
    "app/models.py": """
        from app.db import db
        from app.principals import EventLinkMixin, PrincipalMixin

        class User(db.Model):
            __tablename__ = "users"
            id = db.Column(db.Integer, primary_key=True)

        class Group(db.Model):
            __tablename__ = "groups"
            id = db.Column(db.Integer, primary_key=True)

        class Event(db.Model):
            __tablename__ = "events"
            id = db.Column(db.Integer, primary_key=True)

        class EventPrincipal(PrincipalMixin, EventLinkMixin, db.Model):
            __tablename__ = "principals"
            id = db.Column(db.Integer, primary_key=True)

        class Note(EventLinkMixin, db.Model):
            __tablename__ = "notes"
            id = db.Column(db.Integer, primary_key=True)
            text = db.Column(db.String)
    """,
    "app/views.py": """
        from flask import Flask
        from app.models import EventPrincipal, Note

        app = Flask(__name__)

        @app.route("/acl")
        def acl():
            return str(EventPrincipal.query.all())

        @app.route("/notes")
        def notes():
            return str([n.event.id for n in Note.query.all()])
    """,
}


USER, GROUP, EVENT, PRINCIPAL, NOTE = (
    f"app.models:{name}" for name in ("User", "Group", "Event", "EventPrincipal", "Note")
)


def scan(files: dict[str, str]) -> Recognition:
    return recognize(link(facts_of(files)), load_heuristics())


def relations(found: Recognition, symbol: str) -> list[tuple[str | None, str, str]]:
    model = next(m for m in found.models if m.symbol == symbol)
    return [(r.field, r.kind, r.target) for r in model.relations]


def test_a_mixins_declared_attr_relationships_are_the_models_relations() -> None:
    found = scan(APP)
    # Why: each model inheriting the mixin gets the relationship and the column its methods return;
    # `label` returns a column without a foreign key: no relation.
    assert relations(found, PRINCIPAL) == [
        ("event", "relationship", EVENT),
        ("event_id", "foreign-key", EVENT),
        ("local_group", "relationship", GROUP),
        ("user", "relationship", USER),
        ("user_id", "foreign-key", USER),
    ]
    # Why: a mixin's plain foreign-key column and its declared relationship; not PrincipalMixin's.
    assert relations(found, NOTE) == [("event", "relationship", EVENT), ("event_id", "foreign-key", EVENT)]


def test_a_joined_declared_relationship_is_read_with_every_query_of_the_model() -> None:
    routes = {route.path: (route.reads, route.writes) for route in scan(APP).routes}
    # Why: `lazy=False` on what the methods return: the query joins users and groups.
    assert routes["/acl"] == ([PRINCIPAL, GROUP, USER], [])
    # Why: `event` is loaded lazily (`lazy=True`): querying notes joins nothing.
    assert routes["/notes"][0][:1] == [NOTE]
    assert GROUP not in routes["/notes"][0] and USER not in routes["/notes"][0]


def test_a_declared_attr_a_class_flag_turns_off_declares_nothing() -> None:
    files = dict(APP)
    files["app/models.py"] = APP["app/models.py"].replace(
        '__tablename__ = "principals"', '__tablename__ = "principals"\n            allow_groups = False'
    )
    assert files["app/models.py"] != APP["app/models.py"]
    found = scan(files)
    # Why: `if not cls.allow_groups: return` leaves the method before its relationship for this model.
    assert ("local_group", "relationship", GROUP) not in relations(found, PRINCIPAL)
    routes = {route.path: route.reads for route in found.routes}
    assert routes["/acl"] == [PRINCIPAL, USER]


def test_a_plain_method_returning_a_relationship_is_no_field() -> None:
    files = dict(APP)
    files["app/principals.py"] = APP["app/principals.py"].replace(
        "@declared_attr\n            def user(cls)", "def user(cls)"
    )
    assert files["app/principals.py"] != APP["app/principals.py"]
    # Why: without `@declared_attr` the method is no mapped attribute: no `user` relation, nothing joined.
    found = scan(files)
    assert "user" not in {field for field, _, _ in relations(found, PRINCIPAL)}
