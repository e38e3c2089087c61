"""Data access: `Model.relation.through` is the relation's table: a query on it reads that table, a bulk create
writes it."""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

DEPOTS = {
    "config/__init__.py": "",
    "config/settings.py": 'INSTALLED_APPS = ["depots"]\nROOT_URLCONF = "depots.urls"\n',
    "depots/__init__.py": "",
    "depots/models.py": """
        from django.db import models

        class Zone(models.Model):
            name = models.CharField(max_length=20)

        class Depot(models.Model):
            name = models.CharField(max_length=20)
            zones = models.ManyToManyField(Zone, related_name="depots")
    """,
    "depots/views.py": """
        from django.http import JsonResponse
        from depots.models import Depot, Zone

        def zone_depots(request, pk):
            DepotZone = Depot.zones.through
            ids = DepotZone._default_manager.filter(zone_id=pk).values_list("depot_id", flat=True)
            return JsonResponse({"depots": list(ids)})

        def link_zone(request, pk):
            Depot.zones.through.objects.bulk_create(
                [Depot.zones.through(depot_id=d, zone_id=pk) for d in request.POST.getlist("depots")]
            )
            return JsonResponse({})

        def zone_names(request):
            return JsonResponse({"zones": list(Zone.objects.values_list("name", flat=True))})
    """,
    "depots/urls.py": """
        from django.urls import path
        from depots import views

        urlpatterns = [
            path("zones/<int:pk>/depots/", views.zone_depots),
            path("zones/<int:pk>/link/", views.link_zone),
            path("zones/", views.zone_names),
        ]
    """,
}
THROUGH = "table:depots_depot_zones"


def routes_of(files: dict[str, str]) -> dict[str, tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: (route.reads, route.writes) for route in found.routes}


def test_a_query_on_a_relations_through_class_reads_its_table() -> None:
    reads, writes = routes_of(DEPOTS)["/zones/{pk}/depots/"]
    # Why: `Depot.zones.through` is the many-to-many table, kept in a local here: its rows are read, not
    # Depot's or Zone's.
    assert (reads, writes) == ([THROUGH], [])


def test_a_bulk_create_on_it_writes_its_table() -> None:
    # Why: rows of the relation's table are created directly (no Depot or Zone row is written).
    assert THROUGH in routes_of(DEPOTS)["/zones/{pk}/link/"][1]
    assert "depots.models:Depot" not in routes_of(DEPOTS)["/zones/{pk}/link/"][1]


def test_a_plain_query_of_the_model_reads_no_relation_table() -> None:
    # Why: only the `through` step names the relation's table.
    assert routes_of(DEPOTS)["/zones/"] == (["depots.models:Zone"], [])
