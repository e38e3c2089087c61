"""Discover stage: a root folder → `Discovery` (the Python files to parse and their module names).

Walks the tree once with `os.scandir`, honouring `.gitignore` files (nested
ones too, deeper files first, as git does), the default excludes and the
user's `--exclude`/`--include` patterns (gitignore syntax, relative to the
root; an include beats every exclude). Never follows a symlink out of the root
or into a folder already walked, and never opens anything: FIFOs, devices and
folders named `x.py` are reported as skipped, not read.

Module names follow what Python would import: the top of the chain of
packages (folders with `__init__.py`) holding a file is its source root; a
file outside any package takes the deepest known source root above it (the
folder of `manage.py`, a `src/` folder, a configured root, the scan root).
"""

from __future__ import annotations

import hashlib
import keyword
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import pathspec

from migrate_scan.model.facts import FileSkipped, SkipReason
from migrate_scan.model.ids import escape_name
from migrate_scan.model.manifests import manifest_kind

DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".*/",  # hidden folders: VCS data, tool caches, CI configuration, editor state
    "venv/",
    "site-packages/",
    "dist-packages/",
    "node_modules/",
    "bower_components/",
    "build/",
    "dist/",
    "*.egg-info/",
    "__pycache__/",
    "migrations/",
    "*_migrations/",  # Django's MIGRATION_MODULES elsewhere (`db_migrations/`): schema history, not code that runs
    "*{{*}}*/",  # a project template's placeholder folder (cookiecutter, copier): source of code to generate
)


ALEMBIC_MARKERS = frozenset({"env.py", "script.py.mako"})
"""The files `alembic init` writes into a migration environment (beside its `versions/` folder)."""
ALEMBIC_PATTERN = "env.py + script.py.mako (an Alembic environment)"


@dataclass(frozen=True, slots=True)
class DiscoveredFile:
    """A Python file to parse."""

    path: str  # relative to the root, '/'-separated, escaped (`model.ids.escape_name`): what reports show
    module: str
    is_package: bool
    size: int
    os_path: str = ""  # the path as the file system spells it, when escaping changed it (else "")

    @property
    def name_bytes(self) -> bytes:
        """The relative path's bytes as the file system holds them."""
        return os.fsencode(self.os_path or self.path)


@dataclass(frozen=True, slots=True)
class DiscoveredManifest:
    """A dependency manifest (`pyproject.toml`, `requirements*.txt`, ...): read as data, never run."""

    path: str  # relative to the root, '/'-separated
    content_hash: str  # sha256 of the bytes


@dataclass(frozen=True, slots=True)
class Excluded:
    """A folder or Python file the walk left out on purpose, and the rule that did.

    `path` is escaped (`model.ids.escape_name`), a folder's with a trailing `/`;
    `python_files` counts the Python files inside (1 for a file), exact unless
    `is_count_complete` is False (the count stopped at `MAX_COUNTED_ENTRIES`).
    """

    path: str
    reason: str  # default-exclude, gitignore, exclude-option, virtualenv
    pattern: str
    python_files: int
    is_count_complete: bool = True


@dataclass(frozen=True, slots=True)
class Discovery:
    """The outcome of walking the root: files to parse, files skipped, what was excluded, source roots."""

    root: Path
    files: tuple[DiscoveredFile, ...]
    skipped: tuple[FileSkipped, ...]
    source_roots: tuple[str, ...]
    excluded: tuple[Excluded, ...] = ()
    manifests: tuple[DiscoveredManifest, ...] = ()  # dependency manifests, by path


@dataclass(frozen=True, slots=True)
class DiscoverySettings:
    """What the walk honours."""

    excludes: tuple[str, ...] = ()
    includes: tuple[str, ...] = ()
    use_default_excludes: bool = True
    respect_gitignore: bool = True
    max_file_bytes: int = 2 * 1024 * 1024
    source_roots: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Candidate:
    path: str
    size: int


