"""Per-file facts: what the parse stage learns from one file, and nothing more.

Facts depend on the bytes of one file and its module name alone, which is what
lets them be computed in parallel and cached. They are NamedTuples
(typed, immutable, and several times cheaper to build and pickle than frozen
dataclasses or pydantic models, which matters for hundreds of thousands of
facts), hold no syntax-tree node, and keep every collection as a tuple in
source order.

`ParseResult = FileFacts | FileSkipped` is closed: parsing a file never raises.
"""

from __future__ import annotations

import enum
import functools
import io
import pickle
from collections.abc import Callable
from typing import NamedTuple

ConstValue = str | int | float | complex | bool | bytes | None

FACTS_FORMAT = 6
"""Bumped whenever the facts a file gives change shape or content: part of every cache key."""


class ExprKind:
    """Node kinds of the expression tree (plain strings: they are compared on hot paths)."""

    NAME = "name"  # value: identifier
    ATTRIBUTE = "attr"  # value: attribute name; children: (object,)
    CALL = "call"  # children: (func, *positional); keywords: ((name | None, expr), ...)
    CONSTANT = "const"  # value: the literal
    LIST = "list"
    TUPLE = "tuple"
    SET = "set"
    DICT = "dict"  # children: keys and values interleaved; `**x` has an OTHER key "DictUnpack"
    STARRED = "starred"  # children: (value,)
    SUBSCRIPT = "subscript"  # children: (object, index)
    BINARY = "binop"  # value: operator class name (BitOr, Add, ...); children: (left, right)
    FSTRING = "fstring"  # children: its parts in order, literal text as CONSTANT, formatted values as themselves
    LAMBDA = "lambda"  # value: the lambda's name in its scope, as in its DefinitionFact
    OTHER = "other"  # value: the ast node class name; children dropped, except Slice (lower, upper, step),
    # Not (operand,) for `not x` (other unary operators keep no child), And/Or (values...) for a boolean operation,
    # IfExp (test, body, orelse), Compare (children (left,), keywords ((operator name, right), ...)) and
    # ListComp/SetComp/GeneratorExp with one `for` (elt, target, iter, *conditions)
    TRUNCATED = "truncated"  # last child of a container cut at the size cap


Expr = tuple[str, ConstValue, tuple["Expr", ...], tuple[tuple[str | None, "Expr"], ...]]
"""One node of the expression tree: `(kind, value, children, keywords)`.

Plain nested tuples, not objects: a large file holds hundreds of thousands of
them, and tuples of primitives build, pickle and compare several times
faster than any class. Read them by unpacking: `kind, value, children, _ = expr`.
"""


def dotted_name(expr: Expr) -> str | None:
    """Return `a.b.c` for a NAME/ATTRIBUTE chain, else None."""
    parts: list[str] = []
    kind, value, children, _ = expr
    while kind == ExprKind.ATTRIBUTE:
        parts.append(str(value))
        kind, value, children, _ = children[0]
    if kind != ExprKind.NAME:
        return None
    parts.append(str(value))
    return ".".join(reversed(parts))


