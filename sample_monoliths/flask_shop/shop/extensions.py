"""Extension singletons, bound to the app in ``create_app``.

Import ``db``, ``socketio`` and ``celery`` from here, never from ``shop``,
or you will get a circular import.
"""
import functools
from datetime import timedelta

from celery import Celery
from celery.schedules import crontab
from flask import abort, flash, g, redirect, request, url_for
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
socketio = SocketIO()
celery = Celery("shop")


def init_celery(app):
    """Configure the module-level Celery app from the Flask config.

    Tasks run inside an application context so they can use ``db.session``
    and ``current_app`` exactly like a view does.
    """
    celery.conf.update(
        broker_url=app.config["CELERY_BROKER_URL"],
        result_backend=app.config["CELERY_RESULT_BACKEND"],
        task_always_eager=app.config["CELERY_TASK_ALWAYS_EAGER"],
        task_serializer="json",
        accept_content=["json"],
        timezone="UTC",
        task_default_queue="default",
        task_routes={
            "shop.catalog.tasks.reindex_catalogue": {"queue": "batch"},
            "shop.analytics.export_sales_report": {"queue": "batch"},
            "notifications.*": {"queue": "notifications"},
            "shop.notifications.tasks.*": {"queue": "notifications"},
        },
        worker_max_tasks_per_child=500,
    )
    celery.conf.beat_schedule = {
        "nightly-catalogue-reindex": {
            "task": "shop.catalog.tasks.reindex_catalogue",
            "schedule": crontab(hour=2, minute=30),
        },
        "release-stale-reservations": {
            "task": "shop.orders.tasks.release_stale_reservations",
            "schedule": 300.0,
            "kwargs": {"max_age_minutes": 30},
        },
        "warm-price-cache": {
            "task": "shop.catalog.tasks.warm_price_cache",
            "schedule": timedelta(minutes=10),
        },
        "daily-sales-report": {
            "task": "shop.analytics.export_sales_report",
            "schedule": crontab(hour=3, minute=15),
            "options": {"queue": "batch"},
        },
        "weekly-marketing-digest": {
            "task": "shop.notifications.tasks.queue_weekly_digests",
            "schedule": crontab(hour=8, minute=0, day_of_week="mon"),
        },
    }

    class ContextTask(celery.Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery.Task = ContextTask
    app.extensions["celery"] = celery
    return celery


def current_user():
    """The logged-in ``User`` or None (loaded by ``auth.load_logged_in_user``)."""
    return g.get("user")


def login_required(view):
    """Redirect anonymous browsers to the login page; 401 for API clients."""

    @functools.wraps(view)
    def wrapped_view(*args, **kwargs):
        if g.get("user") is None:
            if request.path.startswith("/api/"):
                return {"message": "authentication required"}, 401
            flash("Please log in first.", "warning")
            return redirect(url_for("auth.login", next=request.full_path))
        return view(*args, **kwargs)

    return wrapped_view


def admin_required(view):
    @functools.wraps(view)
    @login_required
    def wrapped_view(*args, **kwargs):
        if not g.user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped_view
