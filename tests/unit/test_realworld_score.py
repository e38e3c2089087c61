"""The real-world scorer's matching and ARI (benchmarks/realworld/score.py) on hand-written inputs."""

import importlib.util
import sys
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "realworld" / "score.py"
_SPEC = importlib.util.spec_from_file_location("realworld_score", _PATH)
assert _SPEC is not None and _SPEC.loader is not None
score = importlib.util.module_from_spec(_SPEC)
sys.modules["realworld_score"] = score
_SPEC.loader.exec_module(score)


def _location(line: int = 1) -> dict[str, object]:
    return {"file": "app/views.py", "line": line}


def test_route_keys_erase_parameter_names_and_strip_the_action() -> None:
    assert score.route_path_key("/api/{query_id}/results/{id}") == "/api/{}/results/{}"
    assert score.route_owner("app.views:QueryResource.get", "get") == "app.views:QueryResource"
    assert score.route_owner("app.views:index", None) == "app.views:index"
    assert score.route_owner("app.views:Thing.get_list", "get") == "app.views:Thing.get_list"


def test_signal_short_names_agree_across_spellings() -> None:
    assert score.signal_short("django.db.models.signals.post_save") == "post_save"
    assert score.signal_short("django.db.models.signals:post_save") == "post_save"
    assert score.signal_short("sqlalchemy.orm.Session:before_commit") == "before_commit"
    assert score.signal_short("before_commit") == "before_commit"


def test_routes_match_on_path_shape_and_owner_and_skip_third_party_and_format_suffixes() -> None:
    truth = {
        "app": "t",
        "routes": [
            {"path": "/q/{query_id}", "handler": "app.views:QueryResource", "own": True},
            {"path": "/q/{pk}.{format}", "handler": "app.views:QueryResource", "own": True, "format_suffix": True},
            {"path": "/static/{filename}", "handler": "flask.app:Flask.send_static_file", "own": False},
            {"path": "/missing", "handler": "app.views:missing", "own": True},
        ],
    }
    report = {
        "modules": [{"name": "app.views", "context": "app"}],
        "routes": [
            {"path": "/q/{id}", "handler": "app.views:QueryResource.get", "action": "get", "location": _location()},
            {"path": "/q/{id}", "handler": "app.views:QueryResource.post", "action": "post", "location": _location()},
            {"path": "/wrong", "handler": "app.views:other", "action": None, "location": _location(9)},
            {"path": "/x", "handler": "flask_admin.views:Index", "action": None, "location": _location()},
        ],
    }
    result = score.compare(
        score.truth_items(truth, "routes", third_party=False),
        score.scan_items(report, "routes", third_party=False, realtime_kinds=score.REALTIME_KINDS),
    )
    assert (result.tp, result.fp, result.fn) == (1, 1, 1)
    assert result.missed == ["/missing -> app.views:missing"]
    assert result.wrong == ["/wrong -> app.views:other (app/views.py:9)"]


def test_jobs_match_by_kind_family_and_name_and_a_different_handler_is_wrong() -> None:
    truth = {
        "app": "t",
        "jobs": [
            {"kind": "click-command", "name": "users create", "handler": "app.cli:create", "own": True},
            {"kind": "celery-task", "name": "app.tasks.send", "handler": "app.tasks:send", "own": True},
            {"kind": "rq-job", "name": "app.jobs.run", "handler": "app.jobs:run", "own": True},
        ],
    }
    report = {
        "modules": [{"name": n} for n in ("app.cli", "app.tasks", "app.jobs")],
        "jobs": [
            {"kind": "flask-command", "name": "users create", "handler": "app.cli:create", "location": _location()},
            {"kind": "celery-task", "name": "app.tasks.send", "handler": "app.tasks:other", "location": _location()},
            {"kind": "worker-loop", "name": "loop", "handler": "app.jobs:loop", "location": _location()},
        ],
    }
    result = score.compare(
        score.truth_items(truth, "jobs", third_party=False),
        score.scan_items(report, "jobs", third_party=False, realtime_kinds=score.REALTIME_KINDS),
    )
    assert (result.tp, result.fp, result.fn) == (1, 1, 2)
    assert result.precision == pytest.approx(0.5)
    assert result.recall == pytest.approx(1 / 3)


