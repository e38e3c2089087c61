"""Raw SQL: the tables a literal SQL statement reads and writes.

`tables_in_sql("UPDATE post SET views = views + 1")` → ({"post"}, {"post"}):
a statement's target is written (INSERT INTO, UPDATE, DELETE FROM, TRUNCATE,
MERGE INTO, REPLACE INTO); every other table after FROM, JOIN or USING is read
(the target of DELETE FROM is written only, as the target of an UPDATE). Names
are unquoted, their schema dropped, and lowered. A string that does not start
like a statement is not SQL: nothing. Read by the data-access recognizer on the
literal first argument of `cursor.execute(...)`, `text(...)`, `Model.objects.raw(...)`
and the like. Common table expressions (`WITH x AS (...)`) are not tables.
"""

from __future__ import annotations

import re

_NAME = r'((?:"[^"]+"|`[^`]+`|\[[^\]]+\]|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"[^"]+"|`[^`]+`|\[[^\]]+\]|[A-Za-z_][\w$]*))*)'
_STATEMENT = re.compile(r"^\s*\(?\s*(select|insert|update|delete|with|truncate|merge|replace|upsert)\b", re.I)
_WRITTEN = re.compile(
    r"\b(?:insert\s+(?:or\s+\w+\s+)?into|replace\s+into|merge\s+into|update(?:\s+only)?|delete\s+from(?:\s+only)?"
    r"|truncate(?:\s+table)?(?:\s+only)?)\s+" + _NAME,
    re.I,
)
_READ = re.compile(r"\b(?:from|join|using)\s+(?:only\s+)?" + _NAME, re.I)
_CTE = re.compile(r"(?:\bwith(?:\s+recursive)?|,)\s*([A-Za-z_]\w*)\s*(?:\([^)]*\)\s*)?as\s*\(", re.I)
_KEYWORDS = frozenset({"select", "lateral", "unnest", "values", "set", "where", "generate_series", "json_each"})


def tables_in_sql(text: str) -> tuple[set[str], set[str]]:
    """(read, written) table names of a SQL statement; empty when the text is not one."""
    if not _STATEMENT.match(text):
        return set(), set()
    common = {match.group(1).lower() for match in _CTE.finditer(text)}
    written = {_table(m.group(1)) for m in _WRITTEN.finditer(text)}
    read = {_table(m.group(1)) for m in _READ.finditer(text)}
    deleted = {_table(m.group(1)) for m in _WRITTEN.finditer(text) if m.group(0).lower().startswith("delete")}
    written -= common | _KEYWORDS
    read = read - deleted - common - _KEYWORDS - {""}
    if text.lstrip("( \n\t").lower().startswith(("insert", "replace")):
        read -= written  # `INSERT INTO t SELECT ... FROM s` reads s, not t
    return read, written - {""}


def _table(name: str) -> str:
    """`"public"."Order"` → `order`: unquoted, without its schema, lowered."""
    last = re.split(r"\s*\.\s*", name)[-1]
    return last.strip('"`[]').lower()
