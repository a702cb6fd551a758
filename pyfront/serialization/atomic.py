"""Atomic file writes: the target name only ever holds the old file or the whole new one.

A save killed mid-write (SIGKILL, power loss) can't remove its temporary file ``.NAME.<hex>.tmp``;
the next save of the same target does. A temporary is stale when no process holds the lock its
writer takes on it for as long as it lives: the kernel drops a lock when its process dies, however it
dies, so this is exact -- unlike a pid in the name (reused pids, other pid namespaces sharing the
folder) or an age bound (a slow save of a big model is not stale, a save killed a second ago is).
Windows has no such lock, but there a file another process holds open can't be deleted, so the
cleaner just tries. (A pyfront from before these locks, saving to the same target at the same
moment, would lose its temporary: its save then fails with an error, it never writes a bad file.)
"""
from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None


@contextlib.contextmanager
def atomic_write(path):
    """Yield a binary file that replaces ``path`` when the block ends without an error.

    The data goes to a temporary file in the same folder (so the rename is atomic), is flushed
    and fsynced, takes the permissions of the file it replaces, and is renamed over the target
    with ``os.replace``; the folder is then fsynced so the rename itself survives a crash. On any
    error the temporary file is removed and the target is left as it was. A symbolic link at
    ``path`` is kept: the file it points to is replaced. Stale temporaries of the same target,
    left by saves that were killed, are removed first.
    """
    target = os.path.realpath(os.fspath(path))
    folder, name = os.path.split(target)
    remove_stale_temps(folder, name)
    fd, tmp = _create_temp(folder, name)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
            if fcntl is not None:  # renamed while still locked: no cleaner ever sees it unlocked
                _replace(tmp, target)
        if fcntl is None:  # Windows can't rename an open file
            _replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(folder)


def _replace(tmp: str, target: str) -> None:
    try:
        os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
    except FileNotFoundError:
        pass  # a new file keeps the mode open() would give it (0o666 less the umask)
    os.replace(tmp, target)


def _create_temp(folder: str, name: str):
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    while True:
        tmp = os.path.join(folder, f".{name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileExistsError:
            continue
        _lock(fd, blocking=True)
        if os.fstat(fd).st_nlink:
            return fd, tmp
        os.close(fd)  # another save's cleaner removed it between our open and our lock: try again


def _lock(fd: int, blocking: bool) -> bool:
    """Take the exclusive lock on ``fd``'s file; False when another process holds it."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


def remove_stale_temps(folder: str, name: str) -> None:
    """Remove the temporaries of target ``name`` in ``folder`` whose writer is gone."""
    pattern = re.compile(rf"\.{re.escape(name)}\.[0-9a-f]{{12}}\.tmp")  # _create_temp's names
    try:
        entries = [e.name for e in os.scandir(folder) if pattern.fullmatch(e.name)]
    except OSError:
        return  # an unreadable folder: the save itself will say what is wrong
    for entry in entries:
        path = os.path.join(folder, entry)
        with contextlib.suppress(OSError):  # gone already, or not ours to remove: leave it
            if fcntl is None:
                os.unlink(path)  # fails while its writer holds it open
                continue
            fd = os.open(path, os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
            try:
                # unlocked: its writer died; and the name still names the file we locked
                if _lock(fd, blocking=False) and os.path.samestat(os.fstat(fd), os.stat(path)):
                    os.unlink(path)
            finally:
                os.close(fd)


def _fsync_folder(folder: str) -> None:
    if os.name != "posix":  # Windows can't open a folder; its rename is durable on its own
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
