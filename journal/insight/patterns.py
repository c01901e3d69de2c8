"""What keeps recurring in a journal: pattern records a person reads and nods at (DESIGN §6).

``analyse`` turns a journal (optionally narrowed by a §3 query and a period) into
``Pattern`` records: a sentence with real numbers, a strength from 0 to 1 and the
ids of the entries that are its evidence. Everything is aggregated in SQL over the
child tables, so a 100,000-entry journal is never loaded as objects; evidence
lists are capped (newest first) while the sentences keep the true counts.

A claim needs support. From ``TESTED_FROM`` entries, "recurring" means at least
``MIN_SUPPORT`` entries *and* a share that a binomial test (Bonferroni-corrected over
the candidates) finds clearly above what an even spread would give, and the sentence
says so ("more than chance would give"). A smaller journal cannot pass such a test, so
it gets plain counts instead (at least ``MIN_SUPPORT`` entries and ``OBSERVE_SHARE`` of
them), at a lower strength, and the sentence says that too ("a count, too few entries
yet to test").
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journal import query as q
from journal.model import RECOVERY_STEPS
from journal.store import Store

PERIODS = ("all", "90d", "year")
MIN_ENTRIES = 5
MIN_SUPPORT = 3
TESTED_FROM = 30  # entries in the scope from which recurring clients, causes and tags are tested against chance
OBSERVE_SHARE = 0.25  # below that, a plain count is said when it covers at least this share
OBSERVED_STRENGTH = 0.35  # the most a plain count can weigh
TESTED = " — more than chance would give"
COUNTED = " — a count, too few entries yet to test"
EVIDENCE_CAP = 200
ALPHA = 0.05
BREAK_DAYS = 10
AFTER_BREAK_DAYS = 14

KINDS = (
    "recurring_client",
    "recurring_account",
    "recurring_cause",
    "recurring_tag",
    "role_balance",
    "emotions_by_role",
    "emotion_fade",
    "response_style",
    "skipped_recovery_step",
    "apology_without_remedy",
    "breadsticks_outcome",
    "followups_overdue",
    "followup_completion",
    "fix_did_not_hold",
    "relearned_lesson",
    "weekday_cluster",
    "after_break",
)

STEP_NAMES = {
    "responsibility": "taking responsibility",
    "apology": "the apology",
    "correction": "the correction",
    "compensation": "the compensation",
    "satisfaction_check": "the satisfaction check",
    "acceptance": "acceptance",
}
STYLE_NAMES = {
    "owned": "owned it",
    "over_apologized": "over-apologized",
    "deflected": "deflected",
    "self_blamed": "blamed yourself",
}
KIND_NAMES = {
    "refund": "refunds",
    "discount": "discounts",
    "freebie": "freebies",
    "extra_work": "extra work",
    "personal_visit": "personal visits",
    "gesture": "gestures",
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass
class Pattern:
    """One thing that keeps recurring, with the entries that show it."""

    kind: str
    sentence: str
    strength: float
    evidence: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "sentence": self.sentence,
            "strength": round(self.strength, 3),
            "evidence": list(self.evidence),
        }


# --- small statistics ------------------------------------------------------------------------------


def binom_sf(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p); exact, summed from k while terms matter."""
    if k <= 0:
        return 1.0
    if k > n or p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    if k <= n * p:
        return 1.0  # at or below the mean: never evidence of an excess
    log_term = (
        math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * math.log(p) + (n - k) * math.log1p(-p)
    )
    term = math.exp(log_term)
    total = term
    ratio = p / (1.0 - p)
    i = k
    while i < n and term > total * 1e-12:
        term *= (n - i) / (i + 1) * ratio
        total += term
        i += 1
    return min(1.0, total)


def poisson_sf(k: int, lam: float) -> float:
    """P(X >= k) for X ~ Poisson(lam)."""
    if k <= 0:
        return 1.0
    if lam <= 0:
        return 0.0
    if k <= lam:
        return 1.0
    term = math.exp(-lam + k * math.log(lam) - math.lgamma(k + 1))
    total = term
    i = k
    while term > total * 1e-12 and i < k + 100_000:
        i += 1
        term *= lam / i
        total += term
    return min(1.0, total)


def excess(count: int, trials: int, p0: float, candidates: int = 1) -> bool:
    """True when ``count`` of ``trials`` is clearly above the share ``p0`` (Bonferroni over candidates)."""
    return count >= MIN_SUPPORT and binom_sf(count, trials, p0) * max(1, candidates) < ALPHA


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def _strength(weight: float, effect: float, support: int) -> float:
    """Importance of the kind × size of the effect × how much data stands behind it."""
    return round(_clamp(weight * _clamp(effect) * support / (support + 4)), 3)


def _observed(weight: float, share: float, support: int) -> float:
    """A plain count's strength: below any tested pattern of the same size."""
    return min(OBSERVED_STRENGTH, _strength(weight * 0.5, 0.5 + share, support))


def _counted(count: int, total: int) -> bool:
    """A count worth saying in a small journal."""
    return count >= MIN_SUPPORT and count >= OBSERVE_SHARE * total


def waiting_text(needed: int, narrowed: bool = False) -> str:
    """What a journal too small for patterns will show, and after how many entries (CLI and Patterns page)."""
    more = "1 more entry" if needed == 1 else f"{needed} more entries"
    count = MIN_ENTRIES - needed
    have = "none yet" if count == 0 else "1 so far" if count == 1 else f"{count} so far"
    kind = " of this kind" if narrowed else ""
    return (
        f"Not enough entries{kind} yet to see patterns — {more} and Hindsight can start looking ({have}).\n"
        f"From {MIN_ENTRIES} entries: the clients, causes and tags that keep coming back, recovery steps you "
        "skip, apologies that came without a remedy (given and received), how you felt and how you responded, "
        "follow-ups that slip and lessons you wrote twice.\n"
        f"Up to {TESTED_FROM - 1} entries these are plain counts (“Northwind is the client in 4 of your 8 "
        f"mistakes — a count, too few entries yet to test”); from {TESTED_FROM} entries Hindsight also tests "
        "whether a pattern is more than chance would give, and says so."
    )


