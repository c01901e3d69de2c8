"""What the journal last exchanged with each Markdown folder, and the conflicts found there.

One row per entry and folder holds the content hash last exported, imported or
synced ("the base"). Comparing the journal and a file with their base tells who
changed: the journal, the file, or both (a conflict, never a silent loss). The row
also holds a fingerprint of the file's bytes as they were then: a file that still
holds those bytes holds the base, so it need not be read as Markdown again.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from journal.model import utc_now
from journal.store import BUSY_TIMEOUT_S, JournalError, Store


def folder_key(folder: Path) -> str:
    """The folder as the journal remembers it: its absolute, resolved path."""
    return str(folder.expanduser().resolve())


@dataclass(frozen=True)
class Base:
    """What a folder and the journal last agreed on for an entry.

    ``hash``: the entry's ``content_hash``; ``path``: its file, relative to the
    folder; ``file_hash``: the ``file_fingerprint`` of that file's bytes as last
    written or read ('' if not known). A file still holding those bytes holds the
    base, and need not be read as Markdown.
    """

    hash: str
    path: str
    file_hash: str = ""


@dataclass(frozen=True)
class Conflict:
    """An entry whose journal copy and folder copy both changed since they last agreed.

    ``path`` holds the version that was not kept (a conflict copy Hindsight wrote,
    or the imported file itself); ``main_path`` is the folder file that now holds
    the journal's version ('' after an import).
    """

    entry_id: str
    title: str
    folder: str
    path: str
    main_path: str
    is_copy: bool
    found_at: str


def bases(store: Store, folder: str, entry_ids: Sequence[str] | None = None) -> dict[str, Base]:
    """The remembered base of each entry for ``folder`` (all of them when ``entry_ids`` is None)."""
    out: dict[str, Base] = {}
    if entry_ids is None:
        rows = store.read("SELECT entry_id, hash, path, file_hash FROM sync_state WHERE folder = ?", (folder,))
        return {r[0]: Base(r[1], r[2], r[3]) for r in rows}
    sql = "SELECT entry_id, hash, path, file_hash FROM sync_state WHERE folder = ? AND entry_id IN ({marks})"
    for rows in store._chunks_by_id(sql, entry_ids, before=(folder,)):
        out.update({r[0]: Base(r[1], r[2], r[3]) for r in rows})
    return out


def folders(store: Store) -> list[str]:
    """Every folder the journal remembers bases for, one index seek each (not a scan of every row)."""
    rows = store.read(
        "WITH RECURSIVE f(folder) AS (SELECT min(folder) FROM sync_state UNION ALL "
        "SELECT (SELECT min(folder) FROM sync_state WHERE folder > f.folder) FROM f WHERE f.folder IS NOT NULL) "
        "SELECT folder FROM f WHERE folder IS NOT NULL"
    )
    return [r[0] for r in rows]


def prune_gone(store: Store) -> list[str]:
    """Forget the bases of folders that were deleted; return them.

    A folder counts as deleted when it is missing but the folder holding it is
    there: an unplugged disk or an unmounted share (whose mount point is gone too)
    keeps its bases for when it comes back. A folder with a conflict still marked is
    kept, so the conflict can still be shown and settled. Without this, every export
    to a new (temporary) folder left a row per entry behind for good.
    """
    marked = {r[0] for r in store.read("SELECT DISTINCT folder FROM conflicts")}
    gone = [
        folder for folder in folders(store)
        if folder not in marked and not os.path.isdir(folder) and os.path.isdir(os.path.dirname(folder))
    ]
    if gone:
        with store._write() as conn:
            conn.executemany("DELETE FROM sync_state WHERE folder = ?", [(folder,) for folder in gone])
        store.give_back_free_pages()
    return gone


def prune_on_open(store: Store) -> None:
    """``prune_gone`` as the app or a writing command opens the journal (``Store.forget_deleted_folders``):
    the next start after an export to a folder since deleted gives its pages back. Never fails the opening."""
    with contextlib.suppress(JournalError):
        if store.read("SELECT 1 FROM sync_state LIMIT 1"):  # nothing remembered: one index seek, no more
            store.conn.execute("PRAGMA busy_timeout = 0")  # another program writing: the next opening prunes
            try:
                prune_gone(store)
            finally:
                store.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")


def set_bases(store: Store, folder: str, rows: Iterable[tuple[str, str, str, str]]) -> None:
    """Remember ``(entry_id, hash, relative path, file_hash)`` as what ``folder`` and the journal agree on."""
    now = utc_now()
    # In key order: the rows go into the table's pages one after another.
    values = sorted((entry_id, folder, digest, path, file_hash, now) for entry_id, digest, path, file_hash in rows)
    if not values:
        return
    with store._write() as conn:
        conn.executemany(
            "INSERT INTO sync_state (entry_id, folder, hash, path, file_hash, synced_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (folder, entry_id) DO UPDATE SET hash = excluded.hash, path = excluded.path, "
            "file_hash = excluded.file_hash, synced_at = excluded.synced_at",
            values,
        )


def add_conflict(store: Store, entry_id: str, folder: str, path: str, main_path: str, is_copy: bool) -> None:
    with store._write() as conn:
        conn.execute(
            "INSERT INTO conflicts (entry_id, folder, path, main_path, is_copy, found_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (entry_id, folder) DO UPDATE SET path = excluded.path, main_path = excluded.main_path, "
            "is_copy = excluded.is_copy, found_at = excluded.found_at",
            (entry_id, folder, path, main_path, int(is_copy), utc_now()),
        )


def drop_conflict(store: Store, entry_id: str, folder: str) -> None:
    with store._write() as conn:
        conn.execute("DELETE FROM conflicts WHERE entry_id = ? AND folder = ?", (entry_id, folder))


def list_conflicts(store: Store) -> list[Conflict]:
    """Every entry marked as conflicted, newest first, with its title for showing."""
    rows = store.read(
        "SELECT c.entry_id, coalesce(e.title, ''), c.folder, c.path, c.main_path, c.is_copy, c.found_at "
        "FROM conflicts c LEFT JOIN entries e ON e.id = c.entry_id ORDER BY c.found_at DESC, c.entry_id"
    )
    return [Conflict(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6]) for r in rows]


def conflicted_ids(store: Store) -> set[str]:
    return {r[0] for r in store.read("SELECT entry_id FROM conflicts")}
