"""Real-time handlers and signal receivers: the static scan against what the samples register at run time.

Each sample runs in a child process (our own code; the scanner never imports
anything): Flask-SocketIO's handler table and the blinker receivers of
flask_shop; the Channels URLRouter and the receivers connected to Django's
signals in django_helpdesk. Compared as (signal, receiver) and
(event or path, handler) pairs: the framework does not keep the `sender` in a
form worth comparing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from migrate_scan.options import ScanOptions
from migrate_scan.pipeline import run
from migrate_scan.stages.recognize.paths import django_canonical

SAMPLES = Path(__file__).resolve().parents[2] / "sample_monoliths"

FLASK_CHILD = """
import json
from shop import create_app
from shop.extensions import socketio
from shop import signals

app = create_app("testing")
handlers = []
for namespace, events in socketio.server.handlers.items():
    for event, handler in events.items():
        handler = getattr(handler, "__wrapped__", handler)
        handlers.append([namespace, event, f"{handler.__module__}:{handler.__qualname__}"])
receivers = []
for name in ("order_placed", "order_shipped"):
    for receiver in getattr(signals, name).receivers.values():
        function = receiver() if callable(receiver) and not hasattr(receiver, "__code__") else receiver
        receivers.append([f"shop.signals:{name}", f"{function.__module__}:{function.__qualname__}"])
print(json.dumps({"handlers": handlers, "receivers": receivers}))
"""

DJANGO_CHILD = """
import json, django
django.setup()
from django.db.models import signals as model_signals
from escalations import signals as custom
from helpdesk.asgi import application

def function_of(entry):
    target = entry[1]
    target = target() if hasattr(target, "__call__") and not hasattr(target, "__code__") else target
    return f"{target.__module__}:{target.__qualname__}"

receivers = []
names = ("pre_save", "post_save", "post_delete", "m2m_changed")
named = {f"django.db.models.signals.{n}": getattr(model_signals, n) for n in names}
named.update({"escalations.signals:ticket_escalated": custom.ticket_escalated})
for name, signal in named.items():
    for entry in signal.receivers:
        target = function_of(entry)
        if target.split(".")[0] in ("tickets", "notifications", "reporting", "escalations", "accounts", "knowledge"):
            receivers.append([name, target])
routes = []
router = application.application_mapping["websocket"]
while not hasattr(router, "routes"):  # through the middleware stack down to the URLRouter
    router = getattr(router, "inner", None) or getattr(router, "application")
for pattern in router.routes:
    consumer = pattern.callback.consumer_class
    is_regex = type(pattern.pattern).__name__ == "RegexPattern"
    routes.append([str(pattern.pattern), is_regex, f"{consumer.__module__}:{consumer.__qualname__}"])
print(json.dumps({"receivers": receivers, "routes": routes}))
"""


def child(sample: str, script: str, extra_env: dict[str, str]) -> dict:
    root = SAMPLES / sample
    env = {**os.environ, **extra_env, "PYTHONPATH": str(root)}
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def flask_report(tmp_path_factory: pytest.TempPathFactory):
    cache = tmp_path_factory.mktemp("cache")
    return run(ScanOptions(root=SAMPLES / "flask_shop", jobs=2, use_cache=False, cache_dir=cache))


@pytest.fixture(scope="module")
def django_report(tmp_path_factory: pytest.TempPathFactory):
    cache = tmp_path_factory.mktemp("cache")
    return run(ScanOptions(root=SAMPLES / "django_helpdesk", jobs=2, use_cache=False, cache_dir=cache))


def test_socketio_handlers_and_blinker_receivers(flask_report) -> None:
    runtime = child("flask_shop", FLASK_CHILD, {})
    static_handlers = {(r.path, r.event, r.handler) for r in flask_report.realtime if r.kind == "socketio-event"}
    assert static_handlers == {tuple(h) for h in runtime["handlers"]}
    static_receivers = {(e.signal, e.receiver) for e in flask_report.events if e.kind == "blinker"}
    assert static_receivers == {tuple(r) for r in runtime["receivers"]}


def test_channels_routes_and_django_receivers(django_report) -> None:
    runtime = child("django_helpdesk", DJANGO_CHILD, {"DJANGO_SETTINGS_MODULE": "helpdesk.settings"})
    static_routes = {(r.path, r.handler) for r in django_report.realtime if r.kind == "channels-consumer"}
    assert static_routes == {(django_canonical(p, is_regex), h) for p, is_regex, h in runtime["routes"]}
    static_receivers = {(e.signal, e.receiver) for e in django_report.events if e.kind == "django-signal"}
    assert static_receivers == {tuple(r) for r in runtime["receivers"]}
