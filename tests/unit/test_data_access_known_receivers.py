"""A method called on a local whose models the recognizer knows runs the method those models' MRO finds, not
every override of that name the link stage's values of the local reach (`data_access_known_receivers`)."""

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

        class Sortable(models.Model):
            sort_order = models.IntegerField(null=True)

            class Meta:
                abstract = True

            def save(self, *args, **kwargs):
                if self.pk is None:
                    Counter.objects.filter(name="sort").update(value=1)
                super().save(*args, **kwargs)

        class Counter(models.Model):
            name = models.CharField(max_length=20)
            value = models.IntegerField()

        class Photo(Sortable):
            url = models.CharField(max_length=200)

        class Tag(models.Model):
            name = models.CharField(max_length=20)
    """,
    "shop/forms.py": """
        def construct(instance, data):
            for key, value in data.items():
                setattr(instance, key, value)
            return instance
    """,
    "shop/views.py": """
        from django.http import JsonResponse
        from shop.forms import construct
        from shop.models import Photo, Tag

        def add_tag(request):
            tag = Tag()
            tag = construct(tag, request.POST)
            tag.save()
            return JsonResponse({"id": tag.pk})

        def add_photo(request):
            photo = Photo()
            photo = construct(photo, request.POST)
            photo.save()
            return JsonResponse({"id": photo.pk})
    """,
    "shop/urls.py": """
        from django.urls import path
        from shop import views

        urlpatterns = [path("tags/", views.add_tag), path("photos/", views.add_photo)]
    """,
}

M = "shop.models:"
COUNTER, PHOTO, TAG = M + "Counter", M + "Photo", M + "Tag"


def touched() -> dict[str, tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(APP)), load_heuristics())
    return {route.path: (route.reads, route.writes) for route in found.routes}


def test_a_known_rows_method_is_its_own_models_not_every_override_of_that_name() -> None:
    routes = touched()
    # Why: `tag` holds a Tag (built here); the sortable base's `save` (which updates a Counter and saves a
    # Photo) is another class's, though `construct` returns what any caller passed it.
    assert routes["/tags/"][1] == [TAG]


def test_the_override_the_known_rows_model_inherits_still_runs() -> None:
    routes = touched()
    # Why: a Photo's `save` is the sortable base's override: it runs, with what it writes.
    assert routes["/photos/"][1] == sorted([COUNTER, PHOTO])
