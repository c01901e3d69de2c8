"""The repeating parts of an entry, one small widget per item.

Feelings, lessons and review notes are short lists a person adds to one at a
time, so each item is a row of ordinary controls with a Remove button, held in
a ``RowList``. The six recovery steps are a fixed checklist of ``RecoveryRow``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from journal.model import Emotion, RecoveryStep, ReviewNote, utc_now
from ui.reflow import FlowRow, GrowingTextEdit

COMMON_FEELINGS = (
    "anxious", "embarrassed", "frustrated", "angry", "worried", "ashamed", "defensive", "disappointed",
    "let down", "guilty", "hurt", "surprised", "relieved", "grateful", "calm", "determined",
)
INTENSITY_WORDS = {1: "1 · faint", 2: "2 · mild", 3: "3 · strong", 4: "4 · very strong", 5: "5 · overwhelming"}

RECOVERY_LABELS = {
    "responsibility": ("Responsibility taken", "Someone said plainly: this one is on us."),
    "apology": ("Apology and explanation", "A sincere apology, and an honest account of what went wrong."),
    "correction": ("Put right", "The mistake fixed, or the nearest thing that could be done."),
    "compensation": ("Made up for", "Something for the trouble, when the trouble was real."),
    "satisfaction_check": ("Asked if it is enough", "Checked whether they are satisfied or want something more."),
    "acceptance": ("Accepted how they feel", "Some people stay upset whatever is done; that is theirs to feel."),
}
RECOVERY_STATE_LABELS = {"pending": "Not yet", "done": "Done", "skipped": "Skipped", "n/a": "Doesn't apply"}


def remove_button(what: str) -> QToolButton:
    button = QToolButton()
    button.setText("Remove")
    button.setAutoRaise(True)
    button.setAccessibleName(f"Remove this {what}")
    button.setToolTip(f"Remove this {what}")
    return button


def clean_text(text: str) -> str:
    """Text as the store accepts it: NUL characters (invisible, and refused by SQLite text) dropped."""
    return text.replace("\x00", "") if "\x00" in text else text


class Row(QWidget):
    changed = Signal()
    remove_requested = Signal(QWidget)

    def first_field(self) -> QWidget:
        """Where the cursor goes when the row is added."""
        return self


class EmotionRow(Row):
    """Mine or theirs, the feeling, how strong then, how strong now."""

    def __init__(self, emotion: Emotion | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        emotion = emotion or Emotion()
        self.who = QComboBox()
        self.who.addItem("Mine", "me")
        self.who.addItem("Theirs", "them")
        self.who.setAccessibleName("Whose feeling")
        self.name = QLineEdit(emotion.name)
        self.name.setPlaceholderText("a word for it, e.g. embarrassed, worried, relieved")
        self.name.setAccessibleName("Feeling")
        completer = QCompleter(list(COMMON_FEELINGS), self.name)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.name.setCompleter(completer)
        self.intensity = QSpinBox()
        self.intensity.setRange(1, 5)
        self.intensity.setPrefix("then ")
        self.intensity.setAccessibleName("How strong it was then, 1 to 5")
        self.intensity.setToolTip("How strong it was at the time: 1 faint … 5 overwhelming")
        self.now = QComboBox()
        self.now.addItem("now —", None)
        for level in range(1, 6):
            self.now.addItem(f"now {level}", level)
        self.now.setAccessibleName("How strong it feels now, 1 to 5")
        self.now.setToolTip("Looking back, how strong it feels today (leave blank until you look back)")
        self.remove = remove_button("feeling")
        self.who.setCurrentIndex(max(0, self.who.findData(emotion.who)))
        self.intensity.setValue(emotion.intensity)
        self.now.setCurrentIndex(max(0, self.now.findData(emotion.intensity_now)))

        # One line when there is room; the feeling's word keeps a readable width and the rest wraps under it.
        layout = FlowRow(self, spacing=6, line_spacing=4)
        em = self.fontMetrics().averageCharWidth()
        for widget, stretch, least in (
            (self.who, 0, 0), (self.name, 1, 22 * em), (self.intensity, 0, 0), (self.now, 0, 0), (self.remove, 0, 0)
        ):
            layout.add(widget, stretch, least)
        self.who.currentIndexChanged.connect(self.changed)
        self.name.textChanged.connect(self.changed)
        self.intensity.valueChanged.connect(self.changed)
        self.now.currentIndexChanged.connect(self.changed)
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))

    def first_field(self) -> QWidget:
        return self.name

    def value(self) -> Emotion:
        return Emotion(
            who=str(self.who.currentData()),
            name=clean_text(self.name.text()).strip(),
            intensity=self.intensity.value(),
            intensity_now=self.now.currentData(),
        )


class LessonRow(Row):
    def __init__(self, lesson: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(lesson)
        self.edit.setPlaceholderText("One thing to carry forward, in a line")
        self.edit.setAccessibleName("Lesson")
        self.remove = remove_button("lesson")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.remove)
        self.edit.textChanged.connect(self.changed)
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))

    def first_field(self) -> QWidget:
        return self.edit

    def value(self) -> str:
        return clean_text(self.edit.text()).strip()


class ReviewNoteRow(Row):
    """Who wrote it and what they said; the time is stamped when the note is started."""

    def __init__(self, note: ReviewNote | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note = note or ReviewNote(written_at=utc_now())
        self.author = QLineEdit(self.note.author)
        self.author.setPlaceholderText("Who is writing")
        self.author.setAccessibleName("Review note author")
        self.written = QLabel(self._when())
        self.written.setObjectName("quiet")
        self.text = QPlainTextEdit(self.note.text)
        self.text.setPlaceholderText("What the team noticed, what it agrees to try, what support is needed")
        self.text.setAccessibleName("Review note")
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(self.text.fontMetrics().lineSpacing() * 3 + 16)
        self.remove = remove_button("review note")
        top = FlowRow(spacing=6, line_spacing=4)  # the date and Remove go under the name when narrow
        top.add(self.author, 1, 16 * self.fontMetrics().averageCharWidth())
        top.add(self.written, 0)
        top.add(self.remove, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.text)
        self.author.textChanged.connect(self.changed)
        self.text.textChanged.connect(self.changed)
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))

    def first_field(self) -> QWidget:
        return self.author

    def _when(self) -> str:
        stamp = self.note.written_at.replace("T", " ").rstrip("Z")
        return f"written {stamp[:16]} UTC" if stamp else ""

    def value(self) -> ReviewNote:
        return replace(
            self.note,
            author=clean_text(self.author.text()).strip(),
            text=clean_text(self.text.toPlainText()),
        )

    def is_blank(self) -> bool:
        return not self.author.text().strip() and not self.text.toPlainText().strip()


R = TypeVar("R", bound=Row)


class RowList(QWidget, Generic[R]):
    """A growing list of rows with an Add button under it."""

    changed = Signal()
    rows_changed = Signal()  # a row came or went: the form re-chains the tab order

    def __init__(self, add_text: str, make_row: Callable[[], R], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._make_row = make_row
        self._rows: list[R] = []
        self._box = QVBoxLayout()
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.setSpacing(6)
        self.add_button = QPushButton(add_text)
        self.add_button.setAccessibleName(add_text)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(self._box)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self._add_clicked)

    def rows(self) -> list[R]:
        return list(self._rows)

    def set_rows(self, rows: Sequence[R]) -> None:
        """Replace every row without reporting an edit (loading an entry)."""
        for row in self._rows:
            self._box.removeWidget(row)
            row.deleteLater()
        self._rows = []
        for row in rows:
            self._append(row)
        self.rows_changed.emit()

    def add_row(self) -> R:
        """Add an empty row, as the Add button does, and put the cursor in it."""
        row = self._make_row()
        self._append(row)
        self.rows_changed.emit()
        self.changed.emit()
        row.first_field().setFocus()
        return row

    def _add_clicked(self) -> None:
        self.add_row()

    def _append(self, row: R) -> None:
        self._rows.append(row)
        self._box.addWidget(row)
        row.changed.connect(self.changed)
        row.remove_requested.connect(self._remove)

    def _remove(self, row: QWidget) -> None:
        if row in self._rows:
            self._rows.remove(row)
            self._box.removeWidget(row)
            row.deleteLater()
            self.rows_changed.emit()
            self.changed.emit()
            self.add_button.setFocus()


class RecoveryRow(QObject):
    """One of the six steps: its state, and a note on how it went (the form lays out the three controls)."""

    changed = Signal()

    def __init__(self, step: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.step = step
        title, hint = RECOVERY_LABELS[step]
        self.label = QLabel(title)
        self.label.setToolTip(hint)
        self.state = QComboBox()
        for value, text in RECOVERY_STATE_LABELS.items():
            self.state.addItem(text, value)
        self.state.setAccessibleName(f"{title}: state")
        self.state.setToolTip(hint)
        self.note = GrowingTextEdit()  # wraps and grows: a note is read whole, never cut at the edge
        self.note.setPlaceholderText(hint)
        self.note.setAccessibleName(f"{title}: note")
        self.label.setBuddy(self.state)
        self.state.currentIndexChanged.connect(self.changed)
        self.note.textChanged.connect(self.changed)

    def set_value(self, value: RecoveryStep) -> None:
        self.state.setCurrentIndex(max(0, self.state.findData(value.state)))
        self.note.setText(value.note)

    def value(self) -> RecoveryStep:
        return RecoveryStep(state=str(self.state.currentData()), note=clean_text(self.note.text()))
