"""Feelings by role, how they faded at review, and the first response to a mistake."""

from __future__ import annotations

from journal.model import Emotion
from journal.store import Store
from tests.journal.insight.patterns.planting import kinds, pm, spread_days


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
