"""The message boxes for a journal that cannot be used: what is wrong, that nothing was changed, the ways out."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from journal.store import NotAJournal
from ui.shell.journal_boxes import BadJournalDialog, MissingJournalDialog
from ui.shell.journal_dialogs import CREATE_HERE, CREATE_NEW, GIVE_UP


def test_the_real_dialog_says_what_is_wrong_and_offers_three_ways(qtbot: QtBot, tmp_path: Path) -> None:
    error = NotAJournal(f"{tmp_path}/notes.hindsight is not a Hindsight journal (it is not an SQLite database)")
    dialog = BadJournalDialog(error, startup=True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.text() == "This file is not a Hindsight journal"
    assert "did not change this file" in dialog.informativeText()
    labels = [b.text() for b in dialog.buttons()]
    assert {"Open another journal…", "Create a new journal…", "Quit"} <= set(labels)
    dialog.create_button.click()
    assert dialog.choice() == CREATE_NEW
    later = BadJournalDialog(error, startup=False)
    qtbot.addWidget(later)
    assert later.give_up_button.text() == "Cancel"
    later.show()
    later.give_up_button.click()
    assert later.choice() == GIVE_UP
    assert isinstance(dialog, QMessageBox)


def test_the_real_missing_journal_dialog_offers_create_open_and_quit(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = MissingJournalDialog(tmp_path / "typo.hindsight", startup=True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "does not exist" in dialog.informativeText() and "typo.hindsight" in dialog.informativeText()
    assert {b.text() for b in dialog.buttons()} >= {"Create journal", "Open another journal…", "Quit"}
    dialog.create_button.click()
    assert dialog.choice() == CREATE_HERE
    assert not (tmp_path / "typo.hindsight").exists()
