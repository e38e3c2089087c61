"""Data access of an action a view class inherits from a base class of the project, run as that class.

A project's own base viewset overrides `create`/`destroy` and calls hooks on `self`: the route of each
concrete viewset runs the base's method with `self` an instance of that viewset (its model, its overrides).
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

SHOP = {
    "config/__init__.py": "",
    "config/settings.py": """
        INSTALLED_APPS = ["shop", "rest_framework"]
    """,
    "shop/__init__.py": "",
    "shop/models.py": """
        from django.db import models

        class Order(models.Model):
            total = models.IntegerField()

        class Refund(models.Model):
            amount = models.IntegerField()

        class Audit(models.Model):
            verb = models.CharField(max_length=20)
    """,
    "shop/base.py": """
        from rest_framework import mixins, viewsets
        from rest_framework.response import Response

        class BaseViewSet(
            mixins.CreateModelMixin, mixins.DestroyModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet
        ):
            def create(self, request, *args, **kwargs):
                serializer = self.get_serializer(data=request.data)
                serializer.is_valid(raise_exception=True)
                self.perform_create(serializer)
                return Response(serializer.data, status=201)

            def destroy(self, request, *args, **kwargs):
                instance = self.get_object()
                self.perform_destroy(instance)
                return Response(status=204)
    """,
    "shop/views.py": """
        from shop.base import BaseViewSet
        from shop.models import Audit, Order, Refund

        class OrderViewSet(BaseViewSet):
            queryset = Order.objects.all()

            def perform_create(self, serializer):
                serializer.save()
                Audit.objects.create(verb="order")

        class RefundViewSet(BaseViewSet):
            queryset = Refund.objects.all()
    """,
    "shop/urls.py": """
        from rest_framework.routers import DefaultRouter
        from shop import views

        router = DefaultRouter()
        router.register("orders", views.OrderViewSet)
        router.register("refunds", views.RefundViewSet)
        urlpatterns = router.urls
    """,
}
ORDER, REFUND, AUDIT = "shop.models:Order", "shop.models:Refund", "shop.models:Audit"


def routes_of(files: dict[str, str]) -> dict[tuple[str, str | None], tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {(route.path, route.action): (route.reads, route.writes) for route in found.routes}


def test_an_inherited_action_of_a_project_base_runs_as_the_routed_view() -> None:
    routes = routes_of(SHOP)
    # Why: BaseViewSet.create is the handler of both routes; run for OrderViewSet it writes Order and
    # runs OrderViewSet.perform_create (Audit written), for RefundViewSet it writes Refund only.
    assert routes[("/orders/", "create")] == ([], sorted([ORDER, AUDIT]))
    assert routes[("/refunds/", "create")] == ([], [REFUND])
    # Why: the destroy the base overrides reads and deletes the routed view's model, not the other's.
    assert routes[("/refunds/{pk}/", "destroy")] == ([REFUND], [REFUND])


def test_an_action_the_view_class_defines_itself_is_unchanged() -> None:
    files = {
        **SHOP,
        "shop/views.py": SHOP["shop/views.py"]
        + """
            def list(self, request):
                return Response(list(Audit.objects.all()))
        """,
    }
    files["shop/views.py"] = files["shop/views.py"].replace(
        "from shop.base import BaseViewSet",
        "from rest_framework.response import Response\n        from shop.base import BaseViewSet",
    )
    routes = routes_of(files)
    # Why: RefundViewSet.list is its own method (the last one of the module): what it does is what is read.
    assert routes[("/refunds/", "list")] == (sorted([AUDIT, REFUND]), [])
    # Why: OrderViewSet inherits DRF's list: its model is read, not Audit.
    assert routes[("/orders/", "list")] == ([ORDER], [])


RECEIVERS = {
    **SHOP,
    "shop/models.py": SHOP["shop/models.py"]
    + """
        class Change(models.Model):
            verb = models.CharField(max_length=20)

        class Logged(models.Model):
            class Meta:
                abstract = True

            def to_change(self, verb):
                change = Change(verb=verb)
                return change

        class Invoice(Logged):
            number = models.IntegerField()

        class Customer(models.Model):
            name = models.CharField(max_length=20)

        class Shipment(models.Model):
            customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
    """,
    "shop/signals.py": """
        from django.db.models.signals import post_save
        from django.dispatch import receiver
        from shop.models import Shipment

        @receiver(post_save)
        def record_change(sender, instance, **kwargs):
            if not hasattr(instance, "to_change"):
                return
            change = instance.to_change("saved")
            change.save()

        @receiver(post_save, sender=Shipment)
        def touch_customer(sender, instance, created, **kwargs):
            instance.customer.save()
    """,
    "shop/invoices.py": """
        from django.http import JsonResponse
        from shop.models import Invoice, Shipment

        def add_invoice(request):
            Invoice.objects.create(number=1)
            return JsonResponse({})

        def ship(request):
            Shipment.objects.create(customer_id=1)
            return JsonResponse({})
    """,
    "shop/urls.py": SHOP["shop/urls.py"]
    + """
        from django.urls import path
        from shop import invoices

        urlpatterns += [path("invoices/", invoices.add_invoice), path("ship/", invoices.ship)]
    """,
}
INVOICE, CHANGE = "shop.models:Invoice", "shop.models:Change"
CUSTOMER, SHIPMENT = "shop.models:Customer", "shop.models:Shipment"


def test_the_instance_of_a_model_signal_receiver_is_a_row_of_its_sender() -> None:
    routes = routes_of(RECEIVERS)
    # Why: the senderless post_save receiver calls `instance.to_change(...)`, a method of the models that
    # have one, which returns a new Change row: saving an invoice writes Change.
    assert routes[("/invoices/", None)] == ([], sorted([CHANGE, INVOICE]))
    # Why: the Shipment receiver's instance is a Shipment: `instance.customer.save()` writes Customer; the
    # senderless receiver leaves for a shipment and a customer (neither has `to_change`): no Change.
    assert routes[("/ship/", None)] == ([], sorted([CUSTOMER, SHIPMENT]))


def test_a_receiver_of_another_senders_signal_is_not_run() -> None:
    routes = routes_of(RECEIVERS)
    # Why: creating an Order runs the senderless receiver (which leaves for an Order) but not the Shipment one.
    assert CUSTOMER not in routes[("/orders/", "create")][1]
    assert CHANGE not in routes[("/orders/", "create")][1]  # Order has no `to_change`: the receiver leaves


GENERIC = {
    **SHOP,
    "shop/counting.py": """
        import inspect
        from django.http import JsonResponse
        from shop.models import Order, Refund

        def count_rows(model):
            return model.objects.count()

        def describe(model):
            return inspect.isclass(model)

        def count_orders(request):
            return JsonResponse({"n": count_rows(Order)})

        def count_refunds(request):
            return JsonResponse({"n": count_rows(Refund)})

        def describe_both(request):
            return JsonResponse({"a": describe(Order), "b": describe(Refund)})

        def one_model(model):
            return model.objects.count()

        def only_orders(request):
            return JsonResponse({"n": one_model(Order)})
    """,
    "shop/urls.py": SHOP["shop/urls.py"]
    + """
        from django.urls import path
        from shop import counting

        urlpatterns += [
            path("count-orders/", counting.count_orders), path("count-refunds/", counting.count_refunds),
            path("describe/", counting.describe_both), path("only-orders/", counting.only_orders),
        ]
    """,
}


def test_a_function_generic_over_the_model_class_reads_the_callers_model() -> None:
    routes = routes_of(GENERIC)
    # Why: count_rows is given Order and Refund; each caller reads the one it passes, not both.
    assert routes[("/count-orders/", None)] == ([ORDER], [])
    assert routes[("/count-refunds/", None)] == ([REFUND], [])
    # Why: a parameter given one model class only is that model's (the function queries it).
    assert routes[("/only-orders/", None)] == ([ORDER], [])


PERMISSIONS = {
    "config/__init__.py": "",
    "config/settings.py": """
        INSTALLED_APPS = ["people", "stock"]
        AUTH_USER_MODEL = "people.Member"
    """,
    "people/__init__.py": "",
    "people/models.py": """
        from django.contrib.auth.models import AbstractBaseUser, Permission, PermissionsMixin
        from django.db import models

        class Team(models.Model):
            name = models.CharField(max_length=20)
            permissions = models.ManyToManyField(Permission, related_name="teams")

        class Member(AbstractBaseUser, PermissionsMixin):
            groups = models.ManyToManyField(Team, related_name="members")
    """,
    "stock/__init__.py": "",
    "stock/querysets.py": """
        from django.db.models import QuerySet

        class GuardedQuerySet(QuerySet):
            def guard(self, user):
                if not user.has_perm("stock.view_item"):
                    return self.none()
                return self
    """,
    "stock/models.py": """
        from django.db import models
        from stock.querysets import GuardedQuerySet

        class Guarded(models.Model):
            objects = GuardedQuerySet.as_manager()

            class Meta:
                abstract = True

        class Item(Guarded):
            name = models.CharField(max_length=20)

        class Plain(models.Model):
            name = models.CharField(max_length=20)

            def guard(self, user):
                return self
    """,
    "stock/views.py": """
        from django.http import JsonResponse
        from stock.models import Item, Plain

        def items(request):
            return JsonResponse({"n": Item.objects.all().guard(request.user).count()})

        def plains(request):
            return JsonResponse({"n": Plain.objects.filter(name="a").count()})
    """,
    "config/urls.py": """
        from django.urls import path
        from stock import views

        urlpatterns = [path("items/", views.items), path("plains/", views.plains)]
    """,
}
ITEM, PLAIN = "stock.models:Item", "stock.models:Plain"


def test_a_method_of_the_models_queryset_class_runs_and_checks_permissions_of_its_own_group_model() -> None:
    routes = routes_of(PERMISSIONS)
    # Why: `objects = GuardedQuerySet.as_manager()` on the abstract base: `.guard(user)` on a query of Item
    # runs GuardedQuerySet.guard, whose `has_perm` reads the permission tables, the custom group model's
    # (people_team, its permissions table) rather than Django's auth_group.
    permission_tables = [
        "table:auth_permission",
        "table:django_content_type",
        "table:people_member_groups",
        "table:people_member_user_permissions",
        "table:people_team",
        "table:people_team_permissions",
    ]
    # The view's `request.user` is loaded there (people.Member, the AUTH_USER_MODEL).
    assert routes[("/items/", None)] == (sorted(["people.models:Member", ITEM, *permission_tables]), [])
    # Why: a model without a queryset class of ours runs no `guard` of another class (Plain.guard is an
    # instance method, not called on a query).
    assert routes[("/plains/", None)] == ([PLAIN], [])


def test_a_senderless_receiver_runs_the_saved_models_own_method_only() -> None:
    files = {
        **RECEIVERS,
        "shop/models.py": RECEIVERS["shop/models.py"]
        + """
        class Credit(Logged):
            amount = models.IntegerField()

            def to_change(self, verb):
                change = super().to_change(verb)
                change.verb = Customer.objects.first().name
                return change
    """,
        "shop/invoices.py": RECEIVERS["shop/invoices.py"]
        + """
        def credit(request):
            Credit.objects.create(amount=1)
            return JsonResponse({})
    """,
        "shop/urls.py": RECEIVERS["shop/urls.py"]
        + """
        urlpatterns += [path("credit/", invoices.credit)]
    """,
    }
    files["shop/invoices.py"] = files["shop/invoices.py"].replace("import Invoice,", "import Credit, Invoice,")
    routes = routes_of(files)
    # Why: saving an Invoice runs the receiver with an Invoice: Credit's override (reading Customer) does not run.
    assert routes[("/invoices/", None)] == ([], sorted([CHANGE, INVOICE]))
    # Why: saving a Credit runs Credit.to_change: Customer read; `super().to_change()` is the base's method
    # (no query of Credit), and the change row is saved.
    assert routes[("/credit/", None)] == ([CUSTOMER], sorted([CHANGE, "shop.models:Credit"]))


GUARDED_VIEWS = {
    **SHOP,
    "shop/pages.py": """
        from django.http import JsonResponse
        from django.views import View
        from shop.models import Audit, Order, Refund

        class AuditedMixin:
            def dispatch(self, request, *args, **kwargs):
                Audit.objects.create(verb="visit")
                return super().dispatch(request, *args, **kwargs)

        class OrderPage(AuditedMixin, View):
            def get(self, request):
                return JsonResponse({"n": Order.objects.count()})

        class RefundPage(View):
            def get(self, request):
                return JsonResponse({"n": Refund.objects.count()})
    """,
    "shop/urls.py": SHOP["shop/urls.py"]
    + """
        from django.urls import path
        from shop import pages

        urlpatterns += [
            path("order-page/", pages.OrderPage.as_view()), path("refund-page/", pages.RefundPage.as_view()),
        ]
    """,
}


def test_a_view_class_runs_its_dispatch_around_every_request() -> None:
    routes = routes_of(GUARDED_VIEWS)
    # Why: Django's View calls `dispatch` before the handler: the mixin's override (Audit written) runs for GET.
    assert routes[("/order-page/", "get")] == ([ORDER], [AUDIT])
    # Why: a view without a dispatch of ours runs only its handler.
    assert routes[("/refund-page/", "get")] == ([REFUND], [])
