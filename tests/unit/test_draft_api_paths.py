"""Report route paths → API Gateway REST paths: trailing slashes, refused parts, one parameter name per level."""

from __future__ import annotations

import pytest

from migrate_scan.stages.draft.api_paths import api_path, unify_parameters


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "/"),
        ("/tickets/", "/tickets"),  # Django's trailing slash names no API Gateway resource
        ("/tickets/{ticket_id}/", "/tickets/{ticket_id}"),
        ("/api/v1.0/items", "/api/v1.0/items"),
        ("/a//b", "/a/b"),
    ],
)
def test_api_path(path: str, expected: str) -> None:
    assert api_path(path) == expected


@pytest.mark.parametrize("path", ["/files/{name}.txt", "/a b", "/x/{1bad}", "/caf\u00e9"])
def test_parts_api_gateway_cannot_name_are_refused(path: str) -> None:
    with pytest.raises(ValueError, match="parameter"):
        api_path(path)


def test_sibling_parameters_share_one_name() -> None:
    renamed = unify_parameters(["/t/{id}", "/t/{pk}/edit", "/t/new", "/u/{pk}"])

    assert renamed == {"/t/{id}": "/t/{id}", "/t/{pk}/edit": "/t/{id}/edit", "/t/new": "/t/new", "/u/{pk}": "/u/{pk}"}


def test_unify_is_idempotent() -> None:
    once = unify_parameters(["/t/{b}/x/{c}", "/t/{a}/x/{d}/y"])

    assert unify_parameters(list(once.values())) == {p: p for p in once.values()}
