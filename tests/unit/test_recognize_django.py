"""Django / DRF route recognizer: every URLconf form, with positive and negative cases.

Each test parses small multi-file snippets (explicit module names from the
paths), links them and runs the Django recognizer alone, then asserts the
exact (path, methods, handler, action) rows, or the exact unresolved places.
"""

from __future__ import annotations

from collections.abc import Mapping

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.model.inventory import Recognition
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import django

HEURISTICS = load_heuristics()

SETTINGS = {"proj/__init__.py": "", "proj/settings.py": 'ROOT_URLCONF = "proj.urls"\n'}


def found(files: Mapping[str, str]) -> Recognition:
    return django.recognize(link(facts_of({**SETTINGS, **files})), HEURISTICS).sorted()


def routes(files: Mapping[str, str]) -> set[tuple[str, str, str, str | None]]:
    return {(r.path, ",".join(r.methods), r.handler, r.action) for r in found(files).routes}


def unresolved(files: Mapping[str, str]) -> set[tuple[str, int]]:
    return {(u.location.file, u.location.line) for u in found(files).unresolved}


VIEWS = """
from django.http import HttpResponse
from django.views import View
from django.views.generic import ListView, CreateView, RedirectView

def index(request):
    return HttpResponse("ok")

class Orders(View):
    def get(self, request):
        return HttpResponse()
    def post(self, request):
        return HttpResponse()

class OrderList(ListView):
    model = None

class OrderCreate(CreateView):
    model = None
"""


# -- ROOT_URLCONF, path/re_path/url, include chains ------------------------------------------


def test_root_urlconf_paths_and_nested_includes_with_prefixes() -> None:
    files = {
        "shop/__init__.py": "",
        "shop/views.py": VIEWS,
        "proj/urls.py": """
            from django.urls import include, path
            urlpatterns = [
                path("", include("shop.urls")),
                path("api/v2/", include(("shop.urls", "shop"), namespace="v2")),
            ]
        """,
        "shop/urls.py": """
            from django.urls import include, path, re_path
            from django.conf.urls import url
            from . import views
            items = [path("<int:item>/", views.index)]
            urlpatterns = [
                path("orders/<int:pk>/", views.Orders.as_view()),
                re_path(r"^legacy/(?P<slug>[-\\w]+)\\.html$", views.index),
                url(r"^old/(?P<year>[0-9]{4})/$", views.index),
                path("orders/<int:pk>/items/", include(items)),
            ]
        """,
    }
    expected = set()
    for prefix in ("", "/api/v2"):
        expected |= {
            (f"{prefix}/orders/{{pk}}/", "GET", "shop.views:Orders.get", "get"),
            (f"{prefix}/orders/{{pk}}/", "POST", "shop.views:Orders.post", "post"),
            (f"{prefix}/legacy/{{slug}}.html", "*", "shop.views:index", None),
            (f"{prefix}/old/{{year}}/", "*", "shop.views:index", None),
            (f"{prefix}/orders/{{pk}}/items/{{item}}/", "*", "shop.views:index", None),
        }
    assert routes(files) == expected


def test_urlconf_not_reachable_from_root_urlconf_gives_no_routes() -> None:
    files = {
        "shop/__init__.py": "",
        "shop/views.py": VIEWS,
        "proj/urls.py": "urlpatterns = []\n",
        "shop/urls.py": """
            from django.urls import path
            from . import views
            urlpatterns = [path("orders/", views.index)]
        """,
    }
    assert routes(files) == set()


def test_without_root_urlconf_the_modules_nobody_includes_are_roots() -> None:
    files = {
        "shop/__init__.py": "",
        "shop/views.py": VIEWS,
        "shop/urls.py": """
            from django.urls import include, path
            from . import views
            urlpatterns = [path("", views.index), path("sub/", include("shop.sub_urls"))]
        """,
        "shop/sub_urls.py": """
            from django.urls import path
            from . import views
            urlpatterns = [path("x/", views.index)]
        """,
    }
    result = django.recognize(link(facts_of(files)), HEURISTICS).sorted()
    assert {(r.path, r.handler) for r in result.routes} == {("/", "shop.views:index"), ("/sub/x/", "shop.views:index")}


def test_list_building_forms_concatenation_augmented_append_and_imported_lists() -> None:
    files = {
        "shop/__init__.py": "",
        "shop/views.py": VIEWS,
        "shop/extra.py": """
            from django.urls import path
            from . import views
            extra = [path("extra/", views.index)]
        """,
        "proj/urls.py": """
            from django.urls import path
            from shop import views
            from shop.extra import extra
            base = [path("a/", views.index)]
            urlpatterns = base + [path("b/", views.index)] + extra
            urlpatterns += [path("c/", views.index)]
            urlpatterns.append(path("d/", views.index))
            urlpatterns.extend([path("e/", views.index)])
        """,
    }
    assert {p for p, *_ in routes(files)} == {"/a/", "/b/", "/extra/", "/c/", "/d/", "/e/"}


def test_aliased_imports_are_followed() -> None:
    files = {
        "shop/__init__.py": "",
        "shop/views.py": VIEWS,
        "proj/urls.py": """
            from django.urls import path as route, include as inc
            from django import urls
            from shop import views as v
            urlpatterns = [route("x/", v.index), urls.path("y/", inc("shop.urls"))]
        """,
        "shop/urls.py": """
            from django.urls import path
            from shop.views import index as home
            urlpatterns = [path("z/", home)]
        """,
    }
    assert {(p, h) for p, _, h, _ in routes(files)} == {("/x/", "shop.views:index"), ("/y/z/", "shop.views:index")}


def test_a_function_called_path_that_is_not_djangos_is_not_a_route() -> None:
    files = {
        "shop/__init__.py": "",
        "shop/views.py": VIEWS,
        "proj/urls.py": """
            from shop import views

            def path(route, view):
                return (route, view)

            urlpatterns = [path("x/", views.index)]
        """,
    }
    assert routes(files) == set()
    assert unresolved(files) == {("proj/urls.py", 7)}


def test_include_of_a_module_that_does_not_exist_is_unresolved() -> None:
    files = {
        "shop/__init__.py": "",
        "shop/views.py": VIEWS,
        "proj/urls.py": """
            from django.urls import include, path
            from shop import views
            urlpatterns = [
                path("ok/", views.index),
                path("missing/", include("shop.nope")),
            ]
        """,
    }
    assert routes(files) == {("/ok/", "*", "shop.views:index", None)}
    assert unresolved(files) == {("proj/urls.py", 6)}


