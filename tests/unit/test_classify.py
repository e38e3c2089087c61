"""Classify and plan stages: each decision rule (PT*) and warning rule (MS*), positive and negative.

Apps are small multi-file trees parsed, linked and recognized the way the
pipeline does it. The clustering is built by hand (context = the top-level
package, with kinds given per test), so these tests check the decision tree,
the findings and the plan, not the cluster stage.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace

import pytest
from snippets import facts_of

from migrate_scan.heuristics.loader import Heuristics, load_heuristics
from migrate_scan.model.analysis import Classification, Clustering, ContextGroup, CrossEdge, MigrationPlan
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Blocker, Recognition
from migrate_scan.model.report import Signal
from migrate_scan.stages.classify import ClassifySettings, ConfigSuppression, classify
from migrate_scan.stages.link import link
from migrate_scan.stages.plan import _coupling, _extraction_order, plan
from migrate_scan.stages.recognize import recognize


@pytest.fixture(scope="module")
def heuristics() -> Heuristics:
    return load_heuristics()


@dataclass
class Analysis:
    recognition: Recognition
    clustering: Clustering
    classification: Classification
    plan: MigrationPlan

    def module(self, name: str):
        return next(m for m in self.classification.modules if m.name == name)

    def context(self, name: str):
        return next(c for c in self.classification.contexts if c.name == name)

    def rules(self) -> list[tuple[str, str]]:
        """(rule, first location) of every warning."""
        return [
            (w.rule, f"{w.locations[0].file}:{w.locations[0].line}" if w.locations else "")
            for w in self.classification.warnings
        ]


def analyze(
    files: Mapping[str, str],
    heuristics: Heuristics,
    kinds: Mapping[str, str] | None = None,
    edit: callable | None = None,  # type: ignore[valid-type]
    settings: ClassifySettings | None = None,
) -> Analysis:
    graphs = link(facts_of(files))
    recognition = recognize(graphs, heuristics)
    if edit is not None:
        recognition = edit(recognition)
    kinds = kinds or {}
    context_of = {module: module.split(".")[0] for module in graphs.modules}
    members: dict[str, list[str]] = defaultdict(list)
    for module, context in context_of.items():
        members[context].append(module)
    owned: dict[str, list[str]] = defaultdict(list)
    for model in recognition.models:
        owned[context_of[model.symbol.partition(":")[0]]].append(model.symbol)
    weights: dict[tuple[str, str], list[Location]] = defaultdict(list)
    for source, target, data in graphs.import_graph.edges(data=True):
        a, b = context_of.get(source), context_of.get(target)
        if a and b and a != b:
            weights[(a, b)].append(Location(file=graphs.modules[source].path, line=data.get("line", 1)))
    clustering = Clustering(
        contexts=tuple(
            ContextGroup(
                name=name,
                kind=kinds.get(name, "business"),  # type: ignore[arg-type]
                modules=tuple(sorted(modules)),
                seed="package",
                rationale=f"package `{name}`.",
                models_owned=tuple(sorted(owned.get(name, ()))),
            )
            for name, modules in sorted(members.items())
        ),
        module_context=context_of,
        dependencies=tuple(
            CrossEdge(a, b, float(len(locations)), ("import",), tuple(locations))
            for (a, b), locations in sorted(weights.items())
        ),
    )
    classification = classify(graphs, recognition, clustering, heuristics, settings)
    return Analysis(recognition, clustering, classification, plan(classification, clustering, heuristics))


def with_thresholds(heuristics: Heuristics, rule_id: str, **thresholds: float) -> Heuristics:
    rules = tuple(
        rule.model_copy(update={"thresholds": {**rule.thresholds, **thresholds}}) if rule.id == rule_id else rule
        for rule in heuristics.rules
    )
    return replace(heuristics, rules=rules)


SHOP = {
    "shop/__init__.py": """
        from flask import Flask
        from flask_socketio import SocketIO
        socketio = SocketIO()

        def create_app():
            app = Flask(__name__)
            from orders.routes import bp as orders_bp
            from catalog.views import bp as catalog_bp
            app.register_blueprint(orders_bp, url_prefix="/orders")
            app.register_blueprint(catalog_bp, url_prefix="/catalog")
            socketio.init_app(app)
            return app
    """,
    "wsgi.py": """
        from shop import create_app
        app = create_app()
    """,
    "catalog/__init__.py": "",
    "catalog/models.py": """
        from flask_sqlalchemy import SQLAlchemy
        db = SQLAlchemy()

        class Product(db.Model):
            id = db.Column(db.Integer, primary_key=True)
    """,
    "catalog/views.py": """
        from flask import Blueprint
        from catalog.models import Product, db
        from catalog.pricing import price_of
        bp = Blueprint("catalog", __name__)

        @bp.get("/")
        def list_products():
            return [price_of(p) for p in Product.query.all()]

        @bp.post("/")
        def create_product():
            db.session.add(Product())
            db.session.commit()
            return "", 201
    """,
    "catalog/pricing.py": """
        def price_of(product):
            return product.id * 100
    """,
    "orders/__init__.py": "",
    "orders/models.py": """
        from catalog.models import db

        class Order(db.Model):
            id = db.Column(db.Integer, primary_key=True)
    """,
    "orders/routes.py": """
        from flask import Blueprint
        from orders import services
        from orders.models import Order
        bp = Blueprint("orders", __name__)

        @bp.get("/")
        def history():
            return [o.id for o in Order.query.all()]

        @bp.post("/checkout")
        def checkout():
            return services.place_order()

        @bp.post("/<int:order_id>/approve")
        def approve_order(order_id):
            return services.resume(order_id)
    """,
    "orders/services.py": """
        from orders.models import Order, db
        from orders.workflow import start, resume_after_approval

        def place_order():
            order = Order()
            db.session.add(order)
            db.session.commit()
            start(order.id)
            return order.id

        def resume(order_id):
            resume_after_approval(order_id)
            return order_id
    """,
    "orders/workflow.py": """
        from celery import chain
        from orders.tasks import reserve_stock, hold_for_approval, charge_payment, ship

        def start(order_id):
            chain(reserve_stock.s(order_id), hold_for_approval.s(), charge_payment.s()).apply_async()

        def resume_after_approval(order_id):
            chain(charge_payment.si(order_id), ship.s()).apply_async()
    """,
    "orders/tasks.py": """
        from celery import shared_task

        @shared_task(max_retries=3)
        def reserve_stock(order_id):
            return order_id

        @shared_task
        def hold_for_approval(order_id):
            return order_id

        @shared_task(autoretry_for=(IOError,), max_retries=5)
        def charge_payment(order_id):
            return order_id

        @shared_task
        def ship(order_id):
            return order_id
    """,
    "live/__init__.py": "",
    "live/events.py": """
        from shop import socketio

        @socketio.on("subscribe", namespace="/orders")
        def subscribe(data):
            return data

        @socketio.on("unsubscribe", namespace="/orders")
        def unsubscribe(data):
            return data
    """,
    "notify/__init__.py": "",
    "notify/tasks.py": """
        import time
        from celery import shared_task

        @shared_task(time_limit=1800)
        def nightly_digest():
            return 1

        @shared_task
        def send_mail(to):
            return to

        def poll_forever():
            while True:
                time.sleep(5)
    """,
}
SHOP_KINDS = {"shop": "app-shell", "wsgi": "app-shell"}


@pytest.fixture(scope="module")
def shop(heuristics: Heuristics) -> Analysis:
    return analyze(SHOP, heuristics, SHOP_KINDS)


# --- decision rules ---


def test_pt201_socket_handlers_are_realtime(shop: Analysis) -> None:
    assert (shop.module("live.events").pattern, shop.module("live.events").evidence[0].rule) == (2, "PT201")
    assert shop.context("live").pattern == 2
    assert shop.module("catalog.views").pattern != 2  # negative: plain routes


def test_pt401_workflow_with_human_approval(shop: Analysis) -> None:
    orders = shop.context("orders")
    assert (orders.pattern, orders.stage, orders.workflow, orders.evidence[0].rule) == (4, 3, "standard", "PT401")
    assert shop.module("orders.workflow").evidence[0].rule == "PT401"


def test_pt401_negative_without_approval_or_long_steps(heuristics: Heuristics) -> None:
    files = dict(SHOP)
    files["orders/tasks.py"] = files["orders/tasks.py"].replace("hold_for_approval", "hold")
    files["orders/workflow.py"] = files["orders/workflow.py"].replace("hold_for_approval", "hold")
    files["orders/routes.py"] = files["orders/routes.py"].replace("approve_order", "continue_order")
    for name in ("orders/workflow.py", "orders/services.py"):
        files[name] = files[name].replace("resume_after_approval", "resume_later")
    analysis = analyze(files, heuristics, SHOP_KINDS)
    assert analysis.context("orders").pattern != 4
    assert analysis.context("orders").workflow is None


def test_pt401_long_running_step_makes_a_workflow(heuristics: Heuristics) -> None:
    files = dict(SHOP)
    files["orders/tasks.py"] = (
        files["orders/tasks.py"]
        .replace("hold_for_approval", "hold")
        .replace("@shared_task\ndef ship", "@shared_task(time_limit=1200)\ndef ship")
    )
    files["orders/tasks.py"] = files["orders/tasks.py"].replace(
        "@shared_task(max_retries=3)", "@shared_task(max_retries=3, soft_time_limit=600)"
    )
    files["orders/workflow.py"] = files["orders/workflow.py"].replace("hold_for_approval", "hold")
    files["orders/routes.py"] = files["orders/routes.py"].replace("approve_order", "continue_order")
    analysis = analyze(files, heuristics, SHOP_KINDS)
    assert (analysis.context("orders").pattern, analysis.context("orders").workflow) == (4, "standard")


def test_pt402_participants_of_the_workflow(shop: Analysis) -> None:
    assert shop.module("orders.routes").pattern == 4  # checkout starts it, approve_order resumes it
    assert shop.module("orders.tasks").pattern == 4  # its tasks are the steps
    assert shop.module("orders.services").pattern == 4  # inherited from the routes that use it
    assert shop.module("orders.models").pattern == 4  # written by workflow participants


def test_pt302_background_work(shop: Analysis) -> None:
    module = shop.module("notify.tasks")
    assert (module.pattern, module.stage, module.evidence[0].rule) == (3, 2, "PT302")
    assert shop.context("notify").pattern == 3


def test_pt301_fan_out_and_broker_choice(heuristics: Heuristics) -> None:
    files = {
        **SHOP,
        "shop/signals.py": """
            from blinker import Namespace
            ns = Namespace()
            order_placed = ns.signal("order-placed")
        """,
        "audit/__init__.py": "",
        "audit/receivers.py": """
            from shop.signals import order_placed

            @order_placed.connect
            def record(sender, **extra):
                return sender
        """,
        "notify/receivers.py": """
            from shop.signals import order_placed

            @order_placed.connect
            def mail(sender, **extra):
                return sender
        """,
    }
    analysis = analyze(files, heuristics, SHOP_KINDS)
    assert analysis.module("audit.receivers").evidence[0].rule == "PT301"
    notify = analysis.context("notify")
    assert notify.evidence[0].rule == "PT301"
    sns_or_bridge = {c.fan_out for c in analysis.classification.contexts} - {None}
    assert sns_or_bridge <= {"sns"}  # 2 subscribers: SNS, never EventBridge
    single = {k: v for k, v in files.items() if k != "audit/receivers.py"}
    assert analyze(single, heuristics, SHOP_KINDS).module("notify.receivers").evidence[0].rule == "PT302"


def test_pt101_routes_are_crud(shop: Analysis) -> None:
    module = shop.module("catalog.views")
    assert (module.pattern, module.stage, module.compute, module.evidence[0].rule) == (1, 1, "lambda", "PT101")
    assert shop.context("catalog").pattern == 1


def test_pt102_helpers_and_models_follow_their_users(shop: Analysis) -> None:
    assert (shop.module("catalog.pricing").pattern, shop.module("catalog.pricing").evidence[0].rule) == (1, "PT102")
    assert shop.module("catalog.models").pattern == 1


def test_pt103_shared_kernel(heuristics: Heuristics) -> None:
    files = {**SHOP, "common/__init__.py": "", "common/money.py": "def cents(x):\n    return int(x * 100)\n"}
    analysis = analyze(files, heuristics, {**SHOP_KINDS, "common": "shared-kernel"})
    assert analysis.context("common").pattern is None
    assert (analysis.module("common.money").pattern, analysis.module("common.money").evidence[0].rule) == (1, "PT103")
    assert analysis.plan.plan.stages[0].items[0].context == "common"  # the layer ships first


def test_pt501_many_domains_make_the_application_pattern_5(heuristics: Heuristics, shop: Analysis) -> None:
    assert shop.classification.app_pattern != 5  # negative: 13 entry points < 20
    lowered = with_thresholds(heuristics, "PT501", min_entry_points=10)
    analysis = analyze(SHOP, lowered, SHOP_KINDS)
    assert analysis.classification.app_pattern == 5
    assert [s.stage for s in analysis.plan.plan.stages][-1] == 4


def test_app_shell_stays_on_fargate(shop: Analysis) -> None:
    assert (shop.module("wsgi").pattern, shop.module("wsgi").compute) == (None, "fargate")
    assert shop.context("shop").kind == "app-shell"
    assert "wsgi" in {s.module for s in shop.plan.plan.off_lambda}


def test_services_checklist_follows_the_context(shop: Analysis) -> None:
    needs = {s.service: s.need for s in shop.context("orders").services}
    assert needs["Step Functions"] == "required"
    assert needs["API Gateway REST API"] == "required"
    catalog = {s.service: s.need for s in shop.context("catalog").services}
    assert catalog["Step Functions"] == "not-needed"
    assert catalog["DynamoDB"] == "required"


# --- warnings ---


def test_ms103_long_running_job_positive_and_negative(shop: Analysis) -> None:
    assert ("MS103", "notify/tasks.py:5") in shop.rules() or ("MS103", "notify/tasks.py:6") in shop.rules()
    flagged = [w for w in shop.classification.warnings if w.rule == "MS103"]
    assert len(flagged) == 1 and flagged[0].category == "mandatory" and flagged[0].compute == "fargate"
    assert shop.module("notify.tasks").compute == "fargate"


def test_ms104_always_on_loop(shop: Analysis, heuristics: Heuristics) -> None:
    assert ("MS104", "notify/tasks.py:14") in shop.rules()
    files = dict(SHOP)
    files["notify/tasks.py"] = files["notify/tasks.py"].replace("while True:", "while not done():")
    assert "MS104" not in {rule for rule, _ in analyze(files, heuristics, SHOP_KINDS).rules()}


@pytest.mark.parametrize(
    ("loop", "is_worker"),
    [
        # a flag-controlled loop that sleeps: a worker (healthchecks' sendalerts)
        ("while not self.shutdown:\n        time.sleep(2)", True),
        ("while not self.stop.is_set():\n        time.sleep(2)", True),
        # never leaves: a worker even without a sleep
        ("while True:\n        self.step()", True),
        # a search loop: returns once it finds a free name, never waits
        ("while True:\n        self.n += 1\n        if self.n > 3:\n            return self.n", False),
        # breaks out and never waits
        ("while True:\n        if self.step():\n            break", False),
        # a stream its consumer drives (server-sent events)
        ("while True:\n        yield self.step()", False),
        # a flag-controlled loop that does not wait: a bounded condition, not a worker
        ("while self.pending:\n        self.step()", False),
    ],
)
def test_ms104_tells_workers_from_search_loops_and_streams(heuristics: Heuristics, loop: str, is_worker: bool) -> None:
    body = "import time\n\n\nclass Worker:\n    def run(self):\n        " + loop.replace("\n", "\n    ") + "\n"
    files = {"ops/__init__.py": "", "ops/worker.py": body}
    rules = {rule for rule, _ in analyze(files, heuristics).rules()}
    assert ("MS104" in rules) is is_worker


def test_ms105_standard_workflow(shop: Analysis) -> None:
    [warning] = [w for w in shop.classification.warnings if w.rule == "MS105"]
    assert warning.contexts == ["orders"]
    assert any(loc.file == "orders/routes.py" for loc in warning.locations)  # the approval callback


def test_ms101_lift_and_shift(shop: Analysis, heuristics: Heuristics) -> None:
    assert "MS101" not in {rule for rule, _ in shop.rules()}  # negative: a small app
    lowered = with_thresholds(heuristics, "MS101", min_source_lines=10)
    analysis = analyze(SHOP, lowered, SHOP_KINDS)
    assert ("MS101", "wsgi.py:3") in analysis.rules()


def test_ms107_a_context_holding_most_of_the_application(shop: Analysis, heuristics: Heuristics) -> None:
    assert "MS107" not in {rule for rule, _ in shop.rules()}  # negative: small contexts
    lowered = with_thresholds(heuristics, "MS107", min_source_lines=10, min_entry_points=2)
    analysis = analyze(SHOP, lowered, SHOP_KINDS)
    flagged = {tuple(w.contexts) for w in analysis.classification.warnings if w.rule == "MS107"}
    routed = {c.name for c in analysis.classification.contexts if c.kind == "business" and c.routes + c.jobs >= 2}
    assert flagged and flagged == {(name,) for name in routed}
    [warning, *_] = [w for w in analysis.classification.warnings if w.rule == "MS107"]
    assert "entry points" in warning.message and warning.locations


def test_ms102_cycles_between_contexts(heuristics: Heuristics, shop: Analysis) -> None:
    assert "MS102" not in {rule for rule, _ in shop.rules()}  # orders → catalog only: no cycle
    files = dict(SHOP)
    files["catalog/pricing.py"] = "from orders.models import Order\n\ndef price_of(product):\n    return Order\n"
    analysis = analyze(files, heuristics, SHOP_KINDS)
    [warning] = [w for w in analysis.classification.warnings if w.rule == "MS102"]
    assert warning.contexts == ["catalog", "orders"]


def test_ms201_single_step_canvas(heuristics: Heuristics) -> None:
    files = {
        "jobs/__init__.py": "",
        "jobs/tasks.py": """
            from celery import chain, group, shared_task

            @shared_task
            def one(x):
                return x

            def wrapped(x):
                return chain(one.s(x)).apply_async()

            def mapped(items):
                return group(one.s(i) for i in items).apply_async()
        """,
    }
    analysis = analyze(files, heuristics)
    assert analysis.rules().count(("MS201", "jobs/tasks.py:9")) == 1
    assert not any(loc == ("MS201", "jobs/tasks.py:12") for loc in analysis.rules())  # a map over items


def _signals(*signals: Signal):
    def edit(recognition: Recognition) -> Recognition:
        recognition.signals = list(signals)
        return recognition

    return edit


def test_ms202_event_with_at_most_one_subscriber(heuristics: Heuristics) -> None:
    lonely = Signal(
        kind="django-signal",
        symbol="notify.tasks:decided",
        location=Location(file="notify/tasks.py", line=2),
        sent_at=[Location(file="notify/tasks.py", line=9)],
        receivers=0,
    )
    busy = lonely.model_copy(update={"symbol": "notify.tasks:placed", "receivers": 3})
    analysis = analyze(SHOP, heuristics, SHOP_KINDS, edit=_signals(lonely, busy))
    flagged = [w for w in analysis.classification.warnings if w.rule == "MS202"]
    assert [w.message.split("`")[1] for w in flagged] == ["notify.tasks:decided"]


def test_ms203_queue_in_a_synchronous_path(heuristics: Heuristics) -> None:
    files = {
        "web/__init__.py": "",
        "web/views.py": """
            from flask import Blueprint
            from web.tasks import render
            bp = Blueprint("web", __name__)

            @bp.get("/report")
            def report():
                return render.delay(1).get(timeout=30)

            @bp.get("/later")
            def later():
                result = render.delay(2)
                return result.id

            @bp.get("/now")
            def now():
                result = render.apply_async((3,))
                return result.get()
        """,
        "web/tasks.py": "from celery import shared_task\n\n@shared_task\ndef render(x):\n    return x\n",
    }
    assert [r for r in analyze(files, heuristics).rules() if r[0] == "MS203"] == [
        ("MS203", "web/views.py:8"),
        ("MS203", "web/views.py:18"),
    ]


def test_ms204_structured_data_in_s3(heuristics: Heuristics) -> None:
    files = {
        "store/__init__.py": "",
        "store/users.py": """
            import json
            import boto3
            s3 = boto3.client("s3")

            def save_user(user):
                s3.put_object(Bucket="b", Key="users/1.json", Body=json.dumps(user))

            def save_avatar(data):
                s3.put_object(Bucket="b", Key="avatars/1.png", Body=data)
        """,
    }
    assert [r for r in analyze(files, heuristics).rules() if r[0] == "MS204"] == [("MS204", "store/users.py:7")]


def test_ms205_over_split_context(heuristics: Heuristics) -> None:
    files = {
        **SHOP,
        "prefs/__init__.py": "",
        "prefs/models.py": """
            from catalog.models import db

            class Preference(db.Model):
                id = db.Column(db.Integer, primary_key=True)
        """,
    }
    analysis = analyze(files, heuristics, SHOP_KINDS)
    assert [w.contexts for w in analysis.classification.warnings if w.rule == "MS205"] == [["prefs"]]
    # negative: catalog owns one model too, but it has routes of its own
    assert all(w.contexts != ["catalog"] for w in analysis.classification.warnings if w.rule == "MS205")


def _blockers(*blockers: Blocker):
    def edit(recognition: Recognition) -> Recognition:
        recognition.blockers = list(blockers)
        return recognition

    return edit


@pytest.mark.parametrize("rule", ["MS301", "MS302", "MS303", "MS304", "MS305", "MS306", "MS308", "MS311"])
def test_ms3xx_blockers_become_mandatory_warnings(heuristics: Heuristics, rule: str) -> None:
    blocker = Blocker(
        rule=rule, kind="k", module="catalog.views", location=Location(file="catalog/views.py", line=9), detail="d"
    )
    analysis = analyze(SHOP, heuristics, SHOP_KINDS, edit=_blockers(blocker))
    [warning] = [w for w in analysis.classification.warnings if w.rule == rule]
    assert (warning.category, warning.kind, warning.contexts) == ("mandatory", "blocker", ["catalog"])


def test_dev_only_blocker_is_only_potential(heuristics: Heuristics) -> None:
    blocker = Blocker(
        rule="MS305",
        kind="sqlite",
        module="shop",
        location=Location(file="shop/__init__.py", line=3),
        detail="sqlite:///dev.db",
    )
    if "dev_only" in Blocker.__dataclass_fields__:
        blocker = replace(blocker, dev_only=True)  # type: ignore[call-arg]
        analysis = analyze(SHOP, heuristics, SHOP_KINDS, edit=_blockers(blocker))
        [warning] = [w for w in analysis.classification.warnings if w.rule == "MS305"]
        assert warning.category == "potential"


def test_blocker_without_a_warning_rule_is_skipped(heuristics: Heuristics) -> None:
    blocker = Blocker(
        rule="XX999", kind="k", module="shop", location=Location(file="shop/__init__.py", line=1), detail=""
    )
    analysis = analyze(SHOP, heuristics, SHOP_KINDS, edit=_blockers(blocker))
    assert "XX999" not in {rule for rule, _ in analysis.rules()}


# --- suppressions ---


def test_inline_suppression_keeps_the_finding_marked(heuristics: Heuristics) -> None:
    files = dict(SHOP)
    files["notify/tasks.py"] = files["notify/tasks.py"].replace(
        "while True:", "while True:  # migrate-scan: ignore[MS104] runs on the ops box, not migrated"
    )
    analysis = analyze(files, heuristics, SHOP_KINDS)
    [warning] = [w for w in analysis.classification.warnings if w.rule == "MS104"]
    assert warning.suppressed is not None
    assert warning.suppressed.reason == "runs on the ops box, not migrated"
    other_rule = files["notify/tasks.py"].replace("ignore[MS104]", "ignore[MS301]")
    analysis = analyze({**files, "notify/tasks.py": other_rule}, heuristics, SHOP_KINDS)
    assert all(w.suppressed is None for w in analysis.classification.warnings if w.rule == "MS104")


def test_config_suppression(heuristics: Heuristics) -> None:
    settings = ClassifySettings(
        suppressions=(ConfigSuppression(rule="MS103", reason="re-chunked in Q3", path="notify/tasks.py"),)
    )
    files = {**SHOP, "notify/tasks.py": SHOP["notify/tasks.py"].replace("while True:", "while not done():")}
    analysis = analyze(files, heuristics, SHOP_KINDS, settings=settings)
    [warning] = [w for w in analysis.classification.warnings if w.rule == "MS103"]
    assert warning.suppressed is not None and warning.suppressed.reason == "re-chunked in Q3"
    assert analysis.module("notify.tasks").compute == "lambda"  # a silenced finding no longer moves it


# --- plan ---


def test_plan_stages_follow_the_seed(shop: Analysis) -> None:
    stages = shop.plan.plan.stages
    assert [(s.stage, s.pattern) for s in stages] == [(1, 1), (2, 3), (3, 4)]
    stage2 = stages[1]
    assert [(i.context, i.pattern) for i in stage2.items] == [("notify", 3), ("live", 2)]  # real-time beside stage 2
    assert [i.context for i in stages[2].items] == ["orders"]
    assert all(i.effort in (1, 2, 3, 5, 8, 13) for s in stages for i in s.items)
    assert shop.plan.plan.effort == sum(s.effort for s in stages)


def test_plan_puts_dependencies_first_and_data_once(shop: Analysis) -> None:
    data = [(i.context, i.data) for s in shop.plan.plan.stages for i in s.items if i.data]
    assert sorted(c for c, _ in data) == sorted({c for c, _ in data})  # each context's tables move once
    assert ("catalog", ["catalog.models:Product"]) in data


def test_extraction_order_dependencies_first_then_least_coupled() -> None:
    def group(name: str) -> ContextGroup:
        return ContextGroup(name=name, kind="business", modules=(name,), seed="package", rationale="")

    clustering = Clustering(
        contexts=tuple(group(n) for n in ("accounts", "knowledge", "tickets")),
        module_context={n: n for n in ("accounts", "knowledge", "tickets")},
        dependencies=(
            CrossEdge("tickets", "accounts", 9.0, ("import",), ()),  # tickets calls accounts: accounts first
            CrossEdge("knowledge", "accounts", 1.0, ("model-relation",), ()),  # data only: does not hold it back
            CrossEdge("accounts", "tickets", 2.0, ("model-relation",), ()),
        ),
    )
    coupling = _coupling(clustering)
    assert _extraction_order(clustering, coupling) == ["knowledge", "accounts", "tickets"]
    cyclic = replace(
        clustering, dependencies=(*clustering.dependencies, CrossEdge("accounts", "tickets", 1.0, ("call",), ()))
    )
    # a cycle (accounts coupling 13, tickets 12): least coupled first
    assert _extraction_order(cyclic, _coupling(cyclic)) == ["knowledge", "tickets", "accounts"]


def test_classification_is_deterministic(heuristics: Heuristics, shop: Analysis) -> None:
    again = analyze(dict(reversed(list(SHOP.items()))), heuristics, SHOP_KINDS)
    assert again.classification == shop.classification
    assert again.plan == shop.plan


def test_tangled_contexts_lower_the_pattern_5_confidence(heuristics: Heuristics) -> None:
    lowered = with_thresholds(heuristics, "PT501", min_entry_points=10)
    clean = analyze(SHOP, lowered, SHOP_KINDS).classification
    files = dict(SHOP)
    files["catalog/pricing.py"] = "from orders.models import Order\n\ndef price_of(product):\n    return Order\n"
    files["live/events.py"] = "from orders.models import Order\n" + textwrap.dedent(files["live/events.py"])
    files["orders/services.py"] = "import live.events\n" + textwrap.dedent(files["orders/services.py"])
    tangled = analyze(files, lowered, SHOP_KINDS)
    [cycle] = [w for w in tangled.classification.warnings if w.rule == "MS102"]
    assert cycle.contexts == ["catalog", "live", "orders"]  # one warning for the whole cycle
    assert tangled.classification.app_pattern == 5
    assert tangled.classification.app_confidence < clean.app_confidence
    assert "modularize inside the monolith first" in tangled.classification.app_summary


def test_items_beyond_the_effort_scale_are_split_first(heuristics: Heuristics, shop: Analysis) -> None:
    assert not any("Beyond the scale" in step for s in shop.plan.plan.stages for i in s.items for step in i.steps)
    rules = tuple(
        rule.model_copy(update={"weights": {**rule.weights, "per_100_source_lines": 100.0}})
        if rule.id == "effort.points"
        else rule
        for rule in heuristics.rules
    )
    heavy = analyze(SHOP, replace(heuristics, rules=rules), SHOP_KINDS)
    items = [i for s in heavy.plan.plan.stages for i in s.items if i.context == "catalog"]
    assert items and all(i.effort == 13 and i.steps[0].startswith("Beyond the scale") for i in items)


def test_data_layer_context_is_flagged(heuristics: Heuristics) -> None:
    files = {
        **SHOP,
        "data/__init__.py": "",
        "data/models.py": """
            from catalog.models import db

            class Review(db.Model):
                id = db.Column(db.Integer, primary_key=True)

            class Rating(db.Model):
                id = db.Column(db.Integer, primary_key=True)

            class Tag(db.Model):
                id = db.Column(db.Integer, primary_key=True)
        """,
    }
    analysis = analyze(files, heuristics, SHOP_KINDS)
    [warning] = [w for w in analysis.classification.warnings if w.rule == "MS205"]
    assert warning.contexts == ["data"] and "data layer" in warning.message


def test_extraction_order_ignores_ties_to_the_shell() -> None:
    names = ("accounts", "api", "host")
    clustering = Clustering(
        contexts=(
            ContextGroup(name="accounts", kind="business", modules=("accounts",), seed="package", rationale=""),
            ContextGroup(name="api", kind="business", modules=("api",), seed="package", rationale=""),
            ContextGroup(name="host", kind="app-shell", modules=("host",), seed="package", rationale=""),
        ),
        module_context={n: n for n in names},
        dependencies=(
            CrossEdge("api", "accounts", 3.0, ("call",), ()),  # api calls accounts: accounts first
            CrossEdge("api", "host", 1.0, ("import",), ()),  # the host imports everything and everything it:
            CrossEdge("host", "api", 9.0, ("import",), ()),  # that cycle must not decide the order
            CrossEdge("host", "accounts", 9.0, ("import",), ()),
            CrossEdge("accounts", "host", 9.0, ("import",), ()),
        ),
    )
    assert _extraction_order(clustering, _coupling(clustering)) == ["accounts", "api", "host"]


def test_ms103_command_running_a_long_task_in_process(heuristics: Heuristics) -> None:
    files = {
        "ops/__init__.py": "",
        "ops/tasks.py": """
            from celery import shared_task

            @shared_task(time_limit=3600)
            def rebuild():
                return 1
        """,
        "ops/management/__init__.py": "",
        "ops/management/commands/__init__.py": "",
        "ops/management/commands/rebuild_now.py": """
            from django.core.management.base import BaseCommand
            from ops.tasks import rebuild

            class Command(BaseCommand):
                def handle(self, *args, **options):
                    rebuild()
        """,
        "ops/management/commands/rebuild_later.py": """
            from django.core.management.base import BaseCommand
            from ops.tasks import rebuild

            class Command(BaseCommand):
                def handle(self, *args, **options):
                    rebuild.delay()
        """,
    }
    flagged = [r for r in analyze(files, heuristics).rules() if r[0] == "MS103"]
    assert flagged == [("MS103", "ops/management/commands/rebuild_now.py:7"), ("MS103", "ops/tasks.py:5")]


def test_capped_reach_keeps_the_nearest_symbols_whatever_the_edge_order() -> None:
    import random

    import networkx as nx

    from migrate_scan.stages.classify.entries import Reach

    edges = [("m:start", f"m:a{i}") for i in range(5)] + [(f"m:a{i}", f"m:b{i}{j}") for i in range(5) for j in range(3)]
    kept = set()
    for seed in range(5):
        shuffled = list(edges)
        random.Random(seed).shuffle(shuffled)
        graph = nx.DiGraph()
        graph.add_edges_from(shuffled)
        reach = Reach(graph, limit=9)
        kept.add(reach.from_symbol("m:start"))
        # Why: 1 start + 5 at depth one leaves room for 3 of the 15 at depth two, the first by name.
        assert reach.capped == {"m:start": 12}
    assert kept == {frozenset({"m:start", *(f"m:a{i}" for i in range(5)), "m:b00", "m:b01", "m:b02"})}


def test_reached_modules_follow_own_calls_only() -> None:
    import networkx as nx

    from migrate_scan.stages.classify.entries import Reach

    graph = nx.DiGraph()
    graph.add_edge("web.views:index", "shop.orders:place")
    graph.add_edge("shop.orders:place", "shop.mail:send")
    graph.add_edge("web.views:index", "auth.wrappers:login_required", via_decorator=True)
    graph.add_edge("shop.mail:send", "smtplib:SMTP")
    graph.nodes["smtplib:SMTP"]["external"] = True
    reach = Reach(graph)
    assert reach.modules_reached("web.views:index") == {"web.views", "shop.orders", "shop.mail"}
    assert reach.modules_reached("shop.mail:send") == {"shop.mail"}  # an outside callee is not ours
    assert reach.modules_from(["shop.orders:place", "auth.wrappers:login_required"]) == {
        "shop.orders",
        "shop.mail",
        "auth.wrappers",
    }


def test_pt303_outbound_integration_through_the_projects_own_wrapper(heuristics: Heuristics) -> None:
    files = {
        "alerts/__init__.py": "",
        "alerts/http.py": "import requests\n\n\ndef post(url, body):\n    return requests.post(url, json=body)\n",
        "alerts/slack.py": (
            "from alerts.http import post\n\n\nclass Slack:\n    def notify(self, text):\n"
            "        return post('https://hooks.slack.invalid', {'text': text})\n"
        ),
        # reads a value and formats it: no outside call, keeps its users' pattern
        "alerts/format.py": "def line(text):\n    return text.strip()\n",
        "web/__init__.py": "",
        "web/views.py": (
            "from flask import Flask\nfrom alerts.slack import Slack\nfrom alerts.format import line\n\n"
            "app = Flask(__name__)\n\n\n@app.route('/ping')\ndef ping():\n"
            "    Slack().notify(line(' up '))\n    return 'ok'\n"
        ),
    }
    analysis = analyze(files, heuristics)
    slack = analysis.module("alerts.slack")
    assert (slack.pattern, slack.evidence[0].rule) == (3, "PT303")
    assert slack.evidence[0].locations[0].line == 6  # where it calls the wrapper
    assert analysis.module("alerts.http").evidence[0].rule == "PT303"
    assert analysis.module("alerts.format").pattern == 1
    assert analysis.module("web.views").pattern == 1  # a route that calls out is still request-response


def test_ms106_a_job_looping_over_a_whole_table_or_a_listing(heuristics: Heuristics) -> None:
    files = {
        "ops/__init__.py": "",
        "ops/models.py": "from django.db import models\n\n\nclass Doc(models.Model):\n    title = models.CharField()\n",
        "ops/checks.py": (
            "import os\nfrom ops.models import Doc\n\n\ndef check_all():\n    docs = Doc.objects.order_by('id')\n"
            "    for doc in docs:\n        doc.title\n\n\ndef check_folder(path):\n"
            "    for name in os.listdir(path):\n        name.strip()\n"
        ),
        "ops/tasks.py": (
            "from celery import shared_task\nfrom ops.checks import check_all, check_folder\n\n\n@shared_task\n"
            "def nightly():\n    check_all()\n\n\n@shared_task\ndef scan(path):\n    check_folder(path)\n\n\n"
            "@shared_task\ndef three():\n    for n in [1, 2, 3]:\n        n + 1\n"
        ),
    }
    warnings = [w for w in analyze(files, heuristics).classification.warnings if w.rule == "MS106"]
    where = sorted(sorted(f"{loc.file}:{loc.line}" for loc in w.locations) for w in warnings)
    # the task, and the loop it reaches through check_all (over a queryset) or check_folder (a listing)
    assert where == [["ops/checks.py:12", "ops/tasks.py:11"], ["ops/checks.py:7", "ops/tasks.py:6"]]
    assert all(w.category == "potential" for w in warnings)
    assert "`Doc.objects`" in warnings[0].message or "`Doc.objects`" in warnings[1].message

    # the task also runs on a beat schedule: one warning, naming the task and the schedule entry
    scheduled = {
        **files,
        "ops/settings.py": (
            "CELERY_BEAT_SCHEDULE = {\n    'nightly': {'task': 'ops.tasks.nightly', 'schedule': 86400},\n}\n"
        ),
    }
    warnings = [w for w in analyze(scheduled, heuristics).classification.warnings if w.rule == "MS106"]
    nightly = [w for w in warnings if "ops.tasks:nightly" in w.message]
    assert len(warnings) == 2 and len(nightly) == 1
    assert [f"{loc.file}:{loc.line}" for loc in nightly[0].locations] == [
        "ops/checks.py:7",
        "ops/settings.py:1",
        "ops/tasks.py:6",
    ]


def test_ms103_project_wide_task_time_limit(heuristics: Heuristics) -> None:
    def files(limit: str, own: str = "") -> dict[str, str]:
        return {
            "site/__init__.py": "",
            "site/settings.py": (
                "import os\n\n\ndef get_int_from_env(key, default):\n    return int(os.getenv(key, default))\n\n\n"
                f"CELERY_TASK_TIME_LIMIT = {limit}\n"
            ),
            "site/tasks.py": f"from celery import shared_task\n\n\n@shared_task({own})\ndef consume(path):\n    pass\n",
        }

    def raised(app: dict[str, str]) -> list[str]:
        warnings = analyze(app, heuristics).classification.warnings
        return [f"{loc.file}:{loc.line}" for w in warnings if w.rule == "MS103" for loc in w.locations]

    # the default of an environment read, above 900 s, bounds the task that declares no limit
    assert raised(files('get_int_from_env("WORKER_TIMEOUT", 1800)')) == ["site/settings.py:8"]
    # under Lambda's maximum: fine
    assert raised(files('get_int_from_env("WORKER_TIMEOUT", 600)')) == []
    # every task declares its own (short) limit: the global one bounds nothing
    assert raised(files("1800", own="time_limit=300")) == []
    # the same setting in a `test` package that holds test files is test configuration, never deployed
    in_tests = {
        "site/__init__.py": "",
        "site/tasks.py": "from celery import shared_task\n\n\n@shared_task\ndef consume(path):\n    pass\n",
        "test/__init__.py": "",
        "test/settings.py": "CELERY_TASK_TIME_LIMIT = 1800\n",
        "test/test_tasks.py": "def test_consume():\n    pass\n",
    }
    assert raised(in_tests) == []
    # a `test` package without test files is a feature of the application: its setting counts
    feature = {name.replace("test_tasks", "checks"): text for name, text in in_tests.items()}
    assert raised(feature) == ["test/settings.py:1"]


def test_ms313_streams_and_ms311_in_process_subscribers(heuristics: Heuristics) -> None:
    files = {
        "app/__init__.py": "",
        "app/events.py": (
            "from flask import Blueprint, Response\nfrom app.bus import manager\n\n"
            "events = Blueprint('events', __name__)"
            "\n\n\n@events.route('/events')\ndef subscribe():\n    return Response(manager.subscribe(), "
            "mimetype='text/event-stream')\n"
        ),
        "app/bus.py": (
            "from collections import defaultdict\nfrom queue import Queue\n\n\nclass Manager:\n"
            "    def __init__(self):\n        self.clients = {}\n\n"
            "    def publish(self, message):\n        for client in list(self.clients.values()):\n"
            "            client['ctf'].put(message)\n\n"
            "    def subscribe(self):\n        q = defaultdict(Queue)\n        self.clients[id(q)] = q\n"
            "        while True:\n            yield q['ctf'].get()\n\n\n"
            "def drain(jobs):\n    for job in jobs:\n        job.put(None)\n\n\n"
            "manager = Manager()\n"
        ),
    }
    rules = analyze(files, heuristics).rules()
    # the stream where the response is made; the publish loop over subscribers held by the object;
    # a loop over a parameter (`jobs`) is not a held collection
    assert ("MS313", "app/events.py:9") in rules
    assert ("MS311", "app/bus.py:11") in rules
    assert not any(rule == "MS311" and where != "app/bus.py:11" for rule, where in rules)
    without_stream = {**files, "app/events.py": "def subscribe():\n    return []\n"}
    # no real-time handler in the application: the same loop is not reported
    assert not any(rule in ("MS311", "MS313") for rule, _ in analyze(without_stream, heuristics).rules())


def _consume_app(plugins: str, limit: int = 1800) -> dict[str, str]:
    """A task running a chain of plugins by hand; the project-wide task limit in settings."""
    return {
        "site/__init__.py": "",
        "site/settings.py": f"CELERY_TASK_TIME_LIMIT = {limit}\n",
        "docs/__init__.py": "",
        "docs/models.py": (
            "from django.db import models\n\n\nclass Document(models.Model):\n    title = models.TextField()\n"
        ),
        "docs/logs.py": "class LoggingMixin:\n    def log(self, msg):\n        print(msg)\n",
        "docs/plugins.py": (
            "from docs.logs import LoggingMixin\n\n\nclass Plugin(LoggingMixin):\n"
            "    def run(self):\n        pass\n\n\n"
            "class Preflight(Plugin):\n    pass\n\n\nclass Barcodes(Plugin):\n    pass\n\n\n"
            "class Consume(Plugin):\n    pass\n"
        ),
        "docs/tasks.py": (
            "from celery import shared_task\nfrom docs.plugins import Barcodes, Consume, Preflight\n\n\n"
            f"@shared_task\ndef consume(path):\n    plugins = {plugins}\n"
            "    for plugin_class in plugins:\n        plugin = plugin_class(path)\n        plugin.run()\n"
        ),
        "docs/views.py": (
            "from django.http import JsonResponse\nfrom docs.models import Document\n\n\n"
            "def index(request):\n    return JsonResponse({'n': Document.objects.count()})\n"
        ),
        "docs/urls.py": (
            "from django.urls import path\nfrom docs.views import index\n\nurlpatterns = [path('', index)]\n"
        ),
    }


def test_pt401_a_plugin_chain_run_inside_one_long_task(heuristics: Heuristics) -> None:
    result = analyze(_consume_app("[Preflight, Barcodes, Consume]"), heuristics)
    tasks = result.module("docs.tasks")
    # the task running the chain is the workflow; the steps' module and their shared plugin base take part
    assert (tasks.pattern, tasks.evidence[0].rule) == (4, "PT401")
    where = {f"{loc.file}:{loc.line}" for e in tasks.evidence for loc in e.locations}
    assert {"docs/tasks.py:8", "docs/plugins.py:9", "docs/plugins.py:13", "docs/plugins.py:17"} <= where
    assert result.module("docs.plugins").pattern == 4
    # a mixin the steps also share defines nothing the chain calls: not a participant
    assert result.module("docs.logs").evidence[0].rule != "PT402"
    assert any(w.rule == "MS105" for w in result.classification.warnings)


@pytest.mark.parametrize(
    ("plugins", "limit", "why"),
    [
        ("[Preflight, Consume]", 1800, "two steps are not a multi-step process"),
        ("['a.pdf', 'b.pdf', 'c.pdf']", 1800, "a loop over data, not over steps"),
        ("[Preflight, Barcodes, Consume]", 240, "short: an Express workflow at most, not pattern 4"),
    ],
)
def test_pt401_not_a_plugin_chain(heuristics: Heuristics, plugins: str, limit: int, why: str) -> None:
    result = analyze(_consume_app(plugins, limit), heuristics)
    assert result.module("docs.tasks").pattern != 4, why


def test_ms103_names_the_long_process_a_project_wide_limit_bounds(heuristics: Heuristics) -> None:
    over = analyze(_consume_app("[Preflight, Barcodes, Consume]", 1800), heuristics)
    # 1800 s: the chain may pass Lambda's 15 minutes; its modules run on Fargate, the plain views do not
    assert over.module("docs.tasks").compute == "fargate"
    assert over.module("docs.plugins").compute == "fargate"
    assert over.module("docs.views").compute != "fargate"
    under = analyze(_consume_app("[Preflight, Barcodes, Consume]", 600), heuristics)
    # 600 s: a Standard workflow (over 5 minutes) whose steps fit in Lambda
    assert under.module("docs.tasks").pattern == 4
    assert under.module("docs.tasks").compute != "fargate"


def test_pt202_the_publisher_of_in_process_subscribers(heuristics: Heuristics) -> None:
    files = {
        "app/__init__.py": "",
        "app/events.py": (
            "from flask import Blueprint, Response\nfrom app.bus import manager\n\n"
            "events = Blueprint('events', __name__)\n\n\n@events.route('/events')\ndef subscribe():\n"
            "    return Response(manager.subscribe(), mimetype='text/event-stream')\n"
        ),
        "app/bus.py": (
            "class Manager:\n    def __init__(self):\n        self.clients = {}\n\n"
            "    def publish(self, message):\n        for client in list(self.clients.values()):\n"
            "            client.put(message)\n\n"
            "    def subscribe(self):\n        yield 'ping'\n\n\nmanager = Manager()\n"
        ),
        "app/jobs.py": "def drain(jobs):\n    for job in jobs:\n        job.put(None)\n",
    }
    result = analyze(files, heuristics)
    bus = result.module("app.bus")
    # the module delivering to the subscribers the stream's clients hold is the real-time channel's other half
    assert (bus.pattern, bus.evidence[0].rule) == (2, "PT202")
    assert [f"{loc.file}:{loc.line}" for loc in bus.evidence[0].locations] == ["app/bus.py:7"]
    # a loop over a parameter is no subscriber registry
    assert result.module("app.jobs").evidence[0].rule != "PT202"


# -- PT403: a process kept in a status field ----------------------------------------------------------------


def _review_app(approve: str = "approve", approve_state: str = "APPROVED", via_route: bool = True) -> dict[str, str]:
    """Documents submitted by a user, processed by a task, approved or rejected by a person."""
    urls = (
        "from django.urls import path\nfrom docs import views\n\nurlpatterns = [\n"
        "    path('<int:pk>/submit/', views.submit),\n"
        + (f"    path('<int:pk>/{approve}/', views.{approve}),\n" if via_route else "")
        + "    path('<int:pk>/reject/', views.reject),\n]\n"
    )
    return {
        "docs/__init__.py": "",
        "docs/models.py": (
            "from django.db import models\n\n\nclass Document(models.Model):\n"
            "    class Status(models.TextChoices):\n"
            "        DRAFT = 'draft'\n        PENDING = 'pending'\n        PROCESSED = 'processed'\n"
            "        APPROVED = 'approved'\n        REJECTED = 'rejected'\n\n"
            "    title = models.TextField()\n"
            "    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)\n"
        ),
        "docs/views.py": (
            "from django.http import JsonResponse\nfrom docs.models import Document\n"
            "from docs.tasks import process\n\n\n"
            "def submit(request, pk):\n    doc = Document.objects.get(pk=pk)\n"
            "    doc.status = Document.Status.PENDING\n    doc.save()\n    process.delay(pk)\n"
            "    return JsonResponse({})\n\n\n"
            f"def {approve}(request, pk):\n    doc = Document.objects.get(pk=pk)\n"
            f"    doc.status = Document.Status.{approve_state}\n    doc.save()\n    return JsonResponse({{}})\n\n\n"
            "def reject(request, pk):\n"
            "    Document.objects.filter(pk=pk).update(status=Document.Status.REJECTED)\n"
            "    return JsonResponse({})\n"
        ),
        "docs/tasks.py": (
            "from celery import shared_task\nfrom docs.models import Document\n\n\n"
            "@shared_task\ndef process(pk):\n    doc = Document.objects.get(pk=pk)\n"
            "    doc.status = 'processed'\n    doc.save()\n"
        ),
        "docs/urls.py": urls,
        "docs/parsing.py": (
            "class Tokenizer:\n    def __init__(self):\n        self.state = 'start'\n\n"
            "    def feed(self, c):\n        self.state = 'word'\n\n"
            "    def approve(self):\n        self.state = 'done'\n"
        ),
    }


def test_pt403_a_status_field_moved_through_states_with_a_persons_decision(heuristics: Heuristics) -> None:
    result = analyze(_review_app(), heuristics)
    models = result.module("docs.models")
    assert (models.pattern, models.evidence[0].rule) == (4, "PT403")
    where = {f"{loc.file}:{loc.line}" for e in models.evidence for loc in e.locations}
    # the field, then each move: submit, approve, reject (an `update(status=...)`), the task's literal state
    assert {"docs/models.py:13", "docs/views.py:8", "docs/views.py:16", "docs/views.py:22", "docs/tasks.py:8"} <= where
    # the functions that move it take part; the tokenizer's own `state` is no model's field
    assert (result.module("docs.views").pattern, result.module("docs.views").evidence[0].rule) == (4, "PT402")
    assert (result.module("docs.tasks").pattern, result.module("docs.tasks").evidence[0].rule) == (4, "PT402")
    assert result.module("docs.parsing").evidence[0].rule not in ("PT402", "PT403")
    assert not any(loc.file == "docs/parsing.py" for loc in models.evidence[0].locations)
    context = result.context("docs")
    assert context.pattern == 4 and "status field Document.status" in context.rationale
    standard = [w for w in result.classification.warnings if w.rule == "MS105"]
    assert standard and "status field Document.status" in standard[0].message


@pytest.mark.parametrize(
    ("edit", "why"),
    [
        ({"approve": "publish", "approve_state": "PROCESSED"}, "no move speaks of a person's decision"),
        ({"via_route": False}, "the approval is no route: nothing shows a person makes it"),
    ],
)
def test_pt403_not_a_status_workflow(heuristics: Heuristics, edit: dict[str, object], why: str) -> None:
    files = _review_app(**edit)  # type: ignore[arg-type]
    # the person's rejection becomes a withdrawal to draft: no decision left but the edited one
    files["docs/views.py"] = files["docs/views.py"].replace("def reject", "def withdraw").replace("REJECTED", "DRAFT")
    files["docs/urls.py"] = files["docs/urls.py"].replace("reject", "withdraw")
    result = analyze(files, heuristics)
    assert result.module("docs.models").pattern != 4, why
    assert not any(w.rule == "MS105" for w in result.classification.warnings), why


def test_pt403_two_states_are_not_a_process(heuristics: Heuristics) -> None:
    files = _review_app()
    files["docs/tasks.py"] = files["docs/tasks.py"].replace("'processed'", "'approved'")
    files["docs/views.py"] = files["docs/views.py"].replace("Status.PENDING", "Status.REJECTED")
    result = analyze(files, heuristics)
    assert result.module("docs.models").pattern != 4


def test_pt403_an_sqlalchemy_state_column_judged_in_a_flask_view(heuristics: Heuristics) -> None:
    files = {
        "conf/__init__.py": "",
        "conf/models.py": (
            "import enum\nfrom flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n\n\n"
            "class AbstractState(enum.Enum):\n    submitted = 1\n    under_review = 2\n    accepted = 3\n"
            "    rejected = 4\n\n\n"
            "class Abstract(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n"
            "    review_state = db.Column(db.Enum(AbstractState), default=AbstractState.submitted)\n"
        ),
        "conf/views.py": (
            "from flask import Blueprint\nfrom conf.models import Abstract, AbstractState, db\n\n"
            "bp = Blueprint('abstracts', __name__)\n\n\n"
            "@bp.route('/<int:id>/assign', methods=['POST'])\ndef assign_reviewer(id):\n"
            "    abstract = Abstract.query.get(id)\n    abstract.review_state = AbstractState.under_review\n"
            "    db.session.commit()\n    return ''\n\n\n"
            "@bp.route('/<int:id>/judge', methods=['POST'])\ndef judge(id):\n"
            "    abstract = Abstract.query.get(id)\n    abstract.review_state = AbstractState.accepted\n"
            "    db.session.commit()\n    return ''\n\n\n"
            "@bp.route('/<int:id>/withdraw', methods=['POST'])\ndef withdraw(id):\n"
            "    abstract = Abstract.query.get(id)\n    abstract.review_state = AbstractState.rejected\n"
            "    db.session.commit()\n    return ''\n"
        ),
    }
    result = analyze(files, heuristics)
    models = result.module("conf.models")
    assert (models.pattern, models.evidence[0].rule) == (4, "PT403")
    assert result.module("conf.views").pattern == 4


def test_pt403_a_move_counts_for_the_model_it_writes(heuristics: Heuristics) -> None:
    """Two models with a `status`: the fulfilment's approval is not a decision on the order's status, and
    `order.status = other.status` copies a value rather than setting a state."""
    files = {
        "shop/__init__.py": "",
        "shop/models.py": (
            "from django.db import models\n\n\nclass OrderStatus:\n    DRAFT = 'draft'\n    PLACED = 'placed'\n"
            "    CANCELED = 'canceled'\n\n\nclass FulfillmentStatus:\n    WAITING = 'waiting'\n"
            "    FULFILLED = 'fulfilled'\n\n\nclass Order(models.Model):\n"
            "    status = models.CharField(max_length=20, default=OrderStatus.DRAFT)\n\n\n"
            "class Fulfillment(models.Model):\n"
            "    order = models.ForeignKey(Order, on_delete=models.CASCADE)\n"
            "    status = models.CharField(max_length=20, default=FulfillmentStatus.WAITING)\n"
        ),
        "shop/views.py": (
            "from django.http import JsonResponse\n"
            "from shop.models import Fulfillment, FulfillmentStatus, Order, OrderStatus\n\n\n"
            "def place(request, pk):\n    order = Order.objects.get(pk=pk)\n    order.status = OrderStatus.PLACED\n"
            "    order.save()\n    return JsonResponse({})\n\n\n"
            "def cancel(request, pk):\n    order = Order.objects.get(pk=pk)\n    order.status = OrderStatus.CANCELED\n"
            "    order.save()\n    return JsonResponse({})\n\n\n"
            "def approve_fulfillment(request, pk):\n    fulfillment = Fulfillment.objects.get(pk=pk)\n"
            "    fulfillment.status = FulfillmentStatus.FULFILLED\n    fulfillment.save()\n"
            "    order = fulfillment.order\n    order.status = fulfillment.status\n    order.save()\n"
            "    return JsonResponse({})\n\n\n"
            "def reopen(request, pk):\n    order = Order.objects.get(pk=pk)\n    order.status = OrderStatus.DRAFT\n"
            "    order.save()\n    return JsonResponse({})\n"
        ),
        "shop/urls.py": (
            "from django.urls import path\nfrom shop import views\n\nurlpatterns = [\n"
            "    path('<int:pk>/place/', views.place),\n    path('<int:pk>/cancel/', views.cancel),\n"
            "    path('<int:pk>/approve/', views.approve_fulfillment),\n"
            "    path('<int:pk>/reopen/', views.reopen),\n]\n"
        ),
    }
    result = analyze(files, heuristics)
    assert result.module("shop.models").evidence[0].rule != "PT403"
    assert not any(w.rule == "MS105" for w in result.classification.warnings)


def test_pt403_a_decision_made_through_a_view_class_and_a_service(heuristics: Heuristics) -> None:
    """The person's route is a view class whose method calls the service that moves the status."""
    files = _review_app(via_route=False)
    files["docs/services.py"] = (
        "from docs.models import Document\n\n\n"
        "def sign_off(doc):\n    doc.status = Document.Status.APPROVED\n    doc.save()\n"
    )
    # no other decision: the unrouted approval becomes a resubmission, the rejection a withdrawal to draft
    views = files["docs/views.py"].replace("def approve(request, pk):", "def resubmit(request, pk):")
    views = views.replace("Status.APPROVED", "Status.PENDING")
    files["docs/views.py"] = views.replace("def reject", "def withdraw").replace("REJECTED", "DRAFT")
    files["docs/urls.py"] = files["docs/urls.py"].replace("reject", "withdraw")
    files["docs/views.py"] += (
        "\n\nfrom django.views import View\nfrom docs.services import sign_off\n\n\n"
        "class SignOffView(View):\n    def post(self, request, pk):\n"
        "        sign_off(Document.objects.get(pk=pk))\n        return JsonResponse({})\n"
    )
    route = "    path('<int:pk>/sign/', views.SignOffView.as_view()),\n]\n"
    files["docs/urls.py"] = files["docs/urls.py"].replace("]\n", route)
    result = analyze(files, heuristics)
    models = result.module("docs.models")
    assert (models.pattern, models.evidence[0].rule) == (4, "PT403")
    assert result.module("docs.services").pattern == 4


