"""The conflict dialog says what happened and maps each button to a choice."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from ui.conflict_dialog import KEEP_MINE, TAKE_THEIRS, Conflict, ask

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support")

CONFLICT = Conflict(
    title="Quote with old rates", my_revision=3, their_revision=4, their_updated_at="2024-05-01T09:30:00Z",
    their_title="Quote with old rates",
)


def answer_with(button_text: str, seen: list[str]) -> None:
    def click() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text() + "\n" + box.informativeText())
        [button] = [b for b in box.buttons() if b.text() == button_text]
        button.click()

    QTimer.singleShot(0, click)


@pytest.mark.parametrize(
    ("button", "choice"), [(KEEP_MINE, "mine"), (TAKE_THEIRS, "theirs"), ("Decide later", None)]
)
def test_each_button_is_a_choice(qtbot: QtBot, button: str, choice: str | None) -> None:
    seen: list[str] = []
    answer_with(button, seen)
    assert ask(None, CONFLICT) == choice
    [text] = seen
    assert "revision 3" in text and "revision 4" in text
    assert "2024-05-01 09:30:00 UTC" in text
    assert "Quote with old rates (my unsaved version)" in text
    assert "Quote with old rates (version saved elsewhere)" in text
