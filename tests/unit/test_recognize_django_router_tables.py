"""Routers the project defines itself (a vendored copy of DRF's, or a subclass overriding `routes`):
recognised by their shape, expanded by their own `routes` table; positive and negative cases."""

from __future__ import annotations

from test_recognize_django import found, routes

# A DRF 2.x-style router carried in the project: `register` stores into `self.registry`, the table
# has static rows (url + mapping) and dynamic rows (`{methodname}`), the default router builds its
# API root view as a class inside a method.
ROUTERS = """
from collections import namedtuple
from django.urls import re_path

from api.base import APIView

Route = namedtuple("Route", ["url", "mapping", "name", "initkwargs"])
DynamicDetailRoute = namedtuple("DynamicDetailRoute", ["url", "name", "initkwargs"])
DynamicListRoute = namedtuple("DynamicListRoute", ["url", "name", "initkwargs"])


class BaseRouter(object):
    def __init__(self):
        self.registry = []

    def register(self, prefix, viewset, base_name=None):
        self.registry.append((prefix, viewset, base_name))

    @property
    def urls(self):
        return self.get_urls()


class SimpleRouter(BaseRouter):
    routes = [
        Route(url=r"^{prefix}{trailing_slash}$", mapping={"get": "list", "post": "create"},
              name="{basename}-list", initkwargs={}),
        DynamicListRoute(url=r"^{prefix}/{methodname}{trailing_slash}$", name="{basename}-{methodnamehyphen}",
                         initkwargs={}),
        Route(url=r"^{prefix}/{lookup}{trailing_slash}$",
              mapping={"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"},
              name="{basename}-detail", initkwargs={}),
        DynamicDetailRoute(url=r"^{prefix}/{lookup}/{methodnamehyphen}{trailing_slash}$",
                           name="{basename}-{methodnamehyphen}", initkwargs={}),
    ]

    def __init__(self, trailing_slash=True):
        self.trailing_slash = trailing_slash and "/" or ""
        super().__init__()

    def get_urls(self):
        return [re_path(r.url, None) for r in self.routes]


class DefaultRouter(SimpleRouter):
    include_root_view = True

    def get_api_root_view(self):
        class APIRoot(APIView):
            def get(self, request, format=None):
                return None
        return APIRoot.as_view()
"""

BASE = """
class APIView:
    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        return None

class ListModelMixin:
    def list(self, request): ...

class CreateModelMixin:
    def create(self, request): ...

class RetrieveModelMixin:
    def retrieve(self, request, pk=None): ...

class DestroyModelMixin:
    def destroy(self, request, pk=None): ...

class GenericViewSet(APIView):
    pass

class ReadOnlyViewSet(RetrieveModelMixin, ListModelMixin, GenericViewSet):
    pass

class ModelViewSet(CreateModelMixin, DestroyModelMixin, ReadOnlyViewSet):
    pass
"""

DECORATORS = """
def detail_route(methods=["get"], **kwargs):
    def decorator(func):
        func.bind_to_methods = methods
        func.detail = True
        func.kwargs = kwargs
        return func
    return decorator


def list_route(methods=["get"], **kwargs):
    def decorator(func):
        func.bind_to_methods = methods
        func.detail = False
        func.kwargs = kwargs
        return func
    return decorator


def traced(name):
    def decorator(func):
        func.traced = name
        return func
    return decorator
"""

VIEWS = """
from api.base import GenericViewSet, ModelViewSet, ReadOnlyViewSet
from api.decorators import detail_route, list_route, traced


class OrderingMixin:
    @list_route(methods=["POST"])
    def bulk_update_order(self, request): ...


class ProjectViewSet(OrderingMixin, ModelViewSet):
    lookup_field = "slug"

    @detail_route(methods=["post", "delete"])
    def leave_project(self, request, slug=None): ...

    @detail_route()
    def stats(self, request, slug=None): ...

    @traced("x")
    def helper(self, request): ...


class TagViewSet(ReadOnlyViewSet):
    pass


class AuthViewSet(GenericViewSet):
    def create(self, request): ...
"""

URLS = """
from django.urls import include, path
from api.routers import DefaultRouter
from api.views import AuthViewSet, ProjectViewSet, TagViewSet

router = DefaultRouter(trailing_slash=False)
router.register(r"projects", ProjectViewSet, base_name="projects")
router.register(r"projects/(?P<resource_id>\\d+)/tags", TagViewSet, base_name="tags")
router.register(r"auth", AuthViewSet, base_name="auth")

urlpatterns = [path("api/v1/", include(router.urls))]
"""


def files(**changed: str) -> dict[str, str]:
    tree = {
        "api/__init__.py": "",
        "api/base.py": BASE,
        "api/decorators.py": DECORATORS,
        "api/routers.py": ROUTERS,
        "api/views.py": VIEWS,
        "proj/urls.py": URLS,
    }
    tree.update({f"{name.replace('__', '/')}.py": text for name, text in changed.items()})
    return tree


