"""Data access: a helper's parameter is a row of what its callers pass, for the attributes it sets on it.

A small Flask-SQLAlchemy app whose views load a certificate and hand it to service helpers that set its
fields (and its roles, a relationship stored in an association table) and commit.
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

        roles_certificates = db.Table(
            "roles_certificates",
            db.Column("certificate_id", db.Integer, db.ForeignKey("certificates.id")),
            db.Column("role_id", db.Integer, db.ForeignKey("roles.id")),
        )

        class Role(db.Model):
            __tablename__ = "roles"
            id = db.Column(db.Integer, primary_key=True)

        class Certificate(db.Model):
            __tablename__ = "certificates"
            id = db.Column(db.Integer, primary_key=True)
            notify = db.Column(db.Boolean)
            roles = db.relationship(Role, secondary=roles_certificates)
    """,
    "app/database.py": """
        from app.models import db

        def get(model, value):
            return db.session.query(model).filter_by(id=value).scalar()

        def update(model):
            db.session.add(model)
            db.session.commit()
            return model
    """,
    "app/service.py": """
        from app import database
        from app.models import Certificate

        def get(cert_id):
            return database.get(Certificate, cert_id)

        def update_switches(cert, notify_flag=None):
            if notify_flag is not None:
                cert.notify = notify_flag
            return database.update(cert)

        def update_roles(cert, roles):
            cert.roles = roles
            return database.update(cert)

        def describe(cert, label):
            label.text = str(cert)
            return label
    """,
    "app/views.py": """
        from flask import Flask
        from app import service

        app = Flask(__name__)

        @app.route("/certs/<int:cert_id>/switches", methods=["POST"])
        def switches(cert_id):
            cert = service.get(cert_id)
            cert = service.update_switches(cert, notify_flag=True)
            return str(cert.id)

        @app.route("/certs/<int:cert_id>/roles", methods=["POST"])
        def roles(cert_id):
            cert = service.get(cert_id)
            service.update_roles(cert, [])
            return ""

        @app.route("/certs/<int:cert_id>/label")
        def label(cert_id):
            cert = service.get(cert_id)
            return str(service.describe(cert, object()))
    """,
}

CERT = "app.models:Certificate"


def routes_of(files: dict[str, str]) -> dict[str, tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: (route.reads, route.writes) for route in found.routes}


def test_an_attribute_a_helper_sets_on_a_passed_row_is_written() -> None:
    routes = routes_of(APP)
    # Why: the view passes the certificate `service.get` loaded; the helper sets a field and commits.
    assert CERT in routes["/certs/{cert_id}/switches"][1]


def test_a_relationship_assigned_on_a_passed_row_rewrites_its_association_table() -> None:
    # Why: `cert.roles = roles` replaces the certificate's rows of roles_certificates.
    writes = routes_of(APP)["/certs/{cert_id}/roles"][1]
    assert "table:roles_certificates" in writes
    assert CERT in writes


def test_a_parameter_given_no_row_writes_nothing() -> None:
    # Why: `label` is given `object()`, not a row; nothing is committed either.
    assert routes_of(APP)["/certs/{cert_id}/label"][1] == []
