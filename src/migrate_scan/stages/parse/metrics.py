"""Size and complexity metrics of one file, from the tree the parser already built.

Cyclomatic complexity by radon's rules, counted by `complexity` over the same
`ast` tree (no second parse; radon's own visitor cost three times as much).
Line counts come from the raw bytes: radon's raw metrics tokenize the file again
and its Halstead-based maintainability index costs about 17x the parse, so
neither fits the hot path (see DESIGN.md).
"""

from __future__ import annotations

import ast

from migrate_scan.model.facts import FileMetrics
from migrate_scan.stages.parse.complexity import measure_complexity


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
        its cyclomatic complexity (radon's figure for that block).
    """
    complexity = measure_complexity(tree)
    loc, blank, comments = count_lines(source)
    metrics = FileMetrics(
        loc=loc,
        sloc=loc - blank - comments,
        comments=comments,
        blank=blank,
        complexity=complexity.total,
        max_complexity=complexity.max_function,
    )
    return metrics, complexity.by_line
