"""Data access: the row of `obj, created = Model.objects.get_or_create(...)` is a row of the query's model."""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

RULES = {
    "config/__init__.py": "",
    "config/settings.py": 'INSTALLED_APPS = ["rules"]\nROOT_URLCONF = "rules.urls"\n',
    "rules/__init__.py": "",
    "rules/models.py": """
        from django.db import models

        class Tag(models.Model):
            name = models.CharField(max_length=20)

        class Trigger(models.Model):
            name = models.CharField(max_length=20)
            tags = models.ManyToManyField(Tag, related_name="triggers")

        class Action(models.Model):
            trigger = models.ForeignKey(Trigger, related_name="actions", on_delete=models.CASCADE)
            assign = models.ManyToManyField(Tag, related_name="assigned_by")
    """,
    "rules/cache.py": """
        class Entry:
            def __init__(self):
                self.tags = set()

        class Cache:
            def get_or_create(self, key):
                return Entry(), True

        cache = Cache()
    """,
    "rules/views.py": """
        from django.http import JsonResponse
        from rules.cache import cache
        from rules.models import Tag, Trigger

        def save_trigger(request):
            trigger, created = Trigger.objects.update_or_create(name=request.POST["name"])
            trigger.tags.set(Tag.objects.filter(pk__in=request.POST.getlist("tags")))
            action, _ = trigger.actions.get_or_create(pk=request.POST.get("action"))
            action.assign.add(*trigger.tags.all())
            return JsonResponse({"created": created})

        def remember(request):
            entry, fresh = cache.get_or_create(request.GET["key"])
            entry.tags.add(request.GET["tag"])
            return JsonResponse({"fresh": fresh})
    """,
    "rules/urls.py": """
        from django.urls import path
        from rules import views

        urlpatterns = [path("triggers/", views.save_trigger), path("remember/", views.remember)]
    """,
}
TRIGGER, ACTION = "rules.models:Trigger", "rules.models:Action"


def routes_of(files: dict[str, str]) -> dict[str, tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: (route.reads, route.writes) for route in found.routes}


def test_the_first_element_of_a_get_or_create_pair_is_a_row_of_the_model() -> None:
    writes = routes_of(RULES)["/triggers/"][1]
    # Why: `trigger` is a Trigger row: setting its tags writes their through table; `trigger.actions.get_or_create`
    # gives an Action row (the related manager's target), whose `assign.add` writes that relation's table.
    assert "table:rules_trigger_tags" in writes
    assert "table:rules_action_assign" in writes
    assert TRIGGER in writes and ACTION in writes


def test_a_get_or_create_of_something_else_gives_no_row() -> None:
    # Why: `cache.get_or_create` is no query of a model: its pair holds no row, nothing is read or written.
    assert routes_of(RULES)["/remember/"] == ([], [])
