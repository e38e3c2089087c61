"""The flask_shop sample monolith imports, builds and serves a page.

migrate-scan never runs the code it scans, but its samples must be real,
working applications, or the truth written for them means little.  The app is
imported in a child process (cwd and PYTHONPATH set to the sample root) so
nothing it registers (Celery app, blinker receivers, metrics thread) leaks
into the test process.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLE_ROOT = Path(__file__).resolve().parents[2] / "sample_monoliths" / "flask_shop"

CHILD_SCRIPT = """
import json

from shop import create_app
from shop.extensions import celery, db, socketio
from shop.signals import order_placed, order_shipped

app = create_app("testing")
with app.app_context():
    db.create_all()
seed = app.test_cli_runner().invoke(args=["seed-db"])
client = app.test_client()
print(json.dumps({
    "rules": sorted(
        [rule.rule, sorted(rule.methods - {"HEAD", "OPTIONS"}), rule.endpoint]
        for rule in app.url_map.iter_rules()
    ),
    "blueprints": sorted(app.blueprints),
    "tasks": sorted(name for name in celery.tasks if not name.startswith("celery.")),
    "beat": sorted(celery.conf.beat_schedule),
    "broker": celery.conf.broker_url,
    "eager": celery.conf.task_always_eager,
    "socketio": {ns: sorted(events) for ns, events in socketio.server.handlers.items()},
    "receivers": {"order_placed": len(order_placed.receivers), "order_shipped": len(order_shipped.receivers)},
    "seed": [seed.exit_code, seed.output],
    "status": {path: client.get(path).status_code for path in ("/catalog/", "/healthz", "/api/v1/products")},
}))
"""


@pytest.fixture(scope="module")
def shop_facts() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SAMPLE_ROOT), env.get("PYTHONPATH")]))
    env.pop("SHOP_SETTINGS", None)
    result = subprocess.run(
        [sys.executable, "-c", CHILD_SCRIPT],
        cwd=SAMPLE_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _rules(facts: dict) -> set[tuple[str, tuple[str, ...], str]]:
    return {(rule, tuple(methods), endpoint) for rule, methods, endpoint in facts["rules"]}


def test_url_map_has_every_blueprint(shop_facts: dict) -> None:
    rules = _rules(shop_facts)
    expected = {
        ("/", ("GET",), "index"),
        ("/healthz", ("GET",), "healthz"),
        ("/auth/login", ("GET", "POST"), "auth.login"),
        ("/auth/profile", ("GET",), "auth.profile"),
        ("/auth/profile", ("POST",), "auth.update_profile"),
        ("/auth/logout", ("POST",), "auth.logout"),
        ("/catalog/", ("GET",), "catalog.index"),
        ("/catalog/products/", ("GET",), "catalog.product_api"),
        ("/catalog/products/", ("POST",), "catalog.product_api"),
        ("/catalog/products/<int:product_id>", ("DELETE", "GET", "PUT"), "catalog.product_api"),
        ("/catalog/products/<int:product_id>/image", ("POST",), "catalog.upload_product_image"),
        ("/orders/cart/items", ("POST",), "orders.add_to_cart"),
        ("/orders/checkout", ("GET", "POST"), "orders.checkout"),
        ("/orders/admin/<int:order_id>/approve", ("POST",), "orders.approve_order"),
        ("/account/notifications/preferences", ("GET", "POST"), "notifications.preferences"),
        ("/api/ping", ("GET",), "api.ping"),
        # Flask-RESTful names nested-blueprint endpoints after the child only
        ("/api/v1/products/<int:product_id>", ("GET", "PUT"), "v1.product"),
        ("/api/v1/orders", ("GET", "POST"), "v1.orders"),
    }
    assert expected <= rules, sorted(expected - rules)
    assert shop_facts["blueprints"] == ["api", "api.v1", "auth", "catalog", "notifications", "orders"]
    assert len(rules) == 40  # 39 application rules + Flask's /static


def test_celery_tasks_and_beat_schedule(shop_facts: dict) -> None:
    tasks = set(shop_facts["tasks"])
    expected = {
        "shop.orders.tasks.reserve_stock",
        "shop.orders.tasks.charge_payment",
        "shop.orders.tasks.hold_for_approval",
        "shop.orders.tasks.create_shipment",
        "shop.orders.tasks.generate_invoice",
        "shop.orders.tasks.mark_order_fulfilled",
        "shop.orders.tasks.release_stale_reservations",
        "shop.catalog.tasks.reindex_catalogue",
        "shop.catalog.tasks.warm_price_cache",
        "shop.catalog.tasks.update_inventory_for_order",
        "notifications.send_order_receipt",
        "shop.notifications.tasks.queue_weekly_digests",
        "shop.analytics.record_order_event",
        "shop.analytics.export_sales_report",
        "shop.auth.loyalty.award_loyalty_points",
    }
    assert expected <= tasks, sorted(expected - tasks)
    assert len(tasks) == 24
    assert shop_facts["beat"] == [
        "daily-sales-report",
        "nightly-catalogue-reindex",
        "release-stale-reservations",
        "warm-price-cache",
        "weekly-marketing-digest",
    ]
    assert shop_facts["broker"] == "memory://"
    assert shop_facts["eager"] is True


def test_realtime_handlers_and_signal_receivers(shop_facts: dict) -> None:
    assert shop_facts["socketio"] == {
        "/": ["connect"],
        "/tracking": ["connect", "disconnect", "subscribe_order", "unsubscribe_order"],
    }
    assert shop_facts["receivers"] == {"order_placed": 4, "order_shipped": 1}


def test_pages_are_served(shop_facts: dict) -> None:
    assert shop_facts["seed"][0] == 0, shop_facts["seed"][1]
    assert shop_facts["status"] == {"/catalog/": 200, "/healthz": 200, "/api/v1/products": 200}
