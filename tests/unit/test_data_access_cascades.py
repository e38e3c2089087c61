"""What a delete sets off: Django's deletion Collector by `on_delete`, many-to-many tables, parents, generic
relations, delete previews; SQLAlchemy's delete cascade.

Each view is checked for the exact models and tables it reads and writes.
"""

from __future__ import annotations

import functools

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

TRACKER = {
    "config/__init__.py": "",
    "config/settings.py": """
        INSTALLED_APPS = ["tracker", "rest_framework"]
    """,
    "tracker/__init__.py": "",
    "tracker/models.py": """
        from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
        from django.contrib.contenttypes.models import ContentType
        from django.db import models

        class Label(models.Model):
            name = models.CharField(max_length=20)

        class Note(models.Model):
            content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
            object_id = models.PositiveIntegerField()
            subject = GenericForeignKey("content_type", "object_id")

        class Project(models.Model):
            name = models.CharField(max_length=40)
            labels = models.ManyToManyField(Label, related_name="projects")
            notes = GenericRelation(Note)

        class Ticket(models.Model):
            project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tickets")
            title = models.CharField(max_length=80)

        class Bug(Ticket):
            severity = models.IntegerField()

        class Comment(models.Model):
            ticket = models.ForeignKey(Ticket, models.CASCADE, related_name="comments")

        class Attachment(models.Model):
            comment = models.ForeignKey(Comment, on_delete=models.CASCADE)

        class Invoice(models.Model):
            project = models.ForeignKey(Project, on_delete=models.PROTECT)

        class AuditEntry(models.Model):
            project = models.ForeignKey(Project, null=True, on_delete=models.SET_NULL)

        class Mirror(models.Model):
            project = models.ForeignKey(Project, on_delete=models.DO_NOTHING)

        class Activity(models.Model):
            verb = models.CharField(max_length=20)

        class Archive(models.Model):
            name = models.CharField(max_length=40)
    """,
    "tracker/signals.py": """
        from django.db.models.signals import post_delete, pre_delete
        from django.dispatch import receiver
        from tracker.models import Activity, Archive, Comment, Project

        @receiver(post_delete, sender=Comment)
        def comment_deleted(sender, instance, **kwargs):
            Activity.objects.create(verb="comment deleted")

        @receiver(pre_delete, sender=Project)
        def archive_project(sender, instance, **kwargs):
            Archive.objects.create(name=instance.name)
    """,
    "tracker/serializers.py": """
        from rest_framework import serializers
        from tracker.models import Project

        class ProjectSerializer(serializers.ModelSerializer):
            class Meta:
                model = Project
                fields = ["id", "name"]
    """,
    "tracker/views.py": """
        from django.contrib.admin.utils import NestedObjects
        from django.http import JsonResponse
        from django.shortcuts import get_object_or_404
        from django.views.generic import DeleteView
        from rest_framework import viewsets
        from tracker.models import Comment, Label, Project, Ticket
        from tracker.serializers import ProjectSerializer

        def delete_project(request, pk):
            project = get_object_or_404(Project, pk=pk)
            project.delete()
            return JsonResponse({})

        def rename_project(request, pk):
            project = get_object_or_404(Project, pk=pk)
            project.name = request.POST["name"]
            project.save()
            return JsonResponse({})

        def purge_tickets(request, pk):
            Ticket.objects.filter(project_id=pk).delete()
            return JsonResponse({})

        def delete_comment(request, pk):
            Comment.objects.get(pk=pk).delete()
            return JsonResponse({})

        def clear_comments(request, pk):
            for comment in Comment.objects.filter(ticket_id=pk):
                comment.delete()
            return JsonResponse({})

        def delete_label(request, pk):
            Label.objects.get(pk=pk).delete()
            return JsonResponse({})

        def delete_preview(request, pk):
            project = get_object_or_404(Project, pk=pk)
            collector = NestedObjects(using="default")
            collector.collect([project])
            return JsonResponse({"n": len(collector.nested())})

        class ProjectViewSet(viewsets.ModelViewSet):
            queryset = Project.objects.all()
            serializer_class = ProjectSerializer

        class TicketDelete(DeleteView):
            model = Ticket
            success_url = "/"
    """,
    "tracker/urls.py": """
        from django.urls import include, path
        from rest_framework.routers import DefaultRouter
        from tracker import views

        router = DefaultRouter()
        router.register("api/projects", views.ProjectViewSet)

        urlpatterns = [
            path("projects/<int:pk>/delete/", views.delete_project),
            path("projects/<int:pk>/rename/", views.rename_project),
            path("projects/<int:pk>/purge/", views.purge_tickets),
            path("projects/<int:pk>/preview/", views.delete_preview),
            path("comments/<int:pk>/delete/", views.delete_comment),
            path("labels/<int:pk>/delete/", views.delete_label),
            path("tickets/<int:pk>/clear/", views.clear_comments),
            path("tickets/<int:pk>/delete/", views.TicketDelete.as_view()),
            path("", include(router.urls)),
        ]
    """,
}

