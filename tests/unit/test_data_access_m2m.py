"""m2m_changed receivers run when the relation they listen to is changed (data_access_m2m)."""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

NOTES = {
    "config/__init__.py": "",
    "config/settings.py": 'INSTALLED_APPS = ["notes"]\n',
    "notes/__init__.py": "",
    "notes/models.py": """
        from django.db import models

        class Tag(models.Model):
            name = models.CharField(max_length=20)

        class Note(models.Model):
            tags = models.ManyToManyField(Tag)
            readers = models.ManyToManyField("Reader", through="Share")

        class Reader(models.Model):
            name = models.CharField(max_length=20)

        class Share(models.Model):
            note = models.ForeignKey(Note, on_delete=models.CASCADE)
            reader = models.ForeignKey(Reader, on_delete=models.CASCADE)

        class Comment(models.Model):
            note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="comments")

        class Log(models.Model):
            text = models.CharField(max_length=20)

        class Audit(models.Model):
            text = models.CharField(max_length=20)
    """,
    "notes/signals.py": """
        from django.db.models.signals import m2m_changed, post_save
        from django.dispatch import receiver
        from notes.models import Audit, Log, Note, Share

        @receiver(m2m_changed, sender=Note.tags.through)
        def tags_changed(sender, instance, action, **kwargs):
            Log.objects.create(text=action)

        def readers_changed(sender, **kwargs):
            Audit.objects.create(text="readers")

        m2m_changed.connect(readers_changed, sender=Share)
    """,
    "notes/views.py": """
        from django.http import JsonResponse
        from notes.models import Comment, Note, Reader, Tag

        def tag(request, pk):
            Note.objects.get(pk=pk).tags.add(Tag.objects.get(pk=1))
            return JsonResponse({})

        def untag(request, pk):
            tag = Tag.objects.get(pk=pk)
            tag.note_set.clear()
            return JsonResponse({})

        def share(request, pk):
            Note.objects.get(pk=pk).readers.set(Reader.objects.all())
            return JsonResponse({})

        def save(request, pk):
            note = Note.objects.get(pk=pk)
            note.save()
            return JsonResponse({})

        def comment(request, pk):
            Note.objects.get(pk=pk).comments.add(Comment.objects.get(pk=1))
            return JsonResponse({})
    """,
    "notes/urls.py": """
        from django.urls import path
        from notes import views

        urlpatterns = [
            path("tag/", views.tag), path("untag/", views.untag), path("share/", views.share),
            path("save/", views.save), path("comment/", views.comment),
        ]
    """,
}

NOTE, TAG, LOG, AUDIT = "notes.models:Note", "notes.models:Tag", "notes.models:Log", "notes.models:Audit"
SHARE, COMMENT, NOTE_TAGS = "notes.models:Share", "notes.models:Comment", "table:notes_note_tags"


def writes_of(files: dict[str, str]) -> dict[str, list[str]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: route.writes for route in found.routes}


def test_changing_a_relation_runs_its_m2m_changed_receivers() -> None:
    writes = writes_of(NOTES)
    # Why: `note.tags.add(...)` changes Note.tags' through table: the receiver of `Note.tags.through` runs.
    assert writes["/tag/"] == sorted([NOTE_TAGS, LOG])
    # Why: the reverse accessor changes the same table (`tag.note_set.clear()`).
    assert writes["/untag/"] == sorted([NOTE_TAGS, LOG])
    # Why: a receiver connected with the explicit through model as sender runs for `note.readers.set(...)`.
    assert writes["/share/"] == sorted([SHARE, AUDIT])


def test_saves_and_other_relations_run_no_m2m_changed_receiver() -> None:
    writes = writes_of(NOTES)
    # Why: saving the model sends post_save, not m2m_changed.
    assert writes["/save/"] == [NOTE]
    # Why: a reverse foreign key's `.add()` updates the comment's key: no through table, no m2m_changed.
    assert writes["/comment/"] == [COMMENT]
