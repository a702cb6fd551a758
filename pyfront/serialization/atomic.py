"""Atomic file writes: the target name only ever holds the old file or the whole new one."""
from __future__ import annotations

import contextlib
import os
import secrets
import stat


@contextlib.contextmanager
def atomic_write(path):
    """Yield a binary file that replaces ``path`` when the block ends without an error.

    The data goes to a temporary file in the same folder (so the rename is atomic), is flushed
    and fsynced, takes the permissions of the file it replaces, and is renamed over the target
    with ``os.replace``; the folder is then fsynced so the rename itself survives a crash. On any
    error the temporary file is removed and the target is left as it was. A symbolic link at
    ``path`` is kept: the file it points to is replaced.
    """
    target = os.path.realpath(os.fspath(path))
    folder, name = os.path.split(target)
    fd, tmp = _create_temp(folder, name)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        try:
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        except FileNotFoundError:
            pass  # a new file keeps the mode open() would give it (0o666 less the umask)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(folder)


def _create_temp(folder: str, name: str):
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    while True:
        tmp = os.path.join(folder, f".{name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue


def _fsync_folder(folder: str) -> None:
    if os.name != "posix":  # Windows can't open a folder; its rename is durable on its own
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
