"""A chain on the call of a function of ours that returns a query is a chain on that query."""

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

        class Tag(models.Model):
            name = models.CharField(max_length=20)

        class Customer(models.Model):
            name = models.CharField(max_length=20)

        class Order(models.Model):
            customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
            tags = models.ManyToManyField(Tag)
    """,
    "shop/cache.py": """
        import functools

        def per_request(func):
            @functools.wraps(func)
            def wrapper(*args, **kwargs):
                return func(*args, **kwargs)
            return wrapper
    """,
    "shop/queries.py": """
        from shop.cache import per_request
        from shop.models import Order

        @per_request
        def authorized_orders(user):
            return Order.objects.filter(owner=user).order_by("id")

        def recent_orders(user):
            orders = authorized_orders(user).exclude(closed=True)
            return orders

        def order_names(user):
            return [o.name for o in authorized_orders(user)]

        def latest_order(user):
            return authorized_orders(user).first()
    """,
    "shop/views.py": """
        from django.http import JsonResponse
        from shop.queries import authorized_orders, latest_order, order_names, recent_orders

        def listing(request):
            orders = authorized_orders(request.user).prefetch_related("tags", "customer")
            return JsonResponse({"orders": [o.pk for o in orders]})

        def purge(request):
            recent_orders(request.user).filter(tags__name="old").delete()
            return JsonResponse({})

        def names(request):
            return JsonResponse({"names": order_names(request.user)})

        def latest(request):
            return JsonResponse({"pk": latest_order(request.user).pk})
    """,
    "shop/urls.py": """
        from django.urls import path
        from shop import views

        urlpatterns = [
            path("orders/", views.listing), path("purge/", views.purge), path("names/", views.names),
            path("latest/", views.latest),
        ]
    """,
}

USER = "django.contrib.auth.models:User"
ORDER, CUSTOMER, TAG = "shop.models:Order", "shop.models:Customer", "shop.models:Tag"
ORDER_TAGS = "table:shop_order_tags"


def accesses_of(files: dict[str, str]) -> dict[str, tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: (route.reads, route.writes) for route in found.routes}


def test_lookups_on_the_query_a_decorated_function_returns_join_what_they_name() -> None:
    # Why: `authorized_orders(...)` (wrapped by a request cache) returns a query of Order: its prefetches load the
    # customers, the tags and their relation table, as `Order.objects.prefetch_related(...)` would.
    reads, writes = accesses_of(APP)["/orders/"]
    assert reads == sorted([USER, ORDER, CUSTOMER, TAG, ORDER_TAGS])
    assert writes == []


def test_a_query_returned_through_a_local_and_another_function_is_written_by_delete() -> None:
    # Why: `recent_orders` returns a local bound to a chain on `authorized_orders(...)`: deleting what it returns
    # deletes orders, and the `tags__name` lookup joins the relation table and the tags.
    reads, writes = accesses_of(APP)["/purge/"]
    assert {ORDER, TAG, ORDER_TAGS} <= set(reads)
    assert ORDER in writes


def test_functions_returning_no_query_add_nothing_to_their_callers_chains() -> None:
    accesses = accesses_of(APP)
    # Why: `order_names` returns a list: its caller's use of it is no query (only the function's own read).
    assert accesses["/names/"] == (sorted([USER, ORDER]), [])
    # Why: `latest_order` returns a row (`.first()`): `.pk` on it is no query of Order and loads no relation.
    assert accesses["/latest/"] == (sorted([USER, ORDER]), [])
