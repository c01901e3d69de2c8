"""The repeating parts of an entry: each row gives back what was typed, and the list adds and removes rows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from journal.model import RECOVERY_STATES, RECOVERY_STEPS, Emotion, RecoveryStep, ReviewNote
from ui.editor.rows import (
    RECOVERY_LABELS,
    RECOVERY_STATE_LABELS,
    EmotionRow,
    LessonRow,
    RecoveryRow,
    ReviewNoteRow,
    RowList,
    clean_text,
)

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support")


def test_invisible_nul_characters_are_dropped_and_the_rest_kept() -> None:
    assert clean_text("Acme\x00 Ltd") == "Acme Ltd"
    assert clean_text("  as typed  ") == "  as typed  "


def test_a_feeling_row_gives_back_the_feeling_it_shows(qtbot: QtBot) -> None:
    row = EmotionRow(Emotion(who="them", name="let down", intensity=4, intensity_now=2))
    qtbot.addWidget(row)
    assert row.value() == Emotion(who="them", name="let down", intensity=4, intensity_now=2)
    row.name.setText("  worried\x00 ")
    row.now.setCurrentIndex(row.now.findData(None))  # "not looked back yet"
    assert row.value() == Emotion(who="them", name="worried", intensity=4, intensity_now=None)


def test_a_lesson_row_trims_what_was_typed(qtbot: QtBot) -> None:
    row = LessonRow(" Date every rate card ")
    qtbot.addWidget(row)
    assert row.value() == "Date every rate card"


def test_a_review_note_keeps_its_id_and_time_and_says_when_it_was_written(qtbot: QtBot) -> None:
    note = ReviewNote(author="Sam", written_at="2024-05-02T14:30:00Z", text="Agree a checklist")
    row = ReviewNoteRow(note)
    qtbot.addWidget(row)
    assert row.written.text() == "written 2024-05-02 14:30 UTC"
    assert not row.is_blank()
    row.author.setText(" Ana ")
    assert row.value() == ReviewNote(id=note.id, author="Ana", written_at=note.written_at, text="Agree a checklist")
    row.author.clear()
    row.text.clear()
    assert row.is_blank()


def test_add_puts_the_cursor_in_the_new_row_and_remove_takes_it_away(qtbot: QtBot) -> None:
    rows: RowList[LessonRow] = RowList("Add a lesson", LessonRow)
    qtbot.addWidget(rows)
    rows.show()
    qtbot.waitExposed(rows)
    rows.activateWindow()
    with qtbot.waitSignals([rows.changed, rows.rows_changed]):
        qtbot.mouseClick(rows.add_button, Qt.MouseButton.LeftButton)
    [row] = rows.rows()
    qtbot.waitUntil(lambda: row.edit.hasFocus())
    with qtbot.waitSignal(rows.changed):
        qtbot.keyClicks(row.edit, "Ask twice")
    with qtbot.waitSignals([rows.changed, rows.rows_changed]):
        qtbot.mouseClick(row.remove, Qt.MouseButton.LeftButton)
    assert rows.rows() == []


def test_loading_rows_is_not_an_edit(qtbot: QtBot) -> None:
    rows: RowList[LessonRow] = RowList("Add a lesson", LessonRow)
    qtbot.addWidget(rows)
    with qtbot.assertNotEmitted(rows.changed), qtbot.waitSignal(rows.rows_changed):
        rows.set_rows([LessonRow("One"), LessonRow("Two")])
    assert [r.value() for r in rows.rows()] == ["One", "Two"]
    with qtbot.assertNotEmitted(rows.changed):
        rows.set_rows([LessonRow("Three")])
    assert [r.value() for r in rows.rows()] == ["Three"]


@pytest.mark.parametrize("state", RECOVERY_STATES)
def test_every_recovery_step_shows_and_gives_back_each_state(qtbot: QtBot, state: str) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    assert set(RECOVERY_LABELS) == set(RECOVERY_STEPS) and set(RECOVERY_STATE_LABELS) == set(RECOVERY_STATES)
    for step in RECOVERY_STEPS:
        row = RecoveryRow(step, holder)
        row.set_value(RecoveryStep(state=state, note="Called them the same day"))
        assert row.state.currentText() == RECOVERY_STATE_LABELS[state]
        assert row.value() == RecoveryStep(state=state, note="Called them the same day")
