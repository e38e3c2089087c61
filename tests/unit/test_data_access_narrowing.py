"""A helper branching on `isinstance(obj, X)`: the branch the caller's argument selects is the one that runs."""

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

        class SpecialProduct(Product):
            badge = models.CharField(max_length=20)

        class Member(models.Model):
            product = models.ForeignKey(Product, on_delete=models.CASCADE)

        class Invoice(models.Model):
            total = models.IntegerField()

        class Payment(models.Model):
            invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE)

        class Coupon(models.Model):
            code = models.CharField(max_length=20)

        class Audit(models.Model):
            note = models.CharField(max_length=20)
    """,
    "shop/permissions.py": """
        from shop.models import Audit, Coupon, Invoice, Member, Payment, Product

        def can_view(user, obj):
            if obj is None:
                return False
            if isinstance(obj, Product):
                return Member.objects.filter(product=obj, user=user).exists()
            if isinstance(obj, Invoice | Coupon):
                return Payment.objects.filter(invoice=obj).exists()
            Audit.objects.create(note=str(obj))
            return False
    """,
    "shop/views.py": """
        from django.http import JsonResponse
        from django.shortcuts import get_object_or_404
        from shop.models import Coupon, Invoice, Product, SpecialProduct
        from shop.permissions import can_view

        def product(request, pk):
            item = Product.objects.get(pk=pk)
            return JsonResponse({"ok": can_view(request.user, item)})

        def special(request, pk):
            item = SpecialProduct.objects.get(pk=pk)
            return JsonResponse({"ok": can_view(request.user, item)})

        def invoice(request, pk):
            item = get_object_or_404(Invoice, pk=pk)
            return JsonResponse({"ok": can_view(request.user, item)})

        def coupon(request, pk):
            item = Coupon.objects.get(pk=pk)
            return JsonResponse({"ok": can_view(request.user, item)})

        def either(request, pk):
            if request.GET.get("kind") == "invoice":
                item = Invoice.objects.get(pk=pk)
            else:
                item = Product.objects.get(pk=pk)
            return JsonResponse({"ok": can_view(request.user, item)})

        def unknown(request, pk):
            return JsonResponse({"ok": can_view(request.user, request.session.get("object"))})
    """,
    "shop/urls.py": """
        from django.urls import path
        from shop import views

        urlpatterns = [
            path("product/<int:pk>/", views.product),
            path("special/<int:pk>/", views.special),
            path("invoice/<int:pk>/", views.invoice),
            path("coupon/<int:pk>/", views.coupon),
            path("either/<int:pk>/", views.either),
            path("unknown/<int:pk>/", views.unknown),
        ]
    """,
}

M = "shop.models:"
PRODUCT, SPECIAL, MEMBER = M + "Product", M + "SpecialProduct", M + "Member"
INVOICE, PAYMENT, COUPON, AUDIT = M + "Invoice", M + "Payment", M + "Coupon", M + "Audit"
USER = "django.contrib.auth.models:User"  # each view reads `request.user` itself


def touched(files: dict[str, str]) -> dict[str, tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: (route.reads, route.writes) for route in found.routes}


def test_the_branch_of_the_callers_argument_type_runs_and_the_others_do_not() -> None:
    routes = touched(APP)
    # Why: a Product takes the first branch, which returns: no Payment read, no Audit written.
    assert routes["/product/{pk}/"] == (sorted([USER, PRODUCT, MEMBER]), [])
    # Why: an Invoice is no Product; `Invoice | Coupon` holds it.
    assert routes["/invoice/{pk}/"] == (sorted([USER, INVOICE, PAYMENT]), [])
    # Why: a tuple or a union of classes: any of them matches.
    assert routes["/coupon/{pk}/"] == (sorted([USER, COUPON, PAYMENT]), [])


def test_an_instance_of_a_subclass_passes_the_test_of_its_base() -> None:
    # Why: SpecialProduct inherits Product, so `isinstance(obj, Product)` holds for it.
    reads, writes = touched(APP)["/special/{pk}/"]
    assert MEMBER in reads
    assert PAYMENT not in reads
    assert writes == []


def test_an_argument_of_several_types_or_of_none_known_keeps_every_branch() -> None:
    routes = touched(APP)
    # Why: the local may be an Invoice or a Product: both branches may run (and neither returns for sure).
    reads, writes = routes["/either/{pk}/"]
    assert {MEMBER, PAYMENT} <= set(reads)
    assert writes == [AUDIT]
    # Why: nothing says what the session holds: every branch counts, as without narrowing.
    reads, writes = routes["/unknown/{pk}/"]
    assert {MEMBER, PAYMENT} <= set(reads)
    assert writes == [AUDIT]