def test_patterns_built_by_a_call_and_computed_routes_are_unresolved() -> None:
    files = {
        "shop/__init__.py": "",
        "shop/views.py": VIEWS,
        "proj/urls.py": """
            from django.conf import settings
            from django.conf.urls.static import static
            from django.contrib import admin
            from django.urls import path
            from shop import views
            from plugins import get_urls
            import os
            PREFIX = "x/"
            urlpatterns = [
                path("admin/", admin.site.urls),
                path(PREFIX, views.index),
                path(os.environ["ROUTE"], views.index),
                path("y/", getattr(views, "name")),
            ]
            urlpatterns += get_urls()
            urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
        """,
    }
    # A route folded from a constant is served as such; one read from the environment is unresolved.
    assert routes(files) == {("/x/", "*", "shop.views:index", None)}
    assert unresolved(files) == {("proj/urls.py", 13), ("proj/urls.py", 14), ("proj/urls.py", 16)}


def test_i18n_patterns_put_their_entries_under_a_language_prefix() -> None:
    files = {
        "shop/__init__.py": "",
        "shop/views.py": VIEWS,
        "shop/urls.py": """
            from django.urls import path
            from shop import views
            urlpatterns = [path("orders/", views.Orders.as_view())]
        """,
        "proj/urls.py": """
            from django.conf.urls.i18n import i18n_patterns
            from django.urls import include, path
            from shop import views

            urlpatterns = i18n_patterns(
                path("", views.index),
                path("shop/", include("shop.urls")),
            )
            urlpatterns += [path("health/", views.index)]
            urlpatterns += i18n_patterns(path("about/", views.index), prefix_default_language=False)
        """,
    }
    assert routes(files) == {
        ("/{language}/", "*", "shop.views:index", None),
        ("/{language}/shop/orders/", "GET", "shop.views:Orders.get", "get"),
        ("/{language}/shop/orders/", "POST", "shop.views:Orders.post", "post"),
        ("/health/", "*", "shop.views:index", None),
        ("/about/", "*", "shop.views:index", None),
    }
    assert not unresolved(files)
    shop = next(r for r in found(files).routes if r.path == "/{language}/shop/orders/")
    assert "django.url.i18n-patterns" in [e.rule for e in shop.evidence]


def test_a_project_function_named_i18n_patterns_is_not_djangos() -> None:
    files = {
        "shop/__init__.py": "",
        "shop/views.py": VIEWS,
        "proj/urls.py": """
            from django.urls import path
            from shop import views

            def i18n_patterns(*urls):   # the project's own helper: no language prefix
                return list(urls)

            urlpatterns = i18n_patterns(path("", views.index))
        """,
    }
    assert ("/{language}/", "*", "shop.views:index", None) not in routes(files)


# -- views: classes and decorators -------------------------------------------------------------


def test_generic_views_get_the_methods_djangos_classes_define() -> None:
    files = {
        "shop/__init__.py": "",
        "shop/views.py": VIEWS,
        "proj/urls.py": """
            from django.urls import path
            from django.views.generic import RedirectView, TemplateView
            from django.contrib.auth import views as auth_views
            from django.views.i18n import JavaScriptCatalog
            from shop import views
            urlpatterns = [
                path("jsi18n/", JavaScriptCatalog.as_view()),
                path("list/", views.OrderList.as_view()),
                path("new/", views.OrderCreate.as_view()),
                path("about/", TemplateView.as_view(template_name="about.html")),
                path("go/", RedirectView.as_view(url="/")),
                path("logout/", auth_views.LogoutView.as_view()),
            ]
        """,
    }
    result = routes(files)
    assert {r for r in result if r[0] in ("/list/", "/new/", "/about/", "/logout/", "/jsi18n/")} == {
        ("/jsi18n/", "GET", "django.views.i18n:JavaScriptCatalog.get", "get"),
        ("/list/", "GET", "shop.views:OrderList.get", "get"),
        ("/new/", "GET", "shop.views:OrderCreate.get", "get"),
        ("/new/", "POST", "shop.views:OrderCreate.post", "post"),
        ("/new/", "PUT", "shop.views:OrderCreate.put", "put"),
        ("/about/", "GET", "django.views.generic.base:TemplateView.get", "get"),
        ("/logout/", "POST", "django.contrib.auth.views:LogoutView.post", "post"),
    }
    assert {m for p, m, _, _ in result if p == "/go/"} == {"GET", "POST", "PUT", "PATCH", "DELETE"}


def test_class_view_methods_through_project_bases_and_http_method_names() -> None:
    files = {
        "shop/__init__.py": "",
        "shop/base.py": """
            from django.views import View
            class Base(View):
                def get(self, request):
                    pass
        """,
        "shop/views.py": """
            from django.views.generic import ListView
            from .base import Base
            class Child(Base):
                def delete(self, request):
                    pass
            class ReadOnly(Child):
                http_method_names = ["get", "head", "options"]
            class Mixed(Base, ListView):
                def post(self, request):
                    pass
            class NotAView:
                pass
        """,
        "proj/urls.py": """
            from django.urls import path
            from shop import views
            urlpatterns = [
                path("c/", views.Child.as_view()),
                path("r/", views.ReadOnly.as_view()),
                path("m/", views.Mixed.as_view()),
                path("n/", views.NotAView.as_view()),
            ]
        """,
    }
    assert routes(files) == {
        ("/c/", "GET", "shop.base:Base.get", "get"),
        ("/c/", "DELETE", "shop.views:Child.delete", "delete"),
        ("/r/", "GET", "shop.base:Base.get", "get"),
        ("/m/", "GET", "shop.base:Base.get", "get"),
        ("/m/", "POST", "shop.views:Mixed.post", "post"),
    }
    assert unresolved(files) == {("proj/urls.py", 8)}


