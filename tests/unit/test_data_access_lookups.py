"""Tables a Django query's lookups join: keyword paths, Q objects, expressions, OuterRef (data_access_lookups)."""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

INVENTORY = {
    "config/__init__.py": "",
    "config/settings.py": 'INSTALLED_APPS = ["inventory"]\n',
    "inventory/__init__.py": "",
    "inventory/models.py": """
        from django.db import models

        class Region(models.Model):
            name = models.CharField(max_length=20)

        class Site(models.Model):
            name = models.CharField(max_length=20)
            region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="sites")

        class Tag(models.Model):
            slug = models.SlugField()

        class Device(models.Model):
            name = models.CharField(max_length=20)
            site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="devices")
            tags = models.ManyToManyField(Tag)

        class Cable(models.Model):
            device = models.ForeignKey(Device, on_delete=models.CASCADE)
            length = models.IntegerField()
    """,
    "inventory/views.py": """
        from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
        from django.http import JsonResponse
        from inventory.models import Cable, Device, Site

        def by_region(request):
            return JsonResponse({"n": Device.objects.filter(site__region__name="eu").count()})

        def by_region_key(request):
            return JsonResponse({"n": Device.objects.filter(site__region__in=[1, 2]).count()})

        def untagged(request):
            return JsonResponse({"n": Device.objects.filter(tags=None).count()})

        def either(request):
            devices = Device.objects.filter(Q(site__region__name="eu") | Q(tags__slug="core"))
            return JsonResponse({"n": devices.count()})

        def built_q(request):
            query = Q(site__name="a")
            query.add(Q(tags__slug="core"), Q.AND)
            return JsonResponse({"n": Device.objects.filter(query).count()})

        def counted(request):
            sites = Site.objects.annotate(n=Count("devices")).order_by("-region__name")
            return JsonResponse({"n": len(sites)})

        def cabled(request):
            cables = Cable.objects.filter(Exists(Device.objects.filter(pk=OuterRef("device"), site__name="a")))
            return JsonResponse({"n": cables.count()})

        def outer_site(request):
            devices = Device.objects.annotate(
                x=Subquery(Cable.objects.filter(device__site__name=OuterRef("site__name")).values("length")[:1])
            )
            return JsonResponse({"n": devices.count()})

        def plain(request):
            devices = Device.objects.filter(name="x", site=1, site__isnull=False).values("name", "site")
            return JsonResponse({"n": devices.count()})

        def not_django(request):
            return JsonResponse({"n": Device.objects.filter(lookup(site__region__name="eu")).count()})

        def lookup(**kwargs):
            return kwargs

        def unknown_path(request):
            return JsonResponse({"n": Device.objects.filter(Q(shelf__room__name="a"), F("rack__name")).count()})
    """,
    "inventory/urls.py": """
        from django.urls import path
        from inventory import views

        urlpatterns = [
            path("by-region/", views.by_region), path("by-region-key/", views.by_region_key),
            path("untagged/", views.untagged), path("either/", views.either), path("built-q/", views.built_q),
            path("counted/", views.counted), path("cabled/", views.cabled), path("outer-site/", views.outer_site),
            path("plain/", views.plain), path("not-django/", views.not_django),
            path("unknown-path/", views.unknown_path),
        ]
    """,
}

REGION, SITE, TAG = "inventory.models:Region", "inventory.models:Site", "inventory.models:Tag"
DEVICE, CABLE, DEVICE_TAGS = "inventory.models:Device", "inventory.models:Cable", "table:inventory_device_tags"


def reads_of(files: dict[str, str]) -> dict[str, list[str]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: route.reads for route in found.routes}


def test_keyword_lookups_join_what_they_cross_and_compare_keys_without_a_join() -> None:
    reads = reads_of(INVENTORY)
    # Why: `site__region__name` joins Site and Region; `site__region__in` is counted as a join too.
    assert reads["/by-region/"] == sorted([DEVICE, SITE, REGION])
    assert reads["/by-region-key/"] == sorted([DEVICE, SITE, REGION])
    # Why: a many-to-many compared with None joins its through table only.
    assert reads["/untagged/"] == sorted([DEVICE, DEVICE_TAGS])


def test_q_objects_in_the_call_or_held_by_a_local_are_lookups() -> None:
    reads = reads_of(INVENTORY)
    # Why: each Q's keywords are lookups of the query's model (`tags__slug` joins the through table and Tag).
    assert reads["/either/"] == sorted([DEVICE, SITE, REGION, DEVICE_TAGS, TAG])
    # Why: `query = Q(...)`, `query.add(Q(...), ...)`: the local's Q objects are the filter's.
    assert reads["/built-q/"] == sorted([DEVICE, SITE, DEVICE_TAGS, TAG])


