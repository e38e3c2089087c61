"""A model signal's receiver runs without the branches its guards skip for the write that sends it
(data_access_guards): `created`, `raw`, `"created" in kwargs`, `hasattr(instance, ...)`, with `not`/`and`/`or`."""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

DESK = {
    "config/__init__.py": "",
    "config/settings.py": 'INSTALLED_APPS = ["desk"]\n',
    "desk/__init__.py": "",
    "desk/models.py": """
        from django.db import models

        class Ticket(models.Model):
            title = models.CharField(max_length=20)

            def to_change(self):
                change = Change(text=self.title)
                return change

        class Tag(models.Model):
            name = models.CharField(max_length=20)

        class Change(models.Model):
            text = models.CharField(max_length=20)

            def save(self, *args, **kwargs):
                self.text = self.text[:20]
                return super().save(*args, **kwargs)

        class Notice(models.Model):
            text = models.CharField(max_length=20)

        class Profile(models.Model):
            tag = models.ForeignKey(Tag, on_delete=models.CASCADE)

        class Archive(models.Model):
            text = models.CharField(max_length=20)

        class Audit(models.Model):
            text = models.CharField(max_length=20)

        class Revision(models.Model):
            text = models.CharField(max_length=20)
    """,
    "desk/signals.py": """
        from django.db.models.signals import post_save, pre_delete
        from django.dispatch import receiver
        from desk.models import Archive, Audit, Change, Notice, Profile, Revision, Tag, Ticket

        @receiver(post_save)
        def log_change(sender, instance, **kwargs):
            if not hasattr(instance, "to_change"):
                return
            change = instance.to_change()
            change.save()

        @receiver(post_save, sender=Ticket)
        def track(sender, instance, **kwargs):
            relinked = False
            if kwargs.get("created"):
                kind = "new"
            elif "created" in kwargs:
                kind = "changed"
            elif kwargs.get("action") in ("post_add", "post_remove"):
                relinked = True
                kind = "linked"
            else:
                return
            if relinked:
                last = Change.objects.filter(text=kind).first()
                last.save()
            else:
                Change(text=kind).save()

        @receiver(post_save, sender=Change)
        def revise(sender, instance, created, **kwargs):
            if not created:
                Revision.objects.create(text="revised")

        @receiver(post_save, sender=Ticket)
        def notify(sender, instance, created, raw=False, **kwargs):
            if created or raw:
                return
            Notice.objects.create(text="changed")

        @receiver(post_save, sender=Tag)
        def make_profile(sender, instance, created, **kwargs):
            if created:
                Profile.objects.create(tag=instance)

        @receiver((post_save, pre_delete), sender=Tag)
        def archive(sender, instance, **kwargs):
            if kwargs.get("created"):
                return
            Archive.objects.create(text="archived")

        @receiver(post_save, sender=Tag)
        def tag_notice(sender, instance, **kwargs):
            if not hasattr(instance, "to_change"):
                return
            Notice.objects.create(text="tagged")

        @receiver(post_save, sender=Tag)
        def audit(sender, instance, **kwargs):
            if not hasattr(instance, "_snapshot"):
                return
            Audit.objects.create(text="audited")
    """,
    "desk/views.py": """
        from django.http import JsonResponse
        from desk.models import Change, Tag, Ticket

        def create_ticket(request):
            Ticket.objects.create(title="new")
            return JsonResponse({})

        def edit_ticket(request, pk):
            ticket = Ticket.objects.get(pk=pk)
            ticket.save()
            change = Change.objects.filter(text=ticket.title).last()
            change.save()
            return JsonResponse({})

        def create_tag(request):
            tag = Tag(name="new")
            tag.save()
            return JsonResponse({})

        def edit_tag(request, pk):
            tag = Tag.objects.get(pk=pk)
            tag._snapshot = {"name": tag.name}
            tag.save()
            return JsonResponse({})

        def delete_tag(request, pk):
            Tag.objects.get(pk=pk).delete()
            return JsonResponse({})

        def touch(request, pk):
            ticket = Ticket(title="new")
            if pk:
                ticket = Ticket.objects.get(pk=pk)
            ticket.save()
            return JsonResponse({})
    """,
    "desk/urls.py": """
        from django.urls import path
        from desk import views

        urlpatterns = [
            path("ticket/new/", views.create_ticket), path("ticket/edit/", views.edit_ticket),
            path("tag/new/", views.create_tag), path("tag/edit/", views.edit_tag),
            path("tag/delete/", views.delete_tag), path("touch/", views.touch),
        ]
    """,
}

TICKET, TAG, CHANGE, NOTICE = "desk.models:Ticket", "desk.models:Tag", "desk.models:Change", "desk.models:Notice"
PROFILE, ARCHIVE, AUDIT = "desk.models:Profile", "desk.models:Archive", "desk.models:Audit"
REVISION = "desk.models:Revision"


def writes_of(files: dict[str, str]) -> dict[str, list[str]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: route.writes for route in found.routes}


def test_a_new_row_runs_the_created_branches_only() -> None:
    writes = writes_of(DESK)
    # Why: `objects.create` adds a row: `if created or raw: return` leaves; the model has `to_change`, whose
    # row is built there (`revise` does not run for it, through Change's own `save()`); in `track` the first
    # test is taken, the `elif`s are not, so `relinked` stays false and only a new change is saved.
    assert writes["/ticket/new/"] == sorted([TICKET, CHANGE])
    # Why: a row built here and saved: `if created:` runs; `created` leaves `archive`; Tag has no `to_change`,
    # so `tag_notice` leaves, and so does `log_change` (run for every model's saves, each run for one row).
    assert writes["/tag/new/"] == sorted([TAG, PROFILE, AUDIT])


def test_a_loaded_row_runs_the_update_branches_only() -> None:
    writes = writes_of(DESK)
    # Why: a loaded row saved again: `created` is false, so `notify` goes on; a change loaded (not one
    # `to_change` builds) is saved again too, and `revise` runs.
    assert writes["/ticket/edit/"] == sorted([TICKET, CHANGE, NOTICE, REVISION])
    # Why: no profile for an update; `archive` runs (`kwargs.get("created")` false).
    assert writes["/tag/edit/"] == sorted([TAG, ARCHIVE, AUDIT])


def test_a_delete_passes_no_created_and_undecided_guards_keep_both_branches() -> None:
    writes = writes_of(DESK)
    # Why: pre_delete passes no `created`: `archive` writes (the profile goes by the cascade; the archive's own
    # save runs `log_change`, which leaves: Archive has no `to_change`); no save receiver of Tag runs.
    assert writes["/tag/delete/"] == sorted([TAG, PROFILE, ARCHIVE])
    # Why: a row that may be new or loaded: both branches of `notify` count, and `track` may save a loaded
    # change (then `revise` runs).
    assert writes["/touch/"] == sorted([TICKET, CHANGE, NOTICE, REVISION])
    # Why: `_snapshot` is set on a row somewhere: `hasattr` is not decided, the audit counts for a new tag too.
    assert AUDIT in writes["/tag/new/"]
    # Why: a receiver without a sender runs once for each row saved: its `hasattr` guard is decided by that
    # row's model (Tag has no `to_change`: `log_change` leaves; a ticket's save writes its change).
    assert CHANGE not in writes["/tag/new/"]
    assert CHANGE in writes["/ticket/new/"]
