"""Export, import and team-folder sync with a progress bar, Cancel, and a summary.

The work runs on an in-order ``ui.background`` lane and opens its own ``Store``
on the journal path; progress and Cancel go through the lane's task, and
nothing in the work touches a widget. The
summary lists what was created, updated and unchanged, the conflicts (each can
be settled here: keep the journal's version or take the folder's) and every file
that failed, with its reason. ``transfer_done`` carries the ``TransferResult`` so the main
window can refresh the entries it names.

Entry points for the File menu: ``export_entries``, ``export_to_file``,
``import_files`` and ``sync_folder``; each asks for a path when none is given
and returns the (window-modal, already running) dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal import backup
from journal.store import JournalError, Store
from journal.transfer import export, importer, sync
from journal.transfer.conflict_diff import ConflictDiff, conflict_diff
from journal.transfer.result import Cancelled, Progress, TransferResult, warning_lines
from ui.background import Background
from ui.shell import conflict_dialog, redact_preview
from ui.shell.conflict_dialog import SyncChoice
from ui.shell.save_dialog import choose_save_file

KINDS = ("export_folder", "export_file", "import", "sync")
_TITLES = {
    "export_folder": "Export to Markdown files",
    "export_file": "Export to one Markdown file",
    "import": "Import Markdown",
    "sync": "Sync team folder",
}


@dataclass(frozen=True)
class Operation:
    """What to run: ``kind`` is one of ``KINDS``; ``paths`` are the target or the sources."""

    kind: str
    paths: tuple[Path, ...]
    ids: tuple[str, ...] | None = None
    redact: bool = False
    replace: bool = False  # export_file: the user agreed to replace the file there

    def describe(self) -> str:
        where = ", ".join(str(p) for p in self.paths)
        count = "all entries" if self.ids is None else f"{len(self.ids)} entries"
        redacted = " (redacted)" if self.redact else ""
        if self.kind.startswith("export"):
            return f"Exporting {count}{redacted} to {where}"
        if self.kind == "import":
            return f"Importing {where}"
        return f"Syncing with the team folder {where}"


def run_operation(
    journal_path: Path, operation: Operation, progress: Progress, cancelled: Cancelled
) -> TransferResult:
    """Run ``operation`` on its own connection to the journal (call it from the worker thread)."""
    with Store.open(journal_path, create=False) as store:
        if operation.kind in ("import", "sync"):
            backup.backup_before(store, operation.kind)  # what an import or sync changes can be undone
        if operation.kind == "import":
            return importer.import_paths(store, list(operation.paths), progress=progress, cancelled=cancelled)
        if operation.kind == "sync":
            return sync.sync_folder(store, operation.paths[0], progress=progress, cancelled=cancelled)
        ids = export.select_ids(store, ids=operation.ids)
        if operation.kind == "export_file":
            return export.export_file(
                store, ids, operation.paths[0], redact=operation.redact, replace=operation.replace,
                progress=progress, cancelled=cancelled,
            )
        return export.export_folder(
            store, ids, operation.paths[0], redact=operation.redact, progress=progress, cancelled=cancelled
        )


@dataclass
class _Summary:
    lines: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, result: TransferResult) -> _Summary:
        lines = [result.summary_line()[0].upper() + result.summary_line()[1:] + "."]
        if result.failed:
            lines += ["", "Failed:"] + [f"  {path}: {reason}" for path, reason in result.failed]
        if result.conflicts:
            lines += ["", "Conflicts (the journal's version was kept):"]
            lines += [f"  entry {entry_id[:8]}: the other version is in {path}" for entry_id, path in result.conflicts]
        if result.warnings:  # by kind: a big archive's notes fit on a screen
            lines += ["", "Notes:"] + [f"  {line}" for line in warning_lines(result.warnings)]
        return cls(lines)


class TransferDialog(QDialog):
    """Runs one export, import or sync; shows progress, then what happened."""

    transfer_done = Signal(object)  # TransferResult, once the run ends (also when cancelled)

    def __init__(self, journal_path: Path, operation: Operation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if operation.kind not in KINDS:
            raise ValueError(f"operation kind must be one of {', '.join(KINDS)}; got {operation.kind!r}")
        self.journal_path = Path(journal_path)
        self.operation = operation
        self.outcome: TransferResult | None = None
        self.compare_conflict: Callable[[QWidget | None, ConflictDiff, bool], SyncChoice] = conflict_dialog.compare
        self.transfers = Background(self, "hindsight-transfer", newest_wins=False,
                                    known=(JournalError, OSError, ValueError))
        self._started = False
        self._cancel_asked = False  # Cancel pressed, perhaps before the work started
        self.setWindowTitle(_TITLES[operation.kind])
        self.setMinimumWidth(560)

        self.what = QLabel(operation.describe())
        self.what.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.summary = QPlainTextEdit()
        self.summary.setReadOnly(True)
        self.summary.setVisible(False)
        self.conflicts_label = QLabel("Changed in the journal and in the folder — choose which version to keep:")
        self.conflicts_label.setVisible(False)
        self.conflicts = QListWidget()
        self.conflicts.setMaximumHeight(140)
        self.conflicts.setVisible(False)
        self.keep_journal = QPushButton("Keep the journal's version")
        self.take_folder = QPushButton("Take the folder's version")
        self.compare = QPushButton("Compare…")
        self.compare.setToolTip("Show what differs between the two versions, field by field")
        self.keep_journal.clicked.connect(lambda: self._resolve("journal"))
        self.take_folder.clicked.connect(lambda: self._resolve("folder"))
        self.compare.clicked.connect(self._compare)
        self.conflicts.itemActivated.connect(lambda _item: self._compare())
        resolve_row = QHBoxLayout()
        resolve_row.addWidget(self.compare)
        resolve_row.addWidget(self.keep_journal)
        resolve_row.addWidget(self.take_folder)
        self.resolve_box = QWidget()
        self.resolve_box.setLayout(resolve_row)
        self.resolve_box.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self._cancel_or_close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.what)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.conflicts_label)
        layout.addWidget(self.conflicts)
        layout.addWidget(self.resolve_box)
        layout.addWidget(self.buttons)

    # --- running ---------------------------------------------------------------------

    def start(self) -> None:
        """Start the work in a worker thread (once)."""
        if self._started:
            return
        self._started = True
        journal, operation = self.journal_path, self.operation
        self.transfers.progressed.connect(self._on_progress)
        self.transfers.submit(
            lambda task: run_operation(journal, operation, task.progress, task.cancelled),
            on_result=self._on_finished, on_error=self._on_failed, cancelled=self._cancel_asked,
        )

    def is_running(self) -> bool:
        """The work is under way on its thread (its outcome may not be shown yet)."""
        return self.transfers.working

    def cancel(self) -> None:
        """Ask the work to stop after the current file (before ``start``: to stop at once)."""
        if self.outcome is None:
            self._cancel_asked = True
            self.transfers.cancel()
            self.what.setText("Cancelling after the current file…")

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))

    @Slot(object)
    def _on_finished(self, result: TransferResult) -> None:
        self.outcome = result
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.what.setText(("Cancelled. " if result.cancelled else "Done. ") + self.operation.describe())
        self.summary.setPlainText("\n".join(_Summary.of(result).lines))
        self.summary.setVisible(True)
        self._show_conflicts()
        self._finish_buttons()
        self.transfer_done.emit(result)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.outcome = TransferResult(self.operation.kind.split("_")[0], failed=[(str(self.journal_path), message)])
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        if "\n" in message:  # one line per problem (a redaction's leaks): listed below, not in the heading
            self.what.setText("Nothing was done:")
            self.summary.setPlainText(message)
            self.summary.setVisible(True)
        else:
            self.what.setText(f"Nothing was done: {message}")
        self._finish_buttons()
        self.transfer_done.emit(self.outcome)

    def _finish_buttons(self) -> None:
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

    @Slot()
    def _cancel_or_close(self) -> None:
        if self.is_running():
            self.cancel()
        else:
            self.reject()

    def wait(self) -> None:
        """Block until the work has stopped (used on close)."""
        self.transfers.wait()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_running():
            self.cancel()
            self.wait()
        super().closeEvent(event)

    # --- conflicts ----------------------------------------------------------------------

    def _show_conflicts(self) -> None:
        try:
            with Store.open(self.journal_path, create=False) as store:
                conflicts = sync.list_conflicts(store)
        except JournalError:
            conflicts = []
        self.conflicts.clear()
        for conflict in conflicts:
            item = QListWidgetItem(f"{conflict.title}  —  other version: {Path(conflict.path).name}")
            item.setToolTip(conflict.path)
            item.setData(Qt.ItemDataRole.UserRole, conflict.entry_id)
            self.conflicts.addItem(item)
        has = bool(conflicts)
        self.conflicts.setVisible(has)
        self.conflicts_label.setVisible(has)
        self.resolve_box.setVisible(has)
        if has:
            self.conflicts.setCurrentRow(0)

    def _resolve(self, keep: str) -> None:
        item = self.conflicts.currentItem()
        if item is None:
            return
        entry_id = str(item.data(Qt.ItemDataRole.UserRole))
        try:
            with Store.open(self.journal_path, create=False) as store:
                settled = sync.settle(store, entry_id, keep=keep)
        except (JournalError, ValueError, OSError) as error:
            self.what.setText(f"Could not resolve: {error}")
            return
        for path, why in settled.left:
            self.what.setText(f"Settled. {Path(path).name} was left in the team folder: {why}.")
        self._show_conflicts()

    def _compare(self) -> None:
        item = self.conflicts.currentItem()
        if item is None:
            return
        entry_id = str(item.data(Qt.ItemDataRole.UserRole))
        try:
            with Store.open(self.journal_path, create=False) as store:
                found = [c for c in sync.list_conflicts(store) if c.entry_id == entry_id]
                diff = conflict_diff(store, found[0]) if found else None
        except (JournalError, ValueError, OSError) as error:
            self.what.setText(f"Could not compare: {error}")
            return
        if diff is None:
            self._show_conflicts()
            return
        choice = self.compare_conflict(self, diff, False)  # no editor here to edit in
        if choice in ("journal", "folder"):
            self._resolve(choice)

    # --- entry points for the File menu -----------------------------------------------

    @classmethod
    def launch(cls, parent: QWidget | None, journal_path: Path, operation: Operation) -> TransferDialog:
        dialog = cls(journal_path, operation, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()
        dialog.start()
        return dialog

    @classmethod
    def export_entries(
        cls,
        parent: QWidget | None,
        journal_path: Path,
        ids: Sequence[str] | None,
        redact: bool = False,
        folder: Path | None = None,
    ) -> TransferDialog | None:
        """One file per entry into a folder; ``ids`` None means every entry (redacted: after a preview)."""
        if folder is None:
            if redact and not redact_preview.confirm(parent, journal_path, ids):
                return None
            chosen = QFileDialog.getExistingDirectory(parent, "Export to folder")
            if not chosen:
                return None
            folder = Path(chosen)
        operation = Operation("export_folder", (folder,), tuple(ids) if ids is not None else None, redact)
        return cls.launch(parent, journal_path, operation)

    @classmethod
    def export_to_file(
        cls,
        parent: QWidget | None,
        journal_path: Path,
        ids: Sequence[str] | None,
        redact: bool = False,
        target: Path | None = None,
    ) -> TransferDialog | None:
        """Every chosen entry in one Markdown file with a table of contents (redacted: after a preview)."""
        replace = False
        if target is None:
            if redact and not redact_preview.confirm(parent, journal_path, ids):
                return None
            chosen = choose_export_file(parent, journal_path)
            if chosen is None:
                return None
            target, replace = chosen
        operation = Operation("export_file", (target,), tuple(ids) if ids is not None else None, redact, replace)
        return cls.launch(parent, journal_path, operation)

    @classmethod
    def import_files(
        cls, parent: QWidget | None, journal_path: Path, paths: Sequence[Path] | None = None
    ) -> TransferDialog | None:
        """Markdown files or folders (recursively)."""
        if paths is None:
            chosen, _ = QFileDialog.getOpenFileNames(parent, "Import Markdown", "", "Markdown (*.md)")
            if not chosen:
                return None
            paths = [Path(p) for p in chosen]
        return cls.launch(parent, journal_path, Operation("import", tuple(paths)))

    @classmethod
    def sync_folder(
        cls, parent: QWidget | None, journal_path: Path, folder: Path | None = None
    ) -> TransferDialog | None:
        """Two-way sync with a team folder (a git checkout the team shares)."""
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(parent, "Sync with team folder")
            if not chosen:
                return None
            folder = Path(chosen)
        return cls.launch(parent, journal_path, Operation("sync", (folder,)))


def choose_export_file(parent: QWidget | None, journal_path: Path) -> tuple[Path, bool] | None:
    """Ask where the one-file export goes: (path, replace it) or None when cancelled."""
    return choose_save_file(parent, "Export to one file", "export", any_suffix=True, journal=journal_path)
