"""The window's menus, toolbar and shortcuts: their actions, icons, and when each is enabled.

``MenuBar`` is a part of ``MainWindow`` (ui/shell/main_window.py), which calls ``_make_actions``
and ``_make_menus`` once while it is built; the slots here pass each action on to the journal on show.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QColor, QIcon, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

from ui.icons import app_icon, icon
from ui.theme import MODES, role_color

if TYPE_CHECKING:
    from ui.shell.help_dialogs import AboutDialog, ShortcutsDialog
    from ui.shell.journal_view import JournalView
    from ui.theme import Theme

    class _Window(QMainWindow):
        """What the menus use of the rest of ``MainWindow`` (checked against it by mypy)."""

        view: JournalView | None
        theme: Theme

        def _sync_folder(self) -> str:
            raise NotImplementedError

        def save_now(self) -> None: ...
        def new_journal(self) -> None: ...
        def open_journal_file(self) -> None: ...
        def open_mine(self) -> None: ...
        def open_demo(self) -> None: ...
        def _export_entry(self) -> None: ...
        def _export_selected(self) -> None: ...
        def _export_all(self) -> None: ...
        def _export_redacted(self) -> None: ...
        def _export_one_file(self) -> None: ...
        def _import(self) -> None: ...
        def sync_team_folder(self) -> None: ...
        def _choose_and_sync(self) -> None: ...
        def show_backups(self) -> None: ...
        def encrypt_journal(self) -> None: ...
        def decrypt_journal(self) -> None: ...
        def _update_encryption_actions(self) -> None: ...
        def _choose_review(self) -> None: ...
        def export_review_packet(self) -> None: ...
else:
    _Window = object


class MenuBar(_Window):
    """The actions, menus and toolbar of ``MainWindow`` (a part of it: every method runs on the window)."""

    new_action: QAction
    new_received_action: QAction
    save_action: QAction
    find_action: QAction
    trash_action: QAction
    undo_action: QAction
    restore_action: QAction
    empty_trash_action: QAction
    new_journal_action: QAction
    open_journal_action: QAction
    mine_action: QAction
    demo_action: QAction
    export_entry_action: QAction
    export_selected_action: QAction
    export_all_action: QAction
    export_redacted_action: QAction
    export_file_action: QAction
    import_action: QAction
    sync_action: QAction
    choose_sync_action: QAction
    backups_action: QAction
    encrypt_action: QAction
    decrypt_action: QAction
    review_action: QAction
    export_packet_action: QAction
    shortcuts_action: QAction
    about_action: QAction
    followups_action: QAction
    quit_action: QAction
    appearance_group: QActionGroup
    appearance_actions: dict[str, QAction]
    export_menu: QMenu
    toolbar: QToolBar
    shortcuts_dialog: ShortcutsDialog | None  # the last shown (Help menu)
    about_dialog: AboutDialog | None

    # --- actions and menus -------------------------------------------------------------------------

    def _action(
        self, text: str, slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None, tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        k = QKeySequence.StandardKey
        self.new_action = self._action("&New post-mortem", self._new_maker, k.New,
                                       "Write a new post-mortem: a mistake you made")
        self.new_received_action = self._action(
            "New post-mortem: it &landed on me", self._new_receiver, "Ctrl+Shift+N",
            "Write a new post-mortem: someone's mistake landed on you",
        )
        self.save_action = self._action("&Save now", self.save_now, k.Save, "Save the open entry now")
        self.find_action = self._action("&Find…", self._focus_search, k.Find, "Search the journal")
        self.trash_action = self._action("&Move to Trash", self._trash_selected,
                                         QKeySequence(Qt.Key.Key_Delete), "Move the selected entries to the Trash")
        self.undo_action = self._action("&Undo move to Trash", self._undo, k.Undo,
                                        "Put the entries just moved to the Trash back")
        # Delete and Ctrl+Z act on the list only, so they never fight the editor's text fields.
        for action in (self.trash_action, self.undo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.removeAction(action)
        self.restore_action = self._action("&Restore from Trash", self._restore_selected,
                                           tip="Move the selected entries out of the Trash")
        self.empty_trash_action = self._action("&Empty Trash…", self._empty_trash,
                                               tip="Delete every entry in the Trash for good")
        self.new_journal_action = self._action("New &journal…", self.new_journal, tip="Start a new, empty journal file")
        self.open_journal_action = self._action("&Open journal…", self.open_journal_file, k.Open,
                                                "Open another journal file")
        self.mine_action = self._action("&My journal", self.open_mine, tip="Back to your own journal")
        self.demo_action = self._action("Open &demo journal", self.open_demo,
                                        tip="A separate journal of made-up entries to explore")
        self.export_entry_action = self._action("This &entry…", self._export_entry,
                                                tip="Export the open entry as a Markdown file")
        self.export_selected_action = self._action("&Selected entries…", self._export_selected,
                                                   tip="Export the entries selected in the list, one file each")
        self.export_all_action = self._action("&All entries…", self._export_all,
                                              tip="Export every entry, one Markdown file each")
        self.export_redacted_action = self._action(
            "All entries, &redacted…", self._export_redacted,
            tip="Every entry without private fields; clients, accounts and people replaced by stable pseudonyms",
        )
        self.export_file_action = self._action("All entries to &one file…", self._export_one_file,
                                               tip="Every entry in one Markdown file with a table of contents")
        self.import_action = self._action("&Import Markdown…", self._import,
                                          tip="Add or update entries from Markdown files")
        self.sync_action = self._action("S&ync team folder", self.sync_team_folder,
                                        tip="Make this journal and the team's shared folder agree")
        self.choose_sync_action = self._action("Choose &team folder…", self._choose_and_sync,
                                               tip="Pick the shared folder (a git checkout) to sync with")
        self.backups_action = self._action("&Backups…", self.show_backups,
                                           tip="Back up the journal now, or restore it from a backup")
        self.encrypt_action = self._action("Encr&ypt this journal…", self.encrypt_journal,
                                           tip="Encrypt the journal file with a passphrase (SQLCipher)")
        self.decrypt_action = self._action("Remove encr&yption…", self.decrypt_journal,
                                           tip="Store the journal unencrypted again")
        self.review_action = self._action("&Review an account…", self._choose_review, "Ctrl+Shift+R",
                                          tip="Walk through one account's post-mortems with its summary")
        self.export_packet_action = self._action("&Export packet…", self.export_review_packet,
                                                 tip="The open review as one Markdown or PDF file for the account team")
        self.shortcuts_action = self._action("&Keyboard shortcuts", self.show_shortcuts,
                                             tip="Every key the app answers to")
        self.shortcuts_action.setShortcuts([QKeySequence("F1"), QKeySequence("Ctrl+/")])
        self.about_action = self._action("&About Hindsight", self.show_about,
                                         tip="Version, this journal's file and where backups are kept")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.followups_action = self._action(
            "&Follow-ups", self.show_followups, "Ctrl+Shift+U",
            tip="What you owe: every follow-up by due date, and the checks that a fix held",
        )
        self.quit_action = self._action("&Quit", self.close, k.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.appearance_group = QActionGroup(self)
        self.appearance_actions = {}
        for mode, label in zip(MODES, ("Follow the &system", "&Light", "&Dark"), strict=True):
            action = QAction(label, self.appearance_group)
            action.setCheckable(True)
            action.setChecked(self.theme.mode == mode)
            action.setData(mode)
            self.appearance_actions[mode] = action
        self.appearance_group.triggered.connect(self._on_appearance)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.new_action, self.new_received_action])
        file_menu.addSeparator()
        file_menu.addActions([self.new_journal_action, self.open_journal_action, self.mine_action, self.demo_action])
        file_menu.addSeparator()
        self.export_menu = file_menu.addMenu("&Export to Markdown")
        self.export_menu.addActions([self.export_entry_action, self.export_selected_action, self.export_all_action,
                                     self.export_redacted_action])
        self.export_menu.addSeparator()
        self.export_menu.addAction(self.export_file_action)
        self.export_menu.aboutToShow.connect(self._update_actions)
        file_menu.addActions([self.import_action, self.sync_action, self.choose_sync_action])
        file_menu.addAction(self.backups_action)
        file_menu.addActions([self.encrypt_action, self.decrypt_action])
        file_menu.aboutToShow.connect(self._update_encryption_actions)
        file_menu.addSeparator()
        file_menu.addAction(self.save_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.trash_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.restore_action, self.empty_trash_action])
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.followups_action)
        appearance = view_menu.addMenu("&Appearance")
        appearance.addActions(list(self.appearance_actions.values()))
        review_menu = bar.addMenu("&Review")
        review_menu.addActions([self.review_action, self.export_packet_action])
        help_menu = bar.addMenu("&Help")  # last in the bar, as on every desktop
        help_menu.addActions([self.shortcuts_action, self.about_action])

        self.toolbar = QToolBar("Main", self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.addAction(self.new_action)
        self.toolbar.addAction(self.new_received_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.trash_action)
        self.addToolBar(self.toolbar)

    def show_shortcuts(self) -> None:
        """The shortcut list, made anew from the menus each time (a window-modal sheet, not a blocking loop)."""
        from ui.shell.help_dialogs import ShortcutsDialog

        self.shortcuts_dialog = ShortcutsDialog(self)
        self.shortcuts_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shortcuts_dialog.open()

    def show_about(self) -> None:
        from ui.shell.help_dialogs import AboutDialog

        self.about_dialog = AboutDialog(self.view.store.path if self.view is not None else None, self)
        self.about_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.about_dialog.open()

    def _on_appearance(self, action: QAction) -> None:
        self.theme.set_mode(str(action.data()))

    def _new_maker(self) -> None:
        if self.view is not None:
            self.view.new_entry("maker")

    def _new_receiver(self) -> None:
        if self.view is not None:
            self.view.new_entry("receiver")

    def show_followups(self) -> None:
        if self.view is not None:
            self.view.show_followups()

    def _focus_search(self) -> None:
        if self.view is not None:
            self.view.focus_search()

    def _trash_selected(self) -> None:
        if self.view is not None:
            self.view.trash_selected()

    def _undo(self) -> None:
        if self.view is not None:
            self.view.undo()

    def _restore_selected(self) -> None:
        if self.view is not None:
            self.view.restore_selected()

    def _empty_trash(self) -> None:
        if self.view is not None:
            self.view.empty_trash()


    # --- icons ----------------------------------------------------------------------------------------

    def icon_for(self, name: str) -> QIcon:
        if name == "hindsight":
            return app_icon()
        return icon(name, self.theme.colors()["text"])

    def role_icon(self, role: str) -> QIcon:
        # The one role colour (ui.theme), and the selection's text colour on a selected row.
        return icon(role, role_color(role, self.theme.dark), self.theme.colors()["highlighted_text"])

    def _retint(self) -> None:
        for action, name in (
            (self.new_action, "maker"),
            (self.new_received_action, "receiver"),
            (self.trash_action, "trash"),
            (self.undo_action, "undo"),
            (self.restore_action, "restore"),
            (self.find_action, "search"),
            (self.demo_action, "demo"),
            (self.mine_action, "journal"),
        ):
            action.setIcon(self.role_icon(name) if name in ("maker", "receiver") else self.icon_for(name))
        self.new_action.setIconText("New post-mortem")
        self.new_received_action.setIconText("It landed on me")
        if self.view is not None:
            self.view.retint(self.icon_for, self.role_icon, QColor(self.theme.colors()["muted"]))


    def _update_actions(self) -> None:
        """Move to Trash, Restore, Undo, Empty Trash and the exports are enabled only when they would do something."""
        view = self.view
        self.export_entry_action.setEnabled(view is not None and view.current_entry_id() is not None)
        self.export_selected_action.setEnabled(view is not None and bool(view.selected_ids()))
        for action in (self.export_all_action, self.export_redacted_action, self.export_file_action,
                       self.import_action, self.sync_action, self.choose_sync_action, self.backups_action):
            action.setEnabled(view is not None)
        folder = self._sync_folder()
        self.sync_action.setText(f"S&ync team folder ({Path(folder).name})" if folder else "S&ync team folder…")
        self.trash_action.setEnabled(view is not None and view.can_trash())
        self.restore_action.setEnabled(view is not None and view.can_restore())
        self.undo_action.setEnabled(view is not None and view.can_undo())
        self.empty_trash_action.setEnabled(view is not None and view.can_empty_trash())
        self.review_action.setEnabled(view is not None)
        self.export_packet_action.setEnabled(view is not None)
