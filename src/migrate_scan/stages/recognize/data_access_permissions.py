"""Data access: the tables a user's permission lookup reads, named after the project's own user models.

Django's `ModelBackend` reads the permission table, the user's `groups` and `user_permissions`
many-to-many tables, the group table and its `permissions` table. A project whose user model
declares those relations itself (its own `PermissionsMixin`, `Group` and `Permission` models, as
Saleor does) keeps them in its own tables (`account_user_groups`, `account_group_permissions`,
`permission_permission`): the tables of the heuristics' rule (`auth_group`, `{user}_groups`...)
are read as the tables the user model's relations name, where it declares them.
"""

from __future__ import annotations

from collections.abc import Iterable

from migrate_scan.model.report import TABLE_PREFIX, DataModel

DEFAULT_USER_TABLE = "auth_user"
USER_PLACEHOLDER = "{user}"
GROUPS, USER_PERMISSIONS, GROUP_PERMISSIONS = "groups", "user_permissions", "permissions"
DJANGO_GROUP, DJANGO_GROUP_PERMISSIONS, DJANGO_PERMISSION = "auth_group", "auth_group_permissions", "auth_permission"


def permission_tables(templates: Iterable[str], users: Iterable[str], data_models: list[DataModel]) -> tuple[str, ...]:
    """The rule's tables (`{user}`: the user model's table) as the user model (the first of `users`
    with a table) stores them."""
    by_symbol = {m.symbol: m for m in data_models}
    user = next((by_symbol[s] for s in sorted(users) if s in by_symbol and by_symbol[s].table), None)
    base = user.table if user is not None and user.table else DEFAULT_USER_TABLE
    renamed = _renamed(user, by_symbol) if user is not None else {}
    return tuple(renamed.get(t, t.replace(USER_PLACEHOLDER, base)) for t in templates)


def _renamed(user: DataModel, by_symbol: dict[str, DataModel]) -> dict[str, str]:
    """Rule table → the table the user model's `groups`/`user_permissions` relations (and the group
    model's `permissions`) are stored in, with the group and permission models' own tables."""
    renamed: dict[str, str] = {}
    relations = {r.field: r for r in user.relations if r.kind == "many-to-many"}
    groups, permissions = relations.get(GROUPS), relations.get(USER_PERMISSIONS)
    if groups is not None:
        _put(renamed, f"{USER_PLACEHOLDER}_{GROUPS}", _table(groups.through, by_symbol))
        group = by_symbol.get(groups.target)
        if group is not None:
            _put(renamed, DJANGO_GROUP, group.table)
            own = next((r for r in group.relations if r.field == GROUP_PERMISSIONS and r.kind == "many-to-many"), None)
            if own is not None:
                _put(renamed, DJANGO_GROUP_PERMISSIONS, _table(own.through, by_symbol))
    if permissions is not None:
        _put(renamed, f"{USER_PLACEHOLDER}_{USER_PERMISSIONS}", _table(permissions.through, by_symbol))
        permission = by_symbol.get(permissions.target)
        if permission is not None:
            _put(renamed, DJANGO_PERMISSION, permission.table)
    return renamed


def _put(renamed: dict[str, str], template: str, table: str | None) -> None:
    if table:
        renamed[template] = table


def _table(through: str | None, by_symbol: dict[str, DataModel]) -> str | None:
    """A relation's `through`: `table:<name>`, or a model's symbol (its table)."""
    if through is None:
        return None
    if through.startswith(TABLE_PREFIX):
        return through[len(TABLE_PREFIX) :]
    model = by_symbol.get(through)
    return model.table if model is not None else None
