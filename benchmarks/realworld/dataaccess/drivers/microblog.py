"""Drive miguelgrinberg/microblog route by route with Flask's test client, the tracer installed.

Run by ``trace.py microblog`` with the app's interpreter in a scratch folder (the checkout on
``PYTHONPATH``). Its configuration is a subclass of the app's ``Config`` written here: SQLite in the scratch
folder, CSRF off (forms posted as a browser would after reading the token), mail suppressed, no
Elasticsearch; Redis is never reached (the export route, which enqueues an RQ job, is not driven).
Each request's status is checked loosely (a route that fails still shows what it touched before).
"""

from __future__ import annotations

import base64
import os
import sys

import flask_hooks
from tracer import TRACE

flask_hooks.install()

from config import Config  # noqa: E402  (the app's own, from the checkout)


class TraceConfig(Config):
    """The app's configuration for a traced run in the scratch folder."""

    SQLALCHEMY_DATABASE_URI = "sqlite:///" + os.path.join(os.getcwd(), "microblog.sqlite")
    TESTING = True
    WTF_CSRF_ENABLED = False
    MAIL_SUPPRESS_SEND = True
    ELASTICSEARCH_URL = None
    SERVER_NAME = "localhost"


def main() -> int:
    """Create the schema, then call every route the app serves at least once, logged in where needed."""
    from app import create_app, db

    app = create_app(TraceConfig)
    with app.app_context():
        db.create_all()
    client = app.test_client()
    calls = [
        ("GET", "/auth/register", None),
        (
            "POST",
            "/auth/register",
            {"username": "ann", "email": "ann@example.com", "password": "pw", "password2": "pw"},
        ),
        (
            "POST",
            "/auth/register",
            {"username": "bob", "email": "bob@example.com", "password": "pw", "password2": "pw"},
        ),
        ("GET", "/auth/login", None),
        ("POST", "/auth/login", {"username": "bob", "password": "pw"}),
        ("POST", "/index", {"post": "hello from bob"}),
        ("GET", "/auth/logout", None),
        ("GET", "/auth/reset_password_request", None),
        ("POST", "/auth/reset_password_request", {"email": "ann@example.com"}),
        ("GET", "/auth/reset_password/not-a-token", None),
        ("POST", "/auth/login", {"username": "ann", "password": "pw"}),
        ("GET", "/index", None),
        ("POST", "/index", {"post": "hello world"}),
        ("GET", "/", None),
        ("GET", "/explore", None),
        ("GET", "/user/ann", None),
        ("GET", "/user/bob/popup", None),
        ("GET", "/edit_profile", None),
        ("POST", "/edit_profile", {"username": "ann", "about_me": "me"}),
        ("POST", "/follow/bob", {}),
        ("GET", "/index", None),
        ("POST", "/unfollow/bob", {}),
        ("POST", "/follow/bob", {}),
        ("GET", "/send_message/bob", None),
        ("POST", "/send_message/bob", {"message": "hi bob"}),
        ("GET", "/messages", None),
        ("GET", "/notifications", None),
        ("GET", "/search?q=hello", None),
        ("GET", "/auth/logout", None),
        ("POST", "/auth/login", {"username": "bob", "password": "pw"}),
        ("GET", "/messages", None),
        ("GET", "/notifications?since=0", None),
        ("GET", "/auth/logout", None),
    ]
    failures = 0
    for method, path, data in calls:
        response = client.open(path, method=method, data=data)
        failures += response.status_code >= 500
    basic = base64.b64encode(b"ann:pw").decode()
    token = client.post("/api/tokens", headers={"Authorization": f"Basic {basic}"}).get_json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    api_calls = [
        ("GET", "/api/users/1", None),
        ("GET", "/api/users", None),
        ("GET", "/api/users/1/followers", None),
        ("GET", "/api/users/1/following", None),
        ("POST", "/api/users", {"username": "cat", "email": "cat@example.com", "password": "pw"}),
        ("PUT", "/api/users/1", {"about_me": "api"}),
        ("DELETE", "/api/tokens", None),
    ]
    for method, path, body in api_calls:
        response = client.open(path, method=method, json=body, headers=bearer)
        failures += response.status_code >= 500
    TRACE.counters["requests_failed"] = failures
    TRACE.counters["tests"] = len(calls) + len(api_calls) + 1
    flask_hooks.read_tables()
    TRACE.dump()
    return 0


if __name__ == "__main__":
    sys.exit(main())
