"""'You have seen this before': similar past entries from what is written, the client and causes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from journal import demo
from journal.model import PostMortem
from journal.similar import Draft, similar
from journal.store import Store


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
    assert "same client (Nordvik)" in found[0][2] and "both handoff" in found[0][2]
    assert 0 < found[0][1] <= 1


def test_an_entry_never_finds_itself_and_nothing_from_its_future(store: Store) -> None:
    title, what = "Reminder tool dropped the alert", "The scheduling tool silently dropped the reminder."
    old, new, later = (_entry(title, what, day=day) for day in ("2024-01-01", "2025-01-01", "2026-01-01"))
    store.insert_many([old, new, later])
    ids = [s.id for s, _, _ in similar(store, new)]
    assert ids == [old.id]


def test_a_crowd_of_later_look_alikes_does_not_hide_the_earlier_one(store: Store) -> None:
    title, what = "Badges printed with last year's logo", "The conference badges went to print with the old logo."
    old = _entry(title, what, "Lantern", day="2024-01-01")
    new = _entry(title, what, "Lantern", day="2024-06-01")
    later = [_entry(title, what, "Lantern", day="2025-01-01") for _ in range(150)]
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
