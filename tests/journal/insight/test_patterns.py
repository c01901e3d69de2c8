"""The pattern engine: each kind is found where it is planted and not where it is absent."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from journal import demo
from journal.insight import patterns
from journal.model import Emotion, FollowUp, PostMortem, RecoveryStep, default_recovery
from journal.store import Store

TODAY = "2025-06-30"
_counter = itertools.count()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "journal.hindsight") as opened:
        yield opened


def pm(day: str = "2025-03-04", role: str = "maker", **fields: Any) -> PostMortem:
    return PostMortem(title=f"Entry {next(_counter)}", occurred_on=day, role=role, **fields)


def spread_days(n: int, start: str = "2025-01-01", every: int = 1) -> list[str]:
    first = dt.date.fromisoformat(start)
    return [(first + dt.timedelta(days=i * every)).isoformat() for i in range(n)]


def kinds(store: Store, query: str = "", period: str = "all") -> dict[str, list[patterns.Pattern]]:
    found: dict[str, list[patterns.Pattern]] = {}
    for p in patterns.analyse(store, query, period, today=TODAY):
        found.setdefault(p.kind, []).append(p)
    return found


# --- no wrong claims ---------------------------------------------------------------------


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


def test_two_entries_of_a_client_are_not_recurring(store: Store) -> None:
    entries = [pm(day, client=f"Client {i}") for i, day in enumerate(spread_days(10))]
    entries += [pm("2025-02-01", client="Acme"), pm("2025-02-02", client="Acme")]
    store.insert_many(entries)
    assert "recurring_client" not in kinds(store)


def test_evenly_spread_clients_are_not_recurring(store: Store) -> None:
    store.insert_many([pm(day, client=f"Client {i % 4}") for i, day in enumerate(spread_days(40))])
    assert "recurring_client" not in kinds(store)


# --- each kind where it is planted -------------------------------------------------------------


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


def test_role_balance_reports_a_rising_share_of_own_mistakes(store: Store) -> None:
    early = [pm(day, "maker" if i % 4 == 0 else "receiver") for i, day in enumerate(spread_days(60, "2024-01-01", 3))]
    late = [pm(day, "maker" if i % 5 else "receiver") for i, day in enumerate(spread_days(60, "2024-07-01", 3))]
    store.insert_many(early + late)
    [found] = kinds(store)["role_balance"]
    assert re.search(r"rose from 2\d% \(January 2024 .*\) to 8\d% ", found.sentence), found.sentence


def test_emotions_by_role_and_their_fade(store: Store) -> None:
    entries = [
        pm(day, emotions=[Emotion("me", "embarrassed", 5, 2)]) for day in spread_days(8)
    ] + [pm(day, "receiver", emotions=[Emotion("me", "frustrated", 4)]) for day in spread_days(6, "2025-02-01")]
    store.insert_many(entries)
    found = kinds(store)
    assert "embarrassed" in found["emotions_by_role"][0].sentence
    assert "frustrated" in found["emotions_by_role"][0].sentence
    [fade] = found["emotion_fade"]
    assert "faded by 3.0 points" in fade.sentence and "mistakes you made" in fade.sentence


def test_no_fade_claimed_without_re_ratings(store: Store) -> None:
    store.insert_many([pm(day, emotions=[Emotion("me", "anxious", 4)]) for day in spread_days(10)])
    assert "emotion_fade" not in kinds(store)


def test_response_style(store: Store) -> None:
    styles = ["over_apologized"] * 9 + ["owned", "deflected", "self_blamed"]
    store.insert_many([pm(day, response_style=s) for day, s in zip(spread_days(12), styles, strict=True)])
    [found] = kinds(store)["response_style"]
    assert "over-apologized" in found.sentence and "9 of 12" in found.sentence


def _recovery(**states: str) -> dict[str, RecoveryStep]:
    steps = default_recovery()
    for step, state in states.items():
        steps[step] = RecoveryStep(state)
    return steps


def test_skipped_step_and_apology_without_remedy(store: Store) -> None:
    bare = _recovery(apology="done", correction="skipped", compensation="skipped", satisfaction_check="skipped")
    fine = _recovery(apology="done", correction="done", compensation="done", satisfaction_check="skipped")
    store.insert_many([pm(day, recovery=bare) for day in spread_days(4)])
    store.insert_many([pm(day, recovery=fine) for day in spread_days(8, "2025-02-01")])
    found = kinds(store)
    assert "satisfaction check in 12 of the 12" in found["skipped_recovery_step"][0].sentence
    [bare_found] = found["apology_without_remedy"]
    assert bare_found.sentence.startswith("4 of the 12 times you apologized")
    assert len(bare_found.evidence) == 4


def test_no_apology_without_remedy_when_every_apology_was_backed(store: Store) -> None:
    fine = _recovery(apology="done", correction="done", compensation="skipped")
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
    check_invoice = patterns.lesson_key("Check the invoice before sending it.")
    check_date = patterns.lesson_key("Check the date before sending it.")
    assert not patterns.same_lesson(check_invoice, check_date)
    assert patterns.same_lesson(
        patterns.lesson_key("Confirm deadlines in writing before starting the work."),
        patterns.lesson_key("Confirm the deadline in writing before work starts."),
    )


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


# --- narrowing -----------------------------------------------------------------------------------------


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


def test_statistics_helpers() -> None:
    assert patterns.binom_sf(0, 10, 0.5) == 1.0
    assert patterns.binom_sf(10, 10, 0.5) == pytest.approx(1 / 1024)
    assert patterns.binom_sf(3, 10, 0.5) == 1.0  # below the mean is never an excess
    assert patterns.poisson_sf(10, 2.0) < 0.001
    assert not patterns.excess(2, 2, 0.01)  # two entries are never "recurring"


# --- the demo journal ------------------------------------------------------------------------------


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
        monkeypatch.setattr(patterns, "PARALLEL_FROM", 0)
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


# --- small journals: plain counts, said as counts -------------------------------------------------


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


def test_apologies_without_a_remedy_given_and_received_are_said_separately(store: Store) -> None:
    bare = _recovery(apology="done", correction="skipped", compensation="skipped")
    fine = _recovery(apology="done", correction="done", compensation="done")
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
    bare = _recovery(apology="done", correction="skipped", compensation="skipped")
    store.insert_many([pm(day, "receiver", recovery=bare) for day in spread_days(3)])
    store.insert_many([pm(day) for day in spread_days(3, "2025-02-01")])
    [found] = kinds(store)["apology_without_remedy"]
    assert found.sentence.startswith("3 of the 3 apologies made to you since January 2025 (100%) came with no")


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
