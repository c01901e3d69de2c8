"""Skipped recovery steps, apologies without a remedy (given and received) and make-goods accepted or refused."""

from __future__ import annotations

from journal.store import Store
from tests.journal.insight.patterns.planting import kinds, pm, recovery, spread_days


def test_skipped_step_and_apology_without_remedy(store: Store) -> None:
    bare = recovery(apology="done", correction="skipped", compensation="skipped", satisfaction_check="skipped")
    fine = recovery(apology="done", correction="done", compensation="done", satisfaction_check="skipped")
    store.insert_many([pm(day, recovery=bare) for day in spread_days(4)])
    store.insert_many([pm(day, recovery=fine) for day in spread_days(8, "2025-02-01")])
    found = kinds(store)
    assert "satisfaction check in 12 of the 12" in found["skipped_recovery_step"][0].sentence
    [bare_found] = found["apology_without_remedy"]
    assert bare_found.sentence.startswith("4 of the 12 times you apologized")
    assert len(bare_found.evidence) == 4


def test_no_apology_without_remedy_when_every_apology_was_backed(store: Store) -> None:
    fine = recovery(apology="done", correction="done", compensation="skipped")
    store.insert_many([pm(day, recovery=fine) for day in spread_days(10)])
    assert "apology_without_remedy" not in kinds(store)


def test_breadsticks_accepted_and_refused(store: Store) -> None:
    from journal.model import Breadsticks

    entries = [pm(day, breadsticks=Breadsticks(kind="discount", accepted="yes", cost=100, currency="EUR"))
               for day in spread_days(5)]
    entries += [pm(day, breadsticks=Breadsticks(kind="gesture", accepted="no")) for day in spread_days(4, "2025-02-01")]
    entries += [pm("2025-03-01", breadsticks=Breadsticks(kind="gesture", accepted="yes"))]
    store.insert_many(entries)
    [found] = kinds(store)["breadsticks_outcome"]
    assert "Discounts were accepted 5 of 5" in found.sentence
    assert "gestures were refused 4 of 5" in found.sentence and "EUR 500" in found.sentence


def test_apologies_without_a_remedy_given_and_received_are_said_separately(store: Store) -> None:
    bare = recovery(apology="done", correction="skipped", compensation="skipped")
    fine = recovery(apology="done", correction="done", compensation="done")
    store.insert_many([pm(day, recovery=bare) for day in spread_days(2)])
    store.insert_many([pm(day, recovery=fine) for day in spread_days(3, "2025-02-01")])
    store.insert_many([pm("2025-03-01", "receiver", recovery=bare), pm("2025-03-02", "receiver", recovery=fine)])
    [found] = kinds(store)["apology_without_remedy"]
    assert found.sentence == (
        "2 of the 5 times you apologized since January 2025 (40%), nothing was put right: correction and "
        "compensation were both skipped; as receiver, 1 of the 2 apologies made to you (50%) came with no "
        "correction and no compensation — a count, too few entries yet to test."
    )
    assert len(found.evidence) == 3


def test_apologies_received_without_a_remedy_are_reported_on_their_own(store: Store) -> None:
    bare = recovery(apology="done", correction="skipped", compensation="skipped")
    store.insert_many([pm(day, "receiver", recovery=bare) for day in spread_days(3)])
    store.insert_many([pm(day) for day in spread_days(3, "2025-02-01")])
    [found] = kinds(store)["apology_without_remedy"]
    assert found.sentence.startswith("3 of the 3 apologies made to you since January 2025 (100%) came with no")