def test_function_view_methods_from_decorators() -> None:
    files = {
        "shop/__init__.py": "",
        "shop/views.py": """
            from django.contrib.auth.decorators import login_required
            from django.views.decorators import http
            from django.views.decorators.http import require_GET, require_POST, require_safe
            from rest_framework.decorators import api_view

            @login_required
            @http.require_http_methods(["GET", "POST"])
            def both(request): ...

            @require_POST
            def post_only(request): ...

            @require_GET
            def get_only(request): ...

            @require_safe
            def safe(request): ...

            @http.require_http_methods(["GET", "POST"])
            @require_POST
            def stacked(request): ...

            @api_view(["GET", "POST"])
            def api(request): ...

            @api_view()
            def api_default(request): ...

            def plain(request): ...

            def require_POST_lookalike(f):
                return f

            @require_POST_lookalike
            def lookalike(request): ...
        """,
        "proj/urls.py": """
            from django.urls import path
            from shop import views
            urlpatterns = [
                path("both/", views.both),
                path("post/", views.post_only),
                path("get/", views.get_only),
                path("safe/", views.safe),
                path("stacked/", views.stacked),
                path("api/", views.api),
                path("api-default/", views.api_default),
                path("plain/", views.plain),
                path("lookalike/", views.lookalike),
            ]
        """,
    }
    assert {(p, m) for p, m, _, _ in routes(files)} == {
        ("/both/", "GET,POST"),
        ("/post/", "POST"),
        ("/get/", "GET"),
        ("/safe/", "GET"),
        ("/stacked/", "POST"),
        ("/api/", "GET,POST"),
        ("/api-default/", "GET"),
        ("/plain/", "*"),
        ("/lookalike/", "*"),
    }
    frameworks = {r.path: r.framework for r in found(files).routes}
    assert frameworks["/api/"] == "django-rest-framework"
    assert frameworks["/plain/"] == "django"


# -- DRF routers -----------------------------------------------------------------------------------

API = """
from rest_framework import mixins, viewsets
from rest_framework.decorators import action

class TicketViewSet(viewsets.ModelViewSet):
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None): ...

    @action(detail=False)
    def mine(self, request): ...

    @action(detail=True, methods=["get", "put"], url_path="the-history")
    def history(self, request, pk=None): ...

    def helper(self): ...

class TagViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"

class NoteViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    lookup_field = "slug"
    lookup_url_kwarg = "note"

class PlainViewSet(viewsets.ViewSet):
    def list(self, request): ...
    def retrieve(self, request, pk=None): ...
"""


def test_default_router_viewsets_actions_lookup_and_api_root() -> None:
    files = {
        "api/__init__.py": "",
        "api/views.py": API,
        "proj/urls.py": """
            from django.urls import include, path
            from rest_framework.routers import DefaultRouter
            from api.views import NoteViewSet, PlainViewSet, TagViewSet, TicketViewSet

            router = DefaultRouter()
            router.register(r"tickets", TicketViewSet, basename="ticket")
            router.register("tags", TagViewSet)
            router.register("notes", NoteViewSet)
            router.register("plain", PlainViewSet, basename="plain")
            urlpatterns = [path("api/", include(router.urls))]
        """,
    }
    t = "api.views:TicketViewSet"
    assert routes(files) == {
        ("/api/", "GET", "rest_framework.routers:APIRootView.get", "get"),
        ("/api/tickets/", "GET", f"{t}.list", "list"),
        ("/api/tickets/", "POST", f"{t}.create", "create"),
        ("/api/tickets/{pk}/", "GET", f"{t}.retrieve", "retrieve"),
        ("/api/tickets/{pk}/", "PUT", f"{t}.update", "update"),
        ("/api/tickets/{pk}/", "PATCH", f"{t}.partial_update", "partial_update"),
        ("/api/tickets/{pk}/", "DELETE", f"{t}.destroy", "destroy"),
        ("/api/tickets/{pk}/assign/", "POST", f"{t}.assign", "assign"),
        ("/api/tickets/mine/", "GET", f"{t}.mine", "mine"),
        ("/api/tickets/{pk}/the-history/", "GET", f"{t}.history", "history"),
        ("/api/tickets/{pk}/the-history/", "PUT", f"{t}.history", "history"),
        ("/api/tags/", "GET", "api.views:TagViewSet.list", "list"),
        ("/api/tags/{slug}/", "GET", "api.views:TagViewSet.retrieve", "retrieve"),
        ("/api/notes/", "GET", "api.views:NoteViewSet.list", "list"),
        ("/api/notes/", "POST", "api.views:NoteViewSet.create", "create"),
        ("/api/plain/", "GET", "api.views:PlainViewSet.list", "list"),
        ("/api/plain/{pk}/", "GET", "api.views:PlainViewSet.retrieve", "retrieve"),
    }
    raw = {r.raw_path for r in found(files).routes if r.action == "retrieve" and "tags" in r.raw_path}
    assert raw == {"api/^tags/(?P<slug>[^/.]+)/$"}


def test_simple_router_in_another_module_added_with_augmented_assignment() -> None:
    files = {
        "api/__init__.py": "",
        "api/views.py": API,
        "api/routers.py": """
            from rest_framework import routers
            from .views import TagViewSet
            router = routers.SimpleRouter(trailing_slash=False)
        """,
        "api/more.py": """
            from .routers import router
            from .views import PlainViewSet
            router.register("plain", PlainViewSet, basename="plain")
        """,
        "proj/urls.py": """
            from api.routers import router
            urlpatterns = []
            urlpatterns += router.urls
        """,
    }
    assert {(p, h) for p, _, h, _ in routes(files)} == {
        ("/plain", "api.views:PlainViewSet.list"),
        ("/plain/{pk}", "api.views:PlainViewSet.retrieve"),
    }
    assert {r.raw_path for r in found(files).routes} == {"^plain$", "^plain/(?P<pk>[^/.]+)$"}


def test_registrations_in_helpers_that_take_the_router_as_a_parameter() -> None:
    files = {
        "api/__init__.py": "",
        "api/views.py": API,
        "api/tags/__init__.py": 'path = "tags"\n',
        "api/tags/urls.py": """
            from api.tags import path
            from api.views import TagViewSet

            def add_tag_urls(router):
                router.register(path, TagViewSet, basename="tag")
                return router
        """,
        "api/plain.py": """
            from api.views import PlainViewSet

            def add_plain_urls(router, prefix="plain"):
                router.register(prefix, PlainViewSet)
        """,
        "proj/urls.py": """
            from django.urls import include, path
            from rest_framework.routers import SimpleRouter
            from api.plain import add_plain_urls
            from api.tags.urls import add_tag_urls

            v2 = SimpleRouter()
            v2 = add_tag_urls(v2)
            add_plain_urls(v2)
            urlpatterns = [path("api/v2/", include(v2.urls))]
        """,
    }
    assert {(p, h) for p, _, h, _ in routes(files)} == {
        ("/api/v2/tags/", "api.views:TagViewSet.list"),
        ("/api/v2/tags/{slug}/", "api.views:TagViewSet.retrieve"),
        ("/api/v2/plain/", "api.views:PlainViewSet.list"),
        ("/api/v2/plain/{pk}/", "api.views:PlainViewSet.retrieve"),
    }
    assert unresolved(files) == set()


