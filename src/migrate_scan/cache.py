"""On-disk cache of per-file parse results, outside the scanned tree.

An entry is keyed by a hash of the file's bytes, its relative path and module
name, the tool version, a digest of the tool's own code (`code_digest`) and the
heuristics digest, so any change to any of them is a miss; nothing depends on modification times. Entries are pickled
`ParseResult`s (`model.facts.encode_result`) written atomically (`atomic_files`:
temp file, then rename), so concurrent scans never read half an entry and an
interrupted one leaves no temporary file. A damaged entry reads as a miss. Results that
depend on the machine rather than the file (time-outs, crashed workers) are
never stored.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sys
from pathlib import Path

from platformdirs import user_cache_dir

from migrate_scan.atomic_files import write_atomically
from migrate_scan.model.facts import ParseResult, decode_result

CACHE_FORMAT = "1"
ANALYSIS_FORMAT = "2"
"""Version of the analysis entries' format: 2 holds the report's JSON text as the JSON renderer writes it."""


@functools.cache
def code_digest() -> str:
    """A digest of the tool's own code (every `.py` file of the package, by relative path and bytes).

    Part of every cache key beside the version: a development build at the same
    version number must not reuse facts or a report that older code produced.
    Computed once per process (about a megabyte to hash).
    """
    package = Path(__file__).resolve().parent
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package).as_posix().encode("utf-8", "surrogateescape")
        try:
            data = path.read_bytes()
        except OSError:
            data = b"?"
        for part in (name, data):
            digest.update(len(part).to_bytes(8, "little"))
            digest.update(part)
    return digest.hexdigest()


def default_cache_dir() -> Path:
    """The user's cache folder for migrate-scan."""
    return Path(user_cache_dir("migrate-scan", appauthor=False))


class FactsCache:
    """Reads and writes parse results by content key under one folder.

    Args:
        directory: the cache folder (created on first write).
        namespace: tool version and heuristics digest; part of every key.
    """

    def __init__(self, directory: Path, namespace: str) -> None:
        self.directory = directory / f"facts-v{CACHE_FORMAT}"
        interpreter = f"{sys.implementation.name}{sys.version_info[0]}.{sys.version_info[1]}"
        self.namespace = f"{namespace}:{interpreter}".encode()
        self.hits = 0
        self.misses = 0
        # key → a digest of the entry's bytes, for every entry read or written by this scan: equal digests
        # are equal parse results (never the converse: a result may encode to other bytes), see `digest`
        self._digests: dict[str, bytes] = {}

    def key(self, source: bytes, path: bytes | str, module: str, is_package: bool) -> str:
        """The content key of one file as it will be parsed.

        Args:
            source: the file's bytes.
            path: its relative path's bytes as the file system holds them (a `str` is taken
                as `os.fsdecode` gives it, undecodable bytes as surrogates).
            module: its module name (already printable).
            is_package: whether it is a package's `__init__.py`.
        """
        digest = hashlib.blake2b(digest_size=20)
        name = path if isinstance(path, bytes) else os.fsencode(path)
        for part in (self.namespace, name, module.encode("utf-8"), b"P" if is_package else b"M"):
            digest.update(len(part).to_bytes(4, "little"))
            digest.update(part)
        digest.update(source)
        return digest.hexdigest()

    def get(self, key: str) -> ParseResult | None:
        """Return the stored result for `key`, or None on a miss or a damaged entry."""
        try:
            with open(self._entry(key), "rb") as handle:
                data = handle.read()
            result = decode_result(data)
        except (OSError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        self._digests[key] = _entry_digest(data)
        return result

    def digest(self, key: str) -> bytes | None:
        """A digest of the parse result stored under `key` by this scan (read or written), or None.

        Two files with equal digests have equal parse results: an analysis keyed by these digests
        (`pipeline`) is reused when an edit changed a file's bytes but not its facts (a comment's words,
        quotes, spacing within a line).
        """
        return self._digests.get(key)

    def put(self, key: str, encoded: bytes) -> None:
        """Store an encoded result; silently gives up when the cache folder is not writable."""
        self._digests[key] = _entry_digest(encoded)
        entry = self._entry(key)
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(entry, encoded, durable=False)
        except OSError:
            return

    def _entry(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.pickle"


def _entry_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class AnalysisCache:
    """The whole previous analysis (the report) of a tree, by a key over every input of the scan.

    When nothing the report depends on changed (every file's content key,
    what discovery left out, the options, the heuristics digest, the tool
    version), a re-scan loads the report instead of linking and analyzing
    again. A report may also be found by other keys (`put(..., aliases)`):
    the pipeline stores it under a key over the files' parse results too,
    and an alias is a small `.ref` file naming the key of the report.
    Entries are written atomically; only the most recent `MAX_ENTRIES`
    reports are kept, and aliases of reports no longer kept are removed.

    Args:
        directory: the cache folder (created on first write).
    """

    MAX_ENTRIES = 8

    def __init__(self, directory: Path) -> None:
        self.directory = directory / f"analysis-v{ANALYSIS_FORMAT}"

    def get(self, key: str) -> bytes | None:
        """The stored report (its JSON text as UTF-8 bytes) for `key` or for the key its alias names, or None."""
        try:
            return (self.directory / f"{key}.json").read_bytes()
        except OSError:
            pass
        try:
            target = (self.directory / f"{key}.ref").read_text(encoding="ascii").strip()
            if not _is_key(target):
                return None
            return (self.directory / f"{target}.json").read_bytes()
        except (OSError, ValueError):  # no alias, or a damaged one (UnicodeDecodeError is a ValueError)
            return None

    def put(self, key: str, encoded: bytes, aliases: tuple[str, ...] = ()) -> None:
        """Store a report, found by `key` and by each alias; silently gives up when the folder is not writable."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            write_atomically(self.directory / f"{key}.json", encoded, durable=False)
            for alias in aliases:
                self._write_alias(alias, key)
            self._prune()
        except OSError:
            return

    def alias(self, alias: str, key: str) -> None:
        """Make the stored report of `key` found by `alias` too; silently gives up when the folder is not writable."""
        with contextlib.suppress(OSError):
            self._write_alias(alias, key)

    def _write_alias(self, alias: str, key: str) -> None:
        if alias != key and _is_key(alias) and _is_key(key):
            write_atomically(self.directory / f"{alias}.ref", key.encode("ascii"), durable=False)

    def _prune(self) -> None:
        entries = sorted(self.directory.glob("*.json"), key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)
        for stale in entries[self.MAX_ENTRIES :]:
            stale.unlink(missing_ok=True)
        kept = {entry.stem for entry in entries[: self.MAX_ENTRIES]}
        for alias in self.directory.glob("*.ref"):
            try:
                target = alias.read_text(encoding="ascii").strip()
            except (OSError, ValueError):
                target = ""
            if target not in kept:
                alias.unlink(missing_ok=True)


def _is_key(text: str) -> bool:
    """A key as the pipeline makes them: lowercase hexadecimal digits (never a path)."""
    return 0 < len(text) <= 128 and all(c in "0123456789abcdef" for c in text)
