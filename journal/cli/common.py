"""What every command shares: exit codes, the one-line error, opening the journal, printing."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from journal import backup
from journal.store import JournalError, Store, resolve_journal_path

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_CONFLICTS = 2  # `sync` only: done, but entries changed on both sides wait to be settled (design-notes)


class UserError(Exception):
    """A mistake in what was asked; its text is the one line shown on stderr."""


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def open_journal(args: argparse.Namespace, *, create: bool = False) -> Store:
    """The journal; only a command that writes passes ``create=True`` (a reader on a typo creates nothing).

    A writing command also forgets what the journal remembered of folders since deleted.
    """
    store = Store.open(resolve_journal_path(args.journal), create=create)
    if create:
        store.forget_deleted_folders()
    return store


def summary_line(summary: Any) -> str:
    role = "made" if summary.role == "maker" else "recv"
    client = f"  [{summary.client}]" if summary.client else ""
    return (
        f"{summary.id[:8]}  {summary.occurred_on}  {role}  s{summary.severity}  "
        f"{summary.status:<8}  {summary.title}{client}"
    )


def daily_backup(store: Store) -> None:
    """A writing command keeps the daily backup; if it cannot be made, say so and go on."""
    try:
        backup.backup_if_due(store)
    except JournalError as error:
        print(f"hindsight: warning: the daily backup was not made: {error}", file=sys.stderr)


def entries_text(count: int) -> str:
    return "1 entry" if count == 1 else f"{count} entries"
