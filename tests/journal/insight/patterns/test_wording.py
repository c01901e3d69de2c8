"""Numbers, shares and dates in the pattern sentences, as a person reads them."""

from __future__ import annotations

import pytest

from journal.insight.patterns.wording import how_often, month_of, num, pct, short_day


def test_numbers_have_thousands_separators_and_no_decimals() -> None:
    assert (num(7), num(12_345), num(1234.6), num(2.4)) == ("7", "12,345", "1,235", "2")


@pytest.mark.parametrize(
    ("part", "whole", "said"),
    [
        (1, 3, "33%"), (2, 3, "67%"), (3, 3, "100%"), (1, 1000, "under 1%"), (1, 0, "0%"),
        (0, 5, "0%"),  # "You completed 0% of your 5 follow-ups", not "under 1%"
    ],
)
def test_shares_are_whole_percents_and_a_tiny_one_is_under_1(part: int, whole: int, said: str) -> None:
    assert pct(part, whole) == said


def test_how_often_says_once_and_twice_in_words() -> None:
    assert [how_often(n) for n in (1, 2, 3, 1500)] == ["once", "twice", "3 times", "1,500 times"]


def test_dates_read_as_a_month_or_a_short_day() -> None:
    assert month_of("2024-03-09") == "March 2024"
    assert short_day("2024-03-09") == "9 Mar 2024"  # no leading zero
