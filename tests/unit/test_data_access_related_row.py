"""Data access: calling a model's own method on a row reached through a relation attribute loads that row
first (`order.customer.display_name()` reads Customer; `request.user.config.get("k")` reads the user's config),
even where the method itself reads nothing.
"""

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

        class Customer(models.Model):
            first = models.CharField(max_length=50)
            last = models.CharField(max_length=50)

            def display_name(self):
                return f"{self.first} {self.last}"

        class Order(models.Model):
            customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
            amount = models.IntegerField()

            def total(self):
                return self.amount * 2
    """,
    "shop/views.py": """
        from django.http import JsonResponse
        from shop.models import Order

        def order_owner(request, pk):
            order = Order.objects.get(pk=pk)
            return JsonResponse({"name": order.customer.display_name()})

        def order_total(request, pk):
            order = Order.objects.get(pk=pk)
            return JsonResponse({"total": order.total()})
    """,
    "shop/urls.py": """
        from django.urls import path
        from shop import views

        urlpatterns = [
            path("orders/<int:pk>/owner/", views.order_owner),
            path("orders/<int:pk>/total/", views.order_total),
        ]
    """,
}

CUSTOMER, ORDER = "shop.models:Customer", "shop.models:Order"


def routes_of(files: dict[str, str]) -> dict[str, list[str]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: route.reads for route in found.routes}


def test_a_method_of_a_related_row_loads_that_row() -> None:
    # Why: `order.customer` is a lazy relation: the Customer row is selected before display_name() runs.
    assert routes_of(APP)["/orders/{pk}/owner/"] == [CUSTOMER, ORDER]


def test_a_method_of_the_row_itself_loads_nothing_more() -> None:
    # Why: `order.total()` runs on the row already loaded; it follows no relation.
    assert routes_of(APP)["/orders/{pk}/total/"] == [ORDER]
