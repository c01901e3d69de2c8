"""How soon the first reply came, by response style: said when the gap is large and beyond chance."""

from __future__ import annotations

from journal.insight.patterns import COUNTED, TESTED
from journal.model import Outcome, PostMortem
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
    assert found.sentence.endswith(
        f"(3 and 4 entries, of the 7 mistakes you made since January 2025 where you noted how long it took){COUNTED}."
    )
    assert "median of 30 hours" in found.sentence and "after 3.5 hours" in found.sentence
    assert found.strength <= 0.35


def test_too_few_known_hours_say_nothing(store: Store) -> None:
    # Two deflections with the hours noted are not a group, however slow.
    store.insert_many(_made("deflected", [48, 60, None, None, None]) + _made("owned", [1, 2, 2, 3, None], "2025-02-01"))
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


def _replied(hours: float | None, retained: str, day: str) -> PostMortem:
    return pm(day, first_response_hours=hours, outcome=Outcome(client_retained=retained))


def _lost_and_kept(slow: list[str], quick: list[str]) -> list[PostMortem]:
    """Mistakes with a slow (30 h) or quick (exactly 24 h, not more) first reply and the client kept or lost."""
    days = iter(spread_days(len(slow) + len(quick)))
    return [_replied(30, kept, next(days)) for kept in slow] + [_replied(24, kept, next(days)) for kept in quick]


def test_a_slow_first_reply_that_lost_the_client_is_said(store: Store) -> None:
    planted = _lost_and_kept(["no"] * 5 + ["yes"] * 3, ["no"] + ["yes"] * 29)
    # Unknown hours or an unknown ending say nothing either way.
    unsure = [_replied(None, "no", day) for day in spread_days(6, "2025-05-01")]
    unsure += [_replied(40, "unknown", day) for day in spread_days(6, "2025-06-01")]
    store.insert_many(planted + unsure)
    [found] = kinds(store)["slow_reply_lost_client"]
    assert found.sentence == (
        "Of the mistakes you made since January 2025 where you noted how long your first reply took and whether "
        "the client stayed: when it took more than a day, the client left in 5 of 8 (62%); after a quicker reply, "
        f"in 1 of 30 (3%){TESTED}."
    )
    assert found.evidence == [p.id for p in reversed(planted[:5])]


def test_a_small_journal_gets_a_count_of_lost_clients(store: Store) -> None:
    store.insert_many(_lost_and_kept(["no"] * 3 + ["yes"], ["yes"] * 6))
    [found] = kinds(store)["slow_reply_lost_client"]
    assert "left in 3 of 4 (75%); after a quicker reply, in none of 6" in found.sentence
    assert found.sentence.endswith(f"{COUNTED}.") and found.strength <= 0.35


def test_lost_clients_say_nothing_without_a_real_difference_or_enough_of_them(store: Store) -> None:
    # As many lost after a quick reply as after a slow one.
    store.insert_many(_lost_and_kept(["no"] * 4 + ["yes"] * 6, ["no"] * 8 + ["yes"] * 12))
    assert "slow_reply_lost_client" not in kinds(store)


def test_two_lost_clients_are_not_a_pattern(store: Store) -> None:
    store.insert_many(_lost_and_kept(["no"] * 2, ["yes"] * 30))
    assert "slow_reply_lost_client" not in kinds(store)


def test_a_lost_client_gap_within_chance_says_nothing(store: Store) -> None:
    # 3 of 8 (38%) against 4 of 32 (12%): three times the rate, but not beyond chance at this size.
    store.insert_many(_lost_and_kept(["no"] * 3 + ["yes"] * 5, ["no"] * 4 + ["yes"] * 28))
    assert "slow_reply_lost_client" not in kinds(store)
