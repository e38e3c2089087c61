"""Tables named by literal SQL statements (`recognize.sql`)."""

from __future__ import annotations

import pytest

from migrate_scan.stages.recognize.sql import tables_in_sql


@pytest.mark.parametrize(
    ("statement", "read", "written"),
    [
        ("UPDATE post SET views = views + 1", {"post"}, {"post"}),  # finds its rows, then writes them
        ("DELETE FROM notes_note WHERE id = %s", {"notes_note"}, {"notes_note"}),
        ("INSERT INTO audit (a) VALUES (%s)", set(), {"audit"}),
        ("INSERT INTO archive (a) SELECT a FROM post", {"post"}, {"archive"}),
        ('SELECT * FROM "public"."User" u JOIN followers f ON f.id = u.id', {"user", "followers"}, set()),
        ("  select count(*) from legacy_stats", {"legacy_stats"}, set()),
        ("WITH recent AS (SELECT * FROM post) SELECT * FROM recent", {"post"}, set()),  # a CTE is no table
        ("TRUNCATE TABLE sessions", set(), {"sessions"}),
        # Why: text that does not start like a statement is not SQL, whatever words it holds.
        ("Deleted from the list", set(), set()),
        ("pick from here", set(), set()),
    ],
)
def test_tables_in_sql(statement: str, read: set[str], written: set[str]) -> None:
    assert tables_in_sql(statement) == (read, written)
