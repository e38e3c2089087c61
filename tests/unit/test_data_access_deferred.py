"""Data access through functions an outside call runs later in the request: a lazy user, a commit hook,
the project's own authentication backend, and DataLoader classes.
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

APP = {
    "config/__init__.py": "",
    "config/settings.py": """
        INSTALLED_APPS = ["accounts"]
        AUTH_USER_MODEL = "accounts.Member"
        AUTHENTICATION_BACKENDS = ["accounts.backends.TokenBackend"]
    """,
    "accounts/__init__.py": "",
    "accounts/models.py": """
        from django.contrib.auth.base_user import AbstractBaseUser
        from django.db import models

        class Member(AbstractBaseUser):
            email = models.EmailField(unique=True)

        class Audit(models.Model):
            verb = models.CharField(max_length=20)

        class Token(models.Model):
            key = models.CharField(max_length=40)
    """,
    "accounts/loaders.py": """
        from promise.dataloader import DataLoader
        from accounts.models import Member, Token

        class MemberByEmailLoader(DataLoader):
            def batch_load(self, keys):
                members = Member.objects.filter(email__in=keys)
                return [m for m in members]

        class TokenLoader(DataLoader):
            def batch_load(self, keys):
                return list(Token.objects.filter(key__in=keys))
    """,
    "accounts/backends.py": """
        from accounts.loaders import MemberByEmailLoader

        class TokenBackend:
            def authenticate(self, request=None, **kwargs):
                return MemberByEmailLoader(request).load(request.headers["email"]).get()

        class UnusedBackend:
            def authenticate(self, request=None, **kwargs):
                from accounts.models import Token
                return Token.objects.first()
    """,
    "accounts/views.py": """
        from django.contrib.auth import authenticate
        from django.db import transaction
        from django.http import JsonResponse
        from django.utils.functional import SimpleLazyObject
        from accounts.loaders import TokenLoader
        from accounts.models import Audit

        def get_user(request):
            return authenticate(request=request)

        def me(request):
            request.user = SimpleLazyObject(lambda: get_user(request))
            return JsonResponse({"email": request.user.email})

        def log(request):
            transaction.on_commit(lambda: Audit.objects.create(verb="logged"))
            return JsonResponse({})

        def idle(request):
            loader = TokenLoader(request)
            return JsonResponse({"loader": str(loader)})
    """,
    "accounts/urls.py": """
        from django.urls import path
        from accounts import views

        urlpatterns = [path("me/", views.me), path("log/", views.log), path("idle/", views.idle)]
    """,
}
MEMBER, AUDIT = "accounts.models:Member", "accounts.models:Audit"


def routes_of(files: dict[str, str]) -> dict[str, tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.path: (route.reads, route.writes) for route in found.routes}


def test_a_lazy_user_loads_through_the_projects_backend_and_its_loader() -> None:
    # Why: the lazy object runs get_user; authenticate() runs the settings' TokenBackend (not
    # UnusedBackend, which no setting names), whose loader's batch_load reads the members.
    assert routes_of(APP)["/me/"] == ([MEMBER], [])


def test_a_commit_hook_runs_in_the_request() -> None:
    assert routes_of(APP)["/log/"] == ([], [AUDIT])


def test_a_loader_nobody_asks_loads_nothing() -> None:
    # Why: building a loader queues no key; only load()/load_many() run its batch.
    assert routes_of(APP)["/idle/"] == ([], [])
