"""The status bar and the journal-file jobs it reports on: messages, save status, backup age, backups, encryption.

``StatusBar`` is a part of ``MainWindow`` (ui/shell/main_window.py): backups, restores and
encryption run off the GUI thread on one in-order ``ui.background`` lane; the window waits for it before it
closes or replaces a journal.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel

from ui.background import Background, Task

# journal.backup and the backups dialog are imported where they are used: after the first paint.
if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMainWindow

    from ui.shell.backups_dialog import BackupsDialog
    from ui.shell.journal_dialogs import Dialogs
    from ui.shell.journal_view import JournalView

    class _Window(QMainWindow):
        """What the status bar uses of the rest of ``MainWindow`` (checked against it by mypy)."""

        view: JournalView | None
        dialogs: Dialogs
        encrypt_action: QAction
        decrypt_action: QAction

        @property
        def is_demo(self) -> bool:
            raise NotImplementedError

        def open_path(self, path: str | Path, *, startup: bool = False, create: bool = False) -> bool:
            raise NotImplementedError

        def _leave_view(self) -> bool:
            raise NotImplementedError
else:
    _Window = object


class StatusBar(_Window):
    """The status bar of ``MainWindow`` and the backup and encryption jobs behind it (runs on the window)."""

    editor_status: QLabel
    backup_status: QLabel
    backups_dialog: BackupsDialog | None
    _backups: Background | None
    _backup_timer: QTimer

    def _make_status_bar(self) -> None:
        self.editor_status = QLabel(self)
        self.editor_status.setObjectName("editorStatus")
        self.editor_status.setAccessibleName("Save status")
        self.statusBar().addPermanentWidget(self.editor_status)
        self.backup_status = QLabel(self)
        self.backup_status.setObjectName("backupStatus")
        self.backup_status.setAccessibleName("Last backup")
        self.statusBar().addPermanentWidget(self.backup_status)
        self.backups_dialog = None
        self._backups = None  # the lane is made with the first backup job, after the first paint
        self._backup_timer = QTimer(self)  # "2 hours ago" stays true as time passes
        self._backup_timer.setInterval(60_000)
        self._backup_timer.timeout.connect(self._show_backup_age)

    def _show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    # --- backups -------------------------------------------------------------------------------------

    def _run_backup_task(self, job: Callable[[Task], object], then: Callable[[object], None],
                         failed: Callable[[str], None] | None = None) -> None:
        if self._backups is None:
            from ui.shell.backups_dialog import backup_lane

            self._backups = backup_lane(self)
        self._backups.submit(job, on_result=then, on_error=failed or self._backup_failed)

    def _wait_for_backups(self) -> None:
        """A backup under way finishes before its journal is closed or replaced."""
        if self._backups is not None:
            self._backups.wait()

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
        from journal import backup
        from ui.shell.backups_dialog import age_text

        self.backup_status.setText(age_text(backup.newest_made_at(self.view.store.path)))
        self.backup_status.setToolTip(f"Backups are kept in {backup.backup_dir(self.view.store.path)}")
        self._backup_timer.start()

    def show_backups(self) -> None:
        """File → Backups…: list, back up now, restore."""
        if self.view is None:
            return
        from ui.shell.backups_dialog import BackupsDialog

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
        from journal.backup import BackupInfo
        from ui.shell.backups_dialog import restore_job

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
        from journal import crypto

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
        from journal import crypto

        self._convert_journal(journal, lambda: crypto.decrypt(journal, passphrase), "decrypted", None)

    def _convert_journal(
        self, journal: Path, job: Callable[[], object], done_word: str, keep: str | None
    ) -> None:
        """Close the journal, rewrite it off the GUI thread (a verified backup first), show it again."""
        if not self._leave_view():
            return
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)

        def converted(count: object) -> None:
            from ui.shell.passphrase_dialog import store_passphrase

            QApplication.restoreOverrideCursor()
            store_passphrase(journal, keep)  # None: nothing is kept for a journal no longer encrypted
            self.open_path(journal)
            self._show_message(f"{journal.name} is {done_word} ({count} entries)")

        def refused(text: str) -> None:
            QApplication.restoreOverrideCursor()
            self.dialogs.error(self, f"The journal was not {done_word}", text[:1].upper() + text[1:])
            self.open_path(journal)

        self._run_backup_task(lambda _task: job(), converted, refused)