def test_a_helper_given_something_else_than_a_router_registers_nothing() -> None:
    files = {
        "api/__init__.py": "",
        "api/views.py": API,
        "api/helpers.py": """
            from api.views import TagViewSet

            def add_tag_urls(registry):
                registry.register("tags", TagViewSet)
        """,
        "proj/urls.py": """
            from rest_framework.routers import SimpleRouter
            from api.helpers import add_tag_urls
            from elsewhere import admin_registry

            router = SimpleRouter()
            add_tag_urls(admin_registry)
            urlpatterns = router.urls
        """,
    }
    assert routes(files) == set()


def test_the_projects_own_api_root_view_on_a_router_instance_or_router_subclass() -> None:
    files = {
        "api/__init__.py": "",
        "api/views.py": API
        + """
from rest_framework.routers import APIRootView

class ShopRoot(APIRootView):
    def get_view_name(self):
        return "Shop"

class BaseRoot(APIRootView):
    def get(self, request, *args, **kwargs): ...
""",
        "api/routers.py": """
            from rest_framework.routers import DefaultRouter
            from api.views import BaseRoot

            class ProjectRouter(DefaultRouter):
                APIRootView = BaseRoot
        """,
        "proj/urls.py": """
            from django.urls import include, path
            from rest_framework.routers import DefaultRouter
            from api.routers import ProjectRouter
            from api.views import ShopRoot, TagViewSet

            shop = ProjectRouter()
            shop.APIRootView = ShopRoot
            shop.register("tags", TagViewSet)
            base = ProjectRouter()
            plain = DefaultRouter()
            urlpatterns = [
                path("shop/", include(shop.urls)),
                path("base/", include(base.urls)),
                path("plain/", include(plain.urls)),
            ]
        """,
    }
    rows = {(r.path, r.handler, r.view) for r in found(files).routes if r.action == "get"}
    assert rows == {
        ("/shop/", "api.views:ShopRoot.get", "api.views:ShopRoot"),
        ("/base/", "api.views:BaseRoot.get", "api.views:BaseRoot"),
        ("/plain/", "rest_framework.routers:APIRootView.get", "rest_framework.routers:APIRootView"),
    }


def test_a_prefix_read_from_a_settings_row_takes_its_fields_default() -> None:
    files = {
        "shop/__init__.py": "",
        "shop/views.py": VIEWS,
        "shop/models.py": """
            from django.db import models

            class SystemSettings(models.Model):
                url_prefix = models.CharField(max_length=300, default="", blank=True)
                theme = models.CharField(max_length=30)
        """,
        "shop/utils.py": """
            from shop.models import SystemSettings

            def get_system_setting(setting, default=None):
                system_settings = SystemSettings.objects.get()
                return getattr(system_settings, setting, (default if default is not None else None))
        """,
        "proj/urls.py": """
            from django.urls import re_path
            from shop import views
            from shop.utils import get_system_setting

            urlpatterns = [
                re_path(r"^{}orders$".format(get_system_setting("url_prefix")), views.index),
                re_path(f"^{get_system_setting('url_prefix')}about$", views.index),
                re_path(r"^{}themed$".format(get_system_setting("theme")), views.index),
            ]
        """,
    }
    assert {p for p, _, _, _ in routes(files)} == {"/orders", "/about", "/{value}themed"}
    # a field with no declared default (and no literal fallback) stays unknown: shown as a parameter
    assert unresolved(files) == {("proj/urls.py", 9)}


def test_a_view_made_by_a_project_factory_is_its_inner_function() -> None:
    files = {
        "shop/__init__.py": "",
        "shop/views.py": VIEWS,
        "shop/redirects.py": """
            from django.shortcuts import redirect

            def redirect_view(to):
                def _redirect(request, **kwargs):
                    return redirect(to, **kwargs)
                return _redirect
        """,
        "proj/urls.py": """
            from django.urls import path
            from shop.redirects import redirect_view
            from elsewhere import make_view

            urlpatterns = [
                path("old/<int:pk>/", redirect_view("new")),
                path("other/", make_view("x")),
            ]
        """,
    }
    assert routes(files) == {("/old/{pk}/", "*", "shop.redirects:redirect_view._redirect", None)}
    assert unresolved(files) == {("proj/urls.py", 8)}


def test_router_not_included_gives_no_routes_and_unknown_viewset_is_unresolved() -> None:
    files = {
        "api/__init__.py": "",
        "api/views.py": API,
        "proj/urls.py": """
            from rest_framework.routers import DefaultRouter
            from api.views import TagViewSet
            from elsewhere import Unknown
            router = DefaultRouter()
            router.register("tags", TagViewSet)
            other = DefaultRouter()
            other.register("x", Unknown)
            urlpatterns = other.urls
        """,
    }
    assert routes(files) == {("/", "GET", "rest_framework.routers:APIRootView.get", "get")}
    assert unresolved(files) == {("proj/urls.py", 8)}


def test_viewset_as_view_with_an_actions_mapping() -> None:
    files = {
        "api/__init__.py": "",
        "api/views.py": API,
        "proj/urls.py": """
            from django.urls import path
            from api.views import TicketViewSet
            urlpatterns = [
                path("t/", TicketViewSet.as_view({"get": "list", "post": "create"})),
                path("t/<int:pk>/assign/", TicketViewSet.as_view({"post": "assign"})),
            ]
        """,
    }
    t = "api.views:TicketViewSet"
    assert routes(files) == {
        ("/t/", "GET", f"{t}.list", "list"),
        ("/t/", "POST", f"{t}.create", "create"),
        ("/t/{pk}/assign/", "POST", f"{t}.assign", "assign"),
    }