class _IgnoreRules:
    """Decides whether a relative path is left out of the scan, and which rule leaves it out."""

    def __init__(self, settings: DiscoverySettings) -> None:
        excludes = [*(DEFAULT_EXCLUDES if settings.use_default_excludes else ()), *settings.excludes]
        self._default_count = len(DEFAULT_EXCLUDES) if settings.use_default_excludes else 0
        self._excludes = pathspec.GitIgnoreSpec.from_lines(excludes)
        self._includes = pathspec.GitIgnoreSpec.from_lines(settings.includes) if settings.includes else None
        self._include_lines = [line.strip("/") for line in settings.includes if not line.startswith("!")]
        self._respect_gitignore = settings.respect_gitignore
        self._gitignores: dict[str, pathspec.GitIgnoreSpec] = {}

    def add_gitignore(self, directory: str, text: str) -> None:
        if self._respect_gitignore:
            self._gitignores[directory] = pathspec.GitIgnoreSpec.from_lines(text.splitlines())

    def is_ignored(self, path: str, is_dir: bool) -> bool:
        candidate = path + "/" if is_dir else path
        if self.is_included(path, is_dir):
            return False
        if self._excludes.match_file(candidate):
            return True
        return self._is_gitignored(path, is_dir)

    def why_ignored(self, path: str, is_dir: bool) -> tuple[str, str] | None:
        """(reason, pattern) of the rule that leaves the path out, or None when it is scanned."""
        candidate = path + "/" if is_dir else path
        if self.is_included(path, is_dir):
            return None
        match = self._excludes.check_file(candidate)
        if match.include and match.index is not None:
            reason = "default-exclude" if match.index < self._default_count else "exclude-option"
            return reason, str(self._excludes.patterns[match.index].pattern or "")
        return self._gitignore_rule(path, is_dir)

    def _gitignore_rule(self, path: str, is_dir: bool) -> tuple[str, str] | None:
        directory = path
        while True:
            directory = directory.rpartition("/")[0] if "/" in directory else ""
            spec = self._gitignores.get(directory)
            if spec is not None:
                relative = path[len(directory) + 1 :] if directory else path
                result = spec.check_file(relative + "/" if is_dir else relative)
                if result.include is not None:
                    if not result.include or result.index is None:
                        return None
                    where = f"{directory}/.gitignore" if directory else ".gitignore"
                    pattern = spec.patterns[result.index].pattern
                    return "gitignore", f"{escape_name(where)}: {pattern!s}"
            if not directory:
                return None

    def is_included(self, path: str, is_dir: bool) -> bool:
        """Whether an `--include` pattern brings the path (or a path below it) back in."""
        if self._includes is None:
            return False
        if self._includes.match_file(path + "/" if is_dir else path):
            return True
        # A folder on the way to an included path must be walked, not pruned.
        return is_dir and any(line.startswith(path + "/") for line in self._include_lines)

    def _is_gitignored(self, path: str, is_dir: bool) -> bool:
        directory = path
        while True:
            directory = directory.rpartition("/")[0] if "/" in directory else ""
            spec = self._gitignores.get(directory)
            if spec is not None:
                relative = path[len(directory) + 1 :] if directory else path
                result = spec.check_file(relative + "/" if is_dir else relative)
                if result.include is not None:
                    return bool(result.include)
            if not directory:
                return False


def discover(root: Path, settings: DiscoverySettings) -> Discovery:
    """Walk `root` and return the Python files to parse, with their module names.

    Args:
        root: an existing directory (the caller checks).
        settings: excludes, includes and limits.
    """
    root = root.resolve()
    rules = _IgnoreRules(settings)
    candidates: list[_Candidate] = []
    skipped: list[FileSkipped] = []
    package_dirs: set[str] = set()
    manage_dirs: set[str] = set()
    visited: set[str] = {str(root)}
    pending: list[tuple[str, str]] = [("", str(root))]  # (relative folder, its real path)
    left_out: list[_LeftOut] = []
    manifests: list[DiscoveredManifest] = []
    while pending:
        directory, real = pending.pop()
        absolute = os.path.join(root, directory) if directory else str(root)
        try:
            entries = sorted(os.scandir(absolute), key=lambda e: e.name)
        except OSError as error:
            if not _is_left_out_virtualenv(directory, absolute, rules, settings, left_out):
                message = f"cannot list folder: {error.strerror}"
                skipped.append(_skip(directory or ".", SkipReason.UNREADABLE, message))
            continue
        names = {entry.name for entry in entries}
        if "pyvenv.cfg" in names and _is_left_out_virtualenv(directory, absolute, rules, settings, left_out):
            continue
        if names >= ALEMBIC_MARKERS and _is_left_out_alembic(directory, rules, settings, left_out):
            continue
        if "__init__.py" in names:
            package_dirs.add(directory)
        if "manage.py" in names:
            manage_dirs.add(directory)
        if any(entry.name == ".gitignore" and entry.is_file() for entry in entries):  # never open a FIFO
            rules.add_gitignore(directory, _read_text(Path(absolute, ".gitignore")))
        for entry in entries:
            relative = f"{directory}/{entry.name}" if directory else entry.name
            _classify_entry(
                entry, relative, (root, real), rules, settings, candidates, skipped, pending, visited, left_out
            )
            manifest = _manifest(entry, relative, rules, settings)
            if manifest is not None:
                manifests.append(manifest)
    known_roots = _known_roots(manage_dirs, candidates, settings)
    root_package = root.name if _is_imported_package(root, candidates, package_dirs) else None
    named, used_roots = _name_modules(candidates, package_dirs, known_roots, root.name, root_package)
    files, duplicates = _one_file_per_module(named)
    skipped.extend(duplicates)
    return Discovery(
        root=root,
        files=tuple(sorted(files, key=lambda f: f.path)),
        skipped=tuple(sorted(skipped, key=lambda s: s.path)),
        source_roots=tuple(sorted(used_roots)),
        excluded=_count_excluded(root, left_out),
        manifests=tuple(sorted(manifests, key=lambda m: m.path)),
    )


