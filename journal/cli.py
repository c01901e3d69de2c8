"""The ``hindsight`` command line (DESIGN.md §5). Runs without Qt.

Every command exits 0 on success and 1 on a user error, with one clear line on
stderr and never a traceback. This package never imports the desktop app:
``hindsight`` / ``hindsight gui`` runs the ``gui`` function that ``main`` is
given (``hindsight_cli.start_app``, outside the core).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from journal import backup
from journal.model import CAUSES, ROLES, Emotion, PostMortem, Summary, mend_text, today
from journal.query import parse as parse_query
from journal.query import unsearchable_reason
from journal.store import JournalError, Store, damaged_message, resolve_journal_path

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_CONFLICTS = 2  # `sync` only: done, but entries changed on both sides wait to be settled (design-notes)


class UserError(Exception):
    """A mistake in what was asked; its text is the one line shown on stderr."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake in one line and exits 1, not 2."""

    def error(self, message: str) -> NoReturn:
        raise UserError(f"{message} (see '{self.prog} --help')")


def _print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _open(args: argparse.Namespace, *, create: bool = False) -> Store:
    """The journal; only a command that writes passes ``create=True`` (a reader on a typo creates nothing)."""
    return Store.open(resolve_journal_path(args.journal), create=create)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of 1 or more, got {value}")
    return value


def _emotion(text: str) -> Emotion:
    """``me:angry:4`` or ``them:frustrated:5`` (who may be left out: ``angry:4``)."""
    parts = text.split(":")
    if len(parts) == 2:
        parts = ["me", *parts]
    if len(parts) != 3:
        raise UserError(f"--emotion takes WHO:NAME:INTENSITY like me:angry:4; got {text!r}")
    return Emotion.from_dict({"who": parts[0], "name": parts[1], "intensity": parts[2]}, "--emotion")


def _summary_line(summary: Any) -> str:
    role = "made" if summary.role == "maker" else "recv"
    client = f"  [{summary.client}]" if summary.client else ""
    return (
        f"{summary.id[:8]}  {summary.occurred_on}  {role}  s{summary.severity}  "
        f"{summary.status:<8}  {summary.title}{client}"
    )


# --- commands -----------------------------------------------------------------


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
    with _open(args, create=True) as store:
        saved, _ = store.save(pm)
        # The id first: the entry is saved, and a big journal's daily copy takes seconds.
        print(saved.id, flush=True)
        _daily_backup(store)
    return EXIT_OK


def _print_summaries(rows: Sequence[Summary], as_json: bool, when_empty: str) -> int:
    if as_json:
        _print_json([r.to_dict() for r in rows])
    else:
        for row in rows:
            print(_summary_line(row))
        if not rows:
            print(when_empty, file=sys.stderr)
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    with _open(args) as store:
        rows = store.search("", limit=args.limit, trash=args.trash)
    empty = "the trash is empty" if args.trash else "no entries yet; add one with 'hindsight add'"
    return _print_summaries(rows, args.json, empty)


def cmd_search(args: argparse.Namespace) -> int:
    parsed = parse_query(" ".join(args.query))
    with _open(args) as store:
        rows = store.search(parsed, limit=args.limit)
    reason = unsearchable_reason(parsed)  # only punctuation: say why nothing is listed, even with --json
    if reason and args.json:
        print(reason, file=sys.stderr)
    return _print_summaries(rows, args.json, reason or "no entries match")


def cmd_show(args: argparse.Namespace) -> int:
    with _open(args) as store:
        pm = store.get(store.resolve_id(args.id))
    if args.json:
        _print_json(pm.to_dict())
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


def cmd_check(args: argparse.Namespace) -> int:
    with _open(args) as store:
        problems = store.check()
        count = store.entry_count()
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        raise UserError(damaged_message(store.path, f"{len(problems)} problem(s) found"))
    print(f"ok: {count} entries, integrity and search index consistent")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from journal import demo

    path = Path(args.path)
    if path.exists():
        raise UserError(f"{path} already exists; the demo journal is written to a new file")
    with Store.open(path) as store:
        demo.populate(store, entries=args.entries, seed=args.seed)
    print(f"wrote {args.entries} demo entries to {path}")
    return EXIT_OK


