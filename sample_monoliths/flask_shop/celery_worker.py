"""Celery entry point for the workers and beat.

    celery -A celery_worker.celery worker -l info -Q default,notifications
    celery -A celery_worker.celery worker -l info -Q batch --concurrency 1
    celery -A celery_worker.celery beat -l info
"""
import os

from shop import create_app
from shop.extensions import celery  # noqa: F401  (what ``-A`` looks up)

app = create_app(os.environ.get("FLASK_CONFIG", "default"))
app.app_context().push()
