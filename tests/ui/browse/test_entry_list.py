"""The entry list model: ids only, Summary rows fetched lazily, changes applied row by row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from journal import demo
from journal.model import PostMortem
from journal.search import Searching
from journal.store import Store
from tests.ui.conftest import MakeWindow, add
from ui.browse.entry_list import COLUMNS, ID_ROLE, MORE, PAGE, EntryListModel, EntryListView, entries_text
from ui.browse.query_runner import FIRST_PAGE
from ui.shell.main_window import JournalPaths, MainWindow


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


def test_the_rest_of_a_result_is_appended_below_its_first_page(qtmodeltester: ModelTester, tmp_path: Path) -> None:
    with Store.open(tmp_path / "j.hindsight") as store:
        ids = [add(store, f"Entry {i}") for i in range(30)]
        model = EntryListModel(store)
        model.set_ids(ids[:10])
        qtmodeltester.check(model)
        resets: list[bool] = []
        model.modelReset.connect(lambda: resets.append(True))
        model.set_total(30)  # counted: placeholder rows below the first page
        assert model.rowCount() == 30 and model.ids() == ids[:10] and model.index(20, 1).data() == "…"
        model.add_page(5, ids[5:], last=True)  # a page that starts a little early: what is listed is left out
        assert model.ids() == ids and not resets  # appended: the view keeps its scroll and selection
        qtmodeltester.check(model)
        model.set_ids(list(reversed(ids)))
        assert model.ids() == list(reversed(ids)) and resets  # another order: shown afresh


def test_a_placeholder_shown_asks_for_the_ids_down_to_a_page_past_it(tmp_path: Path) -> None:
    with Store.open(tmp_path / "j.hindsight") as store:
        ids = [add(store, f"Entry {i}") for i in range(10)]
        model = EntryListModel(store)
        asked: list[tuple[int, int | None, str | None]] = []
        model.pager = lambda offset, limit, after: asked.append((offset, limit, after)) is None
        model.set_ids(ids[:4], total=2000)
        assert model.index(3, 1).data() == "Entry 3" and not asked  # loaded rows ask for nothing
        model.index(4, 1).data()
        model.index(5, 1).data()
        assert asked == [(0, 4 + MORE, ids[3])]  # once, from a little before the loaded ids end (OVERLAP)
        model.index(1999, 1).data()
        assert asked[-1] == (0, None, ids[3])  # the last rows: all the rest
        model.add_page(0, ids, last=True)
        assert model.rowCount() == 10 and model.ids() == ids  # fewer than counted: no row waits for ever


def test_a_long_result_lists_its_first_page_then_every_entry(
    qtbot: QtBot, make_window: MakeWindow, paths: JournalPaths
) -> None:
    with Store.open(paths.mine) as store:
        demo.populate(store, entries=3 * FIRST_PAGE, seed=5)
    window = make_window()
    view = window.view
    assert view is not None
    labels: list[str] = []
    view.runner.results.connect(lambda result: labels.append(view.search.count_label.text()))
    with qtbot.waitSignal(view.results_shown, timeout=10_000) as shown:
        view.search.set_text("role:maker")
    every = view.store.search_ids("role:maker")
    assert shown.args[0] == len(every) > FIRST_PAGE and view.model.ids() == every[:FIRST_PAGE]
    assert view.model.rowCount() == len(every)  # the rest are rows whose page comes when they are shown
    assert labels[0] == f"{FIRST_PAGE}+ entries…"
    assert view.search.count_label.text() == entries_text(len(every))


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


# --- when nothing is listed: the list area says why, and offers a way out ---------------------------------


def search_for(qtbot: QtBot, window: object, text: str) -> int:
    view = window.view  # type: ignore[attr-defined]
    with qtbot.waitSignal(view.results_shown, timeout=10_000) as shown:
        view.search.set_text(text)
    return int(shown.args[0])


def test_no_match_says_so_in_the_list_area_and_drops_the_last_filter(
    qtbot: QtBot, make_window: MakeWindow, paths: JournalPaths
) -> None:
    with Store.open(paths.mine) as store:
        add(store, "Invoice sent twice", status="open", tags=["billing"])
        add(store, "Invoice to the old address", status="resolved")
    window = make_window()
    window.show()
    view = window.view
    assert view is not None
    assert search_for(qtbot, window, "invoice status:open tag:travel") == 0
    message = view.list_message
    assert view.list_stack.currentWidget() is message and message.isVisible()
    assert message.text.text() == "No entries match “invoice status:open tag:travel”."
    assert message.action.isVisible() and message.action.text() == "Remove “tag:travel”"
    with qtbot.waitSignal(view.results_shown, timeout=10_000) as shown:
        qtbot.mouseClick(message.action, Qt.MouseButton.LeftButton)
    assert view.search.text == "invoice status:open"
    assert shown.args == [1]
    assert view.list_stack.currentWidget() is view.list_view  # the list is back, with its one match


def test_words_alone_offer_to_clear_the_search(qtbot: QtBot, make_window: MakeWindow, paths: JournalPaths) -> None:
    with Store.open(paths.mine) as store:
        add(store, "Invoice sent twice")
    window = make_window()
    window.show()
    view = window.view
    assert view is not None
    assert search_for(qtbot, window, "courier") == 0
    assert view.list_message.action.text() == "Clear the search"
    with qtbot.waitSignal(view.results_shown, timeout=10_000) as shown:
        qtbot.mouseClick(view.list_message.action, Qt.MouseButton.LeftButton)
    assert view.search.text == "" and shown.args == [1]


def test_a_query_of_only_punctuation_finds_nothing_and_says_why(
    qtbot: QtBot, make_window: MakeWindow, paths: JournalPaths
) -> None:
    with Store.open(paths.mine) as store:
        for n in range(3):
            add(store, f"Entry {n}")
    window = make_window()
    window.show()
    view = window.view
    assert view is not None
    assert search_for(qtbot, window, '"((*') == 0  # not every entry, as if all of them matched
    assert view.list_message.isVisible()
    assert view.list_message.text.text() == 'Nothing to search for in “"((*”: it has no letters or numbers.'
    assert view.search.count_label.text() == "No matches"


# --- a long list is loaded a page at a time as it is scrolled ----------------------------------------------


@pytest.fixture
def thousand(paths: JournalPaths) -> Path:
    with Store.open(paths.mine) as store:
        store.insert_many([
            PostMortem.from_dict({"title": f"Entry {i}", "role": ("maker", "receiver")[i % 2], "severity": 1 + i % 5,
                                  "occurred_on": f"20{10 + i % 15}-{1 + i % 12:02d}-{1 + i % 28:02d}"})
            for i in range(1000)
        ])
    return paths.mine


def shown_list(qtbot: QtBot, make_window: MakeWindow, journal: Path) -> tuple[MainWindow, EntryListView]:
    window = make_window(journal)
    window.resize(1024, 700)
    window.show()
    qtbot.waitExposed(window)
    assert window.view is not None
    return window, window.view.list_view


def test_scrolling_to_the_end_loads_every_entry_in_pages(qtbot: QtBot, make_window: MakeWindow, thousand: Path) -> None:
    window, view = shown_list(qtbot, make_window, thousand)
    model = window.view.model  # type: ignore[union-attr]
    pages: list[object] = []
    window.view.runner.pages.connect(pages.append)  # type: ignore[union-attr]
    assert model.rowCount() == 1000 and model.loaded == FIRST_PAGE  # the scroll bar is as long as the list
    bar = view.verticalScrollBar()
    while bar.value() < bar.maximum():
        bar.setValue(bar.value() + bar.pageStep())  # a turn of the wheel or a click below the handle
        view.viewport().repaint()  # painted at once, as between two turns of the wheel
        bottom = view.rowAt(view.viewport().height() - 1)
        bottom = 999 if bottom < 0 else bottom
        qtbot.waitUntil(lambda bottom=bottom: model.loaded > bottom, timeout=5_000)  # type: ignore[misc]
    with Store.open(thousand) as store:
        assert model.ids() == store.search_ids("")
    assert model.rowCount() == 1000 and len(pages) >= 3  # in pages, never all at once


def test_the_end_key_reaches_the_last_entry_and_opens_it(qtbot: QtBot, make_window: MakeWindow, thousand: Path) -> None:
    window, view = shown_list(qtbot, make_window, thousand)
    with Store.open(thousand) as store:
        last = store.search_ids("")[-1]
    view.setFocus()
    view.select_id(view.model().index(0, 0).data(ID_ROLE))
    with qtbot.waitSignal(view.activated_id, check_params_cb=lambda entry_id: entry_id == last, timeout=5_000):
        qtbot.keyClick(view, Qt.Key.Key_End)  # its page is asked for as the row is shown, then it opens
    assert view.currentIndex().row() == 999 and view.currentIndex().data(ID_ROLE) == last
    assert window.view.editor.current_id() == last  # type: ignore[union-attr]


def test_page_down_to_the_end_loads_the_pages_on_its_way(qtbot: QtBot, make_window: MakeWindow, thousand: Path) -> None:
    window, view = shown_list(qtbot, make_window, thousand)
    model = window.view.model  # type: ignore[union-attr]
    view.setFocus()
    view.select_id(model.id_at(0) or "")
    while view.currentIndex().row() < 999:
        qtbot.keyClick(view, Qt.Key.Key_PageDown)
        row = view.currentIndex().row()
        qtbot.waitUntil(lambda row=row: model.id_at(row) is not None, timeout=5_000)  # type: ignore[misc]
    assert model.loaded == 1000 and view.selected_ids() == [model.id_at(999)]


def test_select_all_selects_the_loaded_rows(qtbot: QtBot, make_window: MakeWindow, thousand: Path) -> None:
    window, view = shown_list(qtbot, make_window, thousand)
    model = window.view.model  # type: ignore[union-attr]
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert view.selected_ids() == model.ids() and len(model.ids()) == model.loaded < 1000


def test_a_broad_filter_is_counted_and_no_search_asks_for_every_id(
    qtbot: QtBot, make_window: MakeWindow, thousand: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int | None] = []
    search_ids = Searching.search_ids

    def watched(self: Searching, *args: Any, **kwargs: Any) -> list[str]:
        asked.append(kwargs.get("limit"))
        return search_ids(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Searching, "search_ids", watched)
    window, view = shown_list(qtbot, make_window, thousand)
    for text in ("severity:<=2", "role:maker", "entry", "e", ""):
        with qtbot.waitSignal(window.view.results_shown, timeout=10_000) as shown:  # type: ignore[union-attr]
            window.view.search.set_text(text)  # type: ignore[union-attr]
        with Store.open(thousand) as store:
            counted = store.count(text)
            assert shown.args[0] == view.model().rowCount() == counted == len(search_ids(store, text))
        assert window.view.search.count_label.text() == entries_text(counted)  # type: ignore[union-attr]
    assert asked and None not in asked  # the first page, then the pages the view shows: never every id