def _report(result: Any, verbose: bool = False) -> int:
    """Summary on stdout; failures, conflicts and warnings (by kind, or each with ``verbose``) on stderr.

    Exit 1 if any file failed.
    """
    from journal.transfer import warning_lines

    warnings = [f"{path}: {reason}" for path, reason in result.warnings] if verbose else warning_lines(
        result.warnings
    )
    for line in warnings:
        print(f"hindsight: warning: {line}", file=sys.stderr)
    if len(warnings) < len(result.warnings):
        print("hindsight: warnings are grouped by kind; --verbose lists each file", file=sys.stderr)
    for entry_id, path in result.conflicts:
        print(
            f"hindsight: conflict: entry {entry_id[:8]} changed in the journal and in {path}; "
            f"kept the journal's version (compare with 'hindsight conflicts', then "
            f"'hindsight conflicts settle {entry_id[:8]} --keep journal|folder')",
            file=sys.stderr,
        )
    for path, reason in result.failed:
        print(f"hindsight: {path}: {reason}", file=sys.stderr)
    print(result.summary_line())
    return EXIT_USER_ERROR if result.failed else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from journal import transfer
    from journal.redact import LeakError

    try:
        return _export(args, transfer)
    except LeakError as error:
        for leak in error.leaks:  # one line each: every entry and field to fix
            print(f"hindsight: {leak}", file=sys.stderr)
        return EXIT_USER_ERROR


def _export(args: argparse.Namespace, transfer: Any) -> int:
    with _open(args) as store:
        ids = transfer.select_ids(store, " ".join(args.query))
        if not ids:
            raise UserError("no entries match; nothing exported")
        if args.out:
            out = Path(args.out)
            if out.is_dir():
                raise UserError(f"{out} is a folder; use --out-dir for one file per entry")
            result = transfer.export_file(store, ids, out, redact=args.redact, replace=args.force)
            if result.failed:  # one target: its one reason is the one line
                raise UserError(f"{result.failed[0][0]} {result.failed[0][1]}")
        else:
            if args.force:
                raise UserError("--force is for --out; in DIR a file edited since it was exported is never replaced")
            out_dir = Path(args.out_dir)
            if out_dir.exists() and not out_dir.is_dir():
                raise UserError(f"{out_dir} is a file; --out-dir needs a folder")
            result = transfer.export_folder(store, ids, out_dir, redact=args.redact)
    return _report(result)


def cmd_import(args: argparse.Namespace) -> int:
    from journal import transfer

    with _open(args, create=True) as store:
        backup.backup_before(store, "import")
        result = transfer.import_paths(store, [Path(p) for p in args.paths])
    return _report(result, args.verbose)


def cmd_sync(args: argparse.Namespace) -> int:
    from journal.transfer import sync, sync_state

    folder = Path(args.dir)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder} is a file; sync needs a folder")
    with _open(args, create=True) as store:
        backup.backup_before(store, "sync")
        result = sync.sync_folder(store, folder)
        key = sync_state.folder_key(folder)
        waiting = [c for c in sync.list_conflicts(store) if c.folder == key]
    status = _report(result, args.verbose)
    if status == EXIT_OK and waiting:
        print(f"hindsight: {len(waiting)} conflict(s) with this folder wait to be settled; see 'hindsight conflicts'",
              file=sys.stderr)
        return EXIT_CONFLICTS
    return status


def _conflict_record(found: Any, conflict: Any) -> dict[str, Any]:
    """One conflict for ``conflicts --json``; ``changed`` is None when the folder's copy cannot be read."""
    record: dict[str, Any] = {
        "entry_id": conflict.entry_id,
        "title": conflict.title,
        "folder": conflict.folder,
        "conflict_copy": conflict.path,
        "folder_file": conflict.main_path,
        "found_at": conflict.found_at,
        "changed": None,
        "differences": [],
    }
    if found is not None:
        record["changed"] = list(found.changed)
        record["differences"] = [
            {"field": f.name, "label": f.label, "kind": f.kind, "journal": f.journal, "folder": f.folder,
             "diff": list(f.lines)}
            for f in found.fields
        ]
    return record


