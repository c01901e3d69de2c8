"""The menus, toolbar and shortcuts as a user meets them: each action does its job, enabled only when it applies."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from journal.model import PostMortem
from tests.ui.conftest import MakeWindow
from tests.ui.shell.windows import activate, editor_of, journal_with, select_rows, view_of
from ui.browse.sidebar import PATTERNS, TRASH


def test_ctrl_f_focuses_the_search_field(qtbot: QtBot, make_window: MakeWindow, paths: object) -> None:
    journal_with(paths.mine, {"title": "One"})  # type: ignore[attr-defined]
    window = make_window()
    activate(qtbot, window)
    view = view_of(window)
    view.list_view.setFocus()
    qtbot.keyClick(view.list_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is view.search.field


def test_appearance_override_switches_the_palette(qtbot: QtBot, make_window: MakeWindow, settings: QSettings) -> None:
    window = make_window()
    with qtbot.waitSignal(window.theme.changed):
        window.appearance_actions["dark"].trigger()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert app.palette().window().color().lightness() < 80
    assert settings.value("view/appearance") == "dark"
    with qtbot.waitSignal(window.theme.changed):
        window.appearance_actions["light"].trigger()
    assert app.palette().window().color().lightness() > 200


def test_actions_have_the_expected_shortcuts(make_window: MakeWindow) -> None:
    window = make_window()
    assert window.new_action.shortcut().toString() == "Ctrl+N"
    assert window.find_action.shortcut().toString() == "Ctrl+F"
    assert window.save_action.shortcut().toString() == "Ctrl+S"
    assert window.trash_action.shortcut().toString() == "Del"
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"


def test_new_receiver_entry_starts_with_that_role(make_window: MakeWindow) -> None:
    window = make_window()
    window.new_received_action.trigger()
    pm = editor_of(window)._pm
    assert isinstance(pm, PostMortem) and pm.role == "receiver"


def test_trash_restore_and_undo_are_enabled_only_when_they_apply(
    qtbot: QtBot, make_window: MakeWindow, paths: object
) -> None:
    journal_with(paths.mine, {"title": "One"}, {"title": "Two"})  # type: ignore[attr-defined]
    window = make_window()
    window.show()
    view = view_of(window)
    assert not window.trash_action.isEnabled() and not window.undo_action.isEnabled()
    assert not window.restore_action.isEnabled()
    select_rows(window, 0)
    assert window.trash_action.isEnabled() and not window.restore_action.isEnabled()
    with qtbot.waitSignal(view.counts_shown):
        window.trash_action.trigger()
    assert window.undo_action.isEnabled() and window.empty_trash_action.isEnabled()
    with qtbot.waitSignal(window.list_updated):
        view.sidebar.select(TRASH)
    view.list_view.clearSelection()
    assert not window.trash_action.isEnabled() and not window.restore_action.isEnabled()
    select_rows(window, 0)
    assert window.restore_action.isEnabled() and not window.trash_action.isEnabled()
    with qtbot.waitSignal(view.counts_shown):
        window.restore_action.trigger()
    assert not window.empty_trash_action.isEnabled()  # nothing left in the Trash
    with qtbot.waitSignal(view.patterns_updated, timeout=20_000):
        view.sidebar.select(PATTERNS)
    assert not window.trash_action.isEnabled()  # no list on screen: Delete could only hit a hidden selection


def test_the_menu_bar_ends_with_help_and_the_toolbar_holds_new_entries_and_delete(make_window: MakeWindow) -> None:
    window = make_window()
    assert [menu.text() for menu in window.menuBar().actions()] == ["&File", "&Edit", "&View", "&Review", "&Help"]
    shown = [action for action in window.toolbar.actions() if not action.isSeparator()]
    assert shown == [window.new_action, window.new_received_action, window.trash_action]
    assert not window.toolbar.isMovable()
