"""Cluster stage on small trees: seeds, app shell, shared kernel, strays, pins, granularity, metrics.

Trees are parsed, linked and recognized the way the pipeline does it, then clustered;
the sample monoliths are checked against the lead's truth (EXPECTED.md section 1).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from pathlib import Path

import pytest
from snippets import facts_of

from migrate_scan.heuristics.loader import Heuristics, load_heuristics
from migrate_scan.model.analysis import Clustering
from migrate_scan.options import ScanOptions
from migrate_scan.pipeline import parse_tree
from migrate_scan.stages.cluster import ClusterSettings, cluster
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

SAMPLES = Path(__file__).resolve().parents[2] / "sample_monoliths"


@pytest.fixture(scope="module")
def heuristics() -> Heuristics:
    return load_heuristics()


def clustered(files: Mapping[str, str], heuristics: Heuristics, settings: ClusterSettings | None = None) -> Clustering:
    graphs = link(facts_of(files))
    return cluster(graphs, recognize(graphs, heuristics), settings or ClusterSettings())


def kinds(result: Clustering) -> dict[str, str]:
    return {c.name: c.kind for c in result.contexts}


# -- a Django project ------------------------------------------------------------------------------

DJANGO = {
    "manage.py": """
        import os

        def main():
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")
            from django.core.management import execute_from_command_line
            execute_from_command_line([])
    """,
    "proj/__init__.py": "",
    "proj/settings.py": """
        INSTALLED_APPS = ["django.contrib.auth", "billing.apps.BillingConfig", "crm", "support"]
        ROOT_URLCONF = "proj.urls"
    """,
    "proj/urls.py": """
        from django.urls import include, path

        urlpatterns = [path("billing/", include("billing.urls")), path("crm/", include("crm.urls"))]
    """,
    "billing/__init__.py": "",
    "billing/apps.py": """
        from django.apps import AppConfig

        class BillingConfig(AppConfig):
            name = "billing"
    """,
    "billing/models.py": """
        from django.db import models

        class Invoice(models.Model):
            customer = models.ForeignKey("crm.Customer", on_delete=models.CASCADE)
            total = models.IntegerField()
    """,
    "billing/views.py": """
        from django.http import JsonResponse
        from billing.models import Invoice
        from common.text import slug
        from utils.numbers import cents

        def invoice_list(request):
            return JsonResponse({"items": [slug(str(cents(i.total))) for i in Invoice.objects.all()]})
    """,
    "billing/urls.py": """
        from django.urls import path
        from billing import views

        urlpatterns = [path("", views.invoice_list)]
    """,
    "crm/__init__.py": "",
    "crm/models.py": """
        from django.db import models

        class Customer(models.Model):
            name = models.CharField(max_length=50)
    """,
    "crm/views.py": """
        from django.http import JsonResponse
        from crm.models import Customer
        from common.text import slug

        def customer_list(request):
            return JsonResponse({"items": [slug(c.name) for c in Customer.objects.all()]})
    """,
    "crm/urls.py": """
        from django.urls import path
        from crm import views

        urlpatterns = [path("", views.customer_list)]
    """,
    "support/__init__.py": "",
    "support/models.py": """
        from django.db import models

        class Ticket(models.Model):
            customer = models.ForeignKey("crm.Customer", on_delete=models.CASCADE)
    """,
    "support/tasks.py": """
        from celery import shared_task
        from common.text import slug
        from support.models import Ticket

        @shared_task
        def close_stale():
            for ticket in Ticket.objects.all():
                slug(str(ticket.pk))
    """,
    "common/__init__.py": "",
    "common/text.py": """
        def slug(text):
            return text.lower()
    """,
    "utils/__init__.py": "",
    "utils/numbers.py": """
        def cents(value):
            return value / 100
    """,
}


def test_django_apps_are_seeds_with_kernel_and_shell(heuristics: Heuristics) -> None:
    result = clustered(DJANGO, heuristics)
    context = result.module_context
    for module in ("billing", "billing.apps", "billing.models", "billing.views", "billing.urls"):
        assert context[module] == "billing"
    assert {context[m] for m in ("crm", "crm.models", "crm.views", "crm.urls")} == {"crm"}
    assert {context[m] for m in ("support", "support.models", "support.tasks")} == {"support"}
    # used by three apps, no entry points of its own: a library every context uses
    assert context["common"] == context["common.text"] == "common"
    # a `utils` package only billing uses stays with billing (negative case of the kernel rule)
    assert context["utils"] == context["utils.numbers"] == "billing"
    # settings, ROOT_URLCONF, the settings package and manage.py: the composition root
    assert {context[m] for m in ("proj", "proj.settings", "proj.urls", "manage")} == {"proj"}
    assert kinds(result) == {
        "billing": "business",
        "common": "shared-kernel",
        "crm": "business",
        "proj": "app-shell",
        "support": "business",
    }
    groups = {c.name: c for c in result.contexts}
    assert groups["billing"].seed == "django-app"
    assert groups["billing"].models_owned == ("billing.models:Invoice",)
    assert "Django app `billing`" in groups["billing"].rationale
    crossing = {(d.source, d.target): d for d in result.dependencies}
    relation = crossing["billing", "crm"]
    assert "model-relation" in relation.kinds
    assert any(loc.file == "billing/models.py" for loc in relation.locations)
    assert "import" in crossing["crm", "common"].kinds


def test_partition_covers_every_module_once(heuristics: Heuristics) -> None:
    result = clustered(DJANGO, heuristics)
    modules = [m for c in result.contexts for m in c.modules]
    assert len(modules) == len(set(modules))
    assert set(modules) == set(result.module_context)
    expected = {".".join(p.removesuffix(".py").removesuffix("/__init__").split("/")) for p in DJANGO}
    assert set(modules) == expected
    assert all(result.module_context[m] == c.name for c in result.contexts for m in c.modules)
    names = [c.name for c in result.contexts]
    assert names == sorted(set(names))


def test_same_result_whatever_the_input_order(heuristics: Heuristics) -> None:
    first = clustered(DJANGO, heuristics, ClusterSettings(granularity="fine"))
    again = clustered(DJANGO, heuristics, ClusterSettings(granularity="fine"))
    items = list(DJANGO.items())
    random.Random(7).shuffle(items)
    shuffled = clustered(dict(items), heuristics, ClusterSettings(granularity="fine"))
    assert first == again == shuffled
    assert list(first.module_context) == list(shuffled.module_context)


# -- pins -------------------------------------------------------------------------------------------


def test_a_pinned_module_moves_and_a_pin_creates_a_context(heuristics: Heuristics) -> None:
    pins = (("billing", ("crm.views",)), ("payments", ("billing.models", "support.*")))
    result = clustered(DJANGO, heuristics, ClusterSettings(pins=pins))
    context = result.module_context
    assert context["crm.views"] == "billing"
    assert context["billing.models"] == "payments"
    assert {context[m] for m in ("support", "support.models", "support.tasks")} == {"payments"}
    groups = {c.name: c for c in result.contexts}
    assert groups["payments"].seed == "pinned"
    assert groups["payments"].kind == "business"
    assert "support" not in groups  # every module of it was pinned away
    assert context["crm.models"] == "crm"


# -- granularity ------------------------------------------------------------------------------------

TAGS = {
    **DJANGO,
    "tags/__init__.py": "",
    "tags/models.py": """
        from celery import shared_task
        from django.db import models

        class Tag(models.Model):
            label = models.CharField(max_length=20)

        @shared_task
        def reindex():
            return Tag.objects.count()
    """,
    "crm/models.py": """
        from django.db import models

        class Customer(models.Model):
            name = models.CharField(max_length=50)
            tags = models.ManyToManyField("tags.Tag")
    """,
}


def test_coarse_merges_a_one_table_context_into_its_strongest_neighbour(heuristics: Heuristics) -> None:
    normal = clustered(TAGS, heuristics)
    assert normal.module_context["tags.models"] == "tags"  # it has an entry point: normal keeps the seed
    coarse = clustered(TAGS, heuristics, ClusterSettings(granularity="coarse"))
    assert coarse.module_context["tags"] == coarse.module_context["tags.models"] == "crm"
    assert "tags" not in kinds(coarse)
    assert "one-table" in next(c for c in coarse.contexts if c.name == "crm").rationale


def test_normal_merges_a_one_table_seed_without_entry_points(heuristics: Heuristics) -> None:
    files = dict(TAGS)
    files["tags/models.py"] = """
        from django.db import models

        class Tag(models.Model):
            label = models.CharField(max_length=20)
    """
    assert clustered(files, heuristics).module_context["tags.models"] == "crm"


# -- a Flask app ------------------------------------------------------------------------------------

FLASK = {
    "wsgi.py": """
        from app import create_app

        application = create_app()
    """,
    "app/__init__.py": """
        from flask import Flask
        from app.config import Config

        def create_app():
            app = Flask(__name__)
            app.config.from_object(Config)
            from app.shop import bp as shop_bp
            from app.blog import bp as blog_bp
            from app import reports
            app.register_blueprint(shop_bp)
            app.register_blueprint(blog_bp)
            return app
    """,
    "app/config.py": """
        class Config:
            DEBUG = False
    """,
    "app/shop/__init__.py": """
        from flask import Blueprint

        bp = Blueprint("shop", __name__, url_prefix="/shop")

        from app.shop import views
    """,
    "app/shop/views.py": """
        from app.shop import bp
        from app import tracker
        from app.shop.cart import total

        @bp.route("/cart")
        def cart():
            tracker.push("cart")
            tracker.push("total")
            return str(total())

        @bp.route("/checkout")
        def checkout():
            tracker.push("checkout")
            return "ok"
    """,
    "app/shop/cart.py": """
        def total():
            return 0
    """,
    "app/blog/__init__.py": """
        from flask import Blueprint

        bp = Blueprint("blog", __name__, url_prefix="/blog")

        from app.blog import views
    """,
    "app/blog/views.py": """
        from app.blog import bp

        @bp.route("/")
        def index():
            return "posts"
    """,
    "app/tracker.py": """
        EVENTS = []

        def push(event):
            EVENTS.append(event)
    """,
    "app/reports.py": """
        from celery import shared_task
        from app.shop.cart import total

        @shared_task
        def nightly():
            return total()
    """,
}


def test_flask_blueprints_shell_and_strays(heuristics: Heuristics) -> None:
    result = clustered(FLASK, heuristics)
    context = result.module_context
    assert {context[m] for m in ("app.shop", "app.shop.views", "app.shop.cart")} == {"shop"}
    assert {context[m] for m in ("app.blog", "app.blog.views")} == {"blog"}
    # a stray library called only from shop joins shop
    assert context["app.tracker"] == "shop"
    # a stray with its own entry point that no context calls is its own context
    assert context["app.reports"] == "reports"
    # the factory, the config only the factory imports, and the script calling the factory
    assert {context[m] for m in ("app", "app.config", "wsgi")} == {"app"}
    assert kinds(result) == {"app": "app-shell", "blog": "business", "reports": "business", "shop": "business"}
    groups = {c.name: c for c in result.contexts}
    assert groups["shop"].seed == "blueprint"
    assert groups["shop"].evidence[0].file == "app/shop/__init__.py"
    assert "`app.tracker`" in groups["shop"].rationale


def test_fine_granularity_is_seeded_and_keeps_a_partition(heuristics: Heuristics) -> None:
    fine = clustered(FLASK, heuristics, ClusterSettings(granularity="fine", seed=3))
    assert sorted(fine.module_context) == sorted(clustered(FLASK, heuristics).module_context)
    assert "Louvain" in fine.method and "seed 3" in fine.method


# Two capabilities in one blueprint: ordering (views, pricing, tax, receipts) and the catalogue
# (views, search, index, images), each a tight chain of imports and calls, tied to the other by one call.
FINE = {
    "app/__init__.py": """
        from flask import Flask

        def create_app():
            app = Flask(__name__)
            from app.shop import bp
            app.register_blueprint(bp)
            return app
    """,
    "app/shop/__init__.py": """
        from flask import Blueprint

        bp = Blueprint("shop", __name__, url_prefix="/shop")

        from app.shop import order_views, catalog_views
    """,
    "app/shop/order_views.py": """
        from app.shop import bp
        from app.shop.pricing import price
        from app.shop.receipts import send

        @bp.route("/orders")
        def orders():
            send(price(1))
            return "ok"
    """,
    "app/shop/pricing.py": """
        from app.shop.tax import tax
        from app.shop.receipts import fmt

        def price(n):
            return fmt(n + tax(n))
    """,
    "app/shop/tax.py": """
        from app.shop.receipts import fmt

        def tax(n):
            fmt(n)
            return n
    """,
    "app/shop/receipts.py": """
        def fmt(n):
            return str(n)

        def send(text):
            return text
    """,
    "app/shop/catalog_views.py": """
        from app.shop import bp
        from app.shop.search import find
        from app.shop.images import thumb
        from app.shop.pricing import price

        @bp.route("/catalog")
        def catalog():
            thumb(find("x"))
            return str(price(2))
    """,
    "app/shop/search.py": """
        from app.shop.index import lookup
        from app.shop.images import thumb

        def find(term):
            return thumb(lookup(term))
    """,
    "app/shop/index.py": """
        from app.shop.images import thumb

        def lookup(term):
            return thumb(term)
    """,
    "app/shop/images.py": """
        def thumb(name):
            return name
    """,
}


@pytest.mark.parametrize("seed", [3, 42])
def test_fine_granularity_splits_a_large_context_along_its_communities(heuristics: Heuristics, seed: int) -> None:
    normal = clustered(FINE, heuristics)
    assert {c.name: c.modules for c in normal.contexts if c.kind == "business"} == {
        "shop": tuple(sorted(m for m in normal.module_context if m.startswith("app.shop")))
    }
    fine = clustered(FINE, heuristics, ClusterSettings(granularity="fine", seed=seed))
    business = {c.name: c for c in fine.contexts if c.kind == "business"}
    assert {name: c.modules for name, c in business.items()} == {
        "shop": ("app.shop", "app.shop.order_views", "app.shop.pricing", "app.shop.receipts", "app.shop.tax"),
        "shop.catalog_views": ("app.shop.catalog_views", "app.shop.images", "app.shop.index", "app.shop.search"),
    }
    part = business["shop.catalog_views"]
    assert part.seed == "community"
    assert part.rationale.startswith("Louvain community (split from `app.shop` around `app.shop.catalog_views`)")
    # the one call between the halves (catalog_views → pricing) is now a cross-context dependency
    assert [(d.source, d.target) for d in fine.dependencies if "call" in d.kinds] == [("shop.catalog_views", "shop")]


# -- metrics on a graph small enough to compute by hand ---------------------------------------------

TINY = {
    "a/__init__.py": "",
    "a/x.py": """
        from celery import shared_task
        from a import y

        @shared_task
        def f():
            return y.g()
    """,
    "a/y.py": """
        def g():
            return 1
    """,
    "b/__init__.py": "",
    "b/z.py": """
        from celery import shared_task
        from a.y import g
        from b import w

        @shared_task
        def h():
            return g() + w.k()
    """,
    "b/w.py": """
        def k():
            return 2
    """,
}


def test_metrics_by_hand(heuristics: Heuristics) -> None:
    # Edges (import 1 + one call site 0.5 each): a.x-a.y 1.5, a.y-b.z 1.5, b.z-b.w 1.5; contexts a, b of 3 modules.
    result = clustered(TINY, heuristics)
    assert {c.name: c.modules for c in result.contexts} == {
        "a": ("a", "a.x", "a.y"),
        "b": ("b", "b.w", "b.z"),
    }
    metrics = dict(result.metrics)
    assert metrics["SM"] == round(1 / 9 - 1 / 18, 4)  # mean 1/3^2 inside, minus 1/(2*3*3) across
    assert metrics["ICP"] == round(1 / 3, 4)  # one call site of three crosses
    assert metrics["IFN"] == 0.5  # a.y:g is a's interface; b has none
    assert metrics["NED"] == 0.0  # no context has 5..20 modules
    assert metrics["modularity"] == round(2 * (1.5 / 4.5 - (4.5 / 9) ** 2), 4)
    per_context = {c.name: dict(c.metrics) for c in result.contexts}
    assert per_context["a"] == {"cohesion": 0.5, "coupling": 1.5, "lines": per_context["a"]["lines"], "size": 3.0}
    edge = next(d for d in result.dependencies if (d.source, d.target) == ("b", "a"))
    assert edge.weight == 1.5
    assert edge.kinds == ("call", "import")
    assert [(loc.file, loc.line) for loc in edge.locations] == [("b/z.py", 3), ("b/z.py", 8)]


def test_ties_to_test_code_are_no_coupling_of_the_code_it_tests(heuristics: Heuristics) -> None:
    with_tests = {
        **TINY,
        "tests/__init__.py": "",
        "tests/test_a.py": """
            from a.x import f
            from b.w import k

            def test_f():
                assert f() and k()
        """,
    }
    result = clustered(with_tests, heuristics)
    per_context = {c.name: dict(c.metrics) for c in result.contexts}
    kinds = {c.name: c.kind for c in result.contexts}
    assert kinds["tests"] == "tests"
    # the same coupling as without the tests; the tests' own coupling counts what they exercise
    assert per_context["a"]["coupling"] == 1.5 and per_context["b"]["coupling"] == 1.5
    assert per_context["tests"]["coupling"] > 0
    rationale = {c.name: c.rationale for c in result.contexts}
    assert "tests" not in rationale["a"].partition("crosses weight")[2]
    assert "exercises a, b" in rationale["tests"] or "exercises b, a" in rationale["tests"]


# -- the sample monoliths against the truth ---------------------------------------------------------


def sample_clustering(name: str, tmp_path: Path) -> Clustering:
    options = ScanOptions(root=SAMPLES / name, jobs=1, use_cache=False, cache_dir=tmp_path / "cache")
    heuristics = load_heuristics(())
    graphs = link(parse_tree(options, heuristics).facts)
    return cluster(graphs, recognize(graphs, heuristics), ClusterSettings())


def expected_contexts(result: Clustering, truth: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Module → expected context; a pattern ending in `.*` covers the package and everything below."""
    expected = {}
    for module in result.module_context:
        matches = [
            (len(p), name)
            for name, patterns in truth.items()
            for p in patterns
            if module == p or (p.endswith(".*") and (module == p[:-2] or module.startswith(p[:-1])))
        ]
        assert matches, f"no truth for {module}"
        expected[module] = max(matches)[1]
    return expected


