"""Suppression comments in scanned code: `# migrate-scan: ignore[RULE,...] reason`.

`ignore-file[...]` silences the rules for the whole file. Without a bracket
the comment silences every rule. The text after the bracket is the reason,
which the report keeps beside the silenced finding.
"""

from __future__ import annotations

import re

from migrate_scan.model.facts import SuppressionFact

_MARKER = b"migrate-scan:"
_PATTERN = re.compile(
    r"#\s*migrate-scan:\s*(?P<kind>ignore-file|ignore)\b(?:\[(?P<rules>[^\]]*)\])?\s*[-:—]*\s*(?P<reason>.*?)\s*$"
)


def find_suppressions(source: bytes) -> tuple[SuppressionFact, ...]:
    """Return the suppression comments of a file, in line order."""
    if _MARKER not in source:
        return ()
    found: list[SuppressionFact] = []
    for number, raw_line in enumerate(source.splitlines(), start=1):
        if _MARKER not in raw_line:
            continue
        match = _PATTERN.search(raw_line.decode("utf-8", "replace"))
        if match is None:
            continue
        rules = tuple(sorted({r.strip() for r in (match["rules"] or "").split(",") if r.strip()}))
        found.append(
            SuppressionFact(
                line=number,
                rules=rules,
                reason=match["reason"],
                is_file_level=match["kind"] == "ignore-file",
            )
        )
    return tuple(found)
