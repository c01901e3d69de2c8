"""The commands that add and read entries: add, list, search, show, and the demo journal."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from journal.cli.common import EXIT_OK, UserError, daily_backup, open_journal, print_json, summary_line
from journal.model import Emotion, PostMortem, Summary, mend_text, today
from journal.query import parse as parse_query
from journal.query import unsearchable_reason
from journal.store import Store


def _emotion(text: str) -> Emotion:
    """``me:angry:4`` or ``them:frustrated:5`` (who may be left out: ``angry:4``)."""
    parts = text.split(":")
    if len(parts) == 2:
        parts = ["me", *parts]
    if len(parts) != 3:
        raise UserError(f"--emotion takes WHO:NAME:INTENSITY like me:angry:4; got {text!r}")
    return Emotion.from_dict({"who": parts[0], "name": parts[1], "intensity": parts[2]}, "--emotion")


def _mend_args(args: argparse.Namespace, names: Sequence[str]) -> None:
    """Text given with bytes that are not UTF-8 is kept with U+FFFD in their place, and a note says so."""
    for name in names:
        value = getattr(args, name, None)
        values = value if isinstance(value, list) else [value]
        mended = [mend_text(v) if isinstance(v, str) else v for v in values]
        if mended != values:
            option = "--" + name.replace("_", "-")
            print(f"hindsight: note: {option} held bytes that are not UTF-8; each is saved as \ufffd",
                  file=sys.stderr)
            setattr(args, name, mended if isinstance(value, list) else mended[0])


def cmd_add(args: argparse.Namespace) -> int:
    _mend_args(args, ("title", "client", "account", "what", "tag", "cause", "emotion"))
    data: dict[str, Any] = {
        "title": args.title,
        "role": args.role,
        "client": args.client or "",
        "account": args.account or "",
        "what_happened": args.what or "",
        "occurred_on": args.occurred_on or today(),
        "severity": args.severity,
        "status": args.status,
        "tags": args.tag,
        "causes": args.cause,
        "emotions": [_emotion(e).__dict__ for e in args.emotion],
    }
    pm = PostMortem.from_dict(data)
    with open_journal(args, create=True) as store:
        saved, _ = store.save(pm)
        # The id first: the entry is saved, and a big journal's daily copy takes seconds.
        print(saved.id, flush=True)
        daily_backup(store)
    return EXIT_OK


def _print_summaries(rows: Sequence[Summary], as_json: bool, when_empty: str) -> int:
    if as_json:
        print_json([r.to_dict() for r in rows])
    else:
        for row in rows:
            print(summary_line(row))
        if not rows:
            print(when_empty, file=sys.stderr)
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    with open_journal(args) as store:
        rows = store.search("", limit=args.limit, trash=args.trash)
    empty = "the trash is empty" if args.trash else "no entries yet; add one with 'hindsight add'"
    return _print_summaries(rows, args.json, empty)


def cmd_search(args: argparse.Namespace) -> int:
    parsed = parse_query(" ".join(args.query))
    with open_journal(args) as store:
        rows = store.search(parsed, limit=args.limit)
    reason = unsearchable_reason(parsed)  # only punctuation: say why nothing is listed, even with --json
    if reason and args.json:
        print(reason, file=sys.stderr)
    return _print_summaries(rows, args.json, reason or "no entries match")


def cmd_show(args: argparse.Namespace) -> int:
    with open_journal(args) as store:
        pm = store.get(store.resolve_id(args.id))
    if args.json:
        print_json(pm.to_dict())
    elif args.markdown:
        from journal.markdown import writer as md_writer

        sys.stdout.write(md_writer.render(pm))
    else:
        sys.stdout.write(_plain(pm))
    return EXIT_OK


def _plain(pm: PostMortem) -> str:
    """A readable terminal view of one entry."""
    role = "I made it" if pm.role == "maker" else "It landed on me"
    lines = [
        pm.title,
        "=" * min(len(pm.title), 72),
        f"{pm.occurred_on} · {role} · severity {pm.severity} · {pm.status}"
        + (f" · {pm.client}" if pm.client else ""),
        f"id {pm.id} · revision {pm.revision}" + (" · in trash" if pm.deleted else ""),
    ]
    for heading, text in (
        ("What happened", pm.what_happened),
        ("Impact", pm.impact),
        ("Contributing factors", pm.contributing_factors),
    ):
        if text.strip():
            lines += ["", heading, text.rstrip()]
    if pm.causes:
        lines += ["", "Causes: " + ", ".join(pm.causes)]
    if pm.follow_ups:
        lines += ["", "Follow-ups"]
        for f in pm.follow_ups:
            mark = "x" if f.status == "done" else " "
            extra = ", ".join(x for x in (f.owner, f"due {f.due_on}" if f.due_on else "") if x)
            lines.append(f"- [{mark}] {f.text}" + (f" — {extra}" if extra else ""))
    if pm.lessons:
        lines += ["", "Lessons"] + [f"- {lesson}" for lesson in pm.lessons]
    return "\n".join(lines) + "\n"


def cmd_demo(args: argparse.Namespace) -> int:
    from journal import demo

    path = Path(args.path)
    if path.exists():
        raise UserError(f"{path} already exists; the demo journal is written to a new file")
    with Store.open(path) as store:
        demo.populate(store, entries=args.entries, seed=args.seed)
    print(f"wrote {args.entries} demo entries to {path}")
    return EXIT_OK
