"""The main window: composes the menus, the status bar and the journal on show, and switches journals.

Menus, toolbar and shortcuts live in ``ui/shell/menus.py``; the status bar with backups and
encryption in ``ui/shell/status.py``; both are parts of ``MainWindow``. It switches between
journals (yours, the demo, another file) by making a new ``JournalView``; it remembers
geometry, splitter sizes and the last open entry in the ``QSettings`` it is given.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from PySide6.QtCore import QByteArray, QObject, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from journal.changes import Changes
from journal.store import Store
from ui.background import Background
from ui.icons import app_icon
from ui.shell.banners import DemoBanner
from ui.shell.demo_journal import Populate, builder, demo_lane, is_ready, populate_demo
from ui.shell.journal_dialogs import Dialogs, open_journal
from ui.shell.journal_view import EditorFactory, JournalView
from ui.shell.menus import MenuBar
from ui.shell.status import StatusBar
from ui.theme import Theme

if TYPE_CHECKING:  # the transfer machinery is imported when a transfer starts, not to show the window
    from journal.transfer.result import TransferResult
    from ui.followups.reminders import Notify, ReminderBanner, Reminders
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


FIRST_SIZE = QSize(1280, 800)


def first_size(room: QSize | None) -> QSize:
    """The window's size on a first start: 1280×800, or all the room a smaller screen has (never past its edge)."""
    if room is None or room.isEmpty():
        return QSize(FIRST_SIZE)
    return FIRST_SIZE.boundedTo(room)


def _key(path: Path) -> str:
    import hashlib  # 3 ms at start for one name

    return hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:16]


class MainWindow(MenuBar, StatusBar, QMainWindow):
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
        self._builder: Background | None = None  # the demo journal being made
        self._progress: QProgressDialog | None = None
        self.view: JournalView | None = None
        self.shortcuts_dialog = None
        self.about_dialog = None
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
        self.reminders: Reminders | None = None  # made with the banner after the first paint
        self.setCentralWidget(self._holder)

        self._make_status_bar()
        self._make_actions()
        self._make_menus()
        self.theme.changed.connect(self._retint)
        self.theme.apply()
        self._retint()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(first_size(self.screen().availableGeometry().size() if self.screen() else None))

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
        view.demo_asked.connect(self.open_demo)
        view.actions_changed.connect(self._update_actions)
        view.retint(self.icon_for, self.role_icon, QColor(self.theme.colors()["muted"]))
        for key, splitter in (("window/sidebar_splitter", view.splitter), ("window/list_splitter", view.list_splitter)):
            state = self.settings.value(key)
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)
        header = self.settings.value("window/list_header")
        last = self.settings.value(f"journals/{_key(store.path)}/last_entry", "")
        view.start(header if isinstance(header, QByteArray) else None, last if isinstance(last, str) else "")
        # What the first screen does not show waits for its first paint: the follow-up reminders (they count
        # what is due, 9 ms on 100,000 entries), the backup age and the daily backup (they read the backups
        # folder, and the backup's thread would take turns with the paint). Nothing can be changed before it.
        view.first_painted.connect(functools.partial(self._after_first_paint, view))
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
        self._update_actions()
        self.journal_opened.emit(str(store.path))
        return True

    def _after_first_paint(self, view: JournalView) -> None:
        if view is not self.view:
            return  # another journal took its place before it was painted
        from ui.followups.reminders import Reminders

        store = view.store
        self.reminders = Reminders(store, self.settings, self.reminder_banner, key=_key(store.path),
                                   notify=self._tray_notify, parent=self)
        self.reminders.open_desk.connect(view.show_followups)
        view.followups_due.connect(self.reminders.refresh)
        self.reminders.start()
        self._show_backup_age()
        if not self.is_demo:  # the demo is made-up entries: nothing to keep
            from ui.shell.backups_dialog import daily_job

            self._run_backup_task(daily_job(store.path), self._after_daily)

    @functools.cached_property
    def reminder_banner(self) -> ReminderBanner:
        """The follow-up reminder bar under the demo banner (made when reminders first start)."""
        from ui.followups.reminders import ReminderBanner

        banner = ReminderBanner(self)
        self._holder_layout.insertWidget(self._holder_layout.indexOf(self.demo_banner) + 1, banner)
        return banner

    @functools.cached_property
    def _tray_notify(self) -> Notify | None:
        # Asking the desktop for its tray can take a D-Bus round trip: once, when reminders first start.
        from ui.followups.reminders import tray_notifier

        return tray_notifier(self)

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
        lane = demo_lane(self)
        self._builder = lane
        progress = QProgressDialog("Making a demo journal of made-up entries…", "Cancel", 0, 0, self)
        progress.setWindowTitle(APP_NAME)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        self._progress = progress
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        progress.canceled.connect(lane.cancel)
        lane.progressed.connect(self._on_demo_progress)
        lane.finished.connect(self._on_demo_finished)
        lane.submit(builder(target, self._demo_populate), on_result=self._on_demo_built,
                    on_error=lambda text: self._demo_failed(f"The demo journal could not be made: {text}"),
                    on_cancel=lambda: self._show_message("The demo journal was not made (cancelled)"))

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
            self._builder.stop()
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
