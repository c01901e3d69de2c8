"""The status bar and the journal-file jobs it reports on: backup age, restoring a backup, encrypting the journal."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from journal import backup, crypto
from journal.store import Store
from tests.ui.conftest import MakeWindow, ScriptedDialogs, add
from tests.ui.shell.passphrases import SECRET, PassphraseDialogs, forget_every_passphrase
from tests.ui.shell.windows import open_backups_dialog, started_with_entries
from ui.shell.main_window import JournalPaths, MainWindow


@pytest.fixture(autouse=True)
def _nothing_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    forget_every_passphrase(monkeypatch)


@pytest.fixture
def dialogs() -> PassphraseDialogs:
    """The scripted dialogs answer the passphrase question too (encrypting asks for one)."""
    return PassphraseDialogs()


def titles(window: MainWindow) -> set[str]:
    assert window.view is not None
    model = window.view.model
    return {model.index(r, 1).data() for r in range(model.rowCount())}


def test_start_makes_the_daily_backup_and_the_status_bar_says_so(
    qtbot: QtBot, make_window: MakeWindow, paths: JournalPaths
) -> None:
    started_with_entries(qtbot, make_window, paths, "Wrong invoice", "Missed the call")
    (made,) = backup.list_backups(paths.mine)
    assert made.reason == "daily" and made.entries == 2 and made.verified


def test_an_empty_journal_is_not_backed_up_and_says_so(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    window.show()  # the backup age is read after the window's first paint
    qtbot.waitUntil(lambda: window.backup_status.text() == "Not backed up yet")


def test_restore_keeps_the_journal_first_and_shows_the_restored_one(
    qtbot: QtBot, make_window: MakeWindow, paths: JournalPaths, dialogs: ScriptedDialogs
) -> None:
    window = started_with_entries(qtbot, make_window, paths, "Wrong invoice", "Missed the call")
    assert window.view is not None
    add(window.view.store, "Written after the backup")
    dialog = open_backups_dialog(window)
    dialog.table.selectRow(0)
    with qtbot.waitSignal(window.list_updated, timeout=15_000):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    kind, question = dialogs.asked[-1]
    assert kind == "confirm" and "kept as a backup first" in question
    assert titles(window) == {"Wrong invoice", "Missed the call"}
    assert window.view is not None and window.view.store.path == paths.mine
    reasons = [i.reason for i in backup.list_backups(paths.mine)]
    assert reasons[0] == "before restore"
    with Store.open(backup.list_backups(paths.mine)[0].path, create=False) as kept:
        assert "Written after the backup" in {s.title for s in kept.search("")}
    assert "kept as" in window.statusBar().currentMessage()


def test_restore_can_be_cancelled(
    qtbot: QtBot, make_window: MakeWindow, paths: JournalPaths, dialogs: ScriptedDialogs
) -> None:
    window = started_with_entries(qtbot, make_window, paths, "One")
    dialogs.confirm_answer = False
    dialog = open_backups_dialog(window)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and window.view is not None
    assert [i.reason for i in backup.list_backups(paths.mine)] == ["daily"]


def test_restoring_a_text_file_is_refused_and_the_journal_comes_back(
    qtbot: QtBot, make_window: MakeWindow, paths: JournalPaths, dialogs: ScriptedDialogs, tmp_path: Path
) -> None:
    window = started_with_entries(qtbot, make_window, paths, "Kept safe")
    text = tmp_path / "notes.hindsight"
    text.write_text("not a journal\n", encoding="utf-8")
    inode = paths.mine.stat().st_ino
    dialogs.paths.append(str(text))
    dialog = open_backups_dialog(window)
    with qtbot.waitSignal(window.list_updated, timeout=15_000):
        qtbot.mouseClick(dialog.file_button, Qt.MouseButton.LeftButton)
    errors = [text for kind, text in dialogs.asked if kind == "error"]
    assert len(errors) == 1 and "nothing was restored" in errors[0]
    assert titles(window) == {"Kept safe"}
    assert paths.mine.stat().st_ino == inode  # the same file: never replaced
    assert [i.reason for i in backup.list_backups(paths.mine)] == ["daily"]


def test_the_demo_journal_is_never_backed_up(qtbot: QtBot, make_window: MakeWindow, paths: JournalPaths) -> None:
    paths.demo.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(paths.demo) as store:
        add(store, "Made up")
    window = make_window(paths.demo)
    window.show()  # the daily backup is asked for after the first paint: it must not be, for the demo
    qtbot.waitUntil(lambda: window.view is not None and window.view.painted)
    window._wait_for_backups()
    assert window.backup_status.text() == ""
    window.close()
    assert backup.list_backups(paths.demo) == []


def test_window_opens_encrypts_and_decrypts(
    qtbot: QtBot, make_window: MakeWindow, dialogs: PassphraseDialogs, tmp_path: Path
) -> None:
    path = tmp_path / "mine2.hindsight"
    with Store.open(path) as store:
        add(store, "Sent the draft to the whole list")
    window = make_window(path)
    assert window.view is not None and window.view.store.passphrase is None
    window._update_encryption_actions()
    assert window.encrypt_action.isVisible() and not window.decrypt_action.isVisible()

    dialogs.passphrases = [(SECRET, False)]
    with qtbot.waitSignal(window.list_updated, timeout=30_000):
        window.encrypt_action.trigger()
    assert crypto.is_encrypted(path)
    assert b"whole list" not in path.read_bytes()
    assert window.view is not None and window.view.store.passphrase == SECRET
    window._update_encryption_actions()
    assert window.decrypt_action.isVisible() and not window.encrypt_action.isVisible()

    with qtbot.waitSignal(window.list_updated, timeout=30_000):
        window.decrypt_action.trigger()
    assert path.read_bytes().startswith(b"SQLite format 3")
    assert window.view is not None and window.view.store.passphrase is None
