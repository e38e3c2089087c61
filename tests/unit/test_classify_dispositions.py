"""Dispositions (DS101-DS107): every app-shell and test module gets one, with located evidence; none is null."""

from __future__ import annotations

import pytest
from snippets import facts_of

from migrate_scan.heuristics.loader import Heuristics, load_heuristics
from migrate_scan.model.analysis import Classification
from migrate_scan.stages.classify import classify
from migrate_scan.stages.cluster import ClusterSettings, cluster
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

PROJECT = {
    "manage.py": """
        from django.core.management import execute_from_command_line
        execute_from_command_line([])
    """,
    "proj/__init__.py": "from proj.celery import app as celery_app\n",
    "proj/settings.py": """
        import os

        SECRET_KEY = os.getenv("PROJ_SECRET_KEY")
        DEBUG = os.environ.get("PROJ_DEBUG")
        EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
        INSTALLED_APPS = ["shop"]
        ROOT_URLCONF = "proj.urls"
    """,
    "proj/urls.py": """
        from django.urls import include, path
        urlpatterns = [path("shop/", include("shop.urls"))]
    """,
    "proj/wsgi.py": """
        from django.core.wsgi import get_wsgi_application
        application = get_wsgi_application()
    """,
    "proj/asgi.py": """
        from django.core.asgi import get_asgi_application
        application = get_asgi_application()
    """,
    "proj/celery.py": """
        from celery import Celery
        app = Celery("proj")
    """,
    "shop/__init__.py": "",
    "shop/models.py": """
        from django.db import models

        class Order(models.Model):
            total = models.IntegerField()
    """,
    "shop/views.py": """
        from django.http import JsonResponse
        from shop.models import Order

        def orders(request):
            return JsonResponse({"n": Order.objects.count()})
    """,
    "shop/urls.py": """
        from django.urls import path
        from shop.views import orders
        urlpatterns = [path("", orders)]
    """,
    "shop/tests/__init__.py": "",
    "shop/tests/test_views.py": "def test_orders():\n    assert True\n",
}


@pytest.fixture(scope="module")
def classification() -> Classification:
    heuristics: Heuristics = load_heuristics()
    graphs = link(facts_of(PROJECT))
    recognition = recognize(graphs, heuristics)
    clustering = cluster(graphs, recognition, ClusterSettings())
    return classify(graphs, recognition, clustering, heuristics)


def test_app_shell_and_tests_get_dispositions(classification: Classification) -> None:
    got = {m.name: (m.disposition, m.evidence[0].rule) for m in classification.modules if m.disposition}
    assert got == {
        "proj.wsgi": ("entry-adapter", "DS101"),
        "proj.asgi": ("entry-adapter", "DS102"),
        "proj.settings": ("configuration", "DS103"),
        "proj.urls": ("routing", "DS104"),
        "proj.celery": ("retired", "DS105"),
        "shop.tests": ("not-deployed", "DS106"),
        "shop.tests.test_views": ("not-deployed", "DS106"),
        "manage": ("host", "DS107"),
        "proj": ("host", "DS107"),
    }


def test_test_code_is_a_context_of_its_own_kind(classification: Classification) -> None:
    """Test code is neither the app shell nor a business context: kind and role `tests`, never deployed."""
    tests = next(c for c in classification.contexts if "shop.tests" in c.modules)
    assert (tests.kind, tests.pattern, tests.evidence[0].rule) == ("tests", None, "PT103")
    roles = {m.name: m.role for m in classification.modules}
    assert roles["shop.tests.test_views"] == "tests"
    assert roles["proj.wsgi"] == "app-shell"  # the composition root keeps its kind
    shell = next(c for c in classification.contexts if "proj.wsgi" in c.modules)
    assert "shop.tests" not in shell.modules


def test_settings_name_the_secrets_they_read(classification: Classification) -> None:
    settings = next(m for m in classification.modules if m.name == "proj.settings")
    assert "1 value(s) read from the environment" in settings.note
    assert "2 secret(s) (PROJ_SECRET_KEY, EMAIL_HOST_PASSWORD) come from Secrets Manager" in settings.note
    lines = [loc.line for loc in settings.evidence[0].locations]
    assert lines == [4, 6, 7]  # the two secret reads and INSTALLED_APPS (what makes it settings)


def test_no_module_without_a_verdict_and_no_evidence_without_a_location(classification: Classification) -> None:
    for module in classification.modules:
        assert (module.pattern is None) != (module.disposition is None), module.name
        assert module.evidence and all(e.locations for e in module.evidence), module.name
