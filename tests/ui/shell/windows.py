"""What the tests that drive the whole window share: its view, its editor, its list, a journal to open."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from journal.store import Store
from tests.ui.conftest import MakeWindow, add
from tests.ui.fake_editor import FakeEditor
from ui.shell.backups_dialog import BackupsDialog
from ui.shell.journal_view import JournalView
from ui.shell.main_window import JournalPaths, MainWindow


def view_of(window: MainWindow) -> JournalView:
    assert window.view is not None
    return window.view


def editor_of(window: MainWindow) -> FakeEditor:
    editor = view_of(window).editor_widget
    assert isinstance(editor, FakeEditor)
    return editor


def titles(window: MainWindow) -> list[str]:
    model = view_of(window).model
    return [model.index(r, 1).data() for r in range(model.rowCount())]


def journal_with(path: Path, *entries: dict[str, object]) -> list[str]:
    with Store.open(path) as store:
        return [add(store, **e) for e in entries]  # type: ignore[arg-type]


def activate(qtbot: QtBot, window: MainWindow) -> None:
    """Make the window active so shortcuts reach it (offscreen needs the request made on the QWindow)."""
    window.show()
    handle = window.windowHandle()
    assert handle is not None
    handle.requestActivate()
    qtbot.waitUntil(window.isActiveWindow)


def select_rows(window: MainWindow, *rows: int) -> None:
    view = view_of(window).list_view
    view.setFocus()
    view.clearSelection()
    for row in rows:
        view.selectionModel().select(
            view.model().index(row, 0),
            view.selectionModel().SelectionFlag.Select | view.selectionModel().SelectionFlag.Rows,
        )
    view.selectionModel().setCurrentIndex(view.model().index(rows[0], 0), view.selectionModel().SelectionFlag.NoUpdate)


def open_backups_dialog(window: MainWindow) -> BackupsDialog:
    window.backups_action.trigger()
    dialog = window.backups_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def started_with_entries(qtbot: QtBot, make_window: MakeWindow, paths: JournalPaths, *names: str) -> MainWindow:
    with Store.open(paths.mine) as store:
        for name in names:
            add(store, name)
    window = make_window()
    window.show()
    # The daily backup, made off the GUI thread.
    qtbot.waitUntil(lambda: window.backup_status.text() == "Backed up just now", timeout=15_000)
    return window
