"""Tables named by literal SQL statements (`recognize.sql`)."""

from __future__ import annotations

import pytest

from migrate_scan.stages.recognize.sql import tables_in_sql


@pytest.mark.parametrize(
    ("statement", "read", "written"),
    [
        # Why: the target of an UPDATE or a DELETE is written, not read (as a trace of the statement counts it).
        ("UPDATE post SET views = views + 1", set(), {"post"}),
        ("DELETE FROM notes_note WHERE id = %s", set(), {"notes_note"}),
        ("UPDATE post SET n = 1 WHERE id IN (SELECT post_id FROM likes)", {"likes"}, {"post"}),
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
