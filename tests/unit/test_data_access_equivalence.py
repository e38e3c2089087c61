"""Call-site variants that would come out the same are made once (`data_access_equivalence`): the cap on
variants counts the different bindings, not the calls; a static method's parameters are bound per call."""

from __future__ import annotations

import pytest
from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import data_access_bindings, recognize

APP = {
    "config/__init__.py": "",
    "config/settings.py": 'INSTALLED_APPS = ["desk"]\n',
    "desk/__init__.py": "",
    "desk/models.py": """
        from django.db import models

        class Ticket(models.Model):
            title = models.CharField(max_length=20)

        class Queue(models.Model):
            name = models.CharField(max_length=20)

        class Audit(models.Model):
            note = models.CharField(max_length=20)

        class Alert(models.Model):
            note = models.CharField(max_length=20)
    """,
    "desk/helpers.py": """
        from desk.models import Alert, Audit

        def touch(row):
            row.save()

        class Manager:
            def audit(self, note):
                Audit.objects.create(note=note)

            def alert(self, note):
                Alert.objects.create(note=note)

        def call_event(func, *args):
            return func(*args)

        class Mutation:
            @staticmethod
            def call_event(func, *args):
                return call_event(func, *args)
    """,
    "desk/views.py": """
        from django.http import JsonResponse
        from desk.helpers import Manager, Mutation, touch
        from desk.models import Queue, Ticket

        def one(request):
            ticket = Ticket(title=request.GET["title"])
            touch(ticket)
            return JsonResponse({})

        def two(request):
            ticket = Ticket(title=request.GET["title"])
            touch(ticket)
            return JsonResponse({})

        def three(request):
            ticket = Ticket(title=request.GET["title"])
            touch(ticket)
            return JsonResponse({})

        def four(request):
            ticket = Ticket(title=request.GET["title"])
            touch(ticket)
            return JsonResponse({})

        def queue(request):
            queue = Queue(name=request.GET["name"])
            touch(queue)
            return JsonResponse({})

        def audited(request):
            Mutation.call_event(Manager().audit, "done")
            return JsonResponse({})

        def alerted(request):
            Mutation.call_event(Manager().alert, "done")
            return JsonResponse({})
    """,
    "desk/urls.py": """
        from django.urls import path
        from desk import views

        urlpatterns = [
            path("one/", views.one),
            path("two/", views.two),
            path("three/", views.three),
            path("four/", views.four),
            path("queue/", views.queue),
            path("audited/", views.audited),
            path("alerted/", views.alerted),
        ]
    """,
}

M = "desk.models:"
TICKET, QUEUE, AUDIT, ALERT = M + "Ticket", M + "Queue", M + "Audit", M + "Alert"


def touched() -> dict[str, tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(APP)), load_heuristics())
    return {route.path: (route.reads, route.writes) for route in found.routes}


def test_calls_passing_the_same_model_share_one_variant_under_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    # Why: five call sites of `touch`, two different arguments: two variants are enough (and one for the helper
    # module's own `call_event(func, ...)`), so a cap of three binds every call of `touch`.
    monkeypatch.setattr(data_access_bindings, "MAX_VARIANTS", 3)
    routes = touched()
    for path in ("/one/", "/two/", "/three/", "/four/"):
        assert routes[path][1] == [TICKET], path
    assert routes["/queue/"][1] == [QUEUE]


def test_calls_passing_different_models_keep_their_own_variants() -> None:
    routes = touched()
    # Why: the Ticket calls share a variant; the Queue call's argument differs, so it is not folded into theirs.
    assert routes["/one/"][1] == [TICKET]
    assert routes["/queue/"][1] == [QUEUE]


def test_a_static_methods_first_parameter_is_bound_per_call_not_taken_for_self() -> None:
    routes = touched()
    # Why: `func` of a static method is the caller's argument (no `self`): each view runs only the function it hands.
    assert routes["/audited/"][1] == [AUDIT]
    assert routes["/alerted/"][1] == [ALERT]
