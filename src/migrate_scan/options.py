"""Everything a scan needs to know, resolved from the command line and `[tool.migrate-scan]`.

Precedence: command-line option > the scanned project's `pyproject.toml`
`[tool.migrate-scan]` table > built-in default. `ProjectConfig` validates the
table (unknown keys are errors, so typos do not pass silently); `ScanOptions`
is the frozen result the pipeline reads.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from migrate_scan.errors import ConfigError

DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024
DEFAULT_FILE_TIMEOUT = 20.0


class SuppressEntry(BaseModel):
    """One `[[tool.migrate-scan.suppress]]` entry: silence a finding, with the reason."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str = Field(min_length=1, description="The warning rule id (`MS302`).")
    reason: str = Field(min_length=1, description="Why it is silenced; kept in the report beside the finding.")
    path: str | None = Field(default=None, description="Only in this file (relative, '/'-separated).")
    line: int | None = Field(default=None, ge=1, description="Only at this line.")


class ProjectConfig(BaseModel):
    """The `[tool.migrate-scan]` table of the scanned project's pyproject.toml."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    exclude: list[str] = Field(default_factory=list, description="Extra gitignore-style patterns to leave out.")
    include: list[str] = Field(default_factory=list, description="Patterns to scan even if excluded.")
    default_excludes: bool = Field(default=True, alias="default-excludes", description="Apply built-in excludes.")
    respect_gitignore: bool = Field(default=True, alias="respect-gitignore", description="Honour .gitignore files.")
    source_roots: list[str] = Field(default_factory=list, alias="source-roots", description="Extra source roots.")
    heuristics: list[str] = Field(default_factory=list, description="Folders of extra rule files (relative paths).")
    jobs: int | None = Field(default=None, ge=1, le=256, description="Worker processes.")
    max_file_size: int = Field(
        default=DEFAULT_MAX_FILE_BYTES, alias="max-file-size", gt=0, description="Files larger (bytes) are skipped."
    )
    file_timeout: float = Field(
        default=DEFAULT_FILE_TIMEOUT, alias="file-timeout", gt=0, description="Seconds allowed to parse one file."
    )
    max_memory: str | int | None = Field(
        default=None,
        alias="max-memory",
        description="Memory ceiling of the scan (`2G`, `1500M`, bytes); past it the report is partial.",
    )
    contexts: dict[str, list[str]] = Field(
        default_factory=dict,
        alias="contexts",
        description="Pinned contexts: context name -> module patterns (`shop.billing` or `shop.billing.*`).",
    )
    granularity: Literal["coarse", "normal", "fine"] = Field(
        default="normal",
        description="coarse merges one-table contexts; fine proposes splits of large contexts (Louvain).",
    )
    suppress: list[SuppressEntry] = Field(default_factory=list, description="Findings silenced, each with a reason.")


class ScanOptions(BaseModel):
    """The resolved settings of one scan."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    root: Path
    jobs: int = Field(ge=1)
    use_cache: bool = True
    cache_dir: Path
    excludes: tuple[str, ...] = ()
    includes: tuple[str, ...] = ()
    default_excludes: bool = True
    respect_gitignore: bool = True
    source_roots: tuple[str, ...] = ()
    heuristics_dirs: tuple[Path, ...] = ()
    max_file_bytes: int = Field(default=DEFAULT_MAX_FILE_BYTES, gt=0)
    file_timeout: float = Field(default=DEFAULT_FILE_TIMEOUT, gt=0)
    list_unresolved: bool = False
    context_pins: tuple[tuple[str, tuple[str, ...]], ...] = ()
    granularity: Literal["coarse", "normal", "fine"] = "normal"
    suppressions: tuple[SuppressEntry, ...] = ()
    debug: bool = False  # let a failing unit of analysis raise instead of isolating it
    max_memory_bytes: int | None = Field(default=None, gt=0)  # None: no ceiling (the CLI always sets one)


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}


def parse_size(text: str | int) -> int:
    """Bytes from `2G`, `1500M`, `512MiB` or a plain number of bytes (binary units).

    Raises:
        ConfigError: not a size, or not positive.
    """
    if isinstance(text, int):
        size = text
    else:
        match = _SIZE.match(text)
        if match is None:
            raise ConfigError(f"not a size: {text!r} (examples: 2G, 1500M, 1073741824)")
        size = int(float(match.group(1)) * _UNITS[match.group(2).lower()])
    if size <= 0:
        raise ConfigError(f"a size must be positive: {text!r}")
    return size


def read_project_config(root: Path) -> ProjectConfig:
    """Read `[tool.migrate-scan]` from `root/pyproject.toml`; defaults when absent.

    Raises:
        ConfigError: the file is not valid TOML or the table is invalid.
    """
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        return ProjectConfig()
    try:
        document = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"pyproject.toml: cannot read [tool.migrate-scan]: {error}") from error
    table = document.get("tool", {}).get("migrate-scan", {})
    if not isinstance(table, dict):
        raise ConfigError("pyproject.toml: [tool.migrate-scan] must be a table")
    try:
        return ProjectConfig.model_validate(table)
    except ValidationError as error:
        detail = error.errors()[0]
        key = ".".join(str(p) for p in detail["loc"])
        raise ConfigError(f"pyproject.toml: [tool.migrate-scan] {key}: {detail['msg']}") from error
