"""The entry list model: ids only, Summary rows fetched lazily, changes applied row by row."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from journal.store import Store
from tests.ui.conftest import MakeWindow, add
from ui.entry_list import COLUMNS, ID_ROLE, PAGE, EntryListModel, entries_text
from ui.main_window import JournalPaths


def test_model_passes_the_model_tester(qtmodeltester: ModelTester, tmp_path: Path) -> None:
    with Store.open(tmp_path / "j.hindsight") as store:
        ids = [add(store, f"Entry {i}", role=("maker", "receiver")[i % 2], client="Acme") for i in range(30)]
        model = EntryListModel(store)
        model.set_ids(ids)
        qtmodeltester.check(model)
        assert model.index(0, 1).data() == "Entry 0"
        assert model.index(1, 3).data(Qt.ItemDataRole.AccessibleTextRole) == "It landed on me"
        assert model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole) == "I made it"
        assert model.headerData(0, Qt.Orientation.Horizontal) == COLUMNS[0]


def test_rows_are_fetched_a_page_at_a_time_when_first_shown(tmp_path: Path) -> None:
    with Store.open(tmp_path / "j.hindsight") as store:
        ids = [add(store, f"Entry {i}") for i in range(3 * PAGE)]
        model = EntryListModel(store)
        model.set_ids(ids)
        assert model.materialised == 0
        assert model.index(5, 1).data() == "Entry 5"
        assert model.materialised == PAGE
        model.index(7, 2).data()
        assert model.materialised == PAGE  # cached
        assert model.index(2 * PAGE + 1, 1).data() == f"Entry {2 * PAGE + 1}"
        assert model.materialised == 2 * PAGE


def test_change_records_insert_refresh_and_remove_rows(qtbot: QtBot, tmp_path: Path) -> None:
    with Store.open(tmp_path / "j.hindsight") as store:
        ids = [add(store, f"Entry {i}") for i in range(5)]
        model = EntryListModel(store)
        model.set_ids(ids)
        new = add(store, "Brand new")
        with qtbot.waitSignal(model.rowsInserted):
            model.insert_ids([new], 0)
        assert model.index(0, 1).data() == "Brand new"
        pm = store.get(ids[2])
        pm.title = "Renamed"
        store.save(pm)
        with qtbot.waitSignal(model.dataChanged):
            pairs = model.refresh_ids([ids[2]])
        assert pairs[0][1] is not None and pairs[0][1].title == "Renamed"
        assert model.index(3, 1).data() == "Renamed"
        removed = model.remove_ids([ids[1], ids[3], ids[4]])
        assert [model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())] == [new, ids[0], ids[2]]
        model.insert_at(removed)
        assert model.ids() == [new, *ids]


def test_clicking_a_header_requeries_in_that_order(qtbot: QtBot, make_window: MakeWindow, paths: JournalPaths) -> None:
    with Store.open(paths.mine) as store:
        for title, date in (("Bravo", "2024-01-02"), ("Alpha", "2024-01-01"), ("Charlie", "2024-01-03")):
            add(store, title, occurred_on=date)
    window = make_window()
    window.show()
    assert window.view is not None
    view = window.view.list_view
    header = view.horizontalHeader()

    def titles() -> list[str]:
        return [view.model().index(r, 1).data() for r in range(view.model().rowCount())]

    def click_header(column: int) -> None:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))

    assert titles() == ["Charlie", "Bravo", "Alpha"]  # newest first
    with qtbot.waitSignal(window.list_updated):
        click_header(1)
    first = titles()
    with qtbot.waitSignal(window.list_updated):
        click_header(1)
    assert sorted([first, titles()]) == [["Alpha", "Bravo", "Charlie"], ["Charlie", "Bravo", "Alpha"]]
    assert titles() != first


def test_a_100k_journal_opens_without_loading_100k_rows(
    qtbot: QtBot, make_window: MakeWindow, big_journal: Path
) -> None:
    window = make_window(big_journal)
    window.show()
    qtbot.waitExposed(window)
    assert window.view is not None
    model = window.view.model
    assert model.rowCount() == 100_000
    qtbot.waitUntil(lambda: model.materialised > 0)
    assert model.materialised <= 2 * PAGE
    assert window.view.search.count_label.text() == "100,000 entries"
    view = window.view.list_view
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.materialised > PAGE)
    assert model.materialised <= 4 * PAGE


def test_entries_text() -> None:
    assert entries_text(1) == "1 entry"
    assert entries_text(1234) == "1,234 entries"
