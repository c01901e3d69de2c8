"""Pattern report and "you have seen this before" on a 100,000-entry demo journal.

Baselines measured in the same run: one plain GROUP BY over the entries (the
cheapest whole-journal aggregate) and one ``store.search`` of a word. Besides the
times: how many planted near-repeats come back in the top 3, and how many of the
suggestions shown for entries across the journal share a cause or the client with it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import statistics

from benchmarks.run import Bench
from journal import demo
from journal.insight import patterns, similar
from journal.store import Store

TODAY = dt.date(2025, 11, 20)


def run(bench: Bench) -> None:
    entries = 10_000 if bench.quick else 100_000
    section = f"patterns ({entries:,} demo entries)"
    path = bench.workdir / "patterns.hindsight"
    with Store.open(path) as store:
        demo.populate(store, entries=entries, seed=7, today=TODAY)
    with Store.open(path) as store:
        conn: sqlite3.Connection = store.conn

        def group_by() -> None:
            sql = "SELECT role, status, count(*) FROM entries WHERE deleted = 0 GROUP BY role, status"
            conn.execute(sql).fetchall()

        def report() -> None:
            patterns.analyse(store, today=TODAY.isoformat())

        def report_90d() -> None:
            patterns.analyse(store, period="90d", today=TODAY.isoformat())

        baseline = bench.measure(group_by, repeat=7)
        bench.record(section, "baseline: GROUP BY role, status over entries", baseline, p95=True)
        full = bench.measure(report, repeat=7)
        bench.record(section, "full pattern report", full, target_ms=500, baseline=("GROUP BY", baseline), p95=True)
        recent = bench.measure(report_90d, repeat=7)
        bench.record(section, "pattern report, last 90 days", recent, target_ms=500, baseline=("GROUP BY", baseline),
                     p95=True)

        pairs = demo.near_repeats(entries, 7, TODAY)
        sample = pairs[:: max(1, len(pairs) // 100)]
        drafts = [store.get(repeat) for _, repeat in sample]
        search = bench.measure(lambda: store.search("harbour", limit=50), repeat=20)
        bench.record(section, "baseline: store.search('harbour', limit=50)", search, p95=True)
        times: list[float] = []
        hits = 0
        for (original, _), draft in zip(sample, drafts, strict=True):
            [seconds] = bench.measure(lambda d=draft: similar.similar(store, d), repeat=1)  # type: ignore[misc]
            times.append(seconds)
            hits += original in [s.id for s, _, _ in similar.similar(store, draft)]
        bench.record(section, "similar entries for one entry", times, target_ms=50, baseline=("search", search),
                     p95=True)
        bench.note(section, "near-repeat in the top 3",
                   f"{hits} of {len(sample)} planted near-repeats ({hits / len(sample):.0%}); "
                   f"median {statistics.median(times) * 1000:.1f} ms")
        bench.note(section, "similar: suggestions that share a cause or the client", _precision(store))
    # The journal a new user explores (`hindsight demo`): where a loose match would show most.
    small = bench.workdir / "patterns-300.hindsight"
    with Store.open(small) as store:
        demo.populate(store, entries=300, seed=7, today=TODAY)
        pairs = demo.near_repeats(300, 7, TODAY)
        hits = sum(original in [s.id for s, _, _ in similar.similar(store, store.get(repeat))]
                   for original, repeat in pairs)
        bench.note(section, "similar on the 300-entry demo: near-repeat in the top 3",
                   f"{hits} of {len(pairs)} planted near-repeats ({hits / len(pairs):.0%})")
        bench.note(section, "similar on the 300-entry demo: suggestions that share a cause or the client",
                   _precision(store))


PRECISION_QUERIES = 200


def _precision(store: Store) -> str:
    """Of the suggestions shown for entries spread over the journal, the share with a real cause or client in common."""
    ids = [r[0] for r in store.conn.execute("SELECT id FROM entries WHERE deleted = 0 ORDER BY seq")]
    queries = ids[:: max(1, len(ids) // PRECISION_QUERIES)][:PRECISION_QUERIES]
    shown = sharing = silent = 0
    for entry_id in queries:
        pm = store.get(entry_id)
        causes = {c.casefold() for c in pm.causes}
        found = similar.similar(store, pm)
        silent += not found
        for summary, _, _ in found:
            other = store.get(summary.id)
            shown += 1
            sharing += other.client.casefold() == pm.client.casefold() or bool(
                causes & {c.casefold() for c in other.causes})
    return (f"{sharing} of {shown} ({sharing / max(1, shown):.0%}), over {len(queries)} entries spread over the "
            f"journal; {silent} of them got no suggestion")
