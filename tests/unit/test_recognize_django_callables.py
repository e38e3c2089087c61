"""Django routes to callable instances (`path("rss/", LatestFeed())`) and views built by project factories."""

from __future__ import annotations

from test_recognize_django import routes, unresolved

FEEDS = """
from django.contrib.syndication.views import Feed
from django.http import HttpResponse

class LatestFeed(Feed):
    title = "Latest"
    def items(self):
        return []

class SearchFeed(LatestFeed):
    pass

class Ping:
    def __call__(self, request):
        return HttpResponse("pong")

class Plain:
    def render(self, request):
        return HttpResponse()
"""


def test_instances_of_callable_classes_are_views() -> None:
    files = {
        "blog/__init__.py": "",
        "blog/feeds.py": FEEDS,
        "proj/urls.py": """
            from django.urls import path, re_path
            from blog.feeds import LatestFeed, Ping, SearchFeed
            ping = Ping()
            urlpatterns = [
                path("rss/", LatestFeed()),
                re_path(r"^rss/search$", SearchFeed()),
                path("ping/", ping),
            ]
        """,
    }
    assert routes(files) == {
        ("/rss/", "*", "blog.feeds:LatestFeed.__call__", "__call__"),
        ("/rss/search", "*", "blog.feeds:SearchFeed.__call__", "__call__"),
        ("/ping/", "*", "blog.feeds:Ping.__call__", "__call__"),
    }


def test_instances_of_classes_that_are_not_callable_stay_unresolved() -> None:
    files = {
        "blog/__init__.py": "",
        "blog/feeds.py": FEEDS,
        "proj/urls.py": """
            from django.urls import path
            from blog.feeds import Plain
            plain = Plain()
            urlpatterns = [
                path("plain/", Plain()),
                path("named/", plain),
            ]
        """,
    }
    assert routes(files) == set()
    assert unresolved(files) == {("proj/urls.py", 6), ("proj/urls.py", 7)}


# -- a project factory returning `SomeView.as_view(...)` ---------------------------------------------

FACTORY_VIEWS = """
from django.views.generic import RedirectView, TemplateView

def redirect_doc(uri, request=None):
    view = RedirectView.as_view(url="https://docs.example.com%s" % uri)
    return view(request) if request else view

def page(template):
    return TemplateView.as_view(template_name=template)

def not_a_view(name):
    return name.upper()
"""


def test_a_factory_returning_as_view_routes_that_class() -> None:
    files = {
        "docs/__init__.py": "",
        "docs/factories.py": FACTORY_VIEWS,
        "proj/urls.py": """
            from django.urls import path
            from docs.factories import page, redirect_doc
            urlpatterns = [
                path("guide/", redirect_doc("/guide")),
                path("about/", page("about.html")),
            ]
        """,
    }
    found = routes(files)
    assert ("/guide/", "GET", "django.views.generic.base:RedirectView.get", "get") in found
    assert ("/about/", "GET", "django.views.generic.base:TemplateView.get", "get") in found
    assert {path for path, *_ in found} == {"/guide/", "/about/"}
    assert unresolved(files) == set()


def test_a_factory_returning_something_else_stays_unresolved() -> None:
    files = {
        "docs/__init__.py": "",
        "docs/factories.py": FACTORY_VIEWS,
        "proj/urls.py": """
            from django.urls import path
            from docs.factories import not_a_view
            urlpatterns = [path("x/", not_a_view("x"))]
        """,
    }
    assert routes(files) == set()
    assert unresolved(files) == {("proj/urls.py", 4)}


# -- the root URLconf extended by another module (an `AppConfig.ready()` appending to it) ------------

READY_VIEWS = """
from django.http import HttpResponse

def index(request):
    return HttpResponse()

def feedback(request):
    return HttpResponse()
"""


def test_patterns_appended_by_another_module_come_after_the_urlconfs_own_assignment() -> None:
    """`ready()` imports the root urlpatterns and appends: that runs after the URLconf module was executed."""
    files = {
        "aaa/__init__.py": "",
        "aaa/views.py": READY_VIEWS,
        "aaa/apps.py": """
            from django.apps import AppConfig
            from django.urls import path

            class FeedbackConfig(AppConfig):
                name = "aaa"

                def ready(self):
                    from proj.urls import urlpatterns
                    from aaa.views import feedback
                    urlpatterns.append(path("feedback/", feedback))
        """,
        "proj/urls.py": """
            from django.urls import path
            from aaa.views import index
            urlpatterns = [path("", index)]
        """,
    }
    assert {p for p, *_ in routes(files)} == {"/", "/feedback/"}


def test_a_later_assignment_in_the_urlconf_itself_still_replaces_the_list() -> None:
    files = {
        "aaa/__init__.py": "",
        "aaa/views.py": READY_VIEWS,
        "proj/urls.py": """
            from django.urls import path
            from aaa.views import feedback, index
            urlpatterns = [path("old/", feedback)]
            urlpatterns.append(path("older/", feedback))
            urlpatterns = [path("", index)]
        """,
    }
    assert {p for p, *_ in routes(files)} == {"/"}


# -- a flag read from a settings dict with `.get()` -------------------------------------------------

DICT_SETTINGS = {
    "proj/__init__.py": "",
    "proj/settings.py": """
        import os
        ROOT_URLCONF = "proj.urls"
        IMPORTERS = {
            "github": {"active": False, "client_id": ""},
            "jira": {"active": True},
            "trello": {"client_id": ""},
        }
        EXTRA = dict(os.environ)
        PLUGINS = {**EXTRA, "x": {"active": False}}
    """,
}


