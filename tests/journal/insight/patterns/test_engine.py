"""The report as a whole: no claim without enough entries, narrowing, the trash, the demo journal, errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from journal import demo
from journal.insight import patterns
from journal.insight.patterns import engine
from journal.store import JournalError, Store
from tests.journal.insight.patterns.planting import TODAY, kinds, pm, spread_days
from tests.journal.unreadable import damage, locked


def test_empty_journal_has_no_patterns_and_says_how_many_are_needed(store: Store) -> None:
    assert patterns.analyse(store, today=TODAY) == []
    assert patterns.entries_needed(store, today=TODAY) == patterns.MIN_ENTRIES


def test_one_entry_makes_no_claim(store: Store) -> None:
    store.save(pm(client="Acme", causes=["handoff"], tags=["x"], lessons=["Check twice"]))
    assert patterns.analyse(store, today=TODAY) == []
    assert patterns.entries_needed(store, today=TODAY) == patterns.MIN_ENTRIES - 1


def test_entries_with_every_optional_field_empty_claim_nothing_recurring(store: Store) -> None:
    store.insert_many([pm(day) for day in spread_days(12)])
    found = kinds(store)
    assert set(found) <= {"role_balance"}, found


def test_query_and_period_narrow_the_entries(store: Store) -> None:
    entries = [pm(day, client="Acme", causes=["handoff"]) for day in spread_days(8, "2025-05-01")]
    entries += [pm(day, client=f"Other {i}", causes=["tooling"]) for i, day in enumerate(spread_days(20, "2023-01-01"))]
    store.insert_many(entries)
    recent = kinds(store, period="90d")
    assert "of your 8 post-mortems in the last 90 days" in recent["recurring_cause"][0].sentence
    narrowed = kinds(store, "client:acme")
    assert "Handoff is involved in 8 of the 8 post-mortems matching “client:acme”" in (
        narrowed["recurring_cause"][0].sentence
    )
    # Filtering on a cause and then "finding" that cause would be a tautology.
    assert "recurring_cause" not in kinds(store, "cause:tooling")
    with pytest.raises(ValueError, match="period"):
        patterns.analyse(store, period="weekly")


def test_trashed_entries_are_left_out(store: Store) -> None:
    acme = [pm(day, client="Acme") for day in spread_days(8, "2025-03-01")]
    store.insert_many(acme + [pm(day, client=f"C{i}") for i, day in enumerate(spread_days(20))])
    assert "recurring_client" in kinds(store)
    store.trash([p.id for p in acme[:6]])
    assert "recurring_client" not in kinds(store)


@pytest.mark.parametrize("count", [0, 1, 2])
def test_a_tiny_journal_is_told_what_patterns_will_show_and_when(store: Store, count: int) -> None:
    store.insert_many([pm(day) for day in spread_days(count)])
    assert patterns.analyse(store, today=TODAY) == []
    needed = patterns.entries_needed(store, today=TODAY)
    assert needed == 5 - count
    text = patterns.waiting_text(needed)
    assert text.startswith(f"Not enough entries yet to see patterns — {5 - count} more entries")
    assert "From 5 entries: the clients, causes and tags" in text and "apologies" in text
    assert "from 30 entries Hindsight also tests whether a pattern is more than chance" in text


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.hindsight"
    with Store.open(path) as opened:
        demo.populate(opened, entries=2000, seed=7, today=dt.date(2025, 11, 20))
    return path


@pytest.fixture(scope="module")
def demo_report(demo_path: Path) -> list[patterns.Pattern]:
    with Store.open(demo_path) as opened:
        return patterns.analyse(opened, today="2025-11-20")


@pytest.mark.parametrize(("query", "period"), [("", "all"), ("", "90d"), ('client:"Brightwater Clinics"', "all")])
def test_the_parallel_report_says_exactly_what_the_serial_one_says(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch, query: str, period: str
) -> None:
    with Store.open(demo_path) as opened:
        serial = [p.to_dict() for p in patterns.analyse(opened, query, period, today="2025-11-20")]
        monkeypatch.setattr(engine, "PARALLEL_FROM", 0)
        parallel = [p.to_dict() for p in patterns.analyse(opened, query, period, today="2025-11-20")]
    assert serial and parallel == serial


def test_every_planted_demo_pattern_is_found(demo_report: list[patterns.Pattern]) -> None:
    found = {p.kind for p in demo_report}
    assert set(demo.PLANTED) <= found, sorted(set(demo.PLANTED) - found)
    strengths = [p.strength for p in demo_report]
    assert strengths == sorted(strengths, reverse=True)
    assert all(0 <= s <= 1 and p.evidence for s, p in zip(strengths, demo_report, strict=True))


def test_demo_patterns_name_what_was_planted(demo_report: list[patterns.Pattern]) -> None:
    text = {p.kind: " ".join(q.sentence for q in demo_report if q.kind == p.kind) for p in demo_report}
    assert "Brightwater Clinics" in text["recurring_client"]
    assert "Brightwater Health" in text["recurring_account"]
    assert "Handoff" in text["recurring_cause"]
    assert "satisfaction check" in text["skipped_recovery_step"]
    assert "over-apologized" in text["response_style"]
    assert "Mondays" in text["weekday_cluster"]
    assert "delivery date" in text["relearned_lesson"]
    assert "“reporting”" in text["fix_did_not_hold"]


# --- a journal that cannot be read ------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "client:Acme"])  # the whole journal, and a scope built as a temporary table
def test_a_locked_journal_is_a_journal_error_for_every_report(journal_path: Path, query: str) -> None:
    # The Patterns view's worker reports a JournalError; a sqlite3 error would leave it "Looking for patterns…".
    with Store.open(journal_path) as store:
        store.insert_many([pm(day, client="Acme") for day in spread_days(8)])
    with locked(journal_path) as store:
        for report in (patterns.analyse, patterns.charts, patterns.entries_needed):
            with pytest.raises(JournalError, match="is busy: another program is writing to it"):
                report(store, query, "all", TODAY)


def test_a_damaged_journal_is_a_journal_error_for_every_report(journal_path: Path) -> None:
    with Store.open(journal_path) as store:
        store.insert_many([pm(day, client="Acme", causes=["handoff"]) for day in spread_days(8)])
    damage(journal_path)
    with Store.open(journal_path) as store:
        for report in (patterns.analyse, patterns.charts, patterns.entries_needed):
            with pytest.raises(JournalError, match="is damaged"):
                report(store, "", "all", TODAY)
