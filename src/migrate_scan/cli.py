"""The command line: `migrate-scan PATH [options]`.

The only module that prints errors or exits. Exit codes:

    0  success (also a partial report, with a warning line on stderr)
    1  `--fail-on` found findings at or above the given category
    2  bad usage, a missing path, invalid configuration or heuristics
    3  internal error (rerun with --debug for the traceback)
    4  `--strict`: units of analysis failed, the report is partial
  130  interrupted by Ctrl-C (143 for SIGTERM); nothing written, no worker left

Every error is one line on stderr; `--debug` re-raises for the full traceback.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, NoReturn, Protocol, cast

import typer

from migrate_scan import __version__
from migrate_scan.atomic_files import write_atomically
from migrate_scan.atomic_folders import FolderNotReplaceable, check_replaceable, write_folder_atomically
from migrate_scan.cache import default_cache_dir
from migrate_scan.errors import (
    EXIT_INTERNAL,
    ConfigError,
    FailOnTriggered,
    InputPathError,
    Interrupted,
    MigrateScanError,
    PartialAnalysis,
    Terminated,
    TerminationRequested,
    UsageError,
)
from migrate_scan.model.infrastructure import Infrastructure
from migrate_scan.model.memory import default_max_memory
from migrate_scan.model.report import Report
from migrate_scan.options import ProjectConfig, ScanOptions, parse_size, read_project_config
from migrate_scan.render import RENDERERS, RenderOptions
from migrate_scan.render.vocabulary import CATEGORIES, CATEGORY_RANK
from migrate_scan.workers import default_jobs

OutputFormat = Enum("OutputFormat", {name: name for name in RENDERERS}, type=str)  # type: ignore[misc]


class Granularity(StrEnum):
    """`--granularity` choices (see `stages.cluster`)."""

    coarse = "coarse"
    normal = "normal"
    fine = "fine"


FailOn = Enum("FailOn", {name: name for name in CATEGORIES}, type=str)  # type: ignore[misc]

HELP = f"""Read a Python monolith (Flask, Django and their companions) without running it and
report how to migrate it to AWS serverless.

Exit codes: 0 success (a partial report too, with a warning on stderr); 1
--fail-on triggered (a warning that is not suppressed at or above the given
category: mandatory > optional > potential; the report is still written
first); 2 bad usage, missing path, invalid config or heuristics; 3 internal
error (rerun with --debug); 4 --strict and the analysis is partial (units
listed in analysis_errors; the report is still written first); 130
interrupted by Ctrl-C (143 by SIGTERM): nothing written.

