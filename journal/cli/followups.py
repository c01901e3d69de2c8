"""The ``followups`` command: what is owed across the journal, and marking a follow-up done, checked or dropped."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from journal.cli.common import EXIT_OK, UserError, open_journal
from journal.model import today

_FOLLOWUP_VERBS = ("done", "check", "drop")


def _followups_line(item: Any, today: str) -> str:
    from journal import followups

    owner = f" — {item.owner}" if item.owner else ""
    client = f" [{item.client}]" if item.client else ""
    note = f"  ({item.note})" if item.note and item.status != "open" else ""
    return (
        f"  {item.id[:8]:<8}  {followups.when(item, today):<22}  {item.text}{owner}{note}"
        f"  · {item.entry_title}{client}"
    )


def cmd_followups(args: argparse.Namespace) -> int:
    from journal import followups

    words = list(args.query)
    if words and words[0] in _FOLLOWUP_VERBS:
        return _followup_action(args, words[0], words[1:])
    for option in ("on", "result", "note", "reason"):
        if getattr(args, option) is not None:
            raise UserError(f"--{option} goes with a verb: 'followups done|check|drop ID'")
    today_ = today()
    asked = {"text": " ".join(words), "owner": args.owner or "", "account": args.account or "", "today": today_}
    with open_journal(args) as store:
        # --json alone needs no items: SQLite writes the JSON (followups.json_text).
        items = [] if args.json and not args.ics else followups.list_followups(
            store, **asked, include_closed=args.all, overdue_only=args.overdue
        )
        if args.ics:
            from journal import followups_ics

            dated = (
                items if args.overdue else
                followups.calendar_items(store, text=" ".join(words), owner=args.owner or "",
                                         account=args.account or "", today=today_)
            )
            count = followups_ics.write(store, dated, Path(args.ics), redact=args.redact, force=args.force)
            print(f"wrote {count} to-dos to {args.ics}", file=sys.stderr if args.json else sys.stdout)
        elif args.redact or args.force:
            raise UserError("--redact and --force go with --ics FILE")
        if args.json:
            sys.stdout.write(followups.json_text(store, **asked, include_closed=args.all, overdue_only=args.overdue))
            return EXIT_OK
    if args.ics:
        return EXIT_OK
    if not items:
        print("no follow-ups to show" if words or args.owner or args.account else "nothing owed: no open follow-ups")
        return EXIT_OK
    group = ""
    shown = followups.counts(items)
    for item in items:
        if item.group != group:
            group = item.group
            print(f"{followups.GROUP_LABELS[group]} ({shown[group]})")
        print(_followups_line(item, today_))
    return EXIT_OK


def _followup_action(args: argparse.Namespace, verb: str, ids: list[str]) -> int:
    from journal import followups

    if len(ids) != 1:
        raise UserError(f"'followups {verb}' takes one follow-up ID (or ENTRY/FOLLOWUP); got {len(ids)}")
    allowed = {"done": {"on"}, "check": {"result", "note"}, "drop": {"reason"}}[verb]
    for option in ("on", "result", "note", "reason"):
        if getattr(args, option) is not None and option not in allowed:
            raise UserError(f"--{option} does not go with 'followups {verb}'")
    if args.json or args.ics or args.all or args.overdue or args.owner or args.account or args.redact:
        raise UserError(f"'followups {verb}' takes only its ID and {', '.join('--' + o for o in sorted(allowed))}")
    with open_journal(args) as store:
        if verb == "done":
            followups.done(store, ids[0], on=args.on)
            what = "done"
        elif verb == "check":
            if args.result is None:
                raise UserError("'followups check' needs --result held or --result recurred")
            followups.check(store, ids[0], args.result, note=args.note or "")
            what = "checked: it held" if args.result == "held" else "checked: it happened again"
        else:
            if args.reason is None:
                raise UserError("'followups drop' needs --reason TEXT (why it is dropped is kept with it)")
            followups.drop(store, ids[0], args.reason)
            what = "dropped"
        entry_id, pos, _ = followups.resolve(store, ids[0])
        text = store.get(entry_id).follow_ups[pos].text
    print(f"{what}: {text}")
    return EXIT_OK
