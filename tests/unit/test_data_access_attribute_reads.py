"""Reading a Django row's foreign key or one-to-one attribute loads the related row: its table is read."""

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

        class Profile(models.Model):
            user = models.OneToOneField("auth.User", on_delete=models.CASCADE)
            blocked = models.BooleanField(default=False)

        class Customer(models.Model):
            name = models.CharField(max_length=20)

        class Line(models.Model):
            text = models.TextField()

        class Order(models.Model):
            customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
            lines = models.ManyToManyField(Line)
    """,
    "shop/views.py": """
        from django.http import JsonResponse
        from shop.models import Order

        def profile(request):
            if hasattr(request.user, "profile") and request.user.profile.blocked:
                return JsonResponse({}, status=403)
            return JsonResponse({})

        def maybe_profile(request):
            found = getattr(request.user, "profile", None)
            return JsonResponse({"found": found is not None})

        def customer(request, pk):
            order = Order.objects.get(pk=pk)
            return JsonResponse({"customer": order.customer.name})

        def customer_id(request, pk):
            order = Order.objects.get(pk=pk)
            return JsonResponse({"customer": order.customer_id, "lines": order.lines})

        def field(request):
            return JsonResponse({"field": str(Order.customer)})
    """,
    "shop/urls.py": """
        from django.urls import path
        from shop import views

        urlpatterns = [
            path("profile/", views.profile), path("maybe/", views.maybe_profile),
            path("customer/<int:pk>/", views.customer), path("customer-id/<int:pk>/", views.customer_id),
            path("field/", views.field),
        ]
    """,
}

USER = "django.contrib.auth.models:User"
PROFILE, CUSTOMER, ORDER = "shop.models:Profile", "shop.models:Customer", "shop.models:Order"


def reads_of(files: dict[str, str]) -> dict[str, list[str]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: route.reads for route in found.routes}


def test_a_reverse_one_to_one_read_by_attribute_hasattr_or_getattr_loads_the_related_row() -> None:
    reads = reads_of(APP)
    # Why: `hasattr(request.user, "profile")` and `request.user.profile` query the profile of the user.
    assert reads["/profile/"] == sorted([USER, PROFILE])
    # Why: `getattr(user, "profile", None)` reads the attribute the literal names, as `user.profile` would.
    assert reads["/maybe/"] == sorted([USER, PROFILE])


def test_a_foreign_key_attribute_of_a_loaded_row_reads_the_related_table() -> None:
    # Why: `order.customer.name` loads the order's customer.
    assert reads_of(APP)["/customer/{pk}/"] == sorted([ORDER, CUSTOMER])


def test_key_columns_to_many_managers_and_class_descriptors_load_nothing() -> None:
    reads = reads_of(APP)
    # Why: `customer_id` is the order's own column; `order.lines` is a manager (no query until a method runs).
    assert reads["/customer-id/{pk}/"] == [ORDER]
    # Why: `Order.customer` on the class is the field's descriptor, not a row.
    assert reads["/field/"] == []