Version {__version__}."""

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)


@app.command(help=HELP)
def scan(
    path: Annotated[Path | None, typer.Argument(help="Folder of the application to scan.", show_default=False)] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
    ] = OutputFormat("text"),  # noqa: B008
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to FILE.")] = None,
    emit_sam: Annotated[
        Path | None,
        typer.Option(
            "--emit-sam",
            metavar="DIR",
            help="Also write draft AWS SAM templates (one per context, a shared one) and a README to DIR, "
            "outside the scanned tree; DIR is replaced whole, and only if empty or an earlier draft.",
        ),
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a warning that is not suppressed is at or above this category "
            "(mandatory > optional > potential).",
            case_sensitive=False,
        ),
    ] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes [default: all cores].")
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the parse cache.")] = False,
    cache_dir: Annotated[Path | None, typer.Option("--cache-dir", help="Cache folder [default: user cache].")] = None,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", help="Gitignore-style pattern to skip.")] = None,
    include: Annotated[list[str] | None, typer.Option("--include", help="Pattern to scan even if excluded.")] = None,
    no_gitignore: Annotated[bool, typer.Option("--no-gitignore", help="Do not honour .gitignore files.")] = False,
    no_default_excludes: Annotated[
        bool, typer.Option("--no-default-excludes", help="Also scan virtualenvs, build output, migrations...")
    ] = False,
    heuristics: Annotated[list[Path] | None, typer.Option("--heuristics", help="Folder of extra rule files.")] = None,
    max_file_size: Annotated[
        int | None, typer.Option("--max-file-size", min=1, help="Skip larger files (bytes).")
    ] = None,
    file_timeout: Annotated[
        float | None, typer.Option("--file-timeout", min=0.1, help="Seconds allowed to parse one file.")
    ] = None,
    max_memory: Annotated[
        str | None,
        typer.Option(
            "--max-memory",
            help="Memory ceiling of the scan, e.g. 2G or 1500M; past it the rest is left out of a partial "
            "report [default: half the machine's memory, at least 1G].",
        ),
    ] = None,
    no_config: Annotated[
        bool, typer.Option("--no-config", help="Ignore [tool.migrate-scan] in pyproject.toml.")
    ] = False,
    list_unresolved: Annotated[
        bool, typer.Option("--list-unresolved", help="List every call whose target could not be resolved.")
    ] = False,
    granularity: Annotated[
        Granularity | None,
        typer.Option(
            "--granularity",
            help="How finely to cut contexts: coarse merges small one-table contexts, normal keeps the "
            "author's apps/blueprints/packages, fine proposes splits of large contexts "
            "[default: [tool.migrate-scan] granularity, else normal].",
            case_sensitive=False,
        ),
    ] = None,
    schema: Annotated[bool, typer.Option("--schema", help="Print the report's JSON Schema and exit.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Exit 4 when units of analysis failed (the report is partial)."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors and of failing units of analysis.")
    ] = False,
) -> None:
    """Scan PATH and print the migration report."""
    try:
        _scan(**locals())
    except TerminationRequested:
        raise Terminated("terminated") from None
    except KeyboardInterrupt:
        # Caught here, before click turns it into an Abort after printing a blank line.
        raise Interrupted("interrupted") from None


def _scan(
    path: Path | None,
    output_format: OutputFormat,
    output: Path | None,
    emit_sam: Path | None,
    fail_on: FailOn | None,
    jobs: int | None,
    no_cache: bool,
    cache_dir: Path | None,
    exclude: list[str] | None,
    include: list[str] | None,
    no_gitignore: bool,
    no_default_excludes: bool,
    heuristics: list[Path] | None,
    max_file_size: int | None,
    file_timeout: float | None,
    max_memory: str | None,
    no_config: bool,
    list_unresolved: bool,
    granularity: Granularity | None,
    schema: bool,
    version: bool,
    strict: bool,
    debug: bool,
) -> None:
    if version:
        typer.echo(f"migrate-scan {__version__}")
        return
    if schema:
        typer.echo(json.dumps(Report.model_json_schema(), sort_keys=True, indent=2))
        return
    if path is None:
        raise UsageError("missing PATH: the folder of the application to scan")
    root = _existing_folder(path)
    sam_folder = _sam_folder(emit_sam, root) if emit_sam is not None else None
    config = ProjectConfig() if no_config else read_project_config(root)
    options = ScanOptions(
        root=root,
        jobs=jobs or config.jobs or default_jobs(),
        use_cache=not no_cache,
        cache_dir=_cache_folder(cache_dir, root, is_used=not no_cache),
        excludes=(*config.exclude, *(exclude or ())),
        includes=(*config.include, *(include or ())),
        default_excludes=config.default_excludes and not no_default_excludes,
        respect_gitignore=config.respect_gitignore and not no_gitignore,
        source_roots=tuple(config.source_roots),
        heuristics_dirs=(*(root / h for h in config.heuristics), *(heuristics or ())),
        max_file_bytes=max_file_size or config.max_file_size,
        file_timeout=file_timeout or config.file_timeout,
        list_unresolved=list_unresolved,
        suppressions=tuple(config.suppress),
        context_pins=tuple((name, tuple(patterns)) for name, patterns in sorted(config.contexts.items())),
        granularity=granularity.value if granularity is not None else config.granularity,
        debug=debug,
        max_memory_bytes=_memory_ceiling(max_memory, config.max_memory),
    )
    report = _run_with_progress(options)
    infrastructure = _draft(report) if sam_folder is not None else None
    render_options = RenderOptions(
        color=output is None and sys.stdout.isatty(),
        infrastructure=infrastructure,
        sam_folder=_link_to(sam_folder, output) if sam_folder is not None else "",
    )
    text = RENDERERS[output_format.value](report, render_options)
    _write(text, output)
    if sam_folder is not None and infrastructure is not None:
        _emit_sam(infrastructure, sam_folder)
    _check_partial(report, strict=strict)
    if fail_on is not None:
        _check_fail_on(report, fail_on.value)


def _check_partial(report: Report, *, strict: bool) -> None:
    """Say on stderr that the report is partial; with `--strict`, raise `PartialAnalysis`."""
    count = len(report.analysis_errors)
    if not count:
        return
    message = f"partial analysis: {count} unit(s) of analysis failed and were left out (see analysis_errors)"
    if any(e.error.startswith("MemoryCeiling") for e in report.analysis_errors):
        message += "; the memory ceiling was reached: raise --max-memory or --exclude large folders"
    if strict:
        raise PartialAnalysis(message)
    sys.stderr.write(f"migrate-scan: warning: {message}; --strict makes this exit {PartialAnalysis.exit_code}\n")


def _check_fail_on(report: Report, threshold: str) -> None:
    """Raise `FailOnTriggered` when a non-suppressed warning is at or above `threshold`."""
    limit = CATEGORY_RANK[threshold]
    counts = dict.fromkeys(CATEGORIES[: limit + 1], 0)
    for warning in report.warnings:
        if warning.suppressed is None and warning.category in counts:
            counts[warning.category] += 1
    if any(counts.values()):
        found = ", ".join(f"{count} {category}" for category, count in counts.items())
        raise FailOnTriggered(f"--fail-on {threshold}: {found} warning(s) not suppressed")


def _memory_ceiling(option: str | None, configured: str | int | None) -> int:
    """`--max-memory`, else `[tool.migrate-scan] max-memory`, else half the machine's memory."""
    if option is not None:
        try:
            return parse_size(option)
        except ConfigError as error:
            raise UsageError(f"--max-memory: {error}") from error
    if configured is not None:
        try:
            return parse_size(configured)
        except ConfigError as error:
            raise ConfigError(f"pyproject.toml: [tool.migrate-scan] max-memory: {error}") from error
    return default_max_memory()