def cmd_conflicts(args: argparse.Namespace) -> int:
    from journal.markdown.reader import FormatError
    from journal.transfer import conflict_diff, sync

    if args.verb == "settle":
        with _open(args, create=False) as store:
            entry_id = sync.find_conflict(store, args.id)
            # Taking the folder's version replaces the journal's: a backup keeps the words it had.
            before = backup.backup_before(store, "settling a conflict") if args.keep == "folder" else None
            settled = sync.settle(store, entry_id, keep=args.keep)
        kept = "the journal's version" if settled.kept == "journal" else "the folder's version"
        print(f"settled {entry_id[:8]}: kept {kept}")
        if before is not None:
            print(f"the journal's version is kept in the backup {before.path}")
        for path in settled.removed:
            print(f"removed the conflict copy {path}")
        for path, why in settled.left:
            print(f"hindsight: left {path} in place: {why}", file=sys.stderr)
        return EXIT_OK
    rows: list[tuple[Any, Any]] = []  # (ConflictDiff or None, Conflict)
    with _open(args, create=False) as store:
        for conflict in sync.list_conflicts(store):
            try:
                rows.append((conflict_diff.conflict_diff(store, conflict), conflict))
            except (FormatError, JournalError):
                rows.append((None, conflict))
    if args.json:
        _print_json([_conflict_record(found, conflict) for found, conflict in rows])
        return EXIT_OK
    if not rows:
        print("No conflicts: every synced entry agrees with its folder.", file=sys.stderr)
    for found, conflict in rows:
        print(f"{conflict.entry_id[:8]}  {conflict.title}")
        print(f"    folder: {conflict.folder}")
        print(f"    the folder's version: {conflict.path}")
        if found is None:
            print("    (that file cannot be read as this entry any more; settle with --keep journal)")
            continue
        print("    differs in: " + (", ".join(f.label for f in found.fields) or "nothing (the same content)"))
        for field in found.fields:
            if field.kind == "value":
                print(f"    {field.label} — {field.summary}")
            else:
                print(f"    {field.label}:")
                print("\n".join(f"        {line}" for line in field.lines[2:]))  # without the ---/+++ header
    if rows:
        print("Settle one with: hindsight conflicts settle ID --keep journal|folder")
    return EXIT_OK


def _daily_backup(store: Store) -> None:
    """A writing command keeps the daily backup; if it cannot be made, say so and go on."""
    try:
        backup.backup_if_due(store)
    except JournalError as error:
        print(f"hindsight: warning: the daily backup was not made: {error}", file=sys.stderr)


def _entries(count: int) -> str:
    return "1 entry" if count == 1 else f"{count} entries"


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / (1024 * 1024):.1f} MB"


def cmd_backup(args: argparse.Namespace) -> int:
    with _open(args, create=False) as store:
        info = backup.make_backup(store, to=Path(args.to) if args.to else None)
    print(info.path)
    return EXIT_OK


def cmd_backups(args: argparse.Namespace) -> int:
    journal_path = resolve_journal_path(args.journal)
    infos = backup.list_backups(journal_path)
    if args.json:
        _print_json([info.to_dict() for info in infos])
        return EXIT_OK
    for info in infos:
        entries = "? entries" if info.entries < 0 else _entries(info.entries)
        state = "verified" if info.verified else "NOT CHECKED"
        print(f"{backup.local_time(info.made_at)}  {entries:>13}  {_size(info.size):>9}  "
              f"{state:<11}  {info.reason:<18}  {info.path}")
    if not infos:
        print(f"no backups of {journal_path} yet (in {backup.backup_dir(journal_path)}); "
              "make one with 'hindsight backup'", file=sys.stderr)
    return EXIT_OK