def test_a_vendored_router_is_expanded_by_its_own_route_table() -> None:
    p, m, o = "api.views:ProjectViewSet", "api.base", "api.views:OrderingMixin"
    assert routes(files()) == {
        ("/api/v1/", "GET", "api.routers:DefaultRouter.get_api_root_view.APIRoot.get", "get"),
        ("/api/v1/projects", "GET", f"{m}:ListModelMixin.list", "list"),
        ("/api/v1/projects", "POST", f"{m}:CreateModelMixin.create", "create"),
        ("/api/v1/projects/bulk_update_order", "POST", f"{o}.bulk_update_order", "bulk_update_order"),
        ("/api/v1/projects/{slug}", "GET", f"{m}:RetrieveModelMixin.retrieve", "retrieve"),
        ("/api/v1/projects/{slug}", "DELETE", f"{m}:DestroyModelMixin.destroy", "destroy"),
        ("/api/v1/projects/{slug}/leave-project", "POST", f"{p}.leave_project", "leave_project"),
        ("/api/v1/projects/{slug}/leave-project", "DELETE", f"{p}.leave_project", "leave_project"),
        ("/api/v1/projects/{slug}/stats", "GET", f"{p}.stats", "stats"),
        ("/api/v1/projects/{resource_id}/tags", "GET", f"{m}:ListModelMixin.list", "list"),
        ("/api/v1/projects/{resource_id}/tags/{pk}", "GET", f"{m}:RetrieveModelMixin.retrieve", "retrieve"),
        ("/api/v1/auth", "POST", "api.views:AuthViewSet.create", "create"),
    }
    views = {r.view for r in found(files()).routes if r.path.startswith("/api/v1/projects/{slug}")}
    assert views == {p}
    raw = {r.raw_path for r in found(files()).routes if r.action == "stats"}
    assert raw == {"api/v1/^projects/(?P<slug>[^/.]+)/stats$"}


def test_a_router_without_a_root_view_flag_is_a_simple_router() -> None:
    urls = URLS.replace("import DefaultRouter", "import SimpleRouter").replace("DefaultRouter(", "SimpleRouter(")
    got = routes(files(proj__urls=urls))
    assert not any(path == "/api/v1/" for path, *_ in got)
    assert ("/api/v1/auth", "POST", "api.views:AuthViewSet.create", "create") in got


def test_a_routes_table_without_a_registering_method_is_not_a_router() -> None:
    """A class listing `routes` of url templates whose `register` stores nothing is not a router."""
    routers = ROUTERS.replace("self.registry.append((prefix, viewset, base_name))", "print(prefix)")
    found_here = found(files(api__routers=routers))
    assert found_here.routes == []
    assert [u.location.line for u in found_here.unresolved] == [11]


def test_decorators_that_do_not_mark_a_detail_flag_add_no_route() -> None:
    got = routes(files())
    assert not any(action == "helper" for *_, action in got)


def test_a_drf_router_subclass_with_its_own_table_uses_it() -> None:
    routers = """
    from rest_framework.routers import DynamicRoute, Route, SimpleRouter

    class ReadOnlyRouter(SimpleRouter):
        routes = [
            Route(url=r"^{prefix}/list{trailing_slash}$", mapping={"get": "list"}, name="{basename}-list",
                  detail=False, initkwargs={}),
            DynamicRoute(url=r"^{prefix}/{lookup}/do/{url_path}{trailing_slash}$", name="{basename}-{url_name}",
                         detail=True, initkwargs={}),
        ]
    """
    views = """
    from rest_framework import viewsets
    from rest_framework.decorators import action

    class TicketViewSet(viewsets.ModelViewSet):
        @action(detail=True, methods=["post"], url_path="close-it")
        def close(self, request, pk=None): ...

        @action(detail=False)
        def mine(self, request): ...
    """
    urls = """
    from api.routers import ReadOnlyRouter
    from api.views import TicketViewSet
    router = ReadOnlyRouter()
    router.register("tickets", TicketViewSet)
    urlpatterns = router.urls
    """
    t = "api.views:TicketViewSet"
    assert routes(files(api__routers=routers, api__views=views, proj__urls=urls)) == {
        ("/tickets/list/", "GET", f"{t}.list", "list"),
        ("/tickets/{pk}/do/close-it/", "POST", f"{t}.close", "close"),
    }


# -- drf-nested-routers ------------------------------------------------------------------------------

NESTED_VIEWS = """
from rest_framework import viewsets

class DomainViewSet(viewsets.ModelViewSet):
    lookup_field = "name"

class NameserverViewSet(viewsets.ReadOnlyModelViewSet):
    pass

class RecordViewSet(viewsets.ReadOnlyModelViewSet):
    pass
"""


