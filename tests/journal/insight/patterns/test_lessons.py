"""Lessons written more than once: different wordings of one lesson are one, different lessons are not."""

from __future__ import annotations

from journal.insight.patterns.lessons import lesson_key, same_lesson
from journal.store import Store
from tests.journal.insight.patterns.planting import kinds, pm, spread_days


def test_relearned_lesson_in_varied_wording(store: Store) -> None:
    lessons = [
        "Confirm the delivery date in writing before starting.",
        "Always confirm delivery dates in writing.",
        "Get the delivery date confirmed in writing, not by phone.",
    ]
    entries = [pm(day, lessons=[lesson]) for day, lesson in zip(spread_days(3), lessons, strict=True)]
    entries += [pm(day, lessons=[f"Unrelated lesson about {w}"]) for day, w in
                zip(spread_days(4, "2025-03-01"), ["invoices", "printers", "couriers", "badges"], strict=True)]
    store.insert_many(entries)
    [found] = kinds(store)["relearned_lesson"]
    assert "3 times" in found.sentence and "3 different wordings" in found.sentence
    assert len(found.evidence) == 3


def test_lessons_that_differ_are_not_merged() -> None:
    check_invoice = lesson_key("Check the invoice before sending it.")
    check_date = lesson_key("Check the date before sending it.")
    assert not same_lesson(check_invoice, check_date)
    assert same_lesson(
        lesson_key("Confirm deadlines in writing before starting the work."),
        lesson_key("Confirm the deadline in writing before work starts."),
    )
