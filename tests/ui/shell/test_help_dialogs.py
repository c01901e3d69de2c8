"""The Help menu: every shortcut listed from the window itself, and About with the paths a person needs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from pytestqt.qtbot import QtBot

from journal import backup
from tests.ui.conftest import MakeWindow
from ui.shell.help_dialogs import AboutDialog, ShortcutsDialog, app_version, plain, shortcuts
from ui.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support")


def activate(qtbot: QtBot, window: MainWindow) -> None:
    window.show()
    handle = window.windowHandle()
    assert handle is not None
    handle.requestActivate()
    qtbot.waitUntil(window.isActiveWindow)


def test_help_is_the_last_menu(make_window: MakeWindow) -> None:
    window = make_window()
    menus = [plain(a.text()) for a in window.menuBar().actions()]
    assert menus[-1] == "Help" and menus[:3] == ["File", "Edit", "View"]
    help_menu = window.menuBar().actions()[-1].menu()
    assert [plain(a.text()) for a in help_menu.actions()] == ["Keyboard shortcuts", "About Hindsight"]


@pytest.mark.parametrize("key", ["F1", "Ctrl+/"])
def test_a_key_opens_the_list_of_every_shortcut(qtbot: QtBot, make_window: MakeWindow, key: str) -> None:
    window = make_window()
    activate(qtbot, window)
    sequence = QKeySequence(key)[0]
    qtbot.keyClick(window, sequence.key(), sequence.keyboardModifiers())
    qtbot.waitUntil(lambda: window.shortcuts_dialog is not None and window.shortcuts_dialog.isVisible())
    dialog = window.shortcuts_dialog
    assert isinstance(dialog, ShortcutsDialog)
    listed = {(r.action, r.keys) for r in dialog.rows}
    native = QKeySequence.SequenceFormat.NativeText
    assert ("New post-mortem", QKeySequence(QKeySequence.StandardKey.New).toString(native)) in listed
    assert ("Keyboard shortcuts", f"F1, {QKeySequence('Ctrl+/').toString(native)}") in listed
    # Every action that has a key is there, so the list cannot fall behind the menus.
    with_keys = {plain(a.text()) for a in window.findChildren(QAction) if not a.shortcut().isEmpty()}
    assert with_keys == {r.action for r in dialog.rows}
    shown = [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]
    # Grouped by menu, in the menu bar's order, each menu that holds a key once.
    with_a_key = [plain(m.text()) for m in window.menuBar().actions()
                  if any(not a.shortcut().isEmpty() for a in m.menu().actions())]
    assert shown == with_a_key and shown[0] == "File" and shown[-1] == "Help"


def test_a_new_action_shows_up_without_anyone_listing_it(make_window: MakeWindow) -> None:
    window = make_window()
    menu = window.menuBar().actions()[1].menu()
    added = QAction("&Pin entry", window)
    added.setShortcut(QKeySequence("Ctrl+Shift+P"))
    menu.addAction(added)
    (pin,) = [r for r in shortcuts(window) if r.action == "Pin entry"]
    assert pin.menu == "Edit"


def test_about_names_the_version_the_journal_and_the_backups(
    qtbot: QtBot, make_window: MakeWindow, paths: object
) -> None:
    window = make_window()
    window.about_action.trigger()
    dialog = window.about_dialog
    assert isinstance(dialog, AboutDialog) and dialog.isVisible()
    text = dialog.text.text()
    assert f"Hindsight {app_version()}" in text and app_version()[0].isdigit()
    assert str(paths.mine) in text  # type: ignore[attr-defined]
    assert str(backup.backup_dir(paths.mine)) in text  # type: ignore[attr-defined]
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