def _existing_folder(path: Path) -> Path:
    if not path.exists():
        raise InputPathError(f"path does not exist: {path}")
    if not path.is_dir():
        raise InputPathError(f"not a folder: {path} (give the folder of the application)")
    return path.resolve()


def _cache_folder(requested: Path | None, root: Path, *, is_used: bool) -> Path:
    folder = (requested or default_cache_dir()).expanduser().resolve()
    if is_used and (folder == root or root in folder.parents):
        raise ConfigError(f"the cache folder must be outside the scanned tree: {folder}")
    return folder


def _sam_folder(requested: Path, root: Path) -> Path:
    """The `--emit-sam` folder, resolved; it may neither be inside the scanned tree nor contain it."""
    folder = requested.expanduser().resolve()
    if folder == root or root in folder.parents:
        raise ConfigError(f"--emit-sam: the folder must be outside the scanned tree: {folder}")
    if folder in root.parents:
        raise ConfigError(f"--emit-sam: the folder must not contain the scanned tree: {folder}")
    if not folder.parent.is_dir():
        raise ConfigError(f"--emit-sam: the parent folder does not exist: {folder.parent}")
    try:
        check_replaceable(folder, "sam")  # before the scan, not after it
    except FolderNotReplaceable as error:
        raise ConfigError(f"--emit-sam: {error}") from error
    return folder


