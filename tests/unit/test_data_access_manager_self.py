"""Data access in a custom manager's methods: `self` is the query of the one model that declares the manager
(`CustomField.objects.get_for_model(m)` runs `self.get_queryset().filter(object_types=...)` on CustomField and
its many-to-many table); a queryset class every model shares stands for none of them.
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

APP = {
    "config/__init__.py": "",
    "config/settings.py": 'INSTALLED_APPS = ["extras"]\n',
    "extras/__init__.py": "",
    "extras/models.py": """
        from django.contrib.contenttypes.models import ContentType
        from django.db import models

        class SharedQuerySet(models.QuerySet):
            def visible(self):
                return self.filter(hidden=False)

        class CustomFieldManager(models.Manager.from_queryset(SharedQuerySet)):
            def get_for_model(self, model):
                content_type = ContentType.objects.get_for_model(model)
                return self.get_queryset().filter(object_types=content_type)

        class CustomField(models.Model):
            name = models.CharField(max_length=50)
            hidden = models.BooleanField(default=False)
            object_types = models.ManyToManyField(to="contenttypes.ContentType", related_name="custom_fields")
            objects = CustomFieldManager()

        class Tag(models.Model):
            hidden = models.BooleanField(default=False)
            objects = SharedQuerySet.as_manager()

        class Bookmark(models.Model):
            hidden = models.BooleanField(default=False)
            objects = SharedQuerySet.as_manager()
    """,
    "extras/views.py": """
        from django.http import JsonResponse
        from extras.models import CustomField, Tag

        def fields(request):
            return JsonResponse({"names": [f.name for f in CustomField.objects.get_for_model(Tag)]})

        def visible(request):
            return JsonResponse({"n": Tag.objects.visible().count()})
    """,
    "extras/urls.py": """
        from django.urls import path
        from extras import views

        urlpatterns = [path("fields/", views.fields), path("visible/", views.visible)]
    """,
}


def routes_of(files: dict[str, str]) -> dict[str, tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: (route.reads, route.writes) for route in found.routes}


def test_a_managers_method_queries_the_one_model_declaring_it() -> None:
    reads, writes = routes_of(APP)["/fields/"]
    # Why: CustomFieldManager is CustomField's alone: `self.get_queryset().filter(object_types=...)` reads
    # CustomField and joins its many-to-many table.
    assert "extras.models:CustomField" in reads and "table:extras_customfield_object_types" in reads
    assert writes == []


def test_a_queryset_class_several_models_share_stands_for_none_of_them() -> None:
    reads, _ = routes_of(APP)["/visible/"]
    # Why: SharedQuerySet is Tag's and Bookmark's: in `visible`, `self` is not Bookmark (the call is on Tag).
    assert reads == ["extras.models:Tag"]
