"""The follow-ups desk and ``hindsight followups --json`` on a 100,000-entry demo journal.

Baseline measured in the same run: one indexed count of the open follow-ups.
"""

from __future__ import annotations

import datetime as dt
import io
import json

from benchmarks.run import Bench
from journal import demo
from journal import followups as fu
from journal.store import Store

TODAY = dt.date(2025, 11, 20)
DESK_PAGE = 200  # the rows of each group the desk reads at once


def run(bench: Bench) -> None:
    entries = 10_000 if bench.quick else 100_000
    section = f"follow-ups ({entries:,} demo entries)"
    path = bench.workdir / "followups.hindsight"
    with Store.open(path) as store:
        demo.populate(store, entries=entries, seed=7, today=TODAY)
    today = TODAY.isoformat()
    with Store.open(path) as store:

        def baseline() -> None:
            store.conn.execute("SELECT count(*) FROM follow_ups WHERE status = 'open'").fetchall()

        def desk() -> None:
            fu.group_counts(store, today=today)
            for group in fu.GROUPS[:-1]:
                fu.list_group(store, group, today=today, limit=DESK_PAGE)

        def as_json() -> None:
            items = fu.list_followups(store, today=today)
            io.StringIO().write(",\n  ".join(json.dumps(item.to_json(), ensure_ascii=False) for item in items))

        base = bench.measure(baseline, repeat=9)
        bench.record(section, "baseline: count the open follow-ups", base, p95=True)
        bench.record(section, "desk: group counts and a page of each group", bench.measure(desk, repeat=9),
                     target_ms=100, baseline=("count", base), p95=True)
        bench.record(section, "reminder: overdue and checks due", bench.measure(
            lambda: fu.due_counts(store, today=today), repeat=9), target_ms=100, baseline=("count", base), p95=True)
        listed = len(fu.list_followups(store, today=today))
        bench.record(section, f"followups --json: every open follow-up ({listed:,}) as JSON",
                     bench.measure(as_json, repeat=5), target_ms=100, baseline=("count", base))