def _ask_passphrase(prompt: str, *, confirm: bool = False) -> str:
    """The passphrase from HINDSIGHT_PASSPHRASE, or asked without echo on a terminal (twice to confirm)."""
    from journal.crypto import PASSPHRASE_ENV

    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    if not sys.stdin.isatty():
        raise UserError(f"no passphrase: set {PASSPHRASE_ENV} (no terminal to ask on)")
    import getpass

    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Repeat the passphrase: ") != first:
        raise UserError("the two passphrases differ; nothing was changed")
    if not first:
        raise UserError("an empty passphrase; nothing was changed")
    return first


def _unlock(args: argparse.Namespace, command: str) -> None:
    """An encrypted journal on a terminal without HINDSIGHT_PASSPHRASE: ask for its passphrase once."""
    from journal.store import _looks_encrypted

    path = resolve_journal_path(getattr(args, "journal", None))
    if command in ("encrypt", "decrypt", "demo", "gui") or not _looks_encrypted(path):
        return
    from journal import crypto

    if os.environ.get(crypto.PASSPHRASE_ENV) or not sys.stdin.isatty():
        return  # the env var, or Store.open's one line saying how to give it
    crypto.remember(path, _ask_passphrase(f"Passphrase for {path}: "))


def cmd_encrypt(args: argparse.Namespace) -> int:
    from journal import crypto

    path = resolve_journal_path(args.journal)
    if crypto.is_encrypted(path) and path.stat().st_size > 0:
        raise UserError(f"{path} is already encrypted; nothing was changed")
    with Store.open(path, create=False):  # refuse a missing or foreign file before asking anything
        pass
    passphrase = _ask_passphrase(f"New passphrase for {path}: ", confirm=True)
    count = crypto.encrypt(path, passphrase)
    print(f"encrypted {path} ({_entries(count)}) and its backups; "
          "keep the passphrase safe: without it the journal cannot be read", file=sys.stderr)
    return EXIT_OK


def cmd_decrypt(args: argparse.Namespace) -> int:
    from journal import crypto

    path = resolve_journal_path(args.journal)
    if not path.exists():
        raise UserError(f"{path} does not exist")
    if not crypto.is_encrypted(path):
        raise UserError(f"{path} is not encrypted; nothing was changed")
    passphrase = _ask_passphrase(f"Passphrase for {path}: ")
    count = crypto.decrypt(path, passphrase)
    print(f"decrypted {path} ({_entries(count)}); its encrypted backup is in 'hindsight backups'", file=sys.stderr)
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    journal_path = resolve_journal_path(args.journal)
    source = Path(args.backup).expanduser()
    kept = backup.restore(journal_path, source)
    if kept is not None:
        print(kept.path)
    with Store.open(journal_path, create=False) as store:
        count = store.entry_count()
    kept_text = f"; the journal it replaced is kept as {kept.path}" if kept is not None else ""
    print(f"restored {_entries(count)} from {source} into {journal_path}{kept_text}", file=sys.stderr)
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    from journal import reports, safety, transfer

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
    with _open(args) as store:
        review = reports.account_review(store, args.account, after, before, private=args.private, redact=args.redact)
        why = safety.refusal(out, store=store, force=args.force)
        if why:
            raise UserError(why)
        text = reports.render_markdown(review)
        data: str | bytes = text if kind != ".pdf" else args.pdf(text, f"Account review: {review.account}")
        try:
            transfer.write_atomic(out, data)
        except OSError as error:
            raise UserError(f"{out} could not be written: {error.strerror or error}") from None
    print(f"wrote the review of {review.account} ({len(review.entries)} entries) to {out}")
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    if args.gui is None:
        raise UserError("the desktop app is not part of this command; run 'hindsight' to open it")
    return int(args.gui(args.journal))