def test_a_route_counts_for_the_context_of_the_class_routed_not_of_its_inherited_handler(
    heuristics: Heuristics,
) -> None:
    files = {
        "proj/__init__.py": "",
        "proj/settings.py": "ROOT_URLCONF = 'proj.urls'\nINSTALLED_APPS = ['core', 'dcim']\n",
        "core/__init__.py": "",
        "core/generic.py": """
            from django.http import HttpResponse
            from django.views import View

            class ObjectListView(View):
                model = None

                def get(self, request):
                    return HttpResponse(str(self.model.objects.count()))
        """,
        "dcim/__init__.py": "",
        "dcim/models.py": """
            from django.db import models

            class Device(models.Model):
                name = models.CharField(max_length=50)
        """,
        "dcim/views.py": """
            from core.generic import ObjectListView
            from dcim.models import Device

            class DeviceListView(ObjectListView):
                model = Device
        """,
        "proj/urls.py": """
            from django.urls import path
            from dcim.views import DeviceListView

            urlpatterns = [path("dcim/devices/", DeviceListView.as_view())]
        """,
    }
    analysis = analyze(files, heuristics)
    (route,) = analysis.recognition.routes
    assert (route.handler, route.view) == ("core.generic:ObjectListView.get", "dcim.views:DeviceListView")
    # Why: the route is the device list's; its handler only lives in the generic base's module.
    assert (analysis.context("dcim").routes, analysis.context("core").routes) == (1, 0)
    assert analysis.module("dcim.views").pattern == 1
