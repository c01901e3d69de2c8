"""File → Backups…: the journal's backups with date, entries and size; Back up now; Restore….

Backups and restores are jobs for an in-order ``ui.background`` lane
(``backup_lane``): each opens its own connection to the journal. Restoring
needs the journal closed, so the dialog only asks for it (``restore_requested``);
the main window closes the journal, runs the job and shows the restored one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journal import backup
from journal.backup import BackupInfo
from journal.store import JournalError, Store
from ui.background import Background, Task
from ui.browse.entry_list import entries_text

Job = Callable[[Task], object]


def backup_lane(owner: QObject) -> Background:
    """Backups run one after the other; one under way always finishes, never cut off half-written."""
    return Background(owner, "hindsight-backup", newest_wins=False, known=(JournalError, OSError))


def daily_job(journal_path: Path) -> Job:
    """The daily backup, if it is due (None when it is not)."""

    def job(task: Task) -> BackupInfo | None:
        with Store.open(journal_path, create=False) as store:
            return backup.backup_if_due(store)

    return job


def backup_job(journal_path: Path, reason: str = "manual") -> Job:
    def job(task: Task) -> BackupInfo:
        with Store.open(journal_path, create=False) as store:
            return backup.make_backup(store, reason=reason)

    return job


def before_job(journal_path: Path, what: str) -> Job:
    """The backup before a destructive step (None for a journal with no entries)."""

    def job(task: Task) -> BackupInfo | None:
        with Store.open(journal_path, create=False) as store:
            return backup.backup_before(store, what)

    return job


def restore_job(journal_path: Path, source: Path) -> Job:
    def job(task: Task) -> BackupInfo | None:
        return backup.restore(journal_path, source)

    return job


def age_text(made_at: datetime | None, now: datetime | None = None) -> str:
    """"Backed up 2 hours ago", for the status bar."""
    if made_at is None:
        return "Not backed up yet"
    seconds = max(0, int(((now or datetime.now(UTC)) - made_at).total_seconds()))
    if seconds < 60:
        return "Backed up just now"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"Backed up {count} {unit}{'s' if count > 1 else ''} ago"
    return "Backed up just now"


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class BackupsDialog(QDialog):
    """The list of backups and what can be done with them."""

    restore_requested = Signal(str)  # the backup to restore, after the user confirmed
    backed_up = Signal(object)  # BackupInfo of a backup made here

    COLUMNS = ("Made", "Entries", "Size", "Checked", "Why")

    def __init__(self, journal_path: Path, confirm: Callable[[str], bool],
                 choose_file: Callable[[], str | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Backups")
        self.setObjectName("backupsDialog")
        self.journal_path = journal_path
        self._confirm = confirm
        self._choose_file = choose_file
        self.backups = backup_lane(self)
        self.backups.finished.connect(self._update_buttons)
        self.infos: list[BackupInfo] = []

        self.where = QLabel(self)
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Backups of this journal")
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.restore_selected())
        self.status = QLabel(self)
        self.status.setObjectName("backupsStatus")
        self.status.setWordWrap(True)

        self.backup_button = QPushButton("&Back up now", self)
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton("&Restore…", self)
        self.restore_button.setToolTip("Replace the journal with the selected backup; the journal is backed up first")
        self.restore_button.clicked.connect(self.restore_selected)
        self.file_button = QPushButton("Restore from a &file…", self)
        self.file_button.setToolTip("Restore a backup kept elsewhere (one made with 'hindsight backup --to')")
        self.file_button.clicked.connect(self.restore_from_file)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.file_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(720, 420)
        self.refresh()

    def refresh(self) -> None:
        """Read the backup folder again (sidecars only: fast for many backups)."""
        folder = backup.backup_dir(self.journal_path)
        self.where.setText(f"Backups of {self.journal_path.name} are kept in {folder}. "
                           "The last 7 days, 4 weeks and 12 months are kept; older ones are removed.")
        try:
            self.infos = backup.list_backups(self.journal_path)
        except JournalError as error:
            self.infos = []
            self.status.setText(str(error))
        self.table.setRowCount(len(self.infos))
        for row, info in enumerate(self.infos):
            values = (
                backup.local_time(info.made_at),
                "?" if info.entries < 0 else str(info.entries),
                size_text(info.size),
                "Verified" if info.verified else "Not checked",
                info.reason,
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column in (1, 2):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        if self.infos:
            self.table.selectRow(0)
        elif not self.status.text():
            self.status.setText("No backups yet. Back up now, or one is made each day you write.")
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.backups.busy
        self.backup_button.setEnabled(not busy)
        self.restore_button.setEnabled(not busy and bool(self.table.selectionModel().selectedRows()))
        self.file_button.setEnabled(not busy)

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.infos[rows[0].row()] if rows else None

    def back_up_now(self) -> None:
        if self.backups.busy:
            return
        self.status.setText("Backing up…")
        self.backups.submit(backup_job(self.journal_path), on_result=self._made,
                            on_error=lambda text: self.status.setText(f"No backup was made: {text}"))
        self._update_buttons()

    def _made(self, info: object) -> None:
        assert isinstance(info, BackupInfo)
        self.status.setText(f"Backed up {entries_text(info.entries)} to {info.path.name}")
        self.backed_up.emit(info)
        self.refresh()

    def restore_selected(self) -> None:
        info = self.selected()
        if info is not None and not self.backups.busy:
            self._ask_restore(info.path, f"the backup made {backup.local_time(info.made_at)} ({info.entries} entries)")

    def restore_from_file(self) -> None:
        chosen = self._choose_file()
        if chosen:
            self._ask_restore(Path(chosen), Path(chosen).name)

    def _ask_restore(self, path: Path, described: str) -> None:
        question = (
            f"Replace the journal with {described}?\n\n"
            "The journal as it is now is kept as a backup first, so you can come back to it."
        )
        if self._confirm(question):
            self.restore_requested.emit(str(path))
            self.accept()

    def done(self, result: int) -> None:
        self.backups.wait()  # a backup under way finishes; it is never cut off half-written
        super().done(result)
