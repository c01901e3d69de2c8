"""The first-run page: a calm welcome with two ways in."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QIcon, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

INTRO = (
    "Hindsight is a private journal for the times something went wrong at work — "
    "whether you made the mistake or it landed on you. Write down what happened, "
    "how it felt and how you made it right; later, the journal shows what keeps coming back."
)
DEMO_NOTE = "The demo journal lives in its own file, filled with made-up entries. Your journal stays yours."


def _fit_paragraph(label: QLabel, width: int) -> None:
    """A wrapped label centred in a layout gets too little height unless its width is fixed."""
    label.setFixedWidth(width)
    label.setMinimumHeight(label.heightForWidth(width))


class WelcomePage(QWidget):
    """Shown while the journal is empty."""

    write_clicked = Signal()
    demo_clicked = Signal()

    def __init__(self, app_icon: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.logo = QLabel(self)
        self.logo.setPixmap(app_icon.pixmap(72, 72))
        self.logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo.setAccessibleName("Hindsight")
        heading = QLabel("Welcome to Hindsight", self)
        font = QFont(heading.font())
        font.setPointSizeF(max(font.pointSizeF(), 9.0) * 1.7)
        heading.setFont(font)
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        intro.setAlignment(Qt.AlignmentFlag.AlignCenter)
        _fit_paragraph(intro, 520)
        self.write_button = QPushButton("Write your first post-mortem", self)
        self.write_button.setObjectName("writeFirst")
        self.write_button.setDefault(True)
        self.write_button.setAutoDefault(True)
        self.write_button.setMinimumHeight(36)
        self.write_button.setAccessibleDescription("Opens a blank post-mortem in the editor")
        self.demo_button = QPushButton("Explore a demo journal", self)
        self.demo_button.setObjectName("exploreDemo")
        self.demo_button.setMinimumHeight(36)
        self.demo_button.setAccessibleDescription("Opens a separate journal of made-up entries")
        note = QLabel(DEMO_NOTE, self)
        note.setWordWrap(True)
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        _fit_paragraph(note, 520)
        note.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted: it is only a remark

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.write_button)
        buttons.addSpacing(12)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)

        column = QVBoxLayout(self)
        column.addStretch(2)
        column.addWidget(self.logo)
        column.addSpacing(8)
        column.addWidget(heading)
        column.addSpacing(12)
        column.addWidget(intro, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addSpacing(24)
        column.addLayout(buttons)
        column.addSpacing(16)
        column.addWidget(note, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(3)

        self.write_button.clicked.connect(self.write_clicked)
        self.demo_button.clicked.connect(self.demo_clicked)
        self.setTabOrder(self.write_button, self.demo_button)
