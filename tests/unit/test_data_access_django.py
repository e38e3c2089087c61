"""Data access in a Django + DRF app: request.user, many-to-many tables, serializers, receivers, raw SQL.

Each view is checked for the exact models and tables it reads and writes.
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

NOTES = {
    "config/__init__.py": "",
    "config/settings.py": """
        INSTALLED_APPS = ["accounts", "notes", "rest_framework"]
        AUTH_USER_MODEL = "accounts.Member"
    """,
    "accounts/__init__.py": "",
    "accounts/models.py": """
        from django.contrib.auth.models import AbstractUser
        from django.db import models

        class Member(AbstractUser):
            nickname = models.CharField(max_length=20)

        class Profile(models.Model):
            user = models.OneToOneField("accounts.Member", related_name="profile", on_delete=models.CASCADE)
            bio = models.TextField()
    """,
    "notes/__init__.py": "",
    "notes/models.py": """
        from django.conf import settings
        from django.db import models

        class Tag(models.Model):
            name = models.CharField(max_length=20)

        class Note(models.Model):
            owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
            tags = models.ManyToManyField(Tag, related_name="notes")
            readers = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Share", related_name="shared")
            archived = models.BooleanField(default=False)

        class Share(models.Model):
            note = models.ForeignKey(Note, on_delete=models.CASCADE)
            user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

        class Activity(models.Model):
            verb = models.CharField(max_length=20)
    """,
    "notes/signals.py": """
        from django.db.models.signals import post_save
        from django.dispatch import receiver
        from notes.models import Activity, Note

        @receiver(post_save, sender=Note)
        def note_saved(sender, instance, created, **kwargs):
            Activity.objects.create(verb="saved")
    """,
    "notes/serializers.py": """
        from rest_framework import serializers
        from notes.models import Note

        class NoteSerializer(serializers.ModelSerializer):
            class Meta:
                model = Note
                fields = ["id", "archived"]
    """,
    "notes/views.py": """
        from django.db import connection
        from django.http import JsonResponse
        from django.shortcuts import get_object_or_404
        from django.views.generic import ListView
        from rest_framework import viewsets
        from rest_framework.decorators import api_view
        from rest_framework.response import Response
        from notes.models import Note, Tag
        from notes.serializers import NoteSerializer

        def tag_note(request, pk):
            note = get_object_or_404(Note, pk=pk)
            tag, _ = Tag.objects.get_or_create(name=request.POST["tag"])
            note.tags.add(tag)
            return JsonResponse({})

        def untag_all(request, pk):
            Note.objects.get(pk=pk).tags.clear()
            return JsonResponse({})

        def tags_of(request, pk):
            note = Note.objects.get(pk=pk)
            return JsonResponse({"tags": list(note.tags.values_list("name", flat=True))})

        def bio(request):
            request.user.profile.bio = request.POST["bio"]
            request.user.profile.save()
            return JsonResponse({})

        def rename(request):
            request.user.nickname = request.POST["nickname"]
            return JsonResponse({})

        def create_note(request):
            note = Note(owner=request.user)
            note.save()
            return JsonResponse({})

        def archive(request):
            Note.objects.filter(archived=False).update(archived=True)
            return JsonResponse({})

        def legacy(request):
            with connection.cursor() as cursor:
                cursor.execute("UPDATE notes_note SET archived = true")
                cursor.execute("SELECT * FROM legacy_stats")
            return JsonResponse({})

        @api_view(["POST"])
        def restore(request):
            serializer = NoteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            serializer.save()
            return Response(serializer.data)

        class NoteViewSet(viewsets.ModelViewSet):
            serializer_class = NoteSerializer

            def get_queryset(self):
                return Note.objects.filter(owner=self.request.user)

        class MyShared(ListView):
            def get_queryset(self):
                return self.request.user.shared.all()
    """,
    "notes/urls.py": """
        from django.urls import include, path
        from rest_framework.routers import DefaultRouter
        from notes import views

        router = DefaultRouter()
        router.register("api/notes", views.NoteViewSet, basename="note")

        urlpatterns = [
            path("tag/<int:pk>/", views.tag_note),
            path("untag/<int:pk>/", views.untag_all),
            path("tags/<int:pk>/", views.tags_of),
            path("bio/", views.bio),
            path("rename/", views.rename),
            path("create/", views.create_note),
            path("archive/", views.archive),
            path("legacy/", views.legacy),
            path("restore/", views.restore),
            path("shared/", views.MyShared.as_view()),
            path("", include(router.urls)),
        ]
    """,
}

NOTE, TAG, SHARE = "notes.models:Note", "notes.models:Tag", "notes.models:Share"
MEMBER, PROFILE, ACTIVITY = "accounts.models:Member", "accounts.models:Profile", "notes.models:Activity"
NOTE_TAGS = "table:notes_note_tags"


def found_of(files: dict[str, str]):
    return recognize(link(facts_of(files)), load_heuristics())


def routes_of(files: dict[str, str]) -> dict[tuple[str, str | None], tuple[list[str], list[str]]]:
    return {(route.path, route.action): (route.reads, route.writes) for route in found_of(files).routes}


def test_many_to_many_relations_name_their_table() -> None:
    note = next(m for m in found_of(NOTES).models if m.symbol == NOTE)
    through = {r.field: r.through for r in note.relations}
    # Why: an auto-created table is `<model table>_<field>`; an explicit `through` is its model.
    assert through == {"owner": None, "tags": NOTE_TAGS, "readers": SHARE}


def test_collection_changes_write_the_many_to_many_table() -> None:
    routes = routes_of(NOTES)
    # Why: get_or_create looks up and inserts; `tags.add` writes the auto-created table, not Tag.
    assert routes[("/tag/{pk}/", None)] == ([NOTE, TAG], [TAG, NOTE_TAGS])
    assert routes[("/untag/{pk}/", None)] == ([NOTE], [NOTE_TAGS])
    # Why: reading a many-to-many relation joins its table.
    assert routes[("/tags/{pk}/", None)] == ([NOTE, TAG, NOTE_TAGS], [])


def test_request_user_is_the_auth_user_model() -> None:
    routes = routes_of(NOTES)
    # Why: request.user is AUTH_USER_MODEL (accounts.Member), loaded where the unguarded view first uses it;
    # `profile` is Profile's related_name (a reverse one-to-one: reading it loads the member's profile).
    assert routes[("/bio/", None)] == (sorted([MEMBER, PROFILE]), [PROFILE])
    # Why: a Django attribute set without save() writes nothing.
    assert routes[("/rename/", None)] == ([], [])
    # Why: self.request.user in a class-based view; `shared` is the reverse of a through model.
    assert routes[("/shared/", "get")] == ([MEMBER, NOTE, SHARE], [])


def test_a_save_runs_the_post_save_receivers_of_its_model() -> None:
    routes = routes_of(NOTES)
    # Why: saving a Note sends post_save, whose receiver creates an Activity (`owner=request.user` loads the user).
    assert routes[("/create/", None)] == ([MEMBER], [ACTIVITY, NOTE])
    # Why: a bulk update sends no signal; it is one UPDATE (the filter builds it and reads nothing).
    assert routes[("/archive/", None)] == ([], [NOTE])


def test_serializers_and_raw_sql() -> None:
    routes = routes_of(NOTES)
    # Why: the serializer is bound to Note; saving it writes a Note (and so runs its receiver).
    assert routes[("/restore/", None)] == ([NOTE], [ACTIVITY, NOTE])
    # Why: raw SQL names notes_note (Note's table) and a table no model maps.
    assert routes[("/legacy/", None)] == (["table:legacy_stats"], [NOTE])
    # Why: a viewset without `queryset` takes its model from its serializer.
    assert routes[("/api/notes/", "list")] == ([NOTE], [])
    assert routes[("/api/notes/", "create")] == ([], [ACTIVITY, NOTE])


LOOKUPS = {
    **NOTES,
    "notes/lookups.py": """
        from django.http import JsonResponse
        from rest_framework import serializers
        from rest_framework.decorators import api_view
        from rest_framework.response import Response
        from notes.models import Activity, Note, Share

        class ShareSerializer(serializers.ModelSerializer):
            class Meta:
                model = Share
                fields = ["note"]

            def create(self, validated_data):
                Activity.objects.create(verb="shared")
                return super().create(validated_data)

        def by_owner(request):
            notes = Note.objects.filter(owner__profile__bio="x", archived=False)
            return JsonResponse({"n": notes.count()})

        def with_owner(request):
            note = Note.objects.select_related("owner__profile").get(pk=1)
            return JsonResponse({"bio": note.owner.profile.bio})

        def by_id(request):
            return JsonResponse({"n": Note.objects.filter(owner=request.user, archived=False).count()})

        @api_view(["POST"])
        def share(request):
            serializer = ShareSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            serializer.save()
            return Response(serializer.data)
    """,
    "notes/urls.py": NOTES["notes/urls.py"].replace(
        "urlpatterns = [",
        "from notes import lookups\n\n        urlpatterns = [\n"
        '            path("by-owner/", lookups.by_owner), path("with-owner/", lookups.with_owner),\n'
        '            path("by-id/", lookups.by_id), path("share/", lookups.share),',
    ),
}


def test_lookups_across_relations_read_the_related_models() -> None:
    routes = routes_of(LOOKUPS)
    # Why: `owner__profile__bio` joins the owner (Member) and its Profile; `select_related` too.
    assert routes[("/by-owner/", None)] == ([MEMBER, PROFILE, NOTE], [])
    assert routes[("/with-owner/", None)] == ([MEMBER, PROFILE, NOTE], [])
    # Why: `owner=request.user` compares the foreign key column: no join (the lazy user itself is loaded).
    assert routes[("/by-id/", None)] == ([MEMBER, NOTE], [])


def test_saving_a_serializer_runs_its_create() -> None:
    # Why: serializer.save() calls the serializer's own create(), which writes an Activity; validating the
    # `note` key given (a foreign key of Meta.fields) looks the note up.
    assert routes_of(LOOKUPS)[("/share/", None)] == ([NOTE, SHARE], [ACTIVITY, SHARE])


PERMISSIONS = {
    **NOTES,
    "notes/perms.py": """
        from django.http import JsonResponse
        from guardian.shortcuts import assign_perm, get_objects_for_user
        from notes.models import Note

        class Policy:
            def has_perm(self, name):
                return name == "ok"

        def allowed(request):
            if not request.user.has_perm("notes.view_note"):
                return JsonResponse({}, status=403)
            return JsonResponse({})

        def visible(request):
            notes = get_objects_for_user(request.user, "notes.view_note", Note)
            return JsonResponse({"n": notes.count()})

        def grant(request):
            assign_perm("notes.view_note", request.user, Note.objects.get(pk=1))
            return JsonResponse({})

        def policy(request):
            return JsonResponse({"ok": Policy().has_perm("ok")})
    """,
    "notes/urls.py": NOTES["notes/urls.py"].replace(
        "urlpatterns = [",
        "from notes import perms\n\n        urlpatterns = [\n"
        '            path("allowed/", perms.allowed), path("visible/", perms.visible),\n'
        '            path("grant/", perms.grant), path("policy/", perms.policy),',
    ),
}
USER_PERMISSIONS = [  # AUTH_USER_MODEL is accounts.Member: its groups and permissions tables are its own
    "table:accounts_member_groups",
    "table:accounts_member_user_permissions",
    "table:auth_group",
    "table:auth_group_permissions",
    "table:auth_permission",
    "table:django_content_type",
]
OBJECT_PERMISSIONS = ["table:guardian_groupobjectpermission", "table:guardian_userobjectpermission"]


def test_permission_checks_read_the_permission_tables() -> None:
    routes = routes_of(PERMISSIONS)
    # Why: a user's has_perm loads its permissions (Django's ModelBackend): tables of Django's own models; the
    # unguarded view's first use of request.user loads the user.
    assert routes[("/allowed/", None)] == (sorted([MEMBER, *USER_PERMISSIONS]), [])
    # Why: django-guardian's shortcuts read (and assign_perm writes) its object-permission tables.
    visible = sorted([MEMBER, NOTE, "table:auth_permission", "table:auth_user_groups", "table:django_content_type"])
    assert routes[("/visible/", None)] == (sorted(visible + OBJECT_PERMISSIONS), [])
    grant_reads = sorted([MEMBER, NOTE, "table:auth_permission", "table:django_content_type", *OBJECT_PERMISSIONS])
    assert routes[("/grant/", None)] == (grant_reads, OBJECT_PERMISSIONS)
    # Why: a has_perm of the project's own class is its own code, not Django's permission lookup.
    assert routes[("/policy/", None)] == ([], [])


AUDITED = {
    **NOTES,
    "notes/audited.py": """
        from django.http import JsonResponse
        from audit import record

        def audited(request):
            record("seen", request.path)
            return JsonResponse({})
    """,
    "notes/urls.py": NOTES["notes/urls.py"].replace(
        "urlpatterns = [",
        'from notes import audited\n\n        urlpatterns = [\n            path("audited/", audited.audited),',
    ),
}
AUDIT_RULE = """\
schema_version = 1

