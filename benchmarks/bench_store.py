"""Core speed on a 100,000-entry demo journal: building it, listing and searching it.

Baselines, measured in the same run: a naive ``LIKE '%word%'`` scan of every
narrative (what search would cost without the FTS5 index) and loading every
summary to sort in Python (what listing would cost without the index).
"""

from __future__ import annotations

import functools
import time

from benchmarks.run import Bench
from journal import demo
from journal.store import Store

TEXT = ["courier", "lisbon board pack", "handoff", "wr", "the"]
FILTERS = ['client:"Brightwater Clinics"', "role:maker severity:>=4", "tag:reporting", "has:overdue",
           "status:open detection:escalation"]
BOTH = ['courier client:"Swiftline Couriers"', "deadline status:open", "handoff tag:reporting",
        "invoice role:maker after:2026-01"]


def run(bench: Bench) -> None:
    entries = 10_000 if bench.quick else 100_000
    path = bench.workdir / "store-bench.hindsight"
    section = f"Core: {entries:,} demo entries"
    start = time.perf_counter()
    cpu = time.process_time()
    with Store.open(path) as store:
        demo.populate(store, entries=entries, seed=7)
    bench.note(section, f"build the demo journal (`hindsight demo --entries {entries}`)",
               f"{time.perf_counter() - start:.1f} s wall, {time.process_time() - cpu:.1f} s CPU in this process "
               "(target: under a minute for 100,000)")

    with Store.open(path) as store:
        opened = bench.measure(lambda: Store.open(path).close(), repeat=10)
        naive_list = bench.measure(
            lambda: sorted(store.conn.execute("SELECT id, title, occurred_on FROM entries").fetchall(),
                           key=lambda r: r[2], reverse=True)[:50], repeat=3)
        bench.record(section, "open the journal", opened, target_ms=None)
        newest = bench.measure(lambda: store.search("", limit=50), repeat=50)
        bench.record(section, "list the newest 50", newest, target_ms=10, p95=True,
                     baseline=("loading all rows and sorting in Python", naive_list))

        naive = bench.measure(
            lambda: store.conn.execute(
                "SELECT count(*) FROM entries WHERE what_happened LIKE '%courier%' OR title LIKE '%courier%'"
            ).fetchall(), repeat=3)
        for kind, queries in (("text", TEXT), ("filter", FILTERS), ("text + filter", BOTH)):
            times: list[float] = []
            for text in queries:
                times += bench.measure(functools.partial(store.search, text, limit=50), repeat=20)
            bench.record(section, f"search, {kind} ({len(queries)} queries × 20, limit 50)", times, target_ms=20,
                         p95=True, baseline=("a LIKE scan of every narrative", naive))
        counts: list[float] = []
        for text in TEXT + FILTERS + BOTH:
            counts += bench.measure(functools.partial(store.count, text), repeat=3)
        bench.record(section, "result count for the same queries", counts, p95=True,
                     baseline=("a LIKE scan of every narrative", naive))
        ids = bench.measure(lambda: store.search_ids(""), repeat=5)
        bench.record(section, "all ids, newest first (what the app's list holds)", ids,
                     baseline=("loading all rows and sorting in Python", naive_list))
