"""Data access: the models each entry point reads and writes through everything it reaches."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.model.facts import FileFacts
from migrate_scan.stages.link import link
from migrate_scan.stages.parse import ParseRequest, parse_file
from migrate_scan.stages.recognize import recognize


def facts_of(files: Mapping[str, str]) -> list[FileFacts]:
    facts = []
    for path, source in files.items():
        parts = path[:-3].split("/")
        is_package = parts[-1] == "__init__"
        module = ".".join(parts[:-1] if is_package else parts)
        result = parse_file(ParseRequest(path, module, is_package, textwrap.dedent(source).encode()))
        assert isinstance(result, FileFacts), result
        facts.append(result)
    return facts


PROJECT = {
    "shop/__init__.py": "",
    "shop/models.py": """
        from django.db import models

        class Order(models.Model):
            total = models.IntegerField()

        class Customer(models.Model):
            name = models.CharField(max_length=20)
    """,
    "shop/services.py": """
        from shop.models import Customer, Order

        def place(total):
            return Order.objects.create(total=total)

        def lookup(pk):
            return Customer.objects.filter(pk=pk).first()

        def rename(customer):
            customer.save()
    """,
    "shop/views.py": """
        import functools
        from django.http import JsonResponse
        from django.views.decorators.http import require_POST
        from shop.models import Customer
        from shop.services import lookup, place

        def audited(view):
            @functools.wraps(view)
            def wrapper(*args, **kwargs):
                return view(*args, **kwargs)
            return wrapper

        @require_POST
        @audited
        def checkout(request):
            customer = lookup(request.POST["customer"])
            place(10)
            return JsonResponse({})

        @audited
        def profile(request):
            return JsonResponse({"n": Customer.objects.count()})
    """,
    "shop/urls.py": """
        from django.urls import path
        from shop import views

        urlpatterns = [path("checkout/", views.checkout), path("profile/", views.profile)]
    """,
}


def test_routes_carry_the_models_they_reach() -> None:
    graphs = link(facts_of(PROJECT))
    found = recognize(graphs, load_heuristics())
    by_path = {route.path: route for route in found.routes}
    # Why: checkout reads Customer (through lookup) and writes Order (through place).
    assert by_path["/checkout"].reads == ["shop.models:Customer"]
    assert by_path["/checkout"].writes == ["shop.models:Order"]
    # Why: both views share the `audited` wrapper; profile must not inherit checkout's writes through it.
    assert by_path["/profile"].reads == ["shop.models:Customer"]
    assert by_path["/profile"].writes == []


def test_instance_save_is_a_write_and_a_function_named_like_a_manager_is_not() -> None:
    project = {
        **PROJECT,
        "shop/other.py": """
            from shop.models import Customer

            class objects:
                @staticmethod
                def create(**kwargs):
                    return None

            def make(customer: Customer):
                customer.save()
                objects.create(total=1)
        """,
    }
    graphs = link(facts_of(project))
    from migrate_scan.stages.recognize.data_access import DataAccess

    access = DataAccess(graphs, {"shop.models:Order", "shop.models:Customer"})
    assert access.reached_from("shop.other:make") == ([], ["shop.models:Customer"])
