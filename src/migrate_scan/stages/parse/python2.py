"""Python 2 source → Python 3 source with the same lines, so an old monolith is read, not skipped.

A ten-year-old application may still hold Python 2 modules (`print "x"`, `except E, e:`,
`raise E, "msg"`, backticks, `<>`, `0777`, `10L`, `ur""`, indentation mixing tabs and spaces).
These are rewritten statically by fissix (a maintained fork of the standard library's lib2to3,
which Python 3.13 removed) with only the fixers that keep every statement where it starts; a
statement a fixer joins onto one line is followed by blank lines, so the facts' line numbers stay
those of the file. Nothing is imported or run. A file whose rewrite does not parse, or that a
fixer would lengthen, stays a syntax error.
"""

from __future__ import annotations

import difflib
import functools
import io
import re
import tokenize
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fissix.refactor import RefactoringTool

# Fixers that rewrite within a statement: enough for the grammar, plus the renames that let the
# linker follow old names (`StringIO`, `urlparse`, `d.iteritems()`). Left out on purpose: those
# that add or move lines (`urllib` imports split in two, metaclasses); `tuple_params` rewrites a
# lambda in place but adds a line to a `def`, which `_on_the_same_lines` then refuses.
LINE_PRESERVING_FIXERS = (
    "basestring",
    "dict",
    "except",
    "exec",
    "execfile",
    "has_key",
    "imports",
    "long",
    "ne",
    "numliterals",
    "paren",
    "print",
    "raise",
    "raw_input",
    "repr",
    "tuple_params",
    "unicode",
    "xrange",
)

# What Python 3 says about Python 2 syntax first met in a file. (`except E, e:` is not one: Python
# 3.14 reads `except A, B:` as two types, so libcst is asked first and this rewrite comes after.)
PYTHON2_SIGNS = (
    "Missing parentheses in call to 'print'",
    "Missing parentheses in call to 'exec'",
    "leading zeros in decimal integer literals are not permitted",
    "invalid decimal literal",
    "inconsistent use of tabs and spaces in indentation",
)

_LEADING_WHITESPACE = re.compile(r"^[ \t]+", re.MULTILINE)


def looks_like_python2(message: str) -> bool:
    """Whether a syntax error's message is one Python 3 gives for Python 2 syntax."""
    return any(sign in message for sign in PYTHON2_SIGNS)


def translate(source: bytes) -> str | None:
    """The file rewritten as Python 3 with the same lines, or None when it cannot be."""
    try:
        text = _expand_indent_tabs(_decode(source))
        rewritten = str(_tool().refactor_string(text + "\n", "<python2>"))[:-1]
    except Exception:  # fissix's own parse errors and anything else: the file stays a syntax error
        return None
    aligned = _on_the_same_lines(text, rewritten)
    return None if aligned is None else _rename_new_keywords(aligned)


NEW_KEYWORDS = frozenset({"async", "await"})
"""Names Python 2 code may use (`def send(data, async=False)`) that Python 3.7 made keywords."""


def _rename_new_keywords(text: str) -> str:
    """`async` and `await` used as names become `async_` and `await_`, on their lines; strings untouched."""
    if "async" not in text and "await" not in text:
        return text
    try:
        places = [
            token.start
            for token in tokenize.generate_tokens(io.StringIO(text).readline)
            if token.type == tokenize.NAME and token.string in NEW_KEYWORDS
        ]
    except (tokenize.TokenError, SyntaxError):
        return text
    lines = text.split("\n")
    for row, column in sorted(places, reverse=True):  # right to left: earlier columns stay valid
        line = lines[row - 1]
        end = column + len("async" if line.startswith("async", column) else "await")
        lines[row - 1] = f"{line[:end]}_{line[end:]}"
    return "\n".join(lines)


def _on_the_same_lines(text: str, rewritten: str) -> str | None:
    """The rewrite with each statement back on its line, or None when a rewrite grew a statement.

    A fixer may join a statement continued over lines (`raise E, \\` + its message becomes one
    `raise E(...)`): blank lines after it keep every later line where it was.
    """
    before, after = text.split("\n"), rewritten.split("\n")
    if len(before) == len(after):
        return rewritten
    aligned: list[str] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, start, end, new_start, new_end in matcher.get_opcodes():
        block = after[new_start:new_end]
        if tag == "equal" or len(block) == end - start:
            aligned += block
        elif len(block) > end - start:
            return None
        else:
            aligned += _spread(before[start:end], block)
    return "\n".join(aligned) if len(aligned) == len(before) else None


def _spread(old: list[str], new: list[str]) -> list[str]:
    """`new` laid over the lines of `old` (more of them), each on the old line it most resembles, in order."""
    if not new or len(old) > 64:
        return new + [""] * (len(old) - len(new))
    similarity = [[difflib.SequenceMatcher(None, o, n).ratio() for o in old] for n in new]
    # best[j][i]: the highest total similarity with new line j on old line i and the lines before it above i
    best = [[0.0] * len(old) for _ in new]
    came_from = [[0] * len(old) for _ in new]
    for j in range(len(new)):
        for i in range(j, len(old) - (len(new) - 1 - j)):
            if j == 0:
                best[j][i] = similarity[j][i]
                continue
            previous = max(range(j - 1, i), key=lambda k: best[j - 1][k])
            best[j][i] = best[j - 1][previous] + similarity[j][i]
            came_from[j][i] = previous
    last = max(range(len(new) - 1, len(old)), key=lambda i: best[-1][i])
    spread = [""] * len(old)
    for j in range(len(new) - 1, -1, -1):
        spread[last] = new[j]
        last = came_from[j][last]
    return spread


@functools.cache
def _tool() -> RefactoringTool:
    from fissix.refactor import RefactoringTool  # imported only when a Python 2 file is met

    return RefactoringTool([f"fissix.fixes.fix_{name}" for name in LINE_PRESERVING_FIXERS])


def _decode(source: bytes) -> str:
    """The text as Python reads it: the coding cookie or BOM, else UTF-8."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
    text = source.decode(encoding)
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _expand_indent_tabs(text: str) -> str:
    """Indentation as Python 2 read it: a tab advances to the next multiple of 8 columns."""
    return _LEADING_WHITESPACE.sub(lambda match: match.group(0).expandtabs(8), text)
