"""Encryption at rest: no known sentence in any byte Hindsight leaves on disk, and clear refusals."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from journal import backup, crypto
from journal.cli import main
from journal.model import PostMortem
from journal.store import JournalError, NeedsPassphrase, Store, WrongPassphrase

SENTENCE = "Quillfeather rang twice about the unsigned invoice"
SECRET = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _nothing_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no passphrase known to the process and none in the environment."""
    monkeypatch.setattr(crypto, "_known", {})
    monkeypatch.delenv(crypto.PASSPHRASE_ENV, raising=False)


def _entry(title: str, text: str = SENTENCE) -> PostMortem:
    return PostMortem(title=title, client="Quillfeather Ltd", what_happened=text)


@pytest.fixture
def plain(journal_path: Path) -> Path:
    with Store.open(journal_path) as store:
        for n in range(12):
            store.save(_entry(f"Invoice slip {n}"))
    return journal_path


def _every_file(*folders: Path) -> Iterator[Path]:
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                yield Path(root) / name


def _leaks(*folders: Path) -> list[Path]:
    """Files whose raw bytes hold the known sentence (or the client's name) in plain text."""
    needles = (SENTENCE.encode(), b"Quillfeather")
    return [f for f in _every_file(*folders) if any(n in f.read_bytes() for n in needles)]


def _backups_root() -> Path:
    return Path(os.environ["HINDSIGHT_BACKUP_DIR"])


def test_encrypt_leaves_no_plain_text_in_the_journal_its_wal_or_any_backup(plain: Path) -> None:
    with Store.open(plain) as store:  # a plain backup from before encryption
        backup.make_backup(store, reason="manual")
    assert _leaks(_backups_root()), "the test's needle must be findable in a plain backup"

    assert crypto.encrypt(plain, SECRET) == 12
    with Store.open(plain, passphrase=SECRET) as store:  # a write leaves pages in the -wal
        store.save(_entry("After encryption"))
        assert Path(f"{plain}-wal").exists()
        assert _leaks(plain.parent, _backups_root()) == []
        backup.make_backup(store, reason="manual")
    assert _leaks(plain.parent, _backups_root()) == []
    assert not plain.read_bytes().startswith(b"SQLite format 3")
    assert all(info.verified for info in backup.list_backups(plain))
    assert not list(plain.parent.glob(".*converting"))


def test_an_encrypted_journal_opens_only_with_its_passphrase_and_is_left_unchanged(plain: Path) -> None:
    crypto.encrypt(plain, SECRET)
    crypto.forget(plain)
    before = plain.read_bytes()
    with pytest.raises(NeedsPassphrase, match="encrypted"):
        Store.open(plain)
    with pytest.raises(WrongPassphrase, match="passphrase does not open"):
        Store.open(plain, passphrase="not it")
    assert plain.read_bytes() == before
    assert not Path(f"{plain}-wal").exists()
    with Store.open(plain, passphrase=SECRET) as store:
        assert store.entry_count() == 12
        assert len(store.search("unsigned invoice")) == 12


def test_decrypt_gives_back_a_plain_journal_sqlite3_reads(plain: Path) -> None:
    crypto.encrypt(plain, SECRET)
    assert crypto.decrypt(plain, SECRET) == 12
    conn = sqlite3.connect(plain)
    assert conn.execute("SELECT count(*) FROM entries").fetchone() == (12,)
    conn.close()
    # its backup from before decrypting stays encrypted, with the same key
    before = [info for info in backup.list_backups(plain) if info.reason == "before decrypt"]
    assert before and crypto.is_encrypted(before[0].path)
    assert backup.verify(before[0].path, passphrase=SECRET) == 12


def test_decrypt_with_a_wrong_passphrase_changes_nothing(plain: Path) -> None:
    crypto.encrypt(plain, SECRET)
    before = plain.read_bytes()
    with pytest.raises(WrongPassphrase):
        crypto.decrypt(plain, "wrong")
    assert plain.read_bytes() == before


