"""Searches run on a worker thread; only the newest result is delivered."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from journal import demo
from journal import query as q
from journal.store import Store
from tests.ui.conftest import add
from ui.browse.query_runner import FIRST_PAGE, ListQuery, QueryRunner, SearchResult, _all_ids


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


def test_a_long_result_shows_its_first_page_first_then_every_id(qtbot: QtBot, tmp_path: Path) -> None:
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
        first, whole = got
        assert not first.complete and first.ids == every[:FIRST_PAGE]
        assert runner.busy is False and whole.complete and whole.ids == every
    finally:
        runner.stop()


def test_a_newer_search_stops_the_full_id_list_of_an_older_one(tmp_path: Path) -> None:
    path = tmp_path / "j.hindsight"
    with Store.open(path) as store:
        demo.populate(store, entries=3 * FIRST_PAGE, seed=3)
    with Store.open(path) as store:
        # The person typed another letter after this search began: it stops half way.
        assert _all_ids(store, ListQuery(""), q.parse(""), lambda: True) is None
        assert len(_all_ids(store, ListQuery(""), q.parse(""), lambda: False) or []) == 3 * FIRST_PAGE
