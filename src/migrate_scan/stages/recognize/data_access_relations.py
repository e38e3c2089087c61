"""Relations loaded by iterating them: `for role in user.roles` reads roles (and its association table).

A SQLAlchemy relationship is loaded the first time it is read (`lazy="select"`, the default):
iterating one of an instance (a `for` loop or a comprehension over `user.roles`) queries its
target model, joined with the association table when the relation has one (`secondary`). A
call on it (`user.posts.filter(...)`, Django's `user.groups.all()`) is read by the call's own
rule; a relation of a class (`User.roles`, an SQL expression) loads nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from migrate_scan.model.facts import ExprKind, FileFacts
from migrate_scan.model.ids import Location
from migrate_scan.stages.recognize.expressions import scope_of

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess


def iterated_relations(access: DataAccess, facts: FileFacts) -> None:
    """Record, in each function of a module, the reads of the relations it iterates on instances."""
    for assignment in facts.assignments:
        value = assignment.value
        if assignment.operator != "iter" or not assignment.scope or value is None or value[0] != ExprKind.ATTRIBUTE:
            continue
        scope = scope_of(facts.module, assignment.scope)
        for denoted in sorted(access.denoted(scope, value)):
            if denoted.via is None or not denoted.is_last or denoted.is_class:
                continue
            where = Location(file=facts.path, line=assignment.line)
            access.record_read(scope, denoted.model, where)
            through = access.through.get(denoted.via)
            if through is not None:
                access.record_read(scope, through, where)