M = "tracker.models:"
PROJECT, TICKET, BUG, COMMENT, ATTACHMENT = (M + n for n in ("Project", "Ticket", "Bug", "Comment", "Attachment"))
INVOICE, AUDIT, MIRROR, LABEL, NOTE, ACTIVITY, ARCHIVE = (
    M + n for n in ("Invoice", "AuditEntry", "Mirror", "Label", "Note", "Activity", "Archive")
)
LABELS = "table:tracker_project_labels"


def routes_of(files: dict[str, str]) -> dict[tuple[str, str | None], tuple[list[str], list[str]]]:
    return _routes("tracker" if files is TRACKER else "shop")


@functools.cache
def _routes(app: str) -> dict[tuple[str, str | None], tuple[list[str], list[str]]]:
    """The routes of one fixture, recognized once for all its tests."""
    files = TRACKER if app == "tracker" else SHOP
    found = recognize(link(facts_of(files)), load_heuristics())
    return {(route.path, route.action): (route.reads, route.writes) for route in found.routes}


def test_an_instance_delete_follows_every_relation_pointing_at_it() -> None:
    routes = routes_of(TRACKER)
    reads, writes = routes[("/projects/{pk}/delete/", None)]
    # Why: CASCADE reads tickets (comments point at them), their bug children and comments (a receiver listens
    # to their deletion), two levels down; PROTECT reads invoices; the generic relation reads notes.
    assert reads == sorted([PROJECT, TICKET, BUG, COMMENT, INVOICE, NOTE])
    # Why: SET_NULL updates audit entries with one UPDATE and the project's row in its auto-created labels table
    # is deleted, whatever the data; tickets, comments and notes are deleted only when the SELECTs found some
    # (a cascaded attachment only when a comment was found); DO_NOTHING leaves mirrors alone; the project's
    # pre_delete receiver archives it.
    assert writes == sorted([PROJECT, AUDIT, LABELS, ARCHIVE])
    assert MIRROR not in reads + writes


def test_a_save_sets_nothing_off() -> None:
    routes = routes_of(TRACKER)
    # Why: only a delete runs the Collector and the delete signals' receivers; saving touches the project's table.
    assert routes[("/projects/{pk}/rename/", None)] == ([PROJECT], [PROJECT])


def test_a_queryset_delete_reads_its_rows_when_something_follows() -> None:
    routes = routes_of(TRACKER)
    # Why: tickets are pointed at (comments), so the queryset is read before its rows are deleted; two levels
    # down; what is deleted besides tickets depends on the rows found.
    assert routes[("/projects/{pk}/purge/", None)] == (sorted([TICKET, BUG, COMMENT]), [TICKET])


