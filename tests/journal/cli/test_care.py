"""`hindsight check`, `backup`, `backups` and `restore` as a person types them; imports and syncs back up first."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from journal import backup
from journal.model import PostMortem
from journal.store import Store
from tests.journal.cli.running import run


@pytest.fixture
def jpath(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "mine.hindsight")
    for title in ("Wrong invoice", "Missed the call"):
        assert run(capsys, "--journal", path, "add", "--title", title, "--role", "maker")[0] == 0
    return path


def test_backup_prints_the_path_of_a_verified_copy(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    code, out, err = run(capsys, "--journal", jpath, "backup")
    assert code == 0, err
    made = Path(out.strip())
    assert made.exists() and made.parent == backup.backup_dir(Path(jpath))
    code, out, _ = run(capsys, "--journal", jpath, "backups", "--json")
    listed = json.loads(out)
    assert code == 0 and listed[0]["path"] == str(made)
    assert listed[0]["entries"] == 2 and listed[0]["verified"] is True and listed[0]["reason"] == "manual"
    assert set(listed[0]) == {"path", "made_at", "entries", "size", "verified", "reason"}


def test_backups_lists_date_entries_size_and_state(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    run(capsys, "--journal", jpath, "backup")
    code, out, _ = run(capsys, "--journal", jpath, "backups")
    manual = [line for line in out.splitlines() if "manual" in line]
    assert code == 0 and len(manual) == 1
    assert "2 entries" in manual[0] and "KB" in manual[0] and "verified" in manual[0]


def test_backups_of_a_journal_never_backed_up(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "--journal", str(tmp_path / "new.hindsight"), "backups")
    assert code == 0 and out == "" and "no backups" in err and "hindsight backup" in err


def test_the_first_add_of_the_day_makes_the_daily_backup(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    reasons = [i.reason for i in backup.list_backups(Path(jpath))]
    assert reasons == ["daily"]  # the second add found entries and no backup; the first found none to keep
    run(capsys, "--journal", jpath, "add", "--title", "Third", "--role", "maker")
    assert [i.reason for i in backup.list_backups(Path(jpath))] == ["daily"]


def test_a_failed_daily_backup_warns_and_still_adds(
    capsys: pytest.CaptureFixture[str], jpath: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("HINDSIGHT_BACKUP_DIR", str(blocker))
    code, out, err = run(capsys, "--journal", jpath, "add", "--title", "Third", "--role", "maker")
    assert code == 0 and len(out.strip()) == 36
    assert err.count("\n") == 1 and "warning: the daily backup was not made" in err


def test_backup_to_a_folder(capsys: pytest.CaptureFixture[str], jpath: str, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    code, out, _ = run(capsys, "--journal", jpath, "backup", "--to", str(usb))
    assert code == 0 and Path(out.strip()).parent == usb
    code, out, err = run(capsys, "--journal", jpath, "backup", "--to", str(tmp_path / "missing"))
    assert code == 1 and out == "" and err.count("\n") == 1 and "is not a folder" in err
    assert not (tmp_path / "missing").exists()


def test_backup_of_a_missing_journal_creates_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "--journal", str(tmp_path / "typo.hindsigt"), "backup")
    assert code == 1 and err.count("\n") == 1
    assert not (tmp_path / "typo.hindsigt").exists()


def test_backup_on_a_full_disk(
    capsys: pytest.CaptureFixture[str], jpath: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(source: sqlite3.Connection, target: Path, wait_s: float) -> None:
        target.write_bytes(b"partial")
        raise sqlite3.OperationalError("database or disk is full")

    before = sorted(os.listdir(backup.backup_dir(Path(jpath))))
    monkeypatch.setattr(backup, "_copy", full_disk)
    code, out, err = run(capsys, "--journal", jpath, "backup")
    assert (code, out) == (1, "")
    assert err == "hindsight: the disk is full; no backup was made; free space and retry\n"
    assert sorted(os.listdir(backup.backup_dir(Path(jpath)))) == before


def test_restore_backs_up_first_then_replaces(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    _, out, _ = run(capsys, "--journal", jpath, "backup")
    good = out.strip()
    run(capsys, "--journal", jpath, "add", "--title", "After the backup", "--role", "maker")
    code, out, err = run(capsys, "--journal", jpath, "restore", good)
    assert code == 0, err
    kept = Path(out.strip())
    assert kept.exists() and "before-restore" in kept.name
    assert "restored 2 entries" in err
    _, out, _ = run(capsys, "--journal", jpath, "list", "--json")
    assert {e["title"] for e in json.loads(out)} == {"Wrong invoice", "Missed the call"}
    _, out, _ = run(capsys, "--journal", str(kept), "list", "--json")
    assert "After the backup" in {e["title"] for e in json.loads(out)}


def test_restore_of_a_text_file_is_refused_untouched(
    capsys: pytest.CaptureFixture[str], jpath: str, tmp_path: Path
) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("my notes\n", encoding="utf-8")
    journal_bytes = Path(jpath).read_bytes()
    backups_before = sorted(os.listdir(backup.backup_dir(Path(jpath))))
    code, out, err = run(capsys, "--journal", jpath, "restore", str(text))
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert "not a Hindsight backup" in err and "nothing was restored" in err
    assert Path(jpath).read_bytes() == journal_bytes
    assert sorted(os.listdir(backup.backup_dir(Path(jpath)))) == backups_before


def test_restore_of_a_missing_file(capsys: pytest.CaptureFixture[str], jpath: str, tmp_path: Path) -> None:
    code, _, err = run(capsys, "--journal", jpath, "restore", str(tmp_path / "gone.hindsight"))
    assert code == 1 and "does not exist; nothing was restored" in err


def test_sync_is_backed_up_first(capsys: pytest.CaptureFixture[str], jpath: str, tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    code, _, err = run(capsys, "--journal", jpath, "sync", str(folder))
    assert code == 0, err
    assert "before sync" in [i.reason for i in backup.list_backups(Path(jpath))]


def test_an_import_that_cannot_be_backed_up_is_not_started(
    capsys: pytest.CaptureFixture[str], jpath: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = tmp_path / "note.md"
    note.write_text("# A plain note\n\nText.\n", encoding="utf-8")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("HINDSIGHT_BACKUP_DIR", str(blocker))
    code, _, err = run(capsys, "--journal", jpath, "import", str(note))
    assert code == 1 and err.count("\n") == 1 and "the import was not started" in err
    _, out, _ = run(capsys, "--journal", jpath, "list", "--json")
    assert len(json.loads(out)) == 2


def test_check_reports_a_healthy_journal(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    jpath = str(tmp_path / "cli.hindsight")  # a new journal, not the fixture's two entries
    assert run(capsys, "--journal", jpath, "add", "--title", "A", "--role", "maker")[0] == 0
    code, out, _ = run(capsys, "--journal", jpath, "check")
    assert code == 0 and "ok: 1 entries" in out


def test_check_on_a_missing_journal_does_not_create_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "missing.hindsight"
    code, _, err = run(capsys, "--journal", str(path), "check")
    assert code == 1 and "no journal at" in err and not path.exists()


def _made_before_with_free_pages(path: str) -> int:
    """The journal as one made before incremental vacuum, with a trash emptied in it; its size."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA auto_vacuum = NONE")
    conn.execute("VACUUM")
    conn.close()
    with Store.open(path, create=False) as store:
        long = "The courier took the parcel to the office we left last spring. " * 80
        store.trash([store.save(PostMortem(title=f"Long {n}", what_happened=long))[0].id for n in range(40)])
        store.empty_trash()
        assert store.conn.execute("PRAGMA freelist_count").fetchone()[0] > 40
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return os.path.getsize(path)


