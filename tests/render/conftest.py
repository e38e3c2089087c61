"""A hand-built `Report` for the renderer tests: every section filled, hostile strings included.

Four contexts (two business, a shared kernel, an app shell), a four-stage plan
with items, warnings of all three categories (one suppressed), modules with
pattern/stage/compute and weighted dependencies. Names carry `<script>`, quotes
and ampersands so every renderer's escaping is exercised.
"""

from __future__ import annotations

import pytest

from migrate_scan.model.ids import Location
from migrate_scan.model.report import (
    Architecture,
    Context,
    DataModel,
    Decomposition,
    Dependency,
    Event,
    Evidence,
    Files,
    Framework,
    Job,
    Module,
    Plan,
    PlanItem,
    PlanStage,
    Project,
    Realtime,
    Relation,
    Report,
    Route,
    ServiceNeed,
    SkippedFile,
    StaysOffLambda,
    Suppression,
    Tool,
    Totals,
    Warning,
)

HOSTILE = '<script>alert("x&y")</script>'
ORDERS = f"orders {HOSTILE}"


def _at(file: str, line: int) -> Location:
    return Location(file=file, line=line)


def _module(name: str, file: str, context: str, **extra: object) -> Module:
    fields: dict[str, object] = {
        "name": name,
        "file": file,
        "lines": 40,
        "source_lines": 30,
        "complexity": 6,
        "max_complexity": 3,
        "parser": "ast",
        "context": context,
    }
    fields.update(extra)
    return Module.model_validate(fields)


