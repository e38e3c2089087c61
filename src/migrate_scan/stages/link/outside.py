"""Outside values: symbols of code outside the tree, and the rule for naming them as callees.

An outside value is `ext:<module>:<path>`. Its path is a chain of steps:
static attribute accesses (`.name`) and instance boundaries (`()`, "what
calling the part before returns"). `ext:requests:get` is the function,
`ext:smtplib:SMTP()` an instance built by calling `smtplib.SMTP`,
`ext:smtplib:SMTP().sendmail` that instance's method.

A call-graph callee is named only when its path is evident from the code
(`outside_callee`):

- a static path: an imported name plus static attributes (`requests:get`,
  `os:path.join`);
- a method of an instance of an outside class (`smtplib:SMTP.sendmail`),
  where the class is one the code instantiates or subclasses: a name that
  is a class by Python's naming convention (capitalized), a builtin type,
  or a type of the knowledge table (`heuristics/types.toml`);
- a method of a type the knowledge table gives as what a call or attribute
  returns (`django.db.models:QuerySet.filter` for `Order.objects.filter`).

Anything else (a method of what `requests.get()` returns, an attribute of an
attribute of an instance) is an unresolved outside call, counted against its
package. Values never grow by repeating a step: a step already in the path
leaves the value as it is, so a loop such as `s = s.replace(...)` ends at once.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from dataclasses import dataclass, field

from migrate_scan.heuristics.schema import TypeRule

INSTANCE = "()"
_BUILTIN_TYPES = frozenset(name for name in dir(builtins) if isinstance(getattr(builtins, name), type))


@dataclass(frozen=True)
class TypeTable:
    """The knowledge table of outside types, compiled into lookups by dotted name and type symbol."""

    types: frozenset[str] = frozenset()  # type symbols `module:Class`
    by_dotted: dict[str, str] = field(default_factory=dict)  # dotted name of the class → its type symbol
    made_by: dict[str, str] = field(default_factory=dict)  # dotted name of a function → type it returns
    attributes: dict[tuple[str, str], str] = field(default_factory=dict)  # (type, attribute) → type
    returns: dict[tuple[str, str], str] = field(default_factory=dict)  # (type, method) → type
    opaque: frozenset[str] = frozenset()  # types whose attributes are made at run time

    @classmethod
    def compile(cls, rules: Iterable[TypeRule]) -> TypeTable:
        """Lookup tables from the heuristics' type rules (the first rule to name a key wins)."""
        types: set[str] = set()
        by_dotted: dict[str, str] = {}
        made_by: dict[str, str] = {}
        attributes: dict[tuple[str, str], str] = {}
        returns: dict[tuple[str, str], str] = {}
        opaque: set[str] = set()
        for rule in sorted(rules, key=lambda r: r.id):
            types.add(rule.type)
            if rule.is_opaque:
                opaque.add(rule.type)
            for name in (rule.type.replace(":", "."), *rule.names):
                by_dotted.setdefault(name, rule.type)
            for name in rule.made_by:
                made_by.setdefault(name, rule.type)
            for attribute, returned in sorted(rule.attributes.items()):
                attributes.setdefault((rule.type, attribute), returned)
            for method, returned in sorted(rule.returns.items()):
                returns.setdefault((rule.type, method), returned)
        return cls(frozenset(types), by_dotted, made_by, attributes, returns, frozenset(opaque))

    def type_of_class(self, value: str) -> str | None:
        """The type symbol of an outside class value given by a static path (`ext:django.db:models.Model`)."""
        module, path = split(value)
        if not path or INSTANCE in path:
            return None
        return self.by_dotted.get(f"{module}.{path}")

    def type_of_instance(self, value: str) -> str | None:
        """The type symbol when the value is an instance of a known type (`ext:<type>()`)."""
        if not value.endswith(INSTANCE):
            return None
        symbol = value[4:-2]
        if symbol in self.types:
            return symbol
        module, path = split(value[:-2])
        return self.by_dotted.get(f"{module}.{path}") if path and INSTANCE not in path else None


