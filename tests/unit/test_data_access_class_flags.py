"""Data access: a base view's method run for one routed class skips the branches that class's flags turn off.

A small Flask app whose views share a base `MethodView`: its `get` checks a feature only when the routed
class names one (`FEATURE = None` in the base, a string in one subclass), and writes an access log unless
a flag some instance sets (so no class decides it) says otherwise.
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
        db = SQLAlchemy()

        class Feature(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            name = db.Column(db.String)

        class Note(db.Model):
            id = db.Column(db.Integer, primary_key=True)

        class AccessLog(db.Model):
            id = db.Column(db.Integer, primary_key=True)
    """,
    "app/views.py": """
        from flask import Flask
        from flask.views import MethodView
        from app.models import AccessLog, Feature, Note, db

        app = Flask(__name__)

        class BaseView(MethodView):
            FEATURE = None
            QUIET = False

            def get(self):
                if self.FEATURE is not None:
                    self.check_feature()
                if not self.QUIET:
                    self.log_access()
                return self.render()

            def check_feature(self):
                return Feature.query.filter_by(name=self.FEATURE).first()

            def log_access(self):
                db.session.add(AccessLog())
                db.session.commit()

            def render(self):
                return ""

        class NotesView(BaseView):
            def render(self):
                return str(Note.query.all())

        class FeaturedNotesView(NotesView):
            FEATURE = "notes"

        class QuietView(BaseView):
            QUIET = True

            def __init__(self, quiet=True):
                self.QUIET = quiet

        app.add_url_rule("/notes", view_func=NotesView.as_view("notes"))
        app.add_url_rule("/featured", view_func=FeaturedNotesView.as_view("featured"))
        app.add_url_rule("/quiet", view_func=QuietView.as_view("quiet"))
    """,
}

FEATURE, NOTE, LOG = (f"app.models:{name}" for name in ("Feature", "Note", "AccessLog"))


def routes_of(files: dict[str, str]) -> dict[str, tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: (route.reads, route.writes) for route in found.routes}


def test_a_branch_the_routed_classs_flag_turns_off_is_not_reached() -> None:
    routes = routes_of(APP)
    # Why: NotesView inherits `FEATURE = None`: `if self.FEATURE is not None:` is false, no feature is read.
    assert routes["/notes"] == ([NOTE], [LOG])


def test_a_branch_the_routed_classs_flag_turns_on_is_reached() -> None:
    # Why: FeaturedNotesView sets FEATURE: the check runs and reads the features.
    assert routes_of(APP)["/featured"] == ([FEATURE, NOTE], [LOG])


def test_a_flag_an_instance_sets_decides_nothing() -> None:
    # Why: QUIET is also assigned on instances (`self.QUIET = quiet`): the class literal does not decide it.
    assert routes_of(APP)["/quiet"] == ([], [LOG])