def _n(value: int | float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.0f}"


def _pct(part: int, whole: int) -> str:
    if whole <= 0:
        return "0%"
    share = 100 * part / whole
    return f"{share:.0f}%" if share >= 1 else "under 1%"


def _times(count: int) -> str:
    return "once" if count == 1 else "twice" if count == 2 else f"{_n(count)} times"


def _month(day: str) -> str:
    return dt.date.fromisoformat(day).strftime("%B %Y")


def _day(day: str) -> str:
    d = dt.date.fromisoformat(day)
    return f"{d.day} {d.strftime('%b %Y')}"


# --- the narrowed set of entries --------------------------------------------------------------------


@dataclass(frozen=True)
class _Choice:
    """Mistakes I made that share a response style and a make-good (kind, accepted, currency)."""

    style: str
    kind: str
    accepted: str
    currency: str
    count: int
    cost: float | None
    hours: float | None


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class _Scope:
    """The entries a report covers, as SQL conditions shared by every aggregate.

    With no query and no period the conditions exclude the (few) trashed entries,
    which lets SQLite walk its covering indexes; otherwise the matching seqs go
    into one temporary table, built once, that every aggregate joins against.
    """

    def __init__(self, store: Store, query: str, period: str, today: str) -> None:
        if period not in PERIODS:
            raise ValueError(f"period must be one of {', '.join(PERIODS)}; got {period!r}")
        self.conn: sqlite3.Connection = store.conn
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
        self._choices: list[_Choice] | None = None
        self._recovery: list[tuple[tuple[str, ...], int]] | None = None
        self._emotions: list[tuple[str, str, int, float, int, float]] | None = None
        if self.narrowed:
            self.conn.execute("DROP TABLE IF EXISTS temp.hs_scope")
            self.conn.execute("CREATE TEMP TABLE hs_scope (seq INTEGER PRIMARY KEY)")
            inserted = self.conn.execute(
                "INSERT INTO temp.hs_scope SELECT e.seq FROM entries e WHERE e.deleted = 0 AND "
                + " AND ".join(clauses),
                params,
            ).rowcount
            self.live = "e.seq IN temp.hs_scope"
            # Evidence is the newest entries that qualify: when the scope is a fair share of the
            # journal, walking all entries newest first meets it at once ("+" keeps SQLite from
            # starting at the scope instead, which would sort every in-scope entry by date).
            total = self.conn.execute("SELECT coalesce(max(seq), 0) FROM entries").fetchone()[0]
            if inserted * 20 >= total:
                self.walk = "+e.seq IN temp.hs_scope"
        else:
            trashed = self.conn.execute("SELECT 1 FROM entries WHERE deleted = 1 LIMIT 1").fetchone()
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
        return self.conn.execute(sql, params).fetchall()

    def ids(self, condition: str, params: Sequence[Any] = (), cap: int = EVIDENCE_CAP) -> list[str]:
        """Evidence: the newest ``cap`` ids of in-scope entries meeting ``condition`` (on ``e``)."""
        sql = (
            f"SELECT e.id FROM entries e WHERE e.deleted = 0 AND {self.walk or self.live} AND ({condition}) "
            f"ORDER BY e.occurred_on DESC, e.seq DESC LIMIT {int(cap)}"
        )
        return [r[0] for r in self.conn.execute(sql, params)]

    def choices(self) -> list[_Choice]:
        """The mistakes I made, grouped by response style and make-good (kind, accepted, currency).

        One pass over the ``entries_choices`` index in its own order: no sort, no table rows.
        """
        if self._choices is None:
            rows = self.rows(
                "SELECT e.response_style, e.bs_kind, e.bs_accepted, e.bs_currency, count(*), sum(e.bs_cost), "
                f"sum(e.bs_hours) FROM entries e WHERE e.deleted = 0 AND e.role = 'maker' AND {self.live} "
                "GROUP BY 1, 2, 3, 4"
            )
            self._choices = [_Choice(*r) for r in rows]
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
            self.conn.execute("DROP TABLE IF EXISTS temp.hs_scope")

    def __enter__(self) -> _Scope:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- the report -------------------------------------------------------------------------------------


@dataclass
class _Basics:
    """Counts every pattern needs: per day and role, and the phrases for the scope."""

    by_day: dict[str, list[int]]  # day -> [maker, receiver]
    n: int
    makers: int
    receivers: int
    first: str
    last: str
    of_your: str
    since: str


def _basics(scope: _Scope) -> _Basics:
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
        since = f" since {_month(first)}" if first else ""
    entries = "post-mortem" if n == 1 else "post-mortems"
    if scope.query:
        of_your = f"of the {_n(n)} {entries} matching “{scope.query}”{since}"
    else:
        of_your = f"of your {_n(n)} {entries}{since}"
    return _Basics(by_day, n, makers, receivers, first, last, of_your, since)


Builder = Callable[["_Scope", "_Basics"], list["Pattern"]]

# From this many entries a report runs its two heaviest kinds on a second connection,
# in parallel (SQLite releases the GIL); below it a report takes milliseconds anyway.
PARALLEL_FROM = 20_000


def analyse(store: Store, query: str = "", period: str = "all", today: str | None = None) -> list[Pattern]:
    """The patterns in the journal (or the part a query and period select), strongest first."""
    today = today or dt.date.today().isoformat()
    with _Scope(store, query, period, today) as scope:
        basics = _basics(scope)
        if basics.n < MIN_ENTRIES:
            return []
        results: dict[Builder, list[Pattern]] = {}
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="hindsight-patterns") as pool:
            apart = None
            # A narrowed report still scans indexes over the whole journal: size it by that.
            journal_size = scope.conn.execute("SELECT coalesce(max(seq), 0) FROM entries").fetchone()[0]
            if journal_size >= PARALLEL_FROM:
                apart = pool.submit(_run_apart, store.path, query, period, today, basics)
            for builder in _BUILDERS:
                if apart is None or builder not in _APART:
                    results[builder] = builder(scope, basics)
            if apart is not None:
                results.update(apart.result())
        found = [pattern for builder in _BUILDERS for pattern in results[builder]]
    found.sort(key=lambda p: (-p.strength, KINDS.index(p.kind) if p.kind in KINDS else 99))
    return found


