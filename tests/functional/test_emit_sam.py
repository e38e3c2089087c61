"""`--emit-sam DIR`: SAM templates that cfn-lint accepts, written atomically outside the scanned tree.

reports/sam/<sample>/ holds each sample's folder as the current code writes it (test_reports_drift.py keeps
it in step with the code); these tests lint it, check its evidence, and drive the CLI option.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from migrate_scan.atomic_folders import MARKER
from migrate_scan.render.yaml_text import dump_yaml

ROOT = Path(__file__).resolve().parents[2]
SAM = ROOT / "reports" / "sam"
SAMPLES = ("flask_shop", "django_helpdesk")
APP = {
    "app/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n",
    "app/views.py": "from . import app\n\n\n@app.route('/items/<int:item_id>')\ndef item(item_id):\n    return 'x'\n",
    "wsgi.py": "from app import app\n",
}
# Resource types a reviewer reads first: each names the code it came from.
EVIDENCED = {
    "AWS::Serverless::Function",
    "AWS::Serverless::StateMachine",
    "AWS::Scheduler::Schedule",
    "AWS::ECS::TaskDefinition",
    "AWS::ApiGatewayV2::Api",
    "AWS::SNS::Topic",
}


def templates(sample: str) -> list[Path]:
    return sorted((SAM / sample).glob("*.yaml"))


@pytest.mark.parametrize("sample", SAMPLES)
def test_templates_pass_cfn_lint(sample: str) -> None:
    from cfnlint.api import lint_file

    found = templates(sample)
    assert len(found) >= 2, "run python scripts/make_reports.py"
    errors = [f"{path.name}: {match}" for path in found for match in lint_file(path) if match.rule.id.startswith("E")]

    assert errors == []


class _NoManagedPolicies:
    """The translator's managed-policy lookup, offline: the drafts name no managed policy."""

    def load(self) -> dict[str, str]:
        return {}


def sam_transformed(path: Path) -> dict[str, object]:
    """The template after the SAM transform, as `sam package` + `sam deploy` would give CloudFormation."""
    from samtranslator.translator.transform import transform

    template = yaml.safe_load(path.read_text(encoding="utf-8"))
    packaged = "s3://draft-bucket/app.zip"
    template.get("Globals", {}).get("Function", {}).update({"CodeUri": packaged})
    for resource in template["Resources"].values():
        properties = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):
            if key in properties:
                properties[key] = packaged
    return dict(transform(template, {}, _NoManagedPolicies()))


