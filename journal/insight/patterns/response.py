"""How soon you first replied to the client, by how you responded: the hours of ``first_response_hours``."""

from __future__ import annotations

from journal.insight.patterns.feelings import STYLE_NAMES
from journal.insight.patterns.record import Pattern
from journal.insight.patterns.scope import EVIDENCE_CAP, Basics, Scope
from journal.insight.patterns.stats import (
    ALPHA,
    MIN_SUPPORT,
    OBSERVED_STRENGTH,
    TESTED_FROM,
    hypergeom_sf,
    strength,
)
from journal.insight.patterns.wording import COUNTED, TESTED, hours, num

MIN_RATIO = 2.0  # the slower style's median is at least this many times the faster one's
MIN_GAP_HOURS = 4.0  # and at least this many hours longer: 1 h against 2 h is no finding

Hours = list[tuple[float, int]]  # (hours, entries), sorted by hours


def find_response_speed(scope: Scope, b: Basics) -> list[Pattern]:
    """The response style after which your first reply came much later than after another (as maker)."""
    by_style: dict[str, Hours] = {}
    known = 0
    for style, value, count in scope.rows(
        "SELECT e.response_style, e.first_response_hours, count(*) FROM entries e WHERE e.deleted = 0 "
        f"AND e.role = 'maker' AND e.first_response_hours IS NOT NULL AND {scope.live} GROUP BY 1, 2"
    ):
        known += count
        if style:
            by_style.setdefault(style, []).append((float(value), int(count)))
    groups = {style: values for style, values in by_style.items() if _size(values) >= MIN_SUPPORT}
    if len(groups) < 2:
        return []
    medians = {style: _median(values) for style, values in groups.items()}
    slow = max(groups, key=lambda s: (medians[s], _size(groups[s])))
    fast = min(groups, key=lambda s: (medians[s], -_size(groups[s])))
    slow_hours, fast_hours = medians[slow], medians[fast]
    if slow_hours < MIN_RATIO * fast_hours or slow_hours - fast_hours < MIN_GAP_HOURS:
        return []
    small = b.n < TESTED_FROM
    pairs = len(groups) * (len(groups) - 1) // 2  # the slowest and fastest were picked after looking at all
    if not small and _later_than_chance(groups[slow], groups[fast]) * pairs >= ALPHA:
        return []
    slow_n, fast_n = _size(groups[slow]), _size(groups[fast])
    sentence = (
        f"When you {STYLE_NAMES.get(slow, slow)}, your first reply to the client came after a median of "
        f"{hours(slow_hours)}; when you {STYLE_NAMES.get(fast, fast)}, after {hours(fast_hours)} "
        f"({num(slow_n)} and {num(fast_n)} entries, of the {num(known)} mistakes you made{b.since} where you "
        f"noted how long it took){COUNTED if small else TESTED}."
    )
    score = strength(0.7, 1.0 - fast_hours / slow_hours, slow_n)
    known_style = "e.role = 'maker' AND e.response_style = ? AND e.first_response_hours IS NOT NULL"
    half = EVIDENCE_CAP // 2
    return [
        Pattern(
            "response_speed",
            sentence,
            min(OBSERVED_STRENGTH, score * 0.5) if small else score,
            scope.ids(known_style, (slow,), cap=half) + scope.ids(known_style, (fast,), cap=half),
        )
    ]


def _size(values: Hours) -> int:
    return sum(count for _, count in values)


def _median(values: Hours) -> float:
    """The median of grouped values (the mean of the middle two when the count is even)."""
    total = _size(values)
    middle = [(total - 1) // 2, total // 2]
    found: list[float] = []
    seen = 0
    for value, count in sorted(values):
        while middle and middle[0] < seen + count:
            found.append(value)
            middle.pop(0)
        seen += count
    return (found[0] + found[1]) / 2


def _later_than_chance(slow: Hours, fast: Hours) -> float:
    """Mood's median test, exact: how likely so many of the slow group would lie above the pooled median by chance."""
    pooled = [*slow, *fast]
    middle = _median(pooled)
    above = sum(count for value, count in pooled if value > middle)
    slow_above = sum(count for value, count in slow if value > middle)
    return hypergeom_sf(slow_above, _size(slow), above, _size(pooled))
