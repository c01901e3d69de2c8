"""The entries a report covers, as SQL conditions every finder shares, and the counts they all start from.

Every aggregate goes through ``Scope.rows`` (``Store.read``): a busy, locked or damaged journal
comes out of a report as a ``JournalError`` with one sentence, never as a ``sqlite3`` error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from journal import query as q
from journal.insight.patterns.wording import month_of, num
from journal.model import RECOVERY_STEPS
from journal.store import Store

PERIODS = ("all", "90d", "year")
EVIDENCE_CAP = 200  # evidence ids kept per pattern, newest first; the sentences keep the true counts


@dataclass(frozen=True)
class Choice:
    """Mistakes I made that share a response style and a make-good (kind, accepted, currency)."""

    style: str
    kind: str
    accepted: str
    currency: str
    count: int
    cost: float | None
    hours: float | None


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class Scope:
    """The entries a report covers, as SQL conditions shared by every aggregate.

    With no query and no period the conditions exclude the (few) trashed entries,
    which lets SQLite walk its covering indexes; otherwise the matching seqs go
    into one temporary table, built once, that every aggregate joins against.
    """

    def __init__(self, store: Store, query: str, period: str, today: str) -> None:
        if period not in PERIODS:
            raise ValueError(f"period must be one of {', '.join(PERIODS)}; got {period!r}")
        self.store = store
        self.today = today
        self.query = query.strip()
        self.period = period
        parsed = q.parse(self.query)
        clauses, params = q.where(parsed, today)
        start = ""
        if period == "90d":
            start = (dt.date.fromisoformat(today) - dt.timedelta(days=89)).isoformat()
        elif period == "year":
            start = (dt.date.fromisoformat(today) - dt.timedelta(days=364)).isoformat()
        if start:
            clauses.append("e.occurred_on >= ?")
            params.append(start)
        match = q.fts_match(parsed)
        if match:
            clauses.append("e.seq IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)")
            params.append(match)
        self.narrowed = bool(clauses)
        self.trashed = False
        self.walk = ""  # the scope condition for newest-first walks, when it differs from ``live``
        self._choices: list[Choice] | None = None
        self._recovery: list[tuple[tuple[str, ...], int]] | None = None
        self._emotions: list[tuple[str, str, int, float, int, float]] | None = None
        if self.narrowed:
            # The scope table is this connection's own (temp): building it leaves the journal as it is.
            self.rows("DROP TABLE IF EXISTS temp.hs_scope")
            self.rows("CREATE TEMP TABLE hs_scope (seq INTEGER PRIMARY KEY)")
            self.rows(
                "INSERT INTO temp.hs_scope SELECT e.seq FROM entries e WHERE e.deleted = 0 AND "
                + " AND ".join(clauses),
                params,
            )
            inserted = self.rows("SELECT changes()")[0][0]
            self.live = "e.seq IN temp.hs_scope"
            # Evidence is the newest entries that qualify: when the scope is a fair share of the
            # journal, walking all entries newest first meets it at once ("+" keeps SQLite from
            # starting at the scope instead, which would sort every in-scope entry by date).
            total = self.rows("SELECT coalesce(max(seq), 0) FROM entries")[0][0]
            if inserted * 20 >= total:
                self.walk = "+e.seq IN temp.hs_scope"
        else:
            trashed = self.rows("SELECT 1 FROM entries WHERE deleted = 1 LIMIT 1")
            self.live = "e.seq NOT IN (SELECT seq FROM entries WHERE deleted = 1)" if trashed else "1"
            self.trashed = bool(trashed)

    def of(self, alias: str) -> str:
        """The condition that a child-table row (``alias.entry``) is in scope."""
        if self.narrowed:
            return f"{alias}.entry IN temp.hs_scope"
        if self.trashed:
            return f"{alias}.entry NOT IN (SELECT seq FROM entries WHERE deleted = 1)"
        return "1"

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """The rows of one statement; a busy, locked or damaged journal comes out as a ``JournalError``."""
        return self.store.read(sql, params)

    def ids(self, condition: str, params: Sequence[Any] = (), cap: int = EVIDENCE_CAP) -> list[str]:
        """Evidence: the newest ``cap`` ids of in-scope entries meeting ``condition`` (on ``e``)."""
        sql = (
            f"SELECT e.id FROM entries e WHERE e.deleted = 0 AND {self.walk or self.live} AND ({condition}) "
            f"ORDER BY e.occurred_on DESC, e.seq DESC LIMIT {int(cap)}"
        )
        return [r[0] for r in self.rows(sql, params)]

    def choices(self) -> list[Choice]:
        """The mistakes I made, grouped by response style and make-good (kind, accepted, currency).

        One pass over the ``entries_choices`` index in its own order: no sort, no table rows.
        """
        if self._choices is None:
            rows = self.rows(
                "SELECT e.response_style, e.bs_kind, e.bs_accepted, e.bs_currency, count(*), sum(e.bs_cost), "
                f"sum(e.bs_hours) FROM entries e WHERE e.deleted = 0 AND e.role = 'maker' AND {self.live} "
                "GROUP BY 1, 2, 3, 4"
            )
            self._choices = [Choice(*r) for r in rows]
        return self._choices

    def recovery(self) -> list[tuple[tuple[str, ...], int]]:
        """How many of the mistakes I made have each combination of recovery states (per RECOVERY_STEPS).

        Only counted in SQL (one pass over ``entries_recovery`` in its order); the few hundred
        combinations are summed per step in Python.
        """
        if self._recovery is None:
            columns = ", ".join(f"e.rec_{step}" for step in RECOVERY_STEPS)
            rows = self.rows(
                f"SELECT {columns}, count(*) FROM entries e WHERE e.deleted = 0 AND e.role = 'maker' "
                f"AND {self.live} GROUP BY {columns}"
            )
            self._recovery = [(tuple(r[:-1]), int(r[-1])) for r in rows]
        return self._recovery

    def emotions(self) -> list[tuple[str, str, int, float, int, float]]:
        """(role, emotion, entries, mean intensity, re-rated, mean drop) for 'me' emotions.

        Emotions carry their entry's role, so this walks one covering index in GROUP BY order.
        """
        if self._emotions is None:
            # Only count(*) per (role, name, intensity, re-rating) in SQL, in the index's order; the means
            # come from those few hundred groups. Names are merged as SQLite's NOCASE does (ASCII only).
            groups: dict[tuple[str, str], list[Any]] = {}
            for role, name, intensity, now, count in self.rows(
                "SELECT x.role, x.name, x.intensity, x.intensity_now, count(*) FROM emotions x "
                f"WHERE x.who = 'me' AND {self.of('x')} "
                "GROUP BY x.role, x.name COLLATE NOCASE, x.intensity, x.intensity_now"
            ):
                slot = groups.setdefault((role, name.translate(_ASCII_LOWER)), [name, 0, 0, 0, 0])
                slot[1] += count
                slot[2] += intensity * count
                if now is not None:
                    slot[3] += count
                    slot[4] += (intensity - now) * count
            self._emotions = [
                (role, name, entries, total / entries, rerated, drop / rerated if rerated else 0.0)
                for (role, _), (name, entries, total, rerated, drop) in groups.items()
            ]
        return self._emotions

    def close(self) -> None:
        if self.narrowed:
            self.rows("DROP TABLE IF EXISTS temp.hs_scope")

    def __enter__(self) -> Scope:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- what every finder starts from ----------------------------------------------------------------------


@dataclass
class Basics:
    """Counts every pattern needs: per day and role, and the phrases for the scope."""

    by_day: dict[str, list[int]]  # day -> [maker, receiver]
    n: int
    makers: int
    receivers: int
    first: str
    last: str
    of_your: str
    since: str


def count_basics(scope: Scope) -> Basics:
    by_day: dict[str, list[int]] = {}
    for day, role, count in scope.rows(
        f"SELECT e.occurred_on, e.role, count(*) FROM entries e WHERE {scope.live} GROUP BY e.role, e.occurred_on"
    ):
        slot = by_day.setdefault(day, [0, 0])
        slot[0 if role == "maker" else 1] += count
    makers = sum(v[0] for v in by_day.values())
    receivers = sum(v[1] for v in by_day.values())
    n = makers + receivers
    days = sorted(by_day)
    first, last = (days[0], days[-1]) if days else ("", "")
    if scope.period == "90d":
        since = " in the last 90 days"
    elif scope.period == "year":
        since = " in the last 12 months"
    else:
        since = f" since {month_of(first)}" if first else ""
    entries = "post-mortem" if n == 1 else "post-mortems"
    if scope.query:
        of_your = f"of the {num(n)} {entries} matching “{scope.query}”{since}"
    else:
        of_your = f"of your {num(n)} {entries}{since}"
    return Basics(by_day, n, makers, receivers, first, last, of_your, since)



def by_month(b: Basics) -> list[tuple[str, int, int]]:
    months: dict[str, list[int]] = {}
    for day, (m, r) in b.by_day.items():
        slot = months.setdefault(day[:7], [0, 0])
        slot[0] += m
        slot[1] += r
    return [(month, v[0], v[1]) for month, v in sorted(months.items())]
