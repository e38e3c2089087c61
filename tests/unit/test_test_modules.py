"""Which modules are test code: one rule for every stage (model.ids.is_test_module)."""

from __future__ import annotations

import pytest

from migrate_scan.model.ids import is_test_module, packages_of_tests

MODULES = [
    "dojo.test.models",  # a feature named `test` (a scan's test): domain code
    "dojo.test.views",
    "dojo.test",
    "shop.test",  # a `test` package with test files: test code
    "shop.test.test_views",
    "shop.test.helpers",
    "unittests.dojo_test_case",
    "shop.tests.factories",
    "shop.integration_tests.base",
    "shop.orders.test_models",
    "shop.orders.models_test",
    "conftest",
    "shop.contests.models",  # a word that ends in "tests" is not a tests package
    "shop.testimonials",
    "shop.latest",
    "hc.test",  # a plain test.py: test code
]


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("dojo.test.models", False),
        ("dojo.test.views", False),
        ("dojo.test", False),
        ("shop.test", True),
        ("shop.test.test_views", True),
        ("shop.test.helpers", True),
        ("unittests.dojo_test_case", True),
        ("shop.tests.factories", True),
        ("shop.integration_tests.base", True),
        ("shop.orders.test_models", True),
        ("shop.orders.models_test", True),
        ("conftest", True),
        ("shop.contests.models", False),
        ("shop.testimonials", False),
        ("shop.latest", False),
        ("hc.test", True),
    ],
)
def test_is_test_module(module: str, expected: bool) -> None:
    assert is_test_module(module, packages_of_tests(MODULES)) is expected


def test_packages_of_tests_are_the_test_packages_holding_test_files() -> None:
    assert packages_of_tests(MODULES) == frozenset({"shop.test", "hc.test"})
    # without knowing the tree, a package named `test` is not taken for tests
    assert is_test_module("shop.test.helpers") is False


def test_a_test_package_of_factories_and_fixtures_that_only_tests_import_is_test_code() -> None:
    from tests.unit.test_link import linked

    files = {
        "shop/__init__.py": "",
        "shop/models.py": "class Locale:\n    pass\n",
        "shop/test/__init__.py": "",
        "shop/test/factories.py": (
            "import factory\nfrom shop.models import Locale\n\n\nclass LocaleFactory(factory.Factory):\n    pass\n"
        ),
        "shop/test/fixtures.py": "import pytest\nfrom shop.test import factories\n",
        "conftest.py": "from shop.test.fixtures import *  # noqa\n",
        "shop/tests/test_locale.py": "from shop.test.factories import LocaleFactory\n",
    }
    graphs = linked(files)
    assert graphs.is_test("shop.test.factories") and graphs.is_test("shop.test")
    assert not graphs.is_test("shop.models")

    # deployed code imports it: a feature named `test`, even if a module of it uses unittest.mock
    deployed = {**files, "shop/views.py": "from shop.test.factories import LocaleFactory\n"}
    assert not linked(deployed).is_test("shop.test.factories")
    # no test framework in it: a feature (DefectDojo's `dojo.test`), whoever imports it
    feature = {**files, "shop/test/factories.py": "from shop.models import Locale\n"}
    feature = {name: text for name, text in feature.items() if name != "shop/test/fixtures.py"}
    assert not linked(feature).is_test("shop.test.factories")
