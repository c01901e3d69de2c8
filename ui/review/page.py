"""Account review: choose an account and a period, read the summary, then walk the entries one by one.

The summary and every entry's text come from ``journal.reports`` (the same words as the
packet). On each entry the team can add a review note (signed with the author name from
the settings, asked once) and mark it Reviewed; the author alone, after "Show my private
notes", sees their feelings and re-rates how strong they are now. Every save goes through
the store and is announced with ``changed`` so the journal's list updates only those rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QDate, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from journal import atomic, reports
from journal.model import PostMortem, ReviewNote
from journal.store import ConflictError, JournalError, Store
from ui.background import Background, Refusal, Task
from ui.editor.preview import InertBrowser
from ui.review.packet_pdf import render_pdf
from ui.shell.save_dialog import choose_save_file

AUTHOR_KEY = "author"
AskAuthor = Callable[[QWidget], str | None]
ChooseFile = Callable[[QWidget, Store, str], Path | None]


def ask_author(parent: QWidget) -> str | None:
    """The name review notes are signed with; asked once, then kept in the settings."""
    name, ok = QInputDialog.getText(parent, "Your name", "Review notes are signed with your name:")
    return name.strip() if ok and name.strip() else None


class ReviewChooser(QDialog):
    """Which account (or client) and which period to review; both ends of the period are optional."""

    def __init__(self, accounts: list[tuple[str, int]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Review an account")
        self.account = QComboBox(self)
        self.account.setEditable(True)
        self.account.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for name, count in accounts:
            self.account.addItem(f"{name} ({count})", name)
        self.account.setAccessibleName("Account or client")
        today = QDate.currentDate()
        self.use_from = QCheckBox("From", self)
        self.from_date = QDateEdit(today.addYears(-1), self)
        self.use_to = QCheckBox("To (included)", self)
        self.to_date = QDateEdit(today, self)
        for edit, box in ((self.from_date, self.use_from), (self.to_date, self.use_to)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            box.toggled.connect(edit.setEnabled)
        form = QFormLayout(self)
        form.addRow("Account or client:", self.account)
        form.addRow(self.use_from, self.from_date)
        form.addRow(self.use_to, self.to_date)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Review")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen(self) -> tuple[str, str | None, str | None]:
        """(account, after, before): ``before`` is the day after "To", as the search syntax's bounds are."""
        data = self.account.currentData()
        text = self.account.currentText().strip()
        account = str(data) if data is not None and self.account.itemText(self.account.currentIndex()) == text else text
        after = self.from_date.date().toString("yyyy-MM-dd") if self.use_from.isChecked() else None
        before = self.to_date.date().addDays(1).toString("yyyy-MM-dd") if self.use_to.isChecked() else None
        return account, after, before


