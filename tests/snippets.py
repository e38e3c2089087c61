"""Facts from small multi-file snippets, built the way the pipeline builds them.

`facts_of({"pkg/__init__.py": "...", "pkg/views.py": "..."})` dedents each
source, names the module from its path (a package for `__init__.py`) and
parses it; a snippet that does not parse fails the test at once.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from migrate_scan.model.facts import FileFacts
from migrate_scan.stages.parse import ParseRequest, parse_file


def facts_of(files: Mapping[str, str]) -> list[FileFacts]:
    """Parse dedented snippets keyed by relative path."""
    parsed = []
    for path, source in files.items():
        parts = path.removesuffix(".py").split("/")
        is_package = parts[-1] == "__init__"
        module = ".".join(parts[:-1] if is_package else parts)
        result = parse_file(ParseRequest(path, module, is_package, textwrap.dedent(source).encode("utf-8")))
        assert isinstance(result, FileFacts), result
        parsed.append(result)
    return parsed
