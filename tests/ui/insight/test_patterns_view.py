"""The Patterns view: computed off the GUI thread, honest on an empty journal, clickable evidence."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from journal import demo
from journal.insight import patterns
from journal.model import PostMortem
from journal.store import Store
from ui.insight.patterns_view import PatternsView


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("view") / "demo.hindsight"
    with Store.open(path) as store:
        demo.populate(store, entries=600, seed=11, today=dt.date(2025, 11, 20))
    return path


def _view(qtbot: QtBot, path: Path) -> PatternsView:
    view = PatternsView(path, today="2025-11-20")
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.finished, timeout=20000):
        view.refresh()
    return view


def test_an_empty_journal_says_not_enough_entries(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "empty.hindsight"
    Store.open(path).close()
    view = _view(qtbot, path)
    assert "Not enough entries yet to see patterns — 5 more entries" in view.status.text()
    assert view.cards() == [] and view.chart_widgets() == []


def test_cards_are_ordered_by_strength_and_charts_drawn(qtbot: QtBot, demo_path: Path) -> None:
    view = _view(qtbot, demo_path)
    strengths = [card.pattern.strength for card in view.cards()]
    assert len(strengths) >= 10 and strengths == sorted(strengths, reverse=True)
    titles = {chart.chart.title for chart in view.chart_widgets()}
    assert {"Post-mortems per month", "Top causes", "Recovery steps you skipped", "Follow-ups"} <= titles
    for chart in view.chart_widgets():
        assert not chart.render_image(360).isNull()


def test_clicking_a_card_or_a_bar_requests_its_evidence(qtbot: QtBot, demo_path: Path) -> None:
    view = _view(qtbot, demo_path)
    card = view.cards()[0]
    with qtbot.waitSignal(view.evidence_requested) as blocker:
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert blocker.args == [card.pattern.evidence]
    causes = next(c for c in view.chart_widgets() if c.chart.key == "causes")
    causes.resize(400, causes.height())
    segment = causes.segments()[0]
    with qtbot.waitSignal(view.evidence_requested) as blocker:
        qtbot.mouseClick(causes, Qt.MouseButton.LeftButton, pos=segment.rect.center().toPoint())
    assert blocker.args == [causes.chart.bars[0].evidence[0]]


def test_a_stale_result_is_dropped(qtbot: QtBot, demo_path: Path) -> None:
    view = PatternsView(demo_path, today="2025-11-20")
    qtbot.addWidget(view)
    view.refresh()
    with qtbot.waitSignal(view.finished, timeout=20000):
        view.period.setCurrentIndex(2)  # a newer request: only its result is shown
    assert view.report is not None and view.report.period == view.period.currentData() == "90d"
    assert "in the last 90 days" in " ".join(c.pattern.sentence for c in view.cards())


def test_a_two_entry_journal_explains_what_it_will_show_and_when(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "two.hindsight"
    with Store.open(path) as store:
        store.insert_many([PostMortem(title=f"Entry {i}", occurred_on="2025-11-0" + str(i + 1)) for i in range(2)])
    view = _view(qtbot, path)
    text = view.status.text()
    assert text.startswith("Not enough entries yet to see patterns — 3 more entries")
    assert "From 5 entries" in text and "from 30 entries" in text and view.cards() == []


def test_an_eight_entry_journal_shows_counts_and_says_they_are_counts(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "eight.hindsight"
    with Store.open(path) as store:
        store.insert_many([PostMortem(title=f"Entry {i}", occurred_on=f"2025-10-{i + 10}", role="maker",
                                      client="Northwind" if i < 4 else f"Client {i}") for i in range(8)])
    view = _view(qtbot, path)
    sentences = [card.pattern.sentence for card in view.cards()]
    assert any(s.startswith("Northwind is the client in 4 of the 8 mistakes you made") and
               "a count, too few entries yet to test" in s for s in sentences), sentences
    assert "plain counts" in view.status.text()


def test_an_analysis_that_fails_says_so_instead_of_looking_for_ever(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.hindsight"
    Store.open(path).close()

    def locked(*args: object) -> list[object]:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(patterns, "analyse", locked)
    view = _view(qtbot, path)  # finishes: the error comes back
    text = view.status.text()
    assert text.startswith("Patterns could not be computed: something went wrong")
    assert "database is locked" in text and "Looking for patterns" not in text
    assert view.cards() == []
