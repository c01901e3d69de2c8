"""The main window: menus, toolbar, status bar, and the journal on show.

It switches between journals (yours, the demo, another file) by making a new
``JournalView``; it remembers geometry, splitter sizes and the last open entry
in the ``QSettings`` it is given.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from PySide6.QtCore import QByteArray, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QColor, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QProgressDialog,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from journal import backup, crypto
from journal.backup import BackupInfo
from journal.changes import Changes
from journal.store import Store
from ui.followups.reminders import ReminderBanner, Reminders, tray_notifier
from ui.icons import app_icon, icon
from ui.shell.backups_dialog import BackupsDialog, BackupTask, age_text, daily_job, restore_job
from ui.shell.banners import DemoBanner
from ui.shell.demo_journal import DemoBuilder, Populate, is_ready, populate_demo
from ui.shell.help_dialogs import AboutDialog, ShortcutsDialog
from ui.shell.journal_dialogs import Dialogs, open_journal
from ui.shell.journal_view import EditorFactory, JournalView
from ui.shell.passphrase_dialog import store_passphrase
from ui.theme import MODES, Theme, role_color

if TYPE_CHECKING:  # the transfer machinery is imported when a transfer starts, not to show the window
    from journal.transfer import TransferResult
    from ui.review.page import ReviewPage  # with the pattern engine: imported when a review opens

APP_NAME = "Hindsight"
DEMO_TITLE = "Demo journal (made-up entries)"


@dataclass(frozen=True)
class JournalPaths:
    """Where "My journal" and the demo journal live (the demo never inside yours)."""

    mine: Path
    demo: Path


class Transfers(Protocol):
    """How the File menu starts an export, import or sync (``TransferDialog``; tests hand in a recorder).

    Each returns the running dialog (with a ``transfer_done(TransferResult)`` signal), or None if the
    user cancelled the file chooser.
    """

    def export_entries(
        self, parent: QWidget | None, journal_path: Path, ids: Sequence[str] | None, redact: bool = False,
        folder: Path | None = None,
    ) -> QObject | None: ...

    def export_to_file(
        self, parent: QWidget | None, journal_path: Path, ids: Sequence[str] | None, redact: bool = False,
        target: Path | None = None,
    ) -> QObject | None: ...

    def import_files(
        self, parent: QWidget | None, journal_path: Path, paths: Sequence[Path] | None = None
    ) -> QObject | None: ...

    def sync_folder(self, parent: QWidget | None, journal_path: Path, folder: Path | None = None) -> QObject | None: ...


class _TransferDialogLater:
    """``TransferDialog``, imported on first use: showing the window needs no export, import or sync code."""

    def __getattr__(self, name: str) -> Any:
        from ui.shell.transfer_dialog import TransferDialog

        return getattr(TransferDialog, name)


def _key(path: Path) -> str:
    return hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:16]


class MainWindow(QMainWindow):
    journal_opened = Signal(str)  # path of the journal now shown
    list_updated = Signal(int)  # rows in the entry list after a search result arrived

    def __init__(
        self,
        settings: QSettings,
        *,
        editor_factory: EditorFactory,
        paths: JournalPaths,
        dialogs: Dialogs | None = None,
        theme: Theme | None = None,
        demo_populate: Populate = populate_demo,
        transfers: Transfers | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.settings = settings
        self.paths = paths
        self.dialogs = dialogs or Dialogs()
        self.theme = theme or Theme(settings, self)
        self._editor_factory = editor_factory
        self._demo_populate = demo_populate
        self.transfers: Transfers = transfers if transfers is not None else cast(Transfers, _TransferDialogLater())
        self.transfer_dialog: QObject | None = None  # the export/import/sync running or last shown
        self._builder: DemoBuilder | None = None
        self._progress: QProgressDialog | None = None
        self.view: JournalView | None = None
        self.shortcuts_dialog: ShortcutsDialog | None = None  # the last shown (Help menu)
        self.about_dialog: AboutDialog | None = None
        self.review_page: ReviewPage | None = None  # the account review window, while open
        self.setWindowIcon(app_icon())
        self.setWindowTitle(APP_NAME)

        self.demo_banner = DemoBanner(self)
        self.demo_banner.back_clicked.connect(self.open_mine)
        self._holder = QWidget(self)
        self._holder_layout = QVBoxLayout(self._holder)
        self._holder_layout.setContentsMargins(0, 0, 0, 0)
        self._holder_layout.setSpacing(0)
        self._holder_layout.addWidget(self.demo_banner)
        self.reminder_banner = ReminderBanner(self)
        self._holder_layout.addWidget(self.reminder_banner)
        self.reminders: Reminders | None = None
        self._notify = tray_notifier(self)
        self.setCentralWidget(self._holder)

        self.editor_status = QLabel(self)
        self.editor_status.setObjectName("editorStatus")
        self.editor_status.setAccessibleName("Save status")
        self.statusBar().addPermanentWidget(self.editor_status)
        self.backup_status = QLabel(self)
        self.backup_status.setObjectName("backupStatus")
        self.backup_status.setAccessibleName("Last backup")
        self.statusBar().addPermanentWidget(self.backup_status)
        self.backups_dialog: BackupsDialog | None = None
        self._backup_tasks: list[BackupTask] = []
        self._backup_timer = QTimer(self)  # "2 hours ago" stays true as time passes
        self._backup_timer.setInterval(60_000)
        self._backup_timer.timeout.connect(self._show_backup_age)

        self._make_actions()
        self._make_menus()
        self.theme.changed.connect(self._retint)
        self.theme.apply()
        self._retint()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

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
        self.appearance_actions: dict[str, QAction] = {}
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
        self.shortcuts_dialog = ShortcutsDialog(self)
        self.shortcuts_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shortcuts_dialog.open()

    def show_about(self) -> None:
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

    def _show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _demo_failed(self, text: str) -> None:
        self.dialogs.error(self, "Demo journal", text)

    # --- account review ---------------------------------------------------------------------------------

    def review_account(self, account: str | None = None, after: str | None = None,
                       before: str | None = None) -> ReviewPage | None:
        """Open the review of ``account`` in its own window; with no account, ask which one and when."""
        view = self.view
        if view is None:
            return None
        from journal import reports
        from ui.review.page import ReviewChooser, ReviewPage

        view.save_now()  # what is being typed belongs in the review
        if account is None:
            accounts = reports.known_accounts(view.store)
            if not accounts:
                self.dialogs.error(self, "Review an account", "No entry names a client or an account yet.")
                return None
            chooser = ReviewChooser(accounts, self)
            if chooser.exec() != QDialog.DialogCode.Accepted:
                return None
            account, after, before = chooser.chosen()
        try:
            page = ReviewPage(view.store, account, after, before, self.settings, parent=self)
        except ValueError as error:  # an unknown account (with suggestions) or an empty period
            text = str(error)[:1].upper() + str(error)[1:]
            self.dialogs.error(self, "Review an account", text if text.endswith(("?", ".")) else text + ".")
            return None
        self.close_review()
        page.setWindowFlag(Qt.WindowType.Window)
        page.setWindowTitle(f"Review: {page.review.account} — {APP_NAME}")
        page.changed.connect(lambda changes: self._after_review_save(view, changes))
        page.resize(self.size())
        self.review_page = page
        page.show()
        return page

    def _choose_review(self) -> None:
        self.review_account()  # not connected directly: triggered(bool) would arrive as the account

    def _after_review_save(self, view: JournalView, changes: Changes) -> None:
        if view is not self.view:
            return
        view.apply_changes(changes)
        current = view.editor.current_id()
        if current is not None and current in changes.updated:
            view.editor.load(current)  # its copy is a revision behind now: a later save would be a conflict

    def close_review(self) -> None:
        if self.review_page is not None:
            self.review_page.close()
            self.review_page.deleteLater()
            self.review_page = None

    def export_review_packet(self) -> None:
        if self.review_page is None:
            self.review_account()
        if self.review_page is not None:
            self.review_page.export_packet()

    # --- Markdown out and in, team folders ------------------------------------------------------------

    def _journal_path(self) -> Path | None:
        if self.view is None or not self.view.save_now():  # what is typed goes out too
            if self.view is not None:
                self._show_message("Not exported: the open entry could not be saved first (see the status line)")
            return None
        return self.view.store.path

    def _export(self, ids: Sequence[str] | None, *, redact: bool = False, one_file: bool = False) -> None:
        path = self._journal_path()
        if path is None:
            return
        if one_file:
            self._watch(self.transfers.export_to_file(self, path, ids, redact))
        else:
            self._watch(self.transfers.export_entries(self, path, ids, redact))

    def _export_entry(self) -> None:
        entry_id = self.view.current_entry_id() if self.view is not None else None
        if entry_id is not None:
            self._export([entry_id])

    def _export_selected(self) -> None:
        ids = self.view.selected_ids() if self.view is not None else []
        if ids:
            self._export(ids)

    def _export_all(self) -> None:
        self._export(None)

    def _export_redacted(self) -> None:
        self._export(None, redact=True)

    def _export_one_file(self) -> None:
        self._export(None, one_file=True)

    def _import(self) -> None:
        path = self._journal_path()
        if path is not None:
            self._watch(self.transfers.import_files(self, path))

    def _sync_key(self) -> str:
        assert self.view is not None
        return f"journals/{_key(self.view.store.path)}/sync_folder"

    def _sync_folder(self) -> str:
        """The team folder this journal syncs with ("" until one was chosen)."""
        if self.view is None:
            return ""
        value = self.settings.value(self._sync_key(), "")
        return value if isinstance(value, str) else ""

    def sync_team_folder(self) -> None:
        """Sync with the folder remembered for this journal; ask for one the first time (or when it is gone)."""
        folder = self._sync_folder()
        if not folder or not Path(folder).is_dir():
            self._choose_and_sync()
            return
        path = self._journal_path()
        if path is not None:
            self._watch(self.transfers.sync_folder(self, path, Path(folder)))

    def _choose_and_sync(self) -> None:
        if self.view is None:
            return
        chosen = self.dialogs.choose_folder(self, "Team folder to sync with", self._sync_folder())
        if not chosen:
            return
        self.settings.setValue(self._sync_key(), chosen)
        self._update_actions()
        self.sync_team_folder()

    def _watch(self, dialog: QObject | None) -> None:
        """When the run ends, the journal on show catches up with what it created and updated."""
        if dialog is None:
            return
        self.transfer_dialog = dialog
        view = self.view
        done = getattr(dialog, "transfer_done", None)
        if done is not None and view is not None:
            done.connect(lambda result: self._after_transfer(view, result))
        closed = getattr(dialog, "finished", None)  # conflicts may have been settled in the dialog
        if closed is not None and view is not None:
            closed.connect(lambda *_: view.runner.refresh_counts() if view is self.view else None)

    def _after_transfer(self, view: JournalView, result: TransferResult) -> None:
        if view is self.view:  # the journal may have been switched meanwhile
            view.apply_transfer(result)
            self._show_message(result.summary_line()[:1].upper() + result.summary_line()[1:])

    # --- backups -------------------------------------------------------------------------------------

    def _run_backup_task(self, job: Callable[[], object], then: Callable[[object], None],
                         failed: Callable[[str], None] | None = None) -> BackupTask:
        task = BackupTask(job)
        task.succeeded.connect(then)
        task.failed.connect(failed or self._backup_failed)
        task.finished.connect(lambda: self._backup_task_done(task))
        self._backup_tasks.append(task)
        task.start()
        return task

    def _backup_task_done(self, task: BackupTask) -> None:
        if task in self._backup_tasks:
            self._backup_tasks.remove(task)
            task.wait()
            task.deleteLater()

    def _wait_for_backups(self) -> None:
        """A backup under way finishes before its journal is closed or replaced."""
        for task in list(self._backup_tasks):
            task.wait()

    def _after_daily(self, made: object) -> None:
        if made is not None:
            self._show_backup_age()

    def _backup_failed(self, text: str) -> None:
        self.backup_status.setText("Last backup failed")
        self.backup_status.setToolTip(text)
        self._show_message(f"No backup was made: {text}")

    def _show_backup_age(self) -> None:
        if self.view is None or self.is_demo:
            self.backup_status.setText("")
            self._backup_timer.stop()
            return
        self.backup_status.setText(age_text(backup.newest_made_at(self.view.store.path)))
        self.backup_status.setToolTip(f"Backups are kept in {backup.backup_dir(self.view.store.path)}")
        self._backup_timer.start()

    def show_backups(self) -> None:
        """File → Backups…: list, back up now, restore."""
        if self.view is None:
            return
        dialog = BackupsDialog(
            self.view.store.path,
            lambda text: self.dialogs.confirm(self, "Restore a backup", text, "Restore"),
            lambda: self.dialogs.open_path(self),
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.backed_up.connect(lambda _info: self._show_backup_age())
        dialog.restore_requested.connect(self.restore_backup)
        self.backups_dialog = dialog
        dialog.destroyed.connect(lambda: setattr(self, "backups_dialog", None))
        dialog.open()

    def restore_backup(self, source: str) -> None:
        """Close the journal, put the backup in its place (the journal is backed up first), show it again."""
        if self.view is None:
            return
        journal = self.view.store.path
        if not self._leave_view():
            return
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)

        def restored(kept: object) -> None:
            QApplication.restoreOverrideCursor()
            self.open_path(journal)
            where = f"; the journal it replaced is kept as {kept.path.name}" if isinstance(kept, BackupInfo) else ""
            self._show_message(f"Restored {Path(source).name}{where}")

        def refused(text: str) -> None:
            QApplication.restoreOverrideCursor()
            self.dialogs.error(self, "Nothing was restored", text[:1].upper() + text[1:])
            self.open_path(journal)

        self._run_backup_task(restore_job(journal, Path(source)), restored, refused)

    # --- encryption (journal/crypto.py) -------------------------------------------------------------------

    def _update_encryption_actions(self) -> None:
        encrypted = self.view is not None and self.view.store.passphrase is not None
        self.encrypt_action.setVisible(not encrypted)
        self.decrypt_action.setVisible(encrypted)
        self.encrypt_action.setEnabled(self.view is not None)

    def encrypt_journal(self) -> None:
        """File → Encrypt this journal…: a new passphrase twice, then the file is rewritten encrypted."""
        if self.view is None or self.view.store.passphrase is not None:
            return
        journal = self.view.store.path
        answer = self.dialogs.passphrase(self, journal, wrong=False, confirm=True)
        if answer is None:
            return
        passphrase, keep = answer
        self._convert_journal(journal, lambda: crypto.encrypt(journal, passphrase), "encrypted",
                              passphrase if keep else None)

    def decrypt_journal(self) -> None:
        """File → Remove encryption…: after a warning, the journal is stored in plain text again."""
        if self.view is None or self.view.store.passphrase is None:
            return
        journal, passphrase = self.view.store.path, self.view.store.passphrase
        if not self.dialogs.confirm(
            self, "Remove encryption",
            f"{journal.name} will be stored unencrypted: anyone who can read the file can read every entry. "
            "Its backups stay encrypted with the current passphrase.",
            "Remove encryption",
        ):
            return
        self._convert_journal(journal, lambda: crypto.decrypt(journal, passphrase), "decrypted", None)

    def _convert_journal(self, journal: Path, job: Callable[[], object], done_word: str, keep: str | None) -> None:
        """Close the journal, rewrite it off the GUI thread (a verified backup first), show it again."""
        if not self._leave_view():
            return
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)

        def converted(count: object) -> None:
            QApplication.restoreOverrideCursor()
            store_passphrase(journal, keep)  # None: nothing is kept for a journal no longer encrypted
            self.open_path(journal)
            self._show_message(f"{journal.name} is {done_word} ({count} entries)")

        def refused(text: str) -> None:
            QApplication.restoreOverrideCursor()
            self.dialogs.error(self, f"The journal was not {done_word}", text[:1].upper() + text[1:])
            self.open_path(journal)

        self._run_backup_task(job, converted, refused)

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

    # --- journals ---------------------------------------------------------------------------------------

    @property
    def is_demo(self) -> bool:
        return self.view is not None and self.view.store.path.resolve() == self.paths.demo.resolve()

    def open_path(self, path: str | Path, *, startup: bool = False, create: bool = False) -> bool:
        """Show the journal at ``path``; on a bad file, ask what to do. False when nothing was opened.

        A missing journal is created without asking only with ``create`` or when it is "My journal"
        (the first start); any other missing path is a question (a typo must not make a journal).
        """
        create = create or Path(path).absolute() == self.paths.mine.absolute()
        store = open_journal(path, self.dialogs, self if self.isVisible() else None, startup=startup, create=create)
        if store is None:
            return False
        return self.show_store(store)

    def show_store(self, store: Store) -> bool:
        """Replace the journal on show with ``store`` (which this window now owns)."""
        if self.view is not None and not self._leave_view():
            store.close()
            return False
        view = JournalView(store, self._editor_factory, self.dialogs, self.icon_for, self._holder)
        self.view = view
        self._holder_layout.addWidget(view, 1)
        for action in (self.trash_action, self.undo_action):
            view.list_view.addAction(action)
        view.status_message.connect(self._show_message)
        view.editor_status.connect(self.editor_status.setText)
        view.current_entry_changed.connect(self._remember_entry)
        view.results_shown.connect(self.list_updated)
        view.welcome.demo_clicked.connect(self.open_demo)
        view.actions_changed.connect(self._update_actions)
        view.retint(self.icon_for, self.role_icon, QColor(self.theme.colors()["muted"]))
        for key, splitter in (("window/sidebar_splitter", view.splitter), ("window/list_splitter", view.list_splitter)):
            state = self.settings.value(key)
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)
        header = self.settings.value("window/list_header")
        last = self.settings.value(f"journals/{_key(store.path)}/last_entry", "")
        view.start(header if isinstance(header, QByteArray) else None, last if isinstance(last, str) else "")
        self.reminders = Reminders(store, self.settings, self.reminder_banner, key=_key(store.path),
                                   notify=self._notify, parent=self)
        self.reminders.open_desk.connect(view.show_followups)
        view.followups_due.connect(self.reminders.refresh)
        self.reminders.start()
        demo = self.is_demo
        self.demo_banner.setVisible(demo)
        self.mine_action.setEnabled(store.path.resolve() != self.paths.mine.resolve())
        if demo:
            title = DEMO_TITLE
        elif store.path.resolve() == self.paths.mine.resolve():
            title = "My journal"
        else:
            title = store.path.name
        self.setWindowTitle(f"{title} — {APP_NAME}")
        self.setWindowFilePath(str(store.path))
        self.statusBar().showMessage(f"Opened {store.path}", 5000)
        self._show_backup_age()
        if not demo:  # the demo is made-up entries: nothing to keep
            self._run_backup_task(daily_job(store.path), self._after_daily)
        self._update_actions()
        self.journal_opened.emit(str(store.path))
        return True

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

    def _leave_view(self) -> bool:
        """Save what is typed, remember the layout, close the journal. False if the user stays."""
        view = self.view
        if view is None:
            return True
        if not view.save_now() and not self.dialogs.confirm(
            self, "Unsaved changes", "Your last changes could not be saved (see the status line). Leave anyway?",
            "Leave without saving",
        ):
            return False
        self._remember_layout()
        self._wait_for_backups()
        self.close_review()  # it reads and writes the journal that is closing
        if self.reminders is not None:
            self.reminders.stop()
            self.reminders.deleteLater()
            self.reminders = None
        view.shutdown()
        self._holder_layout.removeWidget(view)
        view.hide()
        view.deleteLater()
        self.view = None
        self._update_actions()
        return True

    def _remember_entry(self, entry_id: str) -> None:
        if self.view is not None:
            self.settings.setValue(f"journals/{_key(self.view.store.path)}/last_entry", entry_id)

    def _remember_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        if self.view is not None and not self.view.showing_welcome:
            self.settings.setValue("window/sidebar_splitter", self.view.splitter.saveState())
            self.settings.setValue("window/list_splitter", self.view.list_splitter.saveState())
            self.settings.setValue("window/list_header", self.view.list_view.horizontalHeader().saveState())

    def open_mine(self) -> None:
        self.open_path(self.paths.mine)

    def open_journal_file(self) -> None:
        path = self.dialogs.open_path(self)
        if path:
            self.open_path(path)

    def new_journal(self) -> None:
        path = self.dialogs.new_path(self)
        if path:
            self.open_path(path, create=True)

    def open_demo(self) -> None:
        """Open the demo journal, making it first (off the GUI thread) if needed."""
        if self._builder is not None:
            return
        target = self.paths.demo
        if is_ready(target):
            self.open_path(target)
            return
        builder = DemoBuilder(target, self._demo_populate)
        self._builder = builder
        progress = QProgressDialog("Making a demo journal of made-up entries…", "Cancel", 0, 0, self)
        progress.setWindowTitle(APP_NAME)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        self._progress = progress
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        progress.canceled.connect(builder.cancel)
        builder.progressed.connect(self._on_demo_progress)
        builder.cancelled.connect(lambda: self._show_message("The demo journal was not made (cancelled)"))
        builder.built.connect(self._on_demo_built)
        builder.failed.connect(self._demo_failed)
        builder.finished.connect(self._on_demo_finished)
        builder.start()

    def _on_demo_progress(self, done: int, total: int) -> None:
        if self._progress is not None and not self._progress.wasCanceled():
            self._progress.setMaximum(total)
            self._progress.setValue(done)

    def cancel_demo(self) -> None:
        """Stop making the demo journal (the progress dialog's Cancel)."""
        if self._builder is not None:
            self._builder.cancel()
        if self._progress is not None:
            self._progress.cancel()

    def _on_demo_built(self, path: str) -> None:
        self.open_path(path)

    def _on_demo_finished(self) -> None:
        QApplication.restoreOverrideCursor()
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None
        if self._builder is not None:
            self._builder.wait()
            self._builder.deleteLater()
            self._builder = None

    # --- habits -------------------------------------------------------------------------------------------

    def save_now(self) -> None:
        if self.view is not None and self.view.save_now():
            self.statusBar().showMessage("Saved", 3000)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._builder is not None:
            self._builder.cancel()  # a demo half made when the window closes is not worth the wait
            self._builder.wait()
        if not self._leave_view():
            event.ignore()
            return
        self.settings.sync()
        event.accept()
