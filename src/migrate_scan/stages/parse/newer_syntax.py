"""The fallback for files whose syntax is newer than the running interpreter.

libcst reads Python 3.0–3.14 syntax whatever interpreter runs it. A file that
the standard `ast` rejects but libcst accepts is rewritten into an equivalent
for this interpreter's grammar (same names, calls and lines; only the newer
forms change), and the regular extractor then reads it, so both parsers yield
the same facts. The rewrites:

- `type X[T] = ...` (PEP 695) → `X = ...`; type parameter lists are dropped;
- f-strings that reuse their quotes (PEP 701) and t-strings (PEP 750) become a
  tuple of their embedded expressions (the calls in them are kept, each on its
  own line); an implicit concatenation holding one becomes a tuple of its parts;
- `except A, B:` without brackets (PEP 758) gets its brackets.
"""

from __future__ import annotations

import libcst as cst


class _Downgrade(cst.CSTTransformer):
    """Rewrite newer syntax into the 3.11 grammar, keeping every line where it was."""

    def __init__(self, module: cst.Module) -> None:
        super().__init__()
        self._module = module

    def leave_TypeAlias(self, original_node: cst.TypeAlias, updated_node: cst.TypeAlias) -> cst.Assign:
        return cst.Assign(targets=[cst.AssignTarget(target=updated_node.name)], value=updated_node.value)

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        return updated_node.with_changes(type_parameters=None)

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        return updated_node.with_changes(type_parameters=None)

    def leave_ExceptHandler(
        self, original_node: cst.ExceptHandler, updated_node: cst.ExceptHandler
    ) -> cst.ExceptHandler:
        return updated_node.with_changes(type=_bracketed(updated_node.type))

    def leave_ExceptStarHandler(
        self, original_node: cst.ExceptStarHandler, updated_node: cst.ExceptStarHandler
    ) -> cst.ExceptStarHandler:
        return updated_node.with_changes(type=_bracketed(updated_node.type))

    def leave_FormattedString(
        self, original_node: cst.FormattedString, updated_node: cst.FormattedString
    ) -> cst.BaseExpression:
        return self._as_tuple(original_node, updated_node)

    def leave_TemplatedString(
        self, original_node: cst.TemplatedString, updated_node: cst.TemplatedString
    ) -> cst.BaseExpression:
        return self._as_tuple(original_node, updated_node)

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> bool:
        return False  # libcst refuses to concatenate a rewritten (parenthesized) part: done in leave

    def leave_ConcatenatedString(
        self, original_node: cst.ConcatenatedString, updated_node: cst.ConcatenatedString
    ) -> cst.BaseExpression:
        left = original_node.left.visit(self)
        right = original_node.right.visit(self)
        if left is original_node.left and right is original_node.right:
            return updated_node
        # `"a" f"{x}"` → `("a", (x, ))`: the whitespace between the parts keeps every line in place.
        comma = cst.Comma(whitespace_after=original_node.whitespace_between)
        elements = [cst.Element(value=left, comma=comma), cst.Element(value=right)]  # type: ignore[arg-type]
        return cst.Tuple(
            elements=elements,
            lpar=[*original_node.lpar, cst.LeftParen()],
            rpar=[cst.RightParen(), *original_node.rpar],
        )

    def _as_tuple(
        self, original: cst.FormattedString | cst.TemplatedString, updated: cst.FormattedString | cst.TemplatedString
    ) -> cst.BaseExpression:
        """The embedded expressions as a tuple, each on the line it had in the string."""
        code = self._module.code_for_node
        expressions: list[tuple[int, cst.BaseExpression]] = []  # (newlines before it, expression)
        newlines = 0  # from the opening quote to the current part
        for old_part, new_part in zip(original.parts, updated.parts, strict=True):
            embedded = cst.FormattedStringExpression | cst.TemplatedStringExpression
            if isinstance(old_part, embedded) and isinstance(new_part, embedded):  # the same kind on both sides
                before = newlines + code(old_part.whitespace_before_expression).count("\n")
                expressions.append((before, new_part.expression))
            newlines += code(old_part).count("\n")
        gaps = []
        line = 0  # newlines written so far
        for before, expression in expressions:
            gaps.append(before - line)
            line = before + code(expression).count("\n")
        elements = [
            cst.Element(
                value=expression,
                comma=cst.Comma(whitespace_after=_newlines(gaps[i + 1], " ") if i + 1 < len(gaps) else _newlines(0)),
            )
            for i, (_, expression) in enumerate(expressions)
        ]
        opening = cst.LeftParen(whitespace_after=_newlines(gaps[0] if gaps else 0))
        closing = cst.RightParen(whitespace_before=_newlines(newlines - line))
        return cst.Tuple(elements=elements, lpar=[*updated.lpar, opening], rpar=[closing, *updated.rpar])


def _newlines(count: int, otherwise: str = "") -> cst.BaseParenthesizableWhitespace:
    """Whitespace holding `count` line breaks (inside brackets), or `otherwise` when none."""
    if count <= 0:
        return cst.SimpleWhitespace(otherwise)
    return cst.ParenthesizedWhitespace(
        first_line=cst.TrailingWhitespace(),
        empty_lines=[cst.EmptyLine(indent=False)] * (count - 1),
        indent=False,
        last_line=cst.SimpleWhitespace(""),
    )


def _bracketed(expression: cst.BaseExpression | None) -> cst.BaseExpression | None:
    if isinstance(expression, cst.Tuple) and not expression.lpar:
        return expression.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return expression


def downgrade_source(source: bytes) -> str:
    """Parse `source` with libcst and return it rewritten for this interpreter's grammar.

    Raises:
        libcst.ParserSyntaxError, SyntaxError, UnicodeDecodeError: the file is
        not valid Python of any version libcst knows.
    """
    module = cst.parse_module(source)
    return module.visit(_Downgrade(module)).code
