"""Logical ids for drafted resources: CloudFormation's alphanumeric names, stable and unique per template."""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z0-9]+")
MAX_ID = 200  # CloudFormation allows 255; room for the suffixes the renderer adds (`ErrorRateAlarm`)


def camel(text: str) -> str:
    """`shop.orders.routes` → `ShopOrdersRoutes`; a leading digit gets an `R` (ids start with a letter)."""
    words = _WORD.findall(text)
    name = "".join(word[:1].upper() + word[1:] for word in words) or "Unnamed"
    return ("R" + name if name[0].isdigit() else name)[:MAX_ID]


class NameBook:
    """Hands out logical ids in one template: the same text always gives the same id within a run.

    Two texts that camel-case alike get `2`, `3`, ... suffixes in the order they are asked for;
    callers ask in sorted order, so the ids are the same for the same report.
    """

    def __init__(self) -> None:
        self._given: dict[str, str] = {}
        self._taken: set[str] = set()

    def name(self, text: str, suffix: str = "") -> str:
        """The logical id for `text` + `suffix`."""
        key = f"{text}\0{suffix}"
        if key in self._given:
            return self._given[key]
        base = camel(text)[: MAX_ID - len(suffix) - 3] + suffix
        candidate, number = base, 1
        while candidate in self._taken:
            number += 1
            candidate = f"{base}{number}"
        self._taken.add(candidate)
        self._given[key] = candidate
        return candidate