def test_flask_shop_contexts_match_the_truth(tmp_path: Path) -> None:
    result = sample_clustering("flask_shop", tmp_path)
    truth = {
        "auth": ("shop.auth.*",),
        "catalog": ("shop.catalog.*",),
        "orders": ("shop.orders.*", "shop.tracking"),
        "notifications": ("shop.notifications.*",),
        "analytics": ("shop.analytics",),
        "api": ("shop.api.*",),
        "shared-kernel": ("shop.utils.*", "shop.signals"),
        "shop": ("shop", "shop.config", "shop.extensions", "shop.errors", "shop.cli", "wsgi", "celery_worker"),
    }
    assert result.module_context == expected_contexts(result, truth)
    assert kinds(result) == {
        **{name: "business" for name in ("auth", "catalog", "orders", "notifications", "analytics", "api")},
        "shared-kernel": "shared-kernel",
        "shop": "app-shell",
    }
    pairs = {(d.source, d.target) for d in result.dependencies}
    assert {("orders", "catalog"), ("api", "orders"), ("analytics", "orders"), ("orders", "shared-kernel")} <= pairs


def test_django_helpdesk_contexts_match_the_truth(tmp_path: Path) -> None:
    result = sample_clustering("django_helpdesk", tmp_path)
    apps = ("accounts", "knowledge", "tickets", "notifications", "reporting", "escalations")
    truth = {
        **{app: (f"{app}.*",) for app in apps},
        "core": ("core.*",),
        "helpdesk": ("helpdesk.*", "manage"),
    }
    assert result.module_context == expected_contexts(result, truth)
    assert kinds(result) == {**{app: "business" for app in apps}, "core": "shared-kernel", "helpdesk": "app-shell"}
    groups = {c.name: c for c in result.contexts}
    assert groups["core"].models_owned == ("core.models:TimeStampedModel",)  # abstract, kept in the kernel
    assert "tickets.models:Ticket" in groups["tickets"].models_owned
    pairs = {(d.source, d.target) for d in result.dependencies}
    assert {("tickets", "escalations"), ("escalations", "tickets"), ("reporting", "tickets")} <= pairs
    metrics = dict(result.metrics)
    assert set(metrics) >= {"SM", "ICP", "IFN", "NED", "modularity"}
    assert metrics["NED"] == 1.0  # six apps of 6 to 18 modules


