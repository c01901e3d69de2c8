"""Follow-ups as editable cards: what, who, by when, and whether the fix held.

The model is a table model (one row per follow-up, one column per field); the
editor shows each row as a card whose text wraps and grows, so a long action
and its check are read whole inside the scrolling form.

The model keeps what the user typed even when it is not yet valid (a date like
"next tue"): the cell turns red with a tooltip, and ``for_save`` hands the
store the last good value for that cell until it is fixed, so nothing typed is
thrown away and nothing invalid reaches the journal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from journal.insight.blameless import Hint, follow_up_hints, text_hints
from journal.model import FollowUp, parse_date, today
from ui.editor.hints import BLOCK_CAP, HintHighlighter, tooltip
from ui.editor.rows import remove_button
from ui.reflow import FlowRow, GrowingTextEdit

AnyIndex = QModelIndex | QPersistentModelIndex

COLUMNS = ("text", "owner", "due_on", "status", "done_on", "check_on", "check_result")
HEADERS = ("What will happen", "Who", "By when", "Status", "Done on", "Check on", "Did it hold?")
DATE_COLUMNS = frozenset({"due_on", "done_on", "check_on"})
CHOICES: dict[str, dict[str, str]] = {
    "status": {"open": "Open", "done": "Done", "dropped": "Dropped"},
    "check_result": {"": "—", "held": "It held", "recurred": "It happened again"},
}
DATE_HINT = "a date like 2024-05-01"


def follow_up_advice(follow_up: FollowUp, field: str = "follow_up") -> list[Hint]:
    """Blaming wording, vague actions, and (for open ones) a missing owner or date."""
    text = follow_up.text[:BLOCK_CAP]
    found = text_hints(text, field)
    if follow_up.status == "open" and text.strip():
        found += follow_up_hints(text, follow_up.owner, follow_up.due_on, field)
    return found


def underlined(hints: Sequence[Hint]) -> list[Hint]:
    """The hints about words in the text (a missing owner or date is about the whole row: tooltip only)."""
    return [h for h in hints if h.kind not in ("followup_owner", "followup_due")]


def date_problem(value: str) -> str | None:
    """None when ``value`` is empty or a real YYYY-MM-DD date, else what is wrong with it."""
    if not value:
        return None
    try:
        parse_date("date", value)
    except ValueError:
        return f"“{value}” is not {DATE_HINT}"
    return None


class FollowUpsModel(QAbstractTableModel):
    """One row per follow-up; ``edited`` fires for changes the user makes (not for loading)."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[FollowUp] = []

    # --- Qt model API ---------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            return HEADERS[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        column = COLUMNS[index.column()]
        value: str = getattr(self._rows[index.row()], column)
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.DisplayRole:
            return CHOICES[column].get(value, value) if column in CHOICES else value
        problem = date_problem(value) if column in DATE_COLUMNS else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "text":
                return "\n\n".join(tooltip(h) for h in follow_up_advice(self._rows[index.row()])) or None
            return problem
        if role == Qt.ItemDataRole.ForegroundRole and problem:
            return QBrush(QColor("#b3261e"))
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return False
        column = COLUMNS[index.column()]
        text = "" if value is None else str(value)
        text = text if column == "text" else text.strip()
        if column in CHOICES and text not in CHOICES[column]:
            return False
        row = self._rows[index.row()]
        if getattr(row, column) == text:
            return True
        self._rows[index.row()] = row = replace(row, **{column: text})
        last = index.column()
        if column == "status" and text == "done" and not row.done_on:
            self._rows[index.row()] = replace(row, done_on=today())
            last = max(last, COLUMNS.index("done_on"))
        self.dataChanged.emit(index, self.index(index.row(), last))
        self.edited.emit()
        return True

    def insertRows(self, row: int, count: int, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or count < 1 or not 0 <= row <= len(self._rows):
            return False
        self.beginInsertRows(QModelIndex(), row, row + count - 1)
        self._rows[row:row] = [FollowUp() for _ in range(count)]
        self.endInsertRows()
        self.edited.emit()
        return True

    def removeRows(self, row: int, count: int, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or count < 1 or row < 0 or row + count > len(self._rows):
            return False
        self.beginRemoveRows(QModelIndex(), row, row + count - 1)
        del self._rows[row : row + count]
        self.endRemoveRows()
        self.edited.emit()
        return True

    # --- the editor's API -------------------------------------------------------------

    def set_follow_ups(self, follow_ups: Sequence[FollowUp]) -> None:
        self.beginResetModel()
        self._rows = list(follow_ups)
        self.endResetModel()

    def follow_ups(self) -> list[FollowUp]:
        """Exactly what is in the table, invalid dates included."""
        return list(self._rows)

    def for_save(self, saved: Mapping[str, FollowUp]) -> tuple[list[FollowUp], list[str]]:
        """Follow-ups fit for the store, and what still needs the user's attention.

        A row without words is kept in the table but not saved yet; a bad date is
        saved as its last good value (from ``saved``, by follow-up id).
        """
        good: list[FollowUp] = []
        problems: list[str] = []
        for number, row in enumerate(self._rows, start=1):
            if not row.text.strip():
                if row != replace(FollowUp(), id=row.id):
                    problems.append(f"Follow-up {number} needs a few words before it is kept.")
                continue
            fixes: dict[str, str] = {}
            for column in DATE_COLUMNS:
                problem = date_problem(getattr(row, column))
                if problem:
                    problems.append(f"Follow-up {number}: {problem}.")
                    previous = saved.get(row.id)
                    fixes[column] = getattr(previous, column) if previous else ""
            good.append(replace(row, **fixes) if fixes else row)
        return good, problems


class FollowUpCard(QFrame):
    """One follow-up as a small card: the action in words that wrap, then who, when and whether it held.

    Every edit goes to ``model`` at once; the card shows the model's row ``row``.
    """

    def __init__(self, model: FollowUpsModel, row: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followUpCard")
        self.setAccessibleName(f"Follow-up {row + 1}")
        self._model = model
        self.row = row
        self._writing: str | None = None  # the column this card is writing: not echoed back while typed
        self.text = GrowingTextEdit()
        self.text.setPlaceholderText("What will happen: one concrete action")
        self.text.setAccessibleName(HEADERS[0])
        self.hinter = HintHighlighter(self.text.document(), "follow_up", editor=self.text)
        self.remove = remove_button("follow-up")
        self.fields: dict[str, QLineEdit | QComboBox] = {}
        for column in COLUMNS[1:]:
            widget: QLineEdit | QComboBox
            if column in CHOICES:
                widget = QComboBox()
                for value, label in CHOICES[column].items():
                    widget.addItem(label, value)
                widget.activated.connect(lambda _i, c=column, w=widget: self._write(c, w.currentData()))
            else:
                widget = QLineEdit()
                widget.setPlaceholderText("YYYY-MM-DD" if column in DATE_COLUMNS else "a name")
                widget.textEdited.connect(lambda text, c=column: self._write(c, text))
            widget.setAccessibleName(f"{HEADERS[COLUMNS.index(column)]} (follow-up {row + 1})")
            self.fields[column] = widget
        self.advice = QLabel()
        self.advice.setObjectName("quiet")
        self.advice.setWordWrap(True)
        self.advice.hide()

        number = QLabel(f"{row + 1}.")
        number.setObjectName("fieldLabel")
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(number, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.text, 1)
        # Two lines that wrap on their own: the plan (who, by when, status), then the result (done, check, held?).
        plan = FlowRow(spacing=10, line_spacing=6)
        result = FlowRow(spacing=10, line_spacing=6)
        em = self.fontMetrics().averageCharWidth()
        date_width = self.fontMetrics().horizontalAdvance("2024-05-01") + 24
        for column, widget in self.fields.items():
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            caption = QLabel(HEADERS[COLUMNS.index(column)])
            caption.setObjectName("quiet")
            caption.setBuddy(widget)
            box.addWidget(caption)
            box.addWidget(widget)
            line = plan if column in ("owner", "due_on", "status") else result
            if column == "owner":
                line.add(holder, 2, 16 * em)
            elif column in DATE_COLUMNS:
                line.add(holder, 1, date_width)
            else:
                line.add(holder, 1, widget.sizeHint().width())
        # Remove comes last, after "Did it hold?", so Tab goes through the card's fields before it.
        remove_box = QVBoxLayout()
        remove_holder = QWidget()
        remove_holder.setLayout(remove_box)
        remove_box.setContentsMargins(0, 0, 0, 0)
        remove_box.addStretch(1)
        remove_box.addWidget(self.remove)
        result.add(remove_holder, 0, at_end=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(plan)
        layout.addLayout(result)
        layout.addWidget(self.advice)
        self.text.textChanged.connect(lambda: self._write("text", self.text.toPlainText()))
        self.refresh()

    def _write(self, column: str, value: object) -> None:
        self._writing = column
        try:
            self._model.setData(self._model.index(self.row, COLUMNS.index(column)), value, Qt.ItemDataRole.EditRole)
        finally:
            self._writing = None

    def refresh(self) -> None:
        """Show the model's values (except the one being typed here), date problems and the follow-up advice."""
        rows = self._model.follow_ups()
        if not 0 <= self.row < len(rows):
            return
        follow_up = rows[self.row]
        if self._writing != "text":
            self.text.blockSignals(True)
            self.text.setText(follow_up.text)
            self.text.blockSignals(False)
        for column, widget in self.fields.items():
            value = getattr(follow_up, column)
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
                continue
            if self._writing != column and widget.text() != value:
                widget.setText(value)
            problem = date_problem(widget.text().strip()) if column in DATE_COLUMNS else None
            widget.setToolTip(problem or "")
            if widget.property("dateProblem") != bool(problem):  # editor.qss draws an unreadable date in red
                widget.setProperty("dateProblem", bool(problem))
                widget.style().unpolish(widget)
                widget.style().polish(widget)
        advice = [h for h in follow_up_advice(follow_up) if h not in underlined([h])]
        self.advice.setText(" ".join(f"{h.message} Try: {h.suggestion}" for h in advice))
        self.advice.setVisible(bool(advice))


class FollowUpCards(QWidget):
    """The follow-ups as cards that grow with their text, an Add button, and a line for what needs fixing.

    No table inside the scrolling form: each follow-up is read whole, the check
    ("did it hold?") included, at any window width.
    """

    changed = Signal()
    rows_changed = Signal()  # a card came or went: the form re-chains the tab order

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = FollowUpsModel(self)
        self.setAccessibleName("Follow-ups")
        self.setAccessibleDescription("One card per action: what, who, by when, status, and whether the fix held")
        self._cards: list[FollowUpCard] = []
        self._box = QVBoxLayout()
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.setSpacing(8)
        self.add_button = QPushButton("Add a follow-up")
        self.add_button.setAccessibleName("Add a follow-up")
        self.message = QLabel()
        self.message.setObjectName("inlineMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(self._box)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

        self.add_button.clicked.connect(self.add_row)
        self.model.edited.connect(self.changed)
        self.model.modelReset.connect(self._rebuild)
        self.model.rowsInserted.connect(self._rebuild)
        self.model.rowsRemoved.connect(self._rebuild)
        self.model.dataChanged.connect(self._on_data_changed)

    def cards(self) -> list[FollowUpCard]:
        return list(self._cards)

    def add_row(self) -> None:
        """A new, empty follow-up at the end, with the cursor in its text."""
        row = self.model.rowCount()
        self.model.insertRows(row, 1)
        self._cards[row].text.setFocus()

    def remove_row(self, row: int) -> None:
        self.model.removeRows(row, 1)
        self.add_button.setFocus()

    def show_problems(self, problems: Sequence[str]) -> None:
        self.message.setText(" ".join(problems))
        self.message.setVisible(bool(problems))

    def _rebuild(self) -> None:
        for card in self._cards:
            self._box.removeWidget(card)
            card.deleteLater()
        self._cards = []
        for row in range(self.model.rowCount()):
            card = FollowUpCard(self.model, row, self)
            card.remove.clicked.connect(lambda _checked=False, r=row: self.remove_row(r))
            self._box.addWidget(card)
            card.show()  # at once, not on the next event loop pass: focus and tests find it shown
            self._cards.append(card)
        self.rows_changed.emit()

    def _on_data_changed(self, top: QModelIndex, bottom: QModelIndex) -> None:
        for row in range(top.row(), bottom.row() + 1):
            if 0 <= row < len(self._cards):
                self._cards[row].refresh()