def test_receivers_match_on_short_signal_and_receiver() -> None:
    truth = {
        "app": "t",
        "receivers": [
            {"kind": "sqlalchemy-event", "signal": "before_commit", "receiver": "app.db:check", "own": True},
            {"kind": "blinker", "signal": "flask.signals.got_request_exception", "receiver": "app.log:x", "own": True},
        ],
    }
    report = {
        "modules": [{"name": "app.db"}, {"name": "app.log"}],
        "events": [
            {"kind": "sqlalchemy-event", "signal": "sqlalchemy.orm.Session:before_commit", "receiver": "app.db:check"},
        ],
    }
    result = score.compare(
        score.truth_items(truth, "receivers", third_party=False),
        score.scan_items(report, "receivers", third_party=False, realtime_kinds=score.REALTIME_KINDS),
    )
    assert (result.tp, result.fp, result.fn) == (1, 0, 1)


def test_adjusted_rand_index_on_known_partitions() -> None:
    same = {"a": "x", "b": "x", "c": "y", "d": "y"}
    renamed = {"a": "1", "b": "1", "c": "2", "d": "2"}
    assert score.adjusted_rand_index(same, renamed) == pytest.approx(1.0)
    # sklearn.metrics.adjusted_rand_score([0, 0, 1, 1], [0, 0, 1, 2]) == 0.5714285714285715
    assert score.adjusted_rand_index(same, {"a": "1", "b": "1", "c": "2", "d": "3"}) == pytest.approx(4 / 7)
    # sklearn.metrics.adjusted_rand_score([0, 0, 1, 1], [0, 1, 0, 1]) == -0.5
    assert score.adjusted_rand_index(same, {"a": "1", "b": "2", "c": "1", "d": "2"}) == pytest.approx(-0.5)
    assert score.adjusted_rand_index({"a": "x"}, {"a": "y"}) is None
    assert score.adjusted_rand_index({"a": "x", "b": "x"}, {"a": "y", "b": "y", "z": "q"}) == 1.0


def test_table_pools_counts_and_prints_a_row_per_app() -> None:
    truth = {"app": "t", "family": "flask", "models": [{"symbol": "app.models:User", "own": True}], "modules": {}}
    report = {
        "modules": [{"name": "app.models", "context": "app"}],
        "models": [{"symbol": "app.models:User", "location": _location()}],
    }
    result = score.score_app(truth, report, third_party=False)
    text, data = score.table([result, result])
    assert "t (flask)" in text and "pooled" in text
    assert data["pooled"]["models"]["tp"] == 2
    assert data["pooled"]["models"]["recall"] == 1.0


def test_missed_items_are_located_in_the_scanned_tree(tmp_path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "tasks.py").write_text("import x\n\n\n@job('q')\ndef send(a):\n    pass\n", encoding="utf-8")
    report = {"modules": [{"name": "app.tasks", "file": "app/tasks.py"}]}
    locate = score.locator(report, tmp_path)
    assert locate("app.tasks:send") == " (app/tasks.py:5)"
    assert locate("app.tasks:gone") == " (app/tasks.py)"
    assert locate("elsewhere:send") == ""


def test_ari_is_not_measured_when_the_truth_has_one_label() -> None:
    truth = {"app": "t", "modules": {"dojo.a": "dojo", "dojo.b": "dojo", "dojo.c": "dojo"}}
    report = {"modules": [{"name": "dojo.a", "context": "x"}, {"name": "dojo.b", "context": "y"}, {"name": "dojo.c"}]}
    result = score.score_app(truth, report, third_party=False)
    assert result.ari is None
    assert result.ari_modules == 3