def test_a_layer_package_mirroring_the_apps_is_cut_along_them(heuristics: Heuristics) -> None:
    """`api/billing`, `api/crm`, `api/support` mirror three apps: each goes to its app; `api/core` stays."""
    layer = {
        "api/__init__.py": "",
        "api/core/__init__.py": "",
        "api/core/schema.py": "def field(x):\n    return x\n",
        **{f"api/{app}/__init__.py": "" for app in ("billing", "crm", "support")},
        **{
            f"api/{app}/types.py": f"from api.core.schema import field\nfrom {app}.models import *\n\nX = field(1)\n"
            for app in ("billing", "crm", "support")
        },
    }
    result = clustered({**DJANGO, **layer}, heuristics)
    context = result.module_context
    assert context["api.billing.types"] == "billing"
    assert context["api.crm.types"] == "crm"
    assert context["api.support"] == "support"
    assert context["api.core.schema"] not in ("billing", "crm", "support")
    two_only = {k: v for k, v in layer.items() if not k.startswith("api/support")}
    negative = clustered({**DJANGO, **two_only}, heuristics).module_context  # two mirrors: not a layer
    assert negative["api.billing.types"] == negative["api.crm.types"]


def test_a_layer_of_modules_below_a_version_package_mirrors_the_apps(heuristics: Heuristics) -> None:
    """`rest/v1/billing.py`, `crm.py`, `support.py` mirror three apps; `rest/v1/health.py` stays in the layer."""
    layer = {
        "rest/__init__.py": "",
        "rest/v1/__init__.py": "",
        "rest/v1/health.py": "def ping():\n    return 1\n",
        **{f"rest/v1/{app}.py": f"from {app}.models import *\nfrom rest.v1.health import ping\n" for app in APPS},
    }
    context = clustered({**DJANGO, **layer}, heuristics).module_context
    assert [context[f"rest.v1.{app}"] for app in APPS] == list(APPS)
    assert context["rest.v1.health"] not in APPS