def test_views_wrapped_at_the_url_and_framework_function_views() -> None:
    files = {
        "shop/__init__.py": "",
        "shop/views.py": VIEWS,
        "proj/urls.py": """
            from django.contrib.auth.decorators import login_required
            from django.urls import path
            from django.views.decorators.cache import cache_page
            from django.views.decorators.csrf import csrf_exempt
            from django.views.generic import TemplateView
            from django.views.static import serve
            from shop import views
            urlpatterns = [
                path("a/", csrf_exempt(views.index)),
                path("b/", cache_page(60)(views.index)),
                path("c/", login_required(views.Orders.as_view())),
                path("d/", login_required(TemplateView.as_view())),
                path("files/<path:path>", serve),
            ]
        """,
    }
    assert routes(files) == {
        ("/a/", "*", "shop.views:index", None),
        ("/b/", "*", "shop.views:index", None),
        ("/c/", "GET", "shop.views:Orders.get", "get"),
        ("/c/", "POST", "shop.views:Orders.post", "post"),
        ("/d/", "GET", "django.views.generic.base:TemplateView.get", "get"),
        ("/files/{path}", "*", "django.views.static:serve", None),
    }


def test_lists_that_read_themselves_and_format_suffix_patterns() -> None:
    files = {
        "shop/__init__.py": "",
        "shop/views.py": VIEWS,
        "proj/urls.py": """
            from django.urls import path
            from rest_framework.urlpatterns import format_suffix_patterns
            from shop import views
            urlpatterns = [path("a/", views.index)]
            urlpatterns = urlpatterns + [path("b/", views.index)]
            urlpatterns = format_suffix_patterns(urlpatterns)
        """,
    }
    assert {p for p, *_ in routes(files)} == {"/a/", "/b/"}
    assert unresolved(files) == set()


def test_a_later_plain_assignment_replaces_the_list() -> None:
    files = {
        "shop/__init__.py": "",
        "shop/views.py": VIEWS,
        "proj/urls.py": """
            from django.urls import path
            from shop import views
            urlpatterns = [path("old/", views.index)]
            urlpatterns = [path("new/", views.index)]
        """,
    }
    assert {p for p, *_ in routes(files)} == {"/new/"}


# -- views registered into a module-level registry, URL patterns built from it ---------------------

REGISTRY_FILES = {
    "core/__init__.py": "",
    "core/registry.py": """
        import collections
        registry = {"views": collections.defaultdict(dict), "menus": []}
    """,
    "core/register.py": """
        from core.registry import registry

        def register_model_view(model, name="", path=None, detail=True, kwargs=None):
            def _wrapper(cls):
                app_label = model._meta.app_label
                model_name = model._meta.model_name
                if model_name not in registry["views"][app_label]:
                    registry["views"][app_label][model_name] = []
                registry["views"][app_label][model_name].append({
                    "name": name,
                    "view": cls,
                    "path": path if path is not None else name,
                    "detail": detail,
                })
                return cls
            return _wrapper
    """,
    "core/urls.py": """
        from django.urls import path
        from django.utils.module_loading import import_string
        from django.views.generic import View
        from core.registry import registry

        def get_model_urls(app_label, model_name, detail=True):
            paths = []
            try:
                views = [v for v in registry["views"][app_label][model_name] if v["detail"] == detail]
            except KeyError:
                return []
            for config in views:
                if isinstance(config["view"], str):
                    view_ = import_string(config["view"])
                else:
                    view_ = config["view"]
                if issubclass(view_, View):
                    view_ = view_.as_view()
                url_path = f"{config['path']}/" if config["path"] else ""
                paths.append(path(url_path, view_, name=config["name"]))
            return paths
    """,
    "shop/__init__.py": "",
    "shop/models.py": """
        from django.db import models
        class Order(models.Model):
            pass
        class Invoice(models.Model):
            class Meta:
                app_label = "billing"
    """,
    "shop/views.py": """
        from django.views.generic import View
        from core.register import register_model_view
        from shop.models import Order, Invoice

        @register_model_view(Order, "list", path="", detail=False)
        class OrderList(View):
            def get(self, request): ...

        @register_model_view(Order)
        class OrderDetail(View):
            def get(self, request, pk): ...

        @register_model_view(Order, "edit")
        class OrderEdit(View):
            def get(self, request, pk): ...
            def post(self, request, pk): ...

        class OrderHistory(View):
            def get(self, request, pk): ...

        register_model_view(Order, "history", path="changes")(OrderHistory)

        @register_model_view(Invoice, "list", path="", detail=False)
        class InvoiceList(View):
            def get(self, request): ...
    """,
}


def test_views_registered_by_a_decorator_and_read_back_by_a_url_builder() -> None:
    files = {
        **REGISTRY_FILES,
        "proj/urls.py": """
            from django.urls import include, path
            from core.urls import get_model_urls
            urlpatterns = [
                path("orders/", include(get_model_urls("shop", "order", detail=False))),
                path("orders/<int:pk>/", include(get_model_urls("shop", "order"))),
                path("invoices/", include(get_model_urls("billing", "invoice", detail=False))),
            ]
        """,
    }
    assert routes(files) == {
        ("/orders/", "GET", "shop.views:OrderList.get", "get"),
        ("/orders/{pk}/", "GET", "shop.views:OrderDetail.get", "get"),
        ("/orders/{pk}/edit/", "GET", "shop.views:OrderEdit.get", "get"),
        ("/orders/{pk}/edit/", "POST", "shop.views:OrderEdit.post", "post"),
        ("/orders/{pk}/changes/", "GET", "shop.views:OrderHistory.get", "get"),
        ("/invoices/", "GET", "shop.views:InvoiceList.get", "get"),
    }
    rows = {(r.path, r.location.file, r.location.line) for r in found(files).routes}
    assert ("/orders/{pk}/edit/", "shop/views.py", 15) in rows  # the registered class, not the builder's path()


def test_a_url_builder_selects_nothing_for_keys_nobody_registered() -> None:
    files = {
        **REGISTRY_FILES,
        "proj/urls.py": """
            from django.urls import include, path
            from core.urls import get_model_urls
            urlpatterns = [
                path("customers/", include(get_model_urls("shop", "customer", detail=False))),
                path("invoices/<int:pk>/", include(get_model_urls("billing", "invoice"))),
            ]
        """,
    }
    assert routes(files) == set()


# -- branches on a settings flag: the branch the flag's default selects ------------------------------

