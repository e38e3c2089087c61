"""Rows handed along in tuples, kept on `self` by a request handler, and loaded through the app's session class.

- `session.user` is `get_request_user()[0]`, a helper unpacking `user, source = ...` from others,
  one of them returning its own parameters, another calling a method of the app's session class;
- a handler class loads `self.event` in `_process_args` and calls `self.event.can_manage(...)` (a method
  a decorator of ours wraps) in a mixin's `_check_access`.

Each route is checked for the exact models it reads and writes.
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

PORTAL = {
    "portal/__init__.py": """
        from flask import Flask
        from flask_sqlalchemy import SQLAlchemy
        from portal.sessions import PortalSessionInterface

        db = SQLAlchemy()

        class PortalFlask(Flask):
            session_interface = PortalSessionInterface()
    """,
    "portal/caching.py": """
        from functools import wraps

        def memoize_request(f):
            @wraps(f)
            def memoizer(*args, **kwargs):
                return f(*args, **kwargs)
            return memoizer
    """,
    "portal/models.py": """
        from portal import db
        from portal.caching import memoize_request

        class Protected:
            @memoize_request
            def can_manage(self, user):
                from portal.models import EventPrincipal
                return EventPrincipal.query.filter_by(event_id=self.id, user_id=user.id).count() > 0

        class User(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            name = db.Column(db.String(64))
            favorites = db.relationship("Favorite", backref="user", lazy="dynamic")

            @classmethod
            def get(cls, oid):
                return cls.query.get(oid)

        class Favorite(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            user_id = db.Column(db.Integer, db.ForeignKey("user.id"))

        class Event(Protected, db.Model):
            id = db.Column(db.Integer, primary_key=True)
            title = db.Column(db.String(64))
            acl_entries = db.relationship("EventPrincipal", backref="event")

            @classmethod
            def get(cls, oid):
                return cls.query.get(oid)

        class EventPrincipal(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            event_id = db.Column(db.Integer, db.ForeignKey("event.id"))
            user_id = db.Column(db.Integer)

        class Counter(db.Model):
            id = db.Column(db.Integer, primary_key=True)
    """,
    "portal/sessions.py": """
        from flask import g
        from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
        from portal.caching import memoize_request

        def _lookup_request_user():
            from flask import session
            token_user = None
            session_user = session.get_session_user()
            if token_user:
                return token_user, "token"
            elif session_user:
                return session_user, "session"
            return None, None

        def _check_request_user(user, source):
            if not user:
                return None, None
            return user, source

        @memoize_request
        def get_request_user():
            if g.get("failed"):
                return None, None
            user, source = _lookup_request_user()
            user, source = _check_request_user(user, source)
            return user, source

        def request_source():
            return get_request_user()[1]

        class PortalSession(SecureCookieSession):
            @property
            def user(self):
                return get_request_user()[0]

            def get_session_user(self):
                from portal.models import User
                uid = self.get("uid")
                return User.get(uid) if uid is not None else None

        class PortalSessionInterface(SecureCookieSessionInterface):
            session_class = PortalSession
    """,
    "portal/handlers.py": """
        from flask import request, session
        from flask.views import MethodView
        from portal import db
        from portal.models import Event

        class RH(MethodView):
            def get(self):
                return self.process()

            def post(self):
                return self.process()

            def _process_args(self):
                pass

            def _check_access(self):
                pass

            def process(self):
                self._process_args()
                self._check_access()
                return self._process()

        class ManageEventMixin:
            def _check_access(self):
                if not self.event.can_manage(session.user):
                    raise PermissionError

        class RHEventBase(RH):
            def _process_args(self):
                self.event = Event.get(request.view_args["event_id"])
                self.count = 3

        class RHManageEvent(RHEventBase, ManageEventMixin):
            def _check_access(self):
                ManageEventMixin._check_access(self)

        class RHRenameEvent(RHManageEvent):
            def _process(self):
                self.event.title = request.form["title"]
                db.session.commit()
                return "ok"

        class RHCounter(RH):
            def _process_args(self):
                self.counter = len(request.args)

            def _process(self):
                return str(self.counter.bit_length())

    """,
    "portal/views.py": """
        from flask import Blueprint, session
        from portal import db
        from portal.handlers import RHCounter, RHRenameEvent
        from portal.sessions import request_source

        bp = Blueprint("portal", __name__)
        bp.add_url_rule("/events/<int:event_id>/rename", view_func=RHRenameEvent.as_view("rename_event"))
        bp.add_url_rule("/counter", view_func=RHCounter.as_view("counter"))

        @bp.route("/favorites")
        def favorites():
            return str(session.user.favorites.count())

        @bp.route("/rename", methods=["POST"])
        def rename():
            session.user.name = "new"
            db.session.commit()
            return "ok"

        @bp.route("/source")
        def source():
            return str(request_source())
    """,
}
USER, FAVORITE = "portal.models:User", "portal.models:Favorite"
EVENT, PRINCIPAL = "portal.models:Event", "portal.models:EventPrincipal"


def routes_of(files: dict[str, str]) -> dict[str, tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: (route.reads, route.writes) for route in found.routes}


def test_the_session_user_is_the_row_unpacked_from_the_helpers_tuples() -> None:
    routes = routes_of(PORTAL)
    # Why: `session.user` is element 0 of what `get_request_user` returns: the `user` it unpacks from
    # `_check_request_user` (its own parameter, passed the `user` unpacked from `_lookup_request_user`), which
    # is `session.get_session_user()`, a method of the app's session class returning `User.get(uid)`.
    assert routes["/favorites"] == ([FAVORITE, USER], [])
    assert routes["/rename"] == ([USER], [USER])


def test_the_other_element_of_the_pair_is_no_row() -> None:
    routes = routes_of(PORTAL)
    # Why: element 1 is a string: the helpers still run (they read the user), but nothing is read on it.
    assert routes["/source"] == ([USER], [])


def test_a_row_kept_on_self_by_one_method_is_used_by_the_others() -> None:
    routes = routes_of(PORTAL)
    # Why: `self.event` is the Event `_process_args` loads; the mixin's `_check_access` calls `can_manage`
    # on it (wrapped by `memoize_request`), which iterates its `acl_entries`; `_process` sets its title.
    reads, writes = routes["/events/{event_id}/rename"]
    assert {EVENT, PRINCIPAL, USER} <= set(reads)
    assert writes == [EVENT]


def test_an_attribute_kept_on_self_that_is_no_row_is_nothing() -> None:
    routes = routes_of(PORTAL)
    # Why: `self.counter` is a number: reading it touches no table.
    assert routes["/counter"] == ([], [])
