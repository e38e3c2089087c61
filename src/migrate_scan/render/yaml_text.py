"""A small deterministic YAML writer for CloudFormation templates (block style, no tags, no anchors).

Input: nested dicts, lists, strings, ints, floats and bools. Output: YAML 1.1
and 1.2 text that reads back to the same data. Mapping keys keep their
insertion order (templates read best in CloudFormation's own order), so the
caller decides the order and the same data always gives the same bytes.

A string is written plain only when it cannot be read as anything else (a
number, a bool, null, a date, an indicator); otherwise it is double-quoted
with JSON escapes, which YAML's double-quoted style accepts unchanged.
Intrinsic functions are written in their long form (`Fn::GetAtt: [...]`),
so no custom tags are needed.
"""

from __future__ import annotations

import json
import re

Node = dict[str, "Node"] | list["Node"] | str | int | float | bool | None

_PLAIN = re.compile(r"[A-Za-z_$/.][A-Za-z0-9_$/.:()*?{}+=,@ -]*")
_RESERVED = re.compile(
    r"(?i:y|n|yes|no|true|false|on|off|null|~)"  # YAML 1.1 booleans and null
    r"|[-+]?(\d[\d_]*)?\.?\d*([eE][-+]?\d+)?"  # anything number-like
    r"|\.(?i:inf|nan)"
)


def dump_yaml(data: Node) -> str:
    """The YAML text of `data`, ending with a newline."""
    lines: list[str] = []
    _block(data, 0, lines)
    return "\n".join(lines) + "\n"


def _scalar(value: Node) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    assert isinstance(value, str)
    return value if _is_plain(value) else json.dumps(value, ensure_ascii=False)


def _is_plain(text: str) -> bool:
    return (
        _PLAIN.fullmatch(text) is not None
        and _RESERVED.fullmatch(text) is None
        and not text.endswith((" ", ":"))
        and ": " not in text
        and " #" not in text
    )


def _key(key: str) -> str:
    return key if _is_plain(key) else json.dumps(key, ensure_ascii=False)


def _block(value: Node, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            lines.append(pad + "{}")
        for key, item in value.items():
            if _is_collection(item):
                lines.append(f"{pad}{_key(key)}:")
                _block(item, indent + 2, lines)
            else:
                lines.append(f"{pad}{_key(key)}: {_inline(item)}")
    elif isinstance(value, list):
        if not value:
            lines.append(pad + "[]")
        for item in value:
            if _is_collection(item):
                nested: list[str] = []
                _block(item, indent + 2, nested)
                lines.append(f"{pad}- {nested[0][indent + 2 :]}")
                lines.extend(nested[1:])
            else:
                lines.append(f"{pad}- {_inline(item)}")
    else:
        lines.append(pad + _scalar(value))


def _is_collection(value: Node) -> bool:
    return isinstance(value, dict | list) and bool(value)


def _inline(value: Node) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _scalar(value)
