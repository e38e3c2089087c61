"""Handler adapters: entry modules built with libcst from drafted functions (positive and negative cases)."""

from __future__ import annotations

import ast

from migrate_scan.model.infrastructure import (
    ContextInfrastructure,
    Dispatch,
    EntryPoint,
    Function,
    HttpRoute,
    Infrastructure,
)
from migrate_scan.render.handler_adapters import render_adapters


def draft(functions: list[Function], entry: EntryPoint | None) -> dict[str, str]:
    context = ContextInfrastructure(context="orders", kind="business", functions=functions)
    return render_adapters(Infrastructure(project="shop", prefix="shop", contexts=[context], entry=entry))


def test_consumer_imports_each_target_once_with_distinct_aliases_and_methods_as_attributes() -> None:
    consumer = Function(
        name="OrdersConsumer",
        role="consumer",
        module="shop.orders.tasks",
        timeout=60,
        dispatch=[
            Dispatch(key="a.send", target="shop.orders.tasks:send"),
            Dispatch(key="b.send", target="shop.billing.tasks:send"),  # same name, other module
            Dispatch(key="c.run", target="shop.orders.jobs:Runner.run"),  # a method: the class, then .run
        ],
    )
    source = draft([consumer], None)["app/adapters/orders_consumer.py"]
    tree = ast.parse(source)
    imports = [(n.module, a.name, a.asname) for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names]
    assert imports == [
        ("adapters", "runtime", None),
        ("shop.billing.tasks", "send", "tasks_send"),
        ("shop.orders.jobs", "Runner", "jobs_Runner"),
        ("shop.orders.tasks", "send", "tasks_send_2"),
    ]
    table = next(n for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "TARGETS")  # type: ignore[attr-defined]
    assert ast.unparse(table.value) == (
        "{'a.send': (tasks_send_2,), 'b.send': (tasks_send,), 'c.run': (jobs_Runner.run,)}"
    )
    assert "handler = runtime.sqs_handler(TARGETS)" in source


def test_http_functions_serve_through_the_entry_module_or_say_there_is_none() -> None:
    route = HttpRoute(method="GET", path="/orders", source_path="/orders/", handler="shop.orders.views:index")
    http = Function(name="OrdersViewsHttp", role="http", module="shop.orders.views", timeout=30, routes=[route])
    entry = EntryPoint(name="Wsgi", module="shop.wsgi", kind="wsgi")

    served = draft([http], entry)["app/adapters/orders_views_http.py"]
    assert "import shop.wsgi as entry\n\nhandler = runtime.wsgi_handler(entry)\n" in served
    assert "GET /orders -> shop.orders.views:index" in served
    asgi = draft([http], entry.model_copy(update={"kind": "asgi", "module": "shop.asgi"}))
    assert "runtime.asgi_handler(entry)" in asgi["app/adapters/orders_views_http.py"]
    assert asgi["app/requirements-adapters.txt"].splitlines()[-1].startswith("mangum")
    # no entry module found: the module still parses, and fails loudly where the handler would be
    missing = draft([http], None)["app/adapters/orders_views_http.py"]
    ast.parse(missing)
    assert "raise NotImplementedError" in missing and "handler =" not in missing


def test_docstring_text_from_the_scanned_code_cannot_break_out() -> None:
    nasty = Function(
        name="OrdersReceiver",
        role="receiver",
        module="shop.signals",
        timeout=60,
        dispatch=[Dispatch(key='evt"""\\x', target="shop.signals:on_event")],
    )
    source = draft([nasty], None)["app/adapters/orders_receiver.py"]
    tree = ast.parse(source)
    assert 'evt"""\\x' in (ast.get_docstring(tree) or "")
