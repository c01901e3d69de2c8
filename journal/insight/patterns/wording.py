"""Numbers, shares and dates as the pattern sentences say them."""

from __future__ import annotations

import datetime as dt

TESTED = " — more than chance would give"
COUNTED = " — a count, too few entries yet to test"


def num(value: int | float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.0f}"


def pct(part: int, whole: int) -> str:
    if whole <= 0:
        return "0%"
    share = 100 * part / whole
    return f"{share:.0f}%" if share >= 1 or part == 0 else "under 1%"  # none is 0%, not "under 1%"


def how_often(count: int) -> str:
    return "once" if count == 1 else "twice" if count == 2 else f"{num(count)} times"


def month_of(day: str) -> str:
    return dt.date.fromisoformat(day).strftime("%B %Y")


def short_day(day: str) -> str:
    d = dt.date.fromisoformat(day)
    return f"{d.day} {d.strftime('%b %Y')}"


def hours(value: float) -> str:
    """A duration in hours as a sentence says it: "under an hour", "1.5 hours", "31 hours"."""
    if value < 1:
        return "under an hour"
    if value < 10:
        half = round(value * 2) / 2
        return "1 hour" if half == 1 else f"{half:g} hours"
    return f"{num(round(value))} hours"
