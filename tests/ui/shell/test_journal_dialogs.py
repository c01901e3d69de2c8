"""Bad journals: a clear dialog, a way out, and the file's bytes untouched."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from journal.migrations import APPLICATION_ID
from journal.store import JournalError, JournalTooNew, NotAJournal, Store
from tests.ui.conftest import MakeWindow, ScriptedDialogs, add
from ui.shell.journal_dialogs import (
    CREATE_HERE,
    CREATE_NEW,
    GIVE_UP,
    OPEN_OTHER,
    explain,
    open_journal,
)
from ui.shell.main_window import JournalPaths


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.hindsight"
    path.write_text("just some notes, not a journal\n")
    return path


def truncated_journal(tmp_path: Path) -> Path:
    path = tmp_path / "cut.hindsight"
    with Store.open(path) as store:
        for i in range(50):
            add(store, f"Entry {i}", what_happened="x" * 2000)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def newer_journal(tmp_path: Path) -> Path:
    path = tmp_path / "future.hindsight"
    with Store.open(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    return path


@pytest.mark.parametrize("make_bad", [text_file, truncated_journal, newer_journal])
def test_a_bad_journal_at_start_asks_and_never_writes(
    make_bad: object, tmp_path: Path, make_window: MakeWindow, dialogs: ScriptedDialogs
) -> None:
    bad = make_bad(tmp_path)  # type: ignore[operator]
    before = digest(bad)
    window = make_window(bad, wait=False)
    assert window.view is None  # the user chose Quit
    assert dialogs.asked[0][0] == "bad_journal"
    assert str(bad) in dialogs.asked[0][1]
    assert digest(bad) == before
    assert not Path(f"{bad}-wal").exists()


def test_open_another_then_create_new_from_the_bad_journal_dialog(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow, dialogs: ScriptedDialogs, paths: JournalPaths
) -> None:
    bad = text_file(tmp_path)
    other = tmp_path / "notes2.txt"
    other.write_text("also not a journal")
    fresh = tmp_path / "fresh.hindsight"
    dialogs.bad_answers = [OPEN_OTHER, CREATE_NEW]
    dialogs.paths = [str(other), str(fresh)]
    window = make_window(bad)
    assert window.view is not None and window.view.store.path == fresh
    assert [kind for kind, _ in dialogs.asked] == ["bad_journal", "open_path", "bad_journal", "new_path"]
    assert window.windowTitle() == "fresh.hindsight — Hindsight"


def test_opening_a_bad_file_later_keeps_the_current_journal(
    tmp_path: Path, make_window: MakeWindow, dialogs: ScriptedDialogs
) -> None:
    window = make_window()
    bad = text_file(tmp_path)
    before = digest(bad)
    dialogs.paths = [str(bad)]
    window.open_journal_action.trigger()
    assert window.view is not None and window.view.store.path.name == "mine.hindsight"
    assert digest(bad) == before


@pytest.mark.parametrize(
    ("error", "heading"),
    [
        (JournalTooNew("x was written by a newer Hindsight"), "This journal was written by a newer Hindsight"),
        (NotAJournal("x is truncated (10 of 4096 bytes)"), "This journal is damaged"),
        (JournalError("x is busy"), "This journal cannot be opened"),
    ],
)
def test_explain_names_the_problem(error: JournalError, heading: str) -> None:
    assert explain(error)[0] == heading


def test_open_journal_gives_up_only_when_asked(tmp_path: Path) -> None:
    dialogs = ScriptedDialogs()
    dialogs.bad_answers = [OPEN_OTHER, GIVE_UP]
    dialogs.paths = []  # the file dialog is cancelled: ask again rather than quit
    assert open_journal(text_file(tmp_path), dialogs, startup=True) is None
    assert [kind for kind, _ in dialogs.asked] == ["bad_journal", "open_path", "bad_journal"]


# --- no journal at the path: the first start creates "My journal"; anything else is asked -----------


def test_the_first_start_creates_my_journal_without_asking(
    make_window: MakeWindow, dialogs: ScriptedDialogs, paths: JournalPaths
) -> None:
    assert not paths.mine.exists()
    window = make_window()
    assert window.view is not None and paths.mine.exists()
    assert dialogs.asked == []


@pytest.mark.parametrize("kind", ["missing", "empty"])
def test_a_missing_journal_at_start_is_asked_about_and_quit_creates_nothing(
    tmp_path: Path, make_window: MakeWindow, dialogs: ScriptedDialogs, kind: str
) -> None:
    typo = tmp_path / "typo" / "jounral.hindsight"
    if kind == "empty":
        typo.parent.mkdir()
        typo.touch()
    before = sorted(p.name for p in tmp_path.rglob("*"))
    window = make_window(typo, wait=False)
    assert window.view is None  # the user chose Quit
    assert dialogs.asked == [("missing_journal", str(typo))]
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_create_here_makes_the_journal_where_asked(
    tmp_path: Path, make_window: MakeWindow, dialogs: ScriptedDialogs
) -> None:
    wanted = tmp_path / "work" / "client-x.hindsight"
    dialogs.missing_answers = [CREATE_HERE]
    window = make_window(wanted)
    assert window.view is not None and window.view.store.path == wanted and wanted.stat().st_size > 0


def test_open_another_from_the_missing_journal_question(
    tmp_path: Path, make_window: MakeWindow, dialogs: ScriptedDialogs
) -> None:
    existing = tmp_path / "real.hindsight"
    Store.open(existing).close()
    dialogs.missing_answers = [OPEN_OTHER]
    dialogs.paths = [str(existing)]
    window = make_window(tmp_path / "typo.hindsight")
    assert window.view is not None and window.view.store.path == existing
    assert not (tmp_path / "typo.hindsight").exists()


def test_new_journal_creates_the_chosen_file_without_a_second_question(
    tmp_path: Path, make_window: MakeWindow, dialogs: ScriptedDialogs
) -> None:
    window = make_window()
    fresh = tmp_path / "new" / "fresh.hindsight"
    dialogs.paths = [str(fresh)]
    window.new_journal_action.trigger()
    assert window.view is not None and window.view.store.path == fresh
    assert [kind for kind, _ in dialogs.asked] == ["new_path"]


def test_opening_a_journal_forgets_what_it_remembered_of_a_deleted_export_folder(
    tmp_path: Path, make_window: MakeWindow
) -> None:
    from journal.transfer.export import export_folder

    path = tmp_path / "j.hindsight"
    with Store.open(path) as store:
        export_folder(store, [add(store, "Exported once")], tmp_path / "out")
        assert store.conn.execute("SELECT count(*) FROM sync_state").fetchone()[0] == 1
    shutil.rmtree(tmp_path / "out")
    window = make_window(path)
    assert window.view is not None
    assert window.view.store.conn.execute("SELECT count(*) FROM sync_state").fetchone()[0] == 0
