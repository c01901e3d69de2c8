"""Runs every finder over the scope a report asks for and ranks what they find, strongest first.

A finder takes the ``Scope`` and its ``Basics`` and returns ``Pattern`` records of its kinds. On a
big journal the two heaviest finders run on a second connection, in parallel.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from journal.insight.patterns.feelings import find_feelings, find_response_style
from journal.insight.patterns.followups import find_followups
from journal.insight.patterns.labels import find_causes, find_tags
from journal.insight.patterns.lessons import find_relearned_lessons
from journal.insight.patterns.parties import find_parties
from journal.insight.patterns.record import Pattern
from journal.insight.patterns.recovery import find_apology_without_remedy, find_breadsticks, find_skipped_steps
from journal.insight.patterns.response import find_response
from journal.insight.patterns.scope import Basics, Scope, count_basics
from journal.insight.patterns.stats import MIN_ENTRIES, TESTED_FROM
from journal.insight.patterns.timing import find_after_break, find_role_balance, find_weekday_cluster
from journal.store import Store

if TYPE_CHECKING:
    from concurrent.futures import Future

# The order in which patterns of the same strength are listed.
KINDS = (
    "recurring_client",
    "recurring_account",
    "recurring_cause",
    "recurring_tag",
    "role_balance",
    "emotions_by_role",
    "emotion_fade",
    "response_style",
    "response_speed",
    "slow_reply_lost_client",
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

Builder = Callable[[Scope, Basics], list[Pattern]]

_BUILDERS: tuple[Builder, ...] = (
    find_parties,
    find_causes,
    find_tags,
    find_role_balance,
    find_feelings,
    find_response_style,
    find_response,
    find_breadsticks,
    find_skipped_steps,
    find_apology_without_remedy,
    find_followups,
    find_relearned_lessons,
    find_weekday_cluster,
    find_after_break,
)
# The heaviest kinds with no cache shared with the others (about 40% of a report's time).
_APART: tuple[Builder, ...] = (find_followups, find_relearned_lessons)

# From this many entries a report runs its two heaviest kinds on a second connection,
# in parallel (SQLite releases the GIL); below it a report takes milliseconds anyway.
PARALLEL_FROM = 20_000


def analyse(store: Store, query: str = "", period: str = "all", today: str | None = None) -> list[Pattern]:
    """The patterns in the journal (or the part a query and period select), strongest first."""
    today = today or dt.date.today().isoformat()
    with Scope(store, query, period, today) as scope:
        basics = count_basics(scope)
        if basics.n < MIN_ENTRIES:
            return []
        results: dict[Builder, list[Pattern]] = {}
        with contextlib.ExitStack() as stack:
            apart: Future[dict[Builder, list[Pattern]]] | None = None
            # A narrowed report still scans indexes over the whole journal: size it by that.
            journal_size = scope.rows("SELECT coalesce(max(seq), 0) FROM entries")[0][0]
            if journal_size >= PARALLEL_FROM:
                from concurrent.futures import ThreadPoolExecutor  # only a big journal needs the second thread

                pool = stack.enter_context(ThreadPoolExecutor(max_workers=1, thread_name_prefix="hindsight-patterns"))
                apart = pool.submit(_run_apart, store, query, period, today, basics)
            for builder in _BUILDERS:
                if apart is None or builder not in _APART:
                    results[builder] = builder(scope, basics)
            if apart is not None:
                results.update(apart.result())
        found = [pattern for builder in _BUILDERS for pattern in results[builder]]
    found.sort(key=lambda p: (-p.strength, KINDS.index(p.kind) if p.kind in KINDS else 99))
    return found


def _run_apart(opened: Store, query: str, period: str, today: str, basics: Basics) -> dict[Builder, list[Pattern]]:
    """The kinds in ``_APART``, on a connection of their own (this runs on a worker thread)."""
    store = Store.open(opened.path, create=False, passphrase=opened.passphrase)
    try:
        with Scope(store, query, period, today) as scope:
            return {builder: builder(scope, basics) for builder in _APART}
    finally:
        store.conn.close()  # not Store.close(): its PRAGMA optimize could wait on a writer


def entries_needed(store: Store, query: str = "", period: str = "all", today: str | None = None) -> int:
    """How many more entries the scope needs before patterns are looked for (0 when enough)."""
    today = today or dt.date.today().isoformat()
    with Scope(store, query, period, today) as scope:
        count = int(scope.rows(f"SELECT count(*) FROM entries e WHERE {scope.live}")[0][0])
    return max(0, MIN_ENTRIES - count)


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