@pytest.mark.parametrize("sample", SAMPLES)
def test_templates_pass_cfn_lint_after_the_sam_transform(sample: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from cfnlint.api import lint

    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")  # the translator needs one to build ARNs
    errors = []
    for path in templates(sample):
        expanded = sam_transformed(path)
        errors += [
            f"{path.name}: {m}" for m in lint(json.dumps(expanded), regions=["us-east-1"]) if m.rule.id.startswith("E")
        ]

    assert errors == []


@pytest.mark.parametrize("sample", SAMPLES)
def test_every_main_resource_carries_evidence(sample: str) -> None:
    for path in templates(sample):
        resources = yaml.safe_load(path.read_text(encoding="utf-8"))["Resources"]
        for name, resource in resources.items():
            if resource["Type"] in EVIDENCED:
                evidence = resource["Metadata"]["MigrateScan"]["Evidence"]
                places = [place for entry in evidence for place in entry["Locations"]]
                assert places and all(":" in place for place in places), f"{path.name}: {name}"
                assert any(entry["Rule"].startswith("draft.") for entry in evidence), f"{path.name}: {name}"


def test_samples_get_the_pattern_resources() -> None:
    kinds: dict[str, set[str]] = {}
    for sample in SAMPLES:
        kinds[sample] = {
            resource["Type"]
            for path in templates(sample)
            for resource in yaml.safe_load(path.read_text(encoding="utf-8"))["Resources"].values()
        }
    for sample in SAMPLES:
        assert {
            "AWS::Serverless::Function",
            "AWS::Serverless::Api",
            "AWS::SQS::Queue",
            "AWS::Scheduler::Schedule",
            "AWS::ApiGatewayV2::Api",
            "AWS::ECS::TaskDefinition",
            "AWS::CloudWatch::Alarm",
            "AWS::CloudWatch::Dashboard",
            "AWS::Logs::QueryDefinition",
        } <= kinds[sample], sample
    for sample in SAMPLES:
        descriptions = " ".join(
            resource["Properties"]["AlarmDescription"]
            for path in templates(sample)
            for resource in yaml.safe_load(path.read_text(encoding="utf-8"))["Resources"].values()
            if resource["Type"] == "AWS::CloudWatch::Alarm"
        )
        for wanted in ("Lambda error rate above 1%", "dead-letter queue", "DynamoDB throttled", "latency at p99"):
            assert wanted in descriptions, (sample, wanted)


def test_no_stale_files_under_reports_sam() -> None:
    from test_reports_drift import load_make_reports

    produced = {name for name in load_make_reports().render_sample_reports.__globals__["SAMPLES"]}
    assert produced == set(SAMPLES)
    on_disk = {p.relative_to(SAM).as_posix() for p in SAM.rglob("*") if p.is_file()}
    assert all(name.split("/")[0] in SAMPLES for name in on_disk)


@pytest.mark.parametrize(
    "value",
    [
        {"a": "yes", "b": "on", "c": "null", "d": "1.5", "e": "0x10", "f": "2024-01-01", "g": "", "h": " x"},
        {"k: v": ["- item", "#comment", "a #b", "x: y", "{a}", "[b]", "*ref", "&anchor", "!tag", "%x", "@x"]},
        {"nested": [{"x": 1, "y": [True, False, None, 1.0, -2]}, [], {}], "quote": 'say "hi"\nline\ttab'},
        {"cron": "cron(0 9 ? * MON-FRI *)", "path": "/orders/{order_id}", "sub": "${StackPrefix}-x", "u": "caf\u00e9"},
    ],
)
def test_yaml_reads_back_to_the_same_data(value: dict[str, object]) -> None:
    assert yaml.safe_load(dump_yaml(value)) == value


def test_cli_writes_the_folder_and_replaces_its_own(run_cli, write_tree, tmp_path: Path) -> None:
    root = write_tree(tmp_path / "shop", APP)
    target = tmp_path / "draft"

    first = run_cli(root, "--no-cache", "-f", "json", "-o", tmp_path / "r.json", "--emit-sam", target)
    assert first.exit_code == 0, first.stderr
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["schema_version"] == "1"
    names = sorted(p.name for p in target.iterdir())
    contexts = [name for name in names if name.startswith("context-")]
    # the views' context, and the app shell that stays on Fargate (the strangler-fig host)
    assert names == sorted([MARKER, "README.md", "app", "shared.yaml", *contexts]) and len(contexts) == 2, names
    template = yaml.safe_load((target / "context-views.yaml").read_text(encoding="utf-8"))
    events = [
        event["Properties"]
        for resource in template["Resources"].values()
        for event in resource.get("Properties", {}).get("Events", {}).values()
    ]
    assert {"Path": "/items/{item_id}", "Method": "get"}.items() <= events[0].items()

    (target / "stale.yaml").write_text("old", encoding="utf-8")
    second = run_cli(root, "--no-cache", "-o", tmp_path / "r.json", "--emit-sam", target)
    assert second.exit_code == 0, second.stderr
    assert not (target / "stale.yaml").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".draft.")], "temporary folder left behind"


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("{root}/draft", "--emit-sam: the folder must be outside the scanned tree: "),
        ("{root}", "--emit-sam: the folder must be outside the scanned tree: "),
        ("{parent}", "--emit-sam: the folder must not contain the scanned tree: "),
        ("{foreign}", "--emit-sam: "),
        ("{missing}/draft", "--emit-sam: the parent folder does not exist: "),
    ],
)
def test_cli_refuses_bad_folders(run_cli, write_tree, tmp_path: Path, where: str, message: str) -> None:
    root = write_tree(tmp_path / "project" / "shop", APP)
    foreign = write_tree(tmp_path / "mine", {"notes.txt": "keep me"})
    places = {
        "{root}": str(root),
        "{parent}": str(root.parent),
        "{foreign}": str(foreign),
        "{missing}": str(tmp_path / "nope"),
    }
    for key, value in places.items():
        where = where.replace(key, value)

    result = run_cli(root, "--no-cache", "-o", tmp_path / "r.json", "--emit-sam", where)

    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"migrate-scan: error: {message}"), result.stderr
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert not (root / "draft").exists()
    assert not (tmp_path / "r.json").exists(), "refused before scanning"


