"""Slim inline bars that offer one or two actions right where they matter."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

UNDO_VISIBLE_MS = 20_000


class _Bar(QFrame):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(10, 6, 6, 6)
        self.row.addWidget(self.label, 1)


class UndoBanner(_Bar):
    """"3 entries moved to Trash  [Undo]  ×" — hides itself after a while."""

    undo_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("undoBanner", parent)
        self.setAccessibleName("Undo")
        self.undo_button = QPushButton("Undo", self)
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setAccessibleDescription("Put the entries back where they were")
        self.close_button = QToolButton(self)
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setAccessibleName("Dismiss")
        self.close_button.setToolTip("Dismiss")
        self.row.addWidget(self.undo_button)
        self.row.addWidget(self.close_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(UNDO_VISIBLE_MS)
        self._timer.timeout.connect(self.hide)
        self.undo_button.clicked.connect(self.undo_clicked)
        self.close_button.clicked.connect(self.hide)
        self.hide()

    def offer(self, text: str) -> None:
        self.label.setText(text)
        self.show()
        self._timer.start()


class TrashBar(_Bar):
    """Shown in the Trash view: Restore and Empty Trash."""

    restore_clicked = Signal()
    empty_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("trashBar", parent)
        self.label.setText("Entries in the Trash stay until you empty it.")
        self.restore_button = QPushButton("Restore", self)
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setAccessibleDescription("Move the selected entries out of the Trash")
        self.empty_button = QPushButton("Empty Trash…", self)
        self.empty_button.setObjectName("emptyTrashButton")
        self.empty_button.setAccessibleDescription("Delete every entry in the Trash for good")
        self.row.addWidget(self.restore_button)
        self.row.addWidget(self.empty_button)
        self.restore_button.clicked.connect(self.restore_clicked)
        self.empty_button.clicked.connect(self.empty_clicked)
        self.hide()


class DemoBanner(_Bar):
    """Says plainly that this is the demo, with the way back."""

    back_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("demoBanner", parent)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.label.setText(
            "<b>Demo journal.</b> These entries are made up, to show what a journal of a few years looks like. "
            "Nothing here touches your own journal."
        )
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.back_button = QPushButton("Back to My journal", self)
        self.back_button.setObjectName("backToMine")
        self.row.addWidget(self.back_button)
        self.back_button.clicked.connect(self.back_clicked)
        self.hide()


class EvidenceBanner(_Bar):
    """"Showing 12 entries behind: <sentence> — Back to patterns · Back to all" above a filtered list."""

    back_to_patterns = Signal()
    back_to_all = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("evidenceBanner", parent)
        self.setAccessibleName("Entries behind a pattern")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.patterns_button = QPushButton("Back to patterns", self)
        self.patterns_button.setObjectName("backToPatterns")
        self.all_button = QPushButton("Back to all", self)
        self.all_button.setObjectName("backToAll")
        self.all_button.setAccessibleDescription("Show every entry again")
        for button in (self.patterns_button, self.all_button):
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            self.row.addWidget(button)
        self.patterns_button.clicked.connect(self.back_to_patterns)
        self.all_button.clicked.connect(self.back_to_all)
        self.about = ""
        self.hide()

    def show_for(self, count: int | None, about: str) -> None:
        """``count`` None while the entries are still being looked up."""
        self.about = about
        if count is None:
            self.label.setText(f"Looking up the entries behind: {about}")
        else:
            what = "1 entry" if count == 1 else f"{count:,} entries"
            self.label.setText(f"Showing {what} behind: {about}")
        self.label.setToolTip(about)
        self.show()


class ConflictBar(_Bar):
    """On an entry that changed both here and in the team folder: which version to keep."""

    keep_mine_clicked = Signal()
    take_folder_clicked = Signal()
    compare_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("conflictBar", parent)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.setAccessibleName("Sync conflict")
        self.compare_button = QPushButton("Compare…", self)
        self.compare_button.setObjectName("compareVersions")
        self.compare_button.setAccessibleDescription("Show what differs between the two versions, field by field")
        self.compare_button.clicked.connect(self.compare_clicked)
        self.keep_button = QPushButton("Keep mine", self)
        self.keep_button.setObjectName("keepMine")
        self.keep_button.setAccessibleDescription("Keep this journal's version; the folder gets it at the next sync")
        self.take_button = QPushButton("Take the folder's version", self)
        self.take_button.setObjectName("takeFolder")
        self.take_button.setAccessibleDescription("Show the team folder's version; yours is kept as a separate draft")
        self.keep_button.clicked.connect(self.keep_mine_clicked)
        self.take_button.clicked.connect(self.take_folder_clicked)
        # The buttons go under the text: beside it, a narrow editor squeezed the text to a column.
        self.row.removeWidget(self.label)
        column = QVBoxLayout()
        column.addWidget(self.label)
        buttons = QHBoxLayout()
        for button in (self.compare_button, self.keep_button, self.take_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.row.addLayout(column, 1)
        self.hide()

    def show_for(self, other_file: str) -> None:
        self.label.setText(
            "This entry changed both here and in the team folder since the last sync. "
            f"You see this journal's version; the folder's is in {other_file}."
        )
        self.show()
