"""Relations the tagging libraries and other packages' models make: what reading and setting them touches.

django-taggit's TaggableManager (also a project's own subclass of it) and django-tagulous's TagField are
many-to-many relations; a many-to-many relation to Django's own Group is stored in a table of ours.
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

INVENTORY = {
    "config/__init__.py": "",
    "config/settings.py": """
        INSTALLED_APPS = ["inventory", "rest_framework", "taggit"]
    """,
    "inventory/__init__.py": "",
    "inventory/managers.py": """
        from taggit.managers import TaggableManager

        class OrderedTaggableManager(TaggableManager):
            pass
    """,
    "inventory/models.py": """
        from django.contrib.auth.models import Group
        from django.db import models
        from taggit.managers import TaggableManager
        from taggit.models import GenericTaggedItemBase
        from tagulous.models import TagField
        from inventory.managers import OrderedTaggableManager

        class Label(models.Model):
            name = models.CharField(max_length=20)

        class LabelledItem(GenericTaggedItemBase):
            tag = models.ForeignKey(to=Label, related_name="items", on_delete=models.CASCADE)

        class Site(models.Model):
            name = models.CharField(max_length=20)
            tags = OrderedTaggableManager(through="inventory.LabelledItem")
            keywords = TagField(blank=True)
            editors = models.ManyToManyField(Group, blank=True)

        class Rack(models.Model):
            site = models.ForeignKey(Site, on_delete=models.CASCADE)
            tags = TaggableManager()
    """,
    "inventory/views.py": """
        from django.http import JsonResponse
        from rest_framework import viewsets
        from inventory.models import Rack, Site

        class SiteViewSet(viewsets.ReadOnlyModelViewSet):
            queryset = Site.objects.prefetch_related("tags", "keywords", "editors")

        class RackViewSet(viewsets.ReadOnlyModelViewSet):
            queryset = Rack.objects.prefetch_related("tags")

        def site_names(request):
            return JsonResponse({"names": [s.name for s in Site.objects.all()]})
    """,
    "inventory/urls.py": """
        from django.urls import include, path
        from rest_framework.routers import DefaultRouter
        from inventory import views

        router = DefaultRouter()
        router.register("sites", views.SiteViewSet, basename="site")
        router.register("racks", views.RackViewSet, basename="rack")

        urlpatterns = [path("names/", views.site_names), path("", include(router.urls))]
    """,
}
SITE, RACK = "inventory.models:Site", "inventory.models:Rack"
LABEL, LABELLED = "inventory.models:Label", "inventory.models:LabelledItem"


def found_of(files: dict[str, str]):  # type: ignore[no-untyped-def]
    return recognize(link(facts_of(files)), load_heuristics())


def test_tag_fields_are_many_to_many_relations() -> None:
    models = {m.symbol: m for m in found_of(INVENTORY).models}
    site = {r.field: (r.kind, r.target, r.through) for r in models[SITE].relations}
    # Why: a project's own TaggableManager subclass with a through model: the tags are its `tag` key's target.
    assert site["tags"] == ("many-to-many", LABEL, LABELLED)
    # Why: tagulous creates a tag model per field, stored through Django's `<model table>_<field>` table.
    assert site["keywords"] == (
        "many-to-many",
        "table:inventory_tagulous_site_keywords",
        "table:inventory_site_keywords",
    )
    rack = {r.field: (r.kind, r.target, r.through) for r in models[RACK].relations}
    # Why: a TaggableManager without `through` stores its rows in taggit's own tables.
    assert rack["tags"] == ("many-to-many", "table:taggit_tag", "table:taggit_taggeditem")


def test_prefetching_tags_and_groups_reads_their_tables() -> None:
    routes = {(r.path, r.action): (r.reads, r.writes) for r in found_of(INVENTORY).routes}
    # Why: each prefetched relation reads its target and the table storing it; a relation to Django's Group
    # reads auth_group through the project's own table.
    assert routes[("/sites/", "list")] == (
        sorted(
            [
                SITE, LABEL, LABELLED, "table:inventory_tagulous_site_keywords", "table:inventory_site_keywords",
                "table:auth_group", "table:inventory_site_editors",
            ]
        ),
        [],
    )  # fmt: skip
    assert routes[("/racks/", "list")] == (sorted([RACK, "table:taggit_tag", "table:taggit_taggeditem"]), [])
    # Why: a query that prefetches nothing reads its own model only.
    assert routes[("/names/", None)] == ([SITE], [])


def test_a_field_class_of_another_library_is_no_relation() -> None:
    files = {
        **INVENTORY,
        "inventory/managers.py": """
            class OrderedTaggableManager:
                def __init__(self, through=None):
                    self.through = through
        """,
    }
    models = {m.symbol: m for m in found_of(files).models}
    # Why: a class that only shares a name with a tag manager makes no relation.
    assert "tags" not in {r.field for r in models[SITE].relations}
