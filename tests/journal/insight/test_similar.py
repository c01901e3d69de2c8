"""'You have seen this before': similar past entries from what is written, the client and causes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from journal import demo
from journal.insight.similar import Draft, similar
from journal.model import PostMortem
from journal.store import JournalError, Store
from tests.journal.unreadable import damage, locked


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "journal.hindsight") as opened:
        yield opened


def _entry(
    title: str, what: str, client: str = "", causes: tuple[str, ...] = (), day: str = "2025-01-10"
) -> PostMortem:
    return PostMortem(title=title, what_happened=what, client=client, causes=list(causes), occurred_on=day)


def test_an_unsaved_draft_finds_the_entry_it_resembles(store: Store) -> None:
    store.insert_many([
        _entry("Courier missed the harbour delivery", "The courier left the pallets at the wrong harbour gate.",
               "Nordvik", ("handoff",)),
        _entry("Invoice sent twice", "Finance billed the quarterly retainer twice.", "Copperline", ("process",)),
        _entry("Menu cards misprinted", "The bilingual menu cards went to print with last year's prices.", "Saffron"),
    ])
    draft = Draft(title="Pallets at the wrong gate again", text="The courier took the pallets to the harbour gate B",
                  client="Nordvik", causes=("handoff",))
    found = similar(store, draft)
    assert found[0][0].title == "Courier missed the harbour delivery"
    assert found[0][2].startswith("same client Nordvik; both mention “")
    assert "“courier”" in found[0][2] and found[0][2].endswith("; both caused by handoff")
    assert 0 < found[0][1] <= 1


def test_an_entry_never_finds_itself_and_nothing_from_its_future(store: Store) -> None:
    title, what = "Reminder tool dropped the alert", "The scheduling tool silently dropped the reminder."
    old, new, later = (_entry(title, what, causes=("tooling",), day=day) for day in ("2024-01-01", "2025-01-01",
                                                                                    "2026-01-01"))
    store.insert_many([old, new, later])
    ids = [s.id for s, _, _ in similar(store, new)]
    assert ids == [old.id]


def test_a_crowd_of_later_look_alikes_does_not_hide_the_earlier_one(store: Store) -> None:
    title, what = "Badges printed with last year's logo", "The conference badges went to print with the old logo."
    old = _entry(title, what, "Lantern", ("print",), day="2024-01-01")
    new = _entry(title, what, "Lantern", ("print",), day="2024-06-01")
    later = [_entry(title, what, "Lantern", ("print",), day="2025-01-01") for _ in range(150)]
    store.insert_many([new, *later, old])  # written last: among equal ranks it comes last
    assert [s.id for s, _, _ in similar(store, new)] == [old.id]


def test_nothing_to_compare_gives_an_empty_list(store: Store) -> None:
    assert similar(store, "anything at all") == []
    store.insert_many([_entry("Late", "The van was late.")])
    assert similar(store, "") == []
    assert similar(store, "zzzz unknownword") == []


def test_planted_near_repeats_rank_in_the_top_three(tmp_path: Path) -> None:
    today = dt.date(2025, 11, 20)
    with Store.open(tmp_path / "demo.hindsight") as opened:
        demo.populate(opened, entries=800, seed=3, today=today)
        pairs = demo.near_repeats(800, 3, today)
        hits = sum(original in [s.id for s, _, _ in similar(opened, opened.get(repeat))] for original, repeat in pairs)
    assert hits / len(pairs) >= 0.9


# --- a suggestion needs two independent signals, and says which ---------------------------------------


def _journal(store: Store, *entries: PostMortem) -> None:
    filler = [
        _entry(f"Filler {i}", f"Routine note number {i} about the {topic}.", f"Client {i}", (cause,), "2024-06-01")
        for i, (topic, cause) in enumerate([("payroll run", "process"), ("menu cards", "tooling"),
                                            ("site survey", "capacity"), ("price list", "knowledge"),
                                            ("board pack", "expectations"), ("rota", "attention")])
    ]
    store.insert_many([*filler, *entries])


def test_one_shared_word_is_not_a_match(store: Store) -> None:
    old = _entry("Parcel lost", "The parcel was lost somewhere in the sorting hall.", "Ferncastle", day="2024-01-01")
    new = _entry("Passport lost", "My passport got lost at the airport check-in desk.", "Halvorsen",
                 day="2025-01-01")
    _journal(store, old, new)
    assert similar(store, new) == []


def test_a_shared_cause_alone_is_not_a_match(store: Store) -> None:
    old = _entry("Van booked for the wrong day", "The van came on Tuesday.", "Metro", ("handoff",), "2024-01-01")
    new = _entry("Menu typo", "The dessert menu misspelled the chef's name.", "Saffron", ("handoff",), "2025-01-01")
    _journal(store, old, new)
    assert similar(store, new) == []


def test_the_same_client_and_one_shared_word_are_not_a_match(store: Store) -> None:
    old = _entry("Invoice lost", "The invoice was lost in their mail room.", "Northwind", day="2024-01-01")
    new = _entry("Courier slow", "The courier was lost on the way and arrived at noon.", "Northwind",
                 day="2025-01-01")
    _journal(store, old, new)
    assert similar(store, new) == []


def test_the_same_client_and_a_shared_cause_are_a_match_and_say_so(store: Store) -> None:
    old = _entry("Wrong brochure sent", "We sent last year's brochure.", "Northwind", ("handoff",), "2024-01-01")
    new = _entry("Rota not updated", "The rota still had the old shifts.", "Northwind", ("handoff",), "2025-01-01")
    _journal(store, old, new)
    [(summary, score, why)] = similar(store, new)
    assert summary.id == old.id and 0 < score <= 1
    assert why == "same client Northwind; both caused by handoff"


def test_distinctive_wording_and_a_shared_tag_are_a_match(store: Store) -> None:
    old = _entry("Courier missed the handoff", "The courier missed the handoff at the harbour depot.", "Nordvik",
                 day="2024-01-01")
    old.tags = ["logistics"]
    new = _entry("Handoff missed again", "Again the courier missed the handoff, this time at the airport depot.",
                 "Swiftline", day="2025-01-01")
    new.tags = ["Logistics"]
    _journal(store, old, new)
    [(summary, _, why)] = similar(store, new)
    assert summary.id == old.id
    assert why.startswith("both mention “") and "“courier”" in why and "“depot”" in why
    assert why.endswith("; both tagged “logistics”")


def test_the_same_account_counts_as_the_client_signal(store: Store) -> None:
    old = _entry("Lab results late", "Results went out late.", "Brightwater Labs", ("capacity",), "2024-01-01")
    old.account = "Brightwater Health"
    new = _entry("Clinic rota late", "The rota went out late.", "Brightwater Clinics", ("capacity",), "2025-01-01")
    new.account = "Brightwater Health"
    _journal(store, old, new)
    [(summary, _, why)] = similar(store, new)
    assert summary.id == old.id and why == "same account Brightwater Health; both caused by capacity"


def test_the_panel_and_the_command_line_look_an_entry_up_the_same_way() -> None:
    pm = PostMortem(title="T", what_happened="x" * 30_000, impact="i", contributing_factors="f", client=" C ",
                    account="A", causes=["handoff"], tags=["t"])
    draft = Draft.of(pm)
    assert len(draft.text) == 20_000 and draft.client == "C" and draft.account == "A"
    assert draft.tags == ("t",) and "i" in draft.context and "f" in draft.context


def test_a_locked_or_damaged_journal_is_a_journal_error(journal_path: Path) -> None:
    # The editor's similar panel reports a JournalError; a sqlite3 error would escape its worker.
    with Store.open(journal_path) as store:
        store.insert_many([_entry(f"Courier missed the harbour delivery {i}", "The pallets went to the wrong gate.",
                                  "Nordvik", ("handoff",)) for i in range(5)])
    draft = Draft(title="Pallets at the wrong harbour gate", text="The courier took the pallets to gate B",
                  client="Nordvik", causes=("handoff",))
    with locked(journal_path) as store, pytest.raises(JournalError, match="is busy"):
        similar(store, draft)
    damage(journal_path)
    with Store.open(journal_path) as store, pytest.raises(JournalError, match="is damaged"):
        similar(store, draft)