def test_check_compact_backs_up_then_gives_the_free_pages_back(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    before = _made_before_with_free_pages(jpath)
    code, out, err = run(capsys, "--journal", jpath, "check", "--compact")
    assert code == 0, err
    assert out.startswith("ok: 2 entries") and "compacted: " in out
    (kept,) = [i for i in backup.list_backups(Path(jpath)) if i.reason == "before compact"]
    assert kept.verified and kept.entries == 2 and str(kept.path) in out
    assert os.path.getsize(jpath) < before - 40 * 4096
    with Store.open(jpath, create=False) as store:
        assert store.conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # gives freed pages back from now on
        assert store.conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
        assert sorted(s.title for s in store.search("")) == ["Missed the call", "Wrong invoice"]
        assert store.check() == []


def test_check_compact_leaves_a_damaged_journal_as_it_is(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    _made_before_with_free_pages(jpath)
    with Store.open(jpath, create=False) as store:
        store.conn.execute("DELETE FROM entries_fts")
    code, out, err = run(capsys, "--journal", jpath, "check", "--compact")
    assert code == 1 and "compacted" not in out and "not indexed" in err
    assert not [i for i in backup.list_backups(Path(jpath)) if i.reason == "before compact"]
    with Store.open(jpath, create=False) as store:  # not rewritten: restored from a backup, as the error says
        assert store.conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 0
        assert store.conn.execute("PRAGMA freelist_count").fetchone()[0] > 40
