"""Files only their owner may read: the journal, its SQLite side files and conflict copies.

No process-wide umask: it is shared by every thread (a save in a worker would race
an export's file creation) and would make the exports a person asks for private too.
Each private file is created 0600 instead; SQLite gives ``-wal``, ``-shm`` and
``-journal`` the mode of the database file they belong to.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from journal.safety import SIDE_SUFFIXES

PRIVATE_MODE = 0o600


def create_private(path: Path) -> None:
    """Create ``path`` empty and owner-only, unless something is there already (then leave it)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, flags, PRIVATE_MODE))


def make_private(path: Path) -> None:
    """Take group and others' access away from a journal and its side files made before Hindsight did this.

    Only regular files of this user are touched (a link is not followed); a file we may
    not change is left as it is: opening the journal matters more.
    """
    for name in (path.name, *(path.name + side for side in SIDE_SUFFIXES)):
        restrict(path.with_name(name))


def restrict(path: Path | str) -> None:
    """Take group and others' access away from one regular file of this user (a link is not followed)."""
    if os.name == "nt":  # the user's profile folder is private; Windows has no mode bits to set
        return
    with contextlib.suppress(OSError):
        info = os.lstat(path)
        if stat.S_ISREG(info.st_mode) and info.st_mode & 0o077 and info.st_uid == os.geteuid():
            os.chmod(path, stat.S_IMODE(info.st_mode) & 0o700)