def _declared_layer(name: str) -> dict[str, str]:
    """A Django app `name` in INSTALLED_APPS whose subpackages mirror the three apps, and its own view."""
    settings = DJANGO["proj/settings.py"].replace('"support"]', f'"support", "{name}"]')
    return {
        "proj/settings.py": settings,
        f"{name}/__init__.py": "",
        f"{name}/apps.py": f"from django.apps import AppConfig\n\nclass LayerConfig(AppConfig):\n    name = '{name}'\n",
        f"{name}/views.py": "from django.http import JsonResponse\n\n"
        "def endpoint(request):\n    return JsonResponse({})\n",
        **{f"{name}/{app}/__init__.py": "" for app in APPS},
        **{f"{name}/{app}/types.py": f"from {app}.models import *\n\nX = 1\n" for app in APPS},
    }


def test_a_declared_django_app_mirroring_the_apps_stays_one_context(heuristics: Heuristics) -> None:
    """`graphql` is in INSTALLED_APPS: the authors' app wins over the mirror split, and the rationale says why."""
    result = clustered({**DJANGO, **_declared_layer("graphql")}, heuristics)
    context = result.module_context
    assert {context[f"graphql.{app}.types"] for app in APPS} == {context["graphql.views"]}
    layer = next(c for c in result.contexts if c.name == context["graphql.views"])
    assert layer.kind == "business"
    assert "kept whole: its parts mirror 3 domain contexts" in layer.rationale
    assert "`graphql.billing` → `billing`" in layer.rationale
    fine = clustered({**DJANGO, **_declared_layer("graphql")}, heuristics, ClusterSettings(granularity="fine"))
    assert [fine.module_context[f"graphql.{app}.types"] for app in APPS] == list(APPS)  # fine proposes the cut


