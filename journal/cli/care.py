"""The commands that keep the journal safe: check, backup, backups, restore, encrypt, decrypt."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from journal import backup
from journal.cli.common import EXIT_OK, UserError, entries_text, open_journal, print_json
from journal.store import Store, damaged_message, resolve_journal_path


def cmd_check(args: argparse.Namespace) -> int:
    with open_journal(args) as store:
        problems = store.check()
        count = store.entry_count()
        if problems:
            for problem in problems:
                print(problem, file=sys.stderr)
            raise UserError(damaged_message(store.path, f"{len(problems)} problem(s) found"))
        print(f"ok: {count} entries, integrity and search index consistent")
        if args.compact:  # only a journal that passed its check; a damaged one is restored, not rewritten
            kept = backup.make_backup(store, reason="before compact")
            store.checkpoint()
            before = store.path.stat().st_size
            store.compact()
            print(f"compacted: {_size(before)} → {_size(store.path.stat().st_size)} "
                  f"(a verified backup was made first: {kept.path})")
    return EXIT_OK


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / (1024 * 1024):.1f} MB"


def cmd_backup(args: argparse.Namespace) -> int:
    with open_journal(args, create=False) as store:
        info = backup.make_backup(store, to=Path(args.to) if args.to else None)
    print(info.path)
    return EXIT_OK


def cmd_backups(args: argparse.Namespace) -> int:
    journal_path = resolve_journal_path(args.journal)
    infos = backup.list_backups(journal_path)
    if args.json:
        print_json([info.to_dict() for info in infos])
        return EXIT_OK
    for info in infos:
        entries = "? entries" if info.entries < 0 else entries_text(info.entries)
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


def unlock(args: argparse.Namespace, command: str) -> None:
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
    print(f"encrypted {path} ({entries_text(count)}) and its backups; "
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
    print(f"decrypted {path} ({entries_text(count)}); its encrypted backup is in 'hindsight backups'", file=sys.stderr)
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
    print(f"restored {entries_text(count)} from {source} into {journal_path}{kept_text}", file=sys.stderr)
    return EXIT_OK
