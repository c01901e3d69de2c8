"""When mistakes happen: the share that is yours over time, a weekday that stands out, bunching after breaks."""

from __future__ import annotations

import datetime as dt
import itertools
import math

from journal.insight.patterns.record import Pattern
from journal.insight.patterns.scope import Basics, Scope, by_month
from journal.insight.patterns.stats import ALPHA, MIN_ENTRIES, MIN_SUPPORT, excess, poisson_sf, strength
from journal.insight.patterns.wording import month_of, num, pct, short_day

BREAK_DAYS = 10  # days with no entry that count as time off
AFTER_BREAK_DAYS = 14  # the window after a break in which its mistakes are counted
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def find_role_balance(scope: Scope, b: Basics) -> list[Pattern]:
    """How many mistakes are yours and how many landed on you, and whether that share moved."""
    if b.makers + b.receivers < MIN_ENTRIES:
        return []
    sentence = (
        f"{pct(b.makers, b.n)} {b.of_your} are mistakes you made ({num(b.makers)}); "
        f"{pct(b.receivers, b.n)} landed on you ({num(b.receivers)})."
    )
    score = strength(0.35, 0.5, b.n)
    evidence_role = "maker" if b.makers >= b.receivers else "receiver"
    months = by_month(b)
    if len(months) >= 6:
        third = max(1, len(months) // 3)
        early, late = months[:third], months[-third:]
        e_m, e_n = sum(m for _, m, _ in early), sum(m + r for _, m, r in early)
        l_m, l_n = sum(m for _, m, _ in late), sum(m + r for _, m, r in late)
        if e_n >= MIN_SUPPORT and l_n >= MIN_SUPPORT:
            p_e, p_l = e_m / e_n, l_m / l_n
            pooled = (e_m + l_m) / (e_n + l_n)
            se = math.sqrt(max(pooled * (1 - pooled) * (1 / e_n + 1 / l_n), 1e-12))
            z = (p_l - p_e) / se
            if abs(z) >= 3 and abs(p_l - p_e) >= 0.10:
                direction = "rose" if p_l > p_e else "fell"
                sentence = (
                    f"The share of mistakes you made yourself {direction} from {pct(e_m, e_n)} "
                    f"({month_of(early[0][0] + '-01')} to {month_of(early[-1][0] + '-01')}) to {pct(l_m, l_n)} "
                    f"({month_of(late[0][0] + '-01')} to {month_of(late[-1][0] + '-01')}); overall {num(b.makers)} "
                    f"{b.of_your} are yours and {num(b.receivers)} landed on you."
                )
                score = strength(0.7, abs(p_l - p_e) * 2.5, min(e_n, l_n))
                evidence_role = "maker" if p_l > p_e else "receiver"
                return [
                    Pattern(
                        "role_balance",
                        sentence,
                        score,
                        scope.ids("e.role = ? AND e.occurred_on >= ?", (evidence_role, late[0][0] + "-01")),
                    )
                ]
    return [Pattern("role_balance", sentence, score, scope.ids("e.role = ?", (evidence_role,)))]


def find_weekday_cluster(scope: Scope, b: Basics) -> list[Pattern]:
    """A weekday with clearly more mistakes than the other days you log."""
    counts = [0] * 7
    for day, (m, r) in b.by_day.items():
        counts[dt.date.fromisoformat(day).weekday()] += m + r
    # Compare against the days this person actually works: a quiet weekend is not a cluster.
    active = [i for i in range(7) if counts[i] >= 0.2 * b.n / 7]
    if len(active) < 2:
        return []
    total = sum(counts[i] for i in active)
    p0 = 1.0 / len(active)
    best = max(active, key=lambda i: counts[i])
    count = counts[best]
    if not excess(count, total, p0, len(active)) or count / total < 1.25 * p0:
        return []
    spread = "over the week" if len(active) == 7 else f"over the {len(active)} days you usually log"
    name = WEEKDAYS[best]
    sqlite_day = (best + 1) % 7  # strftime('%w'): Sunday is 0
    return [
        Pattern(
            "weekday_cluster",
            f"{name}s stand out: {num(count)} {b.of_your} ({pct(count, b.n)}) happened on a {name}, "
            f"against {pct(1, len(active))} if they were spread evenly {spread}.",
            strength(0.6, (count / total / p0 - 1) * 1.2, count),
            scope.ids("strftime('%w', e.occurred_on) = ?", (str(sqlite_day),)),
        )
    ]


def find_after_break(scope: Scope, b: Basics) -> list[Pattern]:
    """Mistakes that bunch up in the two weeks after a break of BREAK_DAYS days or more."""
    days = sorted(b.by_day)
    if len(days) < 2:
        return []
    dates = [dt.date.fromisoformat(d) for d in days]
    per_day = [sum(b.by_day[d]) for d in days]
    breaks: list[tuple[dt.date, dt.date]] = []
    for prev, nxt in itertools.pairwise(dates):
        if (nxt - prev).days - 1 >= BREAK_DAYS:
            breaks.append((prev, nxt))
    if not breaks:
        return []
    span = (dates[-1] - dates[0]).days + 1
    empty = sum((nxt - prev).days - 1 for prev, nxt in breaks)
    working = span - empty
    observed = 0
    window_days = 0
    windows: list[tuple[str, str]] = []
    for _, start in breaks:
        end = min(start + dt.timedelta(days=AFTER_BREAK_DAYS - 1), dates[-1])
        windows.append((start.isoformat(), (end + dt.timedelta(days=1)).isoformat()))
        inside = sum(c for d, c in zip(dates, per_day, strict=True) if start <= d <= end)
        # The entry that ends a break is there by definition; count only the ones after it.
        observed += inside - 1
        window_days += (end - start).days
    outside = b.n - observed - len(breaks)
    rate = outside / max(1, working - window_days - len(breaks))
    expected = rate * window_days
    if observed < MIN_SUPPORT or expected <= 0 or observed < 1.5 * expected:
        return []
    if poisson_sf(observed, expected) >= ALPHA:
        return []
    latest_before, latest = breaks[-1]
    gap_from = latest_before + dt.timedelta(days=1)
    gap_to = latest - dt.timedelta(days=1)
    condition = " OR ".join("(e.occurred_on >= ? AND e.occurred_on < ?)" for _ in windows)
    params = [d for w in windows for d in w]
    count_in = observed + len(breaks)
    breaks_text = "your break" if len(breaks) == 1 else f"your {len(breaks)} breaks"
    return [
        Pattern(
            "after_break",
            f"Mistakes bunch up after time off: {num(count_in)} {b.of_your} fall in the two weeks after "
            f"{breaks_text} of {BREAK_DAYS} days or more (the latest {short_day(gap_from.isoformat())} to "
            f"{short_day(gap_to.isoformat())}), about {observed / expected:.1f}× your usual pace.",
            strength(0.65, (observed / expected - 1) / 2, observed),
            scope.ids(condition, params),
        )
    ]
