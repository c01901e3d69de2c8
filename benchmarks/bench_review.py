"""An account review packet for an account of 500 entries, in a 5,000-entry journal: Markdown and PDF.

Targets (issue 17): ≤ 3 s to Markdown, ≤ 10 s to PDF, each from the open journal to the
bytes in memory (writing the file is one rename). The baseline is loading the same 500
entries, which any packet must do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from benchmarks.run import Bench
from journal import demo, reports
from journal.store import Store

ACCOUNT = "Northwind Review Account"


def run(bench: Bench) -> None:
    section = "Account review packet (500 entries of one account)"
    total, every = (1_000, 2) if bench.quick else (5_000, 10)
    path = bench.workdir / "review.hindsight"
    with Store.open(path) as store:
        entries = [
            replace(pm, account=ACCOUNT) if i % every == 0 else pm
            for i, pm in enumerate(demo.generate(total, 11, dt.date(2026, 6, 1)))
        ]
        store.insert_many(entries)
        ids = [pm.id for pm in entries if pm.account == ACCOUNT]
        print(f"{len(ids)} entries in the account, {total} in the journal")
        repeat = 2 if bench.quick else 3
        loading = bench.measure(lambda: store.get_many(ids), repeat)
        text = ""

        def to_markdown() -> None:
            nonlocal text
            text = reports.render_markdown(reports.account_review(store, ACCOUNT.lower()))

        bench.record(section, "review + Markdown", bench.measure(to_markdown, repeat), target_ms=3000,
                     baseline=("loading the 500 entries", loading))
        from ui.review.packet_pdf import render_pdf

        markdown_only = bench.measure(to_markdown, 1)
        pages = b""

        def to_pdf() -> None:
            nonlocal pages
            to_markdown()
            pages = render_pdf(text, f"Account review: {ACCOUNT}")

        bench.record(section, "review + PDF", bench.measure(to_pdf, repeat), target_ms=10000,
                     baseline=("review + Markdown", markdown_only))
        print(f"Markdown {len(text):,} characters, PDF {len(pages):,} bytes")
