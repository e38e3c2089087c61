"""Custom signals and their send sites, server-sent-event handlers and daemon threads, on small snippets."""

from __future__ import annotations

import pytest
from snippets import facts_of

from migrate_scan.heuristics.loader import Heuristics, load_heuristics
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Recognition
from migrate_scan.model.report import Route
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import events, jobs, realtime
from migrate_scan.stages.recognize.expressions import called_names


@pytest.fixture(scope="module")
def heuristics() -> Heuristics:
    return load_heuristics()


def at(file: str, line: int) -> Location:
    return Location(file=file, line=line)


# -- custom signals ------------------------------------------------------------------------------

SIGNALS = {
    "app/__init__.py": "from app.signals import order_placed as placed\n",
    "app/signals.py": """
        from django.dispatch import Signal
        from django.dispatch import Signal as S
        import blinker
        from blinker import Namespace

        order_placed = Signal()
        order_paid = S()
        ns = Namespace()
        shipped = ns.signal("shipped")
        audited = blinker.signal("audited")

        class Mailer:
            def send(self, message):
                pass
    """,
    "app/views.py": """
        import blinker
        from django.dispatch import receiver
        from app import placed
        from app import signals
        from app.signals import Mailer, shipped

        def checkout(mailer: Mailer):
            placed.send(sender=None)
            signals.order_paid.send_robust(sender=None)
            shipped.send(1)
            blinker.signal("audited").send(2)
            mailer.send("hi")
            Mailer().send("x")

        @receiver(placed)
        def on_placed(sender, **kwargs):
            pass

        @shipped.connect
        def on_shipped(sender):
            pass

        @blinker.signal("audited").connect
        def on_audited(sender):
            pass

        def on_paid(sender, **kwargs):
            pass

        signals.order_paid.connect(on_paid)
        placed.connect(on_paid)
    """,
}


def test_custom_signals_with_send_sites_and_receivers(heuristics: Heuristics) -> None:
    found = events.recognize(link(facts_of(SIGNALS)), heuristics)
    signals = {s.symbol: s for s in found.signals}
    assert set(signals) == {"app.signals:order_placed", "app.signals:order_paid", "app.signals:shipped",
                            "app.signals:audited"}  # fmt: skip
    placed = signals["app.signals:order_placed"]
    # Why: sent through a re-export in app/__init__.py under an alias; received twice (decorator and connect).
    assert (placed.kind, placed.location, placed.sent_at, placed.receivers) == (
        "django-signal",
        at("app/signals.py", 7),
        [at("app/views.py", 9)],
        2,
    )
    paid = signals["app.signals:order_paid"]
    assert (paid.kind, paid.location, paid.sent_at, paid.receivers) == (
        "django-signal",
        at("app/signals.py", 8),
        [at("app/views.py", 10)],
        1,
    )
    shipped = signals["app.signals:shipped"]
    assert (shipped.kind, shipped.location, shipped.sent_at, shipped.receivers) == (
        "blinker",
        at("app/signals.py", 10),
        [at("app/views.py", 11)],
        1,
    )
    # Why: blinker.signal("audited") is one signal per name, wherever it is called.
    audited = signals["app.signals:audited"]
    assert (audited.kind, audited.sent_at, audited.receivers) == ("blinker", [at("app/views.py", 12)], 1)
    # Why: Mailer.send is a method named `send` on a non-signal: lines 13 and 14 are no send sites.
    sends = {loc.line for s in found.signals for loc in s.sent_at}
    assert sends == {9, 10, 11, 12}
    # Event.signal and Signal.symbol are the same string.
    assert {e.signal for e in found.events} <= set(signals)


def test_celery_worker_signals_and_flask_extension_signals_are_receivers(heuristics: Heuristics) -> None:
    files = {
        "app/hooks.py": """
            from celery.signals import task_failure, worker_process_init
            from flask import request_started
            from flask_login import user_logged_in
            from flask_principal import identity_loaded

            @task_failure.connect
            def report_failure(**kwargs):
                pass

            def reset_pool(**kwargs):
                pass

            worker_process_init.connect(reset_pool)

            def init_app(app):
                @identity_loaded.connect_via(app)
                def on_identity(sender, identity):
                    pass
                user_logged_in.connect(touch)
                request_started.connect(touch, app)

            def touch(sender, **extra):
                pass

            class NotASignal:
                def connect(self, handler):
                    pass

            NotASignal().connect(touch)  # Why: a method named connect on something else is no receiver
        """,
    }
    found = events.recognize(link(facts_of(files)), heuristics)
    assert {(e.kind, e.signal, e.receiver) for e in found.events} == {
        ("celery-signal", "celery.signals.task_failure", "app.hooks:report_failure"),
        ("celery-signal", "celery.signals.worker_process_init", "app.hooks:reset_pool"),
        ("blinker", "flask_principal.identity_loaded", "app.hooks:init_app.on_identity"),
        ("blinker", "flask_login.user_logged_in", "app.hooks:touch"),
        ("blinker", "flask.request_started", "app.hooks:touch"),
    }


