"""The follow-ups desk and ``hindsight followups --json`` on a 100,000-entry demo journal.

Baseline measured in the same run: one indexed count of the open follow-ups.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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

        def as_json(**asked: Any) -> Callable[[], int]:
            # What `hindsight followups --json` does once the journal is open (the process start is not in it).
            return lambda: io.StringIO().write(fu.json_text(store, today=today, **asked))

        base = bench.measure(baseline, repeat=9)
        bench.record(section, "baseline: count the open follow-ups", base, p95=True)
        bench.record(section, "desk: group counts and a page of each group", bench.measure(desk, repeat=9),
                     target_ms=100, baseline=("count", base), p95=True)
        bench.record(section, "reminder: overdue and checks due", bench.measure(
            lambda: fu.due_counts(store, today=today), repeat=9), target_ms=100, baseline=("count", base), p95=True)
        listed = len(json.loads(fu.json_text(store, today=today)))
        bench.record(section, f"followups --json: every open follow-up ({listed:,}) as JSON",
                     bench.measure(as_json(), repeat=9), target_ms=100, baseline=("count", base), p95=True)
        # This process's CPU time for the same call: on a machine shared by busy neighbours the wall clock above
        # is mostly waiting for a core.
        cpu = []
        for _ in range(9):
            start = time.process_time()
            as_json()()
            cpu.append(time.process_time() - start)
        bench.note(section, "followups --json: CPU time of the call (user + system)",
                   f"median {statistics.median(cpu) * 1000:.1f} ms, min {min(cpu) * 1000:.1f} ms (n=9)")
        # The other ways of asking (no target of their own): a narrow list, a common owner, a rare one, everything.
        for flags, asked in (("--overdue", {"overdue_only": True}), ("--owner me", {"owner": "me"}),
                             ("--owner Noa", {"owner": "Noa"}), ("--all", {"include_closed": True})):
            listed = len(json.loads(fu.json_text(store, today=today, **asked)))
            bench.record(section, f"followups --json {flags} ({listed:,})",
                         bench.measure(as_json(**asked), repeat=3 if flags == "--all" else 9), baseline=("count", base))
    # The whole command, process start and imports included (the figures above are the call alone). It lists
    # as of the real date, later than TODAY: more of the demo's follow-ups are overdue or have a check due.
    command = [str(Path(sys.executable).parent / "hindsight"), "--journal", str(path), "followups", "--json"]

    def whole(*extra: str) -> Callable[[], object]:
        return lambda: subprocess.run([*command, *extra], stdout=subprocess.DEVNULL, check=True)

    nothing = bench.measure(whole("--owner", "nobody by this name"), repeat=5)
    bench.record(section, "whole command listing nothing (`followups --json --owner nobody…`)", nothing)
    bench.record(section, "whole command: `hindsight followups --json`", bench.measure(whole(), repeat=5),
                 baseline=("the command listing nothing", nothing))