def test_nested_routers_put_the_parent_prefix_and_lookup_before_their_prefixes() -> None:
    urls = """
    from django.urls import include, path
    from rest_framework.routers import SimpleRouter
    from rest_framework_nested import routers
    from api.views import DomainViewSet, NameserverViewSet, RecordViewSet

    router = SimpleRouter()
    router.register(r"domains", DomainViewSet)
    domains = routers.NestedSimpleRouter(router, r"domains", lookup="domain")
    domains.register(r"nameservers", NameserverViewSet, basename="domain-nameservers")
    servers = routers.NestedSimpleRouter(domains, r"nameservers")
    servers.register(r"records", RecordViewSet, basename="records")
    urlpatterns = [path("", include(router.urls)), path("", include(domains.urls)), path("", include(servers.urls))]
    """
    got = {(p, h) for p, _, h, _ in routes(files(api__views=NESTED_VIEWS, proj__urls=urls))}
    assert {p for p, _ in got} == {
        "/domains/",
        "/domains/{name}/",
        "/domains/{domain_name}/nameservers/",
        "/domains/{domain_name}/nameservers/{pk}/",
        "/domains/{domain_name}/nameservers/{nested_2_pk}/records/",
        "/domains/{domain_name}/nameservers/{nested_2_pk}/records/{pk}/",
    }
    assert ("/domains/{domain_name}/nameservers/", "api.views:NameserverViewSet.list") in got


def test_a_nested_router_whose_parent_prefix_is_not_registered_is_unresolved() -> None:
    urls = """
    from django.urls import include, path
    from rest_framework.routers import SimpleRouter
    from rest_framework_nested.routers import NestedSimpleRouter
    from api.views import DomainViewSet, NameserverViewSet

    router = SimpleRouter()
    router.register(r"domains", DomainViewSet)
    orphans = NestedSimpleRouter(router, r"zones", lookup="zone")
    orphans.register(r"nameservers", NameserverViewSet, basename="zone-nameservers")
    urlpatterns = [path("", include(orphans.urls))]
    """
    here = found(files(api__views=NESTED_VIEWS, proj__urls=urls))
    assert here.routes == []
    assert [(u.rule, u.location.line) for u in here.unresolved] == [("drf.router.nested-simple", 9)]


def test_a_router_subclass_setting_its_trailing_slash_in_init_serves_that_slash() -> None:
    routers = """
    from rest_framework.routers import DefaultRouter, SimpleRouter

    class OptionalSlashRouter(DefaultRouter):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.trailing_slash = "/?"

    class OverriddenRouter(SimpleRouter):
        def __init__(self):
            self.trailing_slash = "/?"   # set before DRF's __init__, which sets it again
            super().__init__()
    """
    urls = """
    from django.urls import include, path
    from api.routers import OptionalSlashRouter, OverriddenRouter
    from api.views import NameserverViewSet

    optional = OptionalSlashRouter()
    optional.register("a", NameserverViewSet)
    plain = OverriddenRouter()
    plain.register("b", NameserverViewSet)
    urlpatterns = [path("", include(optional.urls)), path("", include(plain.urls))]
    """
    raws = {r.raw_path for r in found(files(api__routers=routers, api__views=NESTED_VIEWS, proj__urls=urls)).routes}
    assert raws == {"^$", "^a/?$", "^a/(?P<pk>[^/.]+)/?$", "^b/$", "^b/(?P<pk>[^/.]+)/$"}


# -- drf-extensions' nested registrations --------------------------------------------------------------


def test_nested_registrations_put_each_parent_prefix_and_lookup_before_the_prefix() -> None:
    routers = """
    from rest_framework.routers import DefaultRouter
    from rest_framework_extensions.routers import NestedRouterMixin

    class ProjectRouter(NestedRouterMixin, DefaultRouter):
        pass
    """
    urls = """
    from django.urls import include, path
    from rest_framework_extensions.routers import ExtendedSimpleRouter
    from api.routers import ProjectRouter
    from api.views import DomainViewSet, NameserverViewSet, RecordViewSet

    router = ProjectRouter()
    domains = router.register(r"domains", DomainViewSet, "domains")
    domains.register(r"nameservers", NameserverViewSet, "domain-nameservers", ["domain"]).register(
        r"records", RecordViewSet, "records", parents_query_lookups=["server__domain", "server"]
    )
    simple = ExtendedSimpleRouter()
    simple.register(r"zones", DomainViewSet, "zones").register(r"servers", NameserverViewSet, "s", ["zone"])
    urlpatterns = [path("api/", include(router.urls)), path("", include(simple.urls))]
    """
    got = {p for p, *_ in routes(files(api__routers=routers, api__views=NESTED_VIEWS, proj__urls=urls))}
    assert got == {
        "/api/",
        "/api/domains/",
        "/api/domains/{name}/",
        "/api/domains/{parent_lookup_domain}/nameservers/",
        "/api/domains/{parent_lookup_domain}/nameservers/{pk}/",
        "/api/domains/{parent_lookup_server__domain}/nameservers/{parent_lookup_server}/records/",
        "/api/domains/{parent_lookup_server__domain}/nameservers/{parent_lookup_server}/records/{pk}/",
        "/zones/",
        "/zones/{name}/",
        "/zones/{parent_lookup_zone}/servers/",
        "/zones/{parent_lookup_zone}/servers/{pk}/",
    }


