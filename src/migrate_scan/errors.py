"""The error tree of migrate-scan.

Every error a user can act on is a `MigrateScanError`; its class carries the
process exit code, and `cli` is the only place that turns it into one line on
stderr and an exit. Anything else escaping the pipeline is a bug (exit 3).
"""

from __future__ import annotations


class MigrateScanError(Exception):
    """Base class for errors reported to the user as one line."""

    exit_code: int = 3


class UsageError(MigrateScanError):
    """The command line itself is wrong."""

    exit_code = 2


class InputPathError(MigrateScanError):
    """The path to scan does not exist or is not a directory."""

    exit_code = 2


class ConfigError(MigrateScanError):
    """`[tool.migrate-scan]` or a command-line setting is invalid."""

    exit_code = 2


class HeuristicsError(MigrateScanError):
    """A heuristics rule file is missing, unreadable or invalid."""

    exit_code = 2


class FailOnTriggered(MigrateScanError):
    """`--fail-on` found findings at or above the requested category."""

    exit_code = 1


class PartialAnalysis(MigrateScanError):
    """`--strict`: units of analysis failed and the report (written anyway) is partial."""

    exit_code = 4


class Interrupted(MigrateScanError):
    """Ctrl-C (SIGINT) stopped the scan; nothing was written."""

    exit_code = 130


class Terminated(MigrateScanError):
    """SIGTERM stopped the scan; nothing was written."""

    exit_code = 143


class TerminationRequested(KeyboardInterrupt):
    """Raised by the SIGTERM handler so that a termination unwinds like Ctrl-C (workers stopped, temp files removed)."""


EXIT_OK = 0
EXIT_FAIL_ON = FailOnTriggered.exit_code
EXIT_USAGE = UsageError.exit_code
EXIT_INTERNAL = 3
EXIT_PARTIAL = PartialAnalysis.exit_code
EXIT_INTERRUPTED = Interrupted.exit_code
