"""Auth recognizer: which routes' views check their caller, with positive and negative cases.

Each test parses small multi-file snippets, runs every recognizer (auth refines
the routes the route recognizers publish), and asserts the exact
{handler: auth rule ids} of the routes, with an empty set for a view that
checks nobody.
"""

from __future__ import annotations

from collections.abc import Mapping

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

HEURISTICS = load_heuristics()
DJANGO_SETTINGS = 'ROOT_URLCONF = "proj.urls"\nINSTALLED_APPS = ["rest_framework", "shop"]\n'


def auth(files: Mapping[str, str]) -> dict[str, set[str]]:
    found = recognize(link(facts_of(files)), HEURISTICS)
    return {r.handler: {e.rule for e in r.auth} for r in found.routes}


def auth_places(files: Mapping[str, str], handler: str) -> set[tuple[str, int]]:
    found = recognize(link(facts_of(files)), HEURISTICS)
    route = next(r for r in found.routes if r.handler == handler)
    return {(x.file, x.line) for e in route.auth for x in e.locations}


# -- Flask: decorators, the project's own, class attributes ---------------------------------------


FLASK_APP = "from flask import Flask\napp = Flask(__name__)\n"


def test_flask_login_decorator_marks_only_the_decorated_view() -> None:
    files = {
        "shop/__init__.py": FLASK_APP,
        "shop/views.py": """
            from flask_login import login_required
            from . import app

            @app.route("/account")
            @login_required
            def account():
                return "me"

            # no decorator: an open page
            @app.route("/")
            def index():
                return "hi"
        """,
    }

    assert auth(files) == {"shop.views:account": {"auth.decorator.login-required"}, "shop.views:index": set()}


def test_project_decorators_by_name_and_by_what_they_apply() -> None:
    files = {
        "shop/__init__.py": FLASK_APP,
        "shop/guards.py": """
            import functools
            import flask_login

            def login_required(view):           # its name says it
                @functools.wraps(view)
                def wrapped(*args, **kwargs):
                    return view(*args, **kwargs)
                return wrapped

            def members_only(view):             # no telling name, but it applies flask-login's check
                @functools.wraps(view)
                @flask_login.login_required
                def wrapped(*args, **kwargs):
                    return view(*args, **kwargs)
                return wrapped

            def timed(view):                    # a decorator that checks nobody
                @functools.wraps(view)
                def wrapped(*args, **kwargs):
                    return view(*args, **kwargs)
                return wrapped
        """,
        "shop/views.py": """
            from . import app
            from .guards import login_required, members_only, timed

            @app.route("/a")
            @login_required
            def a():
                return "a"

            @app.route("/b")
            @members_only
            def b():
                return "b"

            @app.route("/c")
            @timed
            def c():
                return "c"
        """,
    }

    assert auth(files) == {
        "shop.views:a": {"auth.decorator.named"},
        "shop.views:b": {"auth.decorator.login-required"},
        "shop.views:c": set(),
    }
    # the view's def line and the line where the project decorator is defined
    assert auth_places(files, "shop.views:a") == {("shop/views.py", 7), ("shop/guards.py", 5)}


def test_resource_method_decorators_list_and_per_method_dict() -> None:
    files = {
        "shop/__init__.py": """
            from flask import Flask
            from flask_restful import Api
            app = Flask(__name__)
            api = Api(app)
            from .resources import Orders, Products
            api.add_resource(Orders, "/orders")
            api.add_resource(Products, "/products")
        """,
        "shop/resources.py": """
            from flask_restful import Resource
            from flask_login import login_required

            class Orders(Resource):
                method_decorators = [login_required]
                def get(self):
                    return []

            class Products(Resource):
                method_decorators = {"put": [login_required]}
                def get(self):
                    return []
                def put(self):
                    return {}
        """,
    }

    assert auth(files) == {
        "shop.resources:Orders.get": {"auth.decorator.login-required", "auth.view-decorators"},
        "shop.resources:Products.get": set(),
        "shop.resources:Products.put": {"auth.decorator.login-required", "auth.view-decorators"},
    }


# -- Django and DRF ---------------------------------------------------------------------------------


def django_files(views: str, settings: str = DJANGO_SETTINGS, urls: str = "") -> dict[str, str]:
    return {
        "proj/__init__.py": "",
        "proj/settings.py": settings,
        "proj/urls.py": urls
        or """
            from django.urls import path, include
            from rest_framework.routers import DefaultRouter
            from shop import views
            router = DefaultRouter()
            router.register("tickets", views.Tickets, basename="ticket")
            urlpatterns = [
                path("mine/", views.mine),
                path("open/", views.open_page),
                path("list/", views.Listing.as_view()),
                path("panel/", views.Panel.as_view()),
                path("api/", include(router.urls)),
            ]
        """,
        "shop/__init__.py": "",
        "shop/views.py": views,
    }


DJANGO_VIEWS = """
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.decorators import method_decorator
from django.views.generic import ListView, TemplateView
from rest_framework import viewsets

@login_required
def mine(request):
    return None

def open_page(request):
    return None

class Listing(LoginRequiredMixin, ListView):
    model = None

@method_decorator(login_required, name="dispatch")
class Panel(TemplateView):
    template_name = "x.html"

class Tickets(viewsets.ViewSet):
    def list(self, request):
        return None
"""


def test_django_decorators_mixins_method_decorator_and_drf_without_a_default() -> None:
    found = auth(django_files(DJANGO_VIEWS))

    assert found["shop.views:mine"] == {"auth.decorator.login-required"}
    assert found["shop.views:open_page"] == set()
    assert found["shop.views:Listing.get"] == {"auth.mixin.django"}
    assert found["shop.views:Panel.get"] == {"auth.decorator.login-required", "auth.decorator.method-decorator"}
    # no DEFAULT_PERMISSION_CLASSES and none on the viewset: DRF's default is AllowAny
    assert found["shop.views:Tickets.list"] == set()


def test_drf_default_permission_classes_and_allow_any_clearing_them() -> None:
    settings = DJANGO_SETTINGS + (
        'REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"]}\n'
    )
    urls = """
        from django.urls import path, include
        from rest_framework.routers import DefaultRouter
        from shop import views
        router = DefaultRouter()
        router.register("tickets", views.Tickets, basename="ticket")
        router.register("public", views.Public, basename="public")
        router.register("staff", views.Staff, basename="staff")
        urlpatterns = [path("api/", include(router.urls)), path("ping/", views.ping)]
    """
    views = """
        from rest_framework import viewsets, permissions
        from rest_framework.decorators import api_view, permission_classes

        class IsStaff(permissions.BasePermission):
            pass

        class Tickets(viewsets.ViewSet):            # the settings' default applies
            def list(self, request):
                return None

        class Public(viewsets.ViewSet):             # AllowAny clears the default
            permission_classes = [permissions.AllowAny]
            def list(self, request):
                return None

        class Staff(viewsets.ViewSet):              # a project permission class checks the caller
            permission_classes = (IsStaff,)
            def list(self, request):
                return None

        @api_view(["GET"])
        @permission_classes([permissions.AllowAny])
        def ping(request):
            return None
    """
    found = auth(django_files(views, settings, urls))

    assert found["shop.views:Tickets.list"] == {"auth.drf.default-permission", "auth.drf.permission"}
    assert found["shop.views:Public.list"] == set()
    assert found["shop.views:Staff.list"] == {"auth.drf.permission-attribute"}
    assert found["shop.views:ping"] == set()
