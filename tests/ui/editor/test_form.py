"""The form shows every §2 field and gives back exactly what it was given, plus what the user changed."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QTextBrowser,
    QWidget,
)
from pytestqt.qtbot import QtBot

from journal.model import PostMortem, RecoveryStep
from tests.ui.show_editor import sample_entry
from ui.editor.form import EntryForm, focusable_in_order

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support")


@pytest.fixture
def form(qtbot: QtBot) -> EntryForm:
    widget = EntryForm()
    qtbot.addWidget(widget)
    widget.resize(900, 2400)
    widget.show()
    return widget


def test_a_loaded_entry_comes_back_unchanged(form: EntryForm, qtbot: QtBot) -> None:
    entry = sample_entry()
    with qtbot.assertNotEmitted(form.changed):
        form.set_entry(entry)
    collected, problems = form.collect(entry, is_new=False)
    assert problems == {}
    assert collected == entry


def test_a_blank_entry_comes_back_unchanged(form: EntryForm) -> None:
    entry = PostMortem(title="Only a title")
    form.set_entry(entry)
    assert form.collect(entry, is_new=False)[0] == entry


def test_role_changes_the_wording(form: EntryForm, qtbot: QtBot) -> None:
    form.set_entry(sample_entry())
    assert form.client.accessibleName() == "Client"
    with qtbot.waitSignal(form.changed):
        qtbot.mouseClick(form.receiver_button, Qt.MouseButton.LeftButton)
    assert form.role() == "receiver"
    assert form.maker_button.isChecked() is False
    assert form.client.accessibleName() == "Provider"
    assert form.wished_for.label.text() == "What would have made it right for me"
    assert form.offered.label.text() == "What they offered me"
    form.set_role("maker")
    assert form.wished_for.label.text() == "What they wished for"


def test_new_entry_without_title_is_not_savable(form: EntryForm) -> None:
    base = PostMortem(title="")
    form.set_entry(base)
    form.what_happened.edit.setPlainText("The export ran twice")
    pm, problems = form.collect(base, is_new=True)
    assert pm is None
    assert "title" in problems
    assert form.title_message.isVisible()
    pm, _ = form.collect(base, is_new=True, fallback_title="Untitled draft")
    assert pm is not None
    assert pm.title == "Untitled draft"
    assert pm.what_happened == "The export ran twice"


def test_bad_numbers_keep_the_last_good_value_and_the_typed_text(form: EntryForm, qtbot: QtBot) -> None:
    entry = sample_entry()
    form.set_entry(entry)
    form.cost.selectAll()
    qtbot.keyClicks(form.cost, "a lot")
    form.hours.setText("2,5")
    pm, problems = form.collect(entry, is_new=False)
    assert pm is not None
    assert pm.breadsticks.cost == entry.breadsticks.cost
    assert pm.breadsticks.hours == 2.5
    assert problems["breadsticks"] == ["The cost should be a number like 40 or 12.50; “a lot” is kept on screen."]
    assert form.breadsticks_message.isVisible()
    assert form.cost.text() == "a lot"
    form.cost.setText("-3")
    assert "breadsticks" in form.collect(entry, is_new=False)[1]


def test_feelings_recovery_and_lessons_through_the_widgets(form: EntryForm, qtbot: QtBot) -> None:
    base = PostMortem(title="Missed the kickoff call")
    form.set_entry(base)
    row = form.feelings.add_row()
    assert row.name.hasFocus() or not form.isActiveWindow()
    qtbot.keyClicks(row.name, "flustered")
    row.who.setCurrentIndex(row.who.findData("them"))
    row.intensity.setValue(5)
    row.now.setCurrentIndex(row.now.findData(2))
    blank = form.feelings.add_row()
    blank.intensity.setValue(4)  # touched but unnamed: kept on screen, not saved, and said so
    step = form.recovery["apology"]
    step.state.setCurrentIndex(step.state.findData("skipped"))
    qtbot.keyClicks(step.note, "They hung up before I could")
    lesson = form.lessons.add_row()
    qtbot.keyClicks(lesson.edit, "Confirm the call time the day before")
    form.lessons.add_row()  # an empty lesson is simply not saved
    pm, problems = form.collect(base, is_new=False)
    assert pm is not None
    assert [(e.who, e.name, e.intensity, e.intensity_now) for e in pm.emotions] == [("them", "flustered", 5, 2)]
    assert problems["feelings"] == ["Feeling 2 needs a word before it is kept."]
    assert pm.recovery["apology"] == RecoveryStep("skipped", "They hung up before I could")
    assert pm.recovery["correction"] == RecoveryStep()
    assert pm.lessons == ["Confirm the call time the day before"]
    qtbot.mouseClick(lesson.remove, Qt.MouseButton.LeftButton)
    assert form.collect(base, is_new=False)[0].lessons == []  # type: ignore[union-attr]


def test_review_notes_are_stamped_when_started(form: EntryForm, qtbot: QtBot) -> None:
    base = PostMortem(title="Late delivery")
    form.set_entry(base)
    note = form.review_notes.add_row()
    qtbot.keyClicks(note.author, "Mina")
    qtbot.keyClicks(note.text, "Agreed to pair on the next delivery")
    form.review_notes.add_row()  # blank: not saved
    pm, _ = form.collect(base, is_new=False)
    assert pm is not None
    [saved] = pm.review_notes
    assert (saved.author, saved.text) == ("Mina", "Agreed to pair on the next delivery")
    assert saved.written_at.endswith("Z")
    again, _ = form.collect(base, is_new=False)
    assert again is not None and again.review_notes == [saved]  # same id and time on every save


def test_nul_characters_never_reach_the_store(form: EntryForm) -> None:
    base = PostMortem(title="Paste from a PDF")
    form.set_entry(base)
    form.what_happened.edit.setPlainText("before\x00after")
    pm, _ = form.collect(base, is_new=False)
    assert pm is not None
    assert "\x00" not in pm.what_happened
    PostMortem.from_dict(pm.to_dict())  # the store's validation accepts it


def test_every_control_has_an_accessible_name(form: EntryForm) -> None:
    form.set_entry(sample_entry())
    kinds = (QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox, QAbstractButton, QTableView, QTextBrowser)
    controls = [
        w for w in form.findChildren(QWidget)
        if isinstance(w, kinds) and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and not isinstance(w.parent(), QAbstractSpinBox | QComboBox)  # their inner line edits
    ]
    assert len(controls) > 60
    assert [w for w in controls if not w.accessibleName()] == []


def test_tab_order_follows_the_page_including_added_rows(form: EntryForm, qtbot: QtBot) -> None:
    form.set_entry(replace(sample_entry(), lessons=["first"]))
    form.lessons.add_row()
    rows = form.lessons.rows()
    qtbot.waitUntil(lambda: rows[1].remove.isVisible())  # Qt shows widgets added to a shown parent a moment later

    def next_focusable(widget: QWidget) -> QWidget:
        """Where Tab goes from ``widget``: the next focusable widget, skipping inner parts of spin boxes."""
        nxt = widget.nextInFocusChain()
        while (
            not (nxt.focusPolicy() & Qt.FocusPolicy.TabFocus)
            or not nxt.isVisibleTo(form)
            or isinstance(nxt.parent(), QAbstractSpinBox | QComboBox)
        ):
            nxt = nxt.nextInFocusChain()
        return nxt

    assert next_focusable(form.title) is form.occurred_on
    assert next_focusable(form.occurred_on) is form.maker_button
    assert next_focusable(rows[0].edit) is rows[0].remove
    assert next_focusable(rows[0].remove) is rows[1].edit  # the added row, not the end of the form
    assert next_focusable(rows[1].remove) is form.lessons.add_button
    order = focusable_in_order(form._layout)
    assert order.index(form.what_happened.edit) < order.index(form.causes.chip("handoff")) < order.index(
        form.feelings.add_button) < order.index(form.follow_ups.add_button) < order.index(form.satisfaction)


def test_a_pasted_multi_line_title_becomes_one_line(form: EntryForm) -> None:
    base = PostMortem(title="Before")
    form.set_entry(base)
    form.title.setText("Order shipped twice\r\nto the old address")
    pm, problems = form.collect(base, is_new=False)
    assert pm is not None and problems == {}
    assert pm.title == "Order shipped twice to the old address"
    PostMortem.from_dict(pm.to_dict())


def test_a_long_title_is_shown_from_its_start(form: EntryForm) -> None:
    entry = replace(sample_entry(), title="Missed date on the regional payroll run " + "x" * 150)
    form.set_entry(entry)
    assert form.title.cursorPosition() == 0


def test_hours_to_first_reply_next_to_the_response(form: EntryForm, qtbot: QtBot) -> None:
    entry = replace(sample_entry(), first_response_hours=26.5)
    form.set_entry(entry)
    assert form.first_response.text() == "26.5"
    assert form.first_response.accessibleName() == "Hours to first reply"
    form.first_response.clear()
    with qtbot.waitSignal(form.changed):
        qtbot.keyClicks(form.first_response, "4")
    pm, problems = form.collect(entry, is_new=False)
    assert pm is not None and pm.first_response_hours == 4.0 and problems == {}
    form.first_response.clear()
    pm, _ = form.collect(entry, is_new=False)
    assert pm is not None and pm.first_response_hours is None  # empty: not known
    qtbot.keyClicks(form.first_response, "soon")
    pm, problems = form.collect(entry, is_new=False)
    assert pm is not None and pm.first_response_hours == 26.5  # the last good value until it is fixed
    assert "“soon” is kept on screen" in problems["first_response"][0]
    assert form.first_response_message.isVisible() and form.first_response.text() == "soon"