FLAG_SETTINGS = {
    "proj/__init__.py": "",
    "proj/settings.py": """
        import os
        import environ
        env = environ.Env(APP_NEW_UI=(bool, True), APP_LEGACY=(bool, False))
        ROOT_URLCONF = "proj.urls"
        NEW_UI = env("APP_NEW_UI")
        LEGACY = env("APP_LEGACY")
        BETA = os.environ.get("APP_BETA", "") == "1"
        REMOTE = env.bool("APP_REMOTE", default=False)
        UNKNOWN = os.environ["APP_UNKNOWN"]
    """,
}


def test_a_settings_flag_with_a_default_selects_its_branch() -> None:
    files = {
        **FLAG_SETTINGS,
        "shop/__init__.py": "",
        "shop/views.py": VIEWS,
        "proj/urls.py": """
            from django.conf import settings
            from django.urls import path
            from shop import views
            if settings.NEW_UI:
                urlpatterns = [path("new/", views.index)]
            else:
                urlpatterns = [path("old/", views.index)]
            if settings.LEGACY:
                urlpatterns += [path("legacy/", views.index)]
            elif settings.BETA:
                urlpatterns += [path("beta/", views.index)]
            else:
                urlpatterns.append(path("stable/", views.index))
            if not settings.REMOTE:
                urlpatterns += [path("local/", views.index)]
        """,
    }
    # `not x` is not folded: both readings are kept where a test cannot be decided.
    assert {p for p, *_ in routes(files)} == {"/new/", "/stable/", "/local/"}


def test_a_flag_without_an_evident_value_keeps_both_branches() -> None:
    files = {
        **FLAG_SETTINGS,
        "shop/__init__.py": "",
        "shop/views.py": VIEWS,
        "proj/urls.py": """
            from django.conf import settings
            from django.urls import path
            from shop import views
            urlpatterns = []
            if settings.UNKNOWN:
                urlpatterns += [path("a/", views.index)]
            else:
                urlpatterns += [path("b/", views.index)]
            if settings.NOT_A_SETTING:
                urlpatterns += [path("c/", views.index)]
        """,
    }
    assert {p for p, *_ in routes(files)} == {"/a/", "/b/", "/c/"}


def test_routers_filled_only_in_a_branch_not_taken_register_nothing() -> None:
    files = {
        **FLAG_SETTINGS,
        "shop/__init__.py": "",
        "shop/api.py": """
            from rest_framework import viewsets
            class Orders(viewsets.ModelViewSet):
                pass
            class Items(viewsets.ReadOnlyModelViewSet):
                pass
            def add_order_urls(router):
                router.register("orders", Orders)
                return router
        """,
        "proj/urls.py": """
            from django.conf import settings
            from django.urls import include, path
            from rest_framework.routers import SimpleRouter
            from shop.api import Items, add_order_urls
            router = SimpleRouter()
            if settings.LEGACY:
                router = add_order_urls(router)
                router.register("legacy-items", Items)
            router.register("items", Items)
            urlpatterns = [path("api/", include(router.urls))]
        """,
    }
    assert {p for p, *_ in routes(files)} == {"/api/items/", "/api/items/{pk}/"}
    assert unresolved(files) == set()


def test_views_registered_per_model_of_an_app_in_a_loop_with_a_mixin_test() -> None:
    files = {
        **REGISTRY_FILES,
        "core/features.py": """
            from core.register import register_model_view

            class JournalMixin:
                pass

            def register_models(*models):
                for model in models:
                    if issubclass(model, JournalMixin):
                        register_model_view(model, "journal")("core.views.JournalView")
        """,
        "core/views.py": """
            from django.views.generic import View

            class JournalView(View):
                def get(self, request, pk): ...
        """,
        "shop/apps.py": """
            from django.apps import AppConfig

            class ShopConfig(AppConfig):
                name = "shop"

                def ready(self):
                    from core.features import register_models
                    register_models(*self.get_models())
        """,
        "shop/models.py": """
            from django.db import models
            from core.features import JournalMixin

            class Base(models.Model):
                class Meta:
                    abstract = True

            class Order(JournalMixin, Base):
                pass

            class Customer(Base):
                pass
        """,
        "proj/urls.py": """
            from django.urls import include, path
            from core.urls import get_model_urls
            urlpatterns = [
                path("orders/<int:pk>/", include(get_model_urls("shop", "order"))),
                path("customers/<int:pk>/", include(get_model_urls("shop", "customer"))),
            ]
        """,
    }
    rows = routes(files)
    assert ("/orders/{pk}/journal/", "GET", "core.views:JournalView.get", "get") in rows
    assert not any(path.startswith("/customers/") and "journal" in path for path, *_ in rows)


# -- views built from what a project registry hands back -------------------------------------------

EXTENSION_REGISTRY = {
    "forum/__init__.py": "",
    "forum/settings.py": "ROOT_URLCONF = 'forum.urls'\nINSTALLED_APPS = ['forum']\n",
    "forum/extensions.py": """
        class ExtensionRegistry:
            def __init__(self):
                self._extensions = {}
                self._cache = {}

            def register(self, base_type, extension_type):
                self._extensions.setdefault(base_type, []).append(extension_type)

            def get(self, base_type):
                if base_type not in self._extensions:
                    return base_type
                if base_type not in self._cache:
                    self._cache[base_type] = type("Extended", (*self._extensions[base_type], base_type), {})
                return self._cache[base_type]

        extensions = ExtensionRegistry()
    """,
    "forum/views.py": """
        from django.views import View

        class ThreadListView(View):
            def get(self, request):
                return None

        class ThreadDetailView(View):
            def get(self, request, pk):
                return None

            def post(self, request, pk):
                return None
    """,
    "forum/urls.py": """
        from django.urls import path
        from forum.extensions import extensions
        from forum.views import ThreadDetailView, ThreadListView

        thread_list_view = extensions.get(ThreadListView).as_view()
        thread_detail_view = extensions.get(ThreadDetailView).as_view()

        urlpatterns = [
            path("threads/", thread_list_view),
            path("t/<int:pk>/", thread_detail_view),
        ]
    """,
}


def test_a_view_class_a_registry_method_hands_back_is_the_class_given_at_that_call() -> None:
    assert {(p, m, h) for p, m, h, _ in routes(EXTENSION_REGISTRY)} == {
        ("/threads/", "GET", "forum.views:ThreadListView.get"),
        ("/t/{pk}/", "GET", "forum.views:ThreadDetailView.get"),
        ("/t/{pk}/", "POST", "forum.views:ThreadDetailView.post"),
    }


