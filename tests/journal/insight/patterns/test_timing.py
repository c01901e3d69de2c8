"""When mistakes happen: a rising share of your own, a weekday that stands out, a rush after a break."""

from __future__ import annotations

import datetime as dt
import re

from journal.store import Store
from tests.journal.insight.patterns.planting import kinds, pm, spread_days


def test_role_balance_reports_a_rising_share_of_own_mistakes(store: Store) -> None:
    early = [pm(day, "maker" if i % 4 == 0 else "receiver") for i, day in enumerate(spread_days(60, "2024-01-01", 3))]
    late = [pm(day, "maker" if i % 5 else "receiver") for i, day in enumerate(spread_days(60, "2024-07-01", 3))]
    store.insert_many(early + late)
    [found] = kinds(store)["role_balance"]
    assert re.search(r"rose from 2\d% \(January 2024 .*\) to 8\d% ", found.sentence), found.sentence


def test_weekday_cluster_needs_a_real_excess(store: Store) -> None:
    store.insert_many([pm(day) for day in spread_days(70)])  # ten of every weekday
    assert "weekday_cluster" not in kinds(store)
    mondays = [d for d in spread_days(140, "2024-01-01") if dt.date.fromisoformat(d).weekday() == 0]
    store.insert_many([pm(day) for day in mondays[:15]])
    [found] = kinds(store)["weekday_cluster"]
    assert found.sentence.startswith("Mondays stand out")


def test_after_break_cluster(store: Store) -> None:
    steady = [pm(day) for day in spread_days(40, "2024-09-01", 2)]  # one entry every other day
    after = [pm(day) for day in spread_days(14, "2025-01-05") for _ in range(2)]  # then a rush after the break
    store.insert_many(steady + after)
    [found] = kinds(store)["after_break"]
    assert "two weeks after your break" in found.sentence


def test_no_after_break_claim_for_a_steady_journal_with_gaps(store: Store) -> None:
    store.insert_many([pm(day) for day in spread_days(20, "2024-01-01", 12)])
    assert "after_break" not in kinds(store)
