"""Data access: a function passed as an argument runs for the call that passes it, not for every caller.

A small Django app whose views hand their own event functions to a shared helper that calls them
(directly, through a second helper that passes the function on, or in a lambda given to
`transaction.on_commit`).
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

SHOP = {
    "config/__init__.py": "",
    "config/settings.py": 'INSTALLED_APPS = ["shop"]\n',
    "shop/__init__.py": "",
    "shop/models.py": """
        from django.db import models

        class Order(models.Model):
            total = models.IntegerField(default=0)

        class Invoice(models.Model):
            number = models.CharField(max_length=20)

        class Delivery(models.Model):
            payload = models.TextField()

        class Audit(models.Model):
            verb = models.CharField(max_length=20)
    """,
    "shop/events.py": """
        from django.db import transaction
        from shop.models import Audit, Delivery, Invoice

        def call_event(func, *args, **kwargs):
            connection = transaction.get_connection()
            if connection.in_atomic_block:
                transaction.on_commit(lambda: func(*args, **kwargs))
            else:
                func(*args, **kwargs)

        def notify(handler, *args):
            Audit.objects.create(verb="notified")
            return call_event(handler, *args)

        def invoice_created(order):
            Invoice.objects.create(number=str(order.pk))

        def order_shipped(order):
            Delivery.objects.create(payload=str(order.pk))

        def with_default(order, hook=invoice_created):
            hook(order)

        class Plugins:
            def order_paid(self, order):
                Delivery.objects.create(payload="paid")
    """,
    "shop/views.py": """
        from django.http import JsonResponse
        from shop import events
        from shop.models import Order

        def create_invoice(request, pk):
            order = Order.objects.get(pk=pk)
            events.call_event(events.invoice_created, order)
            return JsonResponse({})

        def ship(request, pk):
            order = Order.objects.get(pk=pk)
            events.notify(events.order_shipped, order)
            return JsonResponse({})

        def pay(request, pk):
            order = Order.objects.get(pk=pk)
            events.call_event(events.Plugins().order_paid, order)
            return JsonResponse({})

        def default_hook(request, pk):
            order = Order.objects.get(pk=pk)
            events.with_default(order)
            return JsonResponse({})

        def touch(request, pk):
            events.call_event(print, pk)
            return JsonResponse({})
    """,
    "shop/urls.py": """
        from django.urls import path
        from shop import views

        urlpatterns = [
            path("invoice/<int:pk>/", views.create_invoice),
            path("ship/<int:pk>/", views.ship),
            path("pay/<int:pk>/", views.pay),
            path("touch/<int:pk>/", views.touch),
            path("default/<int:pk>/", views.default_hook),
        ]
    """,
}

ORDER, INVOICE, DELIVERY, AUDIT = (f"shop.models:{name}" for name in ("Order", "Invoice", "Delivery", "Audit"))


def routes_of(files: dict[str, str]) -> dict[str, tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: (route.reads, route.writes) for route in found.routes}


def test_a_function_passed_to_a_helper_runs_for_its_caller_only() -> None:
    routes = routes_of(SHOP)
    # Why: call_event calls what it is given; the invoice view gives invoice_created, not order_shipped.
    assert routes["/invoice/{pk}/"] == ([ORDER], [INVOICE])
    # Why: a bound method given as the callback runs too.
    assert routes["/pay/{pk}/"] == ([ORDER], [DELIVERY])


def test_a_helper_handing_its_callback_on_is_a_callback_caller_too() -> None:
    # Why: notify passes its handler on to call_event: the ship view reaches order_shipped through it.
    assert routes_of(SHOP)["/ship/{pk}/"] == ([ORDER], [AUDIT, DELIVERY])


def test_a_callback_parameters_default_still_runs() -> None:
    # Why: `hook=invoice_created` is what runs when the caller gives no hook.
    assert routes_of(SHOP)["/default/{pk}/"] == ([ORDER], [INVOICE])


def test_a_helper_given_no_function_of_ours_reaches_none_of_the_others() -> None:
    # Why: before, call_event reached every function any caller passed it (Invoice, Delivery written).
    assert routes_of(SHOP)["/touch/{pk}/"] == ([], [])