NO_TYPES = TypeTable()


def split(value: str) -> tuple[str, str]:
    """`ext:<module>:<path>` → (module, path)."""
    module, _, path = value[4:].partition(":")
    return module, path


def instance_of(type_symbol: str) -> str:
    """The value of an instance of a type (`django.db.models:QuerySet` → `ext:django.db.models:QuerySet()`)."""
    return f"ext:{type_symbol}{INSTANCE}"


def outside_attribute(owner: str, name: str, types: TypeTable) -> str:
    """`owner.name` for an outside value that is not a module (see `Evaluation._attribute` for modules)."""
    type_symbol = types.type_of_instance(owner) or types.type_of_class(owner)
    if type_symbol is not None and type_symbol not in types.opaque:
        typed = types.attributes.get((type_symbol, name))
        if typed is not None:
            return instance_of(typed)
        if owner.endswith(INSTANCE):
            return f"ext:{type_symbol}{INSTANCE}.{name}"
    step = f".{name}"
    if _has_step(owner, step):
        return owner  # a step repeated (`s = s.replace(...)` in a loop): the value stays as it is
    return owner + step


def outside_call(callee: str, types: TypeTable) -> str:
    """What calling an outside value returns: a known type's instance, or `<callee>()`."""
    module, path = split(callee)
    if not path:
        return callee
    if INSTANCE not in path:
        dotted = f"{module}.{path}"
        known = types.by_dotted.get(dotted) or types.made_by.get(dotted)
        if known is not None:
            return instance_of(known)
    head, dot, method = path.rpartition(".")
    if dot and head.endswith(INSTANCE):
        type_symbol = types.type_of_instance(f"ext:{module}:{head}")
        returned = types.returns.get((type_symbol, method)) if type_symbol else None
        if returned is not None:
            return instance_of(returned)
    if path.endswith(INSTANCE):
        return callee  # calling an instance's result again adds nothing we could name
    return callee + INSTANCE


def as_instance(value: str) -> str:
    """An annotation's outside class → an instance of it."""
    return value if value.endswith(INSTANCE) or value.endswith(":") else value + INSTANCE


def outside_callee(value: str, types: TypeTable, subclassed: frozenset[str] = frozenset()) -> str | None:
    """The callee symbol of calling an outside value, or None when its path is not evident (see the module doc).

    Args:
        value: an `ext:` value.
        types: the knowledge table.
        subclassed: outside classes the tree subclasses (`module:path`), classes whatever their spelling.
    """
    module, path = split(value)
    if not path:
        return None
    if INSTANCE not in path:
        return f"{module}:{path}"
    head, _, tail = path.partition(INSTANCE)
    if not tail.startswith(".") or INSTANCE in tail or "." in tail[1:]:
        return None
    if module == "builtins" and head in _BUILTIN_TYPES and not hasattr(getattr(builtins, head), tail[1:]):
        return None  # `xs.split()` where xs may be a tuple: that type has no such method
    known = types.by_dotted.get(f"{module}.{head}", f"{module}:{head}")
    if known in types.opaque:
        return None  # `Mock().anything`: an attribute made at run time, not a symbol
    if known in types.types or f"{module}:{head}" in subclassed or _is_class_name(module, head):
        return f"{module}:{head}{tail}"
    return None


def outside_package(value: str) -> str:
    """The top-level package an outside value belongs to (`ext:django.db:models.Model` → `django`)."""
    return value[4:].partition(":")[0].partition(".")[0]


def strip_instances(value: str) -> str:
    """The value's path without instance boundaries: its dotted spelling for recognizers."""
    return value.replace(INSTANCE, "")


def _is_class_name(module: str, path: str) -> bool:
    last = path.rpartition(".")[2]
    if module == "builtins":
        return last in _BUILTIN_TYPES
    return last[:1].isupper()


def _has_step(value: str, step: str) -> bool:
    path = split(value)[1]
    steps = path.replace(INSTANCE, "").split(".")
    return step[1:] in steps