def test_a_flag_read_with_get_from_a_settings_dict_selects_its_branch() -> None:
    files = {
        **DICT_SETTINGS,
        "aaa/__init__.py": "",
        "aaa/views.py": READY_VIEWS,
        "proj/urls.py": """
            from django.conf import settings
            from django.urls import path
            from aaa.views import index
            urlpatterns = []
            if settings.IMPORTERS.get("github", {}).get("active", False):
                urlpatterns += [path("github/", index)]
            if settings.IMPORTERS.get("jira", {}).get("active", False):
                urlpatterns += [path("jira/", index)]
            if settings.IMPORTERS.get("trello", {}).get("active"):
                urlpatterns += [path("trello/", index)]
            if settings.IMPORTERS.get("asana", {}).get("active", False):
                urlpatterns += [path("asana/", index)]
        """,
    }
    assert {p for p, *_ in routes(files)} == {"/jira/"}


def test_a_get_on_a_dict_that_may_hold_any_key_keeps_the_branch() -> None:
    files = {
        **DICT_SETTINGS,
        "aaa/__init__.py": "",
        "aaa/views.py": READY_VIEWS,
        "proj/urls.py": """
            from django.conf import settings
            from django.urls import path
            from aaa.views import index
            urlpatterns = []
            if settings.PLUGINS.get("y", {}).get("active", False):   # `**EXTRA` may hold "y"
                urlpatterns += [path("y/", index)]
            if settings.EXTRA.get("z"):
                urlpatterns += [path("z/", index)]
        """,
    }
    assert {p for p, *_ in routes(files)} == {"/y/", "/z/"}


WRAPPING_DECORATORS = """
from functools import wraps

from django.http import HttpResponseForbidden


def login_required(f_or_message):
    if isinstance(f_or_message, str):
        def _outer(f):
            return _make_wrapper(f, f_or_message)
        return _outer
    return _make_wrapper(f_or_message)


def _make_wrapper(f, message=None):
    @wraps(f)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return HttpResponseForbidden(message or "sign in")
        return f(request, *args, **kwargs)
    return wrapper


def _make_plain(f):
    def plain(request, *args, **kwargs):
        return f(request, *args, **kwargs)
    return plain


def logged(f):
    return _make_plain(f)
"""

WRAPPED_VIEWS = """
from django.http import HttpResponse

from forum.decorators import logged, login_required


def settings_required():
    return login_required("Sign in to change your settings")


@settings_required()
def index(request):
    return HttpResponse("settings")


@login_required
def profile(request):
    return HttpResponse("profile")


def start(request):
    return HttpResponse("start")


@logged
def audit(request):
    return HttpResponse("audit")
"""


def test_a_wraps_closure_built_by_a_helper_routes_the_function_it_wraps() -> None:
    files = {
        "forum/__init__.py": "",
        "forum/decorators.py": WRAPPING_DECORATORS,
        "forum/views.py": WRAPPED_VIEWS,
        "proj/urls.py": """
            from django.urls import path
            from forum import views
            from forum.decorators import login_required
            urlpatterns = [
                path("", views.index),
                path("profile/", views.profile),
                path("start/", login_required("Sign in to start")(views.start)),
            ]
        """,
    }
    assert routes(files) == {
        ("/", "*", "forum.views:index", None),
        ("/profile/", "*", "forum.views:profile", None),
        ("/start/", "*", "forum.views:start", None),
    }


def test_a_closure_without_wraps_built_by_a_helper_stays_the_handler() -> None:
    files = {
        "forum/__init__.py": "",
        "forum/decorators.py": WRAPPING_DECORATORS,
        "forum/views.py": WRAPPED_VIEWS,
        "proj/urls.py": """
            from django.urls import path
            from forum import views
            urlpatterns = [path("audit/", views.audit)]
        """,
    }
    assert routes(files) == {("/audit/", "*", "forum.decorators:_make_plain.plain", None)}


def test_a_wraps_closure_applied_to_a_class_view_routes_the_class() -> None:
    files = {
        "forum/__init__.py": "",
        "forum/decorators.py": WRAPPING_DECORATORS,
        "forum/views.py": """
            from django.http import HttpResponse
            from django.views import View

            class ThreadStartView(View):
                def get(self, request):
                    return HttpResponse()

                def post(self, request):
                    return HttpResponse()

            thread_start = ThreadStartView.as_view()
        """,
        "proj/urls.py": """
            from django.urls import path
            from forum.decorators import login_required, logged
            from forum.views import ThreadStartView, thread_start
            urlpatterns = [
                path("start/", login_required("Sign in to start")(thread_start)),
                path("new/", login_required("Sign in")(ThreadStartView.as_view())),
                path("audit/", logged(thread_start)),
            ]
        """,
    }
    found = routes(files)
    assert {r for r in found if r[0] in ("/start/", "/new/")} == {
        ("/start/", "GET", "forum.views:ThreadStartView.get", "get"),
        ("/start/", "POST", "forum.views:ThreadStartView.post", "post"),
        ("/new/", "GET", "forum.views:ThreadStartView.get", "get"),
        ("/new/", "POST", "forum.views:ThreadStartView.post", "post"),
    }
    # Why: a closure without `wraps` is the view Django runs and reports.
    assert {r for r in found if r[0] == "/audit/"} == {("/audit/", "*", "forum.decorators:_make_plain.plain", None)}
