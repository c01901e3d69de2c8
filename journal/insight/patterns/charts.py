"""The numbers behind the Patterns view's charts, for the same scope as a report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from journal.insight.patterns.followups import followup_counts
from journal.insight.patterns.recovery import KIND_NAMES, STEP_NAMES, skipped_counts
from journal.insight.patterns.scope import Basics, Scope, by_month, count_basics
from journal.insight.patterns.stats import MIN_ENTRIES
from journal.model import RECOVERY_STEPS
from journal.store import Store


@dataclass
class Bar:
    """One bar: a value per series, and per series the entries behind it (newest first, capped)."""

    label: str
    values: list[float]
    evidence: list[list[str]]


@dataclass
class Chart:
    """One chart of the Patterns view: its series, and a bar per label (``key`` names it for the UI)."""

    key: str
    title: str
    series: list[str]
    bars: list[Bar]
    unit: str = ""


CHART_EVIDENCE_CAP = 100


def charts(store: Store, query: str = "", period: str = "all", today: str | None = None) -> list[Chart]:
    """The numbers behind the Patterns view's charts, for the same scope as ``analyse``."""
    today = today or dt.date.today().isoformat()
    with Scope(store, query, period, today) as scope:
        b = count_basics(scope)
        if b.n < MIN_ENTRIES:
            return []
        return [c for c in (_chart_months(scope, b), _chart_causes(scope), _chart_emotions(scope),
                            _chart_fade(scope), _chart_skipped(scope, b), _chart_breadsticks(scope),
                            _chart_followups(scope)) if c.bars]


def _ev(scope: Scope, condition: str, params: Sequence[Any] = ()) -> list[str]:
    return scope.ids(condition, params, cap=CHART_EVIDENCE_CAP)


def _chart_months(scope: Scope, b: Basics) -> Chart:
    bars = []
    for month, made, received in by_month(b)[-24:]:
        start = month + "-01"
        end = (dt.date.fromisoformat(start).replace(day=28) + dt.timedelta(days=4)).replace(day=1).isoformat()
        label = dt.date.fromisoformat(start).strftime("%b %Y")
        when = "e.occurred_on >= ? AND e.occurred_on < ? AND e.role = ?"
        bars.append(Bar(label, [made, received], [_ev(scope, when, (start, end, "maker")),
                                                  _ev(scope, when, (start, end, "receiver"))]))
    return Chart("months", "Post-mortems per month", ["I made it", "It landed on me"], bars)


def _chart_causes(scope: Scope) -> Chart:
    rows = scope.rows(
        f"SELECT x.name, count(*) FROM causes x WHERE {scope.of('x')} GROUP BY x.name COLLATE NOCASE "
        "ORDER BY 2 DESC LIMIT 8"
    )
    cond = "EXISTS (SELECT 1 FROM causes x WHERE x.entry = e.seq AND x.name = ? COLLATE NOCASE)"
    return Chart("causes", "Top causes", ["entries"], [Bar(n, [c], [_ev(scope, cond, (n,))]) for n, c in rows])


def _chart_emotions(scope: Scope) -> Chart:
    rows = scope.emotions()
    top = sorted({r[1].casefold(): r[1] for r in sorted(rows, key=lambda r: -r[2])}.values(),
                 key=lambda name: -sum(r[2] for r in rows if r[1].casefold() == name.casefold()))[:6]
    cond = "e.role = ? AND EXISTS (SELECT 1 FROM emotions x WHERE x.entry = e.seq AND x.who = 'me' AND x.name = ?)"
    bars = []
    for name in top:
        made = sum(r[2] for r in rows if r[0] == "maker" and r[1].casefold() == name.casefold())
        received = sum(r[2] for r in rows if r[0] == "receiver" and r[1].casefold() == name.casefold())
        evidence = [_ev(scope, cond, ("maker", name)), _ev(scope, cond, ("receiver", name))]
        bars.append(Bar(name, [made, received], evidence))
    return Chart("emotions", "How you felt, by role", ["I made it", "It landed on me"], bars)


def _chart_fade(scope: Scope) -> Chart:
    rows = scope.emotions()
    bars = []
    cond = ("e.role = ? AND EXISTS (SELECT 1 FROM emotions x WHERE x.entry = e.seq AND x.who = 'me' "
            "AND x.intensity_now IS NOT NULL)")
    for role, label in (("maker", "I made it"), ("receiver", "It landed on me")):
        mine = [r for r in rows if r[0] == role and r[4] > 0]
        rerated = sum(r[4] for r in mine)
        if not rerated:
            continue
        then = sum(r[3] * r[2] for r in mine) / max(1, sum(r[2] for r in mine))
        now = then - sum(r[5] * r[4] for r in mine) / rerated
        ids = _ev(scope, cond, (role,))
        bars.append(Bar(label, [round(then, 1), round(now, 1)], [ids, ids]))
    return Chart("fade", "Feelings at the time and at review (1–5)", ["at the time", "at review"], bars, "points")


def _chart_skipped(scope: Scope, b: Basics) -> Chart:
    row = skipped_counts(scope)
    bars = [Bar(STEP_NAMES[step].removeprefix("the ").capitalize(), [count],
                [_ev(scope, f"e.role = 'maker' AND e.rec_{step} = 'skipped'")])
            for step, count in zip(RECOVERY_STEPS, row, strict=True) if count]
    return Chart("skipped", "Recovery steps you skipped", ["mistakes you made"], bars)


def _chart_breadsticks(scope: Scope) -> Chart:
    rows = scope.rows(
        "SELECT e.bs_kind, sum(e.bs_accepted = 'yes'), sum(e.bs_accepted = 'no') FROM entries e "
        f"WHERE e.deleted = 0 AND {scope.live} AND e.bs_kind NOT IN ('', 'none') GROUP BY e.bs_kind ORDER BY 2 DESC"
    )
    cond = "e.bs_kind = ? AND e.bs_accepted = ?"
    bars = [Bar(KIND_NAMES.get(kind, kind).capitalize(), [yes or 0, no or 0],
                [_ev(scope, cond, (kind, "yes")), _ev(scope, cond, (kind, "no"))])
            for kind, yes, no in rows if (yes or 0) + (no or 0)]
    return Chart("breadsticks", "Make-goods accepted and refused", ["accepted", "refused"], bars)


def _chart_followups(scope: Scope) -> Chart:
    status, overdue, _, _, _ = followup_counts(scope)
    exists = "EXISTS (SELECT 1 FROM follow_ups x WHERE x.entry = e.seq AND {})"
    parts = [
        ("Done", status.get("done", 0), exists.format("x.status = 'done'"), ()),
        ("Open, on time", status.get("open", 0) - overdue,
         exists.format("x.status = 'open' AND (x.due_on = '' OR x.due_on >= ?)"), (scope.today,)),
        ("Overdue", overdue, exists.format("x.status = 'open' AND x.due_on != '' AND x.due_on < ?"), (scope.today,)),
        ("Dropped", status.get("dropped", 0), exists.format("x.status = 'dropped'"), ()),
    ]
    bars = [Bar(label, [count], [_ev(scope, cond, params)]) for label, count, cond, params in parts if count]
    return Chart("followups", "Follow-ups", ["follow-ups"], bars)