def _run_apart(path: Path, query: str, period: str, today: str, basics: _Basics) -> dict[Builder, list[Pattern]]:
    """The kinds in ``_APART``, on a connection of their own (this runs on a worker thread)."""
    store = Store.open(path, create=False)
    try:
        with _Scope(store, query, period, today) as scope:
            return {builder: builder(scope, basics) for builder in _APART}
    finally:
        store.conn.close()  # not Store.close(): its PRAGMA optimize could wait on a writer


def entries_needed(store: Store, query: str = "", period: str = "all", today: str | None = None) -> int:
    """How many more entries the scope needs before patterns are looked for (0 when enough)."""
    today = today or dt.date.today().isoformat()
    with _Scope(store, query, period, today) as scope:
        count = int(scope.rows(f"SELECT count(*) FROM entries e WHERE {scope.live}")[0][0])
    return max(0, MIN_ENTRIES - count)


# --- who: clients and accounts ------------------------------------------------------------------------


def _top_cause(scope: _Scope, column: str, name: str, role: str) -> tuple[str, int]:
    rows = scope.rows(
        # From the party's entries (the client index covers them) to their causes, not the other way round.
        f"SELECT c.name, count(DISTINCT c.entry) FROM entries e CROSS JOIN causes c ON c.entry = e.seq "
        f"WHERE {scope.live} AND e.{column} = ? COLLATE NOCASE AND e.deleted = 0 AND e.role = ? "
        "GROUP BY c.name COLLATE NOCASE ORDER BY 2 DESC LIMIT 1",
        (name, role),
    )
    return (rows[0][0], rows[0][1]) if rows else ("", 0)


def _parties(scope: _Scope, b: _Basics) -> list[Pattern]:
    """Recurring clients and accounts, from one walk of the client index."""
    # A party is a client I let down (maker) or a provider who let me down (receiver): each is tested
    # against the others of its role, so ten equally busy providers are not each "recurring". A
    # party's role and account are those of its first entry (one row per party, cheap on big journals).
    # min() makes role and account_key those of the party's first entry; the index holds every column.
    counts = scope.rows(
        "SELECT e.client, count(*), min(e.occurred_on), e.role, e.account_key, sum(e.role = 'maker') "
        f"FROM entries e WHERE {scope.live} AND e.client != '' GROUP BY e.client COLLATE NOCASE"
    )
    by_role: dict[str, list[tuple[str, int]]] = {"maker": [], "receiver": []}
    accounts: dict[str, list[tuple[str, str, int]]] = {}
    own_by_role: dict[tuple[str, str], int] = {}
    for name, count, _, role, account, makers in counts:
        by_role[role].append((name, count))
        accounts.setdefault(account.casefold(), []).append((account, name, count))
        own_by_role[name, role] = makers if role == "maker" else count - makers
    out: list[Pattern] = []
    small = b.n < TESTED_FROM
    for role, parties in by_role.items():
        total = b.makers if role == "maker" else b.receivers
        k = len(parties)
        if total < MIN_SUPPORT or (not small and (k < 2 or total < MIN_ENTRIES)):
            continue
        p0 = 1.0 / max(k, 1)
        for name, count in sorted(parties, key=lambda x: -x[1])[:3]:
            own = own_by_role[name, role]
            if small:
                if not _counted(own, total):
                    continue
            elif not excess(count, total, p0, k) or not excess(own, total, p0, k):
                continue
            cause, with_cause = _top_cause(scope, "client", name, role)
            share = own / total
            if role == "maker":
                sentence = f"{name} is the client in {_n(own)} of the {_n(total)} mistakes you made{b.since} "
                sentence += f"({_pct(own, total)}" + (")" if small else
                                                     f", against {_pct(1, k)} if spread evenly over your {k} clients)")
            else:
                sentence = (
                    f"{name} let you down {_times(own)}{b.since}: {_pct(own, total)} of the {_n(total)} "
                    "mistakes that landed on you"
                ) + ("" if small else f" (against {_pct(1, k)} if spread evenly over {k} providers)")
            sentence += COUNTED if small else TESTED
            if cause and with_cause * 2 > own:
                sentence += f"; {_n(with_cause)} of them involve {cause}"
            out.append(
                Pattern(
                    "recurring_client",
                    sentence + ".",
                    _observed(0.9, share, own) if small else _strength(0.9, 0.35 + (share / p0 - 1) / 3, own),
                    scope.ids("e.client = ? COLLATE NOCASE AND e.role = ?", (name, role)),
                )
            )
    out.extend(_accounts(scope, b, accounts, by_role))
    return out


def _accounts(
    scope: _Scope,
    b: _Basics,
    accounts: dict[str, list[tuple[str, str, int]]],
    by_role: dict[str, list[tuple[str, int]]],
) -> list[Pattern]:
    """Accounts that gather several clients, against the share their number of clients predicts."""
    role_of = {name.casefold(): role for role, parties in by_role.items() for name, _ in parties}
    out = []
    for members in accounts.values():
        if len(members) < 2:
            continue  # an account of one client says nothing the client pattern does not
        account = members[0][0]
        role = Counter(role_of[m[1].casefold()] for m in members).most_common(1)[0][0]
        total = b.makers if role == "maker" else b.receivers
        k = len(by_role[role])
        count = int(
            scope.rows(
                f"SELECT count(*) FROM entries e WHERE {scope.live} AND e.account_key = ? COLLATE NOCASE "
                "AND e.role = ?",
                (account, role),
            )[0][0]
        )
        p0 = len(members) / max(k, 1)
        if b.n < TESTED_FROM or k <= len(members) or not excess(count, total, p0, len(accounts)):
            continue
        names = [m[1] for m in sorted(members, key=lambda m: -m[2])]
        shown = " and ".join(names[:2]) + (f" and {len(names) - 2} more" if len(names) > 2 else "")
        whose = "mistakes you made" if role == "maker" else "mistakes that landed on you"
        out.append(
            Pattern(
                "recurring_account",
                f"The {account} account ({shown}) is behind {_n(count)} of the {_n(total)} {whose}{b.since} "
                f"({_pct(count, total)}); its {len(members)} clients would account for {_pct(len(members), k)} "
                f"if every client were alike{TESTED}.",
                _strength(0.75, 0.35 + (count / total / p0 - 1) / 3, count),
                scope.ids("e.account_key = ? COLLATE NOCASE AND e.role = ?", (account, role)),
            )
        )
    return out


