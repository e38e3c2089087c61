"""Report route paths → API Gateway REST resource paths, one consistent tree per API.

Input: canonical route paths (`/tickets/{ticket_id}/`, parameters as `{name}`).
Output: API Gateway paths (`/tickets/{ticket_id}`) or None with the reason.

API Gateway REST keeps one resource per path part: a trailing slash names no
resource of its own (so it is dropped, `/` stays `/`), a part is letters,
digits and `._-:~` or one whole `{parameter}`, and the variable children of
one resource must share a single parameter name. `unify_parameters` renames
siblings to the first name in sorted order, so `/t/{id}` and `/t/{pk}/edit`
become `/t/{id}` and `/t/{id}/edit`: the view still receives the value, under
the name the reviewer sees in the template.
"""

from __future__ import annotations

import re

_PARAMETER = re.compile(r"\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)\}")
_LITERAL = re.compile(r"[A-Za-z0-9._:~-]+")


def api_path(path: str) -> str:
    """The API Gateway spelling of a canonical route path.

    Raises:
        ValueError: a part API Gateway cannot name (a parameter inside text, a character it refuses).
    """
    parts = [part for part in path.split("/") if part]
    for part in parts:
        if _PARAMETER.fullmatch(part) is None and _LITERAL.fullmatch(part) is None:
            raise ValueError(f"path part {part!r} is neither a whole {{parameter}} nor plain text")
    return "/" + "/".join(parts)


def unify_parameters(paths: list[str]) -> dict[str, str]:
    """Map each API path to one whose variable siblings share a name (the smallest, for the same result always)."""
    chosen: dict[tuple[str, ...], str] = {}  # parent parts (already unified) → the parameter name its children use
    for path in sorted(paths):
        parent: tuple[str, ...] = ()
        for part in path.split("/")[1:]:
            match = _PARAMETER.fullmatch(part)
            if match is not None:
                name = chosen.setdefault(parent, match["name"])
                part = "{" + name + "}"
            parent = (*parent, part)
    renamed: dict[str, str] = {}
    for path in paths:
        parent = ()
        for part in path.split("/")[1:]:
            if _PARAMETER.fullmatch(part) is not None:
                part = "{" + chosen[parent] + "}"
            parent = (*parent, part)
        renamed[path] = "/" + "/".join(parent)
    return renamed
