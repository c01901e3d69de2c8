"""The search field: §3 syntax, applied as you type after a short pause, with a result count."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

DEBOUNCE_MS = 200
PLACEHOLDER = 'Search   e.g.  invoice client:"Acme" status:open severity:>=3'
SHORT_PLACEHOLDER = "Search"  # when the field is too narrow for the example to be read whole


class SearchBar(QWidget):
    """``query_changed`` fires ~200 ms after the last keystroke, or at once on Enter or clear."""

    query_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit(self)
        self.field.setObjectName("searchField")
        self.field.setPlaceholderText(PLACEHOLDER)
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName("Search entries")
        self.field.setAccessibleDescription(
            "Words search the text; client:, status:, role:, tag:, cause:, severity:>=3, after:, before: filter"
        )
        self.field.setToolTip(
            "Words and \"quoted phrases\" search the text, -word excludes.\n"
            "Filters: client:\"Acme Corp\" account: role:maker status:open tag: cause: emotion:\n"
            "detection: severity:>=3 after:2024-01-01 before:2024-06 has:overdue has:open-followups\n"
            "response:>24h (hours to the first reply) has:response"
        )
        self.count_label = QLabel(self)
        self.count_label.setObjectName("resultCount")
        self.count_label.setAccessibleName("Result count")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.count_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("100,000 entries") + 8)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.count_label)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit)
        self._last = ""
        self.field.textChanged.connect(self._on_text)
        self.field.returnPressed.connect(self._emit)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        room = self.field.width() - 48  # the icon, the clear button and the frame
        fits = self.field.fontMetrics().horizontalAdvance(PLACEHOLDER) <= room
        self.field.setPlaceholderText(PLACEHOLDER if fits else SHORT_PLACEHOLDER)

    @property
    def text(self) -> str:
        return self.field.text()

    def set_icon(self, icon: QIcon) -> None:
        for action in self.field.actions():
            if action.objectName() == "searchIcon":
                action.setIcon(icon)
                return
        action = self.field.addAction(icon, QLineEdit.ActionPosition.LeadingPosition)
        action.setObjectName("searchIcon")

    def focus(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def clear(self) -> None:
        self.field.clear()

    def set_text(self, text: str) -> None:
        """Replace the query, as if typed, and search at once (e.g. "Remove the last filter")."""
        self.field.setText(text)
        self._emit()

    def set_count(self, text: str) -> None:
        self.count_label.setText(text)

    def _on_text(self, text: str) -> None:
        if not text:  # the clear button: no reason to wait
            self._emit()
        else:
            self._timer.start()

    def _emit(self) -> None:
        self._timer.stop()
        text = self.field.text()
        if text != self._last:
            self._last = text
            self.query_changed.emit(text)
