"""The message boxes for a journal that cannot be used: refused, or not there (asked by ``Dialogs``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from journal.store import JournalError
from ui.shell.journal_dialogs import CREATE_HERE, CREATE_NEW, GIVE_UP, OPEN_OTHER, explain


class BadJournalDialog(QMessageBox):
    """What is wrong, that nothing was changed, and what to do next."""

    def __init__(self, error: JournalError, *, startup: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading, sentence = explain(error)
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle("Hindsight")
        self.setText(heading)
        self.setInformativeText(f"{sentence}\n\nHindsight did not change this file.")
        self.open_button = self.addButton("Open another journal…", QMessageBox.ButtonRole.AcceptRole)
        self.create_button = self.addButton("Create a new journal…", QMessageBox.ButtonRole.ActionRole)
        self.give_up_button = self.addButton("Quit" if startup else "Cancel", QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.open_button)
        self.setEscapeButton(self.give_up_button)

    def choice(self) -> str:
        clicked = self.clickedButton()
        if clicked is self.open_button:
            return OPEN_OTHER
        if clicked is self.create_button:
            return CREATE_NEW
        return GIVE_UP


class MissingJournalDialog(QMessageBox):
    """No journal at the path asked for (a typo, a moved file, an empty file): create one there only if asked."""

    def __init__(self, path: Path, *, startup: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle("Hindsight")
        self.setText("There is no journal here yet")
        what = "is an empty file" if path.is_file() else "does not exist"
        self.setInformativeText(f"{path} {what}.\n\nCreate a new journal there, or open another one?")
        self.create_button = self.addButton("Create journal", QMessageBox.ButtonRole.AcceptRole)
        self.open_button = self.addButton("Open another journal…", QMessageBox.ButtonRole.ActionRole)
        self.give_up_button = self.addButton("Quit" if startup else "Cancel", QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.create_button)
        self.setEscapeButton(self.give_up_button)

    def choice(self) -> str:
        clicked = self.clickedButton()
        if clicked is self.create_button:
            return CREATE_HERE
        if clicked is self.open_button:
            return OPEN_OTHER
        return GIVE_UP