def test_expressions_and_outer_references_join_the_query_models_relations() -> None:
    reads = reads_of(INVENTORY)
    # Why: Count("devices") joins the reverse relation; order_by("-region__name") joins Region.
    assert reads["/counted/"] == sorted([SITE, DEVICE, REGION])
    # Why: the subquery reads Device and its own lookups (Site); OuterRef("device") is Cable's key column.
    assert reads["/cabled/"] == sorted([CABLE, DEVICE, SITE])
    # Why: OuterRef("site__name") is a path of the outer query (Device): it joins Site.
    assert reads["/outer-site/"] == sorted([DEVICE, CABLE, SITE])


def test_what_is_no_relation_path_adds_nothing() -> None:
    reads = reads_of(INVENTORY)
    # Why: plain fields, and a forward key compared, tested for null or selected as a column, join nothing.
    assert reads["/plain/"] == [DEVICE]
    # Why: a function of ours taking keywords is no Q; a path over no relation of the model is not resolved.
    assert reads["/not-django/"] == [DEVICE]
    assert reads["/unknown-path/"] == [DEVICE]


QUERYSETS = {
    **INVENTORY,
    "inventory/querysets.py": """
        from django.db.models import OuterRef, Q, QuerySet, Subquery

        class RestrictedQuerySet(QuerySet):
            def in_region(self, name):
                return self.filter(site__region__name=name)

        class DeviceQuerySet(RestrictedQuerySet):
            def with_cables(self):
                from inventory.models import Cable
                return self.annotate(n=Subquery(Cable.objects.filter(self._cable_filter()).values("length")[:1]))

            def _cable_filter(self):
                query = Q(device=OuterRef("pk"))
                query.add(Q(length__gt=OuterRef("site__region__pk")), Q.AND)
                return query

        class Helper:
            def in_region(self, name):
                return name
    """,
    "inventory/models.py": INVENTORY["inventory/models.py"]
    .replace(
        "from django.db import models\n",
        "from django.db import models\n        from inventory.querysets import DeviceQuerySet, RestrictedQuerySet\n",
    )
    .replace(
        "            tags = models.ManyToManyField(Tag)\n",
        "            tags = models.ManyToManyField(Tag)\n\n            objects = DeviceQuerySet.as_manager()\n",
    )
    .replace(
        "            length = models.IntegerField()\n",
        "            length = models.IntegerField()\n\n            objects = RestrictedQuerySet.as_manager()\n",
    ),
    "inventory/views.py": """
        from django.http import JsonResponse
        from django.views import View
        from inventory.models import Cable, Device
        from inventory.querysets import Helper

        def eu_devices(request):
            return JsonResponse({"n": Device.objects.in_region("eu").count()})

        def eu_cables(request):
            return JsonResponse({"n": Cable.objects.in_region("eu").count()})

        class Mixin:
            def get_queryset(self):
                queryset = super().get_queryset()
                return queryset.with_cables()

        class DeviceList(Mixin, View):
            def get(self, request):
                return JsonResponse({"n": len(self.get_queryset())})

        def helper(request, thing):
            return JsonResponse({"n": Helper().in_region(thing)})
    """,
    "inventory/urls.py": """
        from django.urls import path
        from inventory import views

        urlpatterns = [
            path("eu-devices/", views.eu_devices), path("eu-cables/", views.eu_cables),
            path("devices/", views.DeviceList.as_view()), path("helper/", views.helper),
        ]
    """,
}


def test_self_in_a_models_queryset_class_is_a_query_of_its_models() -> None:
    reads = reads_of(QUERYSETS)
    # Why: `self.filter(site__region__name=...)` in the queryset class of Device (and, through its base, of
    # Cable) joins the relations of the model it serves; a path none of its relations has adds nothing (Cable).
    assert reads["/eu-devices/"] == sorted([DEVICE, SITE, REGION])
    assert reads["/eu-cables/"] == sorted([CABLE, SITE, REGION])


def test_a_queryset_method_on_an_unnamed_query_runs_and_its_outer_refs_are_its_models_paths() -> None:
    reads = reads_of(QUERYSETS)
    # Why: `queryset.with_cables()` on a query nothing names runs DeviceQuerySet.with_cables (no other class of
    # ours has that method); its subquery reads Cable, the OuterRef paths of the Q its helper builds join
    # Device's Site and Region.
    assert reads["/devices/"] == sorted([CABLE, SITE, REGION])


def test_a_method_name_another_class_of_ours_has_is_not_guessed() -> None:
    # Why: `in_region` is also a method of Helper: a call on something unknown is not taken for the queryset's.
    assert reads_of(QUERYSETS)["/helper/"] == []