def _draft(report: Report) -> Infrastructure:
    from migrate_scan import pipeline

    return pipeline.draft_infrastructure(report)


def _link_to(folder: Path, output: Path | None) -> str:
    """The draft folder as the report links it: relative to the report's folder, else as resolved."""
    if output is None:
        return folder.as_posix()
    return Path(os.path.relpath(folder, output.resolve().parent)).as_posix()


def _emit_sam(infrastructure: Infrastructure, folder: Path) -> None:
    """Write the SAM folder of a drafted infrastructure atomically."""
    from migrate_scan.render.sam_template import render_sam

    files = render_sam(infrastructure)
    try:
        write_folder_atomically(folder, {name: text.encode("utf-8") for name, text in files.items()}, kind="sam")
    except FolderNotReplaceable as error:
        raise ConfigError(f"--emit-sam: {error}") from error
    except OSError as error:
        raise UsageError(f"--emit-sam: cannot write {folder}: {error.strerror or error}") from error


def _run_with_progress(options: ScanOptions) -> Report:
    from migrate_scan import pipeline

    if not sys.stderr.isatty():
        return pipeline.run(options)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("parsing", total=None)

        def advance(stage: str, done: int, total: int) -> None:
            if stage == "parse":
                progress.update(task, completed=done, total=total)
            else:
                progress.update(task, description=_STAGE_LABELS.get(stage, stage), completed=done, total=None)

        return pipeline.run(options, advance)


_STAGE_LABELS = {"link": "linking", "recognize": "recognizing", "reuse": "reusing the previous analysis"}


def _write(text: str, output: Path | None) -> None:
    """Print the report, or write it to `output` atomically (an existing report is replaced only whole)."""
    data = text.encode("utf-8")
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        write_atomically(output, data)
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from error


class _FormattedError(Protocol):
    """What click's and typer's parse errors (the classes below) have in common."""

    def format_message(self) -> str: ...


def _command_line_errors() -> tuple[type[Exception], ...]:
    """Typer's parse errors: its vendored click's in recent versions, click's own before."""
    errors: list[type[Exception]] = []
    vendored = getattr(typer, "exceptions", None)
    if vendored is not None and hasattr(vendored, "TyperException"):
        errors.append(vendored.TyperException)
    try:
        import click

        errors.append(click.ClickException)
    except ImportError:
        pass
    return tuple(errors)


_COMMAND_LINE_ERRORS = _command_line_errors()


def _fail(message: str, code: int) -> NoReturn:
    sys.stderr.write(f"migrate-scan: error: {message}\n")
    raise SystemExit(code)


def _on_sigterm(signum: int, frame: object) -> None:
    raise TerminationRequested


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `migrate-scan` console script."""
    arguments = sys.argv[1:] if argv is None else argv
    is_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if is_main_thread else None
    try:
        _main(arguments)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main(arguments: list[str]) -> None:
    debug = "--debug" in arguments
    command = typer.main.get_command(app)
    try:
        command.main(args=arguments, prog_name="migrate-scan", standalone_mode=False)
    except MigrateScanError as error:
        if debug:
            raise
        _fail(str(error), error.exit_code)
    except typer.Exit as done:
        raise SystemExit(done.exit_code) from None
    except typer.Abort:
        _fail("interrupted", Interrupted.exit_code)
    except _COMMAND_LINE_ERRORS as error:
        message = cast(_FormattedError, error).format_message()  # one of _COMMAND_LINE_ERRORS
        _fail(" ".join(message.split()), UsageError.exit_code)
    except TerminationRequested:
        _fail("terminated", Terminated.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted", Interrupted.exit_code)
    except BrokenPipeError:
        raise SystemExit(0) from None
    except Exception as error:
        if debug:
            raise
        _fail(f"internal error: {type(error).__name__}: {error}; rerun with --debug", EXIT_INTERNAL)
