"""The fallback for files whose syntax is newer than the running interpreter.

libcst reads Python 3.0–3.14 syntax whatever interpreter runs it. A file that
the standard `ast` rejects but libcst accepts is rewritten into an equivalent
for this interpreter's grammar (same names, calls and lines; only the newer
forms change), and the regular extractor then reads it, so both parsers yield
the same facts. The rewrites:

- `type X[T] = ...` (PEP 695) → `X = ...`; type parameter lists are dropped;
- f-strings that reuse their quotes (PEP 701) and t-strings (PEP 750) become a
  tuple of their embedded expressions (the calls in them are kept);
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
        return self._as_tuple(original_node, updated_node.parts)

    def leave_TemplatedString(
        self, original_node: cst.TemplatedString, updated_node: cst.TemplatedString
    ) -> cst.BaseExpression:
        return self._as_tuple(original_node, updated_node.parts)

    def _as_tuple(self, original: cst.CSTNode, parts: object) -> cst.BaseExpression:
        expressions = [
            part.expression
            for part in parts  # type: ignore[attr-defined]
            if isinstance(part, cst.FormattedStringExpression | cst.TemplatedStringExpression)
        ]
        extra_lines = self._module.code_for_node(original).count("\n")
        closing = cst.RightParen()
        if extra_lines:
            closing = cst.RightParen(
                whitespace_before=cst.ParenthesizedWhitespace(
                    first_line=cst.TrailingWhitespace(),
                    empty_lines=[cst.EmptyLine(indent=False)] * (extra_lines - 1),
                    indent=False,
                    last_line=cst.SimpleWhitespace(""),
                )
            )
        elements = [
            cst.Element(value=e, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) for e in expressions
        ]
        return cst.Tuple(elements=elements, lpar=[cst.LeftParen()], rpar=[closing])


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
