"""Data access: a view a factory of ours made serves the classes that factory call was given.

A small Flask app whose blueprint registers `_dispatch(EventPage, CategoryPage)` (a memoised factory
returning a closure that calls `make_view_func` of each class) for two routes, and another route whose
view is `make_view_func(AttachmentsPage)`: each route reaches the pages its own factory call names,
not every page some call of `make_view_func` was given.
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

        class Event(db.Model):
            id = db.Column(db.Integer, primary_key=True)

        class Category(db.Model):
            id = db.Column(db.Integer, primary_key=True)

        class Template(db.Model):
            id = db.Column(db.Integer, primary_key=True)

        class Attachment(db.Model):
            id = db.Column(db.Integer, primary_key=True)
    """,
    "app/rh.py": """
        from flask import request

        class RH:
            def process(self):
                self._process_args()
                return self._process()

            def _process_args(self):
                pass

            def _process(self):
                raise NotImplementedError


        def make_view_func(obj):
            if isinstance(obj, type):
                def wrapper(**kwargs):
                    return obj().process()
                return wrapper
            return obj


        def memoize(f):
            cache = {}
            def memoizer(*args):
                if args not in cache:
                    cache[args] = f(*args)
                return cache[args]
            return memoizer
    """,
    "app/controllers.py": """
        from app.models import Attachment, Category, Event, Template, db
        from app.rh import RH

        class RHEventTemplates(RH):
            def _process_args(self):
                self.event = Event.query.get(1)

            def _process(self):
                return Template.query.all()

        class RHCategoryTemplates(RH):
            def _process_args(self):
                self.category = Category.query.get(1)

            def _process(self):
                return Template.query.all()

        class RHAttachments(RH):
            def _process(self):
                db.session.add(Attachment())
                db.session.commit()
    """,
    "app/blueprint.py": """
        from flask import Blueprint
        from app import controllers
        from app.rh import make_view_func, memoize

        bp = Blueprint("x", __name__)

        @memoize
        def _dispatch(event_rh, category_rh):
            event_view = make_view_func(event_rh)
            categ_view = make_view_func(category_rh)

            def view_func(**kwargs):
                return categ_view(**kwargs) if kwargs["object_type"] == "category" else event_view(**kwargs)

            return view_func

        _page = _dispatch(controllers.RHEventTemplates, controllers.RHCategoryTemplates)

        for object_type in ("event", "category"):
            defaults = {"object_type": object_type}
            bp.add_url_rule(f"/{object_type}/<int:id>/templates", "templates", _page, defaults=defaults)
        bp.add_url_rule("/attachments", "attachments", make_view_func(controllers.RHAttachments))
    """,
    "app/factory.py": """
        from flask import Flask
        from app.blueprint import bp
        app = Flask(__name__)
        app.register_blueprint(bp)
    """,
}


EVENT, CATEGORY, TEMPLATE, ATTACHMENT = (
    f"app.models:{name}" for name in ("Event", "Category", "Template", "Attachment")
)


def routes_of(files: dict[str, str]) -> dict[tuple[str, str], tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {(route.path, route.handler): (route.reads, route.writes) for route in found.routes}


def test_a_factory_made_view_serves_the_classes_its_call_was_given() -> None:
    routes = routes_of(APP)
    # Why: the closure calls the views made of RHEventTemplates and RHCategoryTemplates only; before, it
    # reached every class any call of make_view_func was given (RHAttachments writes attachments).
    for path in ("/event/{id}/templates", "/category/{id}/templates"):
        assert routes[(path, "app.blueprint:_dispatch.view_func")] == ([CATEGORY, EVENT, TEMPLATE], [])


def test_a_factory_called_with_one_class_serves_that_class_only() -> None:
    # Why: `make_view_func(RHAttachments)`'s wrapper runs RHAttachments().process(), which reads no template.
    assert routes_of(APP)[("/attachments", "app.rh:make_view_func.wrapper")] == ([], [ATTACHMENT])


def test_a_closure_not_made_from_classes_of_ours_keeps_its_own_reach() -> None:
    files = dict(APP)
    files["app/blueprint.py"] = """
        from flask import Blueprint
        from app.models import Template

        bp = Blueprint("x", __name__)

        def counted(label):
            def view():
                return str(Template.query.count()) + label
            return view

        bp.add_url_rule("/count", "count", counted("templates"))
    """
    # Why: the factory was given a string: the closure's own query is all it does.
    assert routes_of(files)[("/count", "app.blueprint:counted.view")] == ([TEMPLATE], [])
