"""Request-scoped objects the app's own code sets: Flask's `g`, a `LocalProxy` over a loader, the app's own
session class, a view class's property, and Django's `request.<name>` set by the app's middleware.

Each route is checked for the exact models it reads and writes through them.
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

TEAMS = {
    "teams/__init__.py": """
        from flask import Flask
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
    """,
    "teams/models.py": """
        from teams import db

        class Organization(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            slug = db.Column(db.String(32))
            name = db.Column(db.String(64))
            groups = db.relationship("Group", backref="org", lazy="dynamic")

            @classmethod
            def get_by_slug(cls, slug):
                return cls.query.filter(cls.slug == slug).first()

        class Group(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            org_id = db.Column(db.Integer, db.ForeignKey("organization.id"))

        class Member(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            name = db.Column(db.String(64))
            notes = db.relationship("Note", backref="member", lazy="dynamic")

        class Note(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            member_id = db.Column(db.Integer, db.ForeignKey("member.id"))
    """,
    "teams/context.py": """
        import time
        from flask import g, request
        from werkzeug.local import LocalProxy
        from teams.models import Member, Organization

        def _get_current_org():
            if "org" in g:
                return g.org
            g.org = Organization.get_by_slug(request.view_args["slug"])
            return g.org

        def _get_locale():
            return request.accept_languages.best

        current_org = LocalProxy(_get_current_org)
        current_locale = LocalProxy(_get_locale)

        def load_member():
            member = Member.query.get(request.headers["X-Member"])
            g.member = member
            g.started = time.time()
    """,
    "teams/views.py": """
        from flask import Blueprint, g
        from flask.views import MethodView
        from teams import db
        from teams.context import current_locale, current_org, load_member

        bp = Blueprint("teams", __name__)
        bp.before_request(load_member)

        @bp.route("/<slug>/name")
        def org_name(slug):
            return current_org.name

        @bp.route("/<slug>/groups")
        def org_groups(slug):
            return str(current_org.groups.count())

        @bp.route("/<slug>/rename", methods=["POST"])
        def rename_org(slug):
            current_org.name = "renamed"
            db.session.commit()
            return "ok"

        @bp.route("/locale")
        def locale():
            return current_locale.language

        @bp.route("/notes")
        def notes():
            return str(g.member.notes.count())

        @bp.route("/me", methods=["POST"])
        def rename_me():
            g.member.name = "me"
            db.session.commit()
            return "ok"

        @bp.route("/elapsed")
        def elapsed():
            return str(g.started.real)

        class BaseResource(MethodView):
            @property
            def current_org(self):
                return current_org._get_current_object()

        class OrgGroups(BaseResource):
            def get(self, slug):
                return str(self.current_org.groups.count())

        bp.add_url_rule("/<slug>/api/groups", view_func=OrgGroups.as_view("org_groups_api"))
    """,
}
ORG, GROUP, MEMBER, NOTE = "teams.models:Organization", "teams.models:Group", "teams.models:Member", "teams.models:Note"


def routes_of(files: dict[str, str]) -> dict[str, tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: (route.reads, route.writes) for route in found.routes}


def test_a_local_proxy_is_what_its_function_returns() -> None:
    routes = routes_of(TEAMS)
    # Why: the proxy is an Organization: its `groups` relationship reads Group. The loader itself is left
    # to the request machinery that runs it first (it keeps the row in `g`): reading a field reads nothing.
    assert routes["/{slug}/groups"] == ([GROUP], [])
    assert routes["/{slug}/name"] == ([], [])
    # Why: a field set on the proxied row is written when the session is committed.
    assert routes["/{slug}/rename"] == ([], [ORG])
    # Why: a view class's property returning the proxy (unwrapped) is the same row.
    assert routes["/{slug}/api/groups"] == ([GROUP], [])


def test_a_proxy_of_no_model_is_nothing() -> None:
    # Why: `_get_locale` returns no row: what is read on it is no relation of a model.
    assert routes_of(TEAMS)["/locale"] == ([], [])


def test_flask_g_attributes_are_what_the_app_assigns() -> None:
    routes = routes_of(TEAMS)
    # Why: `g.member` is the Member `load_member` assigns: its `notes` relationship reads Note.
    assert NOTE in routes["/notes"][0]
    assert MEMBER in routes_of(TEAMS)["/me"][1]
    # Why: `g.started` is a number: reading it touches no table.
    assert routes["/elapsed"] == ([], [])


def test_without_the_proxy_class_nothing_is_known() -> None:
    project = dict(TEAMS)
    project["teams/context.py"] = TEAMS["teams/context.py"].replace(
        "from werkzeug.local import LocalProxy", "from teams.lazy import LocalProxy"
    )
    project["teams/lazy.py"] = """
        class LocalProxy:
            def __init__(self, fn):
                self.fn = fn
    """
    routes = routes_of(project)
    # Why: a class of the app's own named like werkzeug's is not known to stand for what its argument returns.
    assert routes["/{slug}/groups"] == ([], [])
    assert routes["/{slug}/rename"] == ([], [])


SESSIONS = {
    "portal/__init__.py": """
        from flask import Flask
        from flask_sqlalchemy import SQLAlchemy
        from portal.sessions import PortalSessionInterface

        db = SQLAlchemy()

        class PortalFlask(Flask):
            session_interface = PortalSessionInterface()
    """,
    "portal/models.py": """
        from portal import db

        class User(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            name = db.Column(db.String(64))
            favorites = db.relationship("Favorite", backref="user", lazy="dynamic")

        class Favorite(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            user_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    """,
    "portal/sessions.py": """
        from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

        class PortalSession(SecureCookieSession):
            @property
            def user(self):
                from portal.models import User
                return User.query.get(self.get("uid"))

            @property
            def lang(self):
                return self.get("lang") or "en"

        class PortalSessionInterface(SecureCookieSessionInterface):
            session_class = PortalSession
    """,
    "portal/views.py": """
        from flask import Blueprint, session
        from portal import db

        bp = Blueprint("portal", __name__)

        @bp.route("/favorites")
        def favorites():
            return str(session.user.favorites.count())

        @bp.route("/rename", methods=["POST"])
        def rename():
            session.user.name = "new"
            db.session.commit()
            return "ok"

        @bp.route("/lang")
        def lang():
            return session.lang
    """,
}
USER, FAVORITE = "portal.models:User", "portal.models:Favorite"


def test_the_apps_own_session_class_runs_its_properties() -> None:
    routes = routes_of(SESSIONS)
    # Why: `session.user` runs `PortalSession.user` (reads User) and is a User (`favorites` reads Favorite).
    assert routes["/favorites"] == ([FAVORITE, USER], [])
    assert routes["/rename"] == ([USER], [USER])
    # Why: a property returning no row.
    assert routes["/lang"] == ([], [])


def test_flasks_own_session_is_nothing() -> None:
    project = dict(SESSIONS)
    project["portal/__init__.py"] = SESSIONS["portal/__init__.py"].replace(
        "session_interface = PortalSessionInterface()", "pass"
    )
    routes = routes_of(project)
    # Why: without the app's session interface `session` is Flask's dict-like cookie session.
    assert routes["/favorites"] == ([], [])
    assert routes["/rename"] == ([], [])


CHECKS = {
    "config/__init__.py": "",
    "config/settings.py": """
        INSTALLED_APPS = ["accounts", "checks"]
        MIDDLEWARE = ["accounts.middleware.TeamMiddleware"]
    """,
    "accounts/__init__.py": "",
    "accounts/models.py": """
        from django.contrib.auth.models import User
        from django.db import models

        class ProfileManager(models.Manager):
            def for_user(self, user):
                return self.get(user=user)

        class Profile(models.Model):
            user = models.OneToOneField(User, on_delete=models.CASCADE)
            theme = models.CharField(max_length=10)
            objects = ProfileManager()
    """,
    "accounts/middleware.py": """
        from accounts.models import Profile

        class TeamMiddleware:
            def __init__(self, get_response):
                self.get_response = get_response

            def __call__(self, request):
                request.profile = Profile.objects.for_user(request.user)
                request.started = 0
                return self.get_response(request)
    """,
    "checks/__init__.py": "",
    "checks/models.py": """
        from django.db import models

        class Project(models.Model):
            api_key = models.CharField(max_length=32)

        class Check(models.Model):
            project = models.ForeignKey(Project, on_delete=models.CASCADE)
    """,
    "checks/decorators.py": """
        from functools import wraps
        from checks.models import Project

        def authorize(f):
            @wraps(f)
            def wrapper(request, *args, **kwargs):
                project = Project.objects.filter(api_key=request.headers["X-Api-Key"]).first()
                request.project = project
                request.json = {}
                return f(request, *args, **kwargs)
            return wrapper
    """,
    "checks/views.py": """
        from django.http import JsonResponse
        from checks.decorators import authorize

        @authorize
        def checks(request):
            return JsonResponse({"n": request.project.check_set.count()})

        def theme(request):
            request.profile.theme = request.POST["theme"]
            request.profile.save()
            return JsonResponse({})

        @authorize
        def echo(request):
            return JsonResponse({"keys": list(request.json.keys()), "t": request.started.real})
    """,
    "checks/urls.py": """
        from django.urls import path
        from checks import views

        urlpatterns = [
            path("checks/", views.checks),
            path("theme/", views.theme),
            path("echo/", views.echo),
        ]
    """,
}
PROJECT, CHECK, PROFILE = "checks.models:Project", "checks.models:Check", "accounts.models:Profile"


def test_request_attributes_set_by_the_apps_middleware_and_decorators() -> None:
    routes = routes_of(CHECKS)
    # Why: `request.project` is the Project the decorator assigns: its reverse `check_set` reads Check.
    assert routes["/checks/"] == ([CHECK, PROJECT], [])
    # Why: `request.profile` is the Profile the middleware assigns: saving it writes Profile.
    assert routes["/theme/"][1] == [PROFILE]
    # Why: `request.json` and `request.started` hold no row.
    assert routes["/echo/"] == ([PROJECT], [])


EAGER = {
    **SESSIONS,
    "portal/models.py": """
        from portal import db

        class User(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            name = db.Column(db.String(64))
            favorites = db.relationship("Favorite", backref="user", lazy="dynamic")
            email = db.relationship("Email", lazy=False, uselist=False)
            badges = db.relationship("Badge", lazy=True)

        class Favorite(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            user_id = db.Column(db.Integer, db.ForeignKey("user.id"))

        class Email(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            user_id = db.Column(db.Integer, db.ForeignKey("user.id"))

        class Badge(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            user_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    """,
}


def test_lazy_false_loads_the_relationship_with_its_parent() -> None:
    routes = routes_of(EAGER)
    # Why: `lazy=False` is SQLAlchemy's joined loading: every query of User loads Email with it;
    # `lazy=True` (a select on first access) loads nothing until `badges` is read.
    assert routes["/favorites"] == (["portal.models:Email", FAVORITE, USER], [])


LOGIN = {
    **EAGER,
    "portal/login.py": """
        from flask_login import LoginManager
        from portal.models import User

        login = LoginManager()

        @login.user_loader
        def load_user(uid):
            return User.query.get(int(uid))
    """,
    "portal/api.py": """
        from flask import Blueprint
        from flask.views import MethodView
        from flask_login import current_user
        from portal import db
        from portal.models import Badge, Email, Favorite

        api = Blueprint("api", __name__)

        def fetch(model, joined=None):
            query = db.session.query(model)
            if joined is not None:
                query = query.join(joined)
            return query.all()

        class Resource(MethodView):
            @property
            def user(self):
                return current_user._get_current_object()

        class Favorites(Resource):
            def get(self):
                return str(self.user.favorites.count())

        @api.route("/badges")
        def badges():
            return str(len(fetch(Badge)))

        @api.route("/favorite-badges")
        def favorite_badges():
            return str(len(fetch(Favorite, Badge)))

        @api.route("/favorite-emails")
        def favorite_emails():
            return str(len(fetch(Favorite, Email)))

        api.add_url_rule("/api/favorites", view_func=Favorites.as_view("favorites"))
    """,
}


def test_a_proxys_current_object_is_what_the_proxy_stands_for() -> None:
    routes = routes_of(LOGIN)
    # Why: `current_user._get_current_object()` is the logged-in User (a property of the view returns
    # it): its `favorites` relationship reads Favorite.
    assert "portal.models:Favorite" in routes["/api/favorites"][0]


def test_a_parameter_left_to_its_default_is_its_default_in_that_call() -> None:
    routes = routes_of(LOGIN)
    # Why: `fetch(Badge)` leaves `joined` None: no join, whatever other callers pass (Badge, Email).
    assert routes["/badges"] == (["portal.models:Badge"], [])
    assert routes["/favorite-badges"] == (["portal.models:Badge", FAVORITE], [])
    assert routes["/favorite-emails"] == (["portal.models:Email", FAVORITE], [])


FORUM = {
    "forum/__init__.py": """
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
    """,
    "forum/models.py": """
        from forum import db

        class CRUDMixin:
            def save(self):
                db.session.add(self)
                db.session.commit()
                return self

        class Category(db.Model, CRUDMixin):
            id = db.Column(db.Integer, primary_key=True)
            name = db.Column(db.String(64))

        class Board(db.Model, CRUDMixin):
            id = db.Column(db.Integer, primary_key=True)
            name = db.Column(db.String(64))
    """,
    "forum/views.py": """
        from flask import Blueprint, request
        from forum.models import Board, Category

        bp = Blueprint("forum", __name__)

        @bp.route("/categories", methods=["POST"])
        def add_category():
            category = Category(name=request.form["name"])
            category.save()
            return "ok"

        @bp.route("/boards/<int:id>", methods=["POST"])
        def rename_board(id):
            board = Board.query.get(id)
            board.name = request.form["name"]
            board.save()
            return "ok"
    """,
}


def test_a_mixins_save_after_the_orm_base_writes_the_callers_row() -> None:
    routes = routes_of(FORUM)
    # Why: `CRUDMixin.save` (listed after `db.Model`) adds `self`: the Category the view built, not every
    # model mixing it in.
    assert routes["/categories"] == ([], ["forum.models:Category"])
    assert routes["/boards/{id}"] == (["forum.models:Board"], ["forum.models:Board"])


def test_a_mixins_save_called_on_a_row_a_form_builds_writes_that_row() -> None:
    files = dict(FORUM)
    files["forum/forms.py"] = """
        from forum.models import Category

        class CategoryForm:
            def __init__(self, data):
                self.data = data

            def save(self):
                data = self.data
                data.pop("csrf_token", None)
                category = Category(**data)
                return category.save()
    """
    files["forum/views.py"] = """
        from flask import Blueprint, request
        from forum.forms import CategoryForm
        from forum.models import Board

        bp = Blueprint("forum", __name__)

        @bp.route("/categories", methods=["POST"])
        def add_category():
            form = CategoryForm(request.form)
            form.save()
            return "ok"

        @bp.route("/boards", methods=["POST"])
        def add_board():
            board = Board(name=request.form["name"])
            board.save()
            return "ok"
    """
    routes = routes_of(files)
    # Why: `self` in `CRUDMixin.save` holds both models (a variant per model), and the session write of
    # `self` there is the row each call is made on.
    assert routes["/categories"] == ([], ["forum.models:Category"])
    assert routes["/boards"] == ([], ["forum.models:Board"])
