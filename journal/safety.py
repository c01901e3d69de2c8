"""Where Hindsight may write a file, and where a journal is not (yet) there.

One decision shared by the command line and the app: ``refusal(target, ...)``
says why Hindsight must not write an export over ``target`` (None: it may). A
journal, its side files, another program's database and a team folder's files are
never replaced, whatever the user asked; any other existing file only when they
said so (``--force``, or "Replace" in the app's save dialog).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from journal.schema import APPLICATION_ID

if TYPE_CHECKING:
    from journal.store import Store

SQLITE_MAGIC = b"SQLite format 3\x00"
WAL_MAGICS = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")
HOT_JOURNAL_MAGIC = b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7"
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
_ENTRY_ID_LINE = re.compile(rb"^id: ['\"]?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.MULTILINE)
_HEAD = 4096  # enough to see a header or an entry's `id:` line (the first key Hindsight writes)


def _head(path: Path, size: int = _HEAD) -> bytes:
    """The first bytes of ``path``; b"" when it cannot be read (then nothing is claimed about it)."""
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def is_hindsight_journal(path: Path) -> bool:
    """An SQLite file carrying Hindsight's ``application_id`` (header bytes 68-71)."""
    head = _head(path, 100)
    return head.startswith(SQLITE_MAGIC) and len(head) >= 72 and int.from_bytes(head[68:72], "big") == APPLICATION_ID


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): compare the paths themselves
        return os.path.abspath(a) == os.path.abspath(b)


def _side_of(target: Path) -> Path | None:
    """The database ``target`` would be the ``-wal``/``-shm``/``-journal`` file of, if its name says so."""
    for suffix in SIDE_SUFFIXES:
        if target.name.endswith(suffix) and len(target.name) > len(suffix):
            return target.with_name(target.name[: -len(suffix)])
    return None


def _what_it_holds(target: Path, head: bytes) -> str | None:
    """Why the bytes at ``target`` are never replaced, whatever the user asked (None: ordinary file)."""
    if head.startswith(SQLITE_MAGIC):
        if is_hindsight_journal(target):
            return "is a Hindsight journal"
        return "is a database (SQLite), not a Markdown file"
    if head.startswith(WAL_MAGICS) or head.startswith(HOT_JOURNAL_MAGIC):
        return "is part of a database (its write-ahead log or rollback journal)"
    if ".conflict-" in target.name and target.name.lower().endswith(".md"):
        return "is a team folder's conflict copy (the other side's version of an entry)"
    if head.startswith(b"---") and _ENTRY_ID_LINE.search(head):
        return "holds a Hindsight entry (an exported or team-folder file)"
    if _binary(head):  # an encrypted journal has no header to know it by: random bytes from the first
        return "is not a text file (an encrypted journal, or another program's data)"
    return None


def _binary(head: bytes) -> bool:
    """Bytes no Markdown export wrote: a NUL, or not UTF-8 (a cut at the end of ``head`` aside)."""
    if b"\0" in head:
        return True
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start < len(head) - 3
    return False


def _in_sync_state(store: Store, target: Path) -> bool:
    """The journal remembers ``target`` as an entry's file in a folder it exported to or synced with."""
    resolved = target.resolve()
    for folder in resolved.parents:
        rel = resolved.relative_to(folder).as_posix()
        row = store.conn.execute(
            "SELECT 1 FROM sync_state WHERE folder = ? AND path = ? LIMIT 1", (str(folder), rel)
        ).fetchone()
        if row:
            return True
    return False


def refusal(
    target: Path, *, journal: Path | None = None, store: Store | None = None, force: bool = False
) -> str | None:
    """Why an export must not be written to ``target``, as one line; None when it may be.

    Refused even with ``force``: the open journal (``store`` or ``journal``), its
    side files, any Hindsight journal or other SQLite database and their side files,
    a team folder's conflict copies and entry files. Any other existing file only
    without ``force``. A folder is refused too: an export to one file needs a file name.
    """
    target = Path(target)
    if journal is None and store is not None:
        journal = store.path
    if target.is_dir():
        return f"{target} is a folder; give a file name, or export one file per entry to a folder"
    if journal is not None:
        if _same_file(target, journal):
            return f"{target} is the journal itself; Hindsight never writes an export over it"
        side = _side_of(target)
        if side is not None and _same_file(side, journal):
            return f"{target} belongs to the open journal; Hindsight never writes an export over it"
    side = _side_of(target)
    if side is not None and _head(side, 16).startswith(SQLITE_MAGIC):
        return f"{target} belongs to the database {side.name}; Hindsight never writes an export over it"
    if not os.path.lexists(target):
        return None
    why = _what_it_holds(target, _head(target))
    if why is None and store is not None and _in_sync_state(store, target):
        why = "is an entry's file in a folder this journal exports to or syncs with"
    if why is not None:
        return f"{target} {why}; Hindsight never writes an export over it"
    if not force:
        return f"{target} already exists; add --force to replace it"
    return None


def no_journal_at(path: Path) -> bool:
    """Nothing to open at ``path``: it does not exist, or is an empty file (with no write-ahead log beside it)."""
    try:
        if not path.is_file():
            return not os.path.lexists(path)
        if path.stat().st_size:
            return False
        wal = path.with_name(path.name + "-wal")
        return not (wal.is_file() and wal.stat().st_size)
    except OSError:
        return False  # cannot tell: let opening it say what is wrong
