"""Searches run on a worker thread; only the newest result is delivered."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from journal import demo
from journal.store import Store
from tests.ui.conftest import add
from ui.browse.query_runner import FIRST_PAGE, ListQuery, Page, QueryRunner, SearchResult, _interruptible


def test_only_the_latest_search_result_arrives(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "j.hindsight"
    with Store.open(path) as store:
        add(store, "Invoice late")
        add(store, "Wrong delivery")
    runner = QueryRunner(path)
    try:
        got: list[SearchResult] = []
        runner.results.connect(got.append)
        with qtbot.waitSignal(runner.results):
            runner.search(ListQuery("inv"))
            runner.search(ListQuery("deliv"))
        with qtbot.assertNotEmitted(runner.results, wait=100):  # the stale one is dropped
            pass
        assert [r.query.text for r in got] == ["deliv"]
        assert not runner.busy
        with qtbot.waitSignal(runner.counts) as blocker:
            runner.refresh_counts()
        assert blocker.args[0].statuses["all"] == 2
    finally:
        runner.stop()


def test_a_long_result_shows_its_first_page_first_then_its_count(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "j.hindsight"
    with Store.open(path) as store:
        demo.populate(store, entries=3 * FIRST_PAGE, seed=3)
        every = store.search_ids("")
    runner = QueryRunner(path)
    try:
        got: list[SearchResult] = []
        runner.results.connect(got.append)
        with qtbot.waitSignals([runner.results, runner.results]):
            runner.search(ListQuery(""))
        first, counted = got
        assert not first.complete and first.ids == every[:FIRST_PAGE] and first.total is None
        assert runner.busy is False and counted.complete and counted.total == len(every)
        assert counted.ids == first.ids  # no query gathers every id: later ones come in pages
    finally:
        runner.stop()


def test_a_newer_search_stops_the_count_of_an_older_one(tmp_path: Path) -> None:
    path = tmp_path / "j.hindsight"
    with Store.open(path) as store:
        demo.populate(store, entries=3 * FIRST_PAGE, seed=3)
    with Store.open(path) as store:
        # The person typed another letter after this search began: it stops half way.
        assert _interruptible(store, lambda: store.search_ids(""), lambda: True) is None
        assert _interruptible(store, lambda: store.count(""), lambda: False) == (3 * FIRST_PAGE,)


def counted(qtbot: QtBot, runner: QueryRunner, request: ListQuery) -> None:
    with qtbot.waitSignal(runner.results, check_params_cb=lambda result: result.complete):
        runner.search(request)


def test_a_page_of_the_shown_result_arrives_in_its_order(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "j.hindsight"
    with Store.open(path) as store:
        demo.populate(store, entries=3 * FIRST_PAGE, seed=3)
        every = store.search_ids("role:maker")
    runner = QueryRunner(path)
    try:
        counted(qtbot, runner, ListQuery("role:maker"))
        with qtbot.waitSignal(runner.pages) as got:
            assert runner.fetch(ListQuery("role:maker"), 50, 100)
        page: Page = got.args[0]
        assert page.ids == every[50:150] and page.offset == 50 and not page.last
        with qtbot.waitSignal(runner.pages) as got:
            assert runner.fetch(ListQuery("role:maker"), 100, None)  # all the rest
        assert got.args[0].ids == every[100:] and got.args[0].last
        assert not runner.fetch(ListQuery("role:receiver"), 0, 100)  # not the list's result: never asked
    finally:
        runner.stop()


def test_a_newer_search_drops_the_page_of_the_older_one(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "j.hindsight"
    with Store.open(path) as store:
        demo.populate(store, entries=3 * FIRST_PAGE, seed=3)
    runner = QueryRunner(path)
    try:
        counted(qtbot, runner, ListQuery(""))
        results: list[SearchResult] = []
        runner.results.connect(results.append)
        with qtbot.assertNotEmitted(runner.pages, wait=200), qtbot.waitSignal(runner.results):
            assert runner.fetch(ListQuery(""), FIRST_PAGE, None)
            runner.search(ListQuery("role:maker"))  # typed while the page was on its way
        assert [r.query.text for r in results] == ["role:maker"] * len(results)
        assert not runner.fetch(ListQuery(""), FIRST_PAGE, None)  # the old result is not shown any more
    finally:
        runner.stop()