# --- what: causes and tags ------------------------------------------------------------------------------


def _recurring_labels(scope: _Scope, b: _Basics, table: str, kind: str) -> list[Pattern]:
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
            if not _counted(count, b.n):
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
            sentence = f"{name.capitalize()} is involved in {_n(count)} {b.of_your} ({_pct(count, b.n)}){tail}."
        else:
            sentence = f"You tagged {_n(count)} {b.of_your} “{name}” ({_pct(count, b.n)}){tail}."
        weight = 0.8 if kind == "recurring_cause" else 0.6
        out.append(
            Pattern(
                kind,
                sentence,
                _observed(weight, share, count) if small else _strength(weight, 0.3 + share / max(mean, 1e-9) / 4,
                                                                        count),
                scope.ids(
                    f"EXISTS (SELECT 1 FROM {table} x WHERE x.entry = e.seq AND x.name = ? COLLATE NOCASE)", (name,)
                ),
            )
        )
    return out


def _recurring_cause(scope: _Scope, b: _Basics) -> list[Pattern]:
    return _recurring_labels(scope, b, "causes", "recurring_cause")


def _recurring_tag(scope: _Scope, b: _Basics) -> list[Pattern]:
    return _recurring_labels(scope, b, "tags", "recurring_tag")


# --- when: role over time, weekdays, breaks ----------------------------------------------------------------


def _months(b: _Basics) -> list[tuple[str, int, int]]:
    months: dict[str, list[int]] = {}
    for day, (m, r) in b.by_day.items():
        slot = months.setdefault(day[:7], [0, 0])
        slot[0] += m
        slot[1] += r
    return [(month, v[0], v[1]) for month, v in sorted(months.items())]


def _role_balance(scope: _Scope, b: _Basics) -> list[Pattern]:
    if b.makers + b.receivers < MIN_ENTRIES:
        return []
    sentence = (
        f"{_pct(b.makers, b.n)} {b.of_your} are mistakes you made ({_n(b.makers)}); "
        f"{_pct(b.receivers, b.n)} landed on you ({_n(b.receivers)})."
    )
    strength = _strength(0.35, 0.5, b.n)
    evidence_role = "maker" if b.makers >= b.receivers else "receiver"
    months = _months(b)
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
                    f"The share of mistakes you made yourself {direction} from {_pct(e_m, e_n)} "
                    f"({_month(early[0][0] + '-01')} to {_month(early[-1][0] + '-01')}) to {_pct(l_m, l_n)} "
                    f"({_month(late[0][0] + '-01')} to {_month(late[-1][0] + '-01')}); overall {_n(b.makers)} "
                    f"{b.of_your} are yours and {_n(b.receivers)} landed on you."
                )
                strength = _strength(0.7, abs(p_l - p_e) * 2.5, min(e_n, l_n))
                evidence_role = "maker" if p_l > p_e else "receiver"
                return [
                    Pattern(
                        "role_balance",
                        sentence,
                        strength,
                        scope.ids("e.role = ? AND e.occurred_on >= ?", (evidence_role, late[0][0] + "-01")),
                    )
                ]
    return [Pattern("role_balance", sentence, strength, scope.ids("e.role = ?", (evidence_role,)))]


def _weekday_cluster(scope: _Scope, b: _Basics) -> list[Pattern]:
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
            f"{name}s stand out: {_n(count)} {b.of_your} ({_pct(count, b.n)}) happened on a {name}, "
            f"against {_pct(1, len(active))} if they were spread evenly {spread}.",
            _strength(0.6, (count / total / p0 - 1) * 1.2, count),
            scope.ids("strftime('%w', e.occurred_on) = ?", (str(sqlite_day),)),
        )
    ]


def _after_break(scope: _Scope, b: _Basics) -> list[Pattern]:
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
            f"Mistakes bunch up after time off: {_n(count_in)} {b.of_your} fall in the two weeks after "
            f"{breaks_text} of {BREAK_DAYS} days or more (the latest {_day(gap_from.isoformat())} to "
            f"{_day(gap_to.isoformat())}), about {observed / expected:.1f}× your usual pace.",
            _strength(0.65, (observed / expected - 1) / 2, observed),
            scope.ids(condition, params),
        )
    ]


# --- how it felt and how you responded -------------------------------------------------------------------


def _emotions(scope: _Scope) -> list[tuple[str, str, int, float, int, float]]:
    """(role, emotion, entries, mean intensity, re-rated, mean drop) for 'me' emotions."""
    return scope.emotions()


