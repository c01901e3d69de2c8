"""Never writing over what Hindsight did not make: the one decision, kept by every export."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from journal import atomic, safety
from journal.markdown import files as md_files
from journal.markdown import writer as md_writer
from journal.store import Store
from journal.transfer.export import ExportRefused, export_file, export_folder, select_ids
from journal.transfer.importer import import_paths
from tests.journal.pm_strategies import simple


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "mine.hindsight") as opened:
        opened.save(simple("Sent the wrong invoice", client="Acme"))
        yield opened


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- the decision --------------------------------------------------------------------------------


def test_a_new_file_may_be_written_and_an_existing_one_only_with_force(tmp_path: Path) -> None:
    assert safety.refusal(tmp_path / "new.md") is None
    notes = tmp_path / "notes.md"
    notes.write_text("my own notes\n")
    assert safety.refusal(notes) == f"{notes} already exists; add --force to replace it"
    assert safety.refusal(notes, force=True) is None


def test_the_open_journal_and_its_side_files_are_refused_even_with_force(store: Store) -> None:
    journal = store.path
    for target in (journal, Path(f"{journal}-wal"), Path(f"{journal}-shm"), Path(f"{journal}-journal")):
        reason = safety.refusal(target, store=store, force=True)
        assert reason is not None and "never writes an export over it" in reason, target
    # the same file under another name (a symbolic link) is still the journal
    link = journal.with_name("link.md")
    link.symlink_to(journal)
    assert "is the journal itself" in (safety.refusal(link, journal=journal, force=True) or "")


def test_any_journal_or_database_is_refused_even_with_force(store: Store, tmp_path: Path) -> None:
    other = tmp_path / "other.hindsight"
    store.checkpoint()  # a copy of the file alone, as a person makes one: the header on disk
    shutil.copyfile(store.path, other)
    assert "is a Hindsight journal" in (safety.refusal(other, force=True) or "")
    assert safety.is_hindsight_journal(other)
    foreign = tmp_path / "app.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    assert "is a database (SQLite)" in (safety.refusal(foreign, force=True) or "")
    assert not safety.is_hindsight_journal(foreign)
    # a side file of another database, whether or not it is there yet
    assert "belongs to the database other.hindsight" in (safety.refusal(tmp_path / "other.hindsight-wal") or "")


def test_team_folder_files_are_refused_even_with_force(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "team"
    export_folder(store, select_ids(store), folder)
    (entry_file,) = folder.iterdir()
    assert "holds a Hindsight entry" in (safety.refusal(entry_file, force=True) or "")
    copy = folder / (entry_file.stem + ".conflict-0123abcd.md")
    copy.write_text("their version, no front matter\n")
    assert "conflict copy" in (safety.refusal(copy, force=True) or "")
    # a plain note the journal took in from the folder: known to the journal, so refused too
    note = folder / "plain.md"
    note.write_text("# A plain note\n\nNo front matter.\n")
    assert safety.refusal(note, store=store, force=True) is None
    import_paths(store, [folder])
    assert "folder this journal exports to or syncs with" in (safety.refusal(note, store=store, force=True) or "")


def test_no_journal_at_a_missing_path_or_an_empty_file(tmp_path: Path) -> None:
    assert safety.no_journal_at(tmp_path / "missing" / "j.hindsight")
    empty = tmp_path / "empty.hindsight"
    empty.touch()
    assert safety.no_journal_at(empty)
    Path(f"{empty}-wal").write_bytes(b"\x37\x7f\x06\x82" + b"\0" * 28)  # its pages may be in the log
    assert not safety.no_journal_at(empty)
    assert not safety.no_journal_at(tmp_path)  # a folder: opening it says what is wrong


# --- export to one file ----------------------------------------------------------------------------


def test_export_file_refuses_an_existing_file_unless_asked_to_replace(store: Store, tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("my own notes\n")
    before = digest(notes)
    with pytest.raises(ExportRefused, match="already exists"):
        export_file(store, select_ids(store), notes)
    assert digest(notes) == before
    result = export_file(store, select_ids(store), notes, replace=True)
    assert not result.failed and notes.read_text().startswith(md_writer.COMBINED_MARKER)


def test_export_file_never_replaces_the_journal(store: Store) -> None:
    count = store.entry_count()
    with pytest.raises(ExportRefused, match="is the journal itself"):
        export_file(store, select_ids(store), store.path, replace=True)
    with open(store.path, "rb") as handle:
        assert handle.read(16) == safety.SQLITE_MAGIC
    assert store.entry_count() == count


def test_a_full_disk_leaves_the_old_file_and_no_temporary_file(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out" / "all.md"
    out.parent.mkdir()
    out.write_text("the export of last week\n")
    before = digest(out)

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "write", full)
    result = export_file(store, select_ids(store), out, replace=True)
    monkeypatch.undo()
    assert result.failed == [(str(out), "cannot be written (No space left on device); nothing was changed there")]
    assert digest(out) == before
    assert leftovers(out.parent) == []


# --- export to a folder ----------------------------------------------------------------------------


def test_export_folder_leaves_a_journal_with_an_entrys_file_name_alone(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (pm,) = store.iter_entries()
    squatter = folder / md_files.file_name(pm)
    shutil.copyfile(store.path, squatter)
    before = digest(squatter)
    result = export_folder(store, [pm.id], folder)
    assert digest(squatter) == before
    assert len(result.written) == 1 and Path(result.written[0]).name == md_files.file_name(pm, id_chars=36)


def test_an_encrypted_journal_is_never_written_over_even_forced(store: Store, tmp_path: Path) -> None:
    from journal import crypto

    other = tmp_path / "secret.hindsight"
    with Store.open(other) as made:
        made.save(simple("Lost the signed contract", client="Globex"))
    crypto.encrypt(other, "correct horse")
    before = digest(other)
    why = safety.refusal(other, store=store, force=True)
    assert why == f"{other} is not a text file (an encrypted journal, or another program's data); " \
        "Hindsight never writes an export over it"
    with pytest.raises(ExportRefused):
        export_file(store, select_ids(store), other, replace=True)
    assert digest(other) == before


def test_a_text_file_cut_inside_a_character_is_still_text(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_bytes(("é" * 5000).encode())  # the head read ends inside a two-byte character
    assert safety.refusal(notes, force=True) is None
