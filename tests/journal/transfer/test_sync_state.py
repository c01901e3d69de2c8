"""What the journal remembers of exported folders: kept while a folder is there, forgotten once it is deleted."""

from __future__ import annotations

import shutil
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
