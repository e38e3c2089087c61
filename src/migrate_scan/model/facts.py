"""Per-file facts: what the parse stage learns from one file, and nothing more.

Facts depend on the bytes of one file and its module name alone, which is what
lets them be computed in parallel and cached. They are frozen slotted
dataclasses (cheap to build, pickle and compare on the hot path), hold no
syntax-tree node, and keep every collection as a tuple in source order.

`ParseResult = FileFacts | FileSkipped` is closed: parsing a file never raises.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Union

ConstValue = Union[str, int, float, complex, bool, bytes, None]


class ExprKind(str, enum.Enum):
    """Node kinds of the small expression tree kept from the source."""

    NAME = "name"  # value: identifier
    ATTRIBUTE = "attr"  # value: attribute name; children: (object,)
    CALL = "call"  # children: (func, *positional); keywords: ((name|None, expr), ...)
    CONSTANT = "const"  # value: the literal
    LIST = "list"
    TUPLE = "tuple"
    SET = "set"
    DICT = "dict"  # children: keys and values interleaved; a None key (`**x`) is OTHER
    STARRED = "starred"  # children: (value,)
    SUBSCRIPT = "subscript"  # children: (object, index)
    BINARY = "binop"  # value: operator class name (BitOr, Add, ...); children: (left, right)
    FSTRING = "fstring"  # children: the formatted values
    LAMBDA = "lambda"
    OTHER = "other"  # value: the ast node class name; children dropped


@dataclass(frozen=True, slots=True)
class Expr:
    """One node of a serialisable expression tree.

    Containers longer than the parser's cap keep their first elements and set
    `is_truncated`; trees deeper than the cap end in an OTHER node.
    """

    kind: ExprKind
    value: ConstValue = None
    children: tuple[Expr, ...] = ()
    keywords: tuple[tuple[str | None, Expr], ...] = ()
    is_truncated: bool = False

    def dotted_name(self) -> str | None:
        """Return `a.b.c` for a NAME/ATTRIBUTE chain, else None."""
        parts: list[str] = []
        node: Expr = self
        while node.kind is ExprKind.ATTRIBUTE:
            parts.append(str(node.value))
            node = node.children[0]
        if node.kind is not ExprKind.NAME:
            return None
        parts.append(str(node.value))
        return ".".join(reversed(parts))


@dataclass(frozen=True, slots=True)
class ImportFact:
    """One name bound by an import statement.

    `module` is absolute (relative imports resolved against the file's own
    module name); `name` is None for `import a.b` and `*` for a star import;
    `bound_as` is the local name the statement binds (None for a star import).
    """

    line: int
    scope: str
    module: str
    name: str | None
    bound_as: str | None
    level: int = 0
    is_resolved: bool = True


@dataclass(frozen=True, slots=True)
class ParameterFact:
    """One parameter of a function: name, kind and annotation."""

    name: str
    kind: str  # positional, vararg, keyword, varkw
    annotation: Expr | None = None
    default: Expr | None = None


@dataclass(frozen=True, slots=True)
class DefinitionFact:
    """A class or function definition (methods and nested functions included)."""

    kind: str  # class, function
    name: str
    qualname: str
    scope: str  # qualname of the enclosing definition, '' for module level
    line: int
    end_line: int
    decorators: tuple[Expr, ...] = ()
    bases: tuple[Expr, ...] = ()
    class_keywords: tuple[tuple[str | None, Expr], ...] = ()
    parameters: tuple[ParameterFact, ...] = ()
    returns: Expr | None = None
    is_async: bool = False
    complexity: int = 1


@dataclass(frozen=True, slots=True)
class CallFact:
    """A call expression and the definition that encloses it ('' = module body)."""

    line: int
    scope: str
    call: Expr


@dataclass(frozen=True, slots=True)
class AssignmentFact:
    """An assignment `targets = value` (also annotated and augmented ones).

    Recorded at module and class level always; inside functions only for
    simple targets (`x`, `self.x`), which is what type inference needs.
    """

    line: int
    scope: str
    targets: tuple[Expr, ...]
    value: Expr | None
    annotation: Expr | None = None
    operator: str | None = None  # set for augmented assignment (`+=` → "Add")


@dataclass(frozen=True, slots=True)
class ReturnFact:
    """A `return` with a value, kept for return-type inference."""

    line: int
    scope: str
    value: Expr


@dataclass(frozen=True, slots=True)
class LoopFact:
    """A `while` loop whose test is always true (`while True`, `while 1`)."""

    line: int
    scope: str


@dataclass(frozen=True, slots=True)
class SuppressionFact:
    """A `# migrate-scan: ignore[RULE,...] reason` comment.

    `rules` empty means every rule; `is_file_level` for `ignore-file`.
    """

    line: int
    rules: tuple[str, ...]
    reason: str
    is_file_level: bool = False


@dataclass(frozen=True, slots=True)
class FileMetrics:
    """Size and complexity of one file, from the same tree radon walks."""

    loc: int
    sloc: int
    comments: int
    blank: int
    complexity: int  # sum of the cyclomatic complexity of every block
    max_complexity: int  # the most complex function or method


class SkipReason(str, enum.Enum):
    """Why a Python file was not analyzed."""

    SYNTAX_ERROR = "syntax-error"
    UNDECODABLE = "undecodable"
    TOO_LARGE = "too-large"
    UNREADABLE = "unreadable"
    NOT_A_FILE = "not-a-file"
    OUTSIDE_ROOT = "outside-root"
    TIMEOUT = "timeout"
    PARSER_CRASH = "parser-crash"
    NEWER_SYNTAX = "newer-syntax"


@dataclass(frozen=True, slots=True)
class FileFacts:
    """Everything the parse stage learned from one file."""

    path: str
    module: str
    is_package: bool
    metrics: FileMetrics
    imports: tuple[ImportFact, ...] = ()
    definitions: tuple[DefinitionFact, ...] = ()
    calls: tuple[CallFact, ...] = ()
    assignments: tuple[AssignmentFact, ...] = ()
    returns: tuple[ReturnFact, ...] = ()
    loops: tuple[LoopFact, ...] = ()
    suppressions: tuple[SuppressionFact, ...] = ()
    docstring: str | None = None
    parser: str = "ast"  # "libcst" when the file needed the newer-syntax fallback


@dataclass(frozen=True, slots=True)
class FileSkipped:
    """A Python file that was not analyzed, with the reason and line if known."""

    path: str
    module: str
    reason: SkipReason
    message: str
    line: int | None = None


ParseResult = Union[FileFacts, FileSkipped]
