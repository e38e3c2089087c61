"""Identifiers shared by every stage: symbols and source locations.

A symbol is `module:qualname` (`shop.orders.views:OrderList.get`); the body of
a module is the bare module name. A location is a `/`-separated path relative
to the scanned root plus a 1-based line.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict, Field


class Location(BaseModel):
    """A place in the scanned tree: relative file path and 1-based line."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str = Field(description="Path relative to the scanned root, '/'-separated.")
    line: int = Field(ge=0, description="1-based line; 0 when the whole file is meant.")


def aliased_module(module: str, aliases: Mapping[str, str]) -> str:
    """The module an old import path names today (`flask.ext.sqlalchemy` → `flask_sqlalchemy`), else itself.

    A key ending in `.` replaces that prefix; any other key matches the module itself and its submodules.
    The longest matching key wins.
    """
    for old in sorted(aliases, key=len, reverse=True):
        if old.endswith("."):
            if module.startswith(old):
                return aliases[old] + module[len(old) :]
        elif module == old or module.startswith(old + "."):
            return aliases[old] + module[len(old) :]
    return module


def make_symbol(module: str, qualname: str = "") -> str:
    """Return the symbol naming `qualname` inside `module` (the module body if empty)."""
    return f"{module}:{qualname}" if qualname else module


TEST_PACKAGES = frozenset({"tests", "testing", "unittests"})
"""Package names that always hold test code (also any package ending in `_tests`: `integration_tests`)."""
AMBIGUOUS_TEST_PACKAGE = "test"
"""A package name that holds tests in some projects and a feature in others (a security scanner's `test`)."""


def is_test_file(name: str) -> bool:
    """A test file by its own name: `test_*.py`, `*_test.py`, `*_tests.py`, `conftest.py`."""
    return name.startswith("test_") or name.endswith(("_test", "_tests")) or name == "conftest"


def packages_of_tests(modules: Iterable[str]) -> frozenset[str]:
    """The modules and packages named `test` that are test code, judged from the tree.

    A module `test.py` is (Django's test module); a package named `test` is when it holds test files:
    `myapp.test` with `test_views.py` inside is test code, DefectDojo's `dojo.test` (models, views and
    signals for a scan's *test*) holds no test file and is domain code.
    """
    names = sorted(set(modules))
    known = set(names)
    found: set[str] = set()
    for module in names:
        parts = module.split(".")
        for index, part in enumerate(parts):
            if part != AMBIGUOUS_TEST_PACKAGE:
                continue
            prefix = ".".join(parts[: index + 1])
            if index == len(parts) - 1 and prefix in known and not _has_submodules(prefix, names):
                found.add(prefix)  # a plain `test.py`
            elif index < len(parts) - 1 and is_test_file(parts[-1]):
                found.add(prefix)
    return frozenset(found)


def _has_submodules(prefix: str, names: list[str]) -> bool:
    start = bisect.bisect_left(names, prefix + ".")
    return start < len(names) and names[start].startswith(prefix + ".")


def is_test_module(module: str, packages: frozenset[str] = frozenset()) -> bool:
    """Test code: never deployed, and what it registers (models, receivers, schemas) exists only in tests.

    A `tests`/`testing`/`unittests` or `*_tests` package, a test file (`test_*.py`, `*_test.py`,
    `conftest.py`), or a module under one of `packages`, the `test` packages that hold test files
    (`packages_of_tests`). A package named `test` alone is not taken for test code: applications name
    features so.
    """
    parts = module.split(".")
    if any(part in TEST_PACKAGES or part.endswith("_tests") for part in parts) or is_test_file(parts[-1]):
        return True
    return any(module == package or module.startswith(package + ".") for package in packages)


def split_symbol(symbol: str) -> tuple[str, str]:
    """Split a symbol into (module, qualname); qualname is '' for a module body."""
    module, _, qualname = symbol.partition(":")
    return module, qualname


# Characters a name may not carry into any output as they are: C0/C1 controls and DEL (a newline in a
# file name would break every line-based format), lone surrogates (undecodable bytes; not encodable as
# UTF-8), line/paragraph separators, and the bidirectional controls that can make text display in an
# order other than the one it is stored in.
_UNSAFE = re.compile("[\\\\\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
_SHORT_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_character(match: re.Match[str]) -> str:
    character = match.group()
    short = _SHORT_ESCAPES.get(character)
    if short is not None:
        return short
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as os.fsdecode's surrogateescape keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}"


def escape_name(name: str) -> str:
    """The one printable spelling of a file or folder name, used in every output format.

    Valid UTF-8 text is kept as it is (accents, CJK, spaces, `$(...)`, a leading dash). A byte that is not
    UTF-8 becomes `\\xNN` (NN from 80 to ff); an ASCII control character becomes `\\n`, `\\r`, `\\t` or
    `\\xNN` (NN below 80); a C1 control, a line separator, a bidirectional control or any other lone
    surrogate becomes `\\uNNNN`; and a backslash becomes `\\\\`. So two different names never print
    the same, and `unescape_name` gives the original back.

    Args:
        name: a name as `os.fsdecode` gives it (undecodable bytes as surrogates U+DC80-U+DCFF).
    """
    return _UNSAFE.sub(_escape_character, name)


_ESCAPE_SEQUENCE = re.compile(r"\\(\\|n|r|t|x[0-9a-f]{2}|u[0-9a-f]{4})")
_SHORT_UNESCAPES = {"\\": "\\", "n": "\n", "r": "\r", "t": "\t"}


def _unescape_sequence(match: re.Match[str]) -> str:
    body = match.group(1)
    if body in _SHORT_UNESCAPES:
        return _SHORT_UNESCAPES[body]
    code = int(body[1:], 16)
    if body[0] == "x" and code >= 0x80:
        return chr(0xDC00 + code)  # an undecodable byte, back as os.fsdecode spells it
    return chr(code)


def unescape_name(escaped: str) -> str:
    """Invert `escape_name`: the name as `os.fsdecode` spells it (`os.fsencode` gives its bytes)."""
    return _ESCAPE_SEQUENCE.sub(_unescape_sequence, escaped)
