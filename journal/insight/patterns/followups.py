"""Follow-ups: the overdue ones, how many get done and how soon, and the fixes that did not hold."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from journal.insight.patterns.record import Pattern
from journal.insight.patterns.scope import Basics, Scope
from journal.insight.patterns.stats import MIN_SUPPORT, excess, strength
from journal.insight.patterns.wording import num, pct, short_day


def followup_counts(scope: Scope) -> tuple[Counter[str], int, str | None, int, int]:
    """Follow-ups by status, the overdue ones (count, oldest due date) and the checked fixes (held, recurred).

    Three plain counts over covering indexes: per-row expressions are what costs on 150,000 rows.
    """
    status: Counter[str] = Counter(
        dict(scope.rows(f"SELECT x.status, count(*) FROM follow_ups x WHERE {scope.of('x')} GROUP BY x.status"))
    )
    overdue, oldest = scope.rows(
        "SELECT count(*), min(x.due_on) FROM follow_ups x WHERE x.status = 'open' AND x.due_on != '' "
        f"AND x.due_on < ? AND {scope.of('x')}",
        (scope.today,),
    )[0]
    checked = dict(
        scope.rows(
            f"SELECT x.check_result, count(*) FROM follow_ups x WHERE x.check_result != '' AND {scope.of('x')} "
            "GROUP BY x.check_result"
        )
    )
    return status, int(overdue), oldest, int(checked.get("held", 0)), int(checked.get("recurred", 0))


def find_followups(scope: Scope, b: Basics) -> list[Pattern]:
    """Overdue follow-ups, how many get done and how soon, and fixes that did not hold."""
    status, overdue, oldest, held, recurred = followup_counts(scope)
    out: list[Pattern] = []
    total = sum(status.values())
    if overdue and oldest:
        days = (dt.date.fromisoformat(scope.today) - dt.date.fromisoformat(oldest)).days
        one = overdue == 1
        out.append(
            Pattern(
                "followups_overdue",
                f"{num(overdue)} follow-up{'' if one else 's'} {'is' if one else 'are'} overdue "
                f"({pct(overdue, status['open'])} of the open ones); the oldest was due {short_day(oldest)}, "
                f"{num(days)} days ago.",
                strength(0.8, 0.4 + overdue / max(1, status["open"]), overdue),
                scope.ids(
                    "EXISTS (SELECT 1 FROM follow_ups x WHERE x.entry = e.seq AND x.status = 'open' "
                    "AND x.due_on != '' AND x.due_on < ?)",
                    (scope.today,),
                ),
            )
        )
    if total >= MIN_SUPPORT:
        median = _median_days_to_done(scope, status["done"])
        sentence = f"You completed {pct(status['done'], total)} of your {num(total)} follow-ups ({num(status['done'])})"
        if median is not None:
            sentence += f", a median of {median} day{'s' if median != 1 else ''} after the mistake"
        if status["dropped"]:
            sentence += f"; {num(status['dropped'])} were dropped"
        out.append(
            Pattern(
                "followup_completion",
                sentence + ".",
                strength(0.4, 0.4 + (1 - status["done"] / total), total),
                scope.ids(
                    "EXISTS (SELECT 1 FROM follow_ups x WHERE x.entry = e.seq AND x.status IN ('open', 'dropped'))"
                ),
            )
        )
    if recurred >= 2 and held + recurred >= MIN_SUPPORT:
        out.append(_fix_did_not_hold(scope, b, recurred, held + recurred))
    return out


MEDIAN_SAMPLE = 4000


MEDIAN_BLOCKS = 64


def _median_days_to_done(scope: Scope, done: int) -> int | None:
    """Median days from the mistake to a done follow-up.

    Exact up to MEDIAN_SAMPLE done follow-ups. Past that it is estimated from about that many:
    in a narrowed scope from the entries whose seq is a multiple of a stride, otherwise from
    MEDIAN_BLOCKS runs of consecutive entries spread evenly over the journal, which are read a
    page at a time instead of one random page per sampled entry.
    """
    step = max(1, done // MEDIAN_SAMPLE)
    days = "CAST(julianday(x.done_on) - julianday(e.occurred_on) AS INTEGER)"
    if step == 1:
        rows = scope.rows(
            f"SELECT {days} AS days, count(*) FROM follow_ups x JOIN entries e ON e.seq = x.entry "
            f"WHERE x.status = 'done' AND x.done_on >= e.occurred_on AND {scope.of('x')} GROUP BY days ORDER BY days"
        )
    elif scope.narrowed:
        rows = scope.rows(
            f"SELECT {days} AS days, count(*) FROM temp.hs_scope s JOIN follow_ups x ON x.entry = s.seq "
            f"JOIN entries e ON e.seq = s.seq WHERE s.seq % {step} = 0 AND x.status = 'done' "
            "AND x.done_on >= e.occurred_on GROUP BY days ORDER BY days"
        )
    else:
        last = int(scope.rows("SELECT coalesce(max(seq), 0) FROM entries")[0][0])
        stride = max(1, last // MEDIAN_BLOCKS)
        width = max(1, min(stride, last // step // MEDIAN_BLOCKS))
        # The day is a scalar subquery so that SQLite looks up only the sampled entries (a join
        # would have it build a Bloom filter over every entry first).
        rows = scope.rows(
            "WITH RECURSIVE b(lo) AS (SELECT 1 UNION ALL SELECT lo + ? FROM b WHERE lo + ? <= ?) "
            "SELECT CAST(julianday(done_on) - julianday(day) AS INTEGER) AS days, count(*) FROM ("
            "SELECT x.done_on, (SELECT e.occurred_on FROM entries e WHERE e.seq = x.entry AND e.deleted = 0) AS day "
            "FROM b CROSS JOIN follow_ups x ON x.entry >= b.lo AND x.entry < b.lo + ? WHERE x.status = 'done'"
            ") WHERE done_on >= day GROUP BY days ORDER BY days",
            (stride, stride, last, width),
        )
    total = sum(r[1] for r in rows)
    seen = 0
    for value, count in rows:
        seen += count
        if seen * 2 >= total:
            return max(0, int(value))
    return None


# ``check_result != ''`` lets SQLite use the small partial index of checked follow-ups.
_RECURRED = "SELECT entry FROM follow_ups WHERE check_result = 'recurred' AND check_result != ''"


def _fix_did_not_hold(scope: Scope, b: Basics, recurred: int, checked: int) -> Pattern:
    sentence = (
        f"{num(recurred)} of the {num(checked)} fixes you checked did not hold ({pct(recurred, checked)}): "
        "the problem came back."
    )
    tags = scope.rows(
        "SELECT t.name, count(*) FROM tags t "
        f"WHERE t.entry IN ({_RECURRED}) AND {scope.of('t')} "
        "GROUP BY t.name COLLATE NOCASE ORDER BY 2 DESC LIMIT 1"
    )
    recurred_entries = scope.rows(
        f"SELECT count(DISTINCT x.entry) FROM follow_ups x WHERE x.check_result = 'recurred' "
        f"AND x.check_result != '' AND {scope.of('x')}"
    )[0][0]
    if tags and recurred_entries:
        tag, with_tag = tags[0]
        base = scope.rows(f"SELECT count(*) FROM tags t WHERE t.name = ? COLLATE NOCASE AND {scope.of('t')}", (tag,))[
            0
        ][0]
        base_share = base / max(1, b.n)
        share = with_tag / recurred_entries
        if excess(with_tag, recurred_entries, base_share) and share >= 0.3 and share >= 2 * base_share:
            sentence = sentence[:-1] + (
                f"; {num(with_tag)} of the {num(recurred_entries)} post-mortems with a fix that did not hold "
                f"are tagged “{tag}”, a tag on only {pct(base, b.n)} of all."
            )
    return Pattern(
        "fix_did_not_hold",
        sentence,
        strength(0.9, 0.4 + recurred / checked * 2, recurred),
        scope.ids("EXISTS (SELECT 1 FROM follow_ups x WHERE x.entry = e.seq AND x.check_result = 'recurred')"),
    )
