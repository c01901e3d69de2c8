"""Recurring clients, providers and accounts: found where planted, tested or counted as the journal's size allows."""

from __future__ import annotations

from journal.insight import patterns
from journal.store import Store
from tests.journal.insight.patterns.planting import kinds, pm, spread_days


def test_two_entries_of_a_client_are_not_recurring(store: Store) -> None:
    entries = [pm(day, client=f"Client {i}") for i, day in enumerate(spread_days(10))]
    entries += [pm("2025-02-01", client="Acme"), pm("2025-02-02", client="Acme")]
    store.insert_many(entries)
    assert "recurring_client" not in kinds(store)


def test_evenly_spread_clients_are_not_recurring(store: Store) -> None:
    store.insert_many([pm(day, client=f"Client {i % 4}") for i, day in enumerate(spread_days(40))])
    assert "recurring_client" not in kinds(store)


def test_recurring_client_is_found_with_true_counts_and_its_cause(store: Store) -> None:
    entries = [pm(day, client=f"Client {i}") for i, day in enumerate(spread_days(20))]
    entries += [pm(day, client="Acme Corp", causes=["handoff"]) for day in spread_days(8, "2025-03-01")]
    store.insert_many(entries)
    [found] = kinds(store)["recurring_client"]
    assert "Acme Corp" in found.sentence and "8 of the 28" in found.sentence and "handoff" in found.sentence
    assert len(found.evidence) == 8


def test_recurring_provider_is_tested_against_other_providers(store: Store) -> None:
    entries = [pm(day, "receiver", client=f"Provider {i % 5}") for i, day in enumerate(spread_days(50))]
    store.insert_many(entries)
    assert "recurring_client" not in kinds(store)
    store.insert_many([pm(day, "receiver", client="Slowship") for day in spread_days(30, "2025-04-01")])
    [found] = kinds(store)["recurring_client"]
    assert "Slowship let you down 30 times" in found.sentence


def test_recurring_account_needs_several_clients(store: Store) -> None:
    entries = [pm(day, client=f"Client {i}") for i, day in enumerate(spread_days(30))]
    entries += [pm(day, client=f"Brightside {i % 2}", account="Brightside Group") for i, day in enumerate(
        spread_days(12, "2025-03-01"))]
    store.insert_many(entries)
    [found] = kinds(store)["recurring_account"]
    assert "Brightside Group" in found.sentence and "12 of the 42" in found.sentence


def test_a_small_journal_reports_plain_counts_and_says_they_are_counts(store: Store) -> None:
    mine = [pm(day, client="Northwind", causes=["handoff"]) for day in spread_days(4)]
    mine += [pm(day, client=f"Client {i}", causes=[c]) for i, (day, c) in
             enumerate(zip(spread_days(4, "2025-02-01"), ["tooling", "capacity", "process", "knowledge"], strict=True))]
    store.insert_many(mine)
    found = kinds(store)
    [client] = found["recurring_client"]
    assert client.sentence.startswith("Northwind is the client in 4 of the 8 mistakes you made since January 2025")
    assert "— a count, too few entries yet to test; 4 of them involve handoff." in client.sentence
    assert len(client.evidence) == 4 and 0 < client.strength <= patterns.OBSERVED_STRENGTH
    [cause] = found["recurring_cause"]
    assert cause.sentence == (
        "Handoff is involved in 4 of your 8 post-mortems since January 2025 (50%) — a count, too few entries yet "
        "to test."
    )


def test_a_small_journal_stays_silent_on_what_is_not_repeated(store: Store) -> None:
    store.insert_many([pm(day, client=f"Client {i % 4}", causes=["abcd"[i % 4]])
                       for i, day in enumerate(spread_days(8))])  # two of each: nothing stands out
    found = kinds(store)
    assert "recurring_client" not in found and "recurring_cause" not in found


def test_a_large_journal_tests_against_chance_and_says_so(store: Store) -> None:
    entries = [pm(day, client=f"Client {i}") for i, day in enumerate(spread_days(40))]
    entries += [pm(day, client="Northwind", causes=["handoff"]) for day in spread_days(12, "2025-03-01")]
    store.insert_many(entries)
    [client] = kinds(store)["recurring_client"]
    assert "Northwind is the client in 12 of the 52" in client.sentence
    assert "— more than chance would give; 12 of them involve handoff." in client.sentence
    assert client.strength > patterns.OBSERVED_STRENGTH
