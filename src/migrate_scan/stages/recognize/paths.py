"""URL paths: joining prefixes and the canonical form the report uses.

Canonical: the URL as the framework serves it, with parameters as `{name}`,
converters dropped, prefixes applied and a leading `/`. The trailing slash
is kept as the rule has it, for Django and Flask alike (`/orders/{pk}/` is
not `/orders/{pk}`: the framework redirects one to the other).

Django regex routes are read with the regular-expression parser itself
(`re._parser`), so nested and non-capturing groups are understood as Django
understands them: a named group is `{name}`, an unnamed group `{argN}`,
anchors are dropped, an optional part (`(?:x/)?`, `/?`) is left out (the
shortest URL that matches, as Django's `reverse()` builds it), and a part
that is neither literal nor a group (a bare character class) is kept as
written.
"""

from __future__ import annotations

import re
import re._constants as sre  # type: ignore[import-not-found]  # typeshed: only as sre_constants (deprecated)
import re._parser as sre_parse  # type: ignore[import-not-found]  # typeshed: only as sre_parse (deprecated)
from collections.abc import Iterable
from typing import Any

# One parsed item: (opcode, argument), the argument's shape depending on the opcode.
_Item = tuple[object, Any]

_FLASK_PARAMETER = re.compile(r"<(?:[^<>:]+:)?([^<>:]+)>")
_DJANGO_PARAMETER = re.compile(r"<(?:[^<>:]+:)?([^<>:]+)>")


def join_prefix(prefix: str, rule: str) -> str:
    """Flask's joining of a blueprint prefix and a rule."""
    if not prefix:
        return rule
    if not rule:
        return prefix
    return f"{prefix.rstrip('/')}/{rule.lstrip('/')}"


def _tidy(path: str, keep_trailing_slash: bool) -> str:
    path = "/" + path.lstrip("/")
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1 and not keep_trailing_slash:
        path = path.rstrip("/")
    return path


def flask_canonical(rule: str) -> str:
    """`/orders/<int:order_id>/` → `/orders/{order_id}/` (the rule as Flask serves it, its slash kept)."""
    return _tidy(_FLASK_PARAMETER.sub(lambda m: "{" + m.group(1) + "}", rule), keep_trailing_slash=True)


def django_piece(route: str, is_regex: bool = False) -> str:
    """One Django route string as a path piece: `<int:pk>/` → `{pk}/`; `^(?P<pk>[0-9]+)/$` → `{pk}/`."""
    if not is_regex:
        return _DJANGO_PARAMETER.sub(lambda m: "{" + m.group(1) + "}", route)
    try:
        parsed = sre_parse.parse(route)
    except (re.error, RecursionError, OverflowError):
        return route.replace("^", "").replace("$", "")
    names = {number: name for name, number in parsed.state.groupdict.items()}
    return _Renderer(names).render(list(parsed))


def django_canonical(route: str, is_regex: bool = False) -> str:
    """The canonical path of a whole Django route (prefixes already concatenated, as Django does)."""
    return _tidy(django_piece(route, is_regex), keep_trailing_slash=True)


class _Renderer:
    """A parsed regular expression as the shortest URL it matches, groups as `{name}`."""

    def __init__(self, names: dict[int, str]) -> None:
        self.names = names
        self.unnamed = 0

    def render(self, items: list[_Item]) -> str:
        text = []
        for opcode, argument in items:
            if opcode is sre.LITERAL:
                text.append(chr(argument))
            elif opcode is sre.AT:
                continue
            elif opcode is sre.SUBPATTERN:
                group, _, _, content = argument
                text.append(self.group(group, content))
            elif opcode in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
                low, _, content = argument
                if low == 0:
                    continue  # optional: the shortest URL leaves it out
                text.append(self.render(list(content)) * min(int(low), 16))
            elif opcode is sre.BRANCH:
                _, branches = argument
                text.append(self.render(list(branches[0])))
            elif opcode is sre.ANY:
                text.append(".")
            elif opcode is sre.IN:
                text.append("[...]")
        return "".join(text)

    def group(self, group: int | None, content: Iterable[_Item]) -> str:
        if group is None:  # (?:...): its text, the groups inside it included
            return self.render(list(content))
        name = self.names.get(group)
        if name is None:
            name = f"arg{self.unnamed}"
            self.unnamed += 1
        return "{" + name + "}"