def test_a_declared_django_app_named_like_a_layer_is_still_cut(heuristics: Heuristics) -> None:
    """An app named `api` cannot be a context named after a layer: its mirrored parts join their domains."""
    context = clustered({**DJANGO, **_declared_layer("api")}, heuristics).module_context
    assert [context[f"api.{app}.types"] for app in APPS] == list(APPS)


APPS = ("billing", "crm", "support")

# The core domain of a project: one Django app holding most of the tree, its layers in subpackages.
CORE = {
    "manage.py": """
        from django.core.management import execute_from_command_line
        execute_from_command_line([])
    """,
    "site/__init__.py": "",
    "site/settings/__init__.py": """
        from site.settings.parsing import env
        INSTALLED_APPS = ["docs.apps.DocsConfig", "mail"]
        ROOT_URLCONF = "site.urls"
        DEBUG = env("DEBUG")
    """,
    "site/settings/parsing.py": """
        import os

        def env(name):
            return os.environ.get(name)
    """,
    "site/urls.py": """
        from django.urls import include, path
        urlpatterns = [path("docs/", include("docs.urls")), path("mail/", include("mail.urls"))]
    """,
    "docs/__init__.py": "",
    "docs/apps.py": """
        from django.apps import AppConfig

        class DocsConfig(AppConfig):
            name = "docs"
    """,
    "docs/models.py": """
        from django.db import models

        class Document(models.Model):
            title = models.CharField(max_length=50)
    """,
    "docs/urls.py": """
        from django.urls import path
        from docs.views import listing
        urlpatterns = [path("", listing)]
    """,
    "docs/views/__init__.py": "",
    "docs/views/listing.py": """
        from django.http import JsonResponse
        from docs.models import Document
        from docs.search.index import find

        def listing(request):
            return JsonResponse({"ids": find(request.GET["q"])})
    """,
    "docs/search/__init__.py": "",
    "docs/search/index.py": """
        from docs.models import Document

        def find(text):
            return [d.pk for d in Document.objects.filter(title=text)]
    """,
    "docs/tasks/__init__.py": "",
    "docs/tasks/consume.py": """
        from celery import shared_task
        from docs.models import Document

        @shared_task
        def consume(title):
            Document.objects.create(title=title)
    """,
    "docs/signals/__init__.py": "",
    "docs/signals/handlers.py": """
        from django.db.models.signals import post_save
        from django.dispatch import receiver
        from docs.models import Document

        @receiver(post_save, sender=Document)
        def indexed(sender, instance, **kwargs):
            return instance.pk
    """,
    "docs/management/__init__.py": "",
    "docs/management/commands/__init__.py": "",
    "docs/management/commands/reindex.py": """
        from django.core.management.base import BaseCommand
        from docs.search.index import find

        class Command(BaseCommand):
            def handle(self, *args, **options):
                find("")
    """,
    "mail/__init__.py": "",
    "mail/models.py": """
        from django.db import models

        class Account(models.Model):
            host = models.CharField(max_length=50)
    """,
    "mail/urls.py": """
        from django.urls import path
        from mail.views import accounts
        urlpatterns = [path("", accounts)]
    """,
    "mail/views.py": """
        from django.http import JsonResponse
        from mail.models import Account
        from ai.suggest import suggest

        def accounts(request):
            return JsonResponse({"n": Account.objects.count(), "s": suggest()})
    """,
    "ai/__init__.py": "",
    "ai/embed.py": "def vector(text):\n    return [len(text)]\n",
    "ai/index.py": "from ai.embed import vector\n\ndef build(texts):\n    return [vector(t) for t in texts]\n",
    "ai/suggest.py": "from ai.index import build\n\ndef suggest():\n    return build(['a'])\n",
}