def number_of(expr: Expr | None) -> float | None:
    """An int/float literal or simple arithmetic of them (`25 * 1024 * 1024`, `2 ** 20`)."""
    if expr is None:
        return None
    kind, value, children, _ = expr
    if kind == ExprKind.CONSTANT and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if kind == ExprKind.BINARY and len(children) == 2:
        left, right = number_of(children[0]), number_of(children[1])
        if left is None or right is None:
            return None
        if value == "Mult":
            return left * right
        if value == "Add":
            return left + right
        if value == "Sub":
            return left - right
        if value == "Pow" and abs(right) <= 64:
            return float(left**right)
        if value == "LShift" and 0 <= right <= 64:
            return float(int(left) << int(right))
        if value in ("Div", "FloorDiv") and right:
            return left / right if value == "Div" else float(left // right)
    return None


def string_of_constant(expr: Expr) -> str | None:
    """The value of a string literal, else None."""
    return expr[1] if expr[0] == ExprKind.CONSTANT and isinstance(expr[1], str) else None


ENV_READERS_WITH_DEFAULT = 2
"""How many leading arguments an environment read has: the variable's name, then its default."""


def configured_number(
    expr: Expr | None, lookup: Callable[[str], Expr | None] | None = None, depth: int = 0
) -> float | None:
    """The number a setting is given, as far as the code shows it without running.

    A literal or arithmetic of literals; a numeric string (`"0"`); `None` as infinity (Django's
    `CONN_MAX_AGE = None`: for ever); `int(...)`/`float(...)` of one of them; and the default of an
    environment read, a call whose first argument names the variable (`os.getenv("X", 1800)`,
    `env.int("X", default=600)`, a project helper `get_int_from_env("X", 1800)`). A bare name is
    followed through `lookup` (its assigned value), a few steps deep.
    """
    if expr is None or depth > 4:
        return None
    kind, value, children, keywords = expr
    number = number_of(expr)
    if number is not None:
        return number
    if kind == ExprKind.CONSTANT:
        if value is None:
            return float("inf")
        if isinstance(value, str):
            try:
                return float(value.strip())
            except ValueError:
                return None
        return None
    if kind == ExprKind.NAME and lookup is not None:
        return configured_number(lookup(str(value)), lookup, depth + 1)
    if kind != ExprKind.CALL:
        return None
    arguments = children[1:]
    name = (dotted_name(children[0]) or "").rpartition(".")[2]
    if name in ("int", "float") and arguments:
        return configured_number(arguments[0], lookup, depth + 1)
    defaults = [v for k, v in keywords if k == "default"]
    names_a_variable = bool(arguments) and string_of_constant(arguments[0]) is not None
    if names_a_variable and len(arguments) >= ENV_READERS_WITH_DEFAULT:
        defaults.append(arguments[1])
    return configured_number(defaults[0], lookup, depth + 1) if defaults else None


_OPERATORS = {"Add": "+", "Sub": "-", "Mult": "*", "Div": "/", "Mod": "%", "BitOr": "|"}


def expression_text(expr: Expr, *, elide_arguments: bool = False, quote_strings: bool = True) -> str:
    """A short source-like spelling of an expression, for messages and unresolved names.

    Args:
        expr: the expression.
        elide_arguments: write calls and subscripts as `f(...)` and `x[...]`.
        quote_strings: write string constants as Python literals (`'x'`), else bare (`x`).

    Parts with no short spelling (comprehensions, lambdas, conditionals) are `...`.
    """
    kind, value, children, keywords = expr
    text = functools.partial(expression_text, elide_arguments=elide_arguments, quote_strings=quote_strings)
    if kind == ExprKind.NAME:
        return str(value)
    if kind == ExprKind.ATTRIBUTE:
        return f"{text(children[0])}.{value!s}"
    if kind == ExprKind.CONSTANT:
        return repr(value) if quote_strings or not isinstance(value, str) else value
    if kind == ExprKind.SUBSCRIPT:
        return f"{text(children[0])}[...]" if elide_arguments else f"{text(children[0])}[{text(children[1])}]"
    if kind == ExprKind.CALL:
        if elide_arguments:
            return f"{text(children[0])}(...)"
        arguments = [text(c) for c in children[1:]] + [f"{k}={text(v)}" for k, v in keywords if k is not None]
        return f"{text(children[0])}({', '.join(arguments)})"
    if kind == ExprKind.BINARY and len(children) == 2:
        return f"{text(children[0])} {_OPERATORS.get(str(value), '?')} {text(children[1])}"
    if kind == ExprKind.FSTRING:
        return "f'...'"
    return "..."


class ImportFact(NamedTuple):
    """One name bound by an import statement.

    `module` is absolute (relative imports resolved against the file's own
    module name); `name` is None for `import a.b` and `*` for a star import;
    `bound_as` is the local name the statement binds (None for a star import);
    `is_aliased` tells `import a.b as a` (binds the submodule) from `import a.b` (binds `a`).
    """

    line: int
    scope: str
    module: str
    name: str | None
    bound_as: str | None
    level: int = 0
    is_resolved: bool = True
    is_aliased: bool = False


class ParameterFact(NamedTuple):
    """One parameter of a function: name, kind and annotation."""

    name: str
    kind: str  # positional, vararg, keyword, varkw
    annotation: Expr | None = None
    default: Expr | None = None


class DefinitionFact(NamedTuple):
    """A class or function definition (methods and nested functions included)."""

    kind: str  # class, function, lambda
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


class CallFact(NamedTuple):
    """A call expression and the definition that encloses it ('' = module body)."""

    line: int
    scope: str
    call: Expr
    is_implicit: bool = False  # a call the syntax implies (`raise Error` constructs Error)


class AssignmentFact(NamedTuple):
    """An assignment `targets = value` (also annotated and augmented ones).

    Recorded at module and class level always; inside functions only for
    simple targets (`x`, `self.x`), which is what type inference needs.
    """

    line: int
    scope: str
    targets: tuple[Expr, ...]
    value: Expr | None
    annotation: Expr | None = None
    operator: str | None = None  # augmented assignment (`+=` → "Add"); "iter" for a `for` target
    is_conditional: bool = False  # inside an if/for/while/try/match block of its scope


class ReturnFact(NamedTuple):
    """A `return` (or `yield`) with a value, kept for return-type inference."""

    line: int
    scope: str
    value: Expr
    is_yield: bool = False


class LoopFact(NamedTuple):
    """A `while` loop that may run for the life of the process.

    Its test is always true (`while True`, `while 1`) or a flag (`while running`, `while not self.shutdown`,
    `while not stop.is_set()`; a local flag the body itself sets, `while not done: ...; done = True`, is
    not one). What the recognizers need to tell a worker from a search or poll loop is kept too: whether
    the body leaves the loop (`return`, or a `break` of this loop), whether it leaves on a result (outside
    exception handlers) and whether it yields (a stream its consumer drives).
    """

    line: int
    scope: str
    end_line: int = 0
    is_flag: bool = False
    exits: bool = False
    yields: bool = False
    settles: bool = False  # leaves on a result (a return/break outside exception handlers), as a poll does


class BranchFact(NamedTuple):
    """An `if` statement: its test and the lines of its body and of its `else` (an `elif` is a nested branch);
    or (kind `with`) one context manager of a `with` statement and the lines of its body.

    Later stages fold an `if` test where its value is evident (a settings flag with a literal
    default) and read what the branch not taken holds as dead code; they read what a `with`
    block's context manager sets up for the calls inside it.
    """

    line: int
    scope: str
    test: Expr  # the `if` test, or the `with` item's context expression
    body_end: int  # the body is `line + 1 .. body_end`
    else_line: int = 0  # the `else` block is `else_line .. else_end`; 0 when there is none
    else_end: int = 0
    kind: str = "if"  # "if" or "with"
    exits: bool = False  # an `if` whose body ends in a `return` (bare or not) or a `raise`: what follows is skipped


class SuppressionFact(NamedTuple):
    """A `# migrate-scan: ignore[RULE,...] reason` comment.

    `rules` empty means every rule; `is_file_level` for `ignore-file`.
    """

    line: int
    rules: tuple[str, ...]
    reason: str
    is_file_level: bool = False


class FileMetrics(NamedTuple):
    """Size and complexity of one file, from the same tree radon walks."""

    loc: int
    sloc: int
    comments: int
    blank: int
    complexity: int  # radon's total: decision points of the whole file + 1
    max_complexity: int  # the most complex function or method


class SkipReason(enum.StrEnum):
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
    MEMORY_LIMIT = "memory-limit"
    DUPLICATE_MODULE = "duplicate-module"


class FileFacts(NamedTuple):
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
    parser: str = "ast"  # "libcst" when the file needed the newer-syntax fallback, "python2" when rewritten
    branches: tuple[BranchFact, ...] = ()


class FileSkipped(NamedTuple):
    """A Python file that was not analyzed, with the reason and line if known."""

    path: str
    module: str
    reason: SkipReason
    message: str
    line: int | None = None


ParseResult = FileFacts | FileSkipped


# -- wire form: how results cross process boundaries and sit in the cache -------------

_new = tuple.__new__
_PARAMETERS = DefinitionFact._fields.index("parameters")


def encode_result(result: ParseResult) -> bytes:
    """Serialise a parse result as a pickle of plain tuples (fast to write and to read back)."""
    if isinstance(result, FileSkipped):
        wire: tuple[object, ...] = ("S", result.path, result.module, result.reason.value, result.message, result.line)
    else:
        definitions = tuple(
            (*d[:_PARAMETERS], tuple(map(tuple, d.parameters)), *d[_PARAMETERS + 1 :]) for d in result.definitions
        )
        wire = (
            "F",
            result.path,
            result.module,
            result.is_package,
            tuple(result.metrics),
            tuple(map(tuple, result.imports)),
            definitions,
            tuple(map(tuple, result.calls)),
            tuple(map(tuple, result.assignments)),
            tuple(map(tuple, result.returns)),
            tuple(map(tuple, result.loops)),
            tuple(map(tuple, result.suppressions)),
            result.docstring,
            result.parser,
            tuple(map(tuple, result.branches)),
        )
    return pickle.dumps(wire, protocol=pickle.HIGHEST_PROTOCOL)


def decode_result(data: bytes) -> ParseResult:
    """Rebuild a parse result from `encode_result`'s bytes.

    Raises:
        ValueError: the bytes are not an encoded result.
    """
    try:
        wire = _WireUnpickler(io.BytesIO(data)).load()
        if wire[0] == "S":
            return FileSkipped(wire[1], wire[2], SkipReason(wire[3]), wire[4], wire[5])
        if wire[0] != "F":
            raise ValueError("unknown tag")
        definitions = tuple(
            _new(
                DefinitionFact,
                (*d[:_PARAMETERS], tuple(_new(ParameterFact, p) for p in d[_PARAMETERS]), *d[_PARAMETERS + 1 :]),
            )
            for d in wire[6]
        )
        return _new(
            FileFacts,
            (
                wire[1],
                wire[2],
                wire[3],
                _new(FileMetrics, wire[4]),
                tuple(_new(ImportFact, i) for i in wire[5]),
                definitions,
                tuple(_new(CallFact, c) for c in wire[7]),
                tuple(_new(AssignmentFact, a) for a in wire[8]),
                tuple(_new(ReturnFact, r) for r in wire[9]),
                tuple(_new(LoopFact, loop) for loop in wire[10]),
                tuple(_new(SuppressionFact, s) for s in wire[11]),
                wire[12],
                wire[13],
                tuple(_new(BranchFact, b) for b in wire[14]),
            ),
        )
    except (
        pickle.UnpicklingError, EOFError, IndexError, TypeError, KeyError, AttributeError, OverflowError,
        MemoryError, RecursionError,
    ) as error:  # fmt: skip
        raise ValueError(f"not an encoded parse result: {type(error).__name__}: {error}") from error


class _WireUnpickler(pickle.Unpickler):
    """Reads the wire form only: plain tuples of literals, where `complex` is the one global a pickle names.

    A damaged or foreign cache entry may name any global: it must read as a miss, and never import a
    module (a side effect, and `ModuleNotFoundError` escaped the damaged-entry handling).
    """

    def find_class(self, module: str, name: str) -> Callable[..., object]:
        """The one global the wire form holds (`builtins.complex`); anything else is not an encoded result."""
        if (module, name) == ("builtins", "complex"):
            return complex
        raise pickle.UnpicklingError(f"global {module}.{name} is not part of the wire form")