def test_a_model_nothing_follows_is_deleted_alone() -> None:
    routes = routes_of(TRACKER)
    # Why: a comment's attachments are fast deleted (nothing points at them, no receiver): one DELETE, no read.
    # The comment's own post_delete receiver writes an Activity.
    assert routes[("/comments/{pk}/delete/", None)] == ([COMMENT], sorted([COMMENT, ATTACHMENT, ACTIVITY]))
    # Why: a comment a loop deleted exists only if the query found one: its attachments' DELETE depends on the data.
    assert routes[("/tickets/{pk}/clear/", None)] == ([COMMENT], sorted([COMMENT, ACTIVITY]))
    # Why: a model another model's ManyToManyField points at: its rows in that auto-created table go.
    assert routes[("/labels/{pk}/delete/", None)] == ([LABEL], sorted([LABEL, LABELS]))


def test_framework_deletes_cascade() -> None:
    routes = routes_of(TRACKER)
    # Why: DRF's destroy deletes the view's object: the same cascade as `project.delete()`.
    assert routes[("/api/projects/{pk}/", "destroy")] == (
        sorted([PROJECT, TICKET, BUG, COMMENT, INVOICE, NOTE]),
        sorted([PROJECT, AUDIT, LABELS, ARCHIVE]),
    )
    # Why: updating a project sends its save signals, not its delete signals.
    assert ARCHIVE not in routes[("/api/projects/{pk}/", "partial_update")][1]
    # Why: DeleteView's POST deletes the ticket: its comments and bug child are read.
    assert routes[("/tickets/{pk}/delete/", "post")] == (sorted([TICKET, BUG, COMMENT]), [TICKET])
    # Why: the DeleteView's GET only shows the confirmation page.
    assert routes[("/tickets/{pk}/delete/", "get")] == ([TICKET], [])
    # Why: listing runs no delete.
    assert routes[("/api/projects/", "list")] == ([PROJECT], [])


def test_a_delete_preview_reads_and_writes_nothing() -> None:
    routes = routes_of(TRACKER)
    reads, writes = routes[("/projects/{pk}/preview/", None)]
    # Why: NestedObjects never fast deletes: every cascaded level is read; SET_NULL rows are not (lazy); no write.
    assert reads == sorted([PROJECT, TICKET, BUG, COMMENT, ATTACHMENT, INVOICE, NOTE, LABELS])
    assert writes == []


SHOP = {
    "shop/__init__.py": """
        from flask import Flask
        from flask_sqlalchemy import SQLAlchemy

        app = Flask(__name__)
        db = SQLAlchemy(app)
    """,
    "shop/models.py": """
        from shop import db

        class Order(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            lines = db.relationship("Line", cascade="all, delete-orphan")
            payments = db.relationship("Payment", cascade="all, delete", passive_deletes=True)
            coupons = db.relationship("Coupon")

        class Line(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            order_id = db.Column(db.Integer, db.ForeignKey("order.id"))
            taxes = db.relationship("Tax", cascade="delete")

        class Tax(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            line_id = db.Column(db.Integer, db.ForeignKey("line.id"))

        class Payment(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            order_id = db.Column(db.Integer, db.ForeignKey("order.id", ondelete="CASCADE"))

        class Coupon(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            order_id = db.Column(db.Integer, db.ForeignKey("order.id"))
    """,
    "shop/views.py": """
        from shop import app, db
        from shop.models import Line, Order

        @app.route("/orders/<int:pk>", methods=["DELETE"])
        def delete_order(pk):
            order = db.session.get(Order, pk)
            db.session.delete(order)
            db.session.commit()
            return ""

        @app.route("/lines/<int:pk>", methods=["POST"])
        def touch_line(pk):
            line = db.session.get(Line, pk)
            db.session.add(line)
            db.session.commit()
            return ""
    """,
}


def test_sqlalchemy_delete_cascades_load_and_delete_the_children() -> None:
    routes = routes_of(SHOP)
    reads, writes = routes[("/orders/{pk}", None)]
    # Why: `all, delete-orphan` and `delete` cascades load lines and their taxes (and delete those found);
    # `passive_deletes` leaves payments to the database's ON DELETE; coupons have no delete cascade.
    assert reads == ["shop.models:Line", "shop.models:Order", "shop.models:Tax"]
    assert writes == ["shop.models:Order"]
    # Why: adding an instance to the session is no delete.
    assert routes[("/lines/{pk}", None)] == (["shop.models:Line"], ["shop.models:Line"])


