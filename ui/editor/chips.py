"""Labels as chips: a row of toggles for the usual labels, plus your own.

Used for causes (the standard nine plus custom ones) and tags (custom only).
A chip is a checkable button, so it can be reached with Tab and toggled with
Space, and a screen reader announces it as "Cause: handoff, checked".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


class FlowLayout(QLayout):
    """Lays widgets out left to right and wraps them like words."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        x, y, line_height = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and line_height > 0:
                x, y = rect.x(), y + line_height + self._spacing
                line_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y()


class ChipSet(QWidget):
    """Checkable chips for ``standard`` labels and any custom ones; ``changed`` on every toggle."""

    changed = Signal()

    def __init__(
        self,
        kind: str,
        standard: Sequence[str] = (),
        *,
        add_placeholder: str = "Add your own…",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._kind = kind
        self._standard = tuple(standard)
        self._chips: dict[str, QPushButton] = {}
        self._chip_box = QWidget()
        self._flow = FlowLayout(self._chip_box)
        self.add_edit = QLineEdit()
        self.add_edit.setPlaceholderText(add_placeholder)
        self.add_edit.setAccessibleName(f"Add a {kind.lower()}")
        self.add_edit.setClearButtonEnabled(True)
        self.add_edit.setMinimumWidth(240)
        self.add_edit.setMaximumWidth(320)
        self.add_edit.returnPressed.connect(self._add_typed)
        self._completer = QCompleter([])
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.add_edit.setCompleter(self._completer)
        add_row = QHBoxLayout()
        add_row.setContentsMargins(0, 0, 0, 0)
        add_row.addWidget(self.add_edit)
        add_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self._chip_box)
        layout.addLayout(add_row)
        for label in self._standard:
            self._make_chip(label)

    def set_suggestions(self, names: Iterable[str]) -> None:
        self._completer.model().setStringList(list(names))  # type: ignore[attr-defined]

    def labels(self) -> list[str]:
        """The checked labels, standard ones first, then custom ones in the order added."""
        return [label for label, chip in self._chips.items() if chip.isChecked()]

    def set_labels(self, labels: Iterable[str]) -> None:
        """Show ``labels`` as checked without reporting a change; forget unchecked custom chips."""
        wanted = [label.strip() for label in labels if label.strip()]
        for label in list(self._chips):
            if label not in self._standard and label not in wanted:
                self._remove_chip(label)
        for label in wanted:
            if label not in self._chips:
                self._make_chip(label)
        for label, chip in self._chips.items():
            chip.blockSignals(True)
            chip.setChecked(label in wanted)
            chip.blockSignals(False)

    def chip(self, label: str) -> QPushButton:
        return self._chips[label]

    def add_label(self, label: str) -> None:
        """Add (or re-check) a label as the user would by typing it."""
        label = label.strip()
        if not label:
            return
        existing = next((name for name in self._chips if name.casefold() == label.casefold()), None)
        chip = self._chips[existing] if existing else self._make_chip(label)
        if not chip.isChecked():
            chip.setChecked(True)  # emits changed through toggled

    def _add_typed(self) -> None:
        self.add_label(self.add_edit.text())
        self.add_edit.clear()

    def _make_chip(self, label: str) -> QPushButton:
        chip = QPushButton(label.replace("_", " ").replace("&", "&&"))
        chip.setObjectName("chip")
        chip.setCheckable(True)
        chip.setAccessibleName(f"{self._kind}: {label}")
        chip.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        chip.setCursor(Qt.CursorShape.PointingHandCursor)
        chip.toggled.connect(self.changed)
        self._chips[label] = chip
        self._flow.addWidget(chip)
        chip.show()
        self._chip_box.updateGeometry()
        return chip

    def _remove_chip(self, label: str) -> None:
        chip = self._chips.pop(label)
        self._flow.removeWidget(chip)
        chip.deleteLater()