def cmd_patterns(args: argparse.Namespace) -> int:
    from journal.insight import patterns

    query = " ".join(args.query)
    with _open(args) as store:
        found = patterns.analyse(store, query, args.period)
        needed = patterns.entries_needed(store, query, args.period) if not found else 0
    if args.json:
        _print_json([p.to_dict() for p in found])
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

    with _open(args) as store:
        pm = store.get(store.resolve_id(args.id))
        found = similar.similar(store, pm, limit=args.limit)
    if args.json:
        _print_json([{**s.to_dict(), "score": score, "why": why} for s, score, why in found])
        return EXIT_OK
    if not found:
        print("Nothing in the journal resembles this entry yet: a match needs two things in common "
              "(distinctive wording, the client, a cause or a tag).")
    for summary, score, why in found:
        print(f"{_summary_line(summary)}\n    {score:.2f} · {why}")
    return EXIT_OK


def cmd_hints(args: argparse.Namespace) -> int:
    from journal.insight import blameless

    with _open(args) as store:
        pm = store.get(store.resolve_id(args.id))
    found = blameless.hints(pm)
    if args.json:
        _print_json([h.to_dict() for h in found])
        return EXIT_OK
    if not found:
        print("No hints: the wording is blameless and every open follow-up has an owner and a date.")
    for hint in found:
        print(f"{hint.field}: “{hint.text}” — {hint.message}\n    try: {hint.suggestion}")
    return EXIT_OK