def _emotion_patterns(scope: _Scope, b: _Basics) -> list[Pattern]:
    rows = _emotions(scope)
    out: list[Pattern] = []
    parts = []
    best_support = 0
    for role, total in (("maker", b.makers), ("receiver", b.receivers)):
        mine = sorted((r for r in rows if r[0] == role), key=lambda r: -r[2])
        if not mine or total < MIN_ENTRIES:
            continue
        top = mine[0]
        if top[2] < MIN_SUPPORT or top[2] / total < 0.2:
            continue
        who = "When you made the mistake" if role == "maker" else "When it landed on you"
        text = f"{who} you most often felt {top[1]} ({_n(top[2])} of {_n(total)}, {_pct(top[2], total)}"
        if len(mine) > 1 and mine[1][2] >= MIN_SUPPORT and mine[1][2] / total >= 0.2:
            text += f"; then {mine[1][1]}, {_pct(mine[1][2], total)}"
        parts.append(text + ")")
        best_support = max(best_support, top[2])
    if parts:
        top_role = "maker" if b.makers >= b.receivers else "receiver"
        names = [r[1] for r in rows if r[0] == top_role]
        marks = ", ".join("?" * len(names)) or "''"
        out.append(
            Pattern(
                "emotions_by_role",
                "; ".join(parts) + ".",
                _strength(0.45, 0.7, best_support),
                scope.ids(
                    f"e.role = ? AND EXISTS (SELECT 1 FROM emotions x WHERE x.entry = e.seq AND x.who = 'me' "
                    f"AND x.name IN ({marks}))",
                    (top_role, *names),
                ),
            )
        )
    # Fade: how much lower the same feelings were when re-rated at review.
    for role in ("maker", "receiver"):
        mine = [r for r in rows if r[0] == role and r[4] > 0]
        rerated = sum(r[4] for r in mine)
        if rerated < MIN_SUPPORT:
            continue
        before = sum(r[3] * r[2] for r in mine) / max(1, sum(r[2] for r in mine))
        drop = sum(r[5] * r[4] for r in mine) / rerated
        if abs(drop) < 0.5:
            continue
        most = max(mine, key=lambda r: r[5] if drop > 0 else -r[5])
        who = "mistakes you made" if role == "maker" else "mistakes that landed on you"
        verb = "faded" if drop > 0 else "grew"
        out.append(
            Pattern(
                "emotion_fade",
                f"By the time you reviewed them, your feelings about {who} had {verb} by {abs(drop):.1f} points "
                f"on a 1–5 scale ({_n(rerated)} feelings re-rated, from about {before:.1f}); "
                f"{most[1]} {verb} the most ({abs(most[5]):.1f}).",
                _strength(0.5 if role == "maker" else 0.4, abs(drop) / 2.5, rerated),
                scope.ids(
                    "e.role = ? AND EXISTS (SELECT 1 FROM emotions x WHERE x.entry = e.seq AND x.who = 'me' "
                    "AND x.intensity_now IS NOT NULL AND x.intensity_now != x.intensity)",
                    (role,),
                ),
            )
        )
    return out


def _choices(scope: _Scope, b: _Basics) -> list[Pattern]:
    """Response styles and make-goods of the mistakes you made, from the scope's one pass over them."""
    if b.makers < MIN_ENTRIES:
        return []
    styles: Counter[str] = Counter()
    for choice in scope.choices():
        if choice.style:
            styles[choice.style] += choice.count
    return _response_style(scope, styles) + _breadsticks(scope, scope.choices())


def _response_style(scope: _Scope, styles: Counter[str]) -> list[Pattern]:
    total = sum(styles.values())
    if total < MIN_ENTRIES:
        return []
    ranked = styles.most_common()
    style, count = ranked[0]
    k = len(STYLE_NAMES)
    if not excess(count, total, 1.0 / k, k):
        return []
    others = ", ".join(f"{STYLE_NAMES.get(s, s)} {_n(c)}" for s, c in ranked[1:3])
    sentence = (
        f"When the mistake was yours, your first response was most often that you {STYLE_NAMES.get(style, style)}: "
        f"{_n(count)} of {_n(total)} times ({_pct(count, total)})" + (f"; {others}." if others else ".")
    )
    weight = 0.5 if style == "owned" else 0.75
    return [
        Pattern(
            "response_style",
            sentence,
            _strength(weight, count / total * 1.6, count),
            scope.ids("e.role = 'maker' AND e.response_style = ?", (style,)),
        )
    ]


# --- recovery and make-goods ----------------------------------------------------------------------------------


def _skipped_steps(scope: _Scope, b: _Basics) -> list[Pattern]:
    if b.makers < MIN_ENTRIES:
        return []
    row = _skipped_counts(scope)
    rows = sorted(((step, c) for step, c in zip(RECOVERY_STEPS, row, strict=True) if c), key=lambda r: -r[1])
    if not rows:
        return []
    step, count = rows[0]
    rate = count / b.makers
    if count < MIN_SUPPORT or rate < 0.15:
        return []
    mean = sum(r[1] for r in rows) / len(RECOVERY_STEPS)
    ahead = len(rows) == 1 or excess(count, sum(r[1] for r in rows), 1.0 / len(RECOVERY_STEPS), len(RECOVERY_STEPS))
    sentence = (
        f"You skipped {STEP_NAMES.get(step, step)} in {_n(count)} of the {_n(b.makers)} mistakes you made{b.since} "
        f"({_pct(count, b.makers)})"
    )
    if ahead and len(rows) > 1:
        sentence += (
            f" — the step you skip most; next is {STEP_NAMES.get(rows[1][0], rows[1][0])} "
            f"({_pct(rows[1][1], b.makers)})."
        )
    else:
        sentence += "."
    return [
        Pattern(
            "skipped_recovery_step",
            sentence,
            _strength(0.85, rate * 1.2 + (0.2 if count > 2 * mean else 0), count),
            scope.ids(f"e.role = 'maker' AND e.rec_{step} = 'skipped'"),
        )
    ]


def _skipped_counts(scope: _Scope) -> list[int]:
    """How many of the mistakes I made skipped each step of RECOVERY_STEPS."""
    counts = [0] * len(RECOVERY_STEPS)
    for states, count in scope.recovery():
        for i, state in enumerate(states):
            if state == "skipped":
                counts[i] += count
    return counts


_NO_REMEDY = "e.rec_apology = 'done' AND e.rec_correction = 'skipped' AND e.rec_compensation = 'skipped'"


