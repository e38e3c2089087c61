"""What DRF serializers touch: nested serializers, related fields, many-to-many fields, save().

Each route is checked for the exact models and tables it reads and writes.
"""

from __future__ import annotations

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
        from django.db import models

        class Member(models.Model):
            name = models.CharField(max_length=20)

        class Project(models.Model):
            name = models.CharField(max_length=20)
            owner = models.ForeignKey(Member, on_delete=models.PROTECT)

        class Label(models.Model):
            name = models.CharField(max_length=20)

        class Ticket(models.Model):
            title = models.CharField(max_length=80)
            project = models.ForeignKey(Project, related_name="tickets", on_delete=models.PROTECT)
            assignee = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL)
            labels = models.ManyToManyField(Label, related_name="tickets")
            watchers = models.ManyToManyField(Member, related_name="watched")
            subscribers = models.ManyToManyField(Member, blank=True, related_name="subscribed")

            @property
            def comment_count(self):
                return Comment.objects.filter(ticket=self).count()

            def reopened(self):
                return Reopening.objects.filter(ticket=self).exists()

        class Reopening(models.Model):
            ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE)

        class Comment(models.Model):
            ticket = models.ForeignKey(Ticket, related_name="comments", on_delete=models.PROTECT)
            text = models.TextField()
    """,
    "tracker/serializers.py": """
        from rest_framework import serializers
        from tracker.models import Comment, Label, Member, Project, Ticket

        class MemberSerializer(serializers.ModelSerializer):
            class Meta:
                model = Member
                fields = ["id", "name"]

        class ProjectSerializer(serializers.ModelSerializer):
            owner = MemberSerializer(read_only=True)
            tickets = serializers.SerializerMethodField()

            class Meta:
                model = Project
                fields = ["id", "name", "owner", "tickets"]

            def get_tickets(self, project):
                return [t.pk for t in project.tickets.all()]

        class BriefProjectSerializer(ProjectSerializer):
            def __init__(self, *args, brief=False, **kwargs):
                super().__init__(*args, **kwargs)

        class LabelSerializer(serializers.ModelSerializer):
            class Meta:
                model = Label
                fields = ["id", "name"]

        class CommentSerializer(serializers.ModelSerializer):
            ticket = serializers.PrimaryKeyRelatedField(read_only=True)

            class Meta:
                model = Comment
                fields = ["id", "text", "ticket"]

        class TicketSerializer(serializers.ModelSerializer):
            project = ProjectSerializer(read_only=True)
            labels = LabelSerializer(many=True, read_only=True)
            comments = CommentSerializer(many=True, read_only=True)
            assignee = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all(), required=False)

            class Meta:
                model = Ticket
                fields = ["id", "title", "project", "labels", "comments", "assignee", "watchers", "subscribers"]

        class BriefTicketSerializer(serializers.ModelSerializer):
            project = BriefProjectSerializer(brief=True, read_only=True)

            class Meta:
                model = Ticket
                fields = ["id", "title", "project", "assignee", "reopened"]

        class WatcherNamesField(serializers.Field):
            def to_representation(self, ticket):
                return [m.name for m in Member.objects.filter(watched=ticket)]

            def to_internal_value(self, data):
                return list(Project.objects.filter(name__in=data))

        class LabelledTicketSerializer(serializers.ModelSerializer):
            label_names = serializers.SlugRelatedField(source="labels", many=True, slug_field="name", read_only=True)
            comment_count = serializers.ReadOnlyField()
            reopened = serializers.SerializerMethodField()
            watcher_names = WatcherNamesField(source="*", read_only=True)

            def get_reopened(self, ticket):
                return False

            class Meta:
                model = Ticket
                exclude = ["watchers", "subscribers"]
    """,
    "tracker/views.py": """
        from rest_framework import viewsets
        from rest_framework.decorators import api_view
        from rest_framework.response import Response
        from tracker.models import Ticket
        from tracker.serializers import BriefTicketSerializer, LabelledTicketSerializer, TicketSerializer

        class TicketViewSet(viewsets.ModelViewSet):
            queryset = Ticket.objects.all()
            serializer_class = TicketSerializer

        class BriefTicketViewSet(viewsets.ReadOnlyModelViewSet):
            queryset = Ticket.objects.all()

            def get_serializer_class(self):
                return BriefTicketSerializer

        class LabelledTicketViewSet(viewsets.ReadOnlyModelViewSet):
            queryset = Ticket.objects.all()
            serializer_class = LabelledTicketSerializer

        @api_view(["POST"])
        def open_ticket(request):
            serializer = TicketSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            serializer.save()
            return Response(serializer.data)

        @api_view(["POST"])
        def check_ticket(request):
            serializer = BriefTicketSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            return Response(serializer.validated_data)
    """,
    "tracker/urls.py": """
        from django.urls import include, path
        from rest_framework.routers import DefaultRouter
        from tracker import views

        router = DefaultRouter()
        router.register("tickets", views.TicketViewSet, basename="ticket")
        router.register("brief", views.BriefTicketViewSet, basename="brief")
        router.register("labelled", views.LabelledTicketViewSet, basename="labelled")

        urlpatterns = [
            path("open/", views.open_ticket),
            path("check/", views.check_ticket),
            path("", include(router.urls)),
        ]
    """,
}
MEMBER, PROJECT, LABEL = "tracker.models:Member", "tracker.models:Project", "tracker.models:Label"
TICKET, COMMENT, REOPENING = "tracker.models:Ticket", "tracker.models:Comment", "tracker.models:Reopening"
TICKET_LABELS, TICKET_WATCHERS = "table:tracker_ticket_labels", "table:tracker_ticket_watchers"
TICKET_SUBSCRIBERS = "table:tracker_ticket_subscribers"
RENDERED = sorted([TICKET, PROJECT, MEMBER, LABEL, TICKET_LABELS, COMMENT, TICKET_WATCHERS, TICKET_SUBSCRIBERS])
"""What rendering a ticket with TicketSerializer reads."""


def routes_of(files: dict[str, str]) -> dict[tuple[str, str | None], tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {(route.path, route.action): (route.reads, route.writes) for route in found.routes}


def test_nested_serializers_and_many_to_many_fields_read_what_they_render() -> None:
    routes = routes_of(TRACKER)
    # Why: project, labels and comments are nested serializers (their models; labels through its table); the
    # project's own nested owner (Member) and its method field (the project's tickets) render too; watchers, a
    # many-to-many field of Meta.fields, reads its targets and table; the assignee key is rendered from the
    # ticket's own column, and the comment's ticket too; subscribers as watchers.
    assert routes[("/tickets/", "list")] == (RENDERED, [])
    assert routes[("/tickets/{pk}/", "retrieve")] == (RENDERED, [])


def test_saving_a_serializer_validates_its_related_fields_and_writes_the_many_to_many_table() -> None:
    routes = routes_of(TRACKER)
    # Why: the assignee's queryset and the watchers given are looked up; save() sets the watchers (their table),
    # a required field; the subscribers (blank=True: optional, mostly left out) are looked up, not counted as set;
    # read-only nested fields (project, labels, comments) take no input; the new ticket is built from the input
    # (no read of it) and rendered.
    created = ([t for t in RENDERED if t != TICKET], sorted([TICKET, TICKET_WATCHERS]))
    assert routes[("/tickets/", "create")] == created
    # Why: a model serializer made in a function reads its model (as before this mechanism).
    assert routes[("/open/", None)] == (RENDERED, created[1])


def test_a_foreign_key_key_field_and_a_brief_nested_serializer_read_only_their_own_rows() -> None:
    routes = routes_of(TRACKER)
    # Why: what get_serializer_class returns renders; the assignee key needs no query; a nested serializer made
    # with a keyword DRF does not take (brief=True) has its fields chosen by its own __init__: its model only,
    # not the owner nor the method fields it would render in full.
    # A model method named in Meta.fields (reopened) renders its value: it runs.
    assert routes[("/brief/", "list")] == (sorted([TICKET, PROJECT, REOPENING]), [])
    # Why: without save() nothing is written; validating input looks the assignee key up.
    assert routes[("/check/", None)] == (sorted([TICKET, PROJECT, MEMBER, REOPENING]), [])


def test_slug_fields_and_excluded_fields() -> None:
    routes = routes_of(TRACKER)
    # Why: a slug field renders the labels' names (their rows and table); Meta.exclude leaves every other relation
    # of the model: labels (many-to-many) read, project and assignee rendered from the ticket's own columns,
    # watchers and subscribers excluded. A read-only field named as a property of the model (comment_count) runs
    # it; a method field runs the serializer's own get_<field>, not the model's method of that name (reopened).
    # A field of a class of ours (the whole row as its source) runs its to_representation (Member), not its
    # to_internal_value (read-only: no input); its query joins the watchers' table.
    rendered = sorted([TICKET, LABEL, TICKET_LABELS, COMMENT, MEMBER, TICKET_WATCHERS])
    assert routes[("/labelled/", "list")] == (rendered, [])


def test_a_serializer_without_relations_reads_only_its_model() -> None:
    files = {
        **TRACKER,
        "tracker/views.py": TRACKER["tracker/views.py"]
        .replace("serializer_class = TicketSerializer", "serializer_class = LabelSerializer")
        .replace("import BriefTicketSerializer,", "import BriefTicketSerializer, LabelSerializer,"),
    }
    # Why: a serializer of plain fields renders the view's rows only.
    assert routes_of(files)[("/tickets/", "list")] == ([TICKET], [])


def test_a_many_to_many_field_made_read_only_by_meta_is_not_saved() -> None:
    files = {
        **TRACKER,
        "tracker/serializers.py": TRACKER["tracker/serializers.py"].replace(
            '"assignee", "watchers", "subscribers"]',
            '"assignee", "watchers", "subscribers"]\n                read_only_fields = ["watchers"]',
        ),
    }
    reads, writes = routes_of(files)[("/tickets/", "create")]
    # Why: Meta.read_only_fields takes the watchers out of the input: save() sets no relation.
    assert writes == [TICKET]
    assert TICKET_WATCHERS in reads  # still rendered


def test_a_field_class_of_ours_validates_input_in_writes_only() -> None:
    files = {
        **TRACKER,
        "tracker/serializers.py": TRACKER["tracker/serializers.py"].replace(
            'watcher_names = WatcherNamesField(source="*", read_only=True)', "watcher_names = WatcherNamesField()"
        ),
        "tracker/views.py": TRACKER["tracker/views.py"].replace(
            "class LabelledTicketViewSet(viewsets.ReadOnlyModelViewSet):",
            "class LabelledTicketViewSet(viewsets.ModelViewSet):",
        ),
    }
    routes = routes_of(files)
    # Why: a writable field of a class of ours parses the input with its to_internal_value (reads Project) in
    # the actions that take input; listing renders only.
    assert PROJECT in routes[("/labelled/", "create")][0]
    assert PROJECT not in routes[("/labelled/", "list")][0]


ACTIONS = {
    **TRACKER,
    "tracker/views.py": TRACKER["tracker/views.py"]
    .replace("from rest_framework.decorators import api_view", "from rest_framework.decorators import action, api_view")
    .replace(
        "        class BriefTicketViewSet",
        """        class TriageViewSet(viewsets.GenericViewSet):
            serializer_class = LabelledTicketSerializer

            def get_queryset(self):
                return Ticket.objects.prefetch_related("comments")

            @action(detail=True, methods=["get"])
            def peek(self, request, pk=None):
                ticket = self.get_object()
                return Response({"id": ticket.pk})

            @action(detail=True, methods=["get"])
            def show(self, request, pk=None):
                return Response(self.get_serializer(Ticket.objects.get(pk=pk)).data)

            @action(detail=False, methods=["get"])
            def ping(self, request):
                return Response({"ok": True})

        class BriefTicketViewSet""",
    ),
    "tracker/urls.py": TRACKER["tracker/urls.py"].replace(
        'router.register("labelled"',
        'router.register("triage", views.TriageViewSet, basename="triage")\n        router.register("labelled"',
    ),
}


def test_a_views_own_action_runs_the_hooks_of_what_it_inherits() -> None:
    routes = routes_of(ACTIONS)
    # Why: self.get_object() runs the view's get_queryset: the ticket and the comments it prefetches.
    assert routes[("/triage/{pk}/peek/", "peek")] == (sorted([TICKET, COMMENT]), [])
    # Why: self.get_serializer(...) makes the view's serializer_class, which renders the ticket.
    assert routes[("/triage/{pk}/show/", "show")] == (
        sorted([TICKET, LABEL, TICKET_LABELS, COMMENT, MEMBER, TICKET_WATCHERS]),
        [],
    )
    # Why: an action calling neither reads nothing.
    assert routes[("/triage/ping/", "ping")] == ([], [])


TAG_LIST = {
    **TRACKER,
    "tracker/serializers.py": TRACKER["tracker/serializers.py"]
    + """
        class NameListField(serializers.Field):
            def to_representation(self, value):
                return [str(item) for item in value.all()]

        class TaggedTicketSerializer(serializers.ModelSerializer):
            labels = NameListField(read_only=True)
            headline = NameListField(source="title", read_only=True)

            class Meta:
                model = Ticket
                fields = ["id", "title", "labels", "headline"]
    """,
    "tracker/views.py": TRACKER["tracker/views.py"].replace(
        "import BriefTicketSerializer,", "import BriefTicketSerializer, TaggedTicketSerializer,"
    )
    + """
        class TaggedTicketViewSet(viewsets.ReadOnlyModelViewSet):
            queryset = Ticket.objects.all()
            serializer_class = TaggedTicketSerializer
    """,
    "tracker/urls.py": TRACKER["tracker/urls.py"].replace(
        'router.register("labelled"',
        'router.register("tagged", views.TaggedTicketViewSet, basename="tagged")\n        router.register("labelled"',
    ),
}


def test_a_field_class_of_ours_on_a_to_many_relation_renders_the_relation() -> None:
    # Why: `labels = NameListField()` is handed the ticket's labels manager (a many-to-many relation): rendering
    # reads the labels and their table. `headline` is sourced on a plain column: it adds nothing.
    assert routes_of(TAG_LIST)[("/tagged/", "list")] == (sorted([TICKET, LABEL, TICKET_LABELS]), [])
