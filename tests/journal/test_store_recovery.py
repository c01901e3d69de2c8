"""Opening a journal after a crash or a full disk: what SQLite can recover is opened, nothing else is written."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
import types
from pathlib import Path

import pytest

from journal.migrations import SCHEMA_VERSION
from journal.model import PostMortem
from journal.store import JournalTooNew, NotAJournal, Store


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def entries(prefix: str, count: int) -> list[PostMortem]:
    return [
        PostMortem.from_dict({"title": f"{prefix} {i}", "role": "maker", "what_happened": "words " * 200})
        for i in range(count)
    ]


def _copy_with_log(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    shutil.copyfile(f"{source}-wal", f"{target}-wal")


def interrupted_checkpoint(tmp_path: Path) -> tuple[Path, list[str]]:
    """A journal as a checkpoint cut short leaves it (killed, or the disk full as the file grew).

    The first page, with the new, larger page count, reached the file; the file itself did
    not grow yet; the log beside it still holds every committed page.
    """
    live = tmp_path / "live.hindsight"
    store = Store.open(live)
    store.insert_many(entries("first", 100))
    store.checkpoint()
    store.conn.execute("PRAGMA wal_autocheckpoint = 0")
    store.insert_many(entries("second", 200))
    ids = [r[0] for r in store.conn.execute("SELECT id FROM entries")]
    crashed = tmp_path / "crashed.hindsight"
    finished = tmp_path / "finished.hindsight"
    _copy_with_log(live, crashed)  # what a kill -9 leaves: the file and its log, no shared memory
    _copy_with_log(live, finished)
    store.close()
    with sqlite3.connect(finished) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    page_size = int.from_bytes(crashed.read_bytes()[16:18], "big")
    data = bytearray(crashed.read_bytes())
    data[:page_size] = finished.read_bytes()[:page_size]
    crashed.write_bytes(data)
    assert len(data) < page_size * int.from_bytes(data[28:32], "big")  # the file alone looks truncated
    return crashed, ids


def test_a_journal_whose_checkpoint_was_cut_short_opens_with_every_committed_entry(tmp_path: Path) -> None:
    crashed, ids = interrupted_checkpoint(tmp_path)
    with Store.open(crashed) as store:
        assert sorted(r[0] for r in store.conn.execute("SELECT id FROM entries")) == sorted(ids)
        assert store.check() == []
        assert store.count("second") == 200


def test_the_cli_opens_it_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from journal.cli import main

    crashed, ids = interrupted_checkpoint(tmp_path)
    assert main(["--journal", str(crashed), "check"]) == 0
    assert f"ok: {len(ids)} entries" in capsys.readouterr().out


def _damaged(tmp_path: Path) -> tuple[Path, str, str]:
    crashed, _ = interrupted_checkpoint(tmp_path)
    log = Path(f"{crashed}-wal")
    log.write_bytes(log.read_bytes()[:50_000])  # the log lost most of its pages: nothing can mend it
    return crashed, digest(crashed), digest(log)


def test_a_journal_still_damaged_after_recovery_is_refused_untouched(tmp_path: Path) -> None:
    crashed, before, log_before = _damaged(tmp_path)
    with pytest.raises(NotAJournal, match=r"is damaged.*no backup exists yet") as refused:
        Store.open(crashed)
    assert "\n" not in str(refused.value)
    assert digest(crashed) == before and digest(Path(f"{crashed}-wal")) == log_before


def test_the_refusal_names_the_newest_good_backup_and_how_to_restore_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crashed, _, _ = _damaged(tmp_path)
    good = tmp_path / "backups" / "journal 2026-12-01.hindsight"
    backup = types.ModuleType("journal.backup")
    backup.newest_good = lambda path: types.SimpleNamespace(path=good)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "journal.backup", backup)
    with pytest.raises(NotAJournal) as refused:
        Store.open(crashed)
    assert str(refused.value).endswith(f"restore the newest good backup with: hindsight restore '{good}'")


def test_a_bulk_load_killed_mid_transaction_is_rolled_back_and_opens(tmp_path: Path) -> None:
    # A bulk load writes with the rollback journal: a kill in a transaction leaves a hot -journal.
    path = tmp_path / "journal.hindsight"
    with Store.open(path) as store:
        kept = store.insert_many(entries("kept", 40)).created
    script = (
        "import os, sys\n"
        "from journal.store import Store\n"
        "store = Store.open(sys.argv[1])\n"
        "conn = store.conn\n"
        "conn.execute('PRAGMA journal_mode = DELETE')\n"
        "conn.execute('PRAGMA cache_size = 5')\n"  # a small cache spills changed pages into the file
        "conn.execute('BEGIN IMMEDIATE')\n"
        "conn.execute(\"UPDATE entries SET title = 'lost', what_happened = 'gone'\")\n"
        "conn.execute('DELETE FROM entries_fts')\n"
        "os._exit(9)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(path)], check=False)
    assert done.returncode == 9 and Path(f"{path}-journal").exists()
    with Store.open(path) as store:
        assert sorted(r[0] for r in store.conn.execute("SELECT id FROM entries")) == sorted(kept)
        assert store.count("kept") == 40 and store.check() == []


def _foreign_with_log(path: Path, *, application_id: int = 0, user_version: int = 0) -> None:
    """A database in WAL mode that its program left with a log (a crash, or still running)."""
    live = path.with_suffix(".live")
    conn = sqlite3.connect(live, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.execute(f"PRAGMA application_id = {application_id}")
    conn.execute(f"PRAGMA user_version = {user_version}")
    conn.executemany("INSERT INTO notes VALUES (?)", [("x" * 500,)] * 200)
    _copy_with_log(live, path)
    conn.close()


def test_another_programs_database_with_a_log_is_refused_and_its_log_is_not_replayed(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    _foreign_with_log(path)
    before, log_before = digest(path), digest(Path(f"{path}-wal"))
    with pytest.raises(NotAJournal, match="not a Hindsight journal"):
        Store.open(path)
    assert digest(path) == before and digest(Path(f"{path}-wal")) == log_before


def test_a_newer_journal_with_a_log_is_refused_before_its_log_is_replayed(tmp_path: Path) -> None:
    from journal.schema import APPLICATION_ID

    path = tmp_path / "newer.hindsight"
    _foreign_with_log(path, application_id=APPLICATION_ID, user_version=SCHEMA_VERSION + 1)
    before, log_before = digest(path), digest(Path(f"{path}-wal"))
    with pytest.raises(JournalTooNew):
        Store.open(path)
    assert digest(path) == before and digest(Path(f"{path}-wal")) == log_before


def test_a_file_truncated_with_no_log_beside_it_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "journal.hindsight"
    with Store.open(path) as store:
        store.insert_many(entries("e", 100))
    cut = tmp_path / "cut.hindsight"
    cut.write_bytes(path.read_bytes()[:100_000])
    with pytest.raises(NotAJournal, match=r"is damaged \(truncated: 100000 of"):
        Store.open(cut)


def test_check_that_finds_problems_says_what_to_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from journal.cli import main

    path = tmp_path / "journal.hindsight"
    with Store.open(path) as store:
        store.insert_many(entries("e", 5))
        store.conn.execute("DELETE FROM entries_fts WHERE rowid = 1")  # an entry search can no longer find
    assert main(["--journal", str(path), "check"]) == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith(f"hindsight: {path} is damaged (1 problem(s) found); no backup exists yet")
