"""The message boxes for a journal that cannot be used: refused, or not there (asked by ``Dialogs``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QPushButton, QWidget

from journal.store import JournalError
from ui.shell.journal_dialogs import CREATE_HERE, CREATE_NEW, GIVE_UP, OPEN_OTHER, explain


class _JournalQuestion(QMessageBox):
    """What both questions share: the title, a way out (Quit at start, Cancel later), an answer per button."""

    def __init__(self, icon: QMessageBox.Icon, heading: str, text: str, *, startup: bool,
                 parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setIcon(icon)
        self.setWindowTitle("Hindsight")
        self.setText(heading)
        self.setInformativeText(text)
        self._answers: list[tuple[QAbstractButton, str]] = []
        self.give_up_button = self.addButton("Quit" if startup else "Cancel", QMessageBox.ButtonRole.RejectRole)
        self.setEscapeButton(self.give_up_button)

    def _offer(self, label: str, role: QMessageBox.ButtonRole, answer: str) -> QPushButton:
        button = self.addButton(label, role)
        self._answers.append((button, answer))
        return button

    def choice(self) -> str:
        clicked = self.clickedButton()
        return next((answer for button, answer in self._answers if button is clicked), GIVE_UP)


class BadJournalDialog(_JournalQuestion):
    """What is wrong, that nothing was changed, and what to do next."""

    def __init__(self, error: JournalError, *, startup: bool, parent: QWidget | None = None) -> None:
        heading, sentence = explain(error)
        super().__init__(QMessageBox.Icon.Warning, heading, f"{sentence}\n\nHindsight did not change this file.",
                         startup=startup, parent=parent)
        self.open_button = self._offer("Open another journal…", QMessageBox.ButtonRole.AcceptRole, OPEN_OTHER)
        self.create_button = self._offer("Create a new journal…", QMessageBox.ButtonRole.ActionRole, CREATE_NEW)
        self.setDefaultButton(self.open_button)


class MissingJournalDialog(_JournalQuestion):
    """No journal at the path asked for (a typo, a moved file, an empty file): create one there only if asked."""

    def __init__(self, path: Path, *, startup: bool, parent: QWidget | None = None) -> None:
        what = "is an empty file" if path.is_file() else "does not exist"
        super().__init__(QMessageBox.Icon.Question, "There is no journal here yet",
                         f"{path} {what}.\n\nCreate a new journal there, or open another one?",
                         startup=startup, parent=parent)
        self.create_button = self._offer("Create journal", QMessageBox.ButtonRole.AcceptRole, CREATE_HERE)
        self.open_button = self._offer("Open another journal…", QMessageBox.ButtonRole.ActionRole, OPEN_OTHER)
        self.setDefaultButton(self.create_button)
