"""A receiver connected to several senders runs, for a save of one sender, with a row of that sender's model."""

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

        class Product(models.Model):
            tags = models.ManyToManyField(Tag, related_name="products")

        class Order(models.Model):
            product = models.ForeignKey(Product, on_delete=models.CASCADE)
            tags = models.ManyToManyField(Tag, related_name="orders")

        class Shipment(models.Model):
            order = models.ForeignKey(Order, on_delete=models.CASCADE)
            tags = models.ManyToManyField(Tag, related_name="shipments")

        class Carrier(models.Model):
            name = models.CharField(max_length=20)

        class Note(models.Model):
            tags = models.ManyToManyField(Tag, related_name="notes")
    """,
    "shop/signals.py": """
        from django.db.models.signals import m2m_changed, post_save
        from django.dispatch import receiver
        from shop.models import Carrier, Note, Order, Shipment

        def copy_tags(obj, names):
            obj.tags.add(*names)

        def audit(obj):
            if isinstance(obj, Shipment):
                Carrier.objects.filter(pk=1).exists()

        @receiver(post_save, sender=Order)
        @receiver(post_save, sender=Shipment)
        def inherit_tags(sender, instance, created, **kwargs):
            target = instance if isinstance(instance, Order) else instance
            copy_tags(target, ["inherited"])
            audit(instance)

        @receiver(m2m_changed, sender=Order.tags.through)
        @receiver(m2m_changed, sender=Shipment.tags.through)
        def keep_tags(sender, instance, action, **kwargs):
            audit(instance)

    """,
    "shop/views.py": """
        from django.http import JsonResponse
        from shop.models import Note, Order, Shipment

        def new_order(request):
            order = Order.objects.create(product_id=1)
            return JsonResponse({"id": order.pk})

        def new_shipment(request):
            shipment = Shipment.objects.create(order_id=1)
            return JsonResponse({"id": shipment.pk})

        def new_note(request):
            note = Note.objects.create()
            return JsonResponse({"id": note.pk})
    """,
    "shop/urls.py": """
        from django.urls import path
        from shop import views

        urlpatterns = [
            path("orders/", views.new_order),
            path("shipments/", views.new_shipment),
            path("notes/", views.new_note),
        ]
    """,
}

M = "shop.models:"
ORDER_TAGS, SHIPMENT_TAGS = "table:shop_order_tags", "table:shop_shipment_tags"
CARRIER = M + "Carrier"


def touched(files: dict[str, str]) -> dict[str, tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: (route.reads, route.writes) for route in found.routes}


def test_a_receiver_of_several_senders_runs_for_the_saved_models_row() -> None:
    routes = touched(APP)
    # Why: saving an Order runs inherit_tags with an Order: the row it hands on is an Order, whose tags change
    # (not a Shipment's); audit's `isinstance(obj, Shipment)` is false for it, and for keep_tags' Order too.
    reads, writes = routes["/orders/"]
    assert ORDER_TAGS in writes
    assert SHIPMENT_TAGS not in writes
    assert CARRIER not in reads
    # Why: saving a Shipment: its own tags, and audit's Shipment branch reads the carriers.
    reads, writes = routes["/shipments/"]
    assert SHIPMENT_TAGS in writes
    assert ORDER_TAGS not in writes
    assert CARRIER in reads


def test_a_receiver_without_a_sender_keeps_every_row_it_may_be_given() -> None:
    # Why: audit_anything listens to every model's saves: nothing types its row, so audit's Shipment branch
    # counts (as before this mechanism), whatever is saved.
    signals = (
        APP["shop/signals.py"]
        + """
        @receiver(post_save)
        def audit_anything(sender, instance, created, **kwargs):
            audit(instance)
    """
    )
    reads, _ = touched({**APP, "shop/signals.py": signals})["/notes/"]
    assert CARRIER in reads
    assert CARRIER not in touched(APP)["/notes/"][0]
