"""The data-access truth's statement parsing and scorer (benchmarks/realworld/dataaccess) on hand-written inputs."""

import argparse
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

_DIR = Path(__file__).resolve().parents[2] / "benchmarks" / "realworld" / "dataaccess"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"dataaccess_{name}", _DIR / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[f"dataaccess_{name}"] = module
    spec.loader.exec_module(module)
    return module


score = _load("score")
build = _load("build_truth")
tracer = _load("tracer")

_ARGS = argparse.Namespace(own_tables=False, models_only=False, with_templates=False)


def test_statements_split_into_tables_read_and_written() -> None:
    reads, writes, parsed = build.tables_of(
        'UPDATE "shop_order" SET "state" = %s WHERE "shop_order"."id" IN '
        '(SELECT U0."id" FROM "shop_item" U0 INNER JOIN "shop_order_tags" ON (U0."id" = 1))'
    )
    assert parsed
    assert writes == {"shop_order"}
    assert reads == {"shop_item", "shop_order_tags"}
    reads, writes, _ = build.tables_of("INSERT INTO followers (follower_id, followed_id) VALUES (?, ?)")
    assert (reads, writes) == (frozenset(), frozenset({"followers"}))
    reads, writes, _ = build.tables_of(
        "WITH recent AS (SELECT id FROM post) SELECT user.id FROM user JOIN recent ON recent.id = user.id"
    )
    assert reads == {"post", "user"} and not writes


def test_postgres_statements_parse_with_the_apps_dialect_and_named_placeholders() -> None:
    statement = (
        "INSERT INTO alerts (name, query_id) SELECT %(name)s, queries.id FROM queries "
        "WHERE queries.tags @> ARRAY[%(tag)s]::text[] ON CONFLICT DO NOTHING RETURNING alerts.id"
    )
    build._DIALECT["name"] = "postgres"
    build.tables_of.cache_clear()
    try:
        reads, writes, parsed = build.tables_of(statement)
    finally:
        build._DIALECT["name"] = "sqlite"
        build.tables_of.cache_clear()
    assert parsed
    assert (reads, writes) == (frozenset({"queries"}), frozenset({"alerts"}))
    _, _, parsed_as_sqlite = build.tables_of(statement)
    assert not parsed_as_sqlite  # PostgreSQL-only syntax: the SQLite dialect falls back to the tokenizer


def test_the_tokenizer_fallback_ignores_string_literals() -> None:
    reads, writes = build.tables_by_tokens(
        "DELETE FROM \"note\" WHERE body = 'from users' AND id IN (SELECT id FROM tag)"
    )
    assert writes == {"note"}
    assert reads == {"tag"}


def test_test_files_are_not_the_apps_own_code() -> None:
    assert tracer._is_test_path("hc/api/tests/test_views.py")
    assert tracer._is_test_path("app/conftest.py")
    assert not tracer._is_test_path("hc/api/views.py")
    assert tracer._is_test_path("test/test_app.py") and tracer._is_test_path("test/helpers.py")
    assert not tracer._is_test_path("dojo/test/views.py")  # an app package named after an entity


def _truth(entries: list[dict[str, Any]]) -> dict[str, Any]:
    tables = {
        "shop_order": {"models": ["shop.models:Order", "shop.models:OrderProxy"], "parents": [], "own": True},
        "shop_giftorder": {"models": ["shop.models:GiftOrder"], "parents": ["shop_order"], "own": True},
        "shop_order_tags": {"models": [], "through": "shop.models:Order.tags", "parents": [], "own": True},
        "auth_user": {"models": ["django.contrib.auth.models:User"], "parents": [], "own": False},
    }
    return {"tables": tables, "entries": entries}


def _route(method: str, reads: list[str], writes: list[str], status: str = "200", **extra: Any) -> dict[str, Any]:
    return {
        "kind": "route",
        "handler": "shop.views:orders",
        "path": "/orders/{pk}/",
        "method": method,
        "own": True,
        "requests": 1,
        "statuses": {status: 1},
        "reads": reads,
        "writes": writes,
        "framework_reads": extra.get("framework_reads", []),
        "framework_writes": [],
    }


def test_models_stand_for_their_tables_and_parents() -> None:
    tables = score.TableMap(_truth([])["tables"], [{"symbol": "shop.models:Other", "table": "shop_other"}])
    assert tables.tables(["shop.models:GiftOrder"]) == {"shop_giftorder", "shop_order"}
    assert tables.tables(["shop.models:OrderProxy", "table:shop_order_tags"]) == {"shop_order", "shop_order_tags"}
    assert tables.tables(["shop.models:Other", "followers"]) == {"shop_other", "followers"}
    assert tables.tables(["shop.models:Missing"]) == set()
    assert tables.unknown == {"shop.models:Missing"}


def test_methods_of_one_report_route_are_pooled_and_scored_per_table() -> None:
    truth = _truth(
        [
            _route("GET", ["shop_order"], []),
            _route("POST", ["shop_order", "auth_user"], ["shop_order", "shop_order_tags"]),
            _route("DELETE", [], [], status="405"),
        ]
    )
    report = {
        "routes": [
            {
                "path": "/orders/{id}/",
                "handler": "shop.views:orders",
                "methods": ["*"],
                "reads": ["shop.models:Order", "shop.models:GiftOrder"],
                "writes": ["shop.models:Order"],
            }
        ]
    }
    scored, matched, traced = score.match_entries(truth, report, _ARGS)
    assert (matched, traced, len(scored)) == (2, 2, 1)
    counts = score.count(scored)
    assert counts.tp == {"reads": 1, "writes": 1}
    assert counts.fn == {"reads": 1, "writes": 1}
    assert counts.fp == {"reads": 1, "writes": 0}
    assert counts.fp_restricted == {"reads": 1, "writes": 0}