def test_models_made_at_run_time_are_scored_only_when_asked() -> None:
    truth = {
        "app": "t",
        "models": [
            {"symbol": "app.models:Tag", "own": True},
            {"symbol": "app.models:Tagulous_Thing_tags", "own": True, "dynamic": True},
        ],
    }
    report = {"modules": [{"name": "app.models"}], "models": [{"symbol": "app.models:Tag", "location": _location()}]}
    scan = score.scan_items(report, "models", third_party=False, realtime_kinds=score.REALTIME_KINDS)
    default = score.compare(score.truth_items(truth, "models", third_party=False), scan)
    assert (default.tp, default.fp, default.fn) == (1, 0, 0)
    included = score.compare(score.truth_items(truth, "models", third_party=False, dynamic=True), scan)
    assert (included.tp, included.fp, included.fn) == (1, 0, 1)


def test_truth_items_in_folders_the_scan_excluded_are_left_out() -> None:
    truth = {
        "app": "t",
        "receivers": [
            {"signal": "post_migrate", "receiver": "shop.migrations.0002_data:fill", "own": True},
            {"signal": "post_save", "receiver": "shop.signals:notify", "own": True},
            {"signal": "post_save", "receiver": "shop.migrations_helper:notify", "own": True},
        ],
    }
    report = {
        "modules": [{"name": "shop.signals"}],
        "files": {"excluded": [{"path": "shop/migrations/", "reason": "default-exclude", "pattern": "migrations/"}]},
        "events": [{"signal": "django.db.models.signals.post_save", "receiver": "shop.signals:notify"}],
    }
    result = score.score_app(truth, report, third_party=False)
    assert result.truth_counts["receivers"] == 2
    assert result.scores["receivers"].missed == ["post_save -> shop.migrations_helper:notify"]
    assert score.excluded_folders({"files": {"excluded": [{"path": "x/", "reason": "gitignore"}]}}) == ()


def test_graphql_subscriptions_are_keyed_by_event_and_format_converter_twins_skipped() -> None:
    truth = {
        "app": "t",
        "realtime": [
            {"kind": "graphql-subscription", "event": "order_created", "handler": "app.subs:default", "own": True},
            {"kind": "graphql-subscription", "event": "order_paid", "handler": "app.subs:default", "own": True},
        ],
        "routes": [
            {"path": "/api/{format}", "raw_path": "api/ <drf_format_suffix:format>", "handler": "app.v:Root"},
            {"path": "/api/", "raw_path": "api/ ^$", "handler": "app.v:Root"},
        ],
    }
    report = {
        "modules": [{"name": "app.subs"}, {"name": "app.v"}],
        "realtime": [
            {"kind": "graphql-subscription", "event": "order_created", "handler": "app.subs:OrderCreated"},
        ],
        "routes": [{"path": "/api/", "handler": "app.v:Root.get", "action": "get", "view": "app.v:Root"}],
    }
    result = score.score_app(truth, report, third_party=False)
    assert (result.scores["realtime"].tp, result.scores["realtime"].fn, result.scores["realtime"].fp) == (1, 1, 0)
    assert (result.scores["routes"].tp, result.scores["routes"].fn, result.scores["routes"].fp) == (1, 0, 0)


def test_test_code_is_left_out_of_the_ari_but_a_package_named_test_is_not() -> None:
    truth = {
        "modules": {
            "hc.api.models": "api",
            "hc.api.tests.test_ping": "api",
            "hc.front.views": "front",
            "hc.front.tests.test_details": "front",
            "dojo.test.views": "dojo",
            "conftest": "api",
        }
    }
    # Why: test code is never deployed; the truth labels it with its app, the tool groups it apart.
    assert score.truth_modules(truth) == {"hc.api.models": "api", "hc.front.views": "front", "dojo.test.views": "dojo"}
