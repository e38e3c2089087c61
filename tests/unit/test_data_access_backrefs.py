"""Data access: a loaded row a new row is attached to through a two-way relationship is updated by a
`before_update` listener that changes its row (a timestamp mixin), once the session is committed.

A small Flask-SQLAlchemy app whose models share a mixin with a `before_update` listener setting
`updated_at`; snippets belong to an organization through a relationship with a backref, notes to a
user through one without.
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

APP = {
    "app/__init__.py": "",
    "app/models.py": """
        from flask_sqlalchemy import SQLAlchemy
        from sqlalchemy.event import listens_for

        db = SQLAlchemy()

        class TimestampMixin:
            updated_at = db.Column(db.DateTime)

        @listens_for(TimestampMixin, "before_update", propagate=True)
        def timestamp_before_update(mapper, connection, target):
            target.updated_at = db.func.now()

        class Organization(TimestampMixin, db.Model):
            id = db.Column(db.Integer, primary_key=True)

        class User(TimestampMixin, db.Model):
            id = db.Column(db.Integer, primary_key=True)

        class Snippet(TimestampMixin, db.Model):
            id = db.Column(db.Integer, primary_key=True)
            org_id = db.Column(db.Integer, db.ForeignKey("organization.id"))
            org = db.relationship(Organization, backref="snippets")
            user_id = db.Column(db.Integer, db.ForeignKey("user.id"))
            user = db.relationship(User)
    """,
    "app/views.py": """
        from flask import Flask
        from app.models import Organization, Snippet, User, db

        app = Flask(__name__)

        @app.route("/snippets", methods=["POST"])
        def create_snippet():
            org = Organization.query.get(1)
            snippet = Snippet(org=org, user=User.query.get(1))
            db.session.add(snippet)
            db.session.commit()
            return ""

        @app.route("/move", methods=["POST"])
        def move_snippet():
            snippet = Snippet.query.get(1)
            snippet.org = Organization.query.get(2)
            db.session.commit()
            return ""

        @app.route("/draft", methods=["POST"])
        def draft_snippet():
            snippet = Snippet(org=Organization.query.get(1))
            return str(snippet)
    """,
}

ORG, USER, SNIPPET = (f"app.models:{name}" for name in ("Organization", "User", "Snippet"))


def routes_of(files: dict[str, str]) -> dict[str, tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: (route.reads, route.writes) for route in found.routes}


def test_a_row_attached_through_a_backref_is_updated_by_its_listener() -> None:
    routes = routes_of(APP)
    # Why: the organization's `snippets` collection changes, its `before_update` listener sets updated_at;
    # `user` has no backref: the user is not flushed, not written.
    assert routes["/snippets"] == ([ORG, USER], [ORG, SNIPPET])
    # Why: assigning the relationship on a loaded snippet attaches it to the new organization too.
    assert routes["/move"] == ([ORG, SNIPPET], [ORG, SNIPPET])


def test_nothing_is_written_without_a_commit() -> None:
    # Why: the snippet is never added nor committed: no flush, no update.
    assert routes_of(APP)["/draft"] == ([ORG], [])


def test_a_listener_that_changes_no_row_writes_nothing() -> None:
    files = dict(APP)
    files["app/models.py"] = APP["app/models.py"].replace("target.updated_at = db.func.now()", "print(target)")
    assert files["app/models.py"] != APP["app/models.py"]
    # Why: the organization is flushed but nothing changed on it: no UPDATE.
    assert routes_of(files)["/snippets"] == ([ORG, USER], [SNIPPET])
