"""Search as people type it, on a 100,000-entry demo journal (issue 19).

A generated, seeded mix of at least 200 queries: words from the demo journal's
own text typed letter by letter (``c``, ``co``, ``con`` …), two words with a
short last word, phrases, negation, every filter, filters combined with each
other and with a short prefix. Each query is timed for a page of 50 (what
``hindsight search`` shows), for the first 100 ids (what the app's list shows
at once) and for every matching id (which the list fetches next, in a query a
newer keystroke stops). Baselines in
the same run: the cheapest possible page, ``SELECT id FROM entries ORDER BY seq
DESC LIMIT 50``, and a LIKE scan of every title (CPU-bound, so it shows load).

Run alone: ``python -m benchmarks.run --only search_mix`` (the 100,000-entry
journal is built once and kept in ``$HINDSIGHT_BENCH_CACHE`` or the system's
temporary folder, keyed by the schema version).
"""

from __future__ import annotations

import functools
import itertools
import os
import random
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.run import Bench, Row
from journal import demo
from journal.schema import SCHEMA_VERSION
from journal.store import Store

SEED = 19
STOP = {"the", "and", "for", "was", "that", "with", "this", "from", "they", "have", "had", "were", "our", "but",
        "not", "she", "her", "his", "him", "who", "are", "its", "into", "than", "then", "when", "what", "there"}


def vocabulary(seed: int = SEED) -> tuple[list[str], list[str]]:
    """Words and two-word phrases of the demo journal's own text (journal/demo.py)."""
    words: dict[str, int] = {}
    phrases: list[str] = []
    for entry in demo.generate(400, seed=seed):
        text = " ".join([entry.title, entry.what_happened, entry.impact, entry.contributing_factors])
        tokens = re.findall(r"[a-z]{3,}", text.lower())
        for token in tokens:
            if token not in STOP:
                words[token] = words.get(token, 0) + 1
        for first, second in itertools.pairwise(tokens):
            if first not in STOP and second not in STOP and len(phrases) < 400:
                phrases.append(f"{first} {second}")
    common = sorted(words, key=lambda w: (-words[w], w))[:300]
    return common, sorted(set(phrases))


def mix(seed: int = SEED) -> list[tuple[str, str]]:
    """(kind, query) pairs: the broad mix, at least 200 queries, the same every run."""
    rng = random.Random(seed)
    words, phrases = vocabulary(seed)
    clients = [c.name for c in demo.CLIENTS]
    accounts = sorted({c.account for c in demo.CLIENTS if c.account})
    emotions = sorted({e for e, _ in demo.MAKER_EMOTIONS + demo.RECEIVER_EMOTIONS + demo.THEIR_EMOTIONS})
    causes = sorted(demo.CAUSE_TEXT)
    filters = [
        lambda: f'client:"{rng.choice(clients)}"',
        lambda: f'account:"{rng.choice(accounts)}"',
        lambda: f"role:{rng.choice(['maker', 'receiver', 'me', 'them'])}",
        lambda: f"status:{rng.choice(['draft', 'open', 'resolved', 'reviewed'])}",
        lambda: f"tag:{rng.choice(demo.TAGS)}",
        lambda: f"cause:{rng.choice(causes)}",
        lambda: f'emotion:"{rng.choice(emotions)}"',
        lambda: f"detection:{rng.choice(['client', 'self', 'colleague', 'escalation', 'public', 'other'])}",
        lambda: f"severity:{rng.choice(['>=3', '>=4', '5', '<=2', '>1'])}",
        lambda: f"after:{rng.choice(['2024', '2025-06', '2026-01', '2023-03-01'])}",
        lambda: f"before:{rng.choice(['2024', '2025-06', '2026-01', '2022'])}",
        lambda: "has:overdue",
        lambda: "has:open-followups",
    ]
    out: list[tuple[str, str]] = []
    for word in rng.sample(words, 6):  # typed letter by letter, as search-as-you-type sees it
        out += [("typing", word[:n]) for n in range(1, len(word) + 1)]
    out += [("word", w) for w in rng.sample(words, 25)]
    out += [("two words, short last", f"{rng.choice(words)} {rng.choice(words)[:rng.randint(1, 2)]}")
            for _ in range(30)]
    out += [("phrase", f'"{p}"') for p in rng.sample(phrases, 15)]
    out += [("negation", f"{rng.choice(words)} -{rng.choice(words)}") for _ in range(10)]
    out += [("filter", make()) for make in filters for _ in range(2)]
    out += [("filters combined", f"{rng.choice(filters)()} {rng.choice(filters)()}") for _ in range(20)]
    out += [("filters + short prefix", f"{rng.choice(filters)()} {rng.choice(filters)()} "
             f"{rng.choice(words)[:rng.randint(1, 4)]}") for _ in range(25)]
    out += [("filter + word", f"{rng.choice(filters)()} {rng.choice(words)}") for _ in range(20)]
    return out


