"""Write a file so nobody ever sees half of it: a temporary name beside it, then a rename.

``write_atomic`` replaces a file in one step (its permissions kept); ``write_new``
creates one that must not exist yet, never following or replacing anything there.
A failure leaves the target as it was and no temporary file behind. Exports, sync,
review packets and calendars all write through here.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def write_atomic(path: Path | str, text: str | bytes, *, durable: bool = False) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to a temporary name beside ``path``, then rename it into place.

    A reader never sees half a file, and a failure (a full disk, no permission)
    leaves ``path`` as it was and no temporary file behind. ``durable`` flushes the
    bytes to the disk before the rename (one file, not thousands). A replaced file's
    permissions are kept.
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd, temporary = temporary_beside(path)
    try:
        try:
            write_all(fd, data)
            with contextlib.suppress(OSError):  # a file that was not there, or a mode we may not set
                replaced = os.stat(path, follow_symlinks=False)  # a link's target's mode is not ours to copy
                if stat.S_ISREG(replaced.st_mode):
                    os.chmod(temporary, stat.S_IMODE(replaced.st_mode))
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def temporary_beside(path: Path | str, mode: int = 0o666) -> tuple[int, str]:
    """A new hidden file next to ``path`` (created exclusively: a file already there is never reused)."""
    for attempt in range(100):
        temporary = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{os.getpid()}-{attempt}.tmp")
        try:
            return os.open(temporary, _CREATE, mode), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name beside it", str(path))


def write_new(path: Path | str, data: bytes, mode: int = 0o666) -> None:
    """Create ``path`` holding ``data``, never following or replacing anything already there.

    ``mode`` as for ``os.open`` (the umask applies): 0o600 for a file only its owner may read.

    The bytes go to a temporary name first and are then hard-linked to ``path``
    (which fails if anything is there, as ``O_EXCL`` does), so even a crash leaves
    either the whole file or none. Where the file system has no hard links (FAT, some
    network shares) the file is created at ``path`` with ``O_EXCL`` and removed on failure.
    """
    fd, temporary = temporary_beside(path, mode)
    try:
        try:
            write_all(fd, data)
        finally:
            os.close(fd)
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise
        except OSError:  # no hard links here (each system says so its own way): the plain exclusive create
            _write_exclusive(path, data, mode)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _write_exclusive(path: Path | str, data: bytes, mode: int = 0o666) -> None:
    fd = os.open(path, _CREATE, mode)
    try:
        write_all(fd, data)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    os.close(fd)


def write_all(fd: int, data: bytes) -> None:
    """All of ``data`` to ``fd`` (``os.write`` may write only part of it)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]

