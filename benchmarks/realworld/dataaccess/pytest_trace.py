"""pytest side of the data-access trace: ``-p pytest_trace`` (this folder on ``PYTHONPATH``).

Installs the tracer (``tracer.py``) once the session starts, when pytest-django has already set Django up
(``DATAACCESS_FAMILY=django``: ``django_runner.install``) or for a Flask app (``flask``: ``flask_hooks.install``),
counts the tests run and failed, and writes the raw trace when the session ends.
"""

from __future__ import annotations

import os
from typing import Any

from tracer import TRACE


def pytest_sessionstart(session: Any) -> None:
    """Install the tracer for the app's framework."""
    if os.environ.get("DATAACCESS_FAMILY", "django") == "django":
        import django_runner

        django_runner.install()
    else:
        import flask_hooks

        flask_hooks.install()


def pytest_runtest_logreport(report: Any) -> None:
    """Count tests run (their call phase) and failed (any phase)."""
    if report.when == "call":
        TRACE.counters["tests"] += 1
    if report.failed:
        TRACE.counters["failed_tests"] += 1


def pytest_sessionfinish(session: Any, exitstatus: Any) -> None:
    """Write the raw trace (Flask: the tables of the mappers first)."""
    if os.environ.get("DATAACCESS_FAMILY", "django") != "django":
        import flask_hooks

        flask_hooks.read_tables()
    TRACE.dump()
