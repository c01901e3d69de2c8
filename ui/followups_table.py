"""Follow-ups as an editable table: what, who, by when, and whether the fix held.

The model keeps what the user typed even when it is not yet valid (a date like
"next tue"): the cell turns red with a tooltip, and ``for_save`` hands the
store the last good value for that cell until it is fixed, so nothing typed is
thrown away and nothing invalid reaches the journal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QBrush, QColor, QPainter, QPalette, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from journal.blameless import Hint, follow_up_hints, text_hints
from journal.model import FollowUp, parse_date, today
from ui.hint_highlighter import BLOCK_CAP, hint_format, tooltip, utf16_offset

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


class FollowUpDelegate(QStyledItemDelegate):
    """Choice columns edit with a combo box; date columns hint at the format; hints are underlined."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        model = index.model()
        rows = model.follow_ups() if isinstance(model, FollowUpsModel) else []
        hints = underlined(follow_up_advice(rows[index.row()])) if COLUMNS[index.column()] == "text" and rows else []
        if not hints:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is None:
            super().paint(painter, option, index)
            return
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        document = QTextDocument()
        document.setDefaultFont(opt.font)
        document.setDocumentMargin(2)
        document.setPlainText(text)
        document.setTextWidth(rect.width())
        for hint in hints:
            cursor = QTextCursor(document)
            cursor.setPosition(utf16_offset(text, hint.start))
            cursor.setPosition(utf16_offset(text, hint.end), QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(hint_format())
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        colour_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(colour_role))
        painter.save()
        painter.translate(rect.topLeft())
        painter.setClipRect(rect.translated(-rect.topLeft()))
        layout = document.documentLayout()
        layout.draw(painter, context)
        painter.restore()

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:
        column = COLUMNS[index.column()]
        if column in CHOICES:
            combo = QComboBox(parent)
            combo.setAccessibleName(HEADERS[index.column()])
            for value, label in CHOICES[column].items():
                combo.addItem(label, value)
            return combo
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            editor.setAccessibleName(HEADERS[index.column()])
            if column in DATE_COLUMNS:
                editor.setPlaceholderText("YYYY-MM-DD")
        return editor

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class FollowUpsTable(QWidget):
    """The table with Add and Remove buttons and a line for what needs fixing."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = FollowUpsModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(FollowUpDelegate(self.view))
        self.view.setAccessibleName("Follow-ups")
        self.view.setAccessibleDescription("One row per action: what, who, by when, status, and whether the fix held")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.view.setTabKeyNavigation(False)  # Tab leaves the table, as everywhere else in the form
        self.view.setWordWrap(True)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(70)

        self.add_button = QPushButton("Add a follow-up")
        self.add_button.setAccessibleName("Add a follow-up")
        self.remove_button = QPushButton("Remove selected")
        self.remove_button.setAccessibleName("Remove the selected follow-up")
        self.remove_button.setEnabled(False)
        self.message = QLabel()
        self.message.setObjectName("inlineMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_selected)
        self.model.edited.connect(self.changed)
        self.model.rowsInserted.connect(self._fit_height)
        self.model.rowsRemoved.connect(self._fit_height)
        self.model.modelReset.connect(self._fit_height)
        selection = self.view.selectionModel()
        selection.selectionChanged.connect(lambda *_: self.remove_button.setEnabled(selection.hasSelection()))
        self._fit_height()

    def add_row(self) -> None:
        row = self.model.rowCount()
        self.model.insertRows(row, 1)
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.setFocus()
        self.view.edit(index)

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()}, reverse=True)
        for row in rows:
            self.model.removeRows(row, 1)

    def show_problems(self, problems: Sequence[str]) -> None:
        self.message.setText(" ".join(problems))
        self.message.setVisible(bool(problems))

    def _fit_height(self) -> None:
        # The form scrolls as a whole; a table with its own scroll bar inside it would be a trap.
        rows = max(self.model.rowCount(), 2)
        row_height = self.view.verticalHeader().defaultSectionSize()
        height = self.view.horizontalHeader().sizeHint().height() + rows * row_height + 2 * self.view.frameWidth() + 4
        self.view.setFixedHeight(height)