def test_encrypting_twice_is_refused(plain: Path) -> None:
    crypto.encrypt(plain, SECRET)
    with pytest.raises(JournalError, match="already encrypted"):
        crypto.encrypt(plain, SECRET)


def test_a_file_of_random_bytes_is_not_taken_for_a_journal(tmp_path: Path) -> None:
    noise = tmp_path / "noise.hindsight"
    noise.write_bytes(os.urandom(4096))
    with pytest.raises(WrongPassphrase, match="not a Hindsight journal"):
        Store.open(noise, passphrase=SECRET)
    with pytest.raises(NeedsPassphrase):
        Store.open(noise)


def test_a_restored_encrypted_backup_opens_with_the_key(plain: Path) -> None:
    crypto.encrypt(plain, SECRET)
    with Store.open(plain) as store:  # remembered in this process since encrypt
        kept = backup.make_backup(store)
        store.save(_entry("Later"))
    backup.restore(plain, kept.path)
    with Store.open(plain, passphrase=SECRET) as store:
        assert store.entry_count() == 12
    assert _leaks(plain.parent, _backups_root()) == []


def _auto_vacuum(path: Path) -> int:
    with Store.open(path, create=False, passphrase=SECRET) as store:
        return int(store.conn.execute("PRAGMA auto_vacuum").fetchone()[0])


def test_encrypting_and_decrypting_make_a_journal_that_gives_freed_pages_back(plain: Path) -> None:
    conn = sqlite3.connect(plain, isolation_level=None)
    conn.execute("PRAGMA auto_vacuum = NONE")
    conn.execute("VACUUM")  # as journals were made before: freed pages stay in the file
    conn.close()
    crypto.encrypt(plain, SECRET)
    assert _auto_vacuum(plain) == 2  # the conversion rewrites every page: incremental from now on
    with Store.open(plain) as store:
        kept = backup.make_backup(store)
    assert _auto_vacuum(kept.path) == 2
    crypto.decrypt(plain, SECRET)
    assert _auto_vacuum(plain) == 2


def test_an_encrypted_journal_forgets_a_deleted_folder_on_opening_and_shrinks(plain: Path, tmp_path: Path) -> None:
    from journal.transfer import sync_state
    from journal.transfer.export import export_folder

    crypto.encrypt(plain, SECRET)
    with Store.open(plain) as store:
        long = "A long account of the unsigned invoice. " * 20
        ids = [store.save(_entry(f"Invoice {n} {long[:60]}", long))[0].id for n in range(200)]
        store.checkpoint()
        before = store.conn.execute("PRAGMA page_count").fetchone()[0]
        export_folder(store, ids, tmp_path / "out")
    shutil.rmtree(tmp_path / "out")
    with Store.open(plain) as store:
        sync_state.prune_on_open(store)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert store.conn.execute("SELECT count(*) FROM sync_state").fetchone()[0] == 0
        assert store.conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
        assert store.conn.execute("PRAGMA page_count").fetchone()[0] <= before + 1


def test_compacting_an_encrypted_journal_keeps_it_encrypted(plain: Path) -> None:
    crypto.encrypt(plain, SECRET)
    with Store.open(plain) as store:
        store.trash([store.save(_entry(f"Trashed {n}", SENTENCE * 40))[0].id for n in range(30)])
        store.empty_trash()
        store.compact()
        assert store.entry_count() == 12
    assert _leaks(plain.parent) == []
    assert not plain.read_bytes().startswith(b"SQLite format 3")
    assert _auto_vacuum(plain) == 2


