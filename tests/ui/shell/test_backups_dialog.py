"""File → Backups… as a user meets it: the list, Back up now, a backup before emptying the Trash or importing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from journal import backup
from journal.store import Store
from tests.ui.conftest import MakeWindow, ScriptedDialogs, add
from tests.ui.shell.windows import open_backups_dialog, started_with_entries
from ui.shell.backups_dialog import BackupsDialog, age_text
from ui.shell.main_window import JournalPaths


def column(dialog: BackupsDialog, col: int) -> list[str]:
    return [dialog.table.item(r, col).text() for r in range(dialog.table.rowCount())]


def test_the_dialog_lists_date_entries_and_size(
    qtbot: QtBot, make_window: MakeWindow, paths: JournalPaths
) -> None:
    window = started_with_entries(qtbot, make_window, paths, "One", "Two", "Three")
    dialog = open_backups_dialog(window)
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
    dialog = open_backups_dialog(window)
    with qtbot.waitSignal(dialog.backed_up, timeout=10_000):
        qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.backups.busy, timeout=15_000)
    assert dialog.table.rowCount() == 2 and column(dialog, 4)[0] == "manual"
    assert dialog.status.text().startswith("Backed up 1 entry to ")


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
