"""Route paths: Django regex and route strings read with the framework's own semantics.

The oracle is Django's `django.utils.regex_helper.normalize`, what `reverse()`
uses to build a URL from a regex pattern: its first (shortest) form, with
`%(name)s` placeholders written `{name}` here. It is Django's code, not ours.
"""

from __future__ import annotations

import re

import pytest
from django.utils.regex_helper import normalize

from migrate_scan.stages.recognize.paths import django_canonical, django_piece, flask_canonical

REGEXES = [
    r"^orders/(?P<pk>[0-9]+)/$",
    r"^rooms/(?P<room>[a-z]{2}(?:-\d+)?)/$",  # a nested non-capturing group inside a named one
    r"^api/(?P<version>(v1|v2))/users/$",
    r"^legacy/(?P<slug>[-\w]+)\.html$",
    r"^orders/(?P<pk>[0-9]+)/?$",  # an optional slash: the shortest URL leaves it out
    r"^(?:archive/)?(?P<year>[0-9]{4})/$",
    r"^$",
    r"^x\.(?P<format>[a-z0-9]+)/?$",
]


@pytest.mark.parametrize("regex", REGEXES)
def test_regex_routes_match_djangos_reverse(regex: str) -> None:
    template, _params = normalize(regex)[0]
    expected = re.sub(r"%\((\w+)\)s", r"{\1}", template)
    assert django_piece(regex, is_regex=True) == expected


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        ("orders/<int:pk>/", "/orders/{pk}/"),
        ("accounts/<slug:slug>/edit/", "/accounts/{slug}/edit/"),
        ("", "/"),
        ("api/v1", "/api/v1"),
    ],
)
def test_route_strings_keep_djangos_trailing_slash(route: str, expected: str) -> None:
    assert django_canonical(route) == expected


def test_unnamed_groups_are_numbered_and_flask_rules_keep_their_trailing_slash() -> None:
    assert django_canonical(r"^(\d+)/(\d+)/$", is_regex=True) == "/{arg0}/{arg1}/"
    assert flask_canonical("/orders/<int:order_id>/") == "/orders/{order_id}/"
    assert flask_canonical("/orders/<int:order_id>") == "/orders/{order_id}"


def test_canonical_form_is_idempotent() -> None:
    for regex in REGEXES:
        once = django_canonical(regex, is_regex=True)
        assert django_canonical(once) == once