def _field(action: str, reads: list[str]) -> dict[str, Any]:
    return {**_route("POST", reads, []), "handler": "shop.schema:Query", "path": "/graphql/", "action": action}


def test_a_graphql_field_is_scored_against_the_report_route_of_that_field_only() -> None:
    truth = _truth([_field("query.order", ["shop_order"]), _field("query.me", ["auth_user"])])
    routes = [
        {"path": "/graphql", "handler": "shop.schema:Query", "action": f"query.{name}", "methods": ["POST"]}
        for name in ("order", "tags")
    ]
    routes[0]["reads"] = ["shop.models:Order"]
    routes[1]["reads"] = ["table:shop_order_tags"]
    scored, matched, traced = score.match_entries(truth, {"routes": routes}, _ARGS)
    assert (matched, traced) == (1, 2)  # query.me: no report route names that field
    assert [(s.truth["reads"], s.report["reads"]) for s in scored] == [({"shop_order"}, {"shop_order"})]


def test_report_only_pairs_are_unjudged_on_routes_not_fully_exercised_or_touched_by_the_framework() -> None:
    report = {
        "routes": [
            {
                "path": "/orders/{id}/",
                "handler": "shop.views:orders",
                "methods": ["GET", "POST"],
                "reads": ["shop.models:Order", "django.contrib.auth.models:User"],
                "writes": [],
            }
        ]
    }
    only_get = _truth([_route("GET", ["shop_order"], [])])
    counts = score.count(score.match_entries(only_get, report, _ARGS)[0])
    assert counts.fp["reads"] == 1 and counts.fp_restricted["reads"] == 0
    both = _truth([_route("GET", ["shop_order"], [], framework_reads=["auth_user"]), _route("POST", [], [])])
    counts = score.count(score.match_entries(both, report, _ARGS)[0])
    assert counts.fp["reads"] == 1 and counts.fp_restricted["reads"] == 0
    unseen = _truth([_route("GET", ["shop_order"], []), _route("POST", [], [])])
    counts = score.count(score.match_entries(unseen, report, _ARGS)[0])
    assert counts.fp_restricted["reads"] == 1


def test_routes_the_report_lacks_are_counted_not_scored() -> None:
    truth = _truth([_route("GET", ["shop_order"], [])])
    scored, matched, traced = score.match_entries(truth, {"routes": []}, _ARGS)
    assert (scored, matched, traced) == ([], 0, 1)


def _frame(path: str, module: str, function: str = "f") -> Any:
    from types import SimpleNamespace

    code = SimpleNamespace(co_filename=path, co_name=function)
    return SimpleNamespace(f_code=code, f_globals={"__name__": module})


def test_the_view_owns_user_loads_its_own_code_asks_for_and_code_templates_call() -> None:
    trace = tracer.Trace()
    own = tracer._SCAN_ROOT
    view = _frame(own + "shop/views.py", "shop.views", "orders")
    loader = _frame("/venv/django/contrib/auth/__init__.py", "django.contrib.auth", "get_user")
    lazy = _frame("/venv/django/utils/functional.py", "django.utils.functional", "inner")
    orm = _frame("/venv/django/db/models/query.py", "django.db.models.query", "__iter__")
    decorator = _frame("/venv/django/contrib/auth/decorators.py", "django.contrib.auth.decorators", "_view_wrapper")
    session = _frame("/venv/django/contrib/sessions/backends/db.py", "django.contrib.sessions.backends.db", "load")
    assert not trace._framework_auth([view, lazy, loader, orm])
    assert trace._framework_auth([decorator, lazy, loader, orm])
    assert trace._framework_auth([view, lazy, loader, session, orm])
    assert not trace._framework_auth([decorator, view, orm])
    template = _frame(own + "shop/templates/base.html", "", "root")
    method = _frame(own + "shop/models.py", "shop.models", "unread_count")
    assert trace._called_from_template([view, template, method, orm])
    assert not trace._called_from_template([view, template, orm])
    assert not trace._called_from_template([view, method, orm])


def test_an_entry_keeps_view_template_and_framework_tables_apart() -> None:
    from collections import Counter

    entry = {
        "kind": "route",
        "statements": {
            "view": {'SELECT * FROM "post" JOIN "followers" ON 1': 2, 'INSERT INTO "post" (body) VALUES (%s)': 1},
            "template": {'SELECT * FROM "message"': 1, 'SELECT * FROM "post"': 1},
            "framework": {'SELECT * FROM "user"': 3, 'UPDATE "user" SET last_seen = %s': 1, "SELECT 1 FROM x": 1},
        },
    }
    unknown: Counter[str] = Counter()
    record = build.entry_record(entry, {"post", "followers", "message", "user"}, unknown, Counter())
    assert (record["reads"], record["writes"]) == (["followers", "post"], ["post"])
    assert (record["template_reads"], record["template_writes"]) == (["message"], [])
    assert (record["framework_reads"], record["framework_writes"]) == (["user"], ["user"])
    assert record["statements"] == 3
    assert unknown == Counter({"x": 1})