def resources(sample: str, context: str) -> dict[str, dict[str, object]]:
    path = SAM / sample / f"context-{context}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["Resources"]  # type: ignore[no-any-return]


def test_flask_shop_fulfilment_canvas_becomes_its_state_machine() -> None:
    # shop/orders/workflow.py: chain(reserve_stock, charge_payment, chord(group(create_shipment, generate_invoice),
    # mark_order_fulfilled), notify_customer_shipped); the chord comes from the helper _shipping_steps.
    machines = {
        r["Metadata"]["MigrateScan"]["Workflow"]: r["Properties"]  # type: ignore[index]
        for r in resources("flask_shop", "orders").values()
        if r["Type"] == "AWS::Serverless::StateMachine"
    }
    assert "shop.orders.workflow:_shipping_steps" not in machines  # drafted inside the canvases that use it
    definition = machines["shop.orders.workflow:build_fulfilment_workflow"]["Definition"]
    states = definition["States"]

    assert definition["StartAt"] == "reserve_stock"
    assert [(name, state.get("Next")) for name, state in states.items()] == [
        ("reserve_stock", "charge_payment"),
        ("charge_payment", "Parallel"),
        ("Parallel", "mark_order_fulfilled"),
        ("mark_order_fulfilled", "notify_customer_shipped"),
        ("notify_customer_shipped", None),
    ]
    assert [b["StartAt"] for b in states["Parallel"]["Branches"]] == ["create_shipment", "generate_invoice"]
    assert states["reserve_stock"]["Retry"][0]["MaxAttempts"] == 3  # max_retries=3
    substitutions = machines["shop.orders.workflow:build_fulfilment_workflow"]["DefinitionSubstitutions"]
    reference = states["notify_customer_shipped"]["Parameters"]["FunctionName"][2:-1]
    assert "Fn::ImportValue" in substitutions[reference]  # a task of the notifications context
    approval = machines["shop.orders.workflow:build_approval_workflow"]["Definition"]["States"]
    assert approval["hold_for_approval"]["Resource"].endswith(".waitForTaskToken")


def test_django_helpdesk_beat_schedules() -> None:
    schedules = {
        r["Metadata"]["MigrateScan"]["Source"]: r["Properties"]["ScheduleExpression"]  # type: ignore[index]
        for context in ("tickets", "reporting", "escalations", "notifications")
        for r in resources("django_helpdesk", context).values()
        if r["Type"] == "AWS::Scheduler::Schedule"
    }

    assert schedules == {  # helpdesk/settings.py CELERY_BEAT_SCHEDULE, by hand
        "every 300s": "rate(5 minutes)",
        "crontab(30 2 * * *)": "cron(30 2 * * ? *)",
        "every 3600s": "rate(1 hour)",
        "crontab(0 1 * * *)": "cron(0 1 * * ? *)",
        "crontab(0 6 * * mon)": "cron(0 6 ? * MON *)",
        "crontab(15 3 * * sun)": "cron(15 3 ? * SUN *)",
    }


def test_readme_deploys_exporting_contexts_before_importing_ones() -> None:
    readme = (SAM / "flask_shop" / "README.md").read_text(encoding="utf-8")
    order = next(line for line in readme.splitlines() if line.startswith("Deploy order: "))

    # the orders workflows run notify_customer_shipped, exported by the notifications template
    assert (
        order.index("`shared.yaml`")
        < order.index("`context-notifications.yaml`")
        < order.index("`context-orders.yaml`")
    )


def test_authorizer_placeholder_only_on_methods_whose_views_check_the_caller() -> None:
    template = yaml.safe_load((SAM / "flask_shop" / "context-catalog.yaml").read_text(encoding="utf-8"))
    resources = template["Resources"]
    api = next(r for r in resources.values() if r["Type"] == "AWS::Serverless::Api")
    assert list(api["Properties"]["Auth"]["Authorizers"]) == ["MonolithAuthorizer"]
    assert any(e["Rule"] == "auth.decorator.named" for e in api["Metadata"]["MigrateScan"]["Evidence"])
    methods = {
        (event["Properties"]["Method"], event["Properties"]["Path"]): "Auth" in event["Properties"]
        for resource in resources.values()
        for event in resource.get("Properties", {}).get("Events", {}).values()
        if event["Type"] == "Api"
    }
    # ProductAPI: reads are open, writes go through @admin_required (which applies @login_required)
    assert methods[("get", "/catalog/products")] is False
    assert methods[("post", "/catalog/products")] is True
    assert methods[("delete", "/catalog/products/{product_id}")] is True
    assert methods[("get", "/catalog/search")] is False


