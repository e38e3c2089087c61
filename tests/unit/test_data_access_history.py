"""A history tracker's generated tables (django-pghistory): read by queries of the aggregate events model."""

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
        import pghistory
        from django.db import models

        class Product(models.Model):
            name = models.CharField(max_length=20)

        @pghistory.track(pghistory.InsertEvent())
        class Order(models.Model):
            product = models.ForeignKey(Product, on_delete=models.CASCADE)

        class Note(models.Model):
            text = models.TextField()

        class ShopEvents(pghistory.models.Events):
            class Meta:
                proxy = True
    """,
    "shop/history.py": """
        import pghistory
        from shop.models import Note, Product

        def register():
            pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent())(Product)
            pghistory.track(pghistory.InsertEvent(), meta={"db_table": "shop_note_audit"})(Note)
    """,
    "shop/views.py": """
        from django.http import JsonResponse
        from shop.models import Product, ShopEvents

        def audit(request, pk):
            events = ShopEvents.objects.filter(pgh_obj_id=pk).order_by("-pgh_created_at")
            return JsonResponse({"n": events.count()})

        def products(request):
            return JsonResponse({"n": Product.objects.count()})
    """,
    "shop/urls.py": """
        from django.urls import path
        from shop import views

        urlpatterns = [path("audit/<int:pk>/", views.audit), path("products/", views.products)]
    """,
}

PRODUCT = "shop.models:Product"
GENERATED = ["table:shop_note_audit", "table:shop_orderevent", "table:shop_productevent"]


def accesses_of(files: dict[str, str]) -> dict[str, tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: (route.reads, route.writes) for route in found.routes}


def test_a_query_of_the_aggregate_reads_every_tracked_models_event_table_and_the_context() -> None:
    # Why: `track(...)(Product)` in a function and `@track(...)` on Order generate `<app>_<model>event`; Note's
    # names its table in `meta`; the aggregate's query is a union of them all, joined with the context table.
    reads, writes = accesses_of(APP)["/audit/{pk}/"]
    assert reads == sorted([*GENERATED, "table:pghistory_context"])  # the aggregate has no table of its own
    assert writes == []  # the events are written by database triggers


def test_the_tracked_models_own_queries_read_no_event_table() -> None:
    # Why: tracking a model changes nothing in what querying the model itself reads.
    assert accesses_of(APP)["/products/"] == ([PRODUCT], [])


def test_without_a_tracker_call_the_aggregate_reads_only_its_context() -> None:
    files = dict(APP)
    files["shop/history.py"] = """
        import pghistory
        from shop.models import Product

        def register(track):
            track(pghistory.InsertEvent())(Product)  # not the tracker: a parameter
    """
    files["shop/models.py"] = files["shop/models.py"].replace("        @pghistory.track(pghistory.InsertEvent())\n", "")
    # Why: a call that only looks like a tracker (a parameter named `track`) generates nothing: no event table.
    reads, _ = accesses_of(files)["/audit/{pk}/"]
    assert not any(read.endswith("event") for read in reads)
