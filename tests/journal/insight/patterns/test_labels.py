"""Recurring causes and tags: a label that stands out is said, an evenly used one is not."""

from __future__ import annotations

import itertools

from journal.store import Store
from tests.journal.insight.patterns.planting import kinds, pm, spread_days


def test_recurring_cause_and_tag(store: Store) -> None:
    entries = [pm(day, causes=["handoff"], tags=["reporting"]) for day in spread_days(9)]
    entries += [pm(day, causes=[c], tags=[c]) for day, c in zip(spread_days(9, "2025-02-01"), "abcdefghi", strict=True)]
    store.insert_many(entries)
    found = kinds(store)
    assert "Handoff is involved in 9 of your 18" in found["recurring_cause"][0].sentence
    assert "“reporting”" in found["recurring_tag"][0].sentence


def test_evenly_used_causes_are_not_recurring(store: Store) -> None:
    store.insert_many([pm(day, causes=[c]) for day, c in zip(spread_days(30), itertools.cycle("abcdef"), strict=False)])
    assert "recurring_cause" not in kinds(store)
