"""What the journal remembers of exported folders: kept while a folder is there, forgotten once it is deleted."""

from __future__ import annotations

import shutil
import sqlite3
import time
from dataclasses import replace
from pathlib import Path

import pytest

from journal.model import PostMortem
from journal.store import JournalError, Store
from journal.transfer import sync_state
from journal.transfer.export import export_folder
from journal.transfer.importer import import_paths
from tests.journal.pm_strategies import simple
from tests.journal.unreadable import damage, locked


def add(store: Store, *titles: str) -> list[PostMortem]:
    return [store.save(simple(title))[0] for title in titles]


def rows(store: Store) -> dict[str, int]:
    found = store.conn.execute("SELECT folder, count(*) FROM sync_state GROUP BY folder").fetchall()
    return {folder: count for folder, count in found}


def test_exports_to_deleted_folders_leave_no_rows_behind(store: Store, tmp_path: Path) -> None:
    entries = add(store, "One", "Two", "Three")
    ids = [e.id for e in entries]
    for number in range(5):
        folder = tmp_path / f"export-{number}"
        export_folder(store, ids, folder)
        shutil.rmtree(folder)
    last = tmp_path / "last"
    export_folder(store, ids, last)
    assert rows(store) == {sync_state.folder_key(last): 3}  # only the folder still there


def test_a_folder_whose_parent_is_gone_too_keeps_its_rows(store: Store, tmp_path: Path) -> None:
    # An unplugged disk or an unmounted share takes its mount point with it: its bases wait for it.
    ids = [e.id for e in add(store, "One")]
    drive = tmp_path / "media" / "stick"
    export_folder(store, ids, drive / "team")
    shutil.rmtree(tmp_path / "media")
    export_folder(store, ids, tmp_path / "elsewhere")
    assert sync_state.folder_key(drive / "team") in rows(store)


def test_a_deleted_folder_with_a_marked_conflict_keeps_its_rows(store: Store, tmp_path: Path) -> None:
    (entry,) = add(store, "One")
    folder = tmp_path / "out"
    export_folder(store, [entry.id], folder)
    sync_state.add_conflict(store, entry.id, sync_state.folder_key(folder), str(folder / "x.md"), "", False)
    shutil.rmtree(folder)
    export_folder(store, [entry.id], tmp_path / "elsewhere")
    assert sync_state.folder_key(folder) in rows(store)
    assert [c.entry_id for c in sync_state.list_conflicts(store)] == [entry.id]


def test_export_then_import_of_a_folder_still_there_is_still_idempotent(store: Store, tmp_path: Path) -> None:
    entries = add(store, "One", "Two")
    folder = tmp_path / "out"
    export_folder(store, [e.id for e in entries], folder)
    gone = tmp_path / "gone"
    export_folder(store, [e.id for e in entries], gone)
    shutil.rmtree(gone)
    export_folder(store, [e.id for e in entries], tmp_path / "third")  # prunes "gone", not "out"
    # The journal moved on since the export and the file did not: the journal's copy
    # stays and nothing is marked, because the base of "out" is still remembered.
    store.save(replace(store.get(entries[0].id), title="One, edited here"))
    again = import_paths(store, [folder])
    assert (again.created, again.updated, again.conflicts, again.failed) == ([], [], [], [])
    assert len(again.unchanged) == 2
    assert store.get(entries[0].id).title == "One, edited here"


def test_a_locked_or_damaged_journal_is_a_journal_error(journal_path: Path, tmp_path: Path) -> None:
    # Export, import and sync workers report a JournalError; a sqlite3 error would escape them.
    with Store.open(journal_path) as store:
        ids = [e.id for e in add(store, "One", "Two")]
        export_folder(store, ids, tmp_path / "team")
        sync_state.add_conflict(store, ids[0], sync_state.folder_key(tmp_path / "team"), "One (conflict).md", "", True)
    key = sync_state.folder_key(tmp_path / "team")
    reads = [
        lambda store: sync_state.bases(store, key),
        lambda store: sync_state.bases(store, key, ids),
        sync_state.folders,
        sync_state.list_conflicts,
        sync_state.conflicted_ids,
        sync_state.prune_gone,
    ]
    with locked(journal_path) as store:
        for read in reads:
            with pytest.raises(JournalError, match="is busy"):
                read(store)
    damage(journal_path)
    with Store.open(journal_path) as store:
        for read in reads:
            with pytest.raises(JournalError, match="is damaged"):
                read(store)


def _pages(store: Store) -> tuple[int, int]:
    """(pages in the journal, free pages), what the write-ahead log holds copied into the file first."""
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    return pages, store.conn.execute("PRAGMA freelist_count").fetchone()[0]


def _many(store: Store, count: int) -> list[str]:
    long = "A long account of what happened. " * 20  # long file names and text: the bases fill pages
    return [store.save(replace(simple(f"Entry {n} {long[:60]}"), what_happened=long))[0].id for n in range(count)]


def test_the_next_start_after_an_export_to_a_deleted_folder_gives_its_pages_back(
    journal_path: Path, tmp_path: Path
) -> None:
    with Store.open(journal_path) as store:
        ids = _many(store, 300)
        before = _pages(store)[0]
        folder = tmp_path / "a-long-folder-name-as-temporary-folders-have" / "export"
        export_folder(store, ids, folder)
        with_bases = _pages(store)[0]
    shutil.rmtree(folder)
    with Store.open(journal_path) as store:
        sync_state.prune_on_open(store)
        assert rows(store) == {}
        after, free = _pages(store)
    assert with_bases > before + 10, "the test must remember enough bases to fill pages"
    assert free == 0
    assert after <= before + 1  # the pages of the bases went back to the file system
    assert journal_path.stat().st_size == after * 4096


def test_opening_forgets_only_deleted_folders(store: Store, tmp_path: Path) -> None:
    (entry,) = add(store, "One")
    kept, unplugged, marked, gone = (tmp_path / "kept", tmp_path / "media" / "stick" / "team",
                                     tmp_path / "marked", tmp_path / "gone")
    for folder in (kept, unplugged, marked, gone):
        export_folder(store, [entry.id], folder)
    sync_state.add_conflict(store, entry.id, sync_state.folder_key(marked), str(marked / "x.md"), "", False)
    shutil.rmtree(tmp_path / "media")  # an unplugged disk takes its mount point with it
    shutil.rmtree(marked)
    shutil.rmtree(gone)
    sync_state.prune_on_open(store)
    assert set(rows(store)) == {sync_state.folder_key(f) for f in (kept, unplugged, marked)}


def test_opening_a_journal_another_program_writes_to_neither_waits_nor_fails(
    journal_path: Path, tmp_path: Path
) -> None:
    with Store.open(journal_path) as store:
        ids = [e.id for e in add(store, "One")]
        export_folder(store, ids, tmp_path / "gone")
    shutil.rmtree(tmp_path / "gone")
    key = sync_state.folder_key(tmp_path / "gone")
    writer = sqlite3.connect(journal_path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # holds the write lock; reading goes on
        with Store.open(journal_path) as store:
            started = time.monotonic()
            sync_state.prune_on_open(store)
            assert time.monotonic() - started < 1  # not the 5 s a save would wait
            assert key in rows(store)
    finally:
        writer.close()
    with Store.open(journal_path) as store:
        sync_state.prune_on_open(store)  # the next opening
        assert rows(store) == {}