def _apology_without_remedy(scope: _Scope, b: _Basics) -> list[Pattern]:
    """Apologies with nothing put right, given (as maker) and received (as receiver), said separately."""
    sides = {role: _bare_apologies(scope, role) for role in ("maker", "receiver")}
    bare = sum(s[1] for s in sides.values())
    apologies = sum(s[0] for s in sides.values())
    if bare < MIN_SUPPORT or bare / max(1, apologies) < 0.05:
        return []
    (gave, gave_bare), (got, got_bare) = sides["maker"], sides["receiver"]
    parts = []
    if gave_bare:
        parts.append(f"{_n(gave_bare)} of the {_n(gave)} times you apologized{b.since} ({_pct(gave_bare, gave)}), "
                     "nothing was put right: correction and compensation were both skipped")
    if got_bare:
        parts.append(f"{_n(got_bare)} of the {_n(got)} apologies made to you{'' if parts else b.since} "
                     f"({_pct(got_bare, got)}) came with no correction and no compensation")
    elif got:
        parts.append(f"every one of the {_n(got)} apologies made to you came with a correction or compensation")
    sentence = "; as receiver, ".join(parts) if gave_bare else parts[0][0].upper() + parts[0][1:]
    small = b.n < TESTED_FROM
    strength = _strength(1.0, 0.45 + bare / apologies * 2, bare)
    roles = [role for role, (_, count) in sides.items() if count]
    marks = ", ".join("?" * len(roles))
    return [
        Pattern(
            "apology_without_remedy",
            sentence + (COUNTED if small else "") + ".",
            min(OBSERVED_STRENGTH, strength * 0.5) if small else strength,
            scope.ids(f"e.role IN ({marks}) AND {_NO_REMEDY}", roles),
        )
    ]


def _bare_apologies(scope: _Scope, role: str) -> tuple[int, int]:
    """(apologies, apologies with correction and compensation both skipped) in the entries of ``role``."""
    if role == "maker":
        step = {name: i for i, name in enumerate(RECOVERY_STEPS)}
        apologies = bare = 0
        for states, count in scope.recovery():
            if states[step["apology"]] == "done":
                apologies += count
                if states[step["correction"]] == states[step["compensation"]] == "skipped":
                    bare += count
        return apologies, bare
    apologies, bare = scope.rows(
        "SELECT count(*), coalesce(sum(e.rec_correction = 'skipped' AND e.rec_compensation = 'skipped'), 0) "
        f"FROM entries e WHERE e.deleted = 0 AND e.role = ? AND e.rec_apology = 'done' AND {scope.live}",
        (role,),
    )[0]
    return int(apologies), int(bare)