def test_dashboard_and_queries_watch_the_context_resources() -> None:
    template = yaml.safe_load((SAM / "django_helpdesk" / "context-escalations.yaml").read_text(encoding="utf-8"))
    resources = template["Resources"]
    dashboard = next(r for r in resources.values() if r["Type"] == "AWS::CloudWatch::Dashboard")
    body = json.loads(dashboard["Properties"]["DashboardBody"]["Fn::Sub"])
    titles = [w["properties"]["title"] for w in body["widgets"]]
    assert {"Lambda invocations", "Lambda errors", "SQS messages", "DLQ depth", "Step Functions executions"} <= set(
        titles
    )
    queries = {
        r["Properties"]["Name"]["Fn::Sub"].rpartition("/")[2]: r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::Logs::QueryDefinition"
    }
    assert set(queries) >= {"lambda-errors", "step-functions-failed-executions"}
    for query in queries.values():  # every log group it reads is one of the template's
        assert all(resources[group["Ref"]]["Type"] == "AWS::Logs::LogGroup" for group in query["LogGroupNames"])


def test_schedules_run_in_the_celery_timezone() -> None:
    zones = {
        sample: {
            r["Properties"]["ScheduleExpressionTimezone"]
            for path in templates(sample)
            for r in yaml.safe_load(path.read_text(encoding="utf-8"))["Resources"].values()
            if r["Type"] == "AWS::Scheduler::Schedule"
        }
        for sample in SAMPLES
    }
    # django_helpdesk: CELERY_TIMEZONE = TIME_ZONE ("Europe/Berlin"); flask_shop: conf.update(timezone="UTC")
    assert zones == {"django_helpdesk": {"Europe/Berlin"}, "flask_shop": {"UTC"}}


def _defined_names(path: Path) -> set[str]:
    """Top-level names a module defines (functions, classes, assignments, imports)."""
    import ast

    tree = ast.parse(path.read_bytes())
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).partition(".")[0] for a in node.names}
    return names


