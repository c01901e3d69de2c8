"""Follow-ups: overdue, completed and how soon, and fixes that did not hold."""

from __future__ import annotations

import datetime as dt

from journal.model import FollowUp
from journal.store import Store
from tests.journal.insight.patterns.planting import kinds, pm, spread_days


def test_followups_overdue_completion_and_fixes_that_did_not_hold(store: Store) -> None:
    entries = []
    for i, day in enumerate(spread_days(10, "2025-01-01")):
        done = FollowUp(text="Add a line to the template", owner="me", due_on="2025-02-01", status="done",
                        done_on=(dt.date.fromisoformat(day) + dt.timedelta(days=4)).isoformat(),
                        check_result="recurred" if i < 3 else "held")
        entries.append(pm(day, follow_ups=[done], tags=["billing"] if i < 3 else []))
    entries.append(pm("2025-05-01", follow_ups=[FollowUp(text="Call them", owner="me", due_on="2025-05-10")]))
    store.insert_many(entries)
    found = kinds(store)
    assert found["followups_overdue"][0].sentence.startswith("1 follow-up is overdue")
    assert "91% of your 11 follow-ups" in found["followup_completion"][0].sentence
    assert "median of 4 days" in found["followup_completion"][0].sentence
    fix = found["fix_did_not_hold"][0]
    assert fix.sentence.startswith("3 of the 10 fixes") and "“billing”" in fix.sentence


def test_nothing_overdue_when_due_dates_are_ahead(store: Store) -> None:
    store.insert_many([pm(day, follow_ups=[FollowUp(text="x", owner="me", due_on="2025-12-01")])
                       for day in spread_days(6)])
    assert "followups_overdue" not in kinds(store)
