"""The applications recognizer: where the tree makes its apps, blueprints and entry points, and its Django apps.

Each test parses small snippets, links them and runs the recognizer alone, then
asserts the exact (role, framework, module, creator, name, line) rows.
"""

from __future__ import annotations

from collections.abc import Mapping

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import applications

HEURISTICS = load_heuristics()

Row = tuple[str, str, str, str, str, int]


def rows(files: Mapping[str, str]) -> set[Row]:
    found = applications.recognize(link(facts_of(files)), HEURISTICS)
    return {(a.role, a.framework, a.module, a.creator, a.name, a.location.line) for a in found.applications}


def test_an_app_factory_and_its_blueprints() -> None:
    files = {
        "shop/__init__.py": """
            from flask import Flask
            from shop.views import bp

            def create_app():
                app = Flask(__name__)
                app.register_blueprint(bp)
                return app
            """,
        "shop/views.py": """
            from flask import Blueprint
            bp = Blueprint("views", __name__)
            """,
    }
    assert rows(files) == {
        ("app", "flask", "shop", "shop:create_app", "", 6),
        ("blueprint", "flask", "shop.views", "", "", 3),
    }


def test_an_app_returned_by_a_subclass_of_ours_counts() -> None:
    files = {
        "site/app.py": """
            from flask import Flask

            class SiteFlask(Flask):
                pass

            def build():
                return SiteFlask(__name__)
            """,
    }
    assert rows(files) == {("app", "flask", "site.app", "site.app:build", "", 8)}


def test_entry_points_celery_wsgi_asgi_and_manage() -> None:
    files = {
        "proj/celery.py": """
            from celery import Celery
            app = Celery("proj")
            """,
        "proj/wsgi.py": """
            from django.core.wsgi import get_wsgi_application
            application = get_wsgi_application()
            """,
        "proj/asgi.py": """
            import django.core.asgi
            application = django.core.asgi.get_asgi_application()
            """,
        "manage.py": """
            import sys
            from django.core.management import execute_from_command_line

            def main():
                execute_from_command_line(sys.argv)
            """,
    }
    assert rows(files) == {
        ("celery-app", "celery", "proj.celery", "", "", 3),
        ("wsgi", "django", "proj.wsgi", "", "", 3),
        ("asgi", "django", "proj.asgi", "", "", 3),
        ("command-line", "django", "manage", "manage:main", "", 6),
    }


def test_look_alikes_and_test_code_are_not_applications() -> None:
    files = {
        "tools/fake.py": """
            def Flask(name):
                return name

            class Blueprint:
                pass

            app = Flask(__name__)
            bp = Blueprint()
            """,
        "tests/conftest.py": """
            from flask import Flask
            app = Flask("testing")
            """,
        "shop/test_views.py": """
            from celery import Celery
            worker = Celery("t")
            """,
    }
    assert rows(files) == set()


def test_django_apps_from_app_configs_and_installed_apps() -> None:
    files = {
        "shop/__init__.py": "",
        "shop/orders/__init__.py": "",
        "shop/orders/apps.py": """
            from django.apps import AppConfig

            class OrdersConfig(AppConfig):
                name = "shop.orders"
                label = "shop_orders"
            """,
        "shop/billing/__init__.py": "",
        "shop/billing/apps.py": """
            from django.apps import AppConfig

            class BillingConfig(AppConfig):
                default_auto_field = "django.db.models.BigAutoField"
            """,
        "shop/extra/__init__.py": "",
        "shop/settings.py": """
            EXTRA = ["shop.extra"]
            INSTALLED_APPS = [
                "django.contrib.admin",
                "shop.orders",
                "shop.billing.apps.BillingConfig",
            ] + EXTRA
            ROOT_URLCONF = "shop.urls"
            """,
    }
    assert rows(files) == {
        ("django-app", "django", "shop.orders", "", "shop_orders", 4),
        ("django-app", "django", "shop.billing", "", "billing", 4),
        ("django-app", "django", "shop.orders", "", "shop_orders", 3),
        ("django-app", "django", "shop.billing", "", "billing", 3),
        ("django-app", "django", "shop.extra", "", "extra", 3),
    }


def test_a_class_with_name_and_label_that_is_no_app_config_is_no_django_app() -> None:
    files = {
        "shop/__init__.py": "",
        "shop/plugins/__init__.py": "",
        "shop/plugins/meta.py": """
            class PluginMeta:
                name = "shop.plugins"
                label = "plugins"
            """,
        "shop/settings.py": """
            INSTALLED_APPS = ["elsewhere.app", "django.contrib.auth"]
            """,
    }
    assert rows(files) == set()


def test_the_subclass_initialiser_calling_super_is_not_where_the_app_is_made() -> None:
    files = {
        "site/app.py": """
            from flask import Flask

            class SiteFlask(Flask):
                def __init__(self, name):
                    super().__init__(name)

            app = SiteFlask(__name__)
            """,
    }
    assert rows(files) == {("app", "flask", "site.app", "", "", 8)}
