"""Recognition.sorted(): the published order does not depend on the run (string hashes vary)."""

from __future__ import annotations

import os
import subprocess
import sys

from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Recognition, UnresolvedRegistration

PROGRAM = """
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Recognition, UnresolvedRegistration
found = Recognition(unresolved=[
    UnresolvedRegistration(rule="jobs.beat", location=Location(file="settings.py", line=9), detail=f"entry {d}")
    for d in "fdbeca"
])
print(" ".join(u.detail[-1] for u in found.sorted().unresolved))
"""


def test_entries_tied_on_their_order_key_come_out_in_one_order_whatever_the_hash_seed() -> None:
    # Why: beat entries of one settings dict share file, line and rule; set order once decided.
    orders = {
        subprocess.run(
            [sys.executable, "-c", PROGRAM],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2", "3", "4")
    }
    assert orders == {"a b c d e f"}


def test_distinct_keys_still_order_by_the_key_and_duplicates_go() -> None:
    here = Location(file="a.py", line=1)
    later = Location(file="a.py", line=2)
    found = Recognition(
        unresolved=[
            UnresolvedRegistration(rule="r", location=later, detail="a"),
            UnresolvedRegistration(rule="r", location=here, detail="z"),
            UnresolvedRegistration(rule="r", location=here, detail="z"),
        ]
    )
    assert [(u.location.line, u.detail) for u in found.sorted().unresolved] == [(1, "z"), (2, "a")]
