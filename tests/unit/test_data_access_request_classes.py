"""Data access of DRF permission classes of the project: `has_permission` runs for every request of a view,
`has_object_permission` when it gets its object; a view that sets none takes the settings' default ones."""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

TRACKER = {
    "config/__init__.py": "",
    "config/settings.py": """
        INSTALLED_APPS = ["tracker"]
        ROOT_URLCONF = "config.urls"
        REST_FRAMEWORK = {
            "DEFAULT_PERMISSION_CLASSES": ("tracker.permissions.IsMember",),
        }
    """,
    "config/urls.py": """
        from django.urls import include, path

        urlpatterns = [path("", include("tracker.urls"))]
    """,
    "tracker/__init__.py": "",
    "tracker/models.py": """
        from django.db import models

        class Project(models.Model):
            name = models.CharField(max_length=50)

        class Membership(models.Model):
            project = models.ForeignKey(Project, on_delete=models.CASCADE)
            user_id = models.IntegerField()

        class Issue(models.Model):
            project = models.ForeignKey(Project, on_delete=models.CASCADE)
            title = models.CharField(max_length=50)

        class Tag(models.Model):
            name = models.CharField(max_length=50)

        class Audit(models.Model):
            text = models.TextField()
    """,
    "tracker/permissions.py": """
        from django.shortcuts import get_object_or_404
        from rest_framework import permissions
        from tracker.models import Audit, Membership, Project

        class IsMember(permissions.BasePermission):
            def has_permission(self, request, view):
                return Membership.objects.filter(user_id=request.user.id).exists()

        class CanPostIssue(permissions.BasePermission):
            def has_permission(self, request, view):
                if request.method != "POST":
                    return True
                project = get_object_or_404(Project, pk=request.data.get("project"))
                return project is not None

            def has_object_permission(self, request, view, obj):
                Audit.objects.create(text="checked")
                return True
    """,
    "tracker/api.py": """
        from rest_framework.permissions import IsAuthenticated
        from rest_framework.viewsets import ModelViewSet
        from tracker.models import Issue, Tag
        from tracker.permissions import CanPostIssue

        class IssueViewSet(ModelViewSet):
            queryset = Issue.objects.all()
            permission_classes = (IsAuthenticated, CanPostIssue)

        class TagViewSet(ModelViewSet):
            queryset = Tag.objects.all()

        class OpenTagViewSet(ModelViewSet):
            queryset = Tag.objects.all()
            permission_classes = [IsAuthenticated]
    """,
    "tracker/urls.py": """
        from rest_framework.routers import DefaultRouter
        from tracker import api

        router = DefaultRouter()
        router.register("issues", api.IssueViewSet)
        router.register("tags", api.TagViewSet)
        router.register("open-tags", api.OpenTagViewSet)
        urlpatterns = router.urls
    """,
}

PROJECT, MEMBERSHIP, ISSUE = "tracker.models:Project", "tracker.models:Membership", "tracker.models:Issue"
TAG, AUDIT = "tracker.models:Tag", "tracker.models:Audit"


def routes_of(files: dict[str, str]) -> dict[tuple[str, str], tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {(route.path, method): (route.reads, route.writes) for route in found.routes for method in route.methods}


def test_a_views_own_permission_class_runs_for_every_request() -> None:
    routes = routes_of(TRACKER)
    # Why: CanPostIssue.has_permission fetches the project the body names; IsAuthenticated is DRF's (nothing).
    assert routes[("/issues/", "GET")] == ([ISSUE, PROJECT], [])
    assert routes[("/issues/", "POST")] == ([PROJECT], [ISSUE])


def test_has_object_permission_runs_only_for_a_request_on_one_object() -> None:
    routes = routes_of(TRACKER)
    assert AUDIT in routes[("/issues/{pk}/", "GET")][1]
    # Why: the list and create routes get no object: has_object_permission does not run.
    assert AUDIT not in routes[("/issues/", "GET")][1] and AUDIT not in routes[("/issues/", "POST")][1]


def test_a_view_without_permission_classes_takes_the_settings_default() -> None:
    routes = routes_of(TRACKER)
    # Why: TagViewSet sets none: the settings' IsMember runs; OpenTagViewSet sets its own (IsAuthenticated only).
    assert routes[("/tags/", "GET")] == ([MEMBERSHIP, TAG], [])
    assert routes[("/open-tags/", "GET")] == ([TAG], [])


def test_without_a_default_in_the_settings_nothing_more_is_read() -> None:
    files = {**TRACKER, "config/settings.py": 'INSTALLED_APPS = ["tracker"]\nROOT_URLCONF = "config.urls"\n'}
    assert routes_of(files)[("/tags/", "GET")] == ([TAG], [])
