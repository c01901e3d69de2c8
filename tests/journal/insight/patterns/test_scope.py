"""The entries a report covers: a query and a period narrow them, the Trash never counts, the shared counts."""

from __future__ import annotations

import pytest

from journal.insight.patterns.scope import PERIODS, Scope, by_month, count_basics
from journal.store import Store
from tests.journal.insight.patterns.planting import TODAY, pm


def covered(store: Store, query: str = "", period: str = "all") -> set[str]:
    with Scope(store, query, period, TODAY) as scope:
        return set(scope.ids("1", cap=1000))


@pytest.fixture
def planted(store: Store) -> dict[str, str]:
    entries = {
        "old acme": pm("2023-02-01", client="Acme"),
        "recent acme": pm("2025-06-01", client="Acme"),
        "last year globex": pm("2024-09-01", client="Globex", role="receiver"),
        "trashed acme": pm("2025-06-02", client="Acme"),
    }
    store.insert_many(list(entries.values()))
    store.trash([entries["trashed acme"].id])
    return {name: entry.id for name, entry in entries.items()}


def test_a_period_covers_the_last_90_days_the_last_year_or_all(store: Store, planted: dict[str, str]) -> None:
    assert covered(store) == {planted["old acme"], planted["recent acme"], planted["last year globex"]}
    assert covered(store, period="year") == {planted["recent acme"], planted["last year globex"]}
    assert covered(store, period="90d") == {planted["recent acme"]}


def test_a_query_narrows_and_the_trash_never_counts(store: Store, planted: dict[str, str]) -> None:
    assert covered(store, "client:Acme") == {planted["old acme"], planted["recent acme"]}
    assert covered(store, "client:Acme", "90d") == {planted["recent acme"]}
    assert covered(store, "client:Nobody") == set()


def test_evidence_is_the_newest_first_and_capped(store: Store, planted: dict[str, str]) -> None:
    with Scope(store, "", "all", TODAY) as scope:
        assert scope.ids("1", cap=2) == [planted["recent acme"], planted["last year globex"]]


def test_an_unknown_period_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="period must be one of all, 90d, year; got 'week'"):
        Scope(None, "", "week", TODAY)  # type: ignore[arg-type]
    assert PERIODS == ("all", "90d", "year")


def test_the_basics_count_by_role_and_say_what_the_report_covers(store: Store, planted: dict[str, str]) -> None:
    with Scope(store, "", "all", TODAY) as scope:
        basics = count_basics(scope)
    assert (basics.n, basics.makers, basics.receivers) == (3, 2, 1)
    assert (basics.first, basics.last) == ("2023-02-01", "2025-06-01")
    assert basics.of_your == "of your 3 post-mortems since February 2023"
    assert by_month(basics) == [("2023-02", 1, 0), ("2024-09", 0, 1), ("2025-06", 1, 0)]
    with Scope(store, "client:Acme", "year", TODAY) as scope:
        narrowed = count_basics(scope)
    assert narrowed.of_your == "of the 1 post-mortem matching “client:Acme” in the last 12 months"
