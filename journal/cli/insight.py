"""The commands that look across entries: patterns, similar entries, hints, the account review packet."""

from __future__ import annotations

import argparse
from pathlib import Path

from journal.cli.common import EXIT_OK, UserError, open_journal, print_json, summary_line


def cmd_patterns(args: argparse.Namespace) -> int:
    from journal.insight import patterns

    query = " ".join(args.query)
    with open_journal(args) as store:
        found = patterns.analyse(store, query, args.period)
        needed = patterns.entries_needed(store, query, args.period) if not found else 0
    if args.json:
        print_json([p.to_dict() for p in found])
        return EXIT_OK
    if not found:
        if needed:
            print(patterns.waiting_text(needed, narrowed=bool(query) or args.period != "all"))
        else:
            print("No pattern stands out yet: nothing recurs clearly enough to be worth saying.")
        return EXIT_OK
    for pattern in found:
        print(f"• {pattern.sentence}")
        print(f"  {pattern.kind} · strength {pattern.strength:.2f} · {len(pattern.evidence)} entries as evidence")
    return EXIT_OK


def cmd_similar(args: argparse.Namespace) -> int:
    from journal.insight import similar

    with open_journal(args) as store:
        pm = store.get(store.resolve_id(args.id))
        found = similar.similar(store, pm, limit=args.limit)
    if args.json:
        print_json([{**s.to_dict(), "score": score, "why": why} for s, score, why in found])
        return EXIT_OK
    if not found:
        print("Nothing in the journal resembles this entry yet: a match needs two things in common "
              "(distinctive wording, the client, a cause or a tag).")
    for summary, score, why in found:
        print(f"{summary_line(summary)}\n    {score:.2f} · {why}")
    return EXIT_OK


def cmd_hints(args: argparse.Namespace) -> int:
    from journal.insight import blameless

    with open_journal(args) as store:
        pm = store.get(store.resolve_id(args.id))
    found = blameless.hints(pm)
    if args.json:
        print_json([h.to_dict() for h in found])
        return EXIT_OK
    if not found:
        print("No hints: the wording is blameless and every open follow-up has an owner and a date.")
    for hint in found:
        print(f"{hint.field}: “{hint.text}” — {hint.message}\n    try: {hint.suggestion}")
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    from journal import atomic, reports, safety

    out = Path(args.out)
    kind = out.suffix.lower()
    if kind not in (".md", ".markdown", ".pdf"):
        raise UserError(f"--out must end in .md or .pdf; got {out.name}")
    if kind == ".pdf" and args.pdf is None:
        raise UserError("this command cannot write a PDF (the app's Qt is not part of it); use FILE.md")
    if args.private and args.redact:
        raise UserError("--private and --redact contradict each other: a redacted packet never holds private notes")
    after = reports.date_bound(args.after, "after") if args.after else None
    before = reports.date_bound(args.before, "before") if args.before else None
    with open_journal(args) as store:
        review = reports.account_review(store, args.account, after, before, private=args.private, redact=args.redact)
        why = safety.refusal(out, store=store, force=args.force)
        if why:
            raise UserError(why)
        text = reports.render_markdown(review)
        data: str | bytes = text if kind != ".pdf" else args.pdf(text, f"Account review: {review.account}")
        try:
            atomic.write_atomic(out, data)
        except OSError as error:
            raise UserError(f"{out} could not be written: {error.strerror or error}") from None
    print(f"wrote the review of {review.account} ({len(review.entries)} entries) to {out}")
    return EXIT_OK