def test_nested_registrations_on_a_router_that_does_not_nest_are_unresolved() -> None:
    """A vendored router whose `register` returns its own nesting item: how it nests is its code's."""
    urls = URLS.replace(
        'router.register(r"auth", AuthViewSet, base_name="auth")',
        'router.register(r"auth", AuthViewSet, base_name="auth").register(r"x", TagViewSet, "x", ["auth"])',
    )
    here = found(files(proj__urls=urls))
    assert not any("/x" in r.path for r in here.routes)
    assert [(u.rule, u.location.line) for u in here.unresolved] == [("drf.router.nested-registry", 9)]


def test_a_vendored_drf3_router_serves_the_root_view_class_it_names() -> None:
    """A copy of DRF 3's routers: `DynamicRoute` rows with `detail=`, `APIRootView = APIRootView`."""
    routers = """
    from collections import namedtuple
    from api.base import APIView

    Route = namedtuple("Route", ["url", "mapping", "name", "detail", "initkwargs"])
    DynamicRoute = namedtuple("DynamicRoute", ["url", "name", "detail", "initkwargs"])


    class APIRootView(APIView):
        def get(self, request, *args, **kwargs): ...


    class SimpleRouter:
        routes = [
            Route(url=r"^{prefix}{trailing_slash}$", mapping={"get": "list"}, name="{basename}-list",
                  detail=False, initkwargs={}),
            DynamicRoute(url=r"^{prefix}/{url_path}{trailing_slash}$", name="{basename}-{url_name}",
                         detail=False, initkwargs={}),
        ]

        def __init__(self, trailing_slash=True):
            self.trailing_slash = "/" if trailing_slash else ""
            self.registry = []

        def register(self, prefix, viewset, basename=None):
            self.registry.append((prefix, viewset, basename))


    class DefaultRouter(SimpleRouter):
        include_root_view = True
        APIRootView = APIRootView
    """
    decorators = """
    def action(methods=None, detail=None, url_path=None, **kwargs):
        def decorator(func):
            func.detail = detail
            func.url_path = url_path if url_path else func.__name__
            return func
        return decorator
    """
    views = """
    from api.base import ReadOnlyViewSet
    from api.decorators import action

    class TagViewSet(ReadOnlyViewSet):
        @action(detail=False, methods=["post"], url_path="merge-all")
        def merge(self, request): ...

        @action(detail=True)
        def usage(self, request, pk=None): ...
    """
    urls = """
    from api.routers import DefaultRouter
    from api.views import TagViewSet
    router = DefaultRouter()
    router.register("tags", TagViewSet)
    urlpatterns = router.urls
    """
    got = routes(files(api__routers=routers, api__decorators=decorators, api__views=views, proj__urls=urls))
    assert got == {
        ("/", "GET", "api.routers:APIRootView.get", "get"),
        ("/tags/", "GET", "api.base:ListModelMixin.list", "list"),
        ("/tags/merge-all/", "POST", "api.views:TagViewSet.merge", "merge"),
    }


def test_an_action_mapping_adds_another_method_to_the_actions_url() -> None:
    views = """
    from rest_framework import viewsets
    from rest_framework.decorators import action

    class TicketViewSet(viewsets.GenericViewSet):
        @action(detail=True, methods=["put"])
        def subscribe(self, request, pk=None): ...

        @subscribe.mapping.delete
        def unsubscribe(self, request, pk=None): ...

        @other.mapping.post   # no action of that name: nothing
        def stray(self, request): ...
    """
    urls = """
    from rest_framework.routers import SimpleRouter
    from api.views import TicketViewSet
    router = SimpleRouter()
    router.register("tickets", TicketViewSet)
    urlpatterns = router.urls
    """
    t = "api.views:TicketViewSet"
    assert routes(files(api__views=views, proj__urls=urls)) == {
        ("/tickets/{pk}/subscribe/", "PUT", f"{t}.subscribe", "subscribe"),
        ("/tickets/{pk}/subscribe/", "DELETE", f"{t}.unsubscribe", "unsubscribe"),
    }
