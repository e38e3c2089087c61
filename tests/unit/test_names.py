"""File names: one escaping (`model.ids.escape_name`) that is printable, injective and reversible."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate_scan.model.ids import escape_name, unescape_name

CASES = [
    # (name as os.fsdecode gives it, the escaped spelling); why each is here in the comment
    ("café.py", "café.py"),  # valid UTF-8 is kept as it is
    (os.fsdecode(b"caf\xe9.py"), "caf\\xe9.py"),  # latin-1 bytes: not UTF-8
    ("a\nb.py", "a\\nb.py"),  # a newline would break every line-based format
    ("tab\there.py", "tab\\there.py"),
    ("bell\x07.py", "bell\\x07.py"),  # other C0 controls
    ("del\x7f.py", "del\\x7f.py"),
    ("c1\x85.py", "c1\\u0085.py"),  # a C1 control is valid UTF-8: \u, never confused with the byte 0x85
    (os.fsdecode(b"byte\x85.py"), "byte\\x85.py"),  # the byte 0x85 itself
    ("\u202eyp.exe.py", "\\u202eyp.exe.py"),  # a bidirectional override would reorder the display
    ("line\u2028sep.py", "line\\u2028sep.py"),
    ("back\\slash.py", "back\\\\slash.py"),  # the escape character itself
    ("-rf.py", "-rf.py"),  # shell-looking names are plain text, not escaped
    ("$(touch x).py", "$(touch x).py"),
    ("名前.py", "名前.py"),
]


@pytest.mark.parametrize(("name", "escaped"), CASES)
def test_escape_name(name: str, escaped: str) -> None:
    assert escape_name(name) == escaped
    assert unescape_name(escaped) == name


def test_escaped_names_are_utf8_and_printable() -> None:
    for name, _ in CASES:
        escaped = escape_name(name)
        escaped.encode("utf-8")  # never raises
        assert all(c.isprintable() or c == " " for c in escaped), escaped


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=40))
def test_escape_round_trips_any_bytes(raw: bytes) -> None:
    name = os.fsdecode(raw)
    escaped = escape_name(name)
    escaped.encode("utf-8")
    assert "\n" not in escaped and "\r" not in escaped
    assert os.fsencode(unescape_name(escaped)) == raw


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_escape_round_trips_any_text(name: str) -> None:
    assert unescape_name(escape_name(name)) == name
