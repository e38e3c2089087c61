"""Writing a file all at once: a reader sees the old content or the new, never part of either.

Used for `--output` and for every parse-cache entry. The bytes go to a temporary
file in the destination's own folder (so the rename never crosses file
systems), which is then renamed over the destination with `os.replace`, atomic
on POSIX and Windows. If anything fails or the process is interrupted before
the rename, the temporary file is removed and the destination is untouched.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace `path`'s content with `data` in one step.

    A destination that is not a regular file (`/dev/stdout`, a FIFO) is written
    in place: it cannot be renamed over, and holds no earlier content to lose.
    A symlink is followed, so the file it points to is replaced, not the link.

    Args:
        path: the destination.
        data: the whole new content.
        durable: flush the bytes to disk before the rename (a report; not a cache entry).

    Raises:
        OSError: the folder is not writable, the disk is full, ...
    """
    target = Path(os.path.realpath(path))
    mode = _mode_for(target)
    if mode is None:
        with open(target, "wb") as handle:
            handle.write(data)
        return
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:  # KeyboardInterrupt included: never leave the temporary file behind
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _mode_for(target: Path) -> int | None:
    """The permission bits the new file gets: the old file's, else the umask's; None for a non-regular file."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return 0o666 & ~_umask()
    if not stat.S_ISREG(info.st_mode):
        return None
    return stat.S_IMODE(info.st_mode)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
