"""Writing a folder of generated files all at once (`--emit-sam DIR`).

The files go to a temporary folder beside DIR (same file system), which then
takes DIR's place by rename: a reader sees the old folder or the new one,
never a mix, and an interrupted or failed write leaves DIR as it was. An
existing DIR is replaced only when it is empty or holds a previous output of
the same kind (its marker file): a folder of the user's is never deleted.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

MARKER = ".migrate-scan-output"


class FolderNotReplaceable(OSError):
    """DIR exists and is not ours to replace (not empty, no marker), or is not a folder."""


def write_folder_atomically(folder: Path, files: dict[str, bytes], *, kind: str) -> None:
    """Replace `folder` with exactly `files` (relative names, `/`-separated) in one rename.

    Args:
        folder: the destination folder; its parent must exist.
        files: relative path → content.
        kind: what the folder holds (`sam`); written into the marker, checked before replacing.

    Raises:
        FolderNotReplaceable: `folder` exists and holds something else.
        OSError: the parent is not writable, the disk is full, ...
    """
    target = folder.absolute()
    check_replaceable(target, kind)
    temporary = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))
    old: Path | None = None
    try:
        for name, data in sorted(files.items()):
            path = temporary / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        (temporary / MARKER).write_text(f"{kind}\n", encoding="utf-8")
        os.chmod(temporary, 0o777 & ~_umask())
        if target.exists():
            old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old"))
            os.rmdir(old)
            os.rename(target, old)
        os.rename(temporary, target)
    except BaseException:  # KeyboardInterrupt included: never leave a half-written folder
        shutil.rmtree(temporary, ignore_errors=True)
        if old is not None and not target.exists():
            with contextlib.suppress(OSError):
                os.rename(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def check_replaceable(target: Path, kind: str) -> None:
    """Raise `FolderNotReplaceable` unless `target` is absent, empty, or an earlier output of `kind`."""
    if not target.exists() and not target.is_symlink():
        return
    if target.is_symlink() or not target.is_dir():
        raise FolderNotReplaceable(f"{target} exists and is not a folder")
    entries = os.listdir(target)
    if not entries:
        return
    marker = target / MARKER
    try:
        is_ours = marker.read_text(encoding="utf-8").strip() == kind
    except OSError:
        is_ours = False
    if not is_ours:
        raise FolderNotReplaceable(f"{target} is not empty and is not an earlier {kind} output of migrate-scan")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