def journal_100k(bench: Bench) -> Path:
    """The 100,000-entry demo journal, built once per schema version and kept between runs."""
    entries = 10_000 if bench.quick else 100_000
    cache = Path(os.environ.get("HINDSIGHT_BENCH_CACHE", tempfile.gettempdir()))
    kept = cache / f"hindsight-bench-{entries}-s7-v{SCHEMA_VERSION}.hindsight"
    if not kept.exists():
        building = kept.with_name(kept.name + ".part")
        building.unlink(missing_ok=True)
        with Store.open(building) as store:
            demo.populate(store, entries=entries, seed=7)
        building.rename(kept)
    path = bench.workdir / "search-mix.hindsight"
    shutil.copyfile(kept, path)  # a copy: the run never changes the kept journal
    return path


def timed(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def summary(name: str, times: dict[str, list[float]]) -> tuple[str, list[float]]:
    """p50/p95/max over every query (each query's median of its runs) and the slowest three."""
    per_query = {query: statistics.median(ts) for query, ts in times.items()}
    values = sorted(per_query.values())
    p50 = statistics.median(values) * 1000
    p95 = statistics.quantiles(values, n=20, method="inclusive")[18] * 1000
    slow = sorted(per_query, key=per_query.__getitem__, reverse=True)[:3]
    text = (f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {values[-1] * 1000:.1f} ms (n={len(values)} queries); "
            "slowest: " + ", ".join(f"`{s}` {per_query[s] * 1000:.0f} ms" for s in slow))
    return text, values


def run(bench: Bench) -> None:
    queries = mix()
    path = journal_100k(bench)
    section = f"Search as you type: a seeded mix of {len(queries)} queries"
    repeat = 3
    first_page = "limit" in Store.search_ids.__code__.co_varnames
    with Store.open(path) as store:
        store.search("", limit=50)  # warm the page cache as a running app has it
        base = [timed(lambda: store.conn.execute("SELECT id FROM entries ORDER BY seq DESC LIMIT 50").fetchall())
                for _ in range(200)]
        base_ms = statistics.median(base) * 1000
        scan = [timed(lambda: store.conn.execute(
            "SELECT count(*) FROM entries WHERE title LIKE '%courier%'").fetchall()) for _ in range(5)]
        scan_ms = statistics.median(scan) * 1000
        page: dict[str, list[float]] = {}
        first: dict[str, list[float]] = {}
        every: dict[str, list[float]] = {}
        for _ in range(repeat):
            for _kind, text in queries:
                page.setdefault(text, []).append(timed(functools.partial(store.search, text, limit=50)))
                if first_page:
                    first.setdefault(text, []).append(timed(functools.partial(store.search_ids, text, limit=100)))
                every.setdefault(text, []).append(timed(functools.partial(store.search_ids, text)))
    rows: list[tuple[str, dict[str, list[float]], float, float | None]] = [
        ("a page of 50 (`store.search(text, limit=50)`)", page, 20.0, 60.0)
    ]
    if first_page:
        rows.append(("the list's first 100 ids (shown at once; the rest follow, cancellable)", first, 20.0, 60.0))
    rows.append(("every matching id (`store.search_ids(text)`)", every, 50.0, None))
    for name, times, goal_p95, goal_max in rows:
        text, values = summary(name, times)
        p95 = statistics.quantiles(values, n=20, method="inclusive")[18] * 1000
        ok = p95 <= goal_p95 and (goal_max is None or values[-1] * 1000 <= goal_max)
        target = f"p95 ≤ {goal_p95:g} ms" + (f", max ≤ {goal_max:g} ms" if goal_max else "") + (" ✓" if ok else " ✗")
        ratio = (f"p95 {p95 / base_ms:.0f}× `SELECT id FROM entries ORDER BY seq DESC LIMIT 50` ({base_ms:.2f} ms); "
                 f"{p95 / scan_ms:.2f}× a LIKE scan of every title ({scan_ms:.1f} ms)")
        bench.rows.append(Row(section, name, text, target, ratio))
        print(f"[{section}] {name}: {text} {target} {ratio}", flush=True)