# --- the command line --------------------------------------------------------------------------


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_encrypt_search_and_decrypt(
    plain: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(crypto.PASSPHRASE_ENV, SECRET)
    code, _, err = _run(capsys, "--journal", str(plain), "encrypt")
    assert code == 0, err
    assert _leaks(plain.parent, _backups_root()) == []
    monkeypatch.setattr(crypto, "_known", {})  # a new process: only the env var

    code, out, _ = _run(capsys, "--journal", str(plain), "search", "unsigned")
    assert code == 0 and out.count("Invoice slip") == 12
    assert _run(capsys, "--journal", str(plain), "check")[0] == 0

    code, _, err = _run(capsys, "--journal", str(plain), "decrypt")
    assert code == 0, err
    assert plain.read_bytes().startswith(b"SQLite format 3")


@pytest.mark.parametrize("passphrase", [None, "wrong"])
def test_cli_missing_or_wrong_passphrase_is_one_line_and_changes_nothing(
    plain: Path, passphrase: str | None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    crypto.encrypt(plain, SECRET)
    monkeypatch.setattr(crypto, "_known", {})
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    if passphrase:
        monkeypatch.setenv(crypto.PASSPHRASE_ENV, passphrase)
    before = plain.read_bytes()
    for command in (["search", "invoice"], ["list"], ["decrypt"], ["backup"]):
        code, _out, err = _run(capsys, "--journal", str(plain), *command)
        assert code == 1, command
        assert len(err.strip().splitlines()) == 1 and "passphrase" in err.lower(), err
        assert "Traceback" not in err
    assert plain.read_bytes() == before


def test_cli_encrypt_without_a_terminal_or_env_var_refuses(
    plain: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    before = plain.read_bytes()
    code, _, err = _run(capsys, "--journal", str(plain), "encrypt")
    assert code == 1 and "HINDSIGHT_PASSPHRASE" in err and len(err.strip().splitlines()) == 1
    assert plain.read_bytes() == before


def test_cli_asks_twice_without_echo_and_refuses_a_mismatch(
    plain: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["one passphrase", "another"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    before = plain.read_bytes()
    code, _, err = _run(capsys, "--journal", str(plain), "encrypt")
    assert code == 1 and "differ" in err
    assert plain.read_bytes() == before


def test_cli_asks_for_the_passphrase_on_a_terminal(
    plain: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    crypto.encrypt(plain, SECRET)
    monkeypatch.setattr(crypto, "_known", {})
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    asked: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt="": asked.append(prompt) or SECRET)
    code, out, _ = _run(capsys, "--journal", str(plain), "list")
    assert code == 0 and out.count("Invoice slip") == 12
    assert len(asked) == 1


def test_a_helper_process_opens_the_encrypted_journal_with_the_passphrase_it_is_handed(
    plain: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journal.transfer import export, workers

    crypto.encrypt(plain, SECRET)  # remembered in this process only: not in the environment
    monkeypatch.setattr(workers, "helper_count", lambda items, busy_here=True: 1)
    monkeypatch.setattr(export, "EXPORT_CHUNK", 2)  # several chunks, so the helper takes some
    with Store.open(plain) as store:
        result = export.export_folder(store, store.search_ids(""), tmp_path / "out")
    assert len(list((tmp_path / "out").glob("*.md"))) == 12
    assert not result.failed


def test_a_killed_conversion_leaves_no_copy_behind_after_the_next_one(plain: Path) -> None:
    leftover = plain.parent / f".{plain.name}.999999999-dead.converting"  # its process is long gone
    with Store.open(plain) as store:
        backup.make_backup(store)
    leftover.write_bytes(next(f for f in _every_file(_backups_root()) if f.suffix == ".hindsight").read_bytes())
    crypto.encrypt(plain, SECRET)
    assert not leftover.exists()
    assert _leaks(plain.parent, _backups_root()) == []


def test_an_encrypted_journal_keeps_temporary_storage_in_memory(plain: Path) -> None:
    crypto.encrypt(plain, SECRET)
    with Store.open(plain) as store:
        assert store.conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY: no plain temp file
        assert store.conn.execute("PRAGMA cipher_version").fetchone()[0]