def test_a_django_app_holding_most_of_the_tree_is_one_context_with_its_layers(heuristics: Heuristics) -> None:
    result = clustered(CORE, heuristics)
    context = result.module_context
    docs = [m for m in context if m == "docs" or m.startswith("docs.")]
    assert {context[m] for m in docs} == {"docs"}  # views, tasks, signals, management and search included
    assert {c.name for c in result.contexts if c.kind == "business"} == {"ai", "docs", "mail"}
    # a top-level domain package without entry points of its own is a context, not a part of its user
    assert context["ai.suggest"] == "ai"
    # the settings package is configuration, every module of it
    assert {context[m] for m in ("site.settings", "site.settings.parsing", "site.urls", "manage")} == {"site"}


def test_deployed_code_never_depends_on_a_test_double(heuristics: Heuristics) -> None:
    files = {
        "parsing/__init__.py": "",
        "parsing/base.py": """
            class Parser:
                def parse(self, text):
                    return text

            def run(parser: Parser, text):
                return parser.parse(text)
            """,
        "parsing/tests/__init__.py": "",
        "parsing/tests/test_parsing.py": """
            from parsing.base import Parser, run

            class FakeParser(Parser):
                def parse(self, text):
                    return "fake"

            def test_run():
                assert run(FakeParser(), "x") == "fake"
            """,
    }
    result = clustered(files, heuristics)
    crossing = {(d.source, d.target) for d in result.dependencies}
    # Why: `parser.parse` may dispatch to the fake, but the fake is never deployed: no dependency on tests.
    assert not any(result.module_context.get("parsing.tests.test_parsing") == target for _, target in crossing)
    assert any(result.module_context["parsing.tests.test_parsing"] == source for source, _ in crossing)


