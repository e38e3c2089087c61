"""Data access: Django loads `request.user` lazily, where it is first used. A plain Django view whose own code
uses it (a permission mixin's `dispatch`, a query restricted to the user) reads the user model's table; a DRF
view (its authentication loads the user first), a view a `login_required` guard checks first, and a view that
never uses it read nothing of the user.
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

APP = {
    "config/__init__.py": "",
    "config/settings.py": 'INSTALLED_APPS = ["notes"]\nAUTH_USER_MODEL = "notes.Member"\n',
    "notes/__init__.py": "",
    "notes/models.py": """
        from django.contrib.auth.models import AbstractUser
        from django.db import models

        class Member(AbstractUser):
            pass

        class Note(models.Model):
            text = models.TextField()
    """,
    "notes/views.py": """
        from django.contrib.auth.decorators import login_required
        from django.http import HttpResponseForbidden, JsonResponse
        from django.utils.decorators import method_decorator
        from django.views import View
        from rest_framework.response import Response
        from rest_framework.views import APIView
        from notes.models import Note

        class PermissionRequiredMixin:
            def dispatch(self, request, *args, **kwargs):
                if not self.request.user.has_perms(["notes.view_note"]):
                    return HttpResponseForbidden()
                return super().dispatch(request, *args, **kwargs)

        class NoteListView(PermissionRequiredMixin, View):
            def get(self, request):
                return JsonResponse({"notes": [n.text for n in Note.objects.all()]})

        @login_required
        def mine(request):
            return JsonResponse({"name": request.user.username, "n": Note.objects.count()})

        @method_decorator(login_required, name="dispatch")
        class ProfileView(View):
            def get(self, request):
                return JsonResponse({"name": self.request.user.username})

        def count(request):
            return JsonResponse({"n": Note.objects.count()})

        class NoteApi(APIView):
            def get(self, request):
                return Response({"name": request.user.username, "n": Note.objects.count()})
    """,
    "notes/urls.py": """
        from django.urls import path
        from notes import views

        urlpatterns = [
            path("notes/", views.NoteListView.as_view()),
            path("mine/", views.mine),
            path("count/", views.count),
            path("profile/", views.ProfileView.as_view()),
            path("api/notes/", views.NoteApi.as_view()),
        ]
    """,
}

MEMBER, NOTE = "notes.models:Member", "notes.models:Note"


def routes_of(files: dict[str, str]) -> dict[str, list[str]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: route.reads for route in found.routes}


def test_a_plain_view_whose_own_mixin_uses_request_user_reads_the_user() -> None:
    reads = routes_of(APP)["/notes/"]
    # Why: PermissionRequiredMixin.dispatch is the first to use `self.request.user`: the lazy user is loaded there.
    assert MEMBER in reads and NOTE in reads


def test_guarded_drf_and_user_free_views_read_no_user() -> None:
    routes = routes_of(APP)
    # Why: `login_required` (on the function, or on `dispatch`) loads the user before the view: the framework's
    # read; DRF's authentication does before the handler; `count` never uses the user.
    assert MEMBER not in routes["/mine/"]
    assert MEMBER not in routes["/profile/"]
    assert MEMBER not in routes["/api/notes/"]
    assert routes["/count/"] == [NOTE]
