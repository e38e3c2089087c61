"""The report's JSON text: key-sorted, indented, byte-identical for the same tree.

The text is exactly `json.dumps(report.model_dump(mode="json"), sort_keys=True,
indent=2, ensure_ascii=False)` plus a newline. The standard library writes
indented JSON with its pure-Python generator encoder; `_Indented` writes the
same bytes about twice as fast (a real report holds hundreds of thousands of
values), and hands anything it does not expect back to `json.dumps`.

The pipeline keeps this text as its reusable analysis and remembers it for the
report object it returns (`remember`), so that the JSON renderer of that same
object writes nothing twice: an unchanged re-scan reads the text, validates it
into the report, and prints it as it was read.
"""

from __future__ import annotations

import json
import weakref
from json.encoder import encode_basestring  # the C escaper, as ensure_ascii=False uses
from typing import Any

from migrate_scan.model.memory import cycle_collection_paused
from migrate_scan.model.report import Report

_REMEMBERED: list[tuple[weakref.ref[Report], str]] = []
"""The report the pipeline returned last (weakly) and its text; emptied when that report is freed."""


def report_json(report: Report) -> str:
    """The report's JSON text and a final newline: the remembered text of this very object, else written.

    The cyclic garbage collector is paused while writing: the dumped report is
    hundreds of thousands of acyclic objects that each collection would walk.
    """
    if _REMEMBERED and _REMEMBERED[0][0]() is report:
        return _REMEMBERED[0][1]
    with cycle_collection_paused():
        return dumps_sorted(report.model_dump(mode="json")) + "\n"


def remember(report: Report, text: str) -> None:
    """Keep `text` as `report`'s JSON text while that object lives (the caller vouches they match).

    A report is frozen, and a copy made from it (`model_copy`) is another object: it is written anew.
    """
    _REMEMBERED[:] = [(weakref.ref(report, _forget), text)]


def _forget(reference: weakref.ref[Report]) -> None:
    if _REMEMBERED and _REMEMBERED[0][0] is reference:
        _REMEMBERED.clear()


def dumps_sorted(document: Any) -> str:
    """`json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False)`, faster on plain JSON data."""
    try:
        return _Indented().write(document)
    except _Unexpected:
        return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False)


class _Unexpected(Exception):
    """A value outside plain JSON data (a non-string key, a subclass, ...): left to `json.dumps`."""


class _Indented:
    """Writes plain JSON data (dict with str keys, list, str, int, float, bool, None) as `json.dumps` indents it."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._keys: dict[str, str] = {}  # key → its encoded form and ": " (a report repeats a few dozen keys)

    def write(self, document: Any) -> str:
        self._value(document, "\n")
        return "".join(self._parts)

    def _value(self, value: Any, newline: str) -> None:
        kind = type(value)
        if kind is str:
            self._parts.append(encode_basestring(value))
        elif kind is dict:
            self._object(value, newline)
        elif kind is list:
            self._array(value, newline)
        elif value is None:
            self._parts.append("null")
        elif value is True:
            self._parts.append("true")
        elif value is False:
            self._parts.append("false")
        elif kind is int:
            self._parts.append(int.__repr__(value))
        elif kind is float and value == value and value not in (float("inf"), float("-inf")):
            self._parts.append(float.__repr__(value))
        else:
            raise _Unexpected

    def _object(self, value: dict[Any, Any], newline: str) -> None:
        if not value:
            self._parts.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        try:
            keys = sorted(value)
        except TypeError:
            raise _Unexpected from None
        parts, encoded_keys = self._parts, self._keys
        for key in keys:
            encoded = encoded_keys.get(key)
            if encoded is None:
                if type(key) is not str:
                    raise _Unexpected
                encoded = encoded_keys[key] = encode_basestring(key) + ": "
            item = value[key]
            kind = type(item)
            if kind is str:  # the common leaves, written inline: a call less per value
                parts.append(separator + encoded + encode_basestring(item))
            elif kind is int:
                parts.append(separator + encoded + int.__repr__(item))
            else:
                parts.append(separator + encoded)
                self._value(item, inner)
            separator = "," + inner
        parts.append(newline + "}")

    def _array(self, value: list[Any], newline: str) -> None:
        if not value:
            self._parts.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            self._parts.append(separator)
            self._value(item, inner)
            separator = "," + inner
        self._parts.append(newline + "]")