# -- one Django app split by its authors into domain packages that own models (DefectDojo's `dojo`) --------

SPLIT_APP = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'scan.settings.base')\n",
    "scan/__init__.py": "",
    "scan/settings/__init__.py": "",
    "scan/settings/base.py": 'INSTALLED_APPS = ["django.contrib.auth", "scan"]\nROOT_URLCONF = "scan.urls"\n',
    "scan/urls.py": (
        "from django.urls import path\nfrom scan.views import home\nfrom scan.finding.views import findings\n"
        "from scan.product.views import products\nfrom scan.engagement.views import engagements\n\n"
        "urlpatterns = [path('', home), path('f/', findings), path('p/', products), path('e/', engagements)]\n"
    ),
    "scan/models.py": "from scan.finding.models import Finding\nfrom scan.product.models import Product\n",
    "scan/utils.py": "def page(items):\n    return items[:20]\n",
    "scan/views.py": (
        "from django.http import JsonResponse\nfrom scan.utils import page\n\n\n"
        "def home(request):\n    return JsonResponse({'items': page([])})\n"
    ),
    "scan/management/__init__.py": "",
    "scan/management/commands/__init__.py": "",
    "scan/management/commands/cleanup.py": (
        "from django.core.management.base import BaseCommand\nfrom scan.finding.models import Finding\n\n\n"
        "class Command(BaseCommand):\n    def handle(self, *args, **options):\n        Finding.objects.all().delete()\n"
    ),
    **{f"scan/{domain}/__init__.py": "" for domain in ("finding", "product", "engagement")},
    **{
        f"scan/{domain}/models.py": (
            f"from django.db import models\n\n\nclass {domain.title()}(models.Model):\n"
            "    name = models.CharField(max_length=50)\n"
        )
        for domain in ("finding", "product", "engagement")
    },
    **{
        f"scan/{domain}/views.py": (
            f"from django.http import JsonResponse\nfrom scan.{domain}.models import {domain.title()}\n"
            "from scan.utils import page\n\n\n"
            f"def {domain}s(request):\n    return JsonResponse({{'n': page(list({domain.title()}.objects.all()))}})\n"
        )
        for domain in ("finding", "product", "engagement")
    },
}


