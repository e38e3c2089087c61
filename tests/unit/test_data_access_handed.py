"""The routed class's row handed to a method of the generic base: `obj = self.get_object(pk=pk)`, then
`self._dependents(obj)` previews the delete with a Collector subclass; the preview is of the model each
concrete view binds. A field class of ours subclassing a generic relation (`class Tags(TaggableManager)`)
cascades like it.
"""

from __future__ import annotations

import functools

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

BOARD = {
    "config/__init__.py": "",
    "config/settings.py": 'INSTALLED_APPS = ["board", "taggit"]\n',
    "board/__init__.py": "",
    "board/fields.py": """
        from django.db import models
        from taggit.managers import TaggableManager

        class OrderedTags(TaggableManager):
            pass

        class UpperCharField(models.CharField):
            pass
    """,
    "board/models.py": """
        from django.db import models
        from taggit.models import GenericTaggedItemBase, TagBase
        from board.fields import OrderedTags, UpperCharField

        class Label(TagBase):
            pass

        class LabelledItem(GenericTaggedItemBase):
            tag = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="items")

        class Board(models.Model):
            name = UpperCharField(max_length=40)

        class Card(models.Model):
            board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="cards")
            tags = OrderedTags(through=LabelledItem)

        class Checklist(models.Model):
            card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="checklists")

        class Member(models.Model):
            name = UpperCharField(max_length=40)

        class Layout(models.Model):
            columns = models.IntegerField()
    """,
    "board/deletion.py": """
        from django.db.models.deletion import Collector

        class PreviewCollector(Collector):
            def collect(self, objs, source=None, **kwargs):
                return super().collect(objs, source=source, **kwargs)
    """,
    "board/generic.py": """
        from django.shortcuts import get_object_or_404, render
        from django.views import View
        from board.deletion import PreviewCollector

        class ObjectDeleteView(View):
            queryset = None
            summary = None

            def get_object(self, **kwargs):
                return get_object_or_404(self.queryset, **kwargs)

            def _dependents(self, obj):
                collector = PreviewCollector(using="default")
                collector.collect([obj])
                return collector.data

            def _title(self, label):
                return label.upper()

            def _summary(self, obj):
                summary = self.summary(obj)
                return summary.render()

            def get(self, request, pk):
                obj = self.get_object(pk=pk)
                dependents = self._dependents(obj)
                title = self._title("delete")
                if self.summary is not None:
                    title = self._summary(obj)
                return render(request, "confirm.html", {"object": obj, "dependents": dependents, "title": title})
    """,
    "board/forms.py": """
        from django import forms
        from board.models import Card

        class CardForm(forms.ModelForm):
            class Meta:
                model = Card
                fields = ["board"]

        class NoteForm(forms.Form):
            text = forms.CharField()
    """,
    "board/imports.py": """
        from django.shortcuts import render
        from django.views import View

        class ObjectImportView(View):
            queryset = None
            model_form = None

            def save_object(self, object_form):
                return object_form.save()

            def _save(self, model_form, position):
                obj = self.save_object(model_form)
                return obj

            def post(self, request):
                model_form = self.model_form(data=request.POST)
                if model_form.is_valid():
                    self._save(model_form, 0)
                return render(request, "done.html", {})
    """,
    "board/views.py": """
        from board.forms import CardForm, NoteForm
        from board.generic import ObjectDeleteView
        from board.imports import ObjectImportView
        from board.models import Board, Card, Layout, Member

        class CardSummary:
            def __init__(self, card):
                self.card = card
                self.layout = Layout.objects.first()

            def render(self):
                return str(self.card)

        class BoardDeleteView(ObjectDeleteView):
            queryset = Board.objects.all()

        class CardDeleteView(ObjectDeleteView):
            queryset = Card.objects.all()
            summary = CardSummary

        class MemberDeleteView(ObjectDeleteView):
            queryset = Member.objects.all()

        class CardImportView(ObjectImportView):
            queryset = Card.objects.all()
            model_form = CardForm

        class NoteImportView(ObjectImportView):
            queryset = Member.objects.all()
            model_form = NoteForm
    """,
    "board/urls.py": """
        from django.urls import path
        from board import views

        urlpatterns = [
            path("boards/<int:pk>/delete/", views.BoardDeleteView.as_view()),
            path("cards/<int:pk>/delete/", views.CardDeleteView.as_view()),
            path("members/<int:pk>/delete/", views.MemberDeleteView.as_view()),
            path("cards/import/", views.CardImportView.as_view()),
            path("notes/import/", views.NoteImportView.as_view()),
        ]
    """,
}

M = "board.models:"
BOARD_MODEL, CARD, CHECKLIST, MEMBER, LAYOUT = (M + n for n in ("Board", "Card", "Checklist", "Member", "Layout"))
TAGGED = M + "LabelledItem"


@functools.cache
def _all_routes() -> dict[tuple[str, str], tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(BOARD)), load_heuristics())
    return {(route.path, method): (route.reads, route.writes) for route in found.routes for method in route.methods}


def _routes(method: str = "GET") -> dict[str, tuple[list[str], list[str]]]:
    return {path: access for (path, verb), access in _all_routes().items() if verb == method}


def test_a_row_handed_to_a_base_method_is_previewed_for_each_routed_class() -> None:
    routes = _routes()
    # Why: `self._dependents(obj)` gets the board the view loaded: the collector reads its cards, what points at
    # the cards (checklists) and the cards' tags (a subclass of TaggableManager, through a generic item); no write.
    assert routes["/boards/{pk}/delete/"] == (sorted([BOARD_MODEL, CARD, CHECKLIST, TAGGED]), [])
    # Why: for the card view the row is a card: its checklists and tags, not the boards' cards; the summary
    # class the card view names is made from the handed row in `_summary` (a variant per call): its `__init__`
    # reads the layout.
    assert routes["/cards/{pk}/delete/"] == (sorted([CARD, CHECKLIST, TAGGED, LAYOUT]), [])


def test_nothing_points_at_the_row_so_nothing_more_is_read() -> None:
    routes = _routes()
    # Why: nothing points at a member and its field class subclasses CharField (no relation): the preview
    # reads nothing besides the member the view loaded; the string handed to `_title` is no row.
    assert routes["/members/{pk}/delete/"] == ([MEMBER], [])


def test_a_handed_form_handed_on_again_is_saved_for_the_routed_class() -> None:
    routes = _routes("POST")
    # Why: the form made from the routed class's `model_form` goes to `_save`, which hands it on to
    # `save_object`: its `save()` writes the card the card view's form is bound to.
    assert CARD in routes["/cards/import/"][1]
    # Why: the note view's form is bound to no model: handing it along saves no row.
    assert routes["/notes/import/"][1] == []
