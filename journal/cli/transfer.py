"""The commands that move entries in and out as Markdown: export, import, sync, conflicts.

The transfer code is imported when one of them runs, never to start the command line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from journal import backup
from journal.cli.common import EXIT_CONFLICTS, EXIT_OK, EXIT_USER_ERROR, UserError, open_journal, print_json
from journal.store import JournalError


def _report(result: Any, verbose: bool = False) -> int:
    """Summary on stdout; failures, conflicts and warnings (by kind, or each with ``verbose``) on stderr.

    Exit 1 if any file failed.
    """
    from journal.transfer.result import warning_lines

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
    from journal.redact import LeakError

    try:
        return _export(args)
    except LeakError as error:
        for leak in error.leaks:  # one line each: every entry and field to fix
            print(f"hindsight: {leak}", file=sys.stderr)
        return EXIT_USER_ERROR


def _export(args: argparse.Namespace) -> int:
    from journal.transfer import export

    with open_journal(args) as store:
        ids = export.select_ids(store, " ".join(args.query))
        if not ids:
            raise UserError("no entries match; nothing exported")
        if args.out:
            out = Path(args.out)
            if out.is_dir():
                raise UserError(f"{out} is a folder; use --out-dir for one file per entry")
            result = export.export_file(store, ids, out, redact=args.redact, replace=args.force)
            if result.failed:  # one target: its one reason is the one line
                raise UserError(f"{result.failed[0][0]} {result.failed[0][1]}")
        else:
            if args.force:
                raise UserError("--force is for --out; in DIR a file edited since it was exported is never replaced")
            out_dir = Path(args.out_dir)
            if out_dir.exists() and not out_dir.is_dir():
                raise UserError(f"{out_dir} is a file; --out-dir needs a folder")
            result = export.export_folder(store, ids, out_dir, redact=args.redact)
    return _report(result)


def cmd_import(args: argparse.Namespace) -> int:
    from journal.transfer import importer

    with open_journal(args, create=True) as store:
        backup.backup_before(store, "import")
        result = importer.import_paths(store, [Path(p) for p in args.paths])
    return _report(result, args.verbose)


def cmd_sync(args: argparse.Namespace) -> int:
    from journal.transfer import sync, sync_state

    folder = Path(args.dir)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder} is a file; sync needs a folder")
    with open_journal(args, create=True) as store:
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
        with open_journal(args, create=False) as store:
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
    with open_journal(args, create=False) as store:
        for conflict in sync.list_conflicts(store):
            try:
                rows.append((conflict_diff.conflict_diff(store, conflict), conflict))
            except (FormatError, JournalError):
                rows.append((None, conflict))
    if args.json:
        print_json([_conflict_record(found, conflict) for found, conflict in rows])
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