def build_report() -> Report:
    """The full report every renderer test starts from."""
    modules = [
        _module(
            "shop.catalog.views",
            "shop/catalog/views.py",
            "catalog",
            pattern=1,
            stage=1,
            compute="lambda",
            confidence=0.9,
            role="business",
            evidence=[Evidence(rule="CL101", locations=[_at("shop/catalog/views.py", 3)])],
        ),
        _module(
            "shop.orders.tasks",
            "shop/orders/tasks.py",
            "orders",
            pattern=3,
            stage=2,
            compute="lambda",
            confidence=0.8,
            role="business",
            complexity=21,
        ),
        _module(
            "shop.orders.video",
            "shop/orders/video.py",
            "orders",
            pattern=5,
            stage=4,
            compute="fargate",
            confidence=0.7,
            role="business",
            lines=400,
        ),
        _module("shop.core.db", "shop/core/db.py", "core", role="shared-kernel"),
        _module("shop.app", "shop/app.py", "shell", role="app-shell", compute="ec2"),
        _module(f"shop.weird_{'x'}", 'shop/we"ird&<b>.py', "catalog", pattern=1, stage=1, compute="lambda"),
    ]
    contexts = [
        Context(
            name="catalog",
            modules=["shop.catalog.views", "shop.weird_x"],
            seed="blueprint",
            models_owned=["shop.catalog.models:Product"],
            models_used=["shop.orders.models:Order"],
            routes=4,
            pattern=1,
            stage=1,
            compute=["lambda"],
            confidence=0.9,
            services=[
                ServiceNeed(service="Lambda", need="required", why="4 stateless routes"),
                ServiceNeed(service="API Gateway", need="required"),
                ServiceNeed(service="Step Functions", need="avoid", why=f"no workflow {HOSTILE}"),
                ServiceNeed(service="Cognito", need="optional"),
            ],
            depends_on=["core", ORDERS],
            dependencies=[
                Dependency(
                    context="core", weight=6.5, kinds=["import", "call"], locations=[_at("shop/catalog/views.py", 2)]
                ),
                Dependency(context=ORDERS, weight=2.0, kinds=["model-access"]),
            ],
            rationale=f'Seeded by the "catalog" blueprint & {HOSTILE}',
            effort=3,
            evidence=[Evidence(rule="CL101", locations=[_at("shop/catalog/views.py", 3)])],
        ),
        Context(
            name=ORDERS,
            modules=["shop.orders.tasks", "shop.orders.video"],
            seed="package",
            models_owned=["shop.orders.models:Order"],
            jobs=3,
            routes=2,
            pattern=3,
            stage=2,
            fan_out="sns",
            compute=["fargate", "lambda"],
            depends_on=["core", "catalog"],
            dependencies=[Dependency(context="catalog", weight=1.5, kinds=["call"])],
            effort=8,
        ),
        Context(name="core", kind="shared-kernel", modules=["shop.core.db"], seed="package"),
        Context(name="shell", kind="app-shell", modules=["shop.app"], seed="package", depends_on=["catalog"]),
    ]
    plan = Plan(
        stages=[
            PlanStage(
                stage=1,
                pattern=1,
                title="Simple REST API",
                contexts=["catalog"],
                items=[
                    PlanItem(
                        context="catalog",
                        modules=["shop.catalog.views"],
                        pattern=1,
                        compute=["lambda"],
                        services=["Lambda", "API Gateway", "DynamoDB"],
                        data=["shop.catalog.models:Product"],
                        steps=["Convert views to handlers"],
                        effort=3,
                        why_here=f"least coupled; {HOSTILE}",
                    )
                ],
                services=["Lambda", "API Gateway"],
                effort=3,
            ),
            PlanStage(
                stage=2,
                pattern=3,
                title="Async tasks",
                contexts=[ORDERS],
                items=[
                    PlanItem(
                        context=ORDERS,
                        pattern=3,
                        compute=["lambda"],
                        services=["SNS", "SQS"],
                        data=["shop.orders.models:Order"],
                        effort=5,
                        why_here="depends on catalog",
                    )
                ],
                effort=5,
            ),
            PlanStage(stage=3, pattern=4, title="Workflows", effort=0),
            PlanStage(
                stage=4,
                pattern=5,
                title="Whole app",
                contexts=["shell"],
                items=[PlanItem(context="shell", pattern=5, compute=["fargate"], effort=13)],
                steps=["Split the app shell"],
                effort=13,
            ),
        ],
        effort=21,
        effort_scale="1/2/3/5/8/13 from size, complexity and coupling.",
        off_lambda=[
            StaysOffLambda(module="shop.orders.video", compute="fargate", reason="runs past 15 minutes", rule="BL201")
        ],
    )
    warnings = [
        Warning(
            rule="BL201",
            category="mandatory",
            kind="blocker",
            title="Work longer than Lambda's 15 minutes",
            message=f"transcode() runs for 40 minutes {HOSTILE}",
            fix="Run it on Fargate.",
            locations=[_at("shop/orders/video.py", 12), _at("shop/orders/video.py", 30)],
            modules=["shop.orders.video"],
            contexts=[ORDERS],
            compute="fargate",
        ),
        Warning(
            rule="AP202",
            category="optional",
            kind="anti-pattern",
            title="Distributed monolith",
            message="catalog and orders call each other synchronously.",
            fix="Talk through events.",
            locations=[_at("shop/catalog/views.py", 8)],
            contexts=["catalog", ORDERS],
        ),
        Warning(
            rule="OE301",
            category="potential",
            kind="over-engineering",
            title="Step Functions for one step",
            message="A one-step flow does not need a state machine.",
            fix="Call the Lambda directly.",
            locations=[_at("shop/orders/tasks.py", 0)],
        ),
        Warning(
            rule="BL102",
            category="mandatory",
            kind="blocker",
            title="Writes to the local disk",
            message="open('/var/data', 'w')",
            fix="Write to S3.",
            locations=[_at("shop/catalog/views.py", 20)],
            modules=["shop.catalog.views"],
            suppressed=Suppression(reason="only in dev & tests", location=_at("shop/catalog/views.py", 20)),
        ),
        Warning(
            rule="BL103",
            category="potential",
            kind="blocker",
            title="Module-level state",
            message="a global cache",
            fix="Use ElastiCache.",
            locations=[],
            modules=["shop.core.db"],
            suppressed=Suppression(reason="accepted by the team"),
        ),
    ]
    return Report(
        tool=Tool(version="9.9.9"),
        project=Project(
            name="shop",
            frameworks=[
                Framework(name="flask", evidence=Evidence(rule="flask.import", locations=[_at("shop/app.py", 1)]))
            ],
            source_roots=["."],
            totals=Totals(files=7, analyzed=6, skipped=1, lines=600, source_lines=480),
        ),
        files=Files(
            analyzed=6,
            skipped=[SkippedFile(path="shop/bad.py", reason="syntax-error", message="invalid syntax", line=2)],
        ),
        routes=[
            Route(
                methods=["GET"],
                path="/products/{id}",
                raw_path="/products/<int:id>",
                handler="shop.catalog.views:product",
                framework="flask",
                location=_at("shop/catalog/views.py", 3),
                reads=["shop.catalog.models:Product"],
            ),
        ],
        jobs=[
            Job(
                kind="celery-task",
                name="orders.transcode",
                handler="shop.orders.video:transcode",
                location=_at("shop/orders/video.py", 12),
            ),
        ],
        models=[
            DataModel(
                name="Product",
                symbol="shop.catalog.models:Product",
                orm="sqlalchemy",
                table="products",
                location=_at("shop/catalog/models.py", 5),
            ),
            DataModel(
                name="Order",
                symbol="shop.orders.models:Order",
                orm="sqlalchemy",
                table="orders",
                relations=[Relation(kind="foreign-key", target="shop.catalog.models:Product")],
                location=_at("shop/orders/models.py", 5),
            ),
        ],
        realtime=[
            Realtime(kind="socketio-event", handler="shop.app:on_join", event="join", location=_at("shop/app.py", 30))
        ],
        events=[
            Event(
                kind="blinker",
                signal="order_placed",
                receiver="shop.orders.tasks:notify",
                location=_at("shop/orders/tasks.py", 4),
            )
        ],
        modules=modules,
        contexts=contexts,
        decomposition=Decomposition(
            method="seeded by blueprints; louvain seed 0",
            metrics={"modularity": 0.41, "ICP": 0.12},
            shared_models=["shop.orders.models:Order"],
        ),
        architecture=Architecture(
            pattern=5,
            stage=4,
            confidence=0.75,
            summary=f"Hybrid microservices; {HOSTILE}",
            evidence=[Evidence(rule="AR501", locations=[_at("shop/app.py", 1)])],
        ),
        plan=plan,
        warnings=warnings,
    )


def build_empty_report() -> Report:
    """A report as today's pipeline may give it: inventory only, no contexts, plan or warnings."""
    return Report(
        tool=Tool(version="9.9.9"),
        project=Project(
            name="bare",
            frameworks=[],
            source_roots=["."],
            totals=Totals(files=1, analyzed=1, skipped=0, lines=3, source_lines=3),
        ),
        files=Files(analyzed=1, skipped=[]),
        modules=[_module("app", "app.py", "").model_copy(update={"context": None})],
    )


@pytest.fixture
def full_report() -> Report:
    return build_report()


@pytest.fixture
def empty_report() -> Report:
    return build_empty_report()
