"""The JSON renderer's writer gives exactly the standard library's indented, key-sorted text."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate_scan.render.json_report import dumps_sorted

_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text()
_DOCUMENTS = st.recursive(
    _SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=40
)


def _reference(document: Any) -> str:
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False)


@settings(max_examples=300, deadline=None)
@given(_DOCUMENTS)
def test_any_json_document_is_written_as_json_dumps_writes_it(document: Any) -> None:
    """Why: the report's bytes are the contract; the faster writer must not move a single one."""
    assert dumps_sorted(document) == _reference(document)


def test_values_outside_plain_json_data_fall_back_to_json_dumps() -> None:
    """Why: a non-string key or a subclass is json.dumps's business (it converts or rejects them its way)."""

    class Number(int):
        pass

    for document in ({1: "a", 2: "b"}, {"n": Number(3)}, [float("nan"), float("-inf")], {None: 1}, {2.5: [()]}):
        assert dumps_sorted(document) == _reference(document)
    for unsortable in ({1: "a", "b": 2}, {"s": {1, 2}}):
        with pytest.raises(TypeError):
            _reference(unsortable)
        with pytest.raises(TypeError):
            dumps_sorted(unsortable)


def test_escapes_and_non_ascii_text() -> None:
    """Why: ensure_ascii=False keeps UTF-8 text as is but still escapes quotes, backslashes and control characters."""
    document = {"é": ['naïve "quoted" \\ back', "line\nbreak\t\x00", "\u2028", "😀"], "": {}}
    assert dumps_sorted(document) == _reference(document)
