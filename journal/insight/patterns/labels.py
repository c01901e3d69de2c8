"""Recurring causes and tags: the labels that keep coming back, against how often labels are used."""

from __future__ import annotations

from journal import query as q
from journal.insight.patterns.record import Pattern
from journal.insight.patterns.scope import Basics, Scope
from journal.insight.patterns.stats import MIN_SUPPORT, TESTED_FROM, count_strength, excess, strength, worth_counting
from journal.insight.patterns.wording import COUNTED, TESTED, num, pct


def _recurring_labels(scope: Scope, b: Basics, table: str, kind: str) -> list[Pattern]:
    rows = scope.rows(
        f"SELECT x.name, count(*) FROM {table} x WHERE {scope.of('x')} "
        "GROUP BY x.name COLLATE NOCASE ORDER BY 2 DESC"
    )
    # A label the query filters on is in every entry by construction: not a finding.
    field = "cause" if table == "causes" else "tag"
    filtered = {str(f.value).casefold() for f in q.parse(scope.query).filters if f.field == field and not f.negated}
    rows = [r for r in rows if r[0].casefold() not in filtered]
    if not rows:
        return []
    k = len(rows)
    mean = sum(r[1] for r in rows) / k / b.n
    if k == 1:
        rows = [*rows, ("", 0)]
    out = []
    small = b.n < TESTED_FROM
    for rank, (name, count) in enumerate(rows[:3]):
        share = count / b.n
        tested = excess(count, b.n, mean, k)
        top = rank == 0 and share >= 0.10 and count > rows[1][1]
        if not name or count < MIN_SUPPORT:
            continue
        if small:
            if not worth_counting(count, b.n):
                continue
            tail = COUNTED
        elif tested:
            tail = TESTED
        elif top:
            tail = ""
        else:
            continue
        # A tested top label says both: it leads, and by more than chance would give.
        if rank == 0 and tail != COUNTED:
            first = " — more than any other cause" if kind == "recurring_cause" else " — your most frequent tag"
            tail = first + (", and" + tail.removeprefix(" —") if tail else "")
        if kind == "recurring_cause":
            sentence = f"{name.capitalize()} is involved in {num(count)} {b.of_your} ({pct(count, b.n)}){tail}."
        else:
            sentence = f"You tagged {num(count)} {b.of_your} “{name}” ({pct(count, b.n)}){tail}."
        weight = 0.8 if kind == "recurring_cause" else 0.6
        out.append(
            Pattern(
                kind,
                sentence,
                count_strength(weight, share, count) if small else strength(weight, 0.3 + share / max(mean, 1e-9) / 4,
                                                                        count),
                scope.ids(
                    f"EXISTS (SELECT 1 FROM {table} x WHERE x.entry = e.seq AND x.name = ? COLLATE NOCASE)", (name,)
                ),
            )
        )
    return out


def find_causes(scope: Scope, b: Basics) -> list[Pattern]:
    """Causes that stand out among the scope's causes."""
    return _recurring_labels(scope, b, "causes", "recurring_cause")


def find_tags(scope: Scope, b: Basics) -> list[Pattern]:
    """Tags that stand out among the scope's tags."""
    return _recurring_labels(scope, b, "tags", "recurring_tag")
