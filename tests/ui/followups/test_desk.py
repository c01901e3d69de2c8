"""The Follow-ups desk as a person uses it: groups, actions in place, keys, filters."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from journal.model import FollowUp, PostMortem
from journal.store import Store
from ui.followups.desk import ITEM_ROLE, KIND_ROLE, DeskDialogs, FollowUpsDesk

TODAY = "2025-06-10"
ENTRY_A = "11111111-0000-4000-8000-000000000001"
ENTRY_B = "22222222-0000-4000-8000-000000000002"


class ScriptedDialogs(DeskDialogs):
    def __init__(self) -> None:
        self.dates: list[str | None] = []
        self.texts: list[str | None] = []
        self.asked: list[str] = []

    def date(self, parent: QWidget, title: str, label: str, start: str) -> str | None:
        self.asked.append(title)
        return self.dates.pop(0)

    def text(self, parent: QWidget, title: str, label: str) -> str | None:
        self.asked.append(title)
        return self.texts.pop(0)

    def save_path(self, parent: QWidget) -> str | None:
        return self.texts.pop(0)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    a = PostMortem.from_dict({"title": "Invoice sent twice", "role": "maker", "client": "Acme", "id": ENTRY_A})
    a.follow_ups = [
        FollowUp(id="aaaa1111", text="Call the billing team", owner="Sam", due_on="2025-06-07"),
        FollowUp(id="bbbb2222", text="Add a duplicate check", owner="me", due_on="2025-06-11"),
    ]
    b = PostMortem.from_dict({"title": "Courier went astray", "role": "maker", "client": "Globex", "id": ENTRY_B})
    b.follow_ups = [
        FollowUp(id="cccc3333", text="Update the address book", owner="Ana"),
        FollowUp(id="dddd4444", text="Move the depot", status="done", done_on="2025-05-01", check_on="2025-06-09"),
    ]
    with Store.open(tmp_path / "desk.hindsight") as opened:
        opened.insert_many([a, b])
        yield opened


@pytest.fixture
def dialogs() -> ScriptedDialogs:
    return ScriptedDialogs()


@pytest.fixture
def desk(qtbot: QtBot, store: Store, dialogs: ScriptedDialogs) -> FollowUpsDesk:
    widget = FollowUpsDesk(store, dialogs=dialogs, today=lambda: TODAY)
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown(desk: FollowUpsDesk) -> list[str]:
    """The rows as read on screen: headings and "action | due"."""
    model = desk.model
    out = []
    for row in range(model.rowCount()):
        first = model.data(model.index(row, 0))
        if model.data(model.index(row, 0), KIND_ROLE) == "item":
            out.append(f"{first} | {model.data(model.index(row, 2))}")
        else:
            out.append(str(first))
    return out


def select(desk: FollowUpsDesk, follow_up_id: str) -> None:
    assert desk.select(follow_up_id)
    desk.view.setFocus()


def test_groups_read_as_a_person_expects(desk: FollowUpsDesk, qtmodeltester: object) -> None:
    qtmodeltester.check(desk.model)  # type: ignore[attr-defined]
    assert shown(desk) == [
        "Overdue · 1", "Call the billing team | 3 days overdue",
        "Due this week · 1", "Add a duplicate check | due tomorrow",
        "No date · 1", "Update the address book | no date",
        "Checks due · 1", "Move the depot | check due 1 day ago",
    ]
    row = desk.model.rows_of("aaaa1111")[0]
    assert desk.model.data(desk.model.index(row, 3)) == "Invoice sent twice"
    assert desk.model.data(desk.model.index(row, 4)) == "Acme"
    assert desk.current_item() is not None and desk.current_item().id == "aaaa1111"  # type: ignore[union-attr]


def test_d_marks_the_selected_one_done_and_hands_on_the_change(
    qtbot: QtBot, desk: FollowUpsDesk, store: Store
) -> None:
    select(desk, "aaaa1111")
    with qtbot.waitSignal(desk.changed) as blocker:
        qtbot.keyClick(desk.view, Qt.Key.Key_D)
    assert blocker.args[0].updated == (ENTRY_A,)
    saved = store.get(ENTRY_A).follow_ups[0]
    assert (saved.status, saved.done_on) == ("done", TODAY)
    assert "Call the billing team | 3 days overdue" not in shown(desk)
    assert desk.current_item() is not None  # the cursor stays on a neighbour, ready for the next key


def test_new_date_and_done_on_ask_for_a_date(
    qtbot: QtBot, desk: FollowUpsDesk, store: Store, dialogs: ScriptedDialogs
) -> None:
    select(desk, "aaaa1111")
    dialogs.dates = ["2025-06-20"]
    with qtbot.waitSignal(desk.changed):
        qtbot.keyClick(desk.view, Qt.Key.Key_N)
    assert store.get(ENTRY_A).follow_ups[0].due_on == "2025-06-20"
    assert "Call the billing team | due in 10 days" in shown(desk)
    dialogs.dates = [None]  # cancelled: nothing changes
    with qtbot.assertNotEmitted(desk.changed):
        select(desk, "aaaa1111")
        qtbot.keyClick(desk.view, Qt.Key.Key_D, Qt.KeyboardModifier.ShiftModifier)
    assert store.get(ENTRY_A).follow_ups[0].status == "open"


def test_drop_keeps_it_struck_through_with_its_reason(
    qtbot: QtBot, desk: FollowUpsDesk, store: Store, dialogs: ScriptedDialogs
) -> None:
    select(desk, "cccc3333")
    dialogs.texts = ["Ana left the company"]
    with qtbot.waitSignal(desk.changed):
        qtbot.keyClick(desk.view, Qt.Key.Key_X)
    assert (store.get(ENTRY_B).follow_ups[0].status, store.get(ENTRY_B).follow_ups[0].note) == (
        "dropped", "Ana left the company"
    )
    assert "Update the address book | no date" not in shown(desk)
    desk.show_closed.setChecked(True)
    row = desk.model.rows_of("cccc3333")[0]
    font = desk.model.data(desk.model.index(row, 0), Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.strikeOut()
    assert "Ana left the company" in str(desk.model.data(desk.model.index(row, 0), Qt.ItemDataRole.ToolTipRole))


def test_checks_are_answered_held_or_did_not_hold(
    qtbot: QtBot, desk: FollowUpsDesk, store: Store, dialogs: ScriptedDialogs
) -> None:
    select(desk, "aaaa1111")
    assert not desk.desk_actions["held"].isEnabled()  # not a check
    select(desk, "dddd4444")
    assert desk.desk_actions["held"].isEnabled()
    dialogs.texts = ["Parcels went to the old depot again"]
    with qtbot.waitSignal(desk.changed):
        qtbot.keyClick(desk.view, Qt.Key.Key_R)
    saved = store.get(ENTRY_B).follow_ups[1]
    assert (saved.check_result, saved.note) == ("recurred", "Parcels went to the old depot again")
    assert not any(line.startswith("Checks due") for line in shown(desk))


def test_enter_opens_the_entry(qtbot: QtBot, desk: FollowUpsDesk) -> None:
    select(desk, "bbbb2222")
    with qtbot.waitSignal(desk.open_requested) as blocker:
        qtbot.keyClick(desk.view, Qt.Key.Key_Return)
    assert blocker.args == [ENTRY_A, "bbbb2222"]


def test_filters_by_owner_account_and_search(qtbot: QtBot, desk: FollowUpsDesk) -> None:
    desk.owner.setCurrentIndex(desk.owner.findData("Sam"))
    desk.owner.activated.emit(desk.owner.currentIndex())
    assert shown(desk) == ["Overdue · 1", "Call the billing team | 3 days overdue"]
    desk.owner.setCurrentIndex(0)
    desk.account.setCurrentIndex(desk.account.findData("Globex"))
    desk.account.activated.emit(desk.account.currentIndex())
    assert [line for line in shown(desk) if "|" in line] == [
        "Update the address book | no date", "Move the depot | check due 1 day ago"
    ]
    desk.account.setCurrentIndex(0)
    desk.search.setText('client:"Acme"')
    qtbot.keyClick(desk.search, Qt.Key.Key_Return)
    assert [line for line in shown(desk) if "|" in line] == [
        "Call the billing team | 3 days overdue", "Add a duplicate check | due tomorrow"
    ]
    desk.search.setText("nothing-matches-this ")
    assert desk.model.rowCount() == 0


def test_the_sidebar_count_follows_what_is_due(qtbot: QtBot, desk: FollowUpsDesk) -> None:
    select(desk, "aaaa1111")
    with qtbot.waitSignal(desk.counts_changed) as blocker:
        qtbot.keyClick(desk.view, Qt.Key.Key_D)
    assert blocker.args == [1]  # the check is still due


def test_export_to_calendar_writes_the_file(
    desk: FollowUpsDesk, dialogs: ScriptedDialogs, tmp_path: Path
) -> None:
    import icalendar

    out = tmp_path / "desk.ics"
    dialogs.texts = [str(out)]
    desk.export_button.click()
    todos = icalendar.Calendar.from_ical(out.read_bytes()).walk("VTODO")
    assert len(todos) == 3 and desk.message.text() == f"Wrote 3 to-dos to {out}"
    dialogs.texts = [str(tmp_path / "missing" / "x.ics")]
    desk.export_button.click()
    assert "does not exist" in desk.message.text()


def test_item_role_gives_the_core_item(desk: FollowUpsDesk) -> None:
    row = desk.model.rows_of("bbbb2222")[0]
    assert desk.model.data(desk.model.index(row, 0), ITEM_ROLE).entry_id == ENTRY_A
