"""URL paths: joining prefixes and the canonical form the report uses.

Canonical: parameters as `{name}`, converters and regex anchors dropped,
prefixes applied, a leading `/`, no trailing slash except for the root.
"""

from __future__ import annotations

import re

_FLASK_PARAMETER = re.compile(r"<(?:[^<>:]+:)?([^<>:]+)>")
_DJANGO_PARAMETER = re.compile(r"<(?:[^<>:]+:)?([^<>:]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<([^>]+)>[^)]*\)")


def join_prefix(prefix: str, rule: str) -> str:
    """Flask's joining of a blueprint prefix and a rule."""
    if not prefix:
        return rule
    if not rule:
        return prefix
    return f"{prefix.rstrip('/')}/{rule.lstrip('/')}"


def _tidy(path: str) -> str:
    path = "/" + path.lstrip("/")
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    return path


def flask_canonical(rule: str) -> str:
    """`/orders/<int:order_id>/` → `/orders/{order_id}`."""
    return _tidy(_FLASK_PARAMETER.sub(lambda m: "{" + m.group(1) + "}", rule))


def django_canonical(route: str, is_regex: bool = False) -> str:
    """`orders/<int:pk>/` → `/orders/{pk}`; `^orders/(?P<pk>[0-9]+)/$` → `/orders/{pk}`."""
    if is_regex:
        route = _REGEX_GROUP.sub(lambda m: "{" + m.group(1) + "}", route)
        route = route.replace("^", "").replace("$", "").replace("\\", "")
        route = re.sub(r"\?$", "", route)
    else:
        route = _DJANGO_PARAMETER.sub(lambda m: "{" + m.group(1) + "}", route)
    return _tidy(route)