[[rules]]
id = "data-access.audit.record"
kind = "data-access"
role = "outside-function"
names = ["audit.record"]
reads = ["audit_entry"]
writes = ["audit_entry"]
summary = "The audit package's record() reads and writes its table."
"""


def test_a_users_data_access_rule_names_the_tables_of_an_outside_function(tmp_path) -> None:
    (tmp_path / "audit.toml").write_text(AUDIT_RULE)
    graphs = link(facts_of(AUDITED))
    with_rule = {r.path: (r.reads, r.writes) for r in recognize(graphs, load_heuristics((tmp_path,))).routes}
    without = {r.path: (r.reads, r.writes) for r in recognize(graphs, load_heuristics()).routes}
    # Why: what an outside package does to tables is data a user can add (heuristics/data_access.toml).
    assert with_rule["/audited/"] == (["table:audit_entry"], ["table:audit_entry"])
    # Why: without the rule, a call of an unknown outside function touches nothing the scan can name.
    assert without["/audited/"] == ([], [])


OUTSIDE = {
    **NOTES,
    "notes/staff.py": """
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.contrib.contenttypes.models import ContentType
        from django.http import JsonResponse
        from guardian.models import UserObjectPermission
        from notes.models import Note
        from taggit.models import Tag as TaggitTag

        Member = get_user_model()

        def groups(request):
            names = [g.name for g in Group.objects.filter(name__startswith="staff")]
            return JsonResponse({"names": names})

        def active(request):
            return JsonResponse({"n": Member.objects.filter(is_active=True).count()})

        def inline_user_model(request):
            get_user_model().objects.filter(pk=1).update(is_active=False)
            return JsonResponse({})

        def grants(request):
            return JsonResponse({"n": UserObjectPermission.objects.filter(user=request.user).count()})

        def checks_type(request, thing):
            return JsonResponse({"group": isinstance(thing, Group)})

        def unknown_package(request):
            return JsonResponse({"n": TaggitTag.objects.count()})

        def note_type(request):
            return JsonResponse({"id": ContentType.objects.get_for_model(Note).pk})

        def note_types(request):
            return JsonResponse({"n": ContentType.objects.filter(app_label="notes").count()})
    """,
    "notes/urls.py": NOTES["notes/urls.py"].replace(
        "urlpatterns = [",
        "from notes import staff\n\n        urlpatterns = [\n"
        '            path("groups/", staff.groups), path("active/", staff.active),\n'
        '            path("inline/", staff.inline_user_model), path("grants/", staff.grants),\n'
        '            path("type/", staff.checks_type), path("unknown/", staff.unknown_package),\n'
        '            path("note-type/", staff.note_type), path("note-types/", staff.note_types),',
    ),
}


def test_model_classes_of_other_packages_are_their_tables() -> None:
    routes = routes_of(OUTSIDE)
    # Why: Django's Group and guardian's permission rows are tables the view reads like its own models.
    assert routes[("/groups/", None)] == (["table:auth_group"], [])
    assert routes[("/grants/", None)] == ([MEMBER, "table:guardian_userobjectpermission"], [])  # request.user
    # Why: get_user_model() returns AUTH_USER_MODEL (accounts.Member here), assigned or called inline.
    assert routes[("/active/", None)] == ([MEMBER], [])
    assert routes[("/inline/", None)] == ([], [MEMBER])
    # Why: a class only named in isinstance() is no query; a package the heuristics do not know names nothing.
    assert routes[("/type/", None)] == ([], [])
    assert routes[("/unknown/", None)] == ([], [])
    # Why: get_for_model is served from Django's content-type cache, and reads no row of the class it is given.
    assert routes[("/note-type/", None)] == ([], [])
    # Why: any other query of ContentType reads its table.
    assert routes[("/note-types/", None)] == (["table:django_content_type"], [])


DECORATED = {
    **NOTES,
    "notes/api.py": """
        from functools import wraps

        from django.contrib.auth import authenticate
        from django.contrib.auth import login as auth_login
        from django.http import JsonResponse
        from notes.models import Activity, Tag

        def authorize(view):
            @wraps(view)
            def wrapper(request, *args, **kwargs):
                request.tag = Tag.objects.get(name=request.headers["X-Tag"])
                return view(request, *args, **kwargs)
            return wrapper

        def cors(*methods):
            def decorator(view):
                @wraps(view)
                def wrapper(request, *args, **kwargs):
                    Activity.objects.create(verb="cors")
                    return view(request, *args, **kwargs)
                return wrapper
            return decorator

        def labelled(view):
            view.label = "api"
            return view

        @cors("GET")
        @authorize
        def tagged(request):
            return JsonResponse({"tag": request.tag.name})

        @labelled
        def plain(request):
            return JsonResponse({})

        def sign_in(request):
            user = authenticate(request, username="a", password="b")
            auth_login(request, user)
            return JsonResponse({})
    """,
    "notes/urls.py": NOTES["notes/urls.py"].replace(
        "urlpatterns = [",
        "from notes import api\n\n        urlpatterns = [\n"
        '            path("tagged/", api.tagged), path("plain/", api.plain), path("sign-in/", api.sign_in),',
    ),
}


def test_a_decorators_wrapper_runs_with_the_view() -> None:
    routes = routes_of(DECORATED)
    # Why: the wrappers of the tree's decorators (a factory's too) run before the view, on every request.
    assert routes[("/tagged/", None)] == ([TAG], [ACTIVITY])
    # Why: a decorator that returns the function itself adds no wrapper: nothing more runs.
    assert routes[("/plain/", None)] == ([], [])


def test_authenticate_and_login_read_and_write_the_user_model() -> None:
    # Why: Django's authenticate() looks the user up; login() saves its last_login (aliased import too).
    assert routes_of(DECORATED)[("/sign-in/", None)] == ([MEMBER], [MEMBER])


VIEWSETS = {
    **NOTES,
    "notes/api.py": """
        from django.db.models import Prefetch
        from rest_framework import filters, viewsets
        from notes.models import Activity, Note, Share, Tag

        class OwnedFilter(filters.BaseFilterBackend):
            def filter_queryset(self, request, queryset, view):
                Share.objects.filter(user=request.user).exists()
                return queryset

        class CountedMixin:
            def get_queryset(self):
                return super().get_queryset()

            def get_serializer_context(self):
                context = super().get_serializer_context()
                context["count"] = self.get_queryset().count()
                return context

        class TagViewSet(CountedMixin, viewsets.ReadOnlyModelViewSet):
            queryset = Tag.objects.all()

        class NoteViewSet(CountedMixin, viewsets.ReadOnlyModelViewSet):
            queryset = Note.objects.select_related("owner").prefetch_related(
                Prefetch("tags", queryset=Tag.objects.prefetch_related("notes"))
            )
            filter_backends = (OwnedFilter,)

            def get_queryset(self):
                Activity.objects.create(verb="listed")
                return super().get_queryset()

        class PlainTagViewSet(viewsets.ReadOnlyModelViewSet):
            queryset = Tag.objects.all()
            filter_backends = (filters.OrderingFilter,)
    """,
    "notes/urls.py": NOTES["notes/urls.py"].replace(
        "urlpatterns = [",
        "from notes import api\n"
        '        router.register("tag-api", api.TagViewSet, basename="tag-api")\n'
        '        router.register("note-api", api.NoteViewSet, basename="note-api")\n'
        '        router.register("plain-tags", api.PlainTagViewSet, basename="plain-tags")\n\n'
        "        urlpatterns = [",
    ),
}


def test_self_calls_in_a_mixin_reach_the_viewsets_own_methods_only() -> None:
    routes = routes_of(VIEWSETS)
    # Why: `self.get_queryset()` in a mixin shared by two viewsets is the one of the viewset it serves:
    # the tag list runs no NoteViewSet.get_queryset (no Activity written, no Note read).
    assert routes[("/tag-api/", "list")] == ([TAG], [])
    # Why: the note list runs its own get_queryset; its queryset's select_related/Prefetch paths (nested
    # queryset too) read the related tables; its filter backend's filter_queryset runs.
    reads = sorted([NOTE, MEMBER, TAG, NOTE_TAGS, SHARE])
    assert routes[("/note-api/", "list")] == (reads, [ACTIVITY])
    # Why: a filter backend of another package runs no code of the tree.
    assert routes[("/plain-tags/", "list")] == ([TAG], [])


AUDITED_MODELS = {
    **NOTES,
    "notes/models.py": NOTES["notes/models.py"]
    + """

        class Label(models.Model):
            name = models.CharField(max_length=20, unique=True)

        class Pair(models.Model):
            left = models.CharField(max_length=20)
            right = models.CharField(max_length=20)

            class Meta:
                constraints = [models.UniqueConstraint(fields=["left", "right"], name="one_pair")]

        auditlog.register(Tag)
    """,
    "notes/labels.py": """
        from django.http import JsonResponse
        from rest_framework import generics
        from notes.models import Activity, Label, Pair, Tag

        class LabelCreate(generics.CreateAPIView):
            queryset = Label.objects.all()

        class PairCreate(generics.CreateAPIView):
            queryset = Pair.objects.all()

        class ActivityCreate(generics.CreateAPIView):
            queryset = Activity.objects.all()

        def add_tag(request):
            Tag.objects.create(name=request.POST["name"])
            return JsonResponse({})

        def rename_tags(request):
            Tag.objects.filter(name="a").update(name="b")
            return JsonResponse({})
    """,
    "notes/urls.py": NOTES["notes/urls.py"].replace(
        "urlpatterns = [",
        "from notes import labels\n\n        urlpatterns = [\n"
        '            path("labels/", labels.LabelCreate.as_view()), path("pairs/", labels.PairCreate.as_view()),\n'
        '            path("activities/", labels.ActivityCreate.as_view()), path("add-tag/", labels.add_tag),\n'
        '            path("rename-tags/", labels.rename_tags),',
    ),
}
AUDITED_MODELS["notes/models.py"] = AUDITED_MODELS["notes/models.py"].replace(
    "from django.db import models", "from auditlog.registry import auditlog\n        from django.db import models", 1
)
LABEL, PAIR = "notes.models:Label", "notes.models:Pair"


def test_creating_a_row_of_a_model_with_unique_fields_reads_it() -> None:
    routes = routes_of(AUDITED_MODELS)
    # Why: a model serializer or form validating a new row looks for a duplicate of its unique fields.
    assert routes[("/labels/", "post")] == ([LABEL], [LABEL])
    assert routes[("/pairs/", "post")] == ([PAIR], [PAIR])
    # Why: without a unique field or constraint, creating a row reads nothing.
    assert routes[("/activities/", "post")] == ([], [ACTIVITY])


def test_saving_a_model_registered_with_auditlog_writes_a_log_entry() -> None:
    routes = routes_of(AUDITED_MODELS)
    # Why: django-auditlog's receivers write a LogEntry for every save or delete of a registered model.
    assert routes[("/add-tag/", None)] == ([], sorted([TAG, "table:auditlog_logentry"]))
    # Why: a bulk update sends no signal: auditlog writes nothing.
    assert routes[("/rename-tags/", None)] == ([], [TAG])


SERIALIZED = {
    **NOTES,
    "config/settings.py": """
        INSTALLED_APPS = ["accounts", "notes", "rest_framework", "guardian"]
        AUTH_USER_MODEL = "accounts.Member"
        AUTHENTICATION_BACKENDS = [
            "django.contrib.auth.backends.ModelBackend",
            "guardian.backends.ObjectPermissionBackend",
        ]
    """,
    "notes/rendered.py": """
        from rest_framework import serializers, viewsets
        from notes.models import Activity, Note, Tag

        class SharedMixin(serializers.Serializer):
            def get_can_change(self, note):
                return self.context["request"].user.has_perm("notes.change_note", note)

        class RenderedNoteSerializer(SharedMixin, serializers.ModelSerializer):
            can_change = serializers.SerializerMethodField()
            tag_count = serializers.SerializerMethodField()

            class Meta:
                model = Note
                fields = ["id", "can_change", "tag_count"]

            def get_tag_count(self, note):
                return Tag.objects.filter(notes=note).count()

            def clean_up(self):
                Activity.objects.all().delete()

        class RenderedNoteViewSet(viewsets.ReadOnlyModelViewSet):
            queryset = Note.objects.all()
            serializer_class = RenderedNoteSerializer
    """,
    "notes/urls.py": NOTES["notes/urls.py"].replace(
        "urlpatterns = [",
        "from notes import rendered\n"
        '        router.register("rendered", rendered.RenderedNoteViewSet, basename="r")\n\n'
        "        urlpatterns = [",
    ),
}
GUARDIAN_CHECK = sorted(
    [
        "table:accounts_member_groups", "table:auth_group", "table:auth_permission", "table:django_content_type",
        *OBJECT_PERMISSIONS,
    ]
)  # fmt: skip


def test_rendering_a_response_runs_the_serializers_method_fields() -> None:
    routes = routes_of(SERIALIZED)
    # Why: DRF renders every row with the view's serializer_class: its get_<field> methods (inherited too) run;
    # an object permission check reads what the object-permission backend of the settings reads (guardian);
    # `Tag.objects.filter(notes=note)` compares the reverse many-to-many relation in its through table.
    reads = sorted([NOTE, TAG, NOTE_TAGS, *GUARDIAN_CHECK])
    # Why: a method of the serializer that is no hook (clean_up) does not run.
    assert routes[("/rendered/", "list")] == (reads, [])


def test_an_object_permission_check_reads_nothing_with_djangos_own_backend() -> None:
    files = {**SERIALIZED, "config/settings.py": NOTES["config/settings.py"]}
    # Why: Django's ModelBackend has no object permissions: has_perm(perm, obj) answers without a query.
    assert routes_of(files)[("/rendered/", "list")] == (sorted([NOTE, TAG, NOTE_TAGS]), [])
