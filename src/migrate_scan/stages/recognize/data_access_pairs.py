"""Data access: ORM calls returning a row with a flag, `tag, created = Tag.objects.get_or_create(name=n)`.

`get_or_create`/`update_or_create` (the `pair-method` vocabulary) return `(row, created)`: the first element
of the pair is a row of the model the query is on (`Tag`, or the target of a related manager:
`doc.notes.get_or_create(...)` gives a Note), so that what the caller then does with it (`tag.save()`,
`trigger.tags.set(...)`) is done to that model and its relations' tables. The other element is no row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from migrate_scan.model.facts import Expr, ExprKind

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess

ROW = 0
"""The position of the row in the pair."""


def pair_row(access: DataAccess, scope: str, call: Expr, index: int) -> set[str]:
    """The models the `index`-th element of a pair-returning ORM call's result is a row of (none otherwise)."""
    func = call[2][0]
    if index != ROW or func[0] != ExprKind.ATTRIBUTE or func[1] not in access.known.pair_methods:
        return set()
    return {denoted.model for denoted in access.denoted(scope, func[2][0]) if denoted.model in access.models}
