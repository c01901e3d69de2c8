"""How soon the first reply came, by response style: said when the gap is large and beyond chance."""

from __future__ import annotations

from journal.insight.patterns import COUNTED, TESTED
from journal.model import PostMortem
from journal.store import Store
from tests.journal.insight.patterns.planting import kinds, pm, spread_days


def _made(style: str, hours: list[float | None], start: str = "2025-01-01") -> list[PostMortem]:
    return [
        pm(day, response_style=style, first_response_hours=h)
        for day, h in zip(spread_days(len(hours), start), hours, strict=True)
    ]


def test_a_slow_style_is_said_with_its_medians_counts_and_evidence(store: Store) -> None:
    deflected = _made("deflected", [20, 26, 30, 31, 33, 36, 40, 48, 50, 72])
    owned = _made("owned", [0.5, 1, 2, 2, 3, 4, 4, 4, 5, 5, 6, 6, 6, 8, 8, 9, 10, 12, 12, 20], "2025-03-01")
    store.insert_many(deflected + owned)
    [found] = kinds(store)["response_speed"]
    assert found.sentence == (
        "When you deflected, your first reply to the client came after a median of 34 hours; when you owned it, "
        "after 5.5 hours (10 and 20 entries, of the 30 mistakes you made since January 2025 where you noted how "
        f"long it took){TESTED}."
    )
    # The slow style's entries first, newest first, then the fast style's.
    assert found.evidence == [p.id for p in reversed(deflected)] + [p.id for p in reversed(owned)]
    assert 0.35 < found.strength <= 1.0


def test_unknown_hours_and_receivers_are_left_out(store: Store) -> None:
    deflected = _made("deflected", [20, 26, 30, 31, 33, 36, 40, 48, 50, 72])
    owned = _made("owned", [0.5, 1, 2, 2, 3, 4, 4, 4, 5, 5, 6, 6, 6, 8, 8, 9, 10, 12, 12, 20], "2025-03-01")
    unknown = _made("deflected", [None] * 6, "2025-05-01") + _made("owned", [None] * 6, "2025-05-10")
    # A provider slow to reply to me is not my first reply to a client.
    receivers = [pm(day, "receiver", response_style="owned", first_response_hours=90) for day in spread_days(8)]
    store.insert_many(deflected + owned + unknown + receivers)
    [found] = kinds(store)["response_speed"]
    assert "median of 34 hours" in found.sentence and "after 5.5 hours" in found.sentence
    assert "(10 and 20 entries, of the 30 mistakes you made" in found.sentence
    assert set(found.evidence) == {p.id for p in deflected + owned}


def test_a_small_journal_gets_a_count(store: Store) -> None:
    store.insert_many(_made("deflected", [24, 30, 48]) + _made("owned", [2, 3, 4, 5], "2025-02-01"))
    [found] = kinds(store)["response_speed"]
    assert found.sentence.endswith(f"(3 and 4 entries, of the 7 mistakes you made since January 2025 where you "
                                   f"noted how long it took){COUNTED}.")
    assert "median of 30 hours" in found.sentence and "after 3.5 hours" in found.sentence
    assert found.strength <= 0.35


def test_too_few_known_hours_say_nothing(store: Store) -> None:
    # Two deflections with the hours noted are not a group, however slow.
    store.insert_many(
        _made("deflected", [48, 60, None, None, None]) + _made("owned", [1, 2, 2, 3, None], "2025-02-01")
    )
    assert "response_speed" not in kinds(store)


def test_all_hours_unknown_say_nothing(store: Store) -> None:
    store.insert_many(_made("deflected", [None] * 12) + _made("owned", [None] * 25, "2025-02-01"))
    assert "response_speed" not in kinds(store)


def test_no_real_difference_says_nothing(store: Store) -> None:
    # 8 h against 5 h: neither twice as long nor 4 hours more.
    store.insert_many(_made("deflected", [6, 8, 8, 9, 10] * 3) + _made("owned", [4, 5, 5, 6, 7] * 4, "2025-02-01"))
    assert "response_speed" not in kinds(store)


def test_a_gap_within_chance_says_nothing(store: Store) -> None:
    # Medians of 20 h against 1 h, but the three deflections are no later than chance would put them.
    owned = [1.0] * 14 + [25.0] * 13
    store.insert_many(_made("deflected", [2, 20, 30]) + _made("owned", list(owned), "2025-02-01"))
    assert "response_speed" not in kinds(store)
