"""Drive FlaskBB route by route with Flask's test client, the tracer installed.

FlaskBB's own suite calls most views directly (``View.as_view(...)()`` inside a request context), never
through the application, so no route would be seen: this driver crawls the app instead. Run by
``trace.py flaskbb`` with the app's interpreter in a scratch folder.

1. the corpus capture's first patch (``benchmarks/realworld/apps/flaskbb.toml``: an import hook compiling the
   checkout with deferred annotations, which its code needs before Python 3.14) is run;
2. the app is made from FlaskBB's ``TestingConfig`` (eager Celery, in-memory search index) subclassed here:
   SQLite in the scratch folder, CSRF off, logs and instance folder in the scratch folder;
3. ``flaskbb.utils.populate.create_test_data`` makes groups, settings, two users (an administrator and a
   super moderator), a category, a forum, a topic and a post;
4. logged in as the administrator, a few forms are posted (new topic, reply, profile and settings
   changes, a report, a new category and forum, a new user), then every GET route whose arguments can be
   filled from the objects made is requested once (logout last); then the second user posts and reads.

A request that fails (any status) still shows what it touched before failing; 5xx answers are counted.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CAPTURE_TOML = HERE.parents[1] / "apps" / "flaskbb.toml"


def _run_import_hook() -> None:
    """The corpus capture's deferred-annotations import hook (its first patch), with the checkout first on sys.path."""
    patches = tomllib.loads(CAPTURE_TOML.read_text(encoding="utf-8"))["patches"]
    src = os.environ["DATAACCESS_SCAN_ROOT"]
    sys.path.insert(0, src)
    exec(compile(patches[0]["code"], "<flaskbb import hook>", "exec"), {"__name__": "__patch__"})


_run_import_hook()

import flask_hooks  # noqa: E402
from tracer import TRACE  # noqa: E402

flask_hooks.install()

# Arguments of URL rules filled from the objects create_test_data makes (first ids, the first user's name).
_VALUES = {"username": "test1", "slug": "test", "page": "1", "name": "default", "plugin": "portal"}


def _fill(rule: Any) -> str | None:
    """A URL for a rule with every argument filled (ids 1), or None when an argument cannot be guessed."""
    url = rule.rule
    for argument in rule.arguments:
        if argument in (rule.defaults or {}):
            continue
        value = _VALUES.get(argument) or ("1" if argument.endswith("id") or argument == "id" else None)
        if value is None:
            return None
        url = re.sub(r"<(?:[^<>:]*:)?" + argument + r">", value, url)
    return url


def main() -> int:
    """Populate, post forms, crawl the GET routes; write the trace."""
    from flaskbb.app import create_app
    from flaskbb.configs.testing import TestingConfig
    from flaskbb.extensions import db
    from flaskbb.utils.populate import create_test_data

    scratch = os.getcwd()

    class TraceConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite:///" + os.path.join(scratch, "flaskbb.sqlite")
        WTF_CSRF_ENABLED = False
        LOG_PATH = os.path.join(scratch, "logs")
        WHOOSHEE_DIR = os.path.join(scratch, "whoosh_index")
        SERVER_NAME = "localhost"

    app = create_app(TraceConfig, instance_path=os.path.join(scratch, "instance"))
    with app.app_context():
        db.create_all()
        create_test_data(users=2, categories=1, forums=1, topics=1, posts=1)
    client = app.test_client()
    failures = 0

    def call(method: str, url: str, data: dict[str, Any] | None = None) -> None:
        nonlocal failures
        try:
            response = client.open(url, method=method, data=data)
            failures += response.status_code >= 500
        except Exception:
            failures += 1

    call("GET", "/auth/login")
    call("POST", "/auth/login", {"login": "test1", "password": "test"})
    call("POST", "/1/topic/new", {"title": "Traced topic", "content": "Body of the traced topic"})
    call("POST", "/topic/1/post/new", {"content": "A traced reply"})
    call("POST", "/post/1/report", {"reason": "traced report"})
    call("POST", "/user/settings/general", {"theme": "aurora", "language": "en"})
    call(
        "POST",
        "/user/settings/user-details",
        {"birthday": "", "gender": "", "location": "here", "website": "", "avatar": "", "signature": "", "notes": "n"},
    )
    call("POST", "/post/1/edit", {"content": "An edited first post"})
    call("POST", "/admin/category/add", {"title": "Traced category", "description": "", "position": "2"})
    call(
        "POST",
        "/admin/forums/add",
        {
            "title": "Traced forum",
            "description": "",
            "category": "1",
            "position": "2",
            "groups": ["1", "2", "3", "4", "5"],
        },
    )
    call(
        "POST",
        "/admin/users/add",
        {"username": "test3", "email": "test3@example.org", "password": "test", "primary_group": "4", "activated": "y"},
    )
    call("POST", "/admin/groups/add", {"name": "Traced group", "description": ""})
    call("POST", "/search", {"search_types": "post", "search_query": "traced"})
    call("POST", "/memberlist", {"search_query": "test"})
    call("POST", "/topictracker/1/add")
    call("POST", "/topic/1/lock")
    call("POST", "/topic/1/unlock")
    call("POST", "/topic/1/highlight")
    call("POST", "/topic/1/trivialize")
    call("POST", "/1/markread")
    call("POST", "/admin/reports/1/markread")
    rules = sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
    last = []
    for rule in rules:
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        url = _fill(rule)
        if url is None:
            continue
        if "logout" in rule.endpoint:
            last.append(url)
            continue
        call("GET", url)
    for url in last:
        call("GET", url)
    call("POST", "/auth/login", {"login": "test2", "password": "test"})
    call("POST", "/topic/1/post/new", {"content": "Second user's reply"})
    call("GET", "/topic/1")
    call("GET", "/forum/1")
    call("POST", "/topictracker/1/delete")
    call("POST", "/admin/users/3/ban")
    TRACE.counters["requests_failed"] = failures
    flask_hooks.read_tables()
    TRACE.dump()
    return 0


if __name__ == "__main__":
    sys.exit(main())
