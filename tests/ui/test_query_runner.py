"""Searches run on a worker thread; only the newest result is delivered."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from journal.store import Store
from tests.ui.conftest import add
from ui.query_runner import ListQuery, QueryRunner, SearchResult


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