def _breadsticks(scope: _Scope, choices: list[_Choice]) -> list[Pattern]:
    kinds: dict[str, list[float]] = {}
    currencies: Counter[str] = Counter()
    for choice in choices:
        kind, accepted, currency, count = choice.kind, choice.accepted, choice.currency, choice.count
        cost, hours = choice.cost, choice.hours
        if kind in ("", "none") or accepted not in ("yes", "no"):
            continue
        slot = kinds.setdefault(kind, [0, 0, 0.0, 0.0])
        slot[0 if accepted == "yes" else 1] += count
        if accepted == "yes":
            slot[2] += cost or 0.0
            slot[3] += hours or 0.0
            if currency:
                currencies[currency] += count
    judged = {k: v for k, v in kinds.items() if v[0] + v[1] >= MIN_SUPPORT}
    if not judged:
        return []
    total = int(sum(v[0] + v[1] for v in judged.values()))
    rates = {k: v[0] / (v[0] + v[1]) for k, v in judged.items()}
    most = max(judged, key=lambda k: (rates[k], judged[k][0] + judged[k][1]))
    least = min(judged, key=lambda k: (rates[k], -(judged[k][0] + judged[k][1])))
    if least == most or rates[most] < 0.6 or rates[least] > 0.5 or rates[most] - rates[least] < 0.25:
        return []
    yes, no = int(judged[most][0]), int(judged[most][1])
    sentence = f"{KIND_NAMES.get(most, most).capitalize()} were accepted {_n(yes)} of {_n(yes + no)} times; "
    yes, no = int(judged[least][0]), int(judged[least][1])
    sentence += f"{KIND_NAMES.get(least, least)} were refused {_n(no)} of {_n(yes + no)} times."
    cost = sum(v[2] for v in judged.values())
    hours = sum(v[3] for v in judged.values())
    extras = []
    if cost:
        currency = currencies.most_common(1)[0][0] if len(currencies) == 1 else ""
        extras.append(f"{currency} {_n(cost)}".strip() if currency else f"{_n(cost)} (mixed currencies)")
    if hours:
        extras.append(f"{_n(hours)} hours")
    if extras:
        sentence += f" The make-goods that were accepted cost you {' and '.join(extras)}."
    return [
        Pattern(
            "breadsticks_outcome",
            sentence,
            _strength(0.6, (rates[most] - rates[least]) * 1.3, total),
            scope.ids("e.role = 'maker' AND e.bs_kind = ? AND e.bs_accepted = 'no'", (least,), cap=EVIDENCE_CAP // 2)
            + scope.ids("e.role = 'maker' AND e.bs_kind = ? AND e.bs_accepted = 'yes'", (most,), cap=EVIDENCE_CAP // 2),
        )
    ]


# --- follow-ups ------------------------------------------------------------------------------------------------


def _followup_counts(scope: _Scope) -> tuple[Counter[str], int, str | None, int, int]:
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


def _followups(scope: _Scope, b: _Basics) -> list[Pattern]:
    status, overdue, oldest, held, recurred = _followup_counts(scope)
    out: list[Pattern] = []
    total = sum(status.values())
    if overdue and oldest:
        days = (dt.date.fromisoformat(scope.today) - dt.date.fromisoformat(oldest)).days
        one = overdue == 1
        out.append(
            Pattern(
                "followups_overdue",
                f"{_n(overdue)} follow-up{'' if one else 's'} {'is' if one else 'are'} overdue "
                f"({_pct(overdue, status['open'])} of the open ones); the oldest was due {_day(oldest)}, "
                f"{_n(days)} days ago.",
                _strength(0.8, 0.4 + overdue / max(1, status["open"]), overdue),
                scope.ids(
                    "EXISTS (SELECT 1 FROM follow_ups x WHERE x.entry = e.seq AND x.status = 'open' "
                    "AND x.due_on != '' AND x.due_on < ?)",
                    (scope.today,),
                ),
            )
        )
    if total >= MIN_SUPPORT:
        median = _median_days_to_done(scope, status["done"])
        sentence = f"You completed {_pct(status['done'], total)} of your {_n(total)} follow-ups ({_n(status['done'])})"
        if median is not None:
            sentence += f", a median of {median} day{'s' if median != 1 else ''} after the mistake"
        if status["dropped"]:
            sentence += f"; {_n(status['dropped'])} were dropped"
        out.append(
            Pattern(
                "followup_completion",
                sentence + ".",
                _strength(0.4, 0.4 + (1 - status["done"] / total), total),
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


def _median_days_to_done(scope: _Scope, done: int) -> int | None:
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


def _fix_did_not_hold(scope: _Scope, b: _Basics, recurred: int, checked: int) -> Pattern:
    sentence = (
        f"{_n(recurred)} of the {_n(checked)} fixes you checked did not hold ({_pct(recurred, checked)}): "
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
                f"; {_n(with_tag)} of the {_n(recurred_entries)} post-mortems with a fix that did not hold "
                f"are tagged “{tag}”, a tag on only {_pct(base, b.n)} of all."
            )
    return Pattern(
        "fix_did_not_hold",
        sentence,
        _strength(0.9, 0.4 + recurred / checked * 2, recurred),
        scope.ids("EXISTS (SELECT 1 FROM follow_ups x WHERE x.entry = e.seq AND x.check_result = 'recurred')"),
    )


# --- lessons written more than once ----------------------------------------------------------------------------

_STOP_WORDS = """
a an the and or but if then than so to of in on at by for with from into onto about as is are was were be been
being it its this that these those there their them they we you your our i me my he she his her not no nor just
only also too very can could should would will shall must may might do does did done have has had get got
always never ever every each all any some before after when while until again more most less what which who
whom how why where up down out over under off
"""
_STOP = frozenset(_STOP_WORDS.split())
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_IRREGULAR = {"written": "write", "wrote": "write", "made": "make", "took": "take", "taken": "take", "sent": "send"}


def _stem(word: str) -> str:
    word = _IRREGULAR.get(word, word)
    for suffix in ("ations", "ation", "ings", "ing", "edly", "ed", "ies", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)]
            break
    return word.rstrip("ey") if len(word) > 4 else word


def lesson_key(text: str) -> frozenset[str]:
    """The informative word stems of a lesson: what two wordings of it share."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return frozenset(_stem(w) for w in _WORD.findall(folded) if w not in _STOP and len(w) > 1)


def same_lesson(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two lessons say the same thing when most of the shorter one's stems are in the longer one.

    Two shared stems are not enough on their own ("check … before sending" says nothing about
    *what* is checked): then one lesson must contain the other.
    """
    shared = len(a & b)
    smaller = min(len(a), len(b))
    if not shared:
        return False
    if shared == smaller and shared >= 2:
        return True
    return (shared >= 3 and shared / smaller >= 0.6) or shared / len(a | b) >= 0.67


def cluster_lessons(texts: Iterable[str]) -> list[list[str]]:
    """Group lesson wordings that say the same thing (single link over ``same_lesson``)."""
    keyed = [(t, lesson_key(t)) for t in dict.fromkeys(texts)]
    parent = list(range(len(keyed)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_stem: dict[str, list[int]] = {}
    for i, (_, key) in enumerate(keyed):
        for stem in key:
            by_stem.setdefault(stem, []).append(i)
    for i, (_, key) in enumerate(keyed):
        candidates: Counter[int] = Counter()
        for stem in key:
            candidates.update(j for j in by_stem[stem] if j > i)
        for j, shared in candidates.items():
            if shared >= 2 and same_lesson(key, keyed[j][1]):
                parent[find(j)] = find(i)
    groups: dict[int, list[str]] = {}
    for i, (text, _) in enumerate(keyed):
        groups.setdefault(find(i), []).append(text)
    return list(groups.values())


def _lesson_span(scope: _Scope, group: list[str], common: bool) -> tuple[str, str, str]:
    """The first and last day a lesson of ``group`` was written, and its newest wording.

    A common lesson is met within a few entries of either end of the journal, so the entries are
    walked from each end in date order; a rare one is looked up from its (few) lesson rows.
    """
    marks = ", ".join("?" * len(group))
    if common:
        ends = []
        for direction in ("ASC", "DESC"):
            ends += scope.rows(
                f"SELECT e.occurred_on, x.text FROM entries e CROSS JOIN lessons x ON x.entry = e.seq "
                f"WHERE e.deleted = 0 AND {scope.live} AND x.text IN ({marks}) "
                f"ORDER BY e.occurred_on {direction}, e.seq {direction} LIMIT 1",
                group,
            )
        (first, _), (last, newest) = ends
        return first, last, newest
    spans = scope.rows(
        f"SELECT x.text, min(e.occurred_on), max(e.occurred_on) FROM lessons x JOIN entries e ON e.seq = x.entry "
        f"WHERE {scope.of('x')} AND x.text IN ({marks}) GROUP BY x.text",
        group,
    )
    newest, _, last = max(spans, key=lambda span: span[2])
    return min(span[1] for span in spans), last, newest


def _relearned_lesson(scope: _Scope, b: _Basics) -> list[Pattern]:
    rows = scope.rows(f"SELECT x.text, count(*) FROM lessons x WHERE {scope.of('x')} GROUP BY x.text")
    counts = {r[0]: r[1] for r in rows}
    found = []
    for group in cluster_lessons(counts):
        written = sum(counts[t] for t in group)
        if written >= 2:
            found.append((len(group) >= 2, written, group))
    # Wording that changes each time is the sign of a lesson relearned rather than remembered.
    found.sort(key=lambda f: (not f[0], -f[1]))
    out = []
    for varied, _, group in found[:3]:
        marks = ", ".join("?" * len(group))
        times = scope.rows(
            f"SELECT count(DISTINCT x.entry) FROM lessons x WHERE {scope.of('x')} AND x.text IN ({marks})", group
        )[0][0]
        if times < 2:
            continue
        # A narrowed scope may start anywhere in the journal, so only the whole journal is walked from its ends.
        first, last, newest = _lesson_span(scope, group, times * 50 >= b.n and not scope.narrowed)
        wordings = f", in {len(group)} different wordings" if varied else ", each time in the same words"
        out.append(
            Pattern(
                "relearned_lesson",
                f"You have written this lesson {_times(times)} since {_month(first)}{wordings}: "
                f"“{newest.strip()}” (most recently {_day(last)}).",
                _strength(0.95 if varied else 0.6, 0.45 + 0.1 * len(group) + 0.05 * min(times, 6), times),
                scope.ids(f"EXISTS (SELECT 1 FROM lessons x WHERE x.entry = e.seq AND x.text IN ({marks}))", group),
            )
        )
    return out


_BUILDERS = (
    _parties,
    _recurring_cause,
    _recurring_tag,
    _role_balance,
    _emotion_patterns,
    _choices,
    _skipped_steps,
    _apology_without_remedy,
    _followups,
    _relearned_lesson,
    _weekday_cluster,
    _after_break,
)
# The heaviest kinds with no cache shared with the others (about 40% of a report's time).
_APART = (_followups, _relearned_lesson)


# --- chart data ---------------------------------------------------------------------------------------------


@dataclass
class Bar:
    """One bar: a value per series, and per series the entries behind it (newest first, capped)."""

    label: str
    values: list[float]
    evidence: list[list[str]]


@dataclass
class Chart:
    key: str
    title: str
    series: list[str]
    bars: list[Bar]
    unit: str = ""


CHART_EVIDENCE_CAP = 100


def charts(store: Store, query: str = "", period: str = "all", today: str | None = None) -> list[Chart]:
    """The numbers behind the Patterns view's charts, for the same scope as ``analyse``."""
    today = today or dt.date.today().isoformat()
    with _Scope(store, query, period, today) as scope:
        b = _basics(scope)
        if b.n < MIN_ENTRIES:
            return []
        return [c for c in (_chart_months(scope, b), _chart_causes(scope), _chart_emotions(scope),
                            _chart_fade(scope), _chart_skipped(scope, b), _chart_breadsticks(scope),
                            _chart_followups(scope)) if c.bars]


def _ev(scope: _Scope, condition: str, params: Sequence[Any] = ()) -> list[str]:
    return scope.ids(condition, params, cap=CHART_EVIDENCE_CAP)


def _chart_months(scope: _Scope, b: _Basics) -> Chart:
    bars = []
    for month, made, received in _months(b)[-24:]:
        start = month + "-01"
        end = (dt.date.fromisoformat(start).replace(day=28) + dt.timedelta(days=4)).replace(day=1).isoformat()
        label = dt.date.fromisoformat(start).strftime("%b %Y")
        when = "e.occurred_on >= ? AND e.occurred_on < ? AND e.role = ?"
        bars.append(Bar(label, [made, received], [_ev(scope, when, (start, end, "maker")),
                                                  _ev(scope, when, (start, end, "receiver"))]))
    return Chart("months", "Post-mortems per month", ["I made it", "It landed on me"], bars)


def _chart_causes(scope: _Scope) -> Chart:
    rows = scope.rows(
        f"SELECT x.name, count(*) FROM causes x WHERE {scope.of('x')} GROUP BY x.name COLLATE NOCASE "
        "ORDER BY 2 DESC LIMIT 8"
    )
    cond = "EXISTS (SELECT 1 FROM causes x WHERE x.entry = e.seq AND x.name = ? COLLATE NOCASE)"
    return Chart("causes", "Top causes", ["entries"], [Bar(n, [c], [_ev(scope, cond, (n,))]) for n, c in rows])


def _chart_emotions(scope: _Scope) -> Chart:
    rows = _emotions(scope)
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


def _chart_fade(scope: _Scope) -> Chart:
    rows = _emotions(scope)
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


def _chart_skipped(scope: _Scope, b: _Basics) -> Chart:
    row = _skipped_counts(scope)
    bars = [Bar(STEP_NAMES[step].removeprefix("the ").capitalize(), [count],
                [_ev(scope, f"e.role = 'maker' AND e.rec_{step} = 'skipped'")])
            for step, count in zip(RECOVERY_STEPS, row, strict=True) if count]
    return Chart("skipped", "Recovery steps you skipped", ["mistakes you made"], bars)


def _chart_breadsticks(scope: _Scope) -> Chart:
    rows = scope.rows(
        "SELECT e.bs_kind, sum(e.bs_accepted = 'yes'), sum(e.bs_accepted = 'no') FROM entries e "
        f"WHERE e.deleted = 0 AND {scope.live} AND e.bs_kind NOT IN ('', 'none') GROUP BY e.bs_kind ORDER BY 2 DESC"
    )
    cond = "e.bs_kind = ? AND e.bs_accepted = ?"
    bars = [Bar(KIND_NAMES.get(kind, kind).capitalize(), [yes or 0, no or 0],
                [_ev(scope, cond, (kind, "yes")), _ev(scope, cond, (kind, "no"))])
            for kind, yes, no in rows if (yes or 0) + (no or 0)]
    return Chart("breadsticks", "Make-goods accepted and refused", ["accepted", "refused"], bars)


def _chart_followups(scope: _Scope) -> Chart:
    status, overdue, _, _, _ = _followup_counts(scope)
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
