"""The value grammar of the link stage: tagged strings, and the helpers that read them.

Every variable, attribute, parameter and return of the scanned tree holds a
set of values. A value is a short string, cheap to hash and compare, whose
tag (before the first colon) says what it is:

    def:<symbol>        a function, method or lambda of the tree      def:shop.views:index
    bnd:<symbol>        a method bound to its receiver (`self` given)  bnd:shop.models:Order.save
    cls:<symbol>        a class of the tree                            cls:shop.models:Order
    obj:<symbol>        an instance of a class of the tree             obj:shop.models:Order
    mod:<module>        a module (or namespace package) of the tree    mod:shop.views
    ext:<module>:<path> something outside the tree, by import path     ext:flask:Blueprint.route
    ext:<module>:       an outside module itself (empty path)          ext:requests:
    bi:<name>           a builtin                                      bi:len
    lit:<type>          a literal constant (`lit:str`, `lit:bytes`)
    sup:<owner>         `super()` inside a method of class <owner>
    sup:<owner>|<cls>   the same, with the receiver's class known
    seq:<n>             a list, tuple, set or dict literal (<n>: a digest of its scope and expression);
                        its elements are tracked per slot (`[*]`, or `[<constant key>]`) under the
                        key (seq:<n>, slot)
    sl:<start>:seq:<n>  a slice of a literal container (start offset, or empty when unknown)
    gen:<symbol>        the generator a call of generator function <symbol> returns
    map:<symbol>        the iterator `map(<symbol>, ...)` returns
    wrap:<w>|...|<f>    what our own decorator made of function f: wrapper w (calling it
                        reaches every link of the chain)

Sets are capped at MAX_VALUES; past the cap the smallest values win, so which
values a full set keeps never depends on the order they arrived in.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator

from migrate_scan.model.facts import Expr, ExprKind

BUILTIN_NAMES = frozenset(dir(builtins))
MAX_VALUES = 32
EMPTY: frozenset[str] = frozenset()
STRING = frozenset({"lit:str"})
BYTES = frozenset({"lit:bytes"})


def grow(current: set[str], values: Iterable[str], refused: set[str] | None = None) -> bool:
    """Add values to a set of at most MAX_VALUES; True if it grew.

    Past the cap, the smallest new values win: which values a full set keeps
    must not depend on the order they arrive in (string hashing varies between
    processes), or the same tree would not always give the same report.
    The values left out are added to `refused` when it is given.
    """
    before = len(current)
    if before >= MAX_VALUES:
        if refused is not None:
            refused.update(v for v in values if v not in current)
        return False
    fresh = set(values) - current if not isinstance(values, set | frozenset) else values - current
    if not fresh:
        return False
    if before + len(fresh) <= MAX_VALUES:
        current |= fresh
    else:
        ordered = sorted(fresh)
        current.update(ordered[: MAX_VALUES - before])
        if refused is not None:
            refused.update(ordered[MAX_VALUES - before :])
    return True


def grown_set(current: frozenset[str], values: Iterable[str], refused: set[str]) -> frozenset[str] | None:
    """`grow` without changing `current`: the grown set, or None when nothing was added (same cap, same choice)."""
    before = len(current)
    if before >= MAX_VALUES:
        refused.update(v for v in values if v not in current)
        return None
    fresh = set(values) - current if not isinstance(values, set | frozenset) else values - current
    if not fresh:
        return None
    if before + len(fresh) <= MAX_VALUES:
        return current | fresh
    ordered = sorted(fresh)
    refused.update(ordered[MAX_VALUES - before :])
    return current | frozenset(ordered[: MAX_VALUES - before])


def as_base(values: Iterable[str]) -> Iterator[str]:
    """Base-class values: our classes, outside ones, and builtins (`dict`) as outside ones."""
    for value in values:
        if value.startswith(("cls:", "ext:")):
            yield value
        elif value.startswith("bi:"):
            yield f"ext:builtins:{value[3:]}"


def instances(values: Iterable[str]) -> set[str]:
    """What an annotation denotes: instances of the classes it names."""
    found = set()
    for value in values:
        if value.startswith("cls:"):
            found.add(f"obj:{value[4:]}")
        elif value.startswith("ext:"):  # an outside class: an instance of it (see `outside`)
            found.add(value if value.endswith(("()", ":")) else value + "()")
    return found


def constant_int(expr: Expr) -> int | None:
    value = expr[1]
    if expr[0] == ExprKind.CONSTANT and isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def slot_of(index: Expr) -> str:
    """The element slot a subscript names: `[<constant>]`, or `[*]` when not a constant."""
    if index[0] == ExprKind.CONSTANT:
        return f"[{index[1]!r}]"
    return "[*]"


def child_symbol(scope: str, name: str) -> str:
    return f"{scope}.{name}" if ":" in scope else f"{scope}:{name}"


def prefixes(module: str) -> list[str]:
    """`a.b.c` → `a`, `a.b`: the packages a module lives in."""
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def external_dotted(value: str) -> str:
    """`ext:flask.views:MethodView` → `flask.views.MethodView` (instance boundaries `()` dropped)."""
    module, _, path = value[4:].replace("()", "").partition(":")
    return f"{module}.{path}" if path else module


def external_symbol(dotted: str) -> str:
    """An external class's dotted name back to `module:path` (split at the last dot)."""
    module, _, name = dotted.rpartition(".")
    return f"{module}:{name}" if module else f"{dotted}:"


def dotted_value(value: str) -> str:
    tag, _, target = value.partition(":")
    if tag == "ext":
        return external_dotted(value)
    if tag in ("def", "bnd", "cls", "obj"):
        return target.replace(":", ".")
    if tag == "mod":
        return target
    if tag == "bi":
        return f"builtins.{target}"
    return ""
