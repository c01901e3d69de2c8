"""The numbers behind the Patterns view's charts: counts a person can check, with the entries behind each bar."""

from __future__ import annotations

from journal.insight import patterns
from journal.model import Breadsticks
from journal.store import Store
from tests.journal.insight.patterns.planting import TODAY, pm, spread_days


def test_a_journal_too_small_for_patterns_has_no_charts(store: Store) -> None:
    store.insert_many([pm(day, causes=["handoff"]) for day in spread_days(4)])
    assert patterns.charts(store, today=TODAY) == []


def test_each_bar_counts_its_entries_and_holds_them_as_evidence(store: Store) -> None:
    handoff = [pm(day, causes=["handoff"]) for day in spread_days(5, "2025-03-01")]
    tooling = [pm(day, "receiver", causes=["tooling"]) for day in spread_days(2, "2025-04-01")]
    store.insert_many(handoff + tooling)
    charts = {c.key: c for c in patterns.charts(store, today=TODAY)}
    causes = charts["causes"]
    assert [(b.label, b.values) for b in causes.bars] == [("handoff", [5]), ("tooling", [2])]
    assert set(causes.bars[0].evidence[0]) == {p.id for p in handoff}
    months = {b.label: b.values for b in charts["months"].bars}
    assert months == {"Mar 2025": [5, 0], "Apr 2025": [0, 2]}
    assert "breadsticks" not in charts  # no make-good was offered: no empty chart


def test_make_goods_are_counted_accepted_and_refused(store: Store) -> None:
    store.insert_many([pm(day, breadsticks=Breadsticks(kind="discount", accepted="yes")) for day in spread_days(3)]
                      + [pm(day, breadsticks=Breadsticks(kind="discount", accepted="no")) for day in spread_days(2)])
    [bar] = next(c for c in patterns.charts(store, today=TODAY) if c.key == "breadsticks").bars
    assert (bar.label, bar.values) == ("Discounts", [3, 2])
    assert [len(ids) for ids in bar.evidence] == [3, 2]