NESTED = {
    "config/__init__.py": "",
    "config/settings.py": """
        INSTALLED_APPS = ["dojo"]
    """,
    "dojo/__init__.py": "",
    "dojo/product/__init__.py": "",
    "dojo/product/models.py": """
        from django.db import models

        class Product(models.Model):
            name = models.CharField(max_length=40)
    """,
    "dojo/finding/__init__.py": "",
    "dojo/finding/models.py": """
        from django.db import models

        class Finding(models.Model):
            product = models.ForeignKey("dojo.Product", on_delete=models.CASCADE)
            notes = models.ManyToManyField("dojo.Note")

        class Note(models.Model):
            text = models.TextField()
    """,
    "dojo/views.py": """
        from django.http import JsonResponse
        from dojo.product.models import Product

        def delete_product(request, pk):
            Product.objects.get(pk=pk).delete()
            return JsonResponse({})
    """,
    "dojo/urls.py": """
        from django.urls import path
        from dojo import views

        urlpatterns = [path("products/<int:pk>/delete/", views.delete_product)]
    """,
}


def test_models_of_an_app_s_subpackages_carry_the_app_s_label() -> None:
    found = recognize(link(facts_of(NESTED)), load_heuristics())
    finding = next(m for m in found.models if m.name == "Finding")
    # Why: Django gives a model the label of the installed app containing its module (`dojo`), not `finding`.
    assert finding.table == "dojo_finding"
    assert {r.field: (r.target, r.through) for r in finding.relations} == {
        "product": ("dojo.product.models:Product", None),
        "notes": ("dojo.finding.models:Note", "table:dojo_finding_notes"),
    }
    route = next(r for r in found.routes if r.path == "/products/{pk}/delete/")
    # Why: `"dojo.Product"` resolves, so deleting a product reads its findings (their notes table points at them).
    assert route.reads == ["dojo.finding.models:Finding", "dojo.product.models:Product"]
    assert route.writes == ["dojo.product.models:Product"]


SOFT = {
    "config/__init__.py": "",
    "config/settings.py": """
        INSTALLED_APPS = ["docs"]
    """,
    "docs/__init__.py": "",
    "docs/models.py": """
        from django.db import models
        from django_softdelete.models import SoftDeleteModel

        class Owned(models.Model):
            class Meta:
                abstract = True

        class Document(SoftDeleteModel, Owned):
            tags = models.ManyToManyField("docs.Tag")

        class Tag(models.Model):
            name = models.CharField(max_length=20)

        class Note(models.Model):
            document = models.ForeignKey(Document, on_delete=models.CASCADE)
    """,
    "docs/views.py": """
        from django.http import JsonResponse
        from docs.models import Document

        def trash(request, pk):
            Document.objects.get(pk=pk).delete()
            return JsonResponse({})

        def empty_trash(request):
            Document.objects.filter(pk__in=[1, 2]).hard_delete()
            return JsonResponse({})
    """,
    "docs/urls.py": """
        from django.urls import path
        from docs import views

        urlpatterns = [path("trash/<int:pk>/", views.trash), path("empty/", views.empty_trash)]
    """,
}


def test_a_soft_delete_reads_what_it_would_delete_and_a_hard_delete_deletes_it() -> None:
    found = recognize(link(facts_of(SOFT)), load_heuristics())
    routes = {route.path: (route.reads, route.writes) for route in found.routes}
    document, note = "docs.models:Document", "docs.models:Note"
    # Why: a soft-delete base's delete() marks the document (an UPDATE) and looks at what points at it (the
    # reverse relations, not the many-to-many tables).
    assert routes["/trash/{pk}/"] == (sorted([document, note]), [document])
    # Why: hard_delete() runs the Collector: the queryset is read (notes point at it), then its notes and tags
    # rows are deleted where documents were found.
    assert routes["/empty/"] == ([document], [document])
