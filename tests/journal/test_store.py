"""The journal file: safe opening, exact round trips, revisions, trash, health."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from journal import store as store_module
from journal.migrations import SCHEMA_VERSION
from journal.model import FollowUp, PostMortem, content_hash
from journal.store import ConflictError, EntryNotFound, JournalError, JournalTooNew, NoJournal, NotAJournal, Store


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def entry(title: str = "Sent the wrong invoice", **fields: object) -> PostMortem:
    return PostMortem.from_dict({"title": title, "role": "maker", **fields})


# --- opening -----------------------------------------------------------------------


def test_a_new_journal_is_created_in_wal_mode_at_the_current_schema(journal_path: Path) -> None:
    with Store.open(journal_path) as store:
        conn = store.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert journal_path.exists()


def test_opening_a_current_journal_leaves_the_migrations_unloaded(journal_path: Path) -> None:
    # Every command opens the journal; sqlite-utils (the migrations' engine) takes 0.15 s
    # to import, and a helper process of a long export pays it again.
    Store.open(journal_path).close()
    code = (
        "import sys; from journal.store import Store; "
        f"Store.open({str(journal_path)!r}, create=False).close(); "
        "print(sorted(m for m in sys.modules if m.startswith(('sqlite_utils', 'journal.migrations'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_forgetting_deleted_folders_with_none_remembered_loads_no_transfer_code(journal_path: Path) -> None:
    # The app does it as it opens a journal, before the first paint.
    Store.open(journal_path).close()
    code = (
        "import sys; from journal.store import Store; "
        f"store = Store.open({str(journal_path)!r}, create=False); store.forget_deleted_folders(); store.close(); "
        "print(sorted(m for m in sys.modules if m.startswith('journal.transfer')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_parent_folder_is_created(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "j.hindsight"
    Store.open(path).close()
    assert path.exists()


def test_reopening_keeps_entries(journal_path: Path) -> None:
    with Store.open(journal_path) as store:
        saved, _ = store.save(entry())
    with Store.open(journal_path) as store:
        assert store.get(saved.id) == saved


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Dear diary,\nthe pizza was cold.\n", "not an SQLite database"),
        (bytes(range(256)) * 64, "not an SQLite database"),
        (b"SQLite format 3\x00" + b"\x10\x00", "truncated"),
    ],
    ids=["text file", "random bytes", "tiny header"],
)
def test_files_that_are_not_journals_are_refused_untouched(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "notes.hindsight"
    path.write_bytes(content)
    before = digest(path)
    with pytest.raises(NotAJournal, match=message):
        Store.open(path)
    assert digest(path) == before
    assert not Path(f"{path}-wal").exists()


def test_a_truncated_journal_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "full.hindsight"
    with Store.open(path) as store:
        store.insert_many([entry(f"entry {i}", what_happened="words " * 200) for i in range(300)])
    data = path.read_bytes()
    cut = tmp_path / "cut.hindsight"
    cut.write_bytes(data[: len(data) // 2])
    before = digest(cut)
    with pytest.raises(NotAJournal, match="truncated"):
        Store.open(cut)
    assert digest(cut) == before


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotAJournal, match="folder"):
        Store.open(tmp_path)


def test_a_journal_from_a_newer_version_is_refused_before_any_write(journal_path: Path) -> None:
    Store.open(journal_path).close()
    conn = sqlite3.connect(journal_path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = digest(journal_path)
    with pytest.raises(JournalTooNew, match="newer Hindsight"):
        Store.open(journal_path)
    assert digest(journal_path) == before


def test_another_programs_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (name TEXT)")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(NotAJournal, match="not a Hindsight journal"):
        Store.open(path)
    assert digest(path) == before


def test_a_missing_journal_is_an_error_when_not_creating(tmp_path: Path) -> None:
    with pytest.raises(NoJournal, match="no journal at"):
        Store.open(tmp_path / "nope.hindsight", create=False)
    assert not (tmp_path / "nope.hindsight").exists()


def test_a_locked_journal_gives_a_clear_error(journal_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.05)
    with Store.open(journal_path) as store:
        other = sqlite3.connect(journal_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            store.conn.execute("PRAGMA busy_timeout = 50")
            with pytest.raises(JournalError, match="busy"):
                store.save(entry())
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert store.count() == 0


# --- saving ---------------------------------------------------------------------------

ODD_TEXT = (
    "Emoji 🍕🔥👩🏽‍💻, right-to-left שלום עליכם مرحبا, combining e\u0301 a\u0308, "
    "control \x01\x07\x1b chars, zero-width\u200bjoin, tab\tand\r\nCRLF"
)


def test_each_save_increments_the_revision(store: Store) -> None:
    first, _ = store.save(entry())
    first.title = "Sent the wrong invoice twice"
    second, changes = store.save(first)
    assert (first.revision, second.revision) == (1, 2)
    assert changes.updated == (first.id,)
    assert second.created_at == first.created_at


def test_a_stale_save_is_a_conflict_and_overwrites_nothing(store: Store) -> None:
    mine, _ = store.save(entry())
    theirs = store.get(mine.id)
    theirs.what_happened = "their newer words"
    store.save(theirs)
    mine.what_happened = "my words"
    with pytest.raises(ConflictError) as caught:
        store.save(mine)
    assert (caught.value.expected, caught.value.current) == (1, 2)
    assert store.get(mine.id).what_happened == "their newer words"
    forced, _ = store.save(mine, force=True)
    assert forced.revision == 3 and store.get(mine.id).what_happened == "my words"


def test_a_teammates_version_is_saved_as_it_is_and_only_over_the_revision_it_follows(store: Store) -> None:
    mine, _ = store.save(entry())
    theirs = replace(mine, what_happened="their words", revision=4, updated_at="2030-01-01T00:00:00Z")
    saved, changes = store.save_version(theirs, over=1)
    assert changes.updated == (mine.id,)
    assert store.get(mine.id) == saved == replace(theirs, created_at=mine.created_at)
    with pytest.raises(ConflictError):  # the journal is at 4 now, not 1
        store.save_version(replace(theirs, revision=5), over=1)
    with pytest.raises(ValueError, match="not later"):
        store.save_version(replace(theirs, what_happened="older"), over=4)
    assert store.get(mine.id).what_happened == "their words"


def test_a_save_that_fails_validation_writes_nothing(store: Store) -> None:
    saved, _ = store.save(entry())
    saved.severity = 9
    with pytest.raises(ValueError, match="severity"):
        store.save(saved)
    assert store.get(saved.id).severity == 2


def test_trash_restore_and_empty(store: Store) -> None:
    a, _ = store.save(entry("A"))
    b, _ = store.save(entry("B"))
    changes = store.trash([a.id])
    assert changes.trashed == (a.id,)
    assert [s.title for s in store.search("")] == ["B"]
    assert [s.title for s in store.search("", trash=True)] == ["A"]
    assert store.restore([a.id]).restored == (a.id,)
    assert store.count() == 2
    store.trash([a.id, b.id])
    purged = store.empty_trash()
    assert set(purged.purged) == {a.id, b.id}
    assert store.count(trash=True) == 0
    with pytest.raises(EntryNotFound):
        store.get(a.id)
    assert store.check() == []


def _pages(store: Store) -> tuple[int, int]:
    """(pages in the journal, free pages), what the write-ahead log holds copied into the file first."""
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    return pages, store.conn.execute("PRAGMA freelist_count").fetchone()[0]


def _fill_trash(store: Store) -> None:
    long = "The courier took the parcel to the office we left last spring. " * 80
    store.trash([store.save(entry(f"Long {n}", what_happened=long))[0].id for n in range(40)])


def test_emptying_the_trash_gives_its_pages_back_to_the_disk(store: Store, journal_path: Path) -> None:
    assert store.conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # incremental: set as the journal is made
    store.save(entry("Kept"))
    _fill_trash(store)
    full = _pages(store)[0]
    store.empty_trash()
    after, free = _pages(store)
    assert free == 0
    assert after < full - 40
    assert journal_path.stat().st_size == after * store.conn.execute("PRAGMA page_size").fetchone()[0]
    assert [s.title for s in store.search("")] == ["Kept"]
    assert store.check() == []


def test_a_journal_made_before_incremental_vacuum_keeps_freed_pages_for_reuse(journal_path: Path) -> None:
    # Switching needs a VACUUM (a rewrite of the whole file): opening never runs one.
    with Store.open(journal_path) as store:
        store.save(entry("Kept"))
    conn = sqlite3.connect(journal_path, isolation_level=None)
    conn.execute("PRAGMA auto_vacuum = NONE")
    conn.execute("VACUUM")  # as journals were made before
    conn.close()
    with Store.open(journal_path) as store:
        assert store.conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 0
        _fill_trash(store)
        store.empty_trash()
        assert _pages(store)[1] > 40
        assert [s.title for s in store.search("")] == ["Kept"]
        assert store.check() == []


def test_resolve_id_takes_a_unique_prefix(store: Store) -> None:
    saved, _ = store.save(entry())
    assert store.resolve_id(saved.id[:6]) == saved.id
    with pytest.raises(EntryNotFound, match="no entry"):
        store.resolve_id("ffffffff-no")
    with pytest.raises(EntryNotFound, match="at least 4"):
        store.resolve_id("ab")
    with pytest.raises(EntryNotFound):
        store.resolve_id("%%%%")


def _indexes(store: Store) -> set[str]:
    return {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


def _modes(store: Store) -> tuple[str, int]:
    conn = store.conn
    return conn.execute("PRAGMA journal_mode").fetchone()[0], conn.execute("PRAGMA synchronous").fetchone()[0]


def _stored_hashes(store: Store) -> dict[str, str | None]:
    return dict(store.conn.execute("SELECT id, content_hash FROM entries").fetchall())


def test_a_journal_from_before_m004_gets_fingerprints_worked_out(journal_path: Path) -> None:
    with Store.open(journal_path) as store:
        store.insert_many([entry("Courier went to the old office", client="Acme")])
        (pm,) = store.iter_entries()
    conn = sqlite3.connect(journal_path, isolation_level=None)  # back to schema 3, as shipped
    conn.execute("ALTER TABLE entries DROP COLUMN content_hash")
    conn.execute("ALTER TABLE sync_state DROP COLUMN file_hash")
    conn.execute("DROP INDEX follow_ups_open_rows")
    conn.execute("DROP INDEX follow_ups_checks_due")
    conn.execute("ALTER TABLE follow_ups DROP COLUMN note")
    conn.execute(
        "DELETE FROM _sqlite_migrations WHERE name IN ('m004_content_hash', 'm005_sync_file_hash', "
        "'m006_follow_up_note', 'm008_follow_ups_open_rows')"
    )
    conn.execute("PRAGMA user_version = 3")
    conn.close()
    with Store.open(journal_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert _stored_hashes(store) == {pm.id: None}
        assert store.get_many_hashed([pm.id]) == [(pm, content_hash(pm))]


def test_a_journal_from_before_m006_keeps_its_follow_ups_and_fingerprints(journal_path: Path) -> None:
    pm = entry("Invoice sent twice", client="Acme")
    pm.follow_ups = [FollowUp(text="Check the billing run", owner="Sam", due_on="2024-05-01")]
    with Store.open(journal_path) as store:
        store.insert_many([pm])
        (pm,) = store.iter_entries()
        before = _stored_hashes(store)
    conn = sqlite3.connect(journal_path, isolation_level=None)  # back to schema 5, as shipped
    conn.execute("DROP INDEX follow_ups_open_rows")
    conn.execute("DROP INDEX follow_ups_checks_due")
    conn.execute("ALTER TABLE follow_ups DROP COLUMN note")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name IN ('m006_follow_up_note', 'm008_follow_ups_open_rows')")
    conn.execute("PRAGMA user_version = 5")
    conn.close()
    with Store.open(journal_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert _stored_hashes(store) == before == {pm.id: content_hash(pm)}
        indexes = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"follow_ups_checks_due", "follow_ups_open_rows"} <= indexes
        (again,) = store.iter_entries()
        assert again.follow_ups[0].note == ""
        again.follow_ups[0].note = "Billing run moved to Tuesdays"
        saved, _ = store.save(again)
        assert store.get(pm.id).follow_ups[0].note == "Billing run moved to Tuesdays"
        assert content_hash(saved) != before[pm.id]


def test_check_finds_a_damaged_search_index(store: Store) -> None:
    store.save(entry())
    store.conn.execute("DELETE FROM entries_fts")
    assert any("not indexed" in p for p in store.check())


def test_a_full_disk_is_a_clear_error_and_loses_nothing(journal_path: Path) -> None:
    with Store.open(journal_path) as store:
        saved, _ = store.save(entry())
        page_count = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {page_count}")
        saved.what_happened = "x" * 2_000_000
        with pytest.raises(JournalError, match="full"):
            store.save(saved)
        assert store.get(saved.id).what_happened == ""
        assert store.check() == []


def test_journal_path_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HINDSIGHT_JOURNAL", str(tmp_path / "env.hindsight"))
    assert store_module.resolve_journal_path("given.hindsight") == Path("given.hindsight")
    assert store_module.resolve_journal_path(None) == tmp_path / "env.hindsight"
    monkeypatch.delenv("HINDSIGHT_JOURNAL")
    assert store_module.resolve_journal_path(None).name == "journal.hindsight"
    assert os.fspath(store_module.resolve_journal_path(None)).startswith(os.path.expanduser("~"))


def test_a_journal_with_an_unknown_layout_is_refused_untouched(journal_path: Path) -> None:
    Store.open(journal_path).close()
    conn = sqlite3.connect(journal_path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("ALTER TABLE entries RENAME COLUMN severity TO gravity")
    conn.commit()
    conn.close()
    before = digest(journal_path)
    with pytest.raises(NotAJournal, match="layout"):
        Store.open(journal_path)
    assert digest(journal_path) == before


def test_a_journal_from_before_m009_gets_hours_to_first_reply_unknown(journal_path: Path) -> None:
    pm = entry("Reply took two days", client="Acme")
    with Store.open(journal_path) as store:
        store.insert_many([pm])
        (pm,) = store.iter_entries()
        before = _stored_hashes(store)
    conn = sqlite3.connect(journal_path, isolation_level=None)  # back to schema 8, as shipped
    conn.execute("DROP INDEX entries_reply")  # m010's index on the column
    conn.execute("ALTER TABLE entries DROP COLUMN first_response_hours")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name IN ('m009_first_response_hours', 'm010_reply_hours_index')")
    conn.execute("PRAGMA user_version = 8")
    conn.close()
    with Store.open(journal_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 10
        (again,) = store.iter_entries()
        assert again.first_response_hours is None and again == pm
        assert _stored_hashes(store) == before == {pm.id: content_hash(again)}
        again.first_response_hours = 49.5
        saved, _ = store.save(again)
        assert store.get(pm.id).first_response_hours == 49.5
        assert _stored_hashes(store) == {pm.id: content_hash(saved)} != before
