"""Parse stage: the bytes of one file → `FileFacts | FileSkipped`; never raises.

One `ast.parse` per file (bytes in, so coding cookies and BOMs are honoured),
one extractor pass over the tree, radon's complexity over the same tree. A file
that the running interpreter's grammar rejects but libcst accepts goes through
`newer_syntax` first; a Python 2 file is rewritten line for line by `python2`.
Every failure becomes a `FileSkipped` with a reason.

This function runs inside worker processes (see `migrate_scan.workers`), which
guard against what no `except` can catch: a parser that crashes the process or
runs past its time limit.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass

from migrate_scan.model.facts import FileFacts, FileSkipped, ParseResult, SkipReason
from migrate_scan.stages.parse import python2
from migrate_scan.stages.parse.extractor import FactExtractor, encodable
from migrate_scan.stages.parse.metrics import measure
from migrate_scan.stages.parse.suppressions import find_suppressions

MAX_DOCSTRING_CHARS = 500

# ast's own errors that no newer grammar would accept either: no use asking libcst.
_HOPELESS_MESSAGES = (
    "too many nested",
    "Missing parentheses in call to",
    "source code cannot contain null bytes",
    "source code string cannot contain null bytes",
    "unknown encoding",
    "encoding problem",
    "too many statically nested blocks",
)


@dataclass(frozen=True, slots=True)
class ParseRequest:
    """One file to parse: its bytes, where it is and the module name it imports as."""

    path: str
    module: str
    is_package: bool
    source: bytes
    fallback_max_bytes: int = 512 * 1024


def parse_file(request: ParseRequest) -> ParseResult:
    """Parse one file into facts, or say why it was skipped. Never raises (but see module doc)."""
    try:
        return _parse(request)
    except RecursionError:
        return _skipped(request, SkipReason.PARSER_CRASH, "nesting too deep for the parser (RecursionError)")
    except MemoryError:
        return _skipped(request, SkipReason.PARSER_CRASH, "the parser ran out of memory")
    except Exception as error:
        return _skipped(request, SkipReason.PARSER_CRASH, f"{type(error).__name__}: {error}")


def _parse(request: ParseRequest) -> ParseResult:
    source = request.source
    parser = "ast"
    try:
        tree = _ast_parse(source, request.path)
    except SyntaxError as error:
        rewritten = _try_python2(request, error)
        if rewritten is not None:
            tree, parser = rewritten, "python2"
        else:
            downgraded = _try_newer_syntax(request, error)
            if isinstance(downgraded, FileSkipped):
                last_resort = _try_python2(request, error, last_resort=True)
                if last_resort is None:
                    return downgraded
                tree, parser = last_resort, "python2"
            else:
                tree = _ast_parse(downgraded.encode("utf-8"), request.path)
                parser = "libcst"
    except (UnicodeDecodeError, LookupError) as error:
        return _skipped(request, SkipReason.UNDECODABLE, _one_line(str(error)))
    except ValueError as error:  # null bytes on some interpreter versions
        return _skipped(request, SkipReason.SYNTAX_ERROR, _one_line(str(error)))
    metrics, complexity_by_line = measure(source, tree)
    extractor = FactExtractor(request.module, request.is_package, complexity_by_line)
    extractor.extract(tree)
    docstring = ast.get_docstring(tree, clean=True)
    return FileFacts(
        path=request.path,
        module=request.module,
        is_package=request.is_package,
        metrics=metrics,
        imports=tuple(extractor.imports),
        definitions=tuple(extractor.definitions),
        calls=tuple(extractor.calls),
        assignments=tuple(extractor.assignments),
        returns=tuple(extractor.returns),
        loops=tuple(extractor.loops),
        branches=tuple(extractor.branches),
        suppressions=find_suppressions(source),
        docstring=encodable(docstring[:MAX_DOCSTRING_CHARS]) if docstring else None,
        parser=parser,
    )


def _try_python2(request: ParseRequest, error: SyntaxError, *, last_resort: bool = False) -> ast.Module | None:
    """The tree of a Python 2 file rewritten line for line (`python2`), or None.

    Asked first when the error is one Python 3 gives for Python 2 syntax (`print "x"`), and as a last
    resort for any other error no newer grammar accepts either (`raise E, "msg"`, backticks, `<>`).
    """
    message = error.msg or ""
    hopeless = any(hopeless in message for hopeless in _HOPELESS_MESSAGES)
    wanted = not hopeless if last_resort else python2.looks_like_python2(message)
    if not wanted or len(request.source) > request.fallback_max_bytes:
        return None
    rewritten = python2.translate(request.source)
    if rewritten is None:
        return None
    try:
        return _ast_parse(rewritten, request.path)
    except (SyntaxError, ValueError):
        return None


def _ast_parse(source: bytes | str, path: str) -> ast.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escape sequences and the like are not our business
        return ast.parse(source, filename=path)


def _try_newer_syntax(request: ParseRequest, error: SyntaxError) -> str | FileSkipped:
    """Return the file rewritten for this grammar, or the skip that explains the syntax error."""
    message = _syntax_message(error)
    if _is_undecodable(error):
        return _skipped(request, SkipReason.UNDECODABLE, message, error.lineno)
    syntax_skip = _skipped(request, SkipReason.SYNTAX_ERROR, message, error.lineno)
    if any(hopeless in (error.msg or "") for hopeless in _HOPELESS_MESSAGES):
        return syntax_skip
    if len(request.source) > request.fallback_max_bytes:
        return syntax_skip
    from migrate_scan.stages.parse.newer_syntax import downgrade_source  # libcst is slow to import

    try:
        downgraded = downgrade_source(request.source)
    except Exception:
        return syntax_skip
    try:
        _ast_parse(downgraded.encode("utf-8"), request.path)
    except SyntaxError as second:
        return _skipped(
            request,
            SkipReason.NEWER_SYNTAX,
            f"syntax newer than this interpreter that could not be rewritten: {_syntax_message(second)}",
            second.lineno,
        )
    return downgraded


def _is_undecodable(error: SyntaxError) -> bool:
    text = error.msg or ""
    return "codec can't decode" in text or "unknown encoding" in text or "encoding problem" in text


def _syntax_message(error: SyntaxError) -> str:
    message = error.msg or "invalid syntax"
    if "Missing parentheses in call to 'print'" in message or "Missing parentheses in call to 'exec'" in message:
        message += " (looks like Python 2)"
    return _one_line(message)


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


def _skipped(request: ParseRequest, reason: SkipReason, message: str, line: int | None = None) -> FileSkipped:
    # Python reports line 0 for errors about the whole file (an unknown coding cookie): no line is known.
    return FileSkipped(path=request.path, module=request.module, reason=reason, message=message, line=line or None)
