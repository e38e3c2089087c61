"""A function looked up by a literal key in a registry of ours runs where the local holding it is called."""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

APP = {
    "config/__init__.py": "",
    "config/settings.py": 'INSTALLED_APPS = ["shop"]\n',
    "shop/__init__.py": "",
    "shop/models.py": """
        from django.db import models

        class Product(models.Model):
            name = models.CharField(max_length=20)

        class Member(models.Model):
            product = models.ForeignKey(Product, on_delete=models.CASCADE)

        class Order(models.Model):
            product = models.ForeignKey(Product, on_delete=models.CASCADE)
    """,
    "shop/registry.py": """
        _FILTERS = {}

        def register_filter(key, func):
            _FILTERS[key] = func

        def get_filter(key):
            return _FILTERS.get(key)
    """,
    "shop/filters.py": """
        from shop.models import Member, Order
        from shop.registry import register_filter

        def _members(user):
            return Member.objects.filter(pk=user)

        def _orders(user):
            return Order.objects.filter(pk=user)

        register_filter("shop.members", _members)
        register_filter("shop.orders", _orders)
    """,
    "shop/views.py": """
        from django.http import JsonResponse
        from shop.models import Product
        from shop.registry import get_filter

        def members(request):
            impl = get_filter("shop.members")
            if impl:
                return JsonResponse({"n": impl(request.user).count()})
            return JsonResponse({"n": Product.objects.count()})

        def unknown(request):
            impl = get_filter("shop.unknown")
            return JsonResponse({"n": impl(request.user).count() if impl else 0})

        def not_called(request):
            impl = get_filter("shop.orders")
            return JsonResponse({"found": impl is not None})
    """,
    "shop/urls.py": """
        from django.urls import path
        from shop import views

        urlpatterns = [path("members/", views.members), path("unknown/", views.unknown),
                       path("not-called/", views.not_called)]
    """,
}

PRODUCT, MEMBER = "shop.models:Product", "shop.models:Member"
USER = "django.contrib.auth.models:User"


def reads_of(files: dict[str, str]) -> dict[str, list[str]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: route.reads for route in found.routes}


def test_a_function_registered_under_a_literal_key_runs_where_it_is_looked_up_and_called() -> None:
    # Why: `get_filter("shop.members")` gives what `register_filter("shop.members", _members)` registered (the
    # view's use of request.user loads Django's default user).
    assert reads_of(APP)["/members/"] == sorted([USER, MEMBER, PRODUCT])


def test_other_keys_and_uncalled_lookups_run_nothing() -> None:
    reads = reads_of(APP)
    # Why: no function is registered under that key (only the user `request.user` loads is read); a function
    # looked up but not called does not run.
    assert reads["/unknown/"] == [USER]
    assert reads["/not-called/"] == []


def test_a_lookup_that_may_be_either_of_two_registries_runs_what_both_hold_under_the_key() -> None:
    files = dict(APP)
    files["shop/legacy_registry.py"] = """
        _OLD = {}

        def get_filter(key):
            return _OLD.get(key)
    """
    files["shop/views.py"] = files["shop/views.py"].replace(
        "from shop.registry import get_filter",
        "from shop.registry import get_filter\n        from shop import legacy_registry\n"
        "        if legacy_registry._OLD:\n            get_filter = legacy_registry.get_filter",
    )
    # Why: `get_filter` may be either module's function; the registered one must be found whichever of the two
    # the lookup meets first (set order varies with PYTHONHASHSEED: the answer must not).
    assert MEMBER in reads_of(files)["/members/"]
