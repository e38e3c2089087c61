"""A shared helper handing its parameter to a session write (`db.session.delete(model)`) writes, for each call,
the model of the row that caller passes, even when that row came from a query the link stage cannot type.
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

VAULT = {
    "vault/__init__.py": """
        from flask import Flask
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
        app = Flask(__name__)
    """,
    "vault/models.py": """
        from vault import db

        class Role(db.Model):
            id = db.Column(db.Integer, primary_key=True)

        class Source(db.Model):
            id = db.Column(db.Integer, primary_key=True)
    """,
    "vault/database.py": """
        from vault import db

        def session_query(model):
            return db.session.query(model)

        def get(model, value):
            return session_query(model).filter(model.id == value).scalar()

        def delete(model):
            if model:
                db.session.delete(model)
                db.session.commit()

        def forget(cache, model):
            cache.delete(model)
    """,
    "vault/views.py": """
        from vault import app, database
        from vault.models import Role, Source

        CACHE = {}

        @app.route("/roles/<int:role_id>", methods=["DELETE"])
        def delete_role(role_id):
            role = database.get(Role, role_id)
            database.delete(role)
            return "ok"

        @app.route("/sources/<int:source_id>", methods=["DELETE"])
        def delete_source(source_id):
            source = database.get(Source, source_id)
            database.delete(source)
            return "ok"

        @app.route("/sources/<int:source_id>/forget", methods=["POST"])
        def forget_source(source_id):
            source = database.get(Source, source_id)
            database.forget(CACHE, source)
            return "ok"
    """,
}
ROLE, SOURCE = "vault.models:Role", "vault.models:Source"


def routes_of(files: dict[str, str]) -> dict[str, tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: (route.reads, route.writes) for route in found.routes}


def test_a_helper_deleting_its_parameter_deletes_each_callers_row() -> None:
    routes = routes_of(VAULT)
    # Why: `database.delete(role)` hands a Role (what `database.get(Role, ...)` returns) to `db.session.delete`;
    # the other caller's Source is not this route's.
    assert routes["/roles/{role_id}"] == ([ROLE], [ROLE])
    assert routes["/sources/{source_id}"] == ([SOURCE], [SOURCE])


def test_a_parameter_handed_to_no_session_is_no_write() -> None:
    # Why: `cache.delete(model)` is a dict's, not a session's: nothing is written.
    assert routes_of(VAULT)["/sources/{source_id}/forget"] == ([SOURCE], [])


BOARDS = {
    "boards/__init__.py": """
        from flask import Flask
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
        app = Flask(__name__)
    """,
    "boards/mixins.py": """
        class BelongsToOrgMixin:
            @classmethod
            def get_by_id_and_org(cls, object_id, org, org_cls=None):
                query = cls.query.filter(cls.id == object_id)
                if org_cls is None:
                    query = query.filter(cls.org == org)
                else:
                    query = query.join(org_cls).filter(org_cls.org == org)
                return query.one()
    """,
    "boards/models.py": """
        from boards import db
        from boards.mixins import BelongsToOrgMixin

        class Query(BelongsToOrgMixin, db.Model):
            id = db.Column(db.Integer, primary_key=True)
            org = db.Column(db.String(16))

        class Alert(BelongsToOrgMixin, db.Model):
            id = db.Column(db.Integer, primary_key=True)
            query_id = db.Column(db.Integer, db.ForeignKey("query.id"))

            @classmethod
            def get_by_id_and_org(cls, object_id, org):
                return super(Alert, cls).get_by_id_and_org(object_id, org, Query)

        class Dashboard(BelongsToOrgMixin, db.Model):
            id = db.Column(db.Integer, primary_key=True)
            org = db.Column(db.String(16))
    """,
    "boards/views.py": """
        from boards import app
        from boards.models import Alert, Dashboard, Query
        from boards.helpers import get_object_or_404

        @app.route("/alerts/<int:alert_id>")
        def alert(alert_id):
            return str(get_object_or_404(Alert.get_by_id_and_org, alert_id, "org").id)

        @app.route("/queries/<int:query_id>")
        def query(query_id):
            return str(get_object_or_404(Query.get_by_id_and_org, query_id, "org").id)

        @app.route("/dashboards/<int:dashboard_id>")
        def dashboard(dashboard_id):
            return str(get_object_or_404(Dashboard.get_by_id_and_org, dashboard_id, "org").id)

        @app.route("/dashboards/<int:dashboard_id>/direct")
        def dashboard_direct(dashboard_id):
            return str(Dashboard.get_by_id_and_org(dashboard_id, "org").id)
    """,
    "boards/helpers.py": """
        def get_object_or_404(fn, *args, **kwargs):
            rv = fn(*args, **kwargs)
            if rv is None:
                raise LookupError
            return rv
    """,
}
ALERT, QUERY = "boards.models:Alert", "boards.models:Query"


def test_a_classmethod_calling_its_super_passes_its_own_class() -> None:
    routes = routes_of(BOARDS)
    # Why: `super(Alert, cls).get_by_id_and_org(...)` runs the mixin's method with `cls` the caller's own class
    # (Alert), joined with the Query it passes, not the mixin's every model (Dashboard, called on elsewhere);
    # the mixin called on Query reads Query only.
    assert routes["/alerts/{alert_id}"] == ([ALERT, QUERY], [])
    assert routes["/queries/{query_id}"] == ([QUERY], [])
    assert ALERT not in routes["/dashboards/{dashboard_id}/direct"][0]
