"""File → Backups… as a user meets it: the daily backup at start, Back up now, Restore…, refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from journal import backup
from journal.store import Store
from tests.ui.conftest import MakeWindow, ScriptedDialogs, add
from ui.shell.backups_dialog import BackupsDialog, age_text
from ui.shell.main_window import JournalPaths, MainWindow


def titles(window: MainWindow) -> set[str]:
    assert window.view is not None
    model = window.view.model
    return {model.index(r, 1).data() for r in range(model.rowCount())}


def open_dialog(window: MainWindow) -> BackupsDialog:
    window.backups_action.trigger()
    dialog = window.backups_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def column(dialog: BackupsDialog, col: int) -> list[str]:
    return [dialog.table.item(r, col).text() for r in range(dialog.table.rowCount())]


def started_with_entries(qtbot: QtBot, make_window: MakeWindow, paths: JournalPaths, *names: str) -> MainWindow:
    with Store.open(paths.mine) as store:
        for name in names:
            add(store, name)
    window = make_window()
    window.show()
    # The daily backup, made off the GUI thread.
    qtbot.waitUntil(lambda: window.backup_status.text() == "Backed up just now", timeout=15_000)
    return window


def test_start_makes_the_daily_backup_and_the_status_bar_says_so(
    qtbot: QtBot, make_window: MakeWindow, paths: JournalPaths
) -> None:
    started_with_entries(qtbot, make_window, paths, "Wrong invoice", "Missed the call")
    (made,) = backup.list_backups(paths.mine)
    assert made.reason == "daily" and made.entries == 2 and made.verified


def test_an_empty_journal_is_not_backed_up_and_says_so(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    assert window.backup_status.text() == "Not backed up yet"


def test_the_dialog_lists_date_entries_and_size(
    qtbot: QtBot, make_window: MakeWindow, paths: JournalPaths
) -> None:
    window = started_with_entries(qtbot, make_window, paths, "One", "Two", "Three")
    dialog = open_dialog(window)
    assert dialog.table.rowCount() == 1
    made = backup.list_backups(paths.mine)[0]
    local = datetime.strptime(made.made_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).astimezone()
    assert column(dialog, 0) == [local.strftime("%Y-%m-%d %H:%M:%S")]
    assert column(dialog, 1) == ["3"] and column(dialog, 2)[0].endswith("KB")
    assert column(dialog, 3) == ["Verified"] and column(dialog, 4) == ["daily"]
    assert str(backup.backup_dir(paths.mine)) in dialog.where.text()


def test_back_up_now_adds_a_row_off_the_gui_thread(
    qtbot: QtBot, make_window: MakeWindow, paths: JournalPaths
) -> None:
    window = started_with_entries(qtbot, make_window, paths, "One")
    dialog = open_dialog(window)
    with qtbot.waitSignal(dialog.backed_up, timeout=10_000):
        qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.backups.busy, timeout=15_000)
    assert dialog.table.rowCount() == 2 and column(dialog, 4)[0] == "manual"
    assert dialog.status.text().startswith("Backed up 1 entry to ")


def test_restore_keeps_the_journal_first_and_shows_the_restored_one(
    qtbot: QtBot, make_window: MakeWindow, paths: JournalPaths, dialogs: ScriptedDialogs
) -> None:
    window = started_with_entries(qtbot, make_window, paths, "Wrong invoice", "Missed the call")
    assert window.view is not None
    add(window.view.store, "Written after the backup")
    dialog = open_dialog(window)
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
    dialog = open_dialog(window)
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
    dialog = open_dialog(window)
    with qtbot.waitSignal(window.list_updated, timeout=15_000):
        qtbot.mouseClick(dialog.file_button, Qt.MouseButton.LeftButton)
    errors = [text for kind, text in dialogs.asked if kind == "error"]
    assert len(errors) == 1 and "nothing was restored" in errors[0]
    assert titles(window) == {"Kept safe"}
    assert paths.mine.stat().st_ino == inode  # the same file: never replaced
    assert [i.reason for i in backup.list_backups(paths.mine)] == ["daily"]


def test_empty_trash_is_backed_up_first(
    qtbot: QtBot, make_window: MakeWindow, paths: JournalPaths, dialogs: ScriptedDialogs
) -> None:
    window = started_with_entries(qtbot, make_window, paths, "Keep", "Throw away")
    view = window.view
    assert view is not None
    gone = [s.id for s in view.store.search("") if s.title == "Throw away"]
    view.store.trash(gone)
    purged = qtbot.waitSignal(view.status_message, timeout=10_000, check_params_cb=lambda t: t.startswith("Deleted"))
    with purged:
        view.empty_trash()
    assert view.store.count("", trash=True) == 0
    (before, *_) = backup.list_backups(paths.mine)
    assert before.reason == "before empty trash"
    with Store.open(before.path, create=False) as kept:
        assert kept.count("", trash=True) == 1


def test_empty_trash_without_a_backup_empties_nothing(
    qtbot: QtBot, make_window: MakeWindow, paths: JournalPaths, dialogs: ScriptedDialogs,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = started_with_entries(qtbot, make_window, paths, "Keep", "Throw away")
    view = window.view
    assert view is not None
    view.store.trash([s.id for s in view.store.search("") if s.title == "Throw away"])
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("HINDSIGHT_BACKUP_DIR", str(blocker))
    view.empty_trash()
    qtbot.waitUntil(lambda: any(kind == "error" for kind, _ in dialogs.asked), timeout=15_000)
    errors = [text for kind, text in dialogs.asked if kind == "error"]
    assert "no backup was made" in errors[0] and "the empty trash was not started" in errors[0]
    assert view.store.count("", trash=True) == 1


def test_the_demo_journal_is_never_backed_up(qtbot: QtBot, make_window: MakeWindow, paths: JournalPaths) -> None:
    paths.demo.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(paths.demo) as store:
        add(store, "Made up")
    window = make_window(paths.demo)
    assert window.backup_status.text() == ""
    window.close()
    assert backup.list_backups(paths.demo) == []


def test_age_text_reads_like_a_person() -> None:
    now = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    assert age_text(None, now) == "Not backed up yet"
    assert age_text(now - timedelta(seconds=20), now) == "Backed up just now"
    assert age_text(now - timedelta(minutes=1), now) == "Backed up 1 minute ago"
    assert age_text(now - timedelta(hours=2, minutes=10), now) == "Backed up 2 hours ago"
    assert age_text(now - timedelta(days=3), now) == "Backed up 3 days ago"


def test_an_import_from_the_app_is_backed_up_first(paths: JournalPaths, tmp_path: Path) -> None:
    from ui.shell.transfer_dialog import Operation, run_operation

    with Store.open(paths.mine) as store:
        add(store, "Before the import")
    note = tmp_path / "note.md"
    note.write_text("# A plain note\n\nText.\n", encoding="utf-8")
    run_operation(paths.mine, Operation("import", (note,)), lambda done, total: None, lambda: False)
    (made,) = backup.list_backups(paths.mine)
    assert made.reason == "before import" and made.entries == 1
