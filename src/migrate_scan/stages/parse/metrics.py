"""Size and complexity metrics of one file, from the tree the parser already built.

radon's cyclomatic complexity visitor walks the same `ast` tree (no second
parse). Line counts come from the raw bytes: radon's raw metrics tokenize the
file again and its Halstead-based maintainability index costs about 17x the
parse, so neither fits the hot path (see DESIGN.md).
"""

from __future__ import annotations

import ast
from typing import Protocol

from radon.visitors import ComplexityVisitor, Function  # type: ignore[import-untyped]  # radon ships no types

from migrate_scan.model.facts import FileMetrics


class _Block(Protocol):
    """What we read of a radon Function or Class block."""

    lineno: int
    complexity: int


def count_lines(source: bytes) -> tuple[int, int, int]:
    """Return (loc, blank, comment-only) line counts of the source bytes."""
    lines = source.splitlines()
    blank = 0
    comments = 0
    for line in lines:
        stripped = line.strip()
        if not stripped:
            blank += 1
        elif stripped[:1] == b"#":
            comments += 1
    return len(lines), blank, comments


def measure(source: bytes, tree: ast.Module) -> tuple[FileMetrics, dict[int, int]]:
    """Compute the file's metrics and the complexity of each definition by first line.

    Returns:
        The file metrics, and a map from a function's or class's first line to
        radon's cyclomatic complexity of it.
    """
    visitor = ComplexityVisitor.from_ast(tree)
    by_line: dict[int, int] = {}
    max_complexity = 0
    for block in _blocks(visitor):
        by_line[block.lineno] = block.complexity
        if isinstance(block, Function):
            max_complexity = max(max_complexity, block.complexity)
    loc, blank, comments = count_lines(source)
    metrics = FileMetrics(
        loc=loc,
        sloc=loc - blank - comments,
        comments=comments,
        blank=blank,
        complexity=visitor.total_complexity,
        max_complexity=max_complexity,
    )
    return metrics, by_line


def _blocks(visitor: ComplexityVisitor) -> list[_Block]:
    blocks: list[_Block] = []
    pending: list[_Block] = [*visitor.functions, *visitor.classes]
    while pending:
        block = pending.pop()
        blocks.append(block)
        pending.extend(getattr(block, "closures", ()))
        pending.extend(getattr(block, "methods", ()))
        pending.extend(getattr(block, "inner_classes", ()))
    return blocks