def _manifest(
    entry: os.DirEntry[str], relative: str, rules: _IgnoreRules, settings: DiscoverySettings
) -> DiscoveredManifest | None:
    """A dependency manifest the walk keeps (a regular file, not ignored, under the size limit), hashed."""
    if manifest_kind(relative) is None or rules.why_ignored(relative, False) is not None:
        return None
    try:
        if not entry.is_file(follow_symlinks=False) or entry.stat().st_size > settings.max_file_bytes:
            return None
        with open(entry.path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return None
    return DiscoveredManifest(escape_name(relative), digest)


def _classify_entry(
    entry: os.DirEntry[str],
    relative: str,
    where: tuple[Path, str],
    rules: _IgnoreRules,
    settings: DiscoverySettings,
    candidates: list[_Candidate],
    skipped: list[FileSkipped],
    pending: list[tuple[str, str]],
    visited: set[str],
    left_out: list[_LeftOut],
) -> None:
    """Sort one folder entry: a file to parse, a folder to walk (`pending`), or skipped or left out.

    `where` is the scanned root and the real path of the entry's folder: a folder
    that is not a symlink is real at its folder's real path plus its name, so only
    symlinks cost a `realpath` (a symlink loop or a second way in is walked once).
    """
    root, parent_real = where
    is_python_name = entry.name.endswith(".py")
    info = None
    if not is_python_name:  # only a folder matters (locale folders hold thousands of other files)
        try:
            if not entry.is_dir():  # follows a symlink as `os.stat` would; a broken one is no folder
                return
            is_symlink = entry.is_symlink()
        except OSError:
            return
        is_dir = True
    else:
        try:
            is_symlink = entry.is_symlink()
            info = os.stat(entry.path) if is_symlink else entry.stat(follow_symlinks=False)
        except OSError as error:
            if not rules.is_ignored(relative, False):
                skipped.append(_skip(relative, SkipReason.UNREADABLE, _broken_link_message(error)))
            return
        is_dir = stat.S_ISDIR(info.st_mode)
    rule = rules.why_ignored(relative, is_dir)
    if rule is not None:
        if (is_dir and not is_symlink) or is_python_name:
            left_out.append(_LeftOut(relative, is_dir, *rule))
        return
    if is_symlink and not _is_inside(root, entry.path):
        if is_python_name:
            skipped.append(_skip(relative, SkipReason.OUTSIDE_ROOT, "symlink to a target outside the scanned root"))
        return
    if is_dir:
        if is_python_name:
            skipped.append(_skip(relative, SkipReason.NOT_A_FILE, "a folder named like a Python file"))
        real = os.path.realpath(entry.path) if is_symlink else os.path.join(parent_real, entry.name)
        if real in visited:
            return  # a symlink loop, or a second way into a folder already walked
        visited.add(real)
        pending.append((relative, real))  # a virtualenv is left out when listed (`_is_left_out_virtualenv`)
        return
    if info is None:
        return
    if not stat.S_ISREG(info.st_mode):
        skipped.append(_skip(relative, SkipReason.NOT_A_FILE, f"not a regular file ({_file_kind(info.st_mode)})"))
        return
    if info.st_size > settings.max_file_bytes:
        skipped.append(
            _skip(
                relative, SkipReason.TOO_LARGE, f"{info.st_size} bytes, over the {settings.max_file_bytes}-byte limit"
            )
        )
        return
    candidates.append(_Candidate(relative, info.st_size))


@dataclass(frozen=True, slots=True)
class _LeftOut:
    path: str  # relative, as the file system spells it
    is_dir: bool
    reason: str
    pattern: str


MAX_COUNTED_ENTRIES = 200_000
"""Folder entries read, over the whole scan, to count the Python files inside excluded folders."""


def _count_excluded(root: Path, left_out: list[_LeftOut]) -> tuple[Excluded, ...]:
    """Each excluded Python file, and each excluded folder holding Python files with their count."""
    budget = [MAX_COUNTED_ENTRIES]
    found = []
    for item in sorted(left_out, key=lambda i: i.path):
        if not item.is_dir:
            found.append(Excluded(escape_name(item.path), item.reason, item.pattern, 1))
            continue
        count, is_complete = _count_python_files(root / item.path, budget)
        if count or not is_complete:
            found.append(Excluded(escape_name(item.path) + "/", item.reason, item.pattern, count, is_complete))
    return tuple(found)


def _count_python_files(folder: Path, budget: list[int]) -> tuple[int, bool]:
    """Python files under `folder` (symlinks not followed), and whether the budget sufficed to count them all."""
    count = 0
    pending = [str(folder)]
    while pending:
        try:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    budget[0] -= 1
                    if budget[0] < 0:
                        return count, False
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
                    elif entry.name.endswith(".py") and entry.is_file(follow_symlinks=False):
                        count += 1
        except OSError:
            continue
    return count, True


def _is_virtualenv(path: str) -> bool:
    return os.path.exists(os.path.join(path, "pyvenv.cfg"))


def _is_left_out_virtualenv(
    directory: str, absolute: str, rules: _IgnoreRules, settings: DiscoverySettings, left_out: list[_LeftOut]
) -> bool:
    """A folder below the root holding `pyvenv.cfg` is a virtualenv: left out (unless included) and not walked.

    Asked when the folder is listed (its names say whether to look), or when it cannot be listed.
    """
    if not directory or not settings.use_default_excludes or not _is_virtualenv(absolute):
        return False
    if rules.is_included(directory, True):
        return False
    left_out.append(_LeftOut(directory, True, "virtualenv", "pyvenv.cfg"))
    return True


def _is_left_out_alembic(
    directory: str, rules: _IgnoreRules, settings: DiscoverySettings, left_out: list[_LeftOut]
) -> bool:
    """A folder holding Alembic's `env.py` and `script.py.mako` is a migration environment (whatever its
    name: `alembic/`, `migrate/`, `db/`): schema history and the runner of it, left out like Django's
    `migrations/` (unless included) and not walked."""
    if not directory or not settings.use_default_excludes or rules.is_included(directory, True):
        return False
    left_out.append(_LeftOut(directory, True, "default-exclude", ALEMBIC_PATTERN))
    return True


def _is_inside(root: Path, path: str) -> bool:
    real = os.path.realpath(path)
    root_text = str(root)
    return real == root_text or real.startswith(root_text + os.sep)


def _broken_link_message(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "broken symlink"
    return f"cannot stat: {error.strerror or error}"


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _skip(path: str, reason: SkipReason, message: str) -> FileSkipped:
    return FileSkipped(path=escape_name(path), module="", reason=reason, message=message)


def _known_roots(manage_dirs: set[str], candidates: list[_Candidate], settings: DiscoverySettings) -> list[str]:
    roots = {"", *manage_dirs, *(r.strip("/") for r in settings.source_roots)}
    for candidate in candidates:
        parts = candidate.path.split("/")
        for index, part in enumerate(parts[:-1]):
            if part == "src":
                roots.add("/".join(parts[: index + 1]))
    roots.discard(".")
    return sorted(roots, key=lambda r: (r.count("/") if r else -1, r), reverse=True)


def _name_modules(
    candidates: list[_Candidate],
    package_dirs: set[str],
    known_roots: list[str],
    root_name: str,
    root_package: str | None,
) -> tuple[list[DiscoveredFile], set[str]]:
    files = []
    used_roots: set[str] = set()
    for candidate in candidates:
        parts = candidate.path.split("/")
        directories, stem = parts[:-1], parts[-1][:-3]
        top = _package_chain_top(directories, package_dirs)
        if root_package is not None and top == 0:
            source_root, module_parts = "", [root_package, *directories]
        elif not directories and stem == "__init__":
            # The scanned folder's own `__init__.py`: the code inside still imports its modules
            # as top-level ones (the folder is what is on sys.path), so only this file takes its name.
            source_root, module_parts = "", [root_name]  # escaped below, like every part
        elif top < len(directories):
            source_root, module_parts = "/".join(directories[:top]), directories[top:]
        else:
            source_root, module_parts = _below_known_root(directories, known_roots)
        is_package = stem == "__init__"
        if not is_package:
            module_parts = [*module_parts, stem]
        used_roots.add(escape_name(source_root) or ".")
        module = ".".join(escape_name(part) for part in module_parts)
        path = escape_name(candidate.path)
        os_path = "" if path == candidate.path else candidate.path
        files.append(DiscoveredFile(path, module, is_package, candidate.size, os_path))
    return files, used_roots


_IMPORT_LINE = re.compile(rb"^[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import\b|import[ \t]+([\w.]+))", re.MULTILINE)
_SELF_IMPORT_FILES = 200
_SELF_IMPORT_BYTES = 65536


def _is_imported_package(root: Path, candidates: list[_Candidate], package_dirs: set[str]) -> bool:
    """Whether the scanned folder, which has its own `__init__.py`, is a package its code imports by name.

    Python allows both readings of such a folder. Pointed at an application package (`./shop` holding
    `__init__.py`, `views.py`, `api/`), its code imports `shop.views` or, in its own files, `.views`: the
    folder above is on `sys.path`. A repository root with a stray `__init__.py` imports its subpackages as
    top-level ones (`mkt.site`): the folder itself is on `sys.path`. The files at the first two levels vote
    (at most 200, their first 64 KiB): an import through the folder's name, or a relative import in a file
    of the folder itself, is for the package; an absolute import of one of the folder's own children by its
    bare name is against.
    """
    name = root.name
    if "" not in package_dirs or not name.isidentifier() or keyword.iskeyword(name):
        return False
    children = {path.split("/")[0].removesuffix(".py") for path in (c.path for c in candidates)}
    children.discard("__init__")
    votes_for = votes_against = 0
    shallow = [c.path for c in candidates if c.path.count("/") <= 1][:_SELF_IMPORT_FILES]
    for path in shallow:
        try:
            with open(os.path.join(root, path), "rb") as handle:
                text = handle.read(_SELF_IMPORT_BYTES)
        except OSError:
            continue
        for dots, source, imported in _IMPORT_LINE.findall(text):
            first = (source or imported).split(b".")[0].decode("ascii", "replace")
            if dots:
                votes_for += "/" not in path
            elif first == name:
                votes_for += 1
            elif first in children:
                votes_against += 1
    return votes_for > votes_against


def _one_file_per_module(files: list[DiscoveredFile]) -> tuple[list[DiscoveredFile], list[FileSkipped]]:
    """Keep the file Python would import under each module name; skip the others, naming the one kept.

    Two source roots can hold the same name (`services/a/app/` and `services/b/app/` in one repository);
    a package wins over a module of its name (`pkg/__init__.py` over `pkg.py`), as the import system
    looks for the package first, then the first path in sorted order.
    """
    kept: dict[str, DiscoveredFile] = {}
    skipped: list[FileSkipped] = []
    for file in sorted(files, key=lambda f: (not f.is_package, f.path)):
        first = kept.setdefault(file.module, file)
        if first is not file:
            message = f"module `{file.module}` is already {first.path}: the scan reads one file per module name"
            skipped.append(
                FileSkipped(path=file.path, module=file.module, reason=SkipReason.DUPLICATE_MODULE, message=message)
            )
    return list(kept.values()), skipped


def _package_chain_top(directories: list[str], package_dirs: set[str]) -> int:
    """How many leading folders lie above the chain of packages that holds a file (its source root's depth).

    A folder without `__init__.py` whose parent is a package is a namespace portion of that package
    (PEP 420: `app/management/commands/` imports as `app.management.commands` even when `management/`
    has no `__init__.py`), so the chain goes on through it; a chain never starts at such a folder.
    """
    top = len(directories)
    while top > 0:
        folder = "/".join(directories[:top])
        if folder in package_dirs:
            top -= 1
        elif (
            top < len(directories)
            and top > 1
            and directories[top - 1].isidentifier()
            and ("/".join(directories[: top - 1]) in package_dirs)
        ):
            top -= 1  # a namespace portion between two packages
        else:
            break
    return top


def _below_known_root(directories: list[str], known_roots: list[str]) -> tuple[str, list[str]]:
    """The deepest known source root above a file outside any package, and the folders below it."""
    directory = "/".join(directories)
    for root in known_roots:  # deepest first
        if root == "" or directory == root or directory.startswith(root + "/"):
            below = directories[len(root.split("/")) :] if root else directories
            if all(part.isidentifier() for part in below):
                return root, below
            break
    return directory, []
