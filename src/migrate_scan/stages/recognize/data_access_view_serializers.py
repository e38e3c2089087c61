"""Data access: a serializer a view's own method gets from `self.get_serializer(...)`, then validates and saves.

```python
def post(self, request):
    serializer = self.get_serializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    serializer.save(user=request.user)
```

`self.get_serializer(...)` makes an instance of the view's serializer class (its `serializer_class`, what its
`get_serializer_class` returns): `serializer.is_valid()` runs that class's `validate`/`validate_<field>`
methods and what its fields read validating input; `serializer.save()` its `create` (no instance given) or
`update` (`self.get_serializer(obj, data=...)`, `instance=obj`) and the many-to-many relations it sets. The
`is_valid` and `save` form hooks name the methods; `data_access_serializers` what the fields touch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from migrate_scan.model.facts import Expr, ExprKind
from migrate_scan.stages.recognize.data_access_serializer_saves import CREATES, SAVES, UPDATES, VALIDATES, methods_of
from migrate_scan.stages.recognize.expressions import keyword

if TYPE_CHECKING:
    from migrate_scan.stages.recognize.data_access import DataAccess

SERIALIZER_CALL = "get_serializer"
INSTANCE = "instance"


def serializer_uses(access: DataAccess, scope: str, view: str) -> None:
    """The hooks of the view's serializers that the serializers `scope` gets from `self.get_serializer(...)` run."""
    definition = access.graphs.definitions.get(scope)
    facts = access.graphs.modules.get(definition.module) if definition is not None else None
    if definition is None or facts is None:
        return
    qualname = definition.fact.qualname
    made: dict[str, Expr] = {}  # local → the `self.get_serializer(...)` call bound to it
    for assignment in facts.assignments:
        target, value = assignment.targets[0] if assignment.targets else None, assignment.value
        if assignment.scope != qualname or target is None or target[0] != ExprKind.NAME or value is None:
            continue
        if _made(value):
            made[str(target[1])] = value
    if not made:
        return
    hooks = access.known.form_hooks
    serializers = access.serializers.of_view(view)
    for call in facts.calls:
        func = call.call[2][0]
        if call.scope != qualname or func[0] != ExprKind.ATTRIBUTE or func[1] not in (VALIDATES, SAVES):
            continue
        owner = func[2][0]
        if owner[0] != ExprKind.NAME or str(owner[1]) not in made:
            continue
        names = list(hooks.get(VALIDATES, ()))
        if func[1] == SAVES:
            left_out = CREATES if _has_instance(made[str(owner[1])]) else UPDATES
            names += [n for n in hooks.get(SAVES, ()) if n != left_out]
        for serializer in serializers:
            access.calls[scope] |= methods_of(access, serializer, names)
            if func[1] == SAVES:
                access.serializers.saved_by(scope, serializer)


def _made(value: Expr) -> bool:
    """Whether a value is `self.get_serializer(...)`."""
    if value[0] != ExprKind.CALL:
        return False
    func = value[2][0]
    return func[0] == ExprKind.ATTRIBUTE and func[1] == SERIALIZER_CALL and func[2][0][:2] == (ExprKind.NAME, "self")


def _has_instance(call: Expr) -> bool:
    """Whether `self.get_serializer(...)` is given the row it changes (first positional argument, `instance=`)."""
    positional = [a for a in call[2][1:] if a[0] != ExprKind.STARRED]
    return bool(positional) or keyword(call, INSTANCE) is not None