def test_a_view_an_outside_call_returns_is_unresolved_not_named_after_the_call() -> None:
    files = dict(EXTENSION_REGISTRY)
    files["forum/urls.py"] = """
        from django.urls import path
        from plugins import registry

        listing = registry.build_view("threads")

        urlpatterns = [path("threads/", listing)]
    """
    assert not routes(files)
    assert ("forum/urls.py", 7) in unresolved(files)


def test_a_module_name_bound_to_as_view_routes_the_class() -> None:
    files = {
        "forum/__init__.py": "",
        "forum/settings.py": "ROOT_URLCONF = 'forum.urls'\nINSTALLED_APPS = ['forum']\n",
        "forum/views.py": """
            from django.http import HttpResponse
            from django.views import View

            class UploadView(View):
                def post(self, request):
                    return HttpResponse()

            class DownloadView(View):
                def get(self, request, pk):
                    return HttpResponse()

            upload = UploadView.as_view()
            download = DownloadView.as_view() if True else None
        """,
        "forum/urls.py": """
            from django.urls import path
            from forum.views import download, upload

            urlpatterns = [path("upload/", upload), path("a/<int:pk>/", download)]
        """,
    }
    assert {(p, m, h) for p, m, h, _ in routes(files)} == {("/upload/", "POST", "forum.views:UploadView.post")}
    # Why: a name bound to anything else as well is not only a class view; it stays unresolved.
    assert ("forum/urls.py", 5) in unresolved(files)


def test_schema_views_of_drf_spectacular_and_their_subclasses_answer_get() -> None:
    files = {
        "api/__init__.py": "",
        "api/settings.py": "ROOT_URLCONF = 'api.urls'\nINSTALLED_APPS = ['api']\n",
        "api/views.py": """
            from drf_spectacular.views import SpectacularRedocView

            class BrandedRedocView(SpectacularRedocView):
                template_name = "redoc.html"
        """,
        "api/urls.py": """
            from django.urls import path
            from drf_spectacular.views import SpectacularAPIView
            from api.views import BrandedRedocView

            urlpatterns = [
                path("schema/", SpectacularAPIView.as_view(), name="schema"),
                path("redoc/", BrandedRedocView.as_view(url_name="schema")),
            ]
        """,
    }
    assert {(p, m, h) for p, m, h, _ in routes(files)} == {
        ("/schema/", "GET", "drf_spectacular.views:SpectacularAPIView.get"),
        ("/redoc/", "GET", "api.views:BrandedRedocView.get"),
    }


def test_a_class_view_on_a_base_no_rule_describes_is_routed_for_any_method() -> None:
    files = {
        "site/__init__.py": "",
        "site/settings.py": "ROOT_URLCONF = 'site.urls'\nINSTALLED_APPS = ['site']\n",
        "site/views.py": """
            from django.contrib.auth.mixins import LoginRequiredMixin
            from django.views import View
            from registration.backends.default.views import ActivationView as PackageActivationView

            class ActivationView(PackageActivationView):  # a package's view: its methods are not ours to read
                def get_success_url(self, user):
                    return "/"

            class EmptyView(LoginRequiredMixin, View):  # Django's View with no handler answers nothing
                pass

            class ApiView(View):  # its own dispatch answers every method
                def dispatch(self, request, *args, **kwargs):
                    return self.execute(request)
        """,
        "site/urls.py": """
            from django.urls import path
            from site.views import ActivationView, ApiView, EmptyView

            urlpatterns = [
                path("activate/<str:key>/", ActivationView.as_view(), name="activate"),
                path("empty/", EmptyView.as_view()),
                path("api/", ApiView.as_view()),
            ]
        """,
    }
    assert routes(files) == {
        ("/activate/{key}/", "*", "site.views:ActivationView.dispatch", "dispatch"),
        ("/api/", "*", "site.views:ApiView.dispatch", "dispatch"),
    }
    details = sorted(u.detail for u in found(files).unresolved if u.detail.startswith("class-based"))
    assert details == [
        "class-based view site.views:ActivationView on a base static reading cannot read: one route for any method",
        "class-based view site.views:EmptyView with no HTTP method static reading can find",
    ]


def test_urlpatterns_concatenated_from_a_list_of_pattern_lists() -> None:
    files = {
        "site/__init__.py": "",
        "site/settings.py": "ROOT_URLCONF = 'site.urls'\nINSTALLED_APPS = ['site']\nSHOW_ADMIN = False\n",
        "site/constants.py": """
            SLUG = "[-a-z0-9]+"
            pattern_opts = {"project_slug": SLUG, "filename": "|".join(x for x in "ab")}
        """,
        "site/views.py": """
            def home(request): ...
            def project(request, project_slug): ...
            def admin_page(request): ...
            def api_root(request): ...
            def extra(request): ...
        """,
        "site/urls.py": """
            from functools import reduce
            from itertools import chain
            from operator import add

            from django.conf import settings
            from django.urls import path, re_path

            from site import views
            from site.constants import pattern_opts

            basic_urls = [path("", views.home)]
            project_urls = [
                re_path(r"^projects/(?P<project_slug>{project_slug})/$".format(**pattern_opts), views.project),
            ]
            admin_urls = [path("admin/", views.admin_page)]

            groups = [basic_urls, project_urls]
            if settings.SHOW_ADMIN:
                groups.append(admin_urls)  # a branch the settings never take
            groups.append([path("api/", views.api_root)])

            urlpatterns = reduce(add, groups) + list(chain([path("extra/", views.extra)]))
        """,
    }
    assert {(p, h) for p, _, h, _ in routes(files)} == {
        ("/", "site.views:home"),
        ("/projects/{project_slug}/", "site.views:project"),
        ("/api/", "site.views:api_root"),
        ("/extra/", "site.views:extra"),
    }
    assert not any(file == "site/urls.py" for file, _ in unresolved(files))


