"""How soon you first replied to the client: by how you responded, and whether a slow reply lost the client."""

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
from journal.insight.patterns.wording import COUNTED, TESTED, hours, num, pct

MIN_RATIO = 2.0  # the slower style's median is at least this many times the faster one's
MIN_GAP_HOURS = 4.0  # and at least this many hours longer: 1 h against 2 h is no finding
SLOW_HOURS = 24.0  # a first reply later than this is a slow one

Hours = list[tuple[float, int]]  # (hours, entries), sorted by hours


def find_response(scope: Scope, b: Basics) -> list[Pattern]:
    """Both findings on the hours to your first reply, from one pass over the mistakes you made."""
    rows = [
        (style, float(value), retained, int(count))
        for style, value, retained, count in scope.rows(
            "SELECT e.response_style, e.first_response_hours, e.client_retained, count(*) FROM entries e "
            f"WHERE e.deleted = 0 AND e.role = 'maker' AND e.first_response_hours IS NOT NULL AND {scope.live} "
            "GROUP BY 1, 2, 3"
        )
    ]
    return find_response_speed(scope, b, rows) + find_slow_reply_lost_client(scope, b, rows)


Row = tuple[str, float, str, int]  # (response style, hours, client retained, entries)


def find_response_speed(scope: Scope, b: Basics, rows: list[Row]) -> list[Pattern]:
    """The response style after which your first reply came much later than after another (as maker)."""
    by_style: dict[str, Hours] = {}
    known = 0
    for style, value, _, count in rows:
        known += count
        if style:
            by_style.setdefault(style, []).append((value, count))
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


def find_slow_reply_lost_client(scope: Scope, b: Basics, rows: list[Row]) -> list[Pattern]:
    """Whether the client was lost more often after a first reply that took over a day (as maker)."""
    counts = {(slow, kept): 0 for slow in (True, False) for kept in ("yes", "no")}
    for _, value, retained, count in rows:
        if retained in ("yes", "no"):  # "unknown" tells nothing either way
            counts[(value > SLOW_HOURS, retained)] += count
    slow_lost, slow_kept = counts[(True, "no")], counts[(True, "yes")]
    fast_lost, fast_kept = counts[(False, "no")], counts[(False, "yes")]
    slow_n, fast_n = slow_lost + slow_kept, fast_lost + fast_kept
    if slow_lost < MIN_SUPPORT or fast_n < MIN_SUPPORT:
        return []
    slow_rate, fast_rate = slow_lost / slow_n, fast_lost / fast_n
    if slow_rate < 2 * fast_rate or slow_rate - fast_rate < 0.2:
        return []
    small = b.n < TESTED_FROM
    if not small and hypergeom_sf(slow_lost, slow_n, slow_lost + fast_lost, slow_n + fast_n) >= ALPHA:
        return []
    quick = f"{num(fast_lost)} of {num(fast_n)} ({pct(fast_lost, fast_n)})" if fast_lost else f"none of {num(fast_n)}"
    sentence = (
        f"Of the mistakes you made{b.since} where you noted how long your first reply took and whether the client "
        f"stayed: when it took more than a day, the client left in {num(slow_lost)} of {num(slow_n)} "
        f"({pct(slow_lost, slow_n)}); after a quicker reply, in {quick}{COUNTED if small else TESTED}."
    )
    score = strength(0.9, (slow_rate - fast_rate) * 1.5, slow_lost)
    return [
        Pattern(
            "slow_reply_lost_client",
            sentence,
            min(OBSERVED_STRENGTH, score * 0.5) if small else score,
            scope.ids("e.role = 'maker' AND e.first_response_hours > ? AND e.client_retained = 'no'", (SLOW_HOURS,)),
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
