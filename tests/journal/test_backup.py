"""Backups as a person relies on them: a verified copy, kept on a schedule, restorable, never half-written."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from journal import backup
from journal.model import PostMortem
from journal.store import JournalError, Store


def _add(store: Store, *titles: str) -> None:
    for title in titles:
        store.save(PostMortem.from_dict({"title": title, "role": "maker"}))


@pytest.fixture
def full(store: Store) -> Store:
    _add(store, "Wrong invoice", "Missed the call", "Late report")
    return store


def _files(folder: Path) -> list[str]:
    return sorted(os.listdir(folder)) if folder.exists() else []


def test_backup_is_a_verified_copy_with_the_same_entries(full: Store) -> None:
    info = backup.make_backup(full)
    assert info.verified and info.entries == 3 and info.reason == "manual"
    assert info.path.parent == backup.backup_dir(full.path)
    assert info.path.name.endswith("-manual.hindsight")
    with Store.open(info.path, create=False) as copy:
        assert sorted(s.title for s in copy.search("")) == ["Late report", "Missed the call", "Wrong invoice"]
    assert not [n for n in _files(info.path.parent) if n.endswith(("-wal", "-shm", ".partial"))]


def test_backups_are_owner_only(full: Store) -> None:
    info = backup.make_backup(full)
    assert stat.S_IMODE(info.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(info.path.parent.stat().st_mode) == 0o700


def test_listing_reads_newest_first_with_entries_and_size(full: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    first = backup.make_backup(full)
    _add(full, "Fourth")
    monkeypatch.setattr(backup, "_now", lambda: datetime.now(UTC) + timedelta(minutes=5))
    second = backup.make_backup(full, reason="before import")
    listed = backup.list_backups(full.path)
    assert [i.path for i in listed] == [second.path, first.path]
    assert [i.entries for i in listed] == [4, 3]
    assert listed[0].reason == "before import" and listed[0].size == second.path.stat().st_size
    assert backup.newest_good(full.path) == listed[0]


def test_two_backups_in_one_second_both_kept(full: Store) -> None:
    a = backup.make_backup(full)
    b = backup.make_backup(full)
    assert a.path != b.path and a.path.exists() and b.path.exists()


def test_a_copy_that_fails_its_check_is_deleted_and_reported(full: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_copy(source: sqlite3.Connection, target: Path, wait_s: float) -> None:
        target.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)  # a header and nothing behind it

    monkeypatch.setattr(backup, "_copy", broken_copy)
    with pytest.raises(JournalError, match="failed its check and was deleted"):
        backup.make_backup(full)
    assert _files(backup.backup_dir(full.path)) == []


def test_disk_full_leaves_no_partial_file(full: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(source: sqlite3.Connection, target: Path, wait_s: float) -> None:
        target.write_bytes(b"SQLite format 3\x00" + b"\x01" * 4000)  # half written when the disk filled
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup, "_copy", full_disk)
    with pytest.raises(JournalError) as caught:
        backup.make_backup(full)
    assert str(caught.value) == "the disk is full; no backup was made; free space and retry"
    assert _files(backup.backup_dir(full.path)) == []
    assert full.entry_count() == 3  # the journal itself is untouched


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_backup_folder_is_a_clear_error(full: Store, tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(JournalError, match="read-only; no backup was made"):
            backup.make_backup(full, to=folder)
        assert _files(folder) == []
    finally:
        folder.chmod(0o700)


def test_leftovers_of_a_killed_backup_are_swept(full: Store) -> None:
    folder = backup.backup_dir(full.path)
    folder.mkdir(parents=True)
    ended = subprocess.Popen([sys.executable, "-c", "pass"])  # a process that has ended, as a killed backup's
    ended.wait()
    killed = folder / f".{ended.pid}-abcd1234.partial"
    running = folder / f".{os.getpid()}-efgh5678.partial"  # a backup under way in a living process
    old = folder / f".{os.getpid()}-ijkl9012.partial"
    for path in (killed, running, old):
        path.write_bytes(b"half a copy")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    backup.make_backup(full)
    assert not killed.exists() and not old.exists() and running.exists()


def test_unusable_backup_folder_is_a_clear_error(
    full: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("HINDSIGHT_BACKUP_DIR", str(blocker))
    with pytest.raises(JournalError, match=r"cannot use the backup folder .*; no backup was made"):
        backup.make_backup(full)
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_missing_to_folder_is_refused(full: Store, tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="is not a folder"):
        backup.make_backup(full, to=tmp_path / "nowhere")
    assert not (tmp_path / "nowhere").exists()


def test_a_writer_holding_the_lock_does_not_surface_locked(full: Store) -> None:
    """Another window saving (WAL): the backup copies what was committed and never says "locked"."""
    other = sqlite3.connect(str(full.path), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE entries SET title = 'half-saved'")
    try:
        info = backup.make_backup(full)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert info.entries == 3
    with Store.open(info.path, create=False) as copy:
        assert "half-saved" not in {s.title for s in copy.search("")}


def test_backup_while_another_window_keeps_saving(full: Store, journal_path: Path) -> None:
    """Saves land all through the backup (their own connection, as another window's): none fails, the copy is whole."""
    stop = threading.Event()
    saved: list[int] = []
    errors: list[BaseException] = []

    def keep_saving() -> None:
        with Store.open(journal_path, create=False) as other:
            while not stop.is_set() or len(saved) < 5:
                try:
                    _add(other, f"Saved meanwhile {len(saved)}")
                except BaseException as error:  # reported to the test, not lost in the thread
                    errors.append(error)
                    return
                saved.append(1)

    writer = threading.Thread(target=keep_saving)
    writer.start()
    try:
        made = [backup.make_backup(full) for _ in range(3)]
    finally:
        stop.set()
        writer.join()
    assert errors == [] and len(saved) >= 5
    assert all(info.verified and info.entries >= 3 for info in made)


def test_backup_waits_for_an_exclusive_lock_then_succeeds(full: Store) -> None:
    """In rollback-journal mode (a bulk import switches to it) a writer blocks readers; the backup waits."""
    full.conn.execute("PRAGMA journal_mode = DELETE")
    other = sqlite3.connect(str(full.path), isolation_level=None, check_same_thread=False)
    other.execute("BEGIN EXCLUSIVE")
    other.execute("UPDATE entries SET title = 'saved by the other window'")
    release = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    full.conn.execute("PRAGMA busy_timeout = 0")  # only the backup's own retries wait
    release.start()
    try:
        info = backup.make_backup(full)
    finally:
        release.join()
        other.close()
    assert info.verified and info.entries == 3
    with Store.open(info.path, create=False) as copy:
        assert {s.title for s in copy.search("")} == {"saved by the other window"}


def test_a_lock_held_too_long_gives_one_line_and_no_file(full: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    full.conn.execute("PRAGMA journal_mode = DELETE")
    full.conn.execute("PRAGMA busy_timeout = 0")
    monkeypatch.setattr(backup, "BUSY_WAIT_S", 0.2)
    other = sqlite3.connect(str(full.path), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    other.execute("UPDATE entries SET title = 'x'")
    try:
        with pytest.raises(JournalError, match=r"stayed busy .* no backup was made") as caught:
            backup.make_backup(full)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "\n" not in str(caught.value) and "locked" not in str(caught.value)
    assert _files(backup.backup_dir(full.path)) == []


# --- automatic ---------------------------------------------------------------------------------


def test_daily_backup_only_when_due(full: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    first = backup.backup_if_due(full)
    assert first is not None and first.reason == "daily"
    assert backup.backup_if_due(full) is None  # made minutes ago
    monkeypatch.setattr(backup, "_now", lambda: datetime.now(UTC) + timedelta(hours=25))
    later = backup.backup_if_due(full)
    assert later is not None and later.path != first.path


def test_daily_backup_skips_an_empty_journal(store: Store) -> None:
    assert backup.backup_if_due(store) is None
    assert _files(backup.backup_dir(store.path)) == []


def test_upgrade_of_an_older_journal_is_backed_up_first(full: Store, journal_path: Path) -> None:
    full.close()
    conn = sqlite3.connect(journal_path, isolation_level=None)  # back to schema 4, as shipped
    conn.execute("ALTER TABLE sync_state DROP COLUMN file_hash")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_sync_file_hash'")
    conn.execute("PRAGMA user_version = 4")
    conn.close()
    with Store.open(journal_path) as upgraded:
        assert upgraded.entry_count() == 3
    (made,) = backup.list_backups(journal_path)
    assert made.reason == "before upgrade" and made.entries == 3
    with sqlite3.connect(made.path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 4  # the journal as it was


def test_an_import_in_the_cli_is_backed_up_first(
    full: Store, journal_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from journal.cli import main

    full.close()
    note = tmp_path / "note.md"
    note.write_text("# A plain note\n\nText.\n", encoding="utf-8")
    assert main(["--journal", str(journal_path), "import", str(note)]) == 0
    assert [i.reason for i in backup.list_backups(journal_path)] == ["before import"]


# --- rotation ----------------------------------------------------------------------------------


def _fake(folder: Path, moment: datetime, *, verified: bool = True) -> Path:
    path = folder / f"{moment.strftime('%Y-%m-%dT%H-%M-%SZ')}-daily.hindsight"
    path.write_bytes(b"x")
    info = backup.BackupInfo(path, moment.isoformat(), 1, 1, verified, "daily")
    backup._write_sidecar(info)
    return path


def test_rotation_keeps_7_daily_4_weekly_12_monthly(tmp_path: Path) -> None:
    now = datetime(2026, 12, 6, 7, 0, tzinfo=UTC)  # a Sunday
    day = datetime(2025, 1, 1, 3, 0, tzinfo=UTC)
    while day <= now:
        _fake(tmp_path, day)
        day += timedelta(days=1)
    backup.rotate(tmp_path, now=now)
    kept = sorted(name[:10] for name in os.listdir(tmp_path) if name.endswith(".hindsight"))
    daily = [f"2026-11-{d}" for d in ("30",)] + [f"2026-12-0{d}" for d in range(1, 7)]
    weekly = ["2026-11-15", "2026-11-22", "2026-11-29"]  # Sundays; the fourth week is this one
    monthly = [
        "2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30",
        "2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31",
    ]  # and November, December: already kept
    assert kept == sorted(daily + weekly + monthly)
    assert len([n for n in os.listdir(tmp_path) if n.endswith(".json")]) == len(kept)


def test_rotation_never_deletes_the_only_good_one(tmp_path: Path) -> None:
    now = datetime(2026, 12, 6, 7, 0, tzinfo=UTC)
    good = _fake(tmp_path, now - timedelta(days=800))
    for days in range(0, 20):
        _fake(tmp_path, now - timedelta(days=days, hours=1), verified=False)
    backup.rotate(tmp_path, now=now)
    assert good.exists()


def test_rotation_keeps_every_backup_of_the_last_day(full: Store) -> None:
    made = [backup.make_backup(full, reason=f"before {what}") for what in ("import", "sync", "restore")]
    assert all(info.path.exists() for info in made)


def test_to_folder_backups_are_never_rotated(full: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = tmp_path / "usb"
    mine.mkdir()
    old = _fake(mine, datetime(2020, 1, 1, tzinfo=UTC))
    for days in range(40):
        _fake(mine, datetime(2021, 1, 1, tzinfo=UTC) + timedelta(days=days))
    backup.make_backup(full, to=mine)
    assert old.exists() and len([n for n in os.listdir(mine) if n.endswith(".hindsight")]) == 42


# --- restoring ---------------------------------------------------------------------------------


def test_restore_keeps_the_current_journal_then_replaces_it(full: Store, journal_path: Path) -> None:
    good = backup.make_backup(full)
    _add(full, "Written after the backup")
    full.close()
    kept = backup.restore(journal_path, good.path)
    assert kept is not None and kept.reason == "before restore" and kept.entries == 4
    with Store.open(journal_path, create=False) as restored:
        assert restored.entry_count() == 3
    with Store.open(kept.path, create=False) as previous:
        assert "Written after the backup" in {s.title for s in previous.search("")}
    assert not [n for n in os.listdir(journal_path.parent) if n.endswith((".restoring", "-wal"))]


def _auto_vacuum(path: Path) -> int:
    with Store.open(path, create=False) as store:
        return int(store.conn.execute("PRAGMA auto_vacuum").fetchone()[0])


def test_a_backup_and_the_journal_restored_from_it_still_give_freed_pages_back(
    full: Store, journal_path: Path
) -> None:
    good = backup.make_backup(full)
    full.close()
    assert _auto_vacuum(good.path) == 2  # incremental, as the journal was made
    backup.restore(journal_path, good.path)
    assert _auto_vacuum(journal_path) == 2


def test_restore_refuses_while_the_journal_is_open_elsewhere(full: Store, journal_path: Path) -> None:
    good = backup.make_backup(full)
    _add(full, "Still open in the app")
    with pytest.raises(JournalError, match="open in another window"):
        backup.restore(journal_path, good.path)
    assert full.entry_count() == 4


def _text_file(tmp_path: Path, good: Path) -> Path:
    path = tmp_path / "notes.hindsight"
    path.write_text("just some notes\n", encoding="utf-8")
    return path


def _truncated(tmp_path: Path, good: Path) -> Path:
    path = tmp_path / "cut.hindsight"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    return path


def _other_app(tmp_path: Path, good: Path) -> Path:
    path = tmp_path / "firefox.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE moz_places (url TEXT)")
    return path


def _corrupted(tmp_path: Path, good: Path) -> Path:
    path = tmp_path / "bad.hindsight"
    data = bytearray(good.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for offset in range(page, len(data), page):  # every page but the first: headers scrambled
        data[offset : offset + 12] = b"\xff" * 12
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("make_bad", [_text_file, _truncated, _other_app, _corrupted])
def test_restore_refuses_what_is_not_a_good_backup(
    full: Store, journal_path: Path, tmp_path: Path, make_bad: object
) -> None:
    good = backup.make_backup(full)
    full.close()
    bad = make_bad(tmp_path, good.path)  # type: ignore[operator]
    bad_bytes = bad.read_bytes()
    journal_bytes = journal_path.read_bytes()
    before = set(os.listdir(tmp_path)), _files(good.path.parent)
    with pytest.raises(JournalError, match="nothing was restored") as caught:
        backup.restore(journal_path, bad)
    assert "\n" not in str(caught.value)
    assert journal_path.read_bytes() == journal_bytes and bad.read_bytes() == bad_bytes
    assert (set(os.listdir(tmp_path)), _files(good.path.parent)) == before


def test_restore_without_a_backup_of_the_journal_restores_nothing(
    full: Store, journal_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = backup.make_backup(full, to=tmp_path)
    _add(full, "Only in the journal")
    full.close()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("HINDSIGHT_BACKUP_DIR", str(blocker))
    with pytest.raises(JournalError, match="no backup was made; so nothing was restored"):
        backup.restore(journal_path, good.path)
    with Store.open(journal_path, create=False) as still:
        assert still.entry_count() == 4
    assert not [n for n in os.listdir(journal_path.parent) if n.endswith(".restoring")]


def test_restore_into_a_missing_journal_needs_no_backup(full: Store, tmp_path: Path) -> None:
    good = backup.make_backup(full)
    target = tmp_path / "new.hindsight"
    assert backup.restore(target, good.path) is None
    with Store.open(target, create=False) as restored:
        assert restored.entry_count() == 3


def test_restore_keeps_a_damaged_journal_byte_for_byte(full: Store, journal_path: Path) -> None:
    good = backup.make_backup(full)
    full.close()
    damaged = journal_path.read_bytes()[:5000]
    journal_path.write_bytes(damaged)
    kept = backup.restore(journal_path, good.path)
    assert kept is not None and not kept.verified and kept.path.read_bytes() == damaged
    with Store.open(journal_path, create=False) as restored:
        assert restored.entry_count() == 3


def test_restore_will_not_replace_another_programs_file(full: Store, tmp_path: Path) -> None:
    good = backup.make_backup(full)
    other = _other_app(tmp_path, good.path)
    other_bytes = other.read_bytes()
    with pytest.raises(JournalError, match="not a Hindsight journal; restore will not replace it"):
        backup.restore(other, good.path)
    assert other.read_bytes() == other_bytes


def test_a_backup_without_its_sidecar_is_listed_as_not_checked(full: Store) -> None:
    info = backup.make_backup(full)
    info.path.with_name(info.path.name + ".json").unlink()
    (listed,) = backup.list_backups(full.path)
    assert not listed.verified and listed.entries == -1
    assert backup.newest_good(full.path) is None


def test_sidecar_is_plain_json(full: Store) -> None:
    info = backup.make_backup(full)
    data = json.loads(info.path.with_name(info.path.name + ".json").read_text(encoding="utf-8"))
    assert data["entries"] == 3 and data["verified"] is True


def test_backup_dir_differs_for_two_journals_of_the_same_name(tmp_path: Path) -> None:
    a = backup.backup_dir(tmp_path / "a" / "journal.hindsight")
    b = backup.backup_dir(tmp_path / "b" / "journal.hindsight")
    assert a != b and a.name.startswith("journal-") and a.parent == b.parent