def test_a_django_app_split_into_domain_packages_keeps_its_root_layers_together(heuristics: Heuristics) -> None:
    result = clustered(SPLIT_APP, heuristics)
    context = result.module_context
    # the domain packages that own models are contexts of their own, and say why
    assert context["scan.finding.views"] == "finding"
    finding = next(c for c in result.contexts if c.name == "finding")
    assert "Domain package `scan.finding` of the Django app `scan`" in finding.rationale
    # the app's root layers (views, management commands) stay with the app: no context named after a layer
    names = {c.name for c in result.contexts}
    assert not names & {"management", "views", "utils"}
    assert context["scan.management.commands.cleanup"] == context["scan.views"] == "scan"
    core = next(c for c in result.contexts if c.name == "scan")
    assert "its own modules outside the" in core.rationale


def test_a_mirrored_layer_part_says_why_it_moves_with_its_domain(heuristics: Heuristics) -> None:
    layer = {
        "api/__init__.py": "",
        **{f"api/{app}/__init__.py": "" for app in ("billing", "crm", "support")},
        **{f"api/{app}/types.py": f"from {app}.models import *\n\nX = 1\n" for app in ("billing", "crm", "support")},
    }
    result = clustered({**DJANGO, **layer}, heuristics)
    billing = next(c for c in result.contexts if c.name == "billing")
    assert "`api.billing`" in billing.rationale and "mirror 3 domains" in billing.rationale