# --- the parser -------------------------------------------------------------------------


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
    with _open(args) as store:
        items = followups.list_followups(
            store, text=" ".join(words), owner=args.owner or "", account=args.account or "",
            include_closed=args.all, overdue_only=args.overdue, today=today_,
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
        # One object a line: json's C encoder (indent= falls back to pure Python, 2× slower on 10,000 items).
        lines = [json.dumps(item.to_json(), ensure_ascii=False) for item in items]
        sys.stdout.write("[\n  " + ",\n  ".join(lines) + "\n]\n" if lines else "[]\n")
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
    with _open(args) as store:
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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="hindsight",
        description="A journal of blameless post-mortems. With no command, opens the desktop app.",
    )
    parser.add_argument(
        "--journal",
        metavar="PATH",
        default=None,
        help="the journal file (default: $HINDSIGHT_JOURNAL, else the user data folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands: dict[str, Callable[[argparse.Namespace], int]] = {}

    def command(name: str, func: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        commands[name] = func
        return sub.add_parser(name, help=help_text, description=help_text)

    command("gui", cmd_gui, "open the desktop app")

    p = command("add", cmd_add, "add a post-mortem; prints its id")
    p.add_argument("--title", required=True)
    p.add_argument("--role", required=True, help=" or ".join(ROLES))
    p.add_argument("--client")
    p.add_argument("--account")
    p.add_argument("--what", metavar="MD", help="what happened (Markdown)")
    p.add_argument("--occurred-on", metavar="DATE", help="YYYY-MM-DD, default today")
    p.add_argument("--severity", default=2, help="1 small slip … 5 relationship lost (default 2)")
    p.add_argument("--status", default="open", help="draft, open, resolved or reviewed (default open)")
    p.add_argument("--tag", action="append", default=[], metavar="X")
    p.add_argument("--cause", action="append", default=[], metavar="X", help=", ".join(CAUSES) + " or your own")
    p.add_argument("--emotion", action="append", default=[], metavar="WHO:NAME:N", help="e.g. me:angry:4")

    p = command("list", cmd_list, "the newest post-mortems")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=_positive, default=50)
    p.add_argument("--trash", action="store_true", help="list the trash instead")

    p = command("search", cmd_search, "search with the query syntax (see README)")
    p.add_argument("query", nargs="+")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=_positive, default=50)

    p = command("show", cmd_show, "one post-mortem; ID may be a unique prefix")
    p.add_argument("id")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--markdown", action="store_true")

    command("check", cmd_check, "check the journal's integrity and search index")

    p = command("export", cmd_export, "export entries to Markdown (DESIGN §4): all, or those matching QUERY")
    p.add_argument("query", nargs="*", help="search syntax, as for 'search'; none exports every entry")
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("--out", metavar="FILE.md", help="one file with a table of contents, for reading")
    out.add_argument("--out-dir", metavar="DIR", help="one file per entry, for importing or a team folder")
    p.add_argument(
        "--redact", action="store_true", help="leave out private fields; clients and people become pseudonyms"
    )
    p.add_argument(
        "--force", action="store_true", help="replace FILE.md if it exists (never a journal or a team folder's file)"
    )
    p.epilog = "A file in DIR edited since it was exported is left alone and reported (exit 1)."

    p = command(
        "import",
        cmd_import,
        "import Markdown files and folders (recursively); idempotent by id",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--verbose", action="store_true", help="list every warning of every file, not grouped by kind")
    p.epilog = (
        "Good files are imported even when others fail; each failure is named on stderr "
        "and the exit status is then 1. An entry changed both here and in the file keeps "
        "the journal's version and is marked as a conflict. Files over 20 MB are refused."
    )

    p = command("sync", cmd_sync, "two-way sync with a team folder (share it with git)")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--verbose", action="store_true", help="list every warning of every file, not grouped by kind")
    p.epilog = (
        "Changes travel both ways; a file missing from DIR is not a deletion (deletions travel as "
        "'deleted: true'). Changed on both sides: the journal's version is kept and the folder's is "
        "written next to it as NAME.conflict-HASH.md. Exit 1 if a file could not be read; otherwise "
        "exit 2 when conflicts with DIR remain to be settled after the sync (see 'hindsight conflicts')."
    )

    p = command("conflicts", cmd_conflicts, "entries changed both here and in a team folder: what differs")
    p.add_argument("--json", action="store_true")
    p.set_defaults(verb=None)
    verbs = p.add_subparsers(dest="verb", metavar="settle", parser_class=_Parser)
    settle = verbs.add_parser("settle", help="keep one version and remove the conflict copy",
                              description="Keep the journal's or the folder's version of an entry in conflict.")
    settle.add_argument("id", metavar="ID", help="the entry's id or a unique prefix of it (4 characters or more)")
    settle.add_argument("--keep", required=True, choices=("journal", "folder"))
    settle.epilog = (
        "The conflict copy (NAME.conflict-HASH.md) is removed only if Hindsight wrote it and nobody changed it "
        "since; otherwise it is left in place and named on stderr. --keep folder saves the folder's version as "
        "the newest revision and writes it to the folder file."
    )
    p.epilog = (
        "Read-only without 'settle': lists each conflict with the fields that differ (a line diff for text). "
        "'hindsight sync' exits 2 while conflicts with its folder remain."
    )

    p = command("demo", cmd_demo, "write a realistic demo journal to a new file")
    p.add_argument("path")
    p.add_argument("--entries", type=_positive, default=300)
    p.add_argument("--seed", type=int, default=7)

    p = command("patterns", cmd_patterns, "what keeps recurring in your post-mortems")
    p.add_argument("query", nargs="*", help="narrow the entries analysed (search syntax)")
    p.add_argument("--period", choices=("all", "90d", "year"), default="all")
    p.add_argument("--json", action="store_true")

    p = command("similar", cmd_similar, "past entries like this one (\"you have seen this before\")")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=_positive, default=3)

    p = command("hints", cmd_hints, "blameless-language and follow-up hints for one entry")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")

    p = command("review", cmd_review, "an account review packet: summary and entries, as Markdown or PDF")
    p.add_argument("account", metavar="ACCOUNT", help="the account, or the client when entries have no account")
    p.add_argument("--after", metavar="DATE", help="entries on or after DATE (2024-05-01, 2024-05 or 2024)")
    p.add_argument("--before", metavar="DATE", help="entries before DATE (that day not included)")
    p.add_argument("--out", required=True, metavar="FILE.md|FILE.pdf")
    p.add_argument("--redact", action="store_true", help="clients and people become pseudonyms")
    p.add_argument("--private", action="store_true", help="include the author's feelings, response and reflection")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists (never a journal)")

    p = command("backup", cmd_backup, "make a verified backup of the journal; prints its path")
    p.add_argument("--to", metavar="DIR", help="an existing folder of your choosing (never rotated)")
    p.epilog = "Without --to the backup goes to the journal's own folder under 'backups' in the user data folder."

    p = command("encrypt", cmd_encrypt, "encrypt the journal in place (SQLCipher); a verified backup first")
    p.epilog = "The passphrase comes from HINDSIGHT_PASSPHRASE, or is asked twice without echo. Keep it safe."
    p = command("decrypt", cmd_decrypt, "remove the journal's encryption in place; a verified backup first")
    p.epilog = "The passphrase comes from HINDSIGHT_PASSPHRASE, or is asked without echo."

    p = command("backups", cmd_backups, "list the journal's backups, newest first")
    p.add_argument("--json", action="store_true")

    p = command("restore", cmd_restore, "replace the journal with a backup; the current one is backed up first")
    p.add_argument("backup", metavar="BACKUP", help="a backup file (see 'hindsight backups')")
    p.epilog = (
        "Prints the path of the backup kept of the journal it replaced. "
        "A file that is not a good backup is refused, and nothing is changed."
    )

    p = command("followups", cmd_followups, "what is owed: open follow-ups and checks due, across the journal")
    p.add_argument(
        "query", nargs="*", metavar="QUERY | done|check|drop ID",
        help="narrow to entries matching QUERY (search syntax); or a verb and a follow-up ID",
    )
    p.add_argument("--overdue", action="store_true", help="only follow-ups past their due date")
    p.add_argument("--all", action="store_true", help="add done and dropped follow-ups")
    p.add_argument("--owner", metavar="NAME", help="only this owner's follow-ups")
    p.add_argument("--account", metavar="A", help="only this account's (or client's) follow-ups")
    p.add_argument("--json", action="store_true")
    p.add_argument("--ics", metavar="FILE", help="write open follow-ups and checks as calendar to-dos (iCalendar)")
    p.add_argument("--redact", action="store_true", help="with --ics: clients and people become pseudonyms")
    p.add_argument("--force", action="store_true", help="with --ics: replace a file Hindsight did not write")
    p.add_argument("--on", metavar="DATE", help="done: the day it was done (YYYY-MM-DD, default today)")
    p.add_argument("--result", choices=("held", "recurred"), help="check: did the fix hold?")
    p.add_argument("--note", metavar="T", help="check: what the check found")
    p.add_argument("--reason", metavar="T", help="drop: why it is dropped (kept with it)")
    p.epilog = (
        "ID is a follow-up's id, a unique prefix of one, or ENTRY/FOLLOWUP when two entries hold the "
        "same id. Examples: 'hindsight followups --owner me', 'hindsight followups done 3f2a --on 2025-06-01', "
        "'hindsight followups check 3f2a --result recurred --note \"late again\"'."
    )

    parser.set_defaults(_commands=commands)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    gui: Callable[[str | None], int] | None = None,
    pdf: Callable[[str, str], bytes] | None = None,
) -> int:
    """Run one command; ``gui(journal)`` opens the app, ``pdf(markdown, title)`` draws a PDF (none: CLI alone)."""
    parser = build_parser()
    parser.set_defaults(gui=gui, pdf=pdf)
    for stream in (sys.stdout, sys.stderr):  # a title or path that is not UTF-8 is shown escaped, never a crash
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    try:
        args = parser.parse_args(argv)
        if isinstance(getattr(args, "id", None), str):
            args.id = mend_text(args.id)  # looked up in SQLite, which cannot hold a lone surrogate
        command = args.command or "gui"
        _unlock(args, command)
        return args._commands[command](args)
    except UserError as error:
        print(f"hindsight: {error}", file=sys.stderr)
    except JournalError as error:
        print(f"hindsight: {error}", file=sys.stderr)
    except ValueError as error:
        print(f"hindsight: {error}", file=sys.stderr)
    except sqlite3.DatabaseError as error:
        # Known SQLite failures become JournalError in the store; this is the last line of defence.
        print(f"hindsight: the journal could not be read or written ({error}); try 'hindsight check'",
              file=sys.stderr)
    except KeyboardInterrupt:
        print("hindsight: interrupted", file=sys.stderr)
    except BrokenPipeError:
        # Output piped to `head` that closed early: not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    return EXIT_USER_ERROR


if __name__ == "__main__":
    sys.exit(main())