def test_a_signal_subclass_is_a_signal_and_unsent_signals_have_no_sites(heuristics: Heuristics) -> None:
    files = {
        "sig.py": """
            import django.dispatch

            class AuditSignal(django.dispatch.Signal):
                pass

            audit = AuditSignal()
            quiet = django.dispatch.Signal()
            not_a_signal = dict()

            def fire():
                audit.send(sender=None)
                not_a_signal.send = None
        """
    }
    found = events.recognize(link(facts_of(files)), heuristics)
    assert [(s.symbol, s.sent_at, s.receivers) for s in found.signals] == [
        ("sig:audit", [at("sig.py", 12)], 0),
        ("sig:quiet", [], 0),
    ]


# -- server-sent events --------------------------------------------------------------------------

SSE = {
    "web/__init__.py": "",
    "web/stream.py": """
        from flask import Response as R, stream_with_context
        import flask
        from django.http import StreamingHttpResponse, HttpResponse

        def events():
            def generate():
                yield "data: 1\\n\\n"
            return R(stream_with_context(generate()), mimetype="text/event-stream")

        def django_events(request):
            return StreamingHttpResponse(iter(()), content_type="text/event-stream; charset=utf-8")

        def header_events():
            return flask.Response("x", headers={"Content-Type": "text/event-stream"})

        def page():
            return R("x", mimetype="text/html")

        def plain(request):
            return HttpResponse("x", content_type="text/plain")

        class Response:
            def __init__(self, body, mimetype=None):
                pass

        def fake():
            return Response("x", mimetype="text/event-stream")

        module_level = R("x", mimetype="text/event-stream")
    """,
}


def test_sse_handlers_only_for_event_stream_responses(heuristics: Heuristics) -> None:
    found = realtime.recognize(link(facts_of(SSE)), heuristics)
    sse = sorted((r.handler, r.location.line, r.path) for r in found.realtime if r.kind == "sse")
    # Why: text/html and text/plain are no streams; our own class named Response is not Flask's;
    # a response built at module level has no handler.
    assert sse == [
        ("web.stream:django_events", 12, None),
        ("web.stream:events", 9, None),
        ("web.stream:header_events", 15, None),
    ]


def test_sse_paths_come_from_the_routes_of_their_handler(heuristics: Heuristics) -> None:
    found = realtime.recognize(link(facts_of(SSE)), heuristics)
    found.routes = [
        Route(methods=["GET"], path="/events", raw_path="/events", handler="web.stream:events", framework="flask",
              location=at("web/stream.py", 5)),
        Route(methods=["GET"], path="/page", raw_path="/page", handler="web.stream:page", framework="flask",
              location=at("web/stream.py", 17)),
    ]  # fmt: skip
    updated = realtime.with_sse_paths(link(facts_of(SSE)), heuristics, found)
    paths = {r.handler: r.path for r in updated.realtime if r.kind == "sse"}
    assert paths == {
        "web.stream:events": "/events",
        "web.stream:django_events": None,
        "web.stream:header_events": None,
    }
    assert updated.routes == []  # a refiner of the real-time product returns only that product


# -- threads -------------------------------------------------------------------------------------

THREADS = {
    "svc/__init__.py": "",
    "svc/workers.py": """
        import threading
        from threading import Thread as T
        import time

        def flush_forever():
            while True:
                time.sleep(1)

        def once():
            pass

        def poll():
            while True:
                pass

        _flusher = threading.Thread(target=flush_forever, daemon=True)
        _flusher.start()

        T(target=once, daemon=True).start()
        later = threading.Thread(target=once)
        later.daemon = True
        later.start()

        def start_pollers():
            t = T(target=poll)
            t.start()
            quiet = threading.Thread(target=once)
            quiet.start()
            never = threading.Thread(target=poll)

        class Worker:
            def __init__(self):
                self._thread = threading.Thread(target=self._loop)
                self._thread.setDaemon(True)

            def go(self):
                self._thread.start()

            def _loop(self):
                pass

        class Pump(threading.Thread):
            def run(self):
                while True:
                    pass

        Pump().start()
    """,
}


def test_started_daemon_and_looping_threads_are_jobs(heuristics: Heuristics) -> None:
    found: Recognition = jobs.recognize(link(facts_of(THREADS)), heuristics)
    threads = sorted((j.name, j.handler, j.location.line) for j in found.jobs if j.kind == "thread")
    # Why: `quiet` runs no loop and is no daemon; `never` is never started: neither is a job.
    assert threads == [
        ("Pump.run", "svc.workers:Pump.run", 48),
        ("Worker._loop", "svc.workers:Worker._loop", 34),
        ("flush_forever", "svc.workers:flush_forever", 17),
        ("once", "svc.workers:once", 20),
        ("once", "svc.workers:once", 21),
        ("poll", "svc.workers:poll", 26),
    ]
    assert all(j.evidence[0].rule == "jobs.thread" for j in found.jobs if j.kind == "thread")
    # The worker loops stay what they were.
    loops = sorted(j.handler for j in found.jobs if j.kind == "worker-loop")
    assert loops == ["svc.workers:Pump.run", "svc.workers:flush_forever", "svc.workers:poll"]