def test_sum_and_chain_from_iterable_concatenate_and_other_reductions_do_not() -> None:
    files = {
        "site/__init__.py": "",
        "site/settings.py": "ROOT_URLCONF = 'site.urls'\nINSTALLED_APPS = ['site']\n",
        "site/views.py": "def a(request): ...\ndef b(request): ...\n",
        "site/urls.py": """
            from functools import reduce
            from itertools import chain

            from django.urls import path

            from site import views

            first = [path("a/", views.a)]
            second = [path("b/", views.b)]
            urlpatterns = sum([first], []) + list(chain.from_iterable([second]))
            urlpatterns += reduce(lambda x, y: x, [first, second])  # not a concatenation: left unread
        """,
    }
    assert {(p, h) for p, _, h, _ in routes(files)} == {("/a/", "site.views:a"), ("/b/", "site.views:b")}
    assert ("site/urls.py", 12) in unresolved(files)


def test_a_route_whose_format_fields_cannot_be_folded_is_kept_with_them_as_parameters() -> None:
    files = {
        "site/__init__.py": "",
        "site/settings.py": "ROOT_URLCONF = 'site.urls'\nINSTALLED_APPS = ['site']\n",
        "site/views.py": "def download(request, kind): ...\n",
        "site/urls.py": """
            from django.urls import re_path

            from site import views

            KINDS = "|".join(k for k in ("pdf", "epub"))
            urlpatterns = [re_path(r"^downloads/(?P<kind>{kinds})/$".format(kinds=KINDS), views.download)]
        """,
    }
    assert {(p, h) for p, _, h, _ in routes(files)} == {("/downloads/{kind}/", "site.views:download")}
    details = [u.detail for u in found(files).unresolved if u.location.file == "site/urls.py"]
    assert details == ["route computed at run time, shown as '^downloads/(?P<kind>{kinds})/$'"]


def test_views_of_django_vanilla_views_answer_their_methods() -> None:
    files = {
        "site/__init__.py": "",
        "site/settings.py": "ROOT_URLCONF = 'site.urls'\nINSTALLED_APPS = ['site']\n",
        "site/views.py": """
            from django.contrib.auth.mixins import LoginRequiredMixin
            from vanilla import ListView, UpdateView

            class ProfileEdit(LoginRequiredMixin, UpdateView):
                pass

            class TokenList(ListView):
                pass
        """,
        "site/urls.py": """
            from django.urls import path
            from site.views import ProfileEdit, TokenList

            urlpatterns = [path("edit/", ProfileEdit.as_view()), path("tokens/", TokenList.as_view())]
        """,
    }
    assert {(p, m) for p, m, _, _ in routes(files)} == {("/edit/", "GET"), ("/edit/", "POST"), ("/tokens/", "GET")}


def test_a_rule_folds_str_methods_over_a_setting() -> None:
    files = {
        "site/__init__.py": "",
        "site/settings.py": "ROOT_URLCONF = 'site.urls'\nINSTALLED_APPS = ['site']\nMEDIA_URL = '/Media/'\n",
        "site/views.py": "def serve(request, path): ...\ndef legacy(request): ...\n",
        "site/urls.py": """
            from django.conf import settings
            from django.urls import re_path

            from site import views

            urlpatterns = [
                re_path(r"^{}/(?P<path>.*)$".format(settings.MEDIA_URL.strip("/").lower()), views.serve),
                re_path(r"^{}/$".format(settings.MEDIA_URL.split("/")), views.legacy),  # not a str: unknown
            ]
        """,
    }
    assert {(p, h) for p, _, h, _ in routes(files)} == {
        ("/media/{path}", "site.views:serve"),
        ("/{value}/", "site.views:legacy"),
    }


def test_patterns_a_project_function_hands_back_and_views_wrapped_by_a_wraps_call() -> None:
    files = {
        "site/__init__.py": "",
        "site/settings.py": "ROOT_URLCONF = 'site.urls'\nINSTALLED_APPS = ['site']\nUSE_I18N = True\n",
        "site/i18n.py": """
            import django.urls
            from django.conf import settings

            def i18n_patterns(*urls, prefix_default_language=True):
                if not settings.USE_I18N:
                    return list(urls)
                return [django.urls.URLResolver(LocalePrefixPattern(prefix_default_language), list(urls))]
        """,
        "site/access.py": """
            from functools import wraps

            def user_access_decorator(redirect_func):
                def decorator(view_fn):
                    def _wrapped_view(request, *args, **kwargs):
                        if redirect_func(request.user):
                            return None
                        return view_fn(request, *args, **kwargs)

                    return wraps(view_fn)(_wrapped_view)

                return decorator

            def login_required(func):
                return user_access_decorator(lambda user: not user.is_authenticated)(func)
        """,
        "site/views.py": """
            from site.access import login_required

            @login_required
            def edit(request): ...

            @login_required
            def history(request): ...
        """,
        "site/urls.py": """
            from django.urls import path
            from site import views
            from site.i18n import i18n_patterns

            urlpatterns = i18n_patterns(path("edit/", views.edit), path("history/", views.history))
        """,
    }
    assert {(p, h) for p, _, h, _ in routes(files)} == {
        ("/edit/", "site.views:edit"),
        ("/history/", "site.views:history"),
    }
    assert not any(file.startswith("site/") for file, _ in unresolved(files))


def test_a_rule_folds_a_setting_read_from_the_environment_with_its_default() -> None:
    files = {
        "dojo/__init__.py": "",
        "dojo/settings.py": """
            import os
            import environ

            env = environ.FileAwareEnv(DD_MEDIA_URL=(str, "/media/"))
            ROOT_URLCONF = "dojo.urls"
            INSTALLED_APPS = ["dojo"]
            MEDIA_URL = env("DD_MEDIA_URL")
            STATIC_URL = os.environ.get("DD_STATIC_URL", "/static/")
            UPLOADS = env("DD_UPLOADS")  # declared nowhere: no default to fold
        """,
        "dojo/views.py": "def serve(request, path): ...\ndef static(request, path): ...\ndef upload(request): ...\n",
        "dojo/urls.py": """
            from django.conf import settings
            from django.urls import re_path

            from dojo import views

            urlpatterns = [
                re_path(r"^{}/(?P<path>.*)$".format(settings.MEDIA_URL.strip("/")), views.serve),
                re_path(r"^{}(?P<path>.*)$".format(settings.STATIC_URL.lstrip("/")), views.static),
                re_path(r"^{}/$".format(settings.UPLOADS), views.upload),
            ]
        """,
    }
    assert {(p, h) for p, _, h, _ in routes(files)} == {
        ("/media/{path}", "dojo.views:serve"),
        ("/static/{path}", "dojo.views:static"),
        ("/{value}/", "dojo.views:upload"),
    }
