"""Follow-ups: editable cards over a model that keeps what was typed and never saves a bad date."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QPalette
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from journal.model import CHECK_RESULTS, FOLLOW_UP_STATUSES, FollowUp, today
from ui.editor.followups_table import CHOICES, COLUMNS, FollowUpCards, FollowUpsModel
from ui.editor.form import focusable_in_order
from ui.theme import colors, is_dark, use_stylesheet

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support")

EDIT = Qt.ItemDataRole.EditRole


def column(name: str) -> int:
    return COLUMNS.index(name)


@pytest.fixture
def table(qtbot: QtBot) -> FollowUpCards:
    widget = FollowUpCards()
    qtbot.addWidget(widget)
    widget.resize(700, 300)
    widget.show()
    return widget


def test_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = FollowUpsModel()
    model.set_follow_ups([FollowUp(text="Call back", owner="Ana", due_on="2024-05-01"), FollowUp(text="Fix template")])
    qtmodeltester.check(model, force_py=True)
    # The tester stays connected and checks every change signal from here on.
    model.insertRows(1, 2)
    model.setData(model.index(1, column("text")), "Agree a review date", EDIT)
    model.setData(model.index(1, column("status")), "done", EDIT)
    model.removeRows(0, 1)
    model.set_follow_ups([])
    model.insertRows(0, 1)


def test_every_status_and_check_result_has_a_label() -> None:
    assert set(CHOICES["status"]) == set(FOLLOW_UP_STATUSES)
    assert set(CHOICES["check_result"]) == set(CHECK_RESULTS)


def test_edits_reach_the_rows_and_report(qtbot: QtBot) -> None:
    model = FollowUpsModel()
    with qtbot.waitSignal(model.edited):
        model.insertRows(0, 1)
    with qtbot.waitSignal(model.edited):
        assert model.setData(model.index(0, column("text")), "Send the corrected invoice", EDIT)
    model.setData(model.index(0, column("owner")), "  Ana ", EDIT)
    model.setData(model.index(0, column("due_on")), "2024-05-01", EDIT)
    assert not model.setData(model.index(0, column("status")), "finished", EDIT)  # not a status
    [row] = model.follow_ups()
    assert (row.text, row.owner, row.due_on, row.status) == ("Send the corrected invoice", "Ana", "2024-05-01", "open")
    assert model.data(model.index(0, column("status"))) == "Open"
    assert model.data(model.index(0, column("status")), EDIT) == "open"


def test_marking_done_fills_the_done_date() -> None:
    model = FollowUpsModel()
    model.set_follow_ups([FollowUp(text="Update the checklist")])
    model.setData(model.index(0, column("status")), "done", EDIT)
    assert model.follow_ups()[0].done_on == today()


def test_a_bad_date_is_kept_on_screen_but_not_saved() -> None:
    model = FollowUpsModel()
    saved = FollowUp(text="Review the handover notes", due_on="2024-06-01")
    model.set_follow_ups([saved])
    model.setData(model.index(0, column("due_on")), "next tuesday", EDIT)
    index = model.index(0, column("due_on"))
    assert model.data(index) == "next tuesday"
    assert "not a date like 2024-05-01" in model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert model.data(index, Qt.ItemDataRole.ForegroundRole) is not None
    good, problems = model.for_save({saved.id: saved})
    assert good[0].due_on == "2024-06-01"  # the last good value
    assert problems == ["Follow-up 1: “next tuesday” is not a date like 2024-05-01."]
    model.setData(index, "2024-13-01", EDIT)
    assert model.for_save({})[0][0].due_on == ""  # never saved before: empty until fixed


def test_rows_without_words_wait(qtbot: QtBot) -> None:
    model = FollowUpsModel()
    model.insertRows(0, 2)
    model.setData(model.index(1, column("owner")), "Ana", EDIT)
    good, problems = model.for_save({})
    assert good == []
    assert problems == ["Follow-up 2 needs a few words before it is kept."]  # the untouched row 1 is no problem
    assert model.rowCount() == 2  # nothing dropped from the table


def test_add_and_remove_buttons(table: FollowUpCards, qtbot: QtBot) -> None:
    with qtbot.waitSignal(table.changed):
        qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    assert table.model.rowCount() == 1
    [card] = table.cards()
    assert card.text.hasFocus() or not table.isActiveWindow()  # the new card opens for typing
    with qtbot.waitSignal(table.changed):
        qtbot.keyClicks(card.text, "Ask them how the fix is working")
    assert table.model.follow_ups()[0].text == "Ask them how the fix is working"
    with qtbot.waitSignal(table.changed):
        qtbot.mouseClick(card.remove, Qt.MouseButton.LeftButton)
    assert table.model.rowCount() == 0
    assert table.cards() == []


def test_a_card_edits_every_field_and_shows_the_check(table: FollowUpCards, qtbot: QtBot) -> None:
    table.model.set_follow_ups([FollowUp(text="Ship the fix")])
    [card] = table.cards()
    assert card.fields["check_result"].isVisibleTo(table)  # "Did it hold?" is on the card, not off-screen
    held = card.fields["check_result"]
    assert [held.itemData(i) for i in range(held.count())] == list(CHOICES["check_result"])  # type: ignore[union-attr]
    held.setCurrentIndex(held.findData("recurred"))  # type: ignore[union-attr]
    held.activated.emit(held.currentIndex())  # type: ignore[union-attr]
    assert table.model.follow_ups()[0].check_result == "recurred"
    qtbot.keyClicks(card.fields["owner"], "Ana ")
    assert table.model.follow_ups()[0].owner == "Ana"
    assert card.fields["owner"].text() == "Ana "  # what is typed is not rewritten under the cursor
    status = card.fields["status"]
    status.setCurrentIndex(status.findData("done"))  # type: ignore[union-attr]
    status.activated.emit(status.currentIndex())  # type: ignore[union-attr]
    assert card.fields["done_on"].text() == today()  # filled by the model, shown on the card
    assert card.fields["due_on"].placeholderText() == "YYYY-MM-DD"  # type: ignore[union-attr]
    qtbot.keyClicks(card.fields["due_on"], "soon")
    assert "not a date like 2024-05-01" in card.fields["due_on"].toolTip()


def test_a_long_action_wraps_and_the_card_grows(table: FollowUpCards, qtbot: QtBot) -> None:
    long_text = "Move the rate table into the CRM so every quote reads the same numbers " * 3
    table.model.set_follow_ups([FollowUp(text="Short"), FollowUp(text=long_text)])
    table.resize(420, 600)
    qtbot.waitUntil(lambda: table.cards()[1].text.height() > table.cards()[0].text.height())
    card = table.cards()[1]
    assert card.text.lines() >= 3
    qtbot.waitUntil(lambda: card.text.verticalScrollBar().maximum() == 0)  # read whole, no scrolling inside


def test_a_follow_up_without_owner_or_date_says_so_on_its_card(table: FollowUpCards) -> None:
    table.model.set_follow_ups([FollowUp(text="Call the office manager after the meeting")])
    [card] = table.cards()
    assert card.advice.isVisibleTo(table) and "owner" in card.advice.text()


def test_a_date_that_cannot_be_read_turns_red_in_the_editor_and_back_when_fixed(
    table: FollowUpCards, qtbot: QtBot
) -> None:
    use_stylesheet(table, "editor")  # as inside the entry editor
    table.model.set_follow_ups([FollowUp(text="Ship the fix", due_on="2024-05-01")])
    [card] = table.cards()
    due = card.fields["due_on"]

    def ink() -> str:
        return due.palette().color(QPalette.ColorRole.Text).name().upper()

    readable = ink()
    red = colors(is_dark(table.palette()))["date_problem"]
    assert readable != red
    due.clear()
    qtbot.keyClicks(due, "soon")
    assert ink() == red
    due.clear()
    qtbot.keyClicks(due, "2024-06-01")
    assert ink() == readable


def test_problems_are_shown_under_the_table(table: FollowUpCards) -> None:
    table.show_problems(["Follow-up 1: “soon” is not a date like 2024-05-01."])
    assert table.message.isVisible()
    table.show_problems([])
    assert not table.message.isVisible()


def test_invalid_indexes_are_refused() -> None:
    model = FollowUpsModel()
    assert not model.setData(QModelIndex(), "x", EDIT)
    assert not model.insertRows(5, 1)
    assert not model.removeRows(0, 1)


def test_tab_goes_through_a_card_from_its_words_to_remove(table: FollowUpCards) -> None:
    table.model.set_follow_ups([FollowUp(text="Ship the fix")])
    [card] = table.cards()
    layout = table.layout()
    assert layout is not None
    order = [w for w in focusable_in_order(layout) if card.isAncestorOf(w)]
    assert order == [card.text, *card.fields.values(), card.remove]