def _module_file(root: Path, dotted: str) -> Path | None:
    base = root.joinpath(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@pytest.mark.parametrize("sample", SAMPLES)
def test_handler_adapters_parse_and_their_imports_resolve_in_the_sample(sample: str) -> None:
    import ast

    root = ROOT / "sample_monoliths" / sample
    adapters = SAM / sample / "app" / "adapters"
    handlers = {
        resource["Properties"]["Handler"]
        for path in templates(sample)
        for resource in yaml.safe_load(path.read_text(encoding="utf-8"))["Resources"].values()
        if resource["Type"] == "AWS::Serverless::Function"
    }
    assert handlers, sample
    for handler in sorted(handlers):  # every Handler names a generated module with a `handler`
        package, module, attribute = handler.split(".")
        assert (package, attribute) == ("adapters", "handler"), handler
        assert "handler" in _defined_names(adapters / f"{module}.py"), handler
    runtime = ast.parse((adapters / "runtime.py").read_bytes())
    top_imports = {n.module for n in runtime.body if isinstance(n, ast.ImportFrom)}
    top_imports |= {a.name for n in runtime.body if isinstance(n, ast.Import) for a in n.names}
    assert top_imports <= {"__future__", "json", "os", "collections.abc", "typing"}  # adapters' own deps: lazily
    for path in sorted(p for p in adapters.glob("*.py") if p.name not in ("runtime.py", "__init__.py")):
        tree = ast.parse(path.read_bytes())
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module and node.module != "adapters":
                source = _module_file(root, node.module)
                assert source is not None, f"{path.name}: {node.module}"
                for alias in node.names:
                    assert alias.name in _defined_names(source), f"{path.name}: {node.module}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    assert _module_file(root, alias.name) is not None, f"{path.name}: {alias.name}"


def test_adapter_runtime_calls_tasks_and_reports_partial_batch_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    namespace: dict[str, object] = {}
    exec(
        compile(
            (SAM / "flask_shop" / "app" / "adapters" / "runtime.py").read_text(encoding="utf-8"), "runtime", "exec"
        ),
        namespace,
    )
    calls: list[tuple[object, ...]] = []

    def task(*args: object, **kwargs: object) -> str:
        calls.append((*args, *sorted(kwargs.items())))
        if args == ("boom",):
            raise ValueError("boom")
        return "done"

    handler = namespace["sqs_handler"]({"orders.charge": (task,)})  # type: ignore[operator]
    records = [
        {"messageId": "1", "body": json.dumps({"task": "orders.charge", "args": [7], "kwargs": {"retry": True}})},
        {"messageId": "2", "body": json.dumps({"task": "orders.charge", "args": ["boom"]})},
    ]
    assert handler({"Records": records}, None) == {"batchItemFailures": [{"itemIdentifier": "2"}]}
    # a Step Functions lambda:invoke: the state's input is the task's one argument
    assert handler({"task": "orders.charge", "input": {"order": 3}}, None) == "done"
    assert calls == [(7, ("retry", True)), ("boom",), ({"order": 3},)]


def test_data_store_from_access_patterns_or_aurora_where_queries_join() -> None:
    orders = yaml.safe_load((SAM / "flask_shop" / "context-orders.yaml").read_text(encoding="utf-8"))["Resources"]
    table = orders["OrderTable"]
    indexes = {
        i["IndexName"]: [k["AttributeName"] for k in i["KeySchema"]]
        for i in table["Properties"]["GlobalSecondaryIndexes"]
    }
    # Order.query.filter_by(user_id=...).order_by(Order.created_at.desc()) and filter_by(status=...) likewise
    assert indexes == {
        "ByStatusAndCreatedAt": ["status", "created_at"],
        "ByUserIdAndCreatedAt": ["user_id", "created_at"],
    }
    assert table["Properties"]["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert any(e["Rule"] == "draft.data-table" for e in table["Metadata"]["MigrateScan"]["Evidence"])
    assert not [r for r in orders.values() if r["Type"] == "AWS::RDS::DBCluster"]

    tickets = yaml.safe_load((SAM / "django_helpdesk" / "context-tickets.yaml").read_text(encoding="utf-8"))
    clusters = [r for r in tickets["Resources"].values() if r["Type"] == "AWS::RDS::DBCluster"]
    assert len(clusters) == 1 and clusters[0]["Metadata"]["MigrateScan"]["Joins"]
    assert {"AWS::RDS::DBProxy", "AWS::RDS::DBProxyTargetGroup"} <= {r["Type"] for r in tickets["Resources"].values()}
    assert not [
        r
        for r in tickets["Resources"].values()
        if r["Type"] == "AWS::DynamoDB::Table" and "Model" in r["Metadata"]["MigrateScan"]
    ]
    assert any("Aurora Serverless v2" in d for d in tickets["Metadata"]["MigrateScan"]["Decisions"])


def test_one_api_method_per_path_when_several_routes_meet_there(run_cli, write_tree, tmp_path: Path) -> None:
    # `/items/<id>` and `/items/<id>/` are one API Gateway resource: a second GET there fails the SAM transform
    app = {
        **APP,
        "app/views.py": "from . import app\n\n\n"
        "@app.route('/items/<int:item_id>')\n@app.route('/items/<int:item_id>/')\ndef item(item_id):\n    return 'x'\n",
    }
    root = write_tree(tmp_path / "shop", app)
    target = tmp_path / "draft"
    result = run_cli(root, "--no-cache", "-o", tmp_path / "r.json", "--emit-sam", target)
    assert result.exit_code == 0, result.stderr
    template = yaml.safe_load((target / "context-views.yaml").read_text(encoding="utf-8"))
    methods = [
        (event["Properties"]["Path"], event["Properties"]["Method"])
        for resource in template["Resources"].values()
        for event in resource.get("Properties", {}).get("Events", {}).values()
    ]
    assert methods == [("/items/{item_id}", "get")]


def test_markdown_report_links_to_the_draft_relative_to_itself(run_cli, write_tree, tmp_path: Path) -> None:
    root = write_tree(tmp_path / "shop", APP)
    (tmp_path / "out").mkdir()
    result = run_cli(
        root, "--no-cache", "-f", "markdown", "-o", tmp_path / "out" / "r.md", "--emit-sam", tmp_path / "draft"
    )
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "out" / "r.md").read_text(encoding="utf-8")
    assert "](../draft/context-views.yaml)" in text and "(../draft/README.md)" in text