class ReviewPage(QWidget):
    """One account's review: the summary, then its entries oldest first with Next, notes and Reviewed."""

    changed = Signal(object)  # the store's Changes after each save
    exported_to = Signal(str)  # a packet was written to this path

    def __init__(
        self,
        store: Store,
        account: str,
        after: str | None,
        before: str | None,
        settings: QSettings,
        *,
        author_asker: AskAuthor = ask_author,
        file_chooser: ChooseFile | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPage")
        self.store = store
        self.settings = settings
        self._ask_author = author_asker
        self._choose_file = file_chooser or choose_packet_file
        self.exported: Path | None = None  # the last packet written
        self.packets = Background(self, "hindsight-packet", journal=store.path, passphrase=store.passphrase,
                                  newest_wins=False, uses_qt=True)  # the PDF is drawn with Qt's text layout
        self.after, self.before = after, before
        self.review = reports.account_review(store, account, after, before)
        self.index = 0

        self.title = QLabel(self)
        self.title.setObjectName("reviewTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.period = QLabel(self)
        self.progress = QLabel(self)
        self.progress.setObjectName("reviewProgress")
        self.progress.setAccessibleName("Review progress")
        self.export_button = QPushButton("Export packet…", self)
        self.export_button.clicked.connect(self.export_packet)
        head = QHBoxLayout()
        names = QVBoxLayout()
        names.addWidget(self.title)
        names.addWidget(self.period)
        head.addLayout(names, 1)
        head.addWidget(self.progress)
        head.addSpacing(12)
        head.addWidget(self.export_button)

        self.summary = InertBrowser(self)
        self.summary.setObjectName("reviewSummary")
        self.summary.setAccessibleName("Summary")

        self.position = QLabel(self)
        self.position.setObjectName("reviewPosition")
        self.entry = InertBrowser(self)
        self.entry.setObjectName("reviewEntry")
        self.entry.setAccessibleName("Entry")
        self.note = QPlainTextEdit(self)
        self.note.setPlaceholderText("A review note for this entry…")
        self.note.setFixedHeight(64)
        self.note.setAccessibleName("Review note")
        self.add_note_button = QPushButton("Add note", self)
        self.add_note_button.clicked.connect(self.add_note)
        self.reviewed_button = QPushButton("Mark reviewed", self)
        self.reviewed_button.clicked.connect(self.mark_reviewed)
        self.previous_button = QPushButton("Previous", self)
        self.previous_button.clicked.connect(self.previous)
        self.next_button = QPushButton("Next", self)
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next)
        self.private_box = QCheckBox("Show my private notes (author only)", self)
        self.private_box.setToolTip("Your feelings, response and reflection; re-rate how strong the feelings are now")
        self.private_box.toggled.connect(self._show_entry)
        self.feelings = QGroupBox("How strong are these feelings now?", self)
        self.feelings_grid = QGridLayout(self.feelings)
        self.feelings_grid.setColumnStretch(0, 1)
        self.feelings.hide()
        self._now: list[QSpinBox] = []

        note_row = QHBoxLayout()
        note_row.addWidget(self.note, 1)
        note_row.addWidget(self.add_note_button, 0, Qt.AlignmentFlag.AlignTop)
        walk = QHBoxLayout()
        walk.addWidget(self.private_box)
        walk.addStretch(1)
        walk.addWidget(self.reviewed_button)
        walk.addWidget(self.previous_button)
        walk.addWidget(self.next_button)
        entry_side = QWidget(self)
        column = QVBoxLayout(entry_side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.position)
        column.addWidget(self.entry, 1)
        column.addWidget(self.feelings)
        column.addLayout(note_row)
        column.addLayout(walk)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.summary)
        self.splitter.addWidget(entry_side)
        self.splitter.setSizes([480, 760])
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.splitter, 1)

        QShortcut(QKeySequence("Alt+Right"), self, self.next)
        QShortcut(QKeySequence("Alt+Left"), self, self.previous)
        QShortcut(QKeySequence("Ctrl+Return"), self.note, self.add_note)
        self.previous_button.setToolTip("Previous entry (Alt+Left)")
        self.next_button.setToolTip("Next entry (Alt+Right)")
        self.add_note_button.setToolTip("Add the note (Ctrl+Enter)")
        for browser in (self.summary, self.entry):
            browser.document().setDefaultStyleSheet("th, td { padding: 2px 10px 2px 0; } th { text-align: left; }")
        self._show_summary()
        self._show_entry()

    # --- showing -------------------------------------------------------------------------------------

    @property
    def current(self) -> PostMortem | None:
        entries = self.review.entries
        return entries[self.index] if entries else None

    def progress_text(self) -> str:
        return f"{self.review.reviewed} of {len(self.review.entries)} reviewed"

    def _show_summary(self) -> None:
        self.title.setText(f"Account review: {self.review.account}")
        self.period.setText(f"Period: {self.review.period_text}")
        self.progress.setText(self.progress_text())
        if self.review.entries:
            self.summary.show_markdown("\n".join(reports.summary_markdown(self.review)))
        else:
            self.summary.show_markdown(f"No entries for {self.review.account} in this period.")

    def _show_entry(self) -> None:
        pm = self.current
        has = pm is not None
        for widget in (self.note, self.add_note_button, self.reviewed_button, self.private_box):
            widget.setEnabled(has)
        self.previous_button.setEnabled(has and self.index > 0)
        self.next_button.setEnabled(has and self.index < len(self.review.entries) - 1)
        if pm is None:
            self.position.setText("No entries to walk through.")
            self.entry.show_markdown("")
            self.feelings.hide()
            return
        self.position.setText(f"Entry {self.index + 1} of {len(self.review.entries)}")
        private = self.private_box.isChecked()
        view = replace(self.review, private=private)
        self.entry.show_markdown("\n".join(reports.entry_markdown(view, self.index + 1, pm)))
        self.reviewed_button.setEnabled(pm.status != "reviewed")
        self.reviewed_button.setText("Reviewed ✓" if pm.status == "reviewed" else "Mark reviewed")
        self._show_feelings(pm if private else None)

    def _show_feelings(self, pm: PostMortem | None) -> None:
        while self.feelings_grid.count():
            item = self.feelings_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._now = []
        if pm is None or not pm.emotions:
            self.feelings.hide()
            return
        for row, emotion in enumerate(pm.emotions):
            who = "I" if emotion.who == "me" else "They"
            label = QLabel(f"{who} felt {emotion.name}: {emotion.intensity} of 5 then; now", self.feelings)
            spin = QSpinBox(self.feelings)
            spin.setRange(0, 5)
            spin.setSpecialValueText("not rated")
            spin.setValue(emotion.intensity_now or 0)
            spin.setAccessibleName(f"{emotion.name} now")
            spin.setMaximumWidth(160)
            self.feelings_grid.addWidget(label, row, 0)
            self.feelings_grid.addWidget(spin, row, 1)
            self._now.append(spin)
        save = QPushButton("Save feelings", self.feelings)
        save.clicked.connect(self.save_feelings)
        self.feelings_grid.addWidget(save, len(pm.emotions), 1)
        self.feelings.show()

    # --- walking ---------------------------------------------------------------------------------------

    def next(self) -> None:
        if self.index < len(self.review.entries) - 1:
            self.index += 1
            self._show_entry()

    def previous(self) -> None:
        if self.index > 0:
            self.index -= 1
            self._show_entry()

    # --- saving -------------------------------------------------------------------------------------

    def _save(self, change: Callable[[PostMortem], PostMortem]) -> bool:
        """Apply ``change`` to the stored entry (not the copy on screen) and save it; False when it failed."""
        pm = self.current
        if pm is None:
            return False
        try:
            fresh = self.store.get(pm.id)
            saved, changes = self.store.save(change(fresh))
        except ConflictError:
            QMessageBox.warning(self, "Review", "This entry changed meanwhile; it is shown again as it is now.")
            saved, changes = self.store.get(pm.id), None
        self.review.entries[self.index] = saved
        self._show_summary()
        self._show_entry()
        if changes:
            self.changed.emit(changes)
        return changes is not None

    def author(self) -> str | None:
        name = str(self.settings.value(AUTHOR_KEY, "") or "").strip()
        if not name:
            name = self._ask_author(self) or ""
            if name:
                self.settings.setValue(AUTHOR_KEY, name)
        return name or None

    def add_note(self) -> None:
        text = self.note.toPlainText().strip()
        if not text or self.current is None:
            return
        author = self.author()
        if author is None:
            return
        note = ReviewNote(author=author, text=text)
        if self._save(lambda pm: replace(pm, review_notes=[*pm.review_notes, note])):
            self.note.clear()

    def mark_reviewed(self) -> None:
        self._save(lambda pm: replace(pm, status="reviewed"))

    def save_feelings(self) -> None:
        values = [spin.value() or None for spin in self._now]  # 0 shows "not rated"

        def rerate(pm: PostMortem) -> PostMortem:
            emotions = [
                replace(e, intensity_now=values[i]) if i < len(values) else e for i, e in enumerate(pm.emotions)
            ]
            return replace(pm, emotions=emotions)

        self._save(rerate)

    # --- the packet -----------------------------------------------------------------------------------

    def export_packet(self) -> None:
        """Ask where, then write the packet off the GUI thread (a 500-entry PDF takes seconds)."""
        if self.packets.busy:
            return
        target = self._choose_file(self, self.store, self.review.account)
        if target is None:
            return
        account, after, before = self.review.account, self.after, self.before
        self.packets.submit(lambda task: write_packet(task, account, after, before, target),
                            on_result=self._exported, on_error=self._export_failed)
        self.export_button.setEnabled(False)
        self.export_button.setText("Writing the packet…")

    def _export_done(self) -> None:
        self.export_button.setEnabled(True)
        self.export_button.setText("Export packet…")

    def _exported(self, target: Path) -> None:
        self._export_done()
        self.exported = target
        self.exported_to.emit(str(target))

    def _export_failed(self, text: str) -> None:
        self._export_done()
        QMessageBox.warning(self, "Export packet", text)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.packets.wait()  # the packet is being written: finish it rather than leave half a file
        super().closeEvent(event)


def write_packet(task: Task, account: str, after: str | None, before: str | None, target: Path) -> Path:
    """Build the packet on the lane's own connection and write it (Markdown, or PDF by the suffix)."""
    try:
        review = reports.account_review(task.store, account, after, before)
        text = reports.render_markdown(review)
        data: str | bytes = text
        if target.suffix.lower() == ".pdf":
            data = render_pdf(text, f"Account review: {review.account}")
        atomic.write_atomic(target, data)
    except OSError as error:
        raise Refusal(f"{target} could not be written: {error.strerror or error}") from error
    except (JournalError, ValueError) as error:
        raise Refusal(f"The packet could not be made: {error}") from error
    return target


def choose_packet_file(parent: QWidget, store: Store, account: str) -> Path | None:
    """Where the packet goes (Markdown or PDF); a journal is refused, an existing file replaced only after asking."""
    safe = "".join(ch if ch.isalnum() or ch in " -_" else "-" for ch in account).strip() or "account"
    chosen = choose_save_file(
        parent, "Export review packet", "packet", start=f"{safe} review {dt.date.today().isoformat()}.md",
        kinds=(("Markdown", ".md"), ("PDF", ".pdf")), store=store,
    )
    return chosen[0] if chosen is not None else None
