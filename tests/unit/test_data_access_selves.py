"""`self` in an abstract model's (or a mixin's) method is the model of the instance the caller holds.

The link stage gives `self` in `SortableModel.save` every model any caller saved; a view saving one
kind of row must write that model's table only, and run that model's overrides only.
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

SHOP = {
    "config/__init__.py": "",
    "config/settings.py": """
        INSTALLED_APPS = ["shop"]
    """,
    "shop/__init__.py": "",
    "shop/models.py": """
        from django.db import models
        from django.db.models import Max

        class Audit(models.Model):
            note = models.CharField(max_length=20)

        class Menu(models.Model):
            name = models.CharField(max_length=20)

        class Gallery(models.Model):
            name = models.CharField(max_length=20)

        class SortableModel(models.Model):
            sort_order = models.IntegerField(null=True)

            class Meta:
                abstract = True

            def get_ordering_queryset(self):
                raise NotImplementedError

            def save(self, *args, **kwargs):
                if self.pk is None:
                    qs = self.get_ordering_queryset()
                    self.sort_order = qs.aggregate(Max("sort_order"))["sort_order__max"]
                super().save(*args, **kwargs)

        class MenuItem(SortableModel):
            menu = models.ForeignKey(Menu, related_name="items", on_delete=models.CASCADE)

            def get_ordering_queryset(self):
                return self.menu.items.all()

        class Photo(SortableModel):
            gallery = models.ForeignKey(Gallery, related_name="photos", on_delete=models.CASCADE)

            def get_ordering_queryset(self):
                return Gallery.objects.all()

            def save(self, *args, **kwargs):
                Audit.objects.create(note="photo")
                super().save(*args, **kwargs)
    """,
    "shop/views.py": """
        from django.http import JsonResponse
        from shop.models import Menu, MenuItem, Photo

        def add_item(request, pk):
            item = MenuItem(menu=Menu.objects.get(pk=pk))
            item.save()
            return JsonResponse({})

        def add_photo(request):
            photo = Photo(gallery_id=request.POST["gallery"])
            photo.save()
            return JsonResponse({})

        def touch(row):
            row.save()

        def touch_both(request):
            touch(MenuItem(menu_id=1))
            touch(Photo(gallery_id=2))
            return JsonResponse({})
    """,
    "shop/urls.py": """
        from django.urls import path
        from shop import views

        urlpatterns = [
            path("items/<int:pk>/", views.add_item),
            path("photos/", views.add_photo),
            path("touch/", views.touch_both),
        ]
    """,
}

MENU, GALLERY, AUDIT = "shop.models:Menu", "shop.models:Gallery", "shop.models:Audit"
ITEM, PHOTO = "shop.models:MenuItem", "shop.models:Photo"


def routes_of(files: dict[str, str]) -> dict[str, tuple[list[str], list[str]]]:
    return {
        route.path: (route.reads, route.writes) for route in recognize(link(facts_of(files)), load_heuristics()).routes
    }


def test_an_inherited_save_writes_the_callers_model_only() -> None:
    routes = routes_of(SHOP)
    # Why: `item.save()` runs SortableModel.save with `self` a MenuItem: its own ordering query (the menu's
    # items) and its own table; Photo's override, its gallery and its audit row are not this request's.
    assert routes["/items/{pk}/"] == ([MENU, ITEM], [ITEM])


def test_super_save_in_an_override_reaches_the_base_for_that_model() -> None:
    routes = routes_of(SHOP)
    # Why: Photo.save writes its audit row, then `super().save()` is SortableModel.save for a Photo.
    assert routes["/photos/"] == ([GALLERY], [AUDIT, PHOTO])


def test_a_receiver_of_several_models_keeps_each_ones_save() -> None:
    routes = routes_of(SHOP)
    # Why (negative): a helper given rows of both models saves both: each model's variant runs.
    # The abstract SortableModel has no table: it is never reported. MenuItem's ordering query reads
    # `self.menu` (its foreign key: the menu row is loaded).
    assert routes["/touch/"] == ([GALLERY, MENU, ITEM], [AUDIT, ITEM, PHOTO])


TICKETS = {
    "config/__init__.py": "",
    "config/settings.py": """
        INSTALLED_APPS = ["desk"]
    """,
    "desk/__init__.py": "",
    "desk/models.py": """
        from django.db import models

        class Activity(models.Model):
            verb = models.CharField(max_length=20)

        class Ticket(models.Model):
            closed = models.BooleanField(default=False)

            def close(self, notify=False):
                if notify:
                    Notice(ticket=self).save()
                self.closed = True
                self.save()

        class Notice(models.Model):
            ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE)
    """,
    "desk/signals.py": """
        from django.db.models.signals import post_save
        from django.dispatch import receiver
        from desk.models import Activity, Notice

        @receiver(post_save, sender=Notice)
        def noticed(sender, instance, created, **kwargs):
            Activity.objects.create(verb="noticed")
    """,
    "desk/views.py": """
        from django.http import JsonResponse
        from desk.models import Ticket

        def close(request, pk):
            Ticket.objects.get(pk=pk).close()
            return JsonResponse({})

        def close_loudly(request, pk):
            Ticket.objects.get(pk=pk).close(notify=True)
            return JsonResponse({})
    """,
    "desk/urls.py": """
        from django.urls import path
        from desk import views

        urlpatterns = [path("close/<int:pk>/", views.close), path("loud/<int:pk>/", views.close_loudly)]
    """,
}
ACTIVITY, TICKET, NOTICE = "desk.models:Activity", "desk.models:Ticket", "desk.models:Notice"


def test_a_branch_a_call_cannot_take_saves_nothing_and_sets_off_no_receiver() -> None:
    routes = routes_of(TICKETS)
    # Why: close() leaves `notify` False: no Notice is saved, so its post_save receiver does not run.
    assert routes["/close/{pk}/"] == ([TICKET], [TICKET])
    # Why (negative): close(notify=True) saves a Notice; its receiver writes an Activity.
    assert routes["/loud/{pk}/"] == ([TICKET], [ACTIVITY, NOTICE, TICKET])