def test_receivers_connected_by_test_code_are_not_the_apps(heuristics: Heuristics) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/signals.py": """
            from django.db.models.signals import post_save
            from django.dispatch import receiver

            @receiver(post_save)
            def reindex(sender, **kwargs):
                pass
        """,
        "shop/test/__init__.py": "",
        "shop/test/signals.py": """
            from django.db.models.signals import post_delete
            from django.dispatch import receiver

            @receiver(post_delete)
            def forget(sender, **kwargs):
                pass
        """,
        "shop/tests/__init__.py": "",
        "shop/tests/test_signals.py": """
            from django.db.models.signals import post_save

            class SignalTest:
                def test_capture(self):
                    def capture(sender, **kwargs):
                        pass
                    post_save.connect(capture)
        """,
    }
    found = events.recognize(link(facts_of(files)), heuristics)
    # a feature package named `test` (a scanner's test runs) is application code
    assert {(e.signal, e.receiver) for e in found.events} == {
        ("django.db.models.signals.post_save", "shop.signals:reindex"),
        ("django.db.models.signals.post_delete", "shop.test.signals:forget"),
    }


def test_temporary_connections_are_not_receivers_and_allauth_signals_are_signals(heuristics: Heuristics) -> None:
    files = {
        "app/__init__.py": "",
        "app/signals.py": """
            from django.dispatch import Signal

            consumed = Signal()
        """,
        "app/handlers.py": """
            from contextlib import contextmanager
            from django.apps import AppConfig
            from django.db.models.signals import post_delete, post_save
            from app.signals import consumed

            def cleanup(sender, **kwargs):
                pass

            def cached(sender, **kwargs):
                pass

            def on_social(sender, **kwargs):
                pass

            def purge(queryset):
                post_delete.connect(cleanup)
                try:
                    queryset.delete()
                finally:
                    post_delete.disconnect(cleanup)

            def later(action):
                def handler(sender, **kwargs):
                    consumed.disconnect(handler)
                consumed.connect(handler, weak=False)

            @contextmanager
            def disabled(sig, receiver):
                sig.disconnect(receiver=receiver)
                yield
                sig.connect(receiver=receiver)

            def setup():
                post_save.connect(cached)
                post_delete.disconnect(cleanup)

            class Config(AppConfig):
                name = "app"

                def ready(self):
                    from allauth.socialaccount.signals import social_account_updated
                    social_account_updated.connect(on_social)
        """,
    }
    found = events.recognize(link(facts_of(files)), heuristics)
    assert {(e.signal, e.receiver) for e in found.events} == {
        # Why: a connection in a function that disconnects another signal stands.
        ("django.db.models.signals.post_save", "app.handlers:cached"),
        # Why: django-allauth's signals come from the knowledge table, also imported inside `ready()`.
        ("allauth.socialaccount.signals.social_account_updated", "app.handlers:on_social"),
        # Why (negative): `purge` and `later` undo what they connect (in a `finally`, in the handler
        # itself): connected only while they run.
    }


# -- the per-module pre-filter of the real-time walks ---------------------------------------------

SOCKETIO_REACHED = {
    "chat/__init__.py": "",
    "chat/ext.py": """
        from flask_socketio import SocketIO as IO
        socketio = IO()
    """,
    "chat/wiring.py": """
        from chat import ext
        hub = ext.socketio

        def joined(data):
            pass

        def register():
            hub.on_event("join", joined, namespace="/chat")
    """,
    "chat/plain.py": """
        class Hub:
            def on_event(self, name, handler, namespace=None):
                pass

        def left(data):
            pass

        Hub().on_event("leave", left)
    """,
}


def test_socketio_registrations_are_found_through_aliases_and_variables_of_other_modules(
    heuristics: Heuristics,
) -> None:
    graphs = link(facts_of(SOCKETIO_REACHED))
    found = realtime.recognize(graphs, heuristics)
    events_found = sorted((r.handler, r.event, r.path) for r in found.realtime)
    # Why: `hub` is Flask-SocketIO's object reached through an import alias and another module's
    # variable, so its module is walked; our own `Hub.on_event` is no Socket.IO registration.
    assert events_found == [("chat.wiring:joined", "join", "/chat")]
    assert "flask_socketio.SocketIO.on_event" in called_names(graphs.resolver, graphs.modules["chat.wiring"])
    assert "flask_socketio.SocketIO.on_event" not in called_names(graphs.resolver, graphs.modules["chat.plain"])
