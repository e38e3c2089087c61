"""Flask + SQLAlchemy side of the data-access trace (installed by ``pytest_trace.py`` or a driver script).

What is patched, in the running process only:

- a ``before_cursor_execute`` listener on SQLAlchemy's ``Engine`` class: every statement of every engine
  goes to ``TRACE.record``;
- ``Flask.wsgi_app``: a request scope opens around the whole request (``before_request`` hooks, the view,
  ``after_request``/teardown hooks, the session saved);
- ``Flask.dispatch_request``: the route is known (``request.url_rule`` -> ``app.view_functions``, the class
  for ``MethodView``/Flask-RESTful/RESTX resources, as ``capture/flask_truth.py`` names it), and the view
  phase lasts while it runs; statements before it (``before_request``) and after it are the framework's;
- ``Flask.full_dispatch_request``: the response's status code.

``DATAACCESS_PRELOAD`` (optional): ``module:function`` called before the jobs and receivers of the truth are
imported (Indico's ``import_all_models``: its relationships name classes by string, and importing a task
module first configured the mappers before every model existed).

``DATAACCESS_PATH_PREFIX`` (optional): a leading path template the app's test configuration adds to every
route and its default configuration does not (Redash's tests run multi-org, ``/<org_slug>/api/...``, the
corpus truth is single-org, ``/api/...``): it is removed from the recorded ``path`` (``raw_path`` keeps it).

``read_tables`` lists every mapped class's table (joined-inheritance parents' tables too) and the tables
no class maps (association tables), with the relationship that uses one as ``secondary`` (``through``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "capture"))

import tracer  # noqa: E402
from tracer import TRACE  # noqa: E402

_INSTALLED = False


def install() -> None:
    """Listen to every engine, patch Flask's request handling, register jobs and receivers."""
    global _INSTALLED
    if _INSTALLED:
        return
    _INSTALLED = True
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def before_cursor_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        TRACE.record(statement)

    event.listen(Engine, "before_cursor_execute", before_cursor_execute)
    _patch_flask()
    preload = os.environ.get("DATAACCESS_PRELOAD", "")
    if preload:
        tracer.resolve_symbol(preload)()
    tracer.register_truth_entries()


def _patch_flask() -> None:
    import flask
    import flask_truth

    owner = flask_truth.Ownership(os.environ.get("DATAACCESS_SCAN_ROOT", os.getcwd()), [])
    prefix = os.environ.get("DATAACCESS_PATH_PREFIX", "")
    wsgi_app = flask.Flask.wsgi_app
    dispatch = flask.Flask.dispatch_request
    full_dispatch = flask.Flask.full_dispatch_request

    def traced_wsgi_app(self: Any, environ: Any, start_response: Any) -> Any:
        with tracer.request_scope():
            return wsgi_app(self, environ, start_response)

    def traced_dispatch(self: Any, *args: Any, **kwargs: Any) -> Any:
        state = tracer.current_request()
        rule = getattr(flask.request, "url_rule", None)
        if state is None or rule is None:
            return dispatch(self, *args, **kwargs)
        view = self.view_functions.get(rule.endpoint)
        handler = flask_truth._handler_of(view) if view is not None else None
        path = flask_truth.canonical_path(rule.rule)
        if prefix and path.startswith(prefix + "/"):
            path = path[len(prefix) :]
        entry = TRACE.route_entry(handler, path, rule.rule, flask.request.method, owner.own(handler))
        TRACE.start_view(state, entry)
        try:
            return dispatch(self, *args, **kwargs)
        finally:
            state.view_phase = False

    def traced_full_dispatch(self: Any, *args: Any, **kwargs: Any) -> Any:
        response = full_dispatch(self, *args, **kwargs)
        state = tracer.current_request()
        if state is not None:
            TRACE.status(state, getattr(response, "status_code", 0))
        return response

    flask.Flask.wsgi_app = traced_wsgi_app
    flask.Flask.dispatch_request = traced_dispatch
    flask.Flask.full_dispatch_request = traced_full_dispatch


def read_tables() -> None:
    """Tables of every mapper and the unmapped tables of their metadata."""
    import flask_truth

    metadatas: dict[int, Any] = {}
    mapped: set[str] = set()
    for mapper in flask_truth.all_mappers():
        cls = mapper.class_
        symbol = flask_truth.symbol_of(cls)
        module = sys.modules.get(cls.__module__)
        own = TRACE.own_file(getattr(module, "__file__", "") or "")
        table = getattr(mapper, "local_table", None)
        name = getattr(table, "name", None)
        if name is None:
            continue
        mapped.add(name)
        if getattr(table, "metadata", None) is not None:
            metadatas[id(table.metadata)] = table.metadata
        info = TRACE.tables.setdefault(name, {"models": [], "through": None, "parents": [], "own": False})
        info["models"] = sorted({*info["models"], symbol})
        info["own"] = info["own"] or own
        parent = getattr(mapper, "inherits", None)
        while parent is not None:
            parent_name = getattr(getattr(parent, "local_table", None), "name", None)
            if parent_name and parent_name != name:
                info["parents"] = sorted({*info["parents"], parent_name})
            parent = getattr(parent, "inherits", None)
        for relationship in getattr(mapper, "relationships", []):
            secondary = getattr(relationship, "secondary", None)
            secondary_name = getattr(secondary, "name", None)
            if secondary_name:
                through = TRACE.tables.setdefault(
                    secondary_name, {"models": [], "through": None, "parents": [], "own": False}
                )
                if through["through"] is None or f"{symbol}.{relationship.key}" < through["through"]:
                    through["through"] = f"{symbol}.{relationship.key}"
                through["own"] = through["own"] or own
    for metadata in metadatas.values():
        for table in metadata.tables.values():
            if table.name not in mapped:
                TRACE.tables.setdefault(table.name, {"models": [], "through": None, "parents": [], "own": True})
