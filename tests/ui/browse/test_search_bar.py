"""The search field waits for a pause in typing, and clearing is immediate."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ui.browse.search_bar import PLACEHOLDER, SearchBar


def test_typing_emits_once_after_the_pause(qtbot: QtBot) -> None:
    bar = SearchBar()
    qtbot.addWidget(bar)
    seen: list[str] = []
    bar.query_changed.connect(seen.append)
    with qtbot.waitSignal(bar.query_changed, timeout=2000):
        qtbot.keyClicks(bar.field, "invoice")
    assert seen == ["invoice"]


def test_enter_and_clear_do_not_wait(qtbot: QtBot) -> None:
    bar = SearchBar()
    qtbot.addWidget(bar)
    bar.field.setText("late")
    with qtbot.waitSignal(bar.query_changed, timeout=50) as blocker:
        qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert blocker.args == ["late"]
    with qtbot.waitSignal(bar.query_changed, timeout=50) as blocker:
        bar.clear()
    assert blocker.args == [""]


def test_the_field_is_named_for_assistive_tech(qtbot: QtBot) -> None:
    bar = SearchBar()
    qtbot.addWidget(bar)
    assert bar.field.accessibleName() == "Search entries"
    assert bar.field.isClearButtonEnabled()


def test_a_narrow_field_shows_a_short_hint_rather_than_a_cut_example(qtbot: QtBot) -> None:
    bar = SearchBar()
    qtbot.addWidget(bar)
    bar.resize(900, 30)
    bar.show()
    qtbot.waitExposed(bar)
    assert bar.field.placeholderText() == PLACEHOLDER
    bar.resize(300, 30)
    qtbot.waitUntil(lambda: bar.field.placeholderText() == "Search")
