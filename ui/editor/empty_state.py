"""The editor's empty state, light enough to stand in for the editor until it is built.

The entry editor (``ui.editor.editor``) takes a good part of the app's start to import and
build, so the window first shows ``EditorStandIn`` in its place: the same calm sentence the
editor shows when no entry is open, or nothing while the last open entry waits to be restored.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

EMPTY_TEXT = "Pick an entry on the left, or start a new one."
EMPTY_STYLE = "QLabel#emptyState { color: palette(placeholder-text); font-size: 13pt; }"


def style_empty_state(label: QLabel) -> None:
    """The empty state's shape, the same in the editor and its stand-in (``EMPTY_STYLE`` gives the colour and size)."""
    label.setObjectName("emptyState")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)  # a narrow editor wraps the sentence rather than cutting it
    label.setContentsMargins(24, 0, 24, 0)


class EditorStandIn(QLabel):
    """Where the editor goes, until it is built: its empty state, blank while an entry waits to open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(EMPTY_TEXT, parent)
        style_empty_state(self)
        self.setStyleSheet(EMPTY_STYLE)

    def set_waiting(self, waiting: bool) -> None:
        """Blank while the last open entry waits for the editor: its sentence must not flash by first."""
        self.setText("" if waiting else EMPTY_TEXT)
